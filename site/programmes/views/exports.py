"""Every figure table as CSV or XLSX, asked by `?table=<name>&format=csv|xlsx` with the page's
filters, and checked as the page is: the programme's tables for managers, a cohort's tables
for its coaches too (limited to that cohort whatever else the address says)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..figures import before_after as comparison
from ..figures.exports import FORMATS
from ..figures.overview import OVERVIEW_TABLES
from .dashboards import BeforeAfterForm, cohort_for, cohort_tables, manager_required

PROGRAMME_TABLES = [*OVERVIEW_TABLES, "before_after", "change_by_group", "dimensions_by_group"]


def _plain(response_class, message):
    return response_class(message, content_type="text/plain; charset=utf-8")


def unknown_table(names):
    return _plain(
        HttpResponseNotFound,
        _("Unknown table. Tables you can export here: %(names)s.") % {"names": ", ".join(names)},
    )


def format_or_error(request):
    fmt = request.GET.get("format", "")
    if fmt not in FORMATS:
        return None, _plain(
            HttpResponseBadRequest,
            _("Unknown format. Choose format=csv or format=xlsx."),
        )
    return fmt, None


def file_response(table, fmt, prefix=""):
    content_type, write = FORMATS[fmt]
    response = HttpResponse(write(table), content_type=content_type)
    name = "-".join(
        filter(None, [prefix, table.name.replace("_", "-"), timezone.localdate().isoformat()])
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _programme_table(form, name):
    selection = form.selection()
    if name in OVERVIEW_TABLES:
        return OVERVIEW_TABLES[name](selection)
    compare = form.cleaned_data["compare"]
    if name == "before_after":
        return comparison.before_after(selection, compare)
    summary, detail = comparison.by_group(selection, compare, form.cleaned_data["group"])
    return summary if name == "change_by_group" else detail


@manager_required
def export_view(request):
    fmt, error = format_or_error(request)
    if error:
        return error
    name = request.GET.get("table", "")
    if name not in PROGRAMME_TABLES:
        return unknown_table(PROGRAMME_TABLES)
    form = BeforeAfterForm(request.GET)
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}"
            for field, errors in form.errors.items()
        )
        return _plain(
            HttpResponseBadRequest, _("Invalid filters: %(problems)s") % {"problems": problems}
        )
    if name in ("change_by_group", "dimensions_by_group") and not form.cleaned_data["group"]:
        return _plain(
            HttpResponseBadRequest,
            _("This table is by group: add group=cohort, sector, region or size_band."),
        )
    return file_response(_programme_table(form, name), fmt)


@login_required
def cohort_export_view(request, cohort_id):
    cohort = cohort_for(request.user, cohort_id)
    fmt, error = format_or_error(request)
    if error:
        return error
    _selection, tables = cohort_tables(cohort)
    found = {table.name: table for table in tables}
    table = found.get(request.GET.get("table", ""))
    if table is None:
        return unknown_table(list(found))
    return file_response(table, fmt, prefix=slugify(cohort.name))
