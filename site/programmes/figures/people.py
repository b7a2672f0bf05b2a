"""Figures for the coach's page and a company's report: maturity, course progress, live-session
attendance and action items, per company and per person.

Each function runs a fixed number of queries whatever the number of cohorts, companies, people,
sessions or connections: rows are read in bulk and grouped here.

"Attended" is the coaching app's rule (present at least half of the session: coaching.stats), on
sessions that are over; a company attended a session when at least one of its people did.
Maturity reads the dashboards' default instrument (figures.selection), so both tell the same.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from assessments.display import rounded, shown_score
from assessments.levels import level_label
from assessments.models import Response, Stage
from assessments.services.results import signed
from coaching.models import ActionItem, Attendance, LiveSession
from coaching.stats import attendance_threshold, present_seconds, window
from courses.services.overview import progress_by_user
from virage_site.companies.models import Membership

from .selection import default_instrument

STAGES = list(Stage.values)


@dataclass
class Maturity:
    """A company's latest submitted maturity result and its change since T0."""

    stage: str
    overall: float | None
    level: str
    first_overall: float | None

    @property
    def delta(self):
        if self.stage == Stage.T0 or self.overall is None or self.first_overall is None:
            return None
        return rounded(self.overall) - rounded(self.first_overall)

    @property
    def shown_overall(self):
        return shown_score(self.overall)

    @property
    def shown_delta(self):
        return signed(self.delta)

    @property
    def level_label(self):
        return level_label(self.level)


def maturity_by_company(instrument, company_ids):
    """{company id: Maturity} for the companies that submitted `instrument` at least once."""
    if instrument is None:
        return {}
    rows = Response.objects.submitted().filter(
        instrument=instrument, company_id__in=company_ids, person__isnull=True
    )
    by_company = {}
    for company_id, stage, overall, level in rows.values_list(
        "company_id", "stage", "overall", "level"
    ):
        by_company.setdefault(company_id, {})[stage] = (overall, level)
    found = {}
    for company_id, stages in by_company.items():
        latest = max(stages, key=STAGES.index)
        overall, level = stages[latest]
        first = stages.get(Stage.T0, (None, ""))[0]
        found[company_id] = Maturity(latest, overall, level, first)
    return found


def held_sessions(cohort_ids, now=None):
    """The cohorts' sessions that are over, oldest first."""
    return list(
        LiveSession.objects.filter(cohort_id__in=cohort_ids)
        .over(now)
        .select_related("cohort")
        .order_by("starts_at", "pk")
    )


def attended_pairs(sessions, user_ids, now=None):
    """{(session id, user id)} of the people among `user_ids` who attended each session."""
    if not sessions or not user_ids:
        return set()
    now = now or timezone.now()
    intervals = {}
    connections = Attendance.objects.filter(
        session_id__in=[s.pk for s in sessions], user_id__in=user_ids
    ).values_list("session_id", "user_id", "opened_at", "last_seen_at", "closed_at")
    for session_id, user_id, opened_at, last_seen_at, closed_at in connections:
        # Sessions here are over: a connection never closed ended when last heard from.
        intervals.setdefault((session_id, user_id), []).append(
            (opened_at, closed_at or last_seen_at)
        )
    by_id = {s.pk: s for s in sessions}
    attended = set()
    for (session_id, user_id), spans in intervals.items():
        session = by_id[session_id]
        start, end = window(session)
        threshold = attendance_threshold(session)
        if threshold > 0 and present_seconds(spans, start, min(end, now)) >= threshold:
            attended.add((session_id, user_id))
    return attended


