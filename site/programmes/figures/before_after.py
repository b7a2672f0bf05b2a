"""Before and after: the average maturity score per dimension at the compared stages (T0 → T1,
T1 → T2, T0 → T2 or all three) and how it changed, for the whole selection and by cohort,
sector, region or size.

A **paired** comparison: only companies with a submitted result at every compared stage count,
so that a change reads as the same companies' progress, not as a change in who answered. Each
table costs two aggregate queries (overall scores, dimension scores) plus the names of the
dimensions and, by cohort, of the cohorts, whatever the number of companies."""

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import DimensionScore, Response
from coaching.models import Cohort
from virage_site.companies.choices import Region, Sector, SizeBand

from .overview import dimension_titles
from .selection import current_place
from .tables import Chart, Table, average, difference

COMPARISONS = {
    "T0-T1": ("T0", "T1"),
    "T1-T2": ("T1", "T2"),
    "T0-T2": ("T0", "T2"),
    "T0-T1-T2": ("T0", "T1", "T2"),
}
COMPARISON_CHOICES = [(key, " → ".join(stages)) for key, stages in COMPARISONS.items()]
DEFAULT_COMPARISON = "T0-T1"

GROUP_CHOICES = [
    ("", gettext_lazy("None: all companies together")),
    ("cohort", gettext_lazy("Cohort")),
    ("sector", gettext_lazy("Sector")),
    ("region", gettext_lazy("Region")),
    ("size_band", gettext_lazy("Size")),
]
GROUP_LABELS = dict(GROUP_CHOICES)
CHOICE_NAMES = {"sector": Sector, "region": Region, "size_band": SizeBand}
OVERALL = ""  # the code under which the overall score sits beside the dimensions


def paired_companies(selection, stages):
    """Ids of the selected companies with a submitted result at every one of `stages`, as a
    subquery."""
    return (
        selection.company_responses()
        .filter(stage__in=stages)
        .values("company")
        .annotate(stages=Count("stage", distinct=True))
        .filter(stages=len(stages))
        .values("company")
    )


def _grouped(queryset, prefix, selection, group):
    """`queryset` (of responses, or of rows reached by `prefix` from a response) ready to be
    grouped, and the field naming the group. A company counts in the cohort it is in now, of
    the chosen programme or cohort: the condition is applied in the same filter as the grouping
    reads it, so both use the same join."""
    if not group:
        return queryset, None
    company = f"{prefix}company__"
    if group != "cohort":
        return queryset, company + group
    place = company + "cohort_placements__"
    condition = current_place(place) & Q(**{f"{place}cohort__isnull": False})
    if selection.cohort is not None:
        condition &= Q(**{f"{place}cohort": selection.cohort})
    elif selection.programme is not None:
        condition &= Q(**{f"{place}cohort__programme": selection.programme})
    return queryset.filter(condition), f"{place}cohort_id"


def _paired(selection, stages, prefix=""):
    """The condition for the submitted results of paired companies at `stages`, on a Response
    or on the rows `prefix` leads from (so that scores join their response directly)."""
    return Q(
        **{
            f"{prefix}instrument": selection.instrument,
            f"{prefix}person__isnull": True,
            f"{prefix}status": Response.Status.SUBMITTED,
            f"{prefix}stage__in": stages,
            f"{prefix}company__in": paired_companies(selection, stages),
        }
    )


def stage_averages(selection, stages, group=""):
    """{group: {"companies": n, code: {stage: average}}} with the overall score under OVERALL;
    the group is None without grouping. Two queries."""
    found = {}
    overall, key = _grouped(
        Response.objects.filter(_paired(selection, stages)), "", selection, group
    )
    for row in (
        overall.values(*filter(None, [key, "stage"]))
        .annotate(average=Avg("overall"), companies=Count("company", distinct=True))
        .order_by()
    ):
        entry = found.setdefault(row[key] if key else None, {"companies": 0})
        entry.setdefault(OVERALL, {})[row["stage"]] = average(row["average"])
        entry["companies"] = max(entry["companies"], row["companies"])
    scores, key = _grouped(
        DimensionScore.objects.filter(_paired(selection, stages, "response__")),
        "response__",
        selection,
        group,
    )
    for row in (
        scores.values(*filter(None, [key, "code", "response__stage"]))
        .annotate(average=Avg("score"))
        .order_by()
    ):
        entry = found.setdefault(row[key] if key else None, {"companies": 0})
        entry.setdefault(row["code"], {})[row["response__stage"]] = average(row["average"])
    return found


