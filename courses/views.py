from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import conf, knowledge_checks
from .certificates import certificate_pdf
from .gates import closed_by
from .models import Certificate, CoursePage, Enrolment, LessonPage
from .services.learning import complete_lesson, enrol
from .services.outline import course_outline, is_quiz
from .services.overview import learner_courses


def _live_page(model, page_id):
    page = model.objects.live().filter(pk=page_id).first()
    if page is None:
        raise Http404
    return page


@login_required
@require_POST
def enrol_view(request, course_id):
    course = _live_page(CoursePage, course_id)
    enrol(request.user, course)
    messages.success(request, _("You are enrolled in “%(title)s”.") % {"title": course.title})
    outline = course_outline(course, request)
    first = outline.lessons[0].url if outline.lessons else course.get_url(request)
    return redirect(first)


def _lesson_of_enrolled_learner(request, lesson_id):
    """The live lesson and its course, for a learner enrolled in that course; else 404."""
    lesson = _live_page(LessonPage, lesson_id)
    course = CoursePage.objects.ancestor_of(lesson).live().first()
    if (
        course is None
        or not Enrolment.objects.filter(
            user=request.user, course_key=course.translation_key
        ).exists()
    ):
        raise Http404
    if all(entry.page.pk != lesson.pk for entry in course_outline(course, request).lessons):
        raise Http404  # under an unpublished module: not part of the course for now
    return lesson, course


@login_required
@require_POST
def complete_view(request, lesson_id):
    lesson, course = _lesson_of_enrolled_learner(request, lesson_id)
    closed = closed_by(request.user, course, lesson)
    if closed is not None:
        messages.error(request, str(closed))
        return redirect(course.get_url(request))
    if is_quiz(lesson):
        messages.info(request, _("Pass the quiz to complete it."))
        return redirect(lesson.get_url(request))
    certificate = complete_lesson(request.user, lesson, course, request)
    if certificate:
        messages.success(
            request,
            _("Congratulations, you have completed “%(title)s”. Your certificate is ready.")
            % {"title": course.title},
        )
        return redirect(course.get_url(request))
    messages.success(request, _("Lesson marked as done."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = lesson.get_url(request)
    return redirect(target)


@login_required
@require_POST
def knowledge_check_view(request, lesson_id, block_id):
    """Grade a knowledge check of a lesson. A script asking for JSON gets the feedback to show
    in place; a plain form post is sent back to the lesson, which shows it next to the check."""
    lesson, course = _lesson_of_enrolled_learner(request, lesson_id)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    closed = closed_by(request.user, course, lesson)
    if closed is not None:
        # A locked lesson's checks are as closed as the lesson: no grading, no feedback.
        if wants_json:
            return JsonResponse({"error": str(closed)}, status=403)
        messages.error(request, str(closed))
        return redirect(course.get_url(request))
    check = knowledge_checks.find_check(lesson, block_id)
    if check is None:
        raise Http404
    choices, error = knowledge_checks.check_answers(check, request.POST)
    if wants_json:
        html = knowledge_checks.feedback_html(check, request, choices=choices, error=error)
        return JsonResponse({"html": html}, status=400 if error else 200)
    knowledge_checks.remember(request, block_id, choices=choices, error=error)
    anchor = "errors" if error else "feedback"  # straight to the summary of what to fix
    return redirect(f"{lesson.get_url(request)}#kc-{block_id}-{anchor}")


@login_required
def my_courses(request):
    return render(
        request,
        "courses/my_courses.html",
        {
            "progress": learner_courses(request.user, request),
            "courses_base_template": conf.get("COURSES_BASE_TEMPLATE"),
        },
    )


def certificate_verify(request, code):
    certificate = get_object_or_404(Certificate, code=code)
    return render(
        request,
        "courses/certificate_verify.html",
        {"certificate": certificate, "courses_base_template": conf.get("COURSES_BASE_TEMPLATE")},
    )


@login_required
def certificate_download(request, code):
    certificate = Certificate.objects.filter(code=code, user=request.user).first()
    if certificate is None:
        raise Http404
    verify_url = request.build_absolute_uri(reverse("courses:certificate-verify", args=[code]))
    response = HttpResponse(
        certificate_pdf(certificate, verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response
