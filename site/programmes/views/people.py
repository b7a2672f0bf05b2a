"""The coach's page (their cohorts' companies) and a company's report. Who sees what is
decided in programmes.permissions; figures come from programmes.figures.people."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext_lazy as _

from assessments import charts
from assessments.models import Response, Stage
from assessments.services.results import build_results
from coaching.models import Cohort

from ..figures.people import coach_figures, company_figures
from ..figures.selection import default_instrument
from ..permissions import (
    ReportAccess,
    can_view_coach_page,
    cohorts_on_coach_page,
    companies_visible_in_programme,
    current_placements,
    report_access,
    sees_whole_programme,
)

CHART_CAPTION_ID = "maturity-chart-caption"


class CohortChoice(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the cohorts in the list.")},
    )

    def __init__(self, *args, cohorts, whole_programme, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["cohort"]
        field.queryset = cohorts.select_related("programme")
        field.empty_label = _("Choose a cohort") if whole_programme else _("All my cohorts")


@login_required
def coach(request):
    """A coach's cohorts, each with its companies' maturity and progress. A manager chooses one
    cohort: the whole programme at once is the dashboards' business."""
    if not can_view_coach_page(request.user):
        raise PermissionDenied
    whole_programme = sees_whole_programme(request.user)
    cohorts = cohorts_on_coach_page(request.user)
    form = CohortChoice(request.GET or None, cohorts=cohorts, whole_programme=whole_programme)
    context = {"form": form, "cohorts": None, "whole_programme": whole_programme}
    if form.is_bound and not form.is_valid():
        return render(request, "programmes/people/coach.html", context, status=400)
    chosen = form.cleaned_data.get("cohort") if form.is_bound else None
    if chosen is not None:
        cohorts = cohorts.filter(pk=chosen.pk)
    elif whole_programme:
        return render(request, "programmes/people/coach.html", context)
    cohorts = list(cohorts.select_related("programme").order_by("programme__name", "name"))
    placements = current_placements().filter(cohort__in=cohorts).select_related("company")
    context["cohorts"] = coach_figures(cohorts, placements)
    return render(request, "programmes/people/coach.html", context)


@login_required
def company(request, company_id):
    """A company's report. Someone who may not read it gets the same 404 as for a company that
    does not exist, so ids never tell which companies take part."""
    found = companies_visible_in_programme(request.user).filter(pk=company_id).first()
    access = report_access(request.user, found) if found else ReportAccess.NONE
    if access == ReportAccess.NONE:
        raise Http404
    places = list(
        found.cohort_placements.select_related("cohort__programme").order_by("joined_at", "pk")
    )
    current = [p for p in places if p.left_at is None]
    results = maturity_results(found)
    context = {
        "company": found,
        "show_people": access == ReportAccess.FULL,
        "current_places": current,
        "results": results,
        "chart": _chart(results) if results else "",
        "chart_caption_id": CHART_CAPTION_ID,
        # Sessions of every cohort the company has been in: moving keeps the history.
        "figures": company_figures(found, sorted({p.cohort_id for p in places})),
    }
    return render(request, "programmes/people/company.html", context)


def maturity_results(company):
    """The company's latest submitted maturity results (with every stage), or None."""
    instrument = default_instrument()
    if instrument is None:
        return None
    submitted = (
        Response.objects.submitted()
        .filter(instrument=instrument, company=company, person__isnull=True)
        .select_related("instrument", "version", "company")
    )
    latest = max(submitted, key=lambda r: list(Stage.values).index(r.stage), default=None)
    return build_results(latest, with_peers=False) if latest else None


def _chart(results):
    """The first stage (dashed) and the latest (filled), as on the results page."""
    first = results.stages[0]
    series = []
    if first != results.response.stage:
        series.append(
            charts.Series(
                label=first,
                values=[d.stages[0].score for d in results.dimensions],
                css_class="radar-previous",
            )
        )
    series.append(
        charts.Series(
            label=results.response.stage,
            values=[d.score for d in results.dimensions],
            css_class="radar-current",
        )
    )
    return charts.radar(
        [d.title for d in results.dimensions],
        series,
        labelledby=CHART_CAPTION_ID,
        rtl=get_language_bidi(),
    )
