from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import get_language_bidi

from .. import charts
from ..models import Response, Stage
from ..paths.service import company_path, person_path
from ..services.results import build_results
from .access import response_to_read

CHART_CAPTION_ID = "radar-caption"


@login_required
def results(request, response_id):
    response = response_to_read(request.user, response_id)
    found = build_results(response)
    return render(
        request,
        "assessments/results.html",
        {
            "results": found,
            "stage_label": Stage(response.stage).label,
            "previous_stage_label": Stage(found.previous_stage).label
            if found.previous_stage
            else "",
            "reopened": response.status == Response.Status.REOPENED,
            "chart": _chart(found),
            "chart_caption_id": CHART_CAPTION_ID,
            "learning_path": unlocked_path(request, response),
        },
    )


def unlocked_path(request, response):
    """The path these results lead to, shown under the results that shape it: a company's
    path for its submitted company assessment, the person's own for their self-check."""
    if response.status != Response.Status.SUBMITTED:
        return None
    if response.person_id is None:
        return company_path(response.company, request)
    if response.person_id == request.user.pk:
        return person_path(request.user, request)
    return None


def _chart(found):
    series = []
    if found.previous_stage:
        series.append(
            charts.Series(
                label=found.previous_stage,
                values=[_stage_score(d, found.previous_stage) for d in found.dimensions],
                css_class="radar-previous",
            )
        )
    series.append(
        charts.Series(
            label=found.response.stage,
            values=[d.score for d in found.dimensions],
            css_class="radar-current",
        )
    )
    return charts.radar(
        [d.title for d in found.dimensions],
        series,
        labelledby=CHART_CAPTION_ID,
        rtl=get_language_bidi(),
    )


def _stage_score(dimension, stage):
    return next((s.score for s in dimension.stages if s.stage == stage), None)
