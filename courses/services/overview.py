"""A learner's courses for the dashboard, and progress figures for people a company lead sees.
Each runs a fixed number of queries, whatever the number of courses, lessons or people."""

from dataclasses import dataclass

from django.db.models import Count, Q
from wagtail.models import Locale

from ..models import Certificate, CoursePage, Enrolment, LessonCompletion, LessonPage
from .outline import build_outlines, percent


@dataclass
class CourseProgress:
    course: CoursePage
    url: str
    enrolment: Enrolment
    total: int
    done: int
    next_lesson: LessonPage | None
    next_url: str | None
    certificate: Certificate | None

    @property
    def percent(self):
        return percent(self.done, self.total)


def _courses_in_viewer_language(keys):
    """One page per course key, in the active language when a translation exists."""
    active = Locale.get_active()
    pages = CoursePage.objects.live().filter(translation_key__in=keys).select_related("locale")
    chosen = {}
    for page in pages:
        current = chosen.get(page.translation_key)
        if current is None or (page.locale_id == active.pk and current.locale_id != active.pk):
            chosen[page.translation_key] = page
    return chosen


def learner_courses(user, request=None):
    enrolments = list(
        Enrolment.objects.filter(user=user).order_by("-last_visited_at", "-enrolled_at")
    )
    if not enrolments:
        return []
    keys = [e.course_key for e in enrolments]
    courses = _courses_in_viewer_language(keys)
    outlines = build_outlines(list(courses.values()), request)
    done_keys = set(
        LessonCompletion.objects.filter(user=user, course_key__in=keys).values_list(
            "lesson_key", flat=True
        )
    )
    certificates = {c.course_key: c for c in Certificate.objects.filter(user=user)}
    result = []
    for enrolment in enrolments:
        course = courses.get(enrolment.course_key)
        if course is None:
            continue
        outline = outlines[course.pk].mark_done(done_keys)
        upcoming = outline.resume_lesson(enrolment.last_lesson_key)
        result.append(
            CourseProgress(
                course=course,
                url=course.get_url(request),
                enrolment=enrolment,
                total=len(outline.lessons),
                done=outline.done_count,
                next_lesson=upcoming.page if upcoming else None,
                next_url=upcoming.url if upcoming else None,
                certificate=certificates.get(enrolment.course_key),
            )
        )
    return result


def progress_by_user(user_ids):
    """{user id: {"enrolled", "completed", "lessons_done"}} for the given people: two queries."""
    figures = {uid: {"enrolled": 0, "completed": 0, "lessons_done": 0} for uid in user_ids}
    enrolments = (
        Enrolment.objects.filter(user_id__in=user_ids)
        .values("user_id")
        .annotate(enrolled=Count("id"), completed=Count("id", filter=Q(completed_at__isnull=False)))
    )
    for row in enrolments:
        figures[row["user_id"]].update(enrolled=row["enrolled"], completed=row["completed"])
    lessons = (
        LessonCompletion.objects.filter(user_id__in=user_ids)
        .values("user_id")
        .annotate(done=Count("id"))
    )
    for row in lessons:
        figures[row["user_id"]]["lessons_done"] = row["done"]
    return figures
