"""What a person and their company achieved, as the engine reads it: the latest submitted
scores, the modules and courses completed, the quiz scores. A fixed number of queries whatever
the number of rules, results, lessons or companies: the latest results in one, completed lessons
in one, quiz scores through the quizzes service, and none of them when no rule needs it."""

from django.db.models import Q

from courses.models import LessonCompletion
from virage_site.companies.models import Membership

from ..models import Response
from . import engine

try:
    from ..services.quizzes import quiz_scores
except ImportError:  # an installation without module quizzes: no quiz has a score

    def quiz_scores(user, quiz_keys=None):
        return {}


def first_company_id(user):
    """The company whose path a person follows: the first one they joined."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user).order_by("pk").values_list("company_id", flat=True)
    ).first()


def latest_scores(user, company_id):
    """({slug: scores} of the company, {slug: scores} of the person): each instrument's latest
    submitted result, scores as {"overall": x, "D1": y, …}, in one query."""
    subjects = Q()
    if user is not None and user.is_authenticated:
        subjects |= Q(person=user)
    if company_id is not None:
        subjects |= Q(person__isnull=True, company_id=company_id)
    if not subjects:
        return {}, {}
    company, person = {}, {}
    rows = (
        Response.objects.submitted()
        .filter(subjects)
        .order_by("submitted_at", "pk")
        .values_list("instrument__slug", "person_id", "overall", "scores")
    )
    for slug, person_id, overall, scores in rows:
        found = person if person_id is not None else company
        found[slug] = {engine.OVERALL: overall, **(scores or {})}
    return company, person


def completed_pages(user, book):
    """Keys of the courses and modules the rules name that `user` completed: every live
    lesson of them done. One query, on the courses concerned only."""
    if not user.is_authenticated or not book.lessons:
        return frozenset()
    course_keys = {book.course_keys[key] for key in book.lessons if key in book.course_keys}
    done = set(
        LessonCompletion.objects.filter(user=user, course_key__in=course_keys).values_list(
            "lesson_key", flat=True
        )
    )
    return frozenset(key for key, lessons in book.lessons.items() if lessons and lessons <= done)


def load_facts(user, book, company_id):
    company, person = latest_scores(user, company_id)
    quiz_keys = book.quiz_keys
    return engine.Facts(
        company_scores=company,
        person_scores=person,
        completed=completed_pages(user, book),
        quiz_percent=quiz_scores(user, quiz_keys) if quiz_keys and user.is_authenticated else {},
    )
