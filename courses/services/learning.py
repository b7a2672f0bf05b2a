"""Enrolment, lesson access and the state each course page shows to the person viewing it."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import conf, gates
from ..models import Certificate, CoursePage, Enrolment, LessonCompletion
from .outline import course_outline

VISIT_REFRESH = timedelta(minutes=5)


@dataclass
class LessonAccess:
    course: CoursePage | None = None
    enrolment: Enrolment | None = None
    redirect_to: str | None = None
    message: str | None = None


def lesson_access(lesson, request):
    """Only an enrolled, signed-in learner opens a lesson, and only when no gate keeps it
    closed (see courses.gates); opening it is remembered so the dashboard can offer to
    continue there."""
    if not request.user.is_authenticated:
        response = redirect_to_login(request.get_full_path(), conf.login_url())
        return LessonAccess(redirect_to=response.url)
    course = course_of(lesson)
    if course is None or not course.live:
        raise Http404
    enrolment = Enrolment.objects.filter(
        user=request.user, course_key=course.translation_key
    ).first()
    if enrolment is None:
        return LessonAccess(
            course=course,
            redirect_to=course.get_url(request),
            message=_("Enrol in this course to open its lessons."),
        )
    closed = gates.closed_by(request.user, course, lesson)
    if closed is not None:
        return LessonAccess(course=course, redirect_to=course.get_url(request), message=str(closed))
    remember_visit(enrolment, lesson)
    return LessonAccess(course=course, enrolment=enrolment)


def remember_visit(enrolment, lesson):
    """Record the lesson as the place to continue from. Reading the same lesson again soon
    after changes nothing worth a write, so it makes none: lesson views stay read-only."""
    now = timezone.now()
    recent = enrolment.last_visited_at and now - enrolment.last_visited_at < VISIT_REFRESH
    if enrolment.last_lesson_key == lesson.translation_key and recent:
        return
    enrolment.last_lesson_key, enrolment.last_visited_at = lesson.translation_key, now
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_lesson_key=enrolment.last_lesson_key, last_visited_at=enrolment.last_visited_at
    )


def course_of(page):
    """The course a module or lesson belongs to: known already when the page was routed."""
    routed = getattr(page, "routed_course", None)
    return routed if routed is not None else CoursePage.objects.ancestor_of(page).first()


def completed_keys(user, course):
    if not user.is_authenticated:
        return set()
    return set(
        LessonCompletion.objects.filter(user=user, course_key=course.translation_key).values_list(
            "lesson_key", flat=True
        )
    )


def course_view_state(course, request):
    outline = course_outline(course, request)
    enrolment = certificate = None
    if request.user.is_authenticated:
        enrolment = Enrolment.objects.filter(
            user=request.user, course_key=course.translation_key
        ).first()
        if enrolment:
            outline.mark_done(completed_keys(request.user, course))
            certificate = Certificate.objects.filter(
                user=request.user, course_key=course.translation_key
            ).first()
    return {
        "outline": outline,
        "enrolment": enrolment,
        "certificate": certificate,
        "resume_lesson": outline.resume_lesson(enrolment.last_lesson_key if enrolment else None),
    }


def module_view_state(module, request):
    course = course_of(module)
    state = course_view_state(course, request)
    state["course"] = course
    state["module_entry"] = next(
        (entry for entry in state["outline"].modules if entry.page.pk == module.pk), None
    )
    return state


def lesson_view_state(lesson, request):
    access = getattr(request, "courses_lesson_access", None)
    course = access.course if access else course_of(lesson)
    outline = course_outline(course, request).mark_done(completed_keys(request.user, course))
    previous, current, following = outline.neighbours(lesson)
    return {
        "course": course,
        "outline": outline,
        "module_entry": outline.module_of(lesson),
        "previous_lesson": previous,
        "current_lesson": current,
        "next_lesson": following,
    }


def enrol(user, course):
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user, course_key=course.translation_key
    )
    return enrolment


def complete_lesson(user, lesson, course, request=None):
    """Record the lesson as done; when it was the last one, complete the course and issue the
    certificate. Returns the certificate when this completion earned it.

    All of it or nothing: a last lesson recorded as done without its certificate (the database
    lost halfway) could never earn it, since completing a lesson twice changes nothing."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                LessonCompletion.objects.create(
                    user=user, lesson_key=lesson.translation_key, course_key=course.translation_key
                )
        except IntegrityError:
            return None  # done already: completing twice changes nothing
        outline = course_outline(course, request).mark_done(completed_keys(user, course))
        if outline.lessons and outline.done_count == len(outline.lessons):
            return complete_course(user, course)
    return None


def certificate_name(user):
    """The name printed on a certificate and its public page: never a full email address."""
    name = user.get_full_name().strip()
    if name:
        return name
    local_part = str(getattr(user, user.get_email_field_name(), "") or user.get_username())
    return local_part.split("@", 1)[0]


def complete_course(user, course):
    Enrolment.objects.filter(
        user=user, course_key=course.translation_key, completed_at__isnull=True
    ).update(completed_at=timezone.now())
    certificate, _created = Certificate.objects.get_or_create(
        user=user,
        course_key=course.translation_key,
        defaults={
            "learner_name": certificate_name(user),
            "course_title": course.title,
            "language": get_language() or settings.LANGUAGE_CODE,
        },
    )
    return certificate
