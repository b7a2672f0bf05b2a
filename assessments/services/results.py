"""A submitted response's results as people read them: scores and levels per dimension,
recommendations, the evolution across the programme's stages and a comparison with similar
companies.

Everything is read in a fixed number of queries whatever the number of dimensions, questions
or companies: the stages from one query on the subject's responses, each comparison from two
database aggregates (one over DimensionScore rows, one over Response rows).
"""

import operator
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from virage_site.companies.models import Membership

from ..display import rounded, shown_score
from ..levels import level_label
from ..models import DimensionScore, Response
from ..scoring import level_for
from ..texts import localized
from .responses import STAGE_ORDER, subject_filter

# Below this many respondents an average says too much about each of them, and too little.
MIN_PEERS = 5


def signed(delta):
    if delta is None:
        return ""
    return f"{delta:+d}" if delta else "0"


@dataclass
class StageScore:
    stage: str
    score: float | None
    delta: int | None = None

    @property
    def shown(self):
        return shown_score(self.score)

    @property
    def shown_delta(self):
        return signed(self.delta)


@dataclass
class PeerRow:
    title: str
    score: float | None
    average: float | None

    @property
    def shown_score(self):
        return shown_score(self.score)

    @property
    def shown_average(self):
        return shown_score(self.average)


@dataclass
class PeerGroup:
    key: str
    label: str
    count: int
    overall: float | None
    dimensions: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)

    @property
    def shown(self):
        return self.count >= MIN_PEERS

    @property
    def shown_overall(self):
        return shown_score(self.overall)


@dataclass
class DimensionResult:
    code: str
    title: str
    score: float | None
    level: str | None
    recommendation: str
    stages: list

    @property
    def shown(self):
        return shown_score(self.score)

    @property
    def level_label(self):
        return level_label(self.level)


@dataclass
class Results:
    response: Response
    title: str
    overall: float | None
    level: str | None
    dimensions: list
    stages: list
    overall_stages: list
    previous_stage: str | None
    peer_groups: list

    @property
    def shown_overall(self):
        return shown_score(self.overall)

    @property
    def level_label(self):
        return level_label(self.level)

    @property
    def shown_peer_groups(self):
        return [group for group in self.peer_groups if group.shown]


def _evolution(stages, scores_by_stage):
    """One StageScore per stage, each with its change since the stage before, computed on the
    shown (rounded) figures so that the table adds up as read."""
    row, before = [], None
    for stage in stages:
        score = scores_by_stage.get(stage)
        delta = None
        if before is not None and score is not None:
            delta = rounded(score) - rounded(before)
        row.append(StageScore(stage, score, delta))
        if score is not None:
            before = score
    return row


def _history(response):
    """The subject's results at each stage: {stage: response}, the response shown included
    even when a programme manager has since reopened it."""
    found = {
        r.stage: r
        for r in Response.objects.filter(
            **subject_filter(response.instrument, response.company_id, response.person_id),
            status=Response.Status.SUBMITTED,
        ).only("id", "stage", "overall", "scores")
    }
    found[response.stage] = response
    return found


def build_results(response, with_peers=True):
    """The Results of a submitted `response` (with instrument, version and company loaded).
    `with_peers=False` leaves out the comparison with similar companies or colleagues (two
    aggregates), for pages that do not show it."""
    definition = response.version.definition
    levels = definition.get("levels")
    history = _history(response)
    stages = [stage for stage in STAGE_ORDER if stage in history]
    earlier = [
        stage for stage in stages if STAGE_ORDER.index(stage) < STAGE_ORDER.index(response.stage)
    ]
    groups = peer_groups(response) if with_peers else []
    dimensions = []
    for dimension in definition["dimensions"]:
        code = dimension["code"]
        score = response.scores.get(code)
        level = level_for(levels, score)
        dimensions.append(
            DimensionResult(
                code=code,
                title=localized(dimension.get("title")) or code,
                score=score,
                level=level,
                recommendation=localized(dimension.get("recommendations", {}).get(level)),
                stages=_evolution(stages, {s: history[s].scores.get(code) for s in stages}),
            )
        )
    for group in groups:
        group.rows = [PeerRow(d.title, d.score, group.dimensions.get(d.code)) for d in dimensions]
    return Results(
        response=response,
        title=localized(definition.get("title")) or response.instrument.slug,
        overall=response.overall,
        level=response.level or level_for(levels, response.overall),
        dimensions=dimensions,
        stages=stages,
        overall_stages=_evolution(stages, {s: history[s].overall for s in stages}),
        previous_stage=earlier[-1] if earlier else None,
        peer_groups=groups,
    )


