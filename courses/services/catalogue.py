from ..models import CoursePage, Enrolment


def catalogue_entries(catalogue, request):
    """Published courses of a catalogue, with whether the viewer is enrolled: two queries."""
    courses = list(
        CoursePage.objects.child_of(catalogue)
        .live()
        .select_related("cover_image")
        .prefetch_related("cover_image__renditions")
        .order_by("path")
    )
    enrolled = set()
    if request.user.is_authenticated:
        enrolled = set(
            Enrolment.objects.filter(
                user=request.user, course_key__in=[c.translation_key for c in courses]
            ).values_list("course_key", flat=True)
        )
    return [
        {
            "course": course,
            "url": course.get_url(request),
            "enrolled": course.translation_key in enrolled,
        }
        for course in courses
    ]