def changes(stages):
    """The (before, after) pairs a table shows: each step, and the whole way over three stages."""
    steps = list(zip(stages, stages[1:], strict=False))
    if len(stages) > 2:
        steps.append((stages[0], stages[-1]))
    return steps


def _columns(stages):
    return [
        _("Companies"),
        *(_("Average at %(stage)s") % {"stage": stage} for stage in stages),
        *(
            _("Change %(before)s → %(after)s") % {"before": a, "after": b}
            for a, b in changes(stages)
        ),
    ]


def _values(by_stage, stages):
    return [
        *(by_stage.get(stage) for stage in stages),
        *(difference(by_stage.get(b), by_stage.get(a)) for a, b in changes(stages)),
    ]


def _rows_of(entry, titles, stages):
    """One row per dimension and one for the overall score: [title, companies, values...]."""
    return [
        [title, entry.get("companies", 0), *_values(entry.get(code, {}), stages)]
        for code, title in [*titles.items(), (OVERALL, _("Overall score"))]
    ]


def _note(stages):
    return _(
        "Paired comparison: only the companies with a submitted result at each of %(stages)s "
        "count, so that every average is over the same companies. Scores out of 100."
    ) % {"stages": ", ".join(stages)}


def before_after(selection, comparison=DEFAULT_COMPARISON):
    """Per dimension, the averages at each compared stage and the changes: 3 queries."""
    stages = COMPARISONS[comparison]
    titles = dimension_titles(selection.instrument)
    entry = stage_averages(selection, stages).get(None, {}) if selection.instrument else {}
    return Table(
        name="before_after",
        title=_("Before and after, by dimension"),
        columns=[_("Dimension"), *_columns(stages)],
        rows=_rows_of(entry, titles, stages) if entry else [],
        note=_note(stages),
        chart=Chart(
            columns=tuple(range(2, 2 + len(stages))),
            maximum=100,
            description=_("Bar chart of the average score by dimension at %(stages)s.")
            % {"stages": ", ".join(stages)},
        ),
    )


def _group_names(group, keys):
    if group == "cohort":
        return dict(Cohort.objects.filter(pk__in=keys).values_list("pk", "name"))
    names = CHOICE_NAMES[group]
    return {key: names(key).label if key in names.values else key for key in keys}


def by_group(selection, comparison=DEFAULT_COMPARISON, group="cohort"):
    """The same comparison per cohort, sector, region or size: two tables, the change in the
    overall score per group (charted) and every dimension per group. 4 queries."""
    stages = COMPARISONS[comparison]
    titles = dimension_titles(selection.instrument)
    found = stage_averages(selection, stages, group) if selection.instrument else {}
    names = _group_names(group, [key for key in found if key is not None])
    ordered = sorted(names, key=lambda key: str(names[key]).casefold())
    first, last = stages[0], stages[-1]
    summary = Table(
        name="change_by_group",
        title=_("Change in the overall score, by %(group)s")
        % {"group": str(GROUP_LABELS[group]).lower()},
        columns=[
            GROUP_LABELS[group],
            _("Companies"),
            _("Average at %(stage)s") % {"stage": first},
            _("Average at %(stage)s") % {"stage": last},
            _("Change %(before)s → %(after)s") % {"before": first, "after": last},
        ],
        rows=[
            [
                names[key],
                found[key]["companies"],
                found[key].get(OVERALL, {}).get(first),
                found[key].get(OVERALL, {}).get(last),
                difference(
                    found[key].get(OVERALL, {}).get(last), found[key].get(OVERALL, {}).get(first)
                ),
            ]
            for key in ordered
        ],
        note=_note(stages),
        chart=Chart(
            columns=(4,),
            description=_("Bar chart of the change in the average overall score, in points."),
        ),
    )
    detail = Table(
        name="dimensions_by_group",
        title=_("Before and after by dimension, by %(group)s")
        % {"group": str(GROUP_LABELS[group]).lower()},
        columns=[GROUP_LABELS[group], _("Dimension"), *_columns(stages)],
        rows=[
            [names[key], *row] for key in ordered for row in _rows_of(found[key], titles, stages)
        ],
        note=_note(stages),
        header_cells=2,
    )
    return [summary, detail]
