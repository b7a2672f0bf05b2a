"""The coach's side panel in the room: an HTML fragment about one participant — their
company's latest maturity result, their self-check when the coach may read it, their course
progress and their engagement in this session. Only the session's moderators get it, and only
about a member of the session's cohort; everyone else gets a 404."""

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from assessments.models import Response
from assessments.permissions import can_view_response
from assessments.services.results import build_results
from courses.models import LessonCompletion
from courses.services.overview import learner_courses
from virage_site.companies.models import Membership

from ..models import Participant
from ..placements import companies_in
from ..stats import PersonFigures, session_figures
from .lookup import session_for


def latest_submitted(**subject):
    return (
        Response.objects.filter(status=Response.Status.SUBMITTED, **subject)
        .select_related("instrument", "version", "company")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def company_maturity(viewer, company):
    """The results of the company's latest submitted assessment, if the viewer may read them."""
    response = latest_submitted(company=company, person__isnull=True)
    if response is None or not can_view_response(viewer, response):
        return None
    return build_results(response, with_peers=False)


def self_check(viewer, person):
    """(results, taken): the person's latest self-check, readable only where the assessments
    app allows it (a self-check is its author's; programme managers read it)."""
    response = latest_submitted(person=person)
    if response is None:
        return None, False
    if not can_view_response(viewer, response):
        return None, True
    return build_results(response, with_peers=False), True


def course_progress(person, request):
    """The person's courses with their progress and last activity (the later of their last
    visit and their last completed lesson): two queries beyond the courses' own."""
    courses = learner_courses(person, request)
    last_done = dict(
        LessonCompletion.objects.filter(user=person)
        .values_list("course_key")
        .annotate(Max("completed_at"))
        .order_by()
    )
    for entry in courses:
        moments = [entry.enrolment.last_visited_at, last_done.get(entry.enrolment.course_key)]
        entry.last_activity = max((m for m in moments if m is not None), default=None)
    return courses


@never_cache
@login_required
def participant_panel(request, session_id, user_id):
    session = session_for(request, session_id, moderator=True).session
    membership = (
        Membership.objects.filter(
            user_id=user_id, user__is_active=True, company__in=companies_in(session.cohort_id)
        )
        .select_related("user", "company")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise Http404
    person, company = membership.user, membership.company
    engagement = session_figures(session, user_ids=[person.pk], include_absent=False).of(person.pk)
    own_check, took_self_check = self_check(request.user, person)
    return render(
        request,
        "coaching/participant_panel.html",
        {
            "session": session,
            "person": person,
            "company": company,
            "maturity": company_maturity(request.user, company),
            "self_check": own_check,
            "took_self_check": took_self_check,
            "courses": course_progress(person, request),
            "engagement": engagement
            or PersonFigures(
                user_id=person.pk,
                name=person.display_name,
                company=company.name,
                role=Participant.Role.PARTICIPANT,
            ),
        },
    )
