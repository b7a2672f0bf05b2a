"""Cohort formation: which companies a manager may group into a programme's new cohorts, and how.

Companies are chosen by their latest maturity level (the latest submitted response to a company
instrument), sector, region, size band and the stages they have completed; only companies with
no place yet in the programme are offered. They are then split into cohorts of at most the
chosen size, as even as possible (so the last one is never a handful):

- "balanced": each cohort gets a mix of maturity, by a snake draft down the overall scores;
- "grouped": companies of similar maturity together, the ranking cut into consecutive slices.

Everything is deterministic (ties broken by name, then id), so the preview a manager reads is
what confirming creates; confirming computes the plan again under the programme's lock and
refuses if it changed meanwhile. A fixed number of queries whatever the number of companies.
"""

import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from assessments.levels import LEVEL_LABELS
from assessments.models import Response
from coaching.models import Cohort, Programme
from coaching.placements import current_places, place_many
from virage_site.companies.models import Company

BALANCED = "balanced"
GROUPED = "grouped"
STRATEGIES = [
    (BALANCED, _("Balanced: each cohort mixes maturity levels")),
    (GROUPED, _("Grouped: companies of similar maturity together")),
]
NOT_ASSESSED = "none"
LEVEL_CHOICES = [*LEVEL_LABELS.items(), (NOT_ASSESSED, _("Not assessed yet"))]
MIN_SIZE, MAX_SIZE = 2, 200
INSERT_BATCH = 300


class PlanChanged(Exception):
    """The companies matching the criteria changed between the preview and the confirmation."""

    def __init__(self, plan):
        super().__init__()
        self.plan = plan


@dataclass(frozen=True)
class Criteria:
    programme: Programme
    levels: tuple = ()
    sectors: tuple = ()
    regions: tuple = ()
    sizes: tuple = ()
    stage: str = ""


@dataclass(frozen=True)
class Candidate:
    pk: int
    name: str
    sector: str
    region: str
    size_band: str
    level: str
    overall: float | None

    @property
    def level_label(self):
        return LEVEL_LABELS.get(self.level, _("Not assessed yet"))

    def rank_key(self):
        """Highest score first, companies not assessed last; then by name and id."""
        unknown = self.overall is None
        return (unknown, -(self.overall or 0.0), self.name.casefold(), self.pk)


@dataclass
class PlannedCohort:
    name: str
    members: list = field(default_factory=list)

    @property
    def mix(self):
        """(label, count) per maturity level, every level listed, "not assessed" last."""
        counts = Counter(m.level if m.level in LEVEL_LABELS else NOT_ASSESSED for m in self.members)
        return [(label, counts[code]) for code, label in LEVEL_CHOICES]

    @property
    def average(self):
        scores = [m.overall for m in self.members if m.overall is not None]
        return round(sum(scores) / len(scores), 1) if scores else None


@dataclass
class Plan:
    criteria: Criteria
    size: int
    strategy: str
    prefix: str
    cohorts: list

    @property
    def company_count(self):
        return sum(len(c.members) for c in self.cohorts)

    @property
    def fingerprint(self):
        """What the manager saw, to check on confirmation that nothing moved meanwhile."""
        text = ";".join(f"{c.name}:{','.join(str(m.pk) for m in c.members)}" for c in self.cohorts)
        return hashlib.sha256(text.encode()).hexdigest()


def latest_company_responses():
    return (
        Response.objects.submitted()
        .filter(company=OuterRef("pk"), person__isnull=True)
        .order_by("-submitted_at", "-pk")
    )


def candidates(criteria):
    """Companies matching `criteria` with no place yet in its programme, best scores first."""
    latest = latest_company_responses()
    companies = (
        Company.objects.exclude(
            pk__in=current_places()
            .filter(cohort__programme=criteria.programme)
            .values("company_id")
        )
        .annotate(
            level=Subquery(latest.values("level")[:1]),
            overall=Subquery(latest.values("overall")[:1]),
        )
        .order_by()
    )
    for name, values in (
        ("sector", criteria.sectors),
        ("region", criteria.regions),
        ("size_band", criteria.sizes),
    ):
        if values:
            companies = companies.filter(**{f"{name}__in": values})
    if criteria.levels:
        chosen = Q(level__in=[code for code in criteria.levels if code != NOT_ASSESSED])
        if NOT_ASSESSED in criteria.levels:
            chosen |= Q(level__isnull=True) | Q(level="")
        companies = companies.filter(chosen)
    if criteria.stage:
        done = Response.objects.submitted().filter(
            company=OuterRef("pk"), person__isnull=True, stage=criteria.stage
        )
        companies = companies.filter(Exists(done))
    rows = companies.values_list("pk", "name", "sector", "region", "size_band", "level", "overall")
    found = [
        Candidate(pk, name, sector, region, size, level or "", overall)
        for pk, name, sector, region, size, level, overall in rows
    ]
    return sorted(found, key=Candidate.rank_key)


def slice_sizes(count, size):
    """Sizes of ceil(count / size) groups, as even as possible, larger ones first."""
    groups = math.ceil(count / size)
    base, extra = divmod(count, groups)
    return [base + 1 if n < extra else base for n in range(groups)]


def balanced(ranked, size):
    """Snake draft: 1, 2, …, k, k, …, 2, 1, 1, 2, … so that each cohort gets strong and weak."""
    groups = [[] for _ in slice_sizes(len(ranked), size)]
    k = len(groups)
    for index, company in enumerate(ranked):
        lap, seat = divmod(index, k)
        groups[seat if lap % 2 == 0 else k - 1 - seat].append(company)
    return groups


def grouped(ranked, size):
    groups, start = [], 0
    for length in slice_sizes(len(ranked), size):
        groups.append(ranked[start : start + length])
        start += length
    return groups


def cohort_names(programme, prefix, count):
    """`prefix 1`, `prefix 2`, … skipping names the programme already uses."""
    taken = set(Cohort.objects.filter(programme=programme).values_list("name", flat=True))
    names, number = [], 1
    while len(names) < count:
        name = f"{prefix} {number}"
        if name not in taken:
            names.append(name)
        number += 1
    return names


def plan_cohorts(criteria, size, strategy, prefix):
    """The suggested cohorts, not saved."""
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(size)
    ranked = candidates(criteria)
    split = balanced if strategy == BALANCED else grouped
    groups = split(ranked, size) if ranked else []
    names = cohort_names(criteria.programme, prefix, len(groups)) if groups else []
    cohorts = [PlannedCohort(name, members) for name, members in zip(names, groups, strict=True)]
    return Plan(criteria, size, strategy, prefix, cohorts)


def create_cohorts(criteria, size, strategy, prefix, fingerprint):
    """Creates the planned cohorts and places, if the plan computed again now is still the one
    with `fingerprint` (the manager's preview); otherwise raises PlanChanged with the new one."""
    programme = criteria.programme
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        fresh = plan_cohorts(criteria, size, strategy, prefix)
        if fresh.fingerprint != fingerprint or not fresh.cohorts:
            raise PlanChanged(fresh)
        Cohort.objects.bulk_create(
            [Cohort(programme=programme, name=c.name) for c in fresh.cohorts],
            batch_size=INSERT_BATCH,
        )
        ids = dict(Cohort.objects.filter(programme=programme).values_list("name", "pk"))
        pairs = [(ids[c.name], m.pk) for c in fresh.cohorts for m in c.members]
        place_many(programme, pairs)
        return fresh
