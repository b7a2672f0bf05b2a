"""A small programme whose figures can be worked out by hand (the dashboards' tests state them).

Programme "Programme 2026": cohort A (Atlas Retail, Souss Tourisme; coached by coach_a) and
cohort B (Rabat Commerce; coached by coach_b); Fès Atelier is imported but in no cohort.

Company maturity ("small" instrument, dimensions D1 and D2), submitted results:

    company          stage  overall  level                D1  D2
    Atlas Retail     T0     30       average              20  35
    Atlas Retail     T1     60       moderately_advanced  50  65
    Souss Tourisme   T0     10       basic                10  10
    Souss Tourisme   T1     35       average              30  38
    Rabat Commerce   T0     80       advanced             70  85

People: Atlas has a lead and an employee, Souss a lead, Rabat an employee (its lead was only
invited). Learning: Atlas's employee completed the course (certificate), its lead is enrolled,
Rabat's employee completed it; someone outside the programme is enrolled too. Sessions: cohort A
held one (Atlas's lead and employee came, the employee twice), cohort B held one (nobody came),
cohort A has one to come. Action items: Atlas 2 (1 done), Souss 1, Fès 1 (done).
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.loading import install_instrument
from assessments.models import DimensionScore, Response
from coaching.models import ActionItem, Attendance, Cohort, LiveSession, Programme
from coaching.placements import place
from courses.models import Certificate, Enrolment
from tests import factories
from tests.assessments.definitions import small_instrument
from virage_site.companies.models import Invitation, Membership


@dataclass
class SmallProgramme:
    programme: Programme
    cohort_a: Cohort
    cohort_b: Cohort
    atlas: object
    souss: object
    rabat: object
    fes: object
    instrument: object
    course: object
    manager: object
    coach_a: object
    coach_b: object
    atlas_lead: object
    atlas_employee: object
    souss_lead: object
    rabat_employee: object


def submit(instrument, company, stage, overall, level, scores, days_ago):
    """A submitted company result as scoring would have stored it."""
    at = timezone.now() - timedelta(days=days_ago)
    response = Response.objects.create(
        instrument=instrument,
        version=instrument.current_version(),
        company=company,
        stage=stage,
        status=Response.Status.SUBMITTED,
        overall=overall,
        level=level,
        scores=scores,
        submitted_at=at,
    )
    DimensionScore.objects.bulk_create(
        DimensionScore(response=response, code=code, score=score) for code, score in scores.items()
    )
    return response


def held_session(cohort, title, days_ago):
    start = timezone.now() - timedelta(days=days_ago)
    return LiveSession.objects.create(
        cohort=cohort,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        opened_at=start,
        ended_at=start + timedelta(hours=1),
    )


def attend(session, user, number):
    Attendance.objects.create(
        session=session,
        user=user,
        connection=f"{session.pk}-{user.pk}-{number}",
        opened_at=session.starts_at,
        last_seen_at=session.ends_at,
        closed_at=session.ends_at,
    )


@pytest.fixture
def small_programme(catalogue):
    instrument = install_instrument(small_instrument())
    course, _lessons = factories.build_course(catalogue, modules=1, lessons=1, title="Culture")
    programme = Programme.objects.create(
        name="Programme 2026",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=540),
    )
    cohort_a = Cohort.objects.create(programme=programme, name="Promotion A")
    cohort_b = Cohort.objects.create(programme=programme, name="Promotion B")
    coach_a = factories.make_user(email="coach.a@example.ma", role="coach")
    coach_b = factories.make_user(email="coach.b@example.ma", role="coach")
    cohort_a.coaches.add(coach_a)
    cohort_b.coaches.add(coach_b)

    atlas = factories.make_company(
        name="Atlas Retail", sector="retail", region="casablanca-settat", size_band="micro"
    )
    souss = factories.make_company(
        name="Souss Tourisme", sector="tourism", region="souss-massa", size_band="small"
    )
    rabat = factories.make_company(
        name="Rabat Commerce", sector="retail", region="rabat-sale-kenitra", size_band="micro"
    )
    fes = factories.make_company(
        name="Fès Atelier", sector="handicrafts", region="fes-meknes", size_band="medium"
    )
    place(atlas, cohort_a)
    place(souss, cohort_a)
    place(rabat, cohort_b)

    lead = Membership.Role.LEAD
    atlas_lead = factories.add_member(atlas, factories.make_user(email="lead@atlas.ma"), lead)
    atlas_employee = factories.add_member(atlas, factories.make_user(email="staff@atlas.ma"))
    souss_lead = factories.add_member(souss, factories.make_user(email="lead@souss.ma"), lead)
    rabat_employee = factories.add_member(rabat, factories.make_user(email="staff@rabat.ma"))
    Invitation.objects.create(email="lead@rabat.ma", company=rabat, role=lead)

    submit(instrument, atlas, "T0", 30, "average", {"D1": 20, "D2": 35}, days_ago=200)
    submit(instrument, atlas, "T1", 60, "moderately_advanced", {"D1": 50, "D2": 65}, 10)
    submit(instrument, souss, "T0", 10, "basic", {"D1": 10, "D2": 10}, days_ago=190)
    submit(instrument, souss, "T1", 35, "average", {"D1": 30, "D2": 38}, days_ago=5)
    submit(instrument, rabat, "T0", 80, "advanced", {"D1": 70, "D2": 85}, days_ago=180)

    key = course.translation_key
    done = timezone.now()
    Enrolment.objects.create(user=atlas_employee, course_key=key, completed_at=done)
    Enrolment.objects.create(user=atlas_lead, course_key=key)
    Enrolment.objects.create(user=rabat_employee, course_key=key, completed_at=done)
    Enrolment.objects.create(user=factories.make_user(), course_key=key, completed_at=done)
    Certificate.objects.create(
        user=atlas_employee,
        course_key=key,
        learner_name="Staff Atlas",
        course_title="Culture",
        language="fr",
    )

    session_a = held_session(cohort_a, "Séance 1", days_ago=20)
    attend(session_a, atlas_lead, 1)
    attend(session_a, atlas_employee, 1)
    attend(session_a, atlas_employee, 2)
    attend(session_a, coach_a, 1)
    held_session(cohort_b, "Séance 1", days_ago=20)
    upcoming = timezone.now() + timedelta(days=7)
    LiveSession.objects.create(
        cohort=cohort_a, title="Séance 2", starts_at=upcoming, ends_at=upcoming + timedelta(hours=1)
    )

    ActionItem.objects.create(company=atlas, text="Ouvrir une boutique", done_at=done)
    ActionItem.objects.create(company=atlas, text="Photos des produits")
    ActionItem.objects.create(company=souss, text="Réservation en ligne")
    ActionItem.objects.create(company=fes, text="Facturation électronique", done_at=done)

    return SmallProgramme(
        programme=programme,
        cohort_a=cohort_a,
        cohort_b=cohort_b,
        atlas=atlas,
        souss=souss,
        rabat=rabat,
        fes=fes,
        instrument=instrument,
        course=course,
        manager=factories.make_user(email="manager@example.ma", role="manager"),
        coach_a=coach_a,
        coach_b=coach_b,
        atlas_lead=atlas_lead,
        atlas_employee=atlas_employee,
        souss_lead=souss_lead,
        rabat_employee=rabat_employee,
    )
