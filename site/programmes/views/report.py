"""The programme report for funders: the overview and the before/after figures, as a PDF drawn
by WeasyPrint from HTML (as course certificates are), so that Arabic is shaped and laid out
right to left like the pages."""

from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..figures import before_after as comparison
from ..figures import overview
from .dashboards import BeforeAfterForm, figures_for_page, manager_required

STYLESHEET = "css/programmes.css"


def report_tables(form):
    """The report's tables: the overview, then before/after for the whole selection and by
    the chosen grouping (by cohort unless another is chosen)."""
    selection = form.selection()
    compare = form.cleaned_data["compare"]
    tables = overview.programme_overview(selection)
    tables.append(comparison.before_after(selection, compare))
    tables.extend(comparison.by_group(selection, compare, form.cleaned_data["group"] or "cohort"))
    return selection, tables


def _stylesheet():
    path = finders.find(STYLESHEET)
    with open(path, encoding="utf-8") as source:
        return source.read()


def programme_report_pdf(form):
    from weasyprint import HTML  # heavy import, only when a report is asked for

    selection, tables = report_tables(form)
    html = render_to_string(
        "programmes/dashboard/report_pdf.html",
        {
            "selection": selection,
            "form": form,
            "figures": figures_for_page(tables, "", prefix="report"),
            "stylesheet": _stylesheet(),
            "generated_at": timezone.localtime(),
            "rtl": translation.get_language_bidi(),
        },
    )
    return HTML(string=html).write_pdf()


@manager_required
def report_pdf_view(request):
    form = BeforeAfterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(
            _("Invalid filters: correct them on the programme overview first."),
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(programme_report_pdf(form), content_type="application/pdf")
    name = f"programme-report-{timezone.localdate().isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
