"""A company report's tables as CSV or XLSX, asked by `?table=<name>&format=csv|xlsx` and
checked as the report page is: the same 404 for a company one may not read as for one that does
not exist, and the people table only for those who read each person's figures."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.text import slugify
from wagtail.log_actions import log

from ..figures import company_tables
from ..figures.people import company_figures
from ..permissions import ReportAccess, companies_visible_in_programme, report_access
from .exports import file_response, format_or_error, unknown_table
from .people import maturity_results


def _company_table(company, name, show_people):
    if name == company_tables.MATURITY:
        return company_tables.maturity_table(maturity_results(company))
    # Sessions of every cohort the company has been in, as on the page.
    cohort_ids = sorted(set(company.cohort_placements.values_list("cohort_id", flat=True)))
    figures = company_figures(company, cohort_ids)
    if name == company_tables.PEOPLE:
        return company_tables.people_table(figures)
    if name == company_tables.SESSIONS:
        return company_tables.sessions_table(figures)
    return company_tables.actions_table(figures, show_people)


@login_required
def company_export(request, company_id):
    found = companies_visible_in_programme(request.user).filter(pk=company_id).first()
    access = report_access(request.user, found) if found else ReportAccess.NONE
    if access == ReportAccess.NONE:
        raise Http404
    fmt, error = format_or_error(request)
    if error:
        return error
    show_people = access == ReportAccess.FULL
    names = company_tables.company_table_names(show_people)
    name = request.GET.get("table", "")
    if name not in names:
        return unknown_table(names)
    table = _company_table(found, name, show_people)
    if name == company_tables.PEOPLE or (name == company_tables.ACTIONS and show_people):
        # Each person's figures leave the platform: who took them, and when, is kept.
        log(
            instance=found,
            action="programmes.personal_data_export",
            user=request.user,
            data={"table": name, "format": fmt},
        )
    return file_response(table, fmt, prefix=slugify(found.name))
