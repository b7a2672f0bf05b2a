"""Live sessions of a seeded cohort: one every six weeks since the programme started, held and
ended, with who came and for how long, and the action items agreed there (some done); then the
next one, scheduled. Rows are built in memory for bulk inserts."""

import datetime

from coaching.models import ActionItem, Attendance, LiveSession, Participant
from coaching.models.sessions import SESSION_TIME_ZONE

EVERY = datetime.timedelta(weeks=6)
LENGTH = datetime.timedelta(minutes=90)
LEAD_COMES = 0.75
EMPLOYEE_COMES = 0.45
LEAVES_EARLY = 0.2
AGREES_ACTION = 0.4
SESSION_PEOPLE_PER_COMPANY = 2  # employees asked to the sessions besides the lead
PARTICIPANT_COLUMNS = (
    "session_id", "user_id", "company_id", "role", "status", "chat_muted", "in_call",
    "first_joined_at",
)  # fmt: skip
ACTION_COLUMNS = (
    "session_id", "company_id", "module_id", "text", "owner_id", "due_on", "done_at",
    "created_by_id", "created_at",
)  # fmt: skip
ATTENDANCE_COLUMNS = (
    "session_id", "user_id", "connection", "opened_at", "last_seen_at", "closed_at",
)  # fmt: skip

TOPICS = [
    "Pourquoi passer au numérique",
    "Les outils numériques du quotidien",
    "Choisir ses canaux de vente",
    "Paiement en ligne et paiement à la livraison",
    "Cybersécurité : les bons réflexes",
    "Protection des données personnelles (loi 09-08)",
    "Facturation électronique et démarches en ligne",
    "Piloter avec les données",
    "Marketing digital et réseaux sociaux",
    "Mesurer ses ventes en ligne",
    "Service client en ligne",
    "Bilan et prochaines étapes",
]
ACTIONS = [
    "Créer le compte WhatsApp Business de l'entreprise",
    "Lister les trois tâches à numériser en premier",
    "Publier la fiche Google Business Profile",
    "Activer la double authentification sur la messagerie",
    "Tester un module de paiement en ligne",
    "Photographier dix produits pour la boutique en ligne",
    "Déclarer le traitement des données clients auprès de la CNDP",
    "Émettre une première facture électronique",
]


def schedule(starts_on, now):
    """Start times of the past sessions (ended before `now`) and of the next one."""
    first = datetime.datetime.combine(
        starts_on + datetime.timedelta(weeks=3), datetime.time(10), tzinfo=SESSION_TIME_ZONE
    )
    past, start = [], first
    while start + LENGTH < now:
        past.append(start)
        start += EVERY
    upcoming = max(start, datetime.datetime.combine(
        (now + datetime.timedelta(days=1)).date(), datetime.time(10), tzinfo=SESSION_TIME_ZONE
    ))  # fmt: skip
    return past, upcoming


class CohortLife:
    """The sessions of a batch of cohorts, then their attendance and action items once the
    sessions have primary keys."""

    def __init__(self, rng, now, starts_on, modules):
        self.rng, self.now = rng, now
        self.past, self.upcoming = schedule(starts_on, now)
        self.modules = modules
        self.sessions, self.plans = [], []

    def plan(self, cohort, coach, members):
        """`members`: [(company, lead, employees, engagement)] of the cohort."""
        for number, starts in enumerate([*self.past, self.upcoming]):
            held = starts < self.now
            session = LiveSession(
                cohort=cohort,
                title=TOPICS[number % len(TOPICS)],
                agenda="",
                starts_at=starts,
                ends_at=starts + LENGTH,
                created_by=coach,
                opened_at=starts if held else None,
                ended_at=starts + LENGTH if held else None,
            )
            self.sessions.append(session)
            self.plans.append((session, number, coach, members, held))

    def modules_rows(self):
        """(session id, module id): the course module on each session's agenda."""
        if not self.modules:
            return []
        return [(session.pk, self._module(number)) for session, number, *_rest in self.plans]

    def _module(self, number):
        return self.modules[number % len(self.modules)]

    def room_rows(self):
        """Participants, attendance and action items of the sessions held, as
        (model, columns or None for model instances, rows) for `seeding.insert`."""
        participants, attendance, actions = [], [], []
        for session, number, coach, members, held in self.plans:
            if not held:
                continue
            starts, ends = session.starts_at, session.ends_at
            participants.append(self._participant(session, coach, None, "moderator"))
            attendance.append(self._connection(session, coach, starts, ends))
            for company, lead, employees, engagement in members:
                people = [(lead, LEAD_COMES)] + [
                    (e, EMPLOYEE_COMES) for e in employees[:SESSION_PEOPLE_PER_COMPANY]
                ]
                for person, comes in people:
                    if self.rng.random() >= comes * (0.6 + engagement / 2):
                        continue
                    participants.append(self._participant(session, person, company, "participant"))
                    attendance.append(self._attendance(session, person))
                if self.rng.random() < AGREES_ACTION:
                    actions.append(self._action(session, number, company, lead, coach, engagement))
        return [
            (Participant, PARTICIPANT_COLUMNS, participants),
            (Attendance, ATTENDANCE_COLUMNS, attendance),
            (ActionItem, ACTION_COLUMNS, actions),
        ]

    def _participant(self, session, user, company, role):
        return (
            session.pk,
            user.pk,
            company.pk if company else None,
            role,
            "admitted",
            False,
            False,
            session.starts_at,
        )

    def _connection(self, session, user, opened, closed):
        return (session.pk, user.pk, f"seed-{session.pk}-{user.pk}", opened, closed, closed)

    def _attendance(self, session, person):
        rng = self.rng
        opened = session.starts_at + datetime.timedelta(minutes=rng.randint(0, 10))
        if rng.random() < LEAVES_EARLY:  # gone before half-time: came, but did not attend
            closed = session.starts_at + datetime.timedelta(minutes=rng.randint(15, 40))
        else:
            closed = session.ends_at - datetime.timedelta(minutes=rng.randint(0, 10))
        return self._connection(session, person, opened, closed)

    def _action(self, session, number, company, lead, coach, engagement):
        rng = self.rng
        starts = session.starts_at
        due_on = (session.ends_at + datetime.timedelta(days=14)).date()
        done_at = None
        if due_on < self.now.date() and rng.random() < 0.4 + engagement / 2:
            done_at = session.ends_at + datetime.timedelta(days=rng.randint(1, 20))
        module = self._module(number) if self.modules else None
        text = rng.choice(ACTIONS)
        return (session.pk, company.pk, module, text, lead.pk, due_on, done_at, coach.pk, starts)
