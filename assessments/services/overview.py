"""What a person has to take and has taken: the "My assessments" page and the dashboard card.

Read in four queries whatever the number of companies, instruments or stages: the person's
memberships, the companies they follow (a coach's cohorts), the open instruments, and the live
responses of those companies and their own.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from virage_site.companies.models import Membership

from ..display import shown_score
from ..levels import level_label
from ..models import Audience, Instrument, Response, Stage
from ..permissions import followed_companies
from .responses import first_stage_not_in


@dataclass
class InstrumentStatus:
    """One instrument for one subject (a company, or the person themself)."""

    instrument: Instrument
    company: object = None
    can_answer: bool = False
    draft: Response | None = None
    submitted: list = field(default_factory=list)

    @property
    def stage(self):
        """The stage to take now, as services.responses.next_stage decides it."""
        return first_stage_not_in({response.stage for response in self.submitted})

    @property
    def stage_label(self):
        return Stage(self.stage).label if self.stage else ""

    @property
    def action(self):
        """ "resume" a draft, "start" the next stage, or None."""
        if not self.can_answer or self.stage is None:
            return None
        if self.draft is not None:
            return "resume"
        return "start" if self.instrument.stage_is_open(self.stage) else None

    @property
    def waits_for_stage(self):
        """The next stage exists but the programme has not opened it yet."""
        return (
            self.stage is not None
            and self.draft is None
            and not self.instrument.stage_is_open(self.stage)
        )

    @property
    def results(self):
        return [ResultSummary(response, self) for response in self.submitted]

    @property
    def latest(self):
        return max(self.submitted, key=lambda r: r.submitted_at, default=None)


@dataclass
class CompanyAssessments:
    company: object
    is_lead: bool
    instruments: list


@dataclass
class Overview:
    companies: list
    personal: list
    # Companies followed without belonging to them (a coach's cohorts): results to read.
    followed: list = field(default_factory=list)

    @property
    def statuses(self):
        return [s for c in self.companies for s in c.instruments] + self.personal

    @property
    def to_take(self):
        return [status for status in self.statuses if status.action]

    @property
    def latest_result(self):
        """The most recently submitted result the person can read, with its instrument."""
        found = [(s.latest, s) for s in self.statuses if s.latest is not None]
        if not found:
            return None
        response, status = max(found, key=lambda pair: pair[0].submitted_at)
        return ResultSummary(response, status)


@dataclass
class ResultSummary:
    """A submitted result as lists show it: score rounded for display, level named."""

    response: Response
    status: InstrumentStatus

    @property
    def shown_overall(self):
        return shown_score(self.response.overall)

    @property
    def level_label(self):
        return level_label(self.response.level)


def assessment_overview(user):
    memberships = list(
        Membership.objects.filter(user=user).select_related("company").order_by("company__name")
    )
    followed = list(followed_companies(user).order_by("name"))
    if not memberships and not followed:
        return Overview(companies=[], personal=[])
    instruments = list(Instrument.objects.filter(live=True).order_by("slug"))
    company_ids = [m.company_id for m in memberships] + [c.pk for c in followed]
    responses = (
        Response.objects.filter(instrument__in=[i.pk for i in instruments])
        .filter(Q(company_id__in=company_ids, person__isnull=True) | Q(person=user))
        .exclude(status=Response.Status.REOPENED)
    )
    by_subject = {}
    for response in responses.order_by("stage"):
        key = (response.instrument_id, response.company_id if response.person_id is None else None)
        by_subject.setdefault(key, []).append(response)

    def status(instrument, company=None, can_answer=False):
        found = by_subject.get((instrument.pk, company.pk if company else None), [])
        return InstrumentStatus(
            instrument=instrument,
            company=company,
            can_answer=can_answer,
            draft=next((r for r in found if r.status == Response.Status.DRAFT), None),
            submitted=[r for r in found if r.is_submitted],
        )

    company_instruments = [i for i in instruments if i.audience == Audience.COMPANY]
    person_instruments = [i for i in instruments if i.audience == Audience.PERSON]
    companies = [
        CompanyAssessments(
            company=m.company,
            is_lead=m.role == Membership.Role.LEAD,
            instruments=[
                status(i, m.company, can_answer=m.role == Membership.Role.LEAD)
                for i in company_instruments
            ],
        )
        for m in memberships
    ]
    return Overview(
        companies=companies,
        personal=[status(i, can_answer=True) for i in person_instruments] if memberships else [],
        followed=[
            CompanyAssessments(
                company=company,
                is_lead=False,
                instruments=[status(i, company) for i in company_instruments],
            )
            for company in followed
        ],
    )


def dashboard_assessments(user):
    """What the dashboard's assessments card shows: what to take next and the latest result."""
    overview = assessment_overview(user)
    return {
        "in_a_company": bool(overview.companies),
        "to_take": overview.to_take,
        "latest": overview.latest_result,
    }