def action_counts(company_ids):
    """{company id: (done, total)}."""
    rows = (
        ActionItem.objects.filter(company_id__in=company_ids)
        .values("company_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False)))
        .order_by()
    )
    return {row["company_id"]: (row["done"], row["total"]) for row in rows}


def members_by_company(company_ids):
    """{company id: [user ids]} of the companies' people, leads included."""
    found = {company_id: [] for company_id in company_ids}
    for company_id, user_id in Membership.objects.filter(company_id__in=company_ids).values_list(
        "company_id", "user_id"
    ):
        found[company_id].append(user_id)
    return found


@dataclass
class CompanyRow:
    company: object
    maturity: Maturity | None
    people: int
    enrolled: int
    completed: int
    sessions_attended: int
    sessions_held: int
    actions_done: int
    actions_total: int


@dataclass
class CohortFigures:
    cohort: object
    sessions_held: int
    companies: list = field(default_factory=list)


def coach_figures(cohorts, placements, now=None):
    """One CohortFigures per cohort, its companies in name order. `placements` are the current
    places (with their companies loaded) of those cohorts."""
    cohorts = list(cohorts)
    placements = list(placements)
    company_ids = sorted({p.company_id for p in placements})
    members = members_by_company(company_ids)
    user_ids = sorted({uid for ids in members.values() for uid in ids})
    progress = progress_by_user(user_ids)
    maturity = maturity_by_company(default_instrument(), company_ids)
    actions = action_counts(company_ids)
    sessions = held_sessions([c.pk for c in cohorts], now)
    attended = attended_pairs(sessions, user_ids, now)
    sessions_of = {}
    for session in sessions:
        sessions_of.setdefault(session.cohort_id, []).append(session.pk)

    found = {c.pk: CohortFigures(c, len(sessions_of.get(c.pk, []))) for c in cohorts}
    for placement in sorted(placements, key=lambda p: (p.company.name.casefold(), p.company_id)):
        people = members[placement.company_id]
        cohort_sessions = sessions_of.get(placement.cohort_id, [])
        done, total = actions.get(placement.company_id, (0, 0))
        found[placement.cohort_id].companies.append(
            CompanyRow(
                company=placement.company,
                maturity=maturity.get(placement.company_id),
                people=len(people),
                enrolled=sum(progress[uid]["enrolled"] for uid in people),
                completed=sum(progress[uid]["completed"] for uid in people),
                sessions_attended=sum(
                    1
                    for session_id in cohort_sessions
                    if any((session_id, uid) in attended for uid in people)
                ),
                sessions_held=len(cohort_sessions),
                actions_done=done,
                actions_total=total,
            )
        )
    return [found[c.pk] for c in cohorts]


@dataclass
class PersonRow:
    membership: Membership
    enrolled: int
    completed: int
    lessons_done: int
    sessions_attended: int


@dataclass
class SessionRow:
    session: LiveSession
    attended: int


@dataclass
class CompanyFigures:
    people: list
    sessions: list
    open_actions: list
    done_actions: list

    @property
    def enrolled(self):
        return sum(p.enrolled for p in self.people)

    @property
    def completed(self):
        return sum(p.completed for p in self.people)

    @property
    def lessons_done(self):
        return sum(p.lessons_done for p in self.people)

    @property
    def sessions_attended(self):
        return sum(1 for s in self.sessions if s.attended)


def company_figures(company, cohort_ids, now=None):
    """A company's people with their progress and attendance, the sessions held for the cohorts
    `cohort_ids` with how many of its people attended each, and its action items."""
    memberships = sorted(
        Membership.objects.filter(company=company).select_related("user"),
        key=lambda m: (m.role != Membership.Role.LEAD, m.user.display_name.casefold(), m.pk),
    )
    user_ids = [m.user_id for m in memberships]
    progress = progress_by_user(user_ids)
    sessions = held_sessions(cohort_ids, now)
    attended = attended_pairs(sessions, user_ids, now)
    people = [
        PersonRow(
            membership=m,
            **progress[m.user_id],
            sessions_attended=sum(1 for s in sessions if (s.pk, m.user_id) in attended),
        )
        for m in memberships
    ]
    rows = [SessionRow(s, sum(1 for uid in user_ids if (s.pk, uid) in attended)) for s in sessions]
    items = list(company.action_items.select_related("owner"))
    return CompanyFigures(
        people=people,
        sessions=rows,
        open_actions=[i for i in items if i.done_at is None],
        done_actions=[i for i in items if i.done_at is not None],
    )
