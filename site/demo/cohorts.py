"""Demo programme and cohort: the demo coach accompanies the two demo companies that have
people, and so reads their assessment results. The cohort has a live session tomorrow at 10:00
(Casablanca time) with a prepared poll, and one that took place last week, with attendance,
a poll, a question and action items, so that its summary has something to show.

Loading again never changes a session: a new upcoming one is scheduled only when the cohort has
none left (the demo restarted days later), and the past one only once."""

import datetime

from django.db import transaction
from django.utils import timezone

from coaching.models import (
    ActionItem,
    Attendance,
    Cohort,
    LiveSession,
    Participant,
    Poll,
    PollVote,
    Programme,
    Question,
)
from coaching.models.sessions import SESSION_TIME_ZONE
from coaching.room import log
from courses.models import ModulePage
from virage_site.companies.models import Company

PROGRAMME = {
    "name": "Programme TPME 2026–2027",
    "starts_on": datetime.date(2026, 9, 1),
    "ends_on": datetime.date(2028, 2, 29),
}
COHORT = "Promotion 1 — Fès et Souss"
COMPANIES = ["001525363000061", "002233445000078"]
COACH = "coach@virage.ma"
PEOPLE = {
    "lead@zellige-fes.ma": "001525363000061",
    "learner@zellige-fes.ma": "001525363000061",
    "lead@souss-argan.ma": "002233445000078",
}

UPCOMING = {
    "title": "Atelier en direct : choisir ses canaux de vente",
    "agenda": (
        "1. Tour de table : où vendez-vous aujourd'hui ?\n"
        "2. Boutique en ligne, marketplaces ou vente sur les réseaux sociaux : que choisir ?\n"
        "3. Chaque entreprise repart avec une action pour son plan."
    ),
    "module": "choisir-ses-canaux-de-vente",
    "poll": (
        "Où vendez-vous aujourd'hui ?",
        ["En boutique uniquement", "WhatsApp et Instagram", "Une marketplace", "Notre site"],
    ),
}
PAST = {
    "title": "Atelier : pourquoi passer au numérique",
    "agenda": "Les gains concrets du numérique pour une TPME, et les premiers pas de chacun.",
    "module": "numerique-au-service-de-l-entreprise",
    "poll": ("Quel outil utilisez-vous déjà ?", ["WhatsApp Business", "Un tableur", "Aucun"]),
    "question": "Faut-il un site web pour commencer ?",
    "actions": {
        "001525363000061": "Créer le compte WhatsApp Business de l'atelier",
        "002233445000078": "Lister les trois tâches à numériser en premier",
    },
}


def ensure_demo_cohort(users):
    programme, _created = Programme.objects.get_or_create(
        name=PROGRAMME["name"], defaults=PROGRAMME
    )
    cohort, created = Cohort.objects.get_or_create(programme=programme, name=COHORT)
    if created:
        cohort.companies.add(*Company.objects.filter(ice__in=COMPANIES))
        cohort.coaches.add(users[COACH])
    ensure_demo_sessions(cohort, users)
    return cohort


def _demo_module(slug):
    return ModulePage.objects.live().filter(slug=slug, locale__language_code="fr").first()


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SESSION_TIME_ZONE)


def ensure_demo_sessions(cohort, users):
    now = timezone.now()
    today = timezone.localdate(now, SESSION_TIME_ZONE)
    coach = users[COACH]
    if not cohort.sessions.filter(ended_at__isnull=False).exists():
        _past_session(cohort, coach, users, _at(today - datetime.timedelta(days=7), 10))
    if not cohort.sessions.upcoming(now).exists():
        starts = _at(today + datetime.timedelta(days=1), 10)
        session = _session(cohort, coach, UPCOMING, starts, starts + datetime.timedelta(hours=1))
        question, options = UPCOMING["poll"]
        Poll.objects.create(session=session, question=question, options=options, created_by=coach)


def _session(cohort, coach, spec, starts, ends, **fields):
    session = LiveSession.objects.create(
        cohort=cohort,
        title=spec["title"],
        agenda=spec["agenda"],
        starts_at=starts,
        ends_at=ends,
        created_by=coach,
        **fields,
    )
    module = _demo_module(spec["module"])
    if module is not None:
        session.modules.add(module)
    return session


@transaction.atomic
def _past_session(cohort, coach, users, starts):
    ends = starts + datetime.timedelta(minutes=90)
    session = _session(cohort, coach, PAST, starts, ends, opened_at=starts)
    companies = {c.ice: c for c in Company.objects.filter(ice__in=COMPANIES)}
    Participant.objects.create(
        session=session, user=coach, role=Participant.Role.MODERATOR, status="admitted"
    )
    Attendance.objects.create(
        session=session,
        user=coach,
        connection=f"demo-{session.pk}-coach",
        opened_at=starts,
        last_seen_at=ends,
        closed_at=ends,
    )
    log.append(session.pk, "room_opened", {}, actor_id=coach.pk)
    question, options = PAST["poll"]
    poll = Poll.objects.create(
        session=session, question=question, options=options, status="closed", created_by=coach
    )
    # Each person stays less than the one before: the last leaves before half-time, and so
    # has not attended (see coaching.stats).
    for number, (email, ice) in enumerate(PEOPLE.items()):
        person = users.get(email)
        if person is None or ice not in companies:
            continue
        Participant.objects.create(
            session=session,
            user=person,
            company=companies[ice],
            role="participant",
            status="admitted",
        )
        left = ends - datetime.timedelta(minutes=25 * number)
        Attendance.objects.create(
            session=session,
            user=person,
            connection=f"demo-{session.pk}-{person.pk}",
            opened_at=starts + datetime.timedelta(minutes=number),
            last_seen_at=left,
            closed_at=left,
        )
        PollVote.objects.create(poll=poll, user=person, option=number % len(options))
        log.append(
            session.pk,
            "chat",
            {"name": person.display_name, "text": "Bonjour à tous !"},
            actor_id=person.pk,
        )
    Question.objects.create(
        session=session, author=users["lead@souss-argan.ma"], text=PAST["question"], answered=True
    )
    for ice, text in PAST["actions"].items():
        if ice not in companies:
            continue
        ActionItem.objects.create(
            session=session,
            company=companies[ice],
            module=session.modules.first(),
            text=text,
            created_by=coach,
            due_on=(ends + datetime.timedelta(days=14)).date(),
        )
    log.append(session.pk, "room_ended", {}, actor_id=coach.pk)
    session.ended_at = ends  # last: an ended room takes no more events
    session.save(update_fields=["ended_at"])
