"""Programme dashboards: the overview, the before/after comparison and a cohort's page.

Managers see the whole programme and filter it; a cohort's coaches see that cohort's page (and
only through its own address: the programme's filters are not theirs to widen)."""

from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from coaching.models import Cohort

from ..figures import before_after as comparison
from ..figures import overview
from ..figures.charts import legend, table_chart
from ..figures.companies import company_table
from ..figures.selection import Selection, SelectionForm, default_instrument
from ..permissions import coached_cohorts, sees_whole_programme


def manager_required(view):
    """Programme managers only: others signed in are refused, visitors asked to log in."""

    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not sees_whole_programme(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


def cohort_for(user, cohort_id):
    """The cohort if `user` may read its figures (a manager, or one of its coaches)."""
    if sees_whole_programme(user):
        return get_object_or_404(Cohort.objects.select_related("programme"), pk=cohort_id)
    cohort = coached_cohorts(user).select_related("programme").filter(pk=cohort_id).first()
    if cohort is None:
        raise PermissionDenied
    return cohort


class BeforeAfterForm(SelectionForm):
    compare = forms.ChoiceField(
        label=_("Stages compared"),
        choices=comparison.COMPARISON_CHOICES,
        required=False,
    )
    group = forms.ChoiceField(label=_("Group by"), choices=comparison.GROUP_CHOICES, required=False)

    def clean_compare(self):
        return self.cleaned_data.get("compare") or comparison.DEFAULT_COMPARISON


def filter_query(form):
    """The valid filters as a query string, for export and report links."""
    return urlencode(
        {
            name: value.pk if hasattr(value, "pk") else value
            for name, value in form.cleaned_data.items()
            if value
        }
    )


def figures_for_page(tables, export_url, prefix="figure"):
    """What the page shows for each table: the chart, its caption's id, legend and exports."""
    rtl = translation.get_language_bidi()
    joiner = "&" if "?" in export_url else "?"
    shown = []
    for index, table in enumerate(tables):
        caption_id = f"{prefix}-{index}-{table.name}"
        shown.append(
            {
                "table": table,
                "chart": table_chart(table, labelledby=caption_id, rtl=rtl),
                "caption_id": caption_id,
                "legend": legend(table),
                "exports": [
                    (
                        label,
                        f"{export_url}{joiner}{urlencode({'table': table.name, 'format': fmt})}",
                    )
                    for fmt, label in (("csv", "CSV"), ("xlsx", "XLSX"))
                ],
            }
        )
    return shown


def _render_invalid(request, template, form, current):
    return render(request, template, {"form": form, "figures": [], "current": current}, status=400)


@manager_required
def overview_view(request):
    form = SelectionForm(request.GET)
    template = "programmes/dashboard/overview.html"
    if not form.is_valid():
        return _render_invalid(request, template, form, "overview")
    selection = form.selection()
    query = filter_query(form)
    export_url = reverse("programme:export") + (f"?{query}" if query else "")
    return render(
        request,
        template,
        {
            "form": form,
            "selection": selection,
            "query": query,
            "current": "overview",
            "figures": figures_for_page(overview.programme_overview(selection), export_url),
        },
    )


def before_after_tables(form):
    selection = form.selection()
    compare = form.cleaned_data["compare"]
    tables = [comparison.before_after(selection, compare)]
    group = form.cleaned_data.get("group")
    if group:
        tables += comparison.by_group(selection, compare, group)
    return selection, tables


@manager_required
def before_after_view(request):
    form = BeforeAfterForm(request.GET)
    template = "programmes/dashboard/before_after.html"
    if not form.is_valid():
        return _render_invalid(request, template, form, "before_after")
    selection, tables = before_after_tables(form)
    query = filter_query(form)
    export_url = reverse("programme:export") + (f"?{query}" if query else "")
    return render(
        request,
        template,
        {
            "form": form,
            "selection": selection,
            "query": query,
            "current": "before_after",
            "figures": figures_for_page(tables, export_url),
        },
    )


COHORT_OVERVIEW_TABLES = ("companies", "assessments", "levels", "dimensions", "learning")


def cohort_tables(cohort):
    """The cohort page's tables, every one limited to the cohort's current companies."""
    selection = Selection(instrument=default_instrument(), cohort=cohort)
    tables = [overview.OVERVIEW_TABLES[name](selection) for name in COHORT_OVERVIEW_TABLES]
    tables.append(comparison.before_after(selection))
    tables.append(overview.attendance(selection))
    tables.append(overview.action_items(selection))
    tables.append(company_table(selection, name="cohort_companies"))
    return selection, tables


@login_required
def cohort_view(request, cohort_id):
    cohort = cohort_for(request.user, cohort_id)
    selection, tables = cohort_tables(cohort)
    export_url = reverse("programme:cohort_export", args=[cohort.pk])
    return render(
        request,
        "programmes/dashboard/cohort.html",
        {
            "cohort": cohort,
            "selection": selection,
            "is_manager": sees_whole_programme(request.user),
            "figures": figures_for_page(tables, export_url),
        },
    )
