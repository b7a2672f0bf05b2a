"""A small programme whose figures can be worked out by hand, for the coach's page, the company
report and the permission matrix.

Cohort "Promotion Fès" (coach Amal): Zellige (lead + two employees) and Argan (lead only).
Cohort "Promotion Agadir" (coach Karim): Tannerie (lead + one employee) and Cèdre, which was in
Fès before it moved to Agadir.

Maturity (instrument "small": D1 weight 1, D2 weight 2):
- Zellige: T0 every answer at its lowest (0, 0, overall 0); T1 D1 at its best, D2 at its lowest
  (100, 0, overall 100/3 → 33). Change since T0: +33.
- Argan: T0 at its best (100, 100, overall 100), nothing since.
- Tannerie: T0 at its lowest (overall 0).

Courses (counted from enrolments): Zellige's lead follows two courses and completed one; Salma
follows one and completed it (three lessons); Youssef follows one (one lesson). Zellige: 4
followed, 2 completed.

Live sessions of Fès: two held (an hour each, over) and one to come. Salma was there for the
whole first one, Youssef for ten minutes of it (not attended: less than half), the lead for the
whole second one. Zellige attended 2 of 2; Argan 0 of 2.

Action items: Zellige 2 done and 1 open; Argan none; Tannerie 1 open.
"""

import datetime
import itertools
import uuid
from dataclasses import dataclass

from django.utils import timezone

from coaching.models import ActionItem, Attendance, Cohort, CohortCompany, LiveSession, Programme
from courses.models import Enrolment, LessonCompletion
from tests import factories
from tests.assessments.taking_helpers import HIGH, LOW, company_instrument, submitted
from virage_site.companies.models import Membership

# D1 at its best, D2 at its lowest.
MIXED = {"Q1": 3, "Q2": [1, 2], "Q3": {str(n): ["done"] for n in range(1, 5)}, "Q4": LOW["Q4"]}

_connections = itertools.count(1)


@dataclass
class World:
    programme: Programme
    fes: Cohort
    agadir: Cohort
    zellige: object
    argan: object
    tannerie: object
    cedre: object
    coach_fes: object
    coach_agadir: object
    lead_zellige: object
    salma: object
    youssef: object
    lead_argan: object
    lead_tannerie: object
    employee_tannerie: object
    lead_cedre: object
    manager: object
    sessions: list


def person(first, last, role=None):
    return factories.make_user(
        email=f"{first.lower()}.{last.lower()}@example.ma",
        first_name=first,
        last_name=last,
        role=role,
    )


def member(company, first, last, role=Membership.Role.EMPLOYEE):
    return factories.add_member(company, person(first, last), role=role)


def enrol(user, completed=False, lessons=0):
    course_key = uuid.uuid4()
    Enrolment.objects.create(
        user=user, course_key=course_key, completed_at=timezone.now() if completed else None
    )
    for _ in range(lessons):
        LessonCompletion.objects.create(user=user, course_key=course_key, lesson_key=uuid.uuid4())


def session(cohort, title, starts_at, minutes=60):
    return LiveSession.objects.create(
        cohort=cohort,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=minutes),
    )


def present(session, user, minutes):
    opened = session.starts_at
    closed = opened + datetime.timedelta(minutes=minutes)
    Attendance.objects.create(
        session=session,
        user=user,
        connection=f"connection-{next(_connections)}",
        opened_at=opened,
        last_seen_at=closed,
        closed_at=closed,
    )


def place(cohort, company, joined_days_ago=30, left_days_ago=None):
    now = timezone.now()
    return CohortCompany.objects.create(
        cohort=cohort,
        company=company,
        joined_at=now - datetime.timedelta(days=joined_days_ago),
        left_at=now - datetime.timedelta(days=left_days_ago) if left_days_ago else None,
    )


def build_programme():
    instrument = company_instrument()
    programme = Programme.objects.create(
        name="TPME Maroc", starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2027, 6, 30)
    )
    fes = Cohort.objects.create(programme=programme, name="Promotion Fès")
    agadir = Cohort.objects.create(programme=programme, name="Promotion Agadir")
    coach_fes = person("Amal", "Coach", role="coach")
    coach_agadir = person("Karim", "Coach", role="coach")
    fes.coaches.add(coach_fes)
    agadir.coaches.add(coach_agadir)

    zellige = factories.make_company(name="Zellige")
    argan = factories.make_company(name="Argan")
    tannerie = factories.make_company(name="Tannerie")
    cedre = factories.make_company(name="Cèdre")
    place(fes, zellige)
    place(fes, argan)
    place(agadir, tannerie)
    place(fes, cedre, joined_days_ago=60, left_days_ago=20)
    place(agadir, cedre, joined_days_ago=20)

    lead_zellige = member(zellige, "Nadia", "Zellige", role=Membership.Role.LEAD)
    salma = member(zellige, "Salma", "Bennani")
    youssef = member(zellige, "Youssef", "Alaoui")
    lead_argan = member(argan, "Omar", "Argan", role=Membership.Role.LEAD)
    lead_tannerie = member(tannerie, "Hind", "Tannerie", role=Membership.Role.LEAD)
    employee_tannerie = member(tannerie, "Rachid", "Tazi")
    lead_cedre = member(cedre, "Fatima", "Cedre", role=Membership.Role.LEAD)

    submitted(instrument, LOW, company=zellige)
    submitted(instrument, MIXED, company=zellige)
    submitted(instrument, HIGH, company=argan)
    submitted(instrument, LOW, company=tannerie)

    enrol(lead_zellige, completed=True)
    enrol(lead_zellige)
    enrol(salma, completed=True, lessons=3)
    enrol(youssef, lessons=1)
    enrol(employee_tannerie, completed=True, lessons=2)

    now = timezone.now()
    first = session(fes, "Vendre en ligne", now - datetime.timedelta(days=14))
    second = session(fes, "Paiement en ligne", now - datetime.timedelta(days=7))
    session(fes, "Livraison", now + datetime.timedelta(days=7))
    present(first, salma, 60)
    present(first, youssef, 10)
    present(second, lead_zellige, 60)

    ActionItem.objects.create(company=zellige, text="Créer la page Facebook", done_at=now)
    ActionItem.objects.create(company=zellige, text="Photographier le catalogue", done_at=now)
    ActionItem.objects.create(
        company=zellige, text="Ouvrir WhatsApp Business", owner=salma, due_on=now.date()
    )
    ActionItem.objects.create(company=tannerie, text="Action de la tannerie")

    return World(
        programme=programme,
        fes=fes,
        agadir=agadir,
        zellige=zellige,
        argan=argan,
        tannerie=tannerie,
        cedre=cedre,
        coach_fes=coach_fes,
        coach_agadir=coach_agadir,
        lead_zellige=lead_zellige,
        salma=salma,
        youssef=youssef,
        lead_argan=lead_argan,
        lead_tannerie=lead_tannerie,
        employee_tannerie=employee_tannerie,
        lead_cedre=lead_cedre,
        manager=person("Meriem", "Manager", role="manager"),
        sessions=[first, second],
    )