def peer_groups(response):
    """Who the response is compared with: similar companies, or a person's colleagues."""
    if response.person_id is not None:
        return [_colleagues(response)]
    return _similar_companies(response, response.company)


def _same_stage_results(response):
    return {
        "instrument": response.instrument_id,
        "stage": response.stage,
        "status": Response.Status.SUBMITTED,
    }


def _similar_companies(response, company):
    """Averages of the other companies' results at the same stage of the same instrument: those
    of the same sector, and those of the same size. At most one live submitted response exists
    per company and stage, so each company counts once, with its latest result."""
    criteria = {
        "sector": {"company__sector": company.sector},
        "size": {"company__size_band": company.size_band},
    }
    others = (
        Response.objects.filter(
            **_same_stage_results(response), person__isnull=True, company__isnull=False
        )
        .exclude(company=company)
        .filter(_any_of(criteria.values()))
    )
    totals = others.aggregate(
        **{f"{key}_overall": Avg("overall", filter=Q(**c)) for key, c in criteria.items()},
        **{
            f"{key}_count": Count("company", distinct=True, filter=Q(**c))
            for key, c in criteria.items()
        },
    )
    per_dimension = _dimension_averages(others, criteria)
    labels = {
        "sector": _("Companies of the same sector (%(sector)s)")
        % {"sector": company.get_sector_display()},
        "size": _("Companies of the same size (%(size)s)")
        % {"size": company.get_size_band_display()},
    }
    return [
        PeerGroup(
            key=key,
            label=labels[key],
            count=totals[f"{key}_count"],
            overall=totals[f"{key}_overall"],
            dimensions=per_dimension[key],
        )
        for key in criteria
    ]


def _any_of(criteria):
    return reduce(operator.or_, (Q(**criterion) for criterion in criteria))


def _colleagues(response):
    """The average of the person's colleagues (members of the same companies) at the same stage."""
    colleagues = (
        Membership.objects.filter(
            company__in=Membership.objects.filter(user=response.person_id).values("company")
        )
        .exclude(user=response.person_id)
        .values("user")
    )
    others = Response.objects.filter(**_same_stage_results(response), person__in=colleagues)
    totals = others.aggregate(overall=Avg("overall"), count=Count("person", distinct=True))
    return PeerGroup(
        key="colleagues",
        label=_("Your colleagues"),
        count=totals["count"],
        overall=totals["overall"],
        dimensions=_dimension_averages(others, {"colleagues": {}})["colleagues"],
    )


def _dimension_averages(responses, criteria):
    """{group key: {dimension code: average}} over the DimensionScore rows of `responses`, in one
    query grouped by dimension code; `criteria` are the groups' conditions on the response."""
    averages = {
        f"{key}_average": Avg(
            "score", filter=Q(**{f"response__{name}": v for name, v in criterion.items()})
        )
        if criterion
        else Avg("score")
        for key, criterion in criteria.items()
    }
    rows = (
        DimensionScore.objects.filter(response__in=responses.values("pk"))
        .values("code")
        .annotate(**averages)
        .order_by()
    )
    found = {key: {} for key in criteria}
    for row in rows:
        for key in criteria:
            found[key][row["code"]] = row[f"{key}_average"]
    return found
