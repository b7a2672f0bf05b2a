"""The cross-site-scripting gate of the site's pages: payloads of the corpus written where
programme managers and company leads write (a spreadsheet of companies imported in the
administration, the name of new cohorts, invitations and the name a person gives on accepting
one) are shown as text and never run, in Chromium, on every page that shows them: the
administration's listings, edit forms and import reports, the programme's dashboards and
company pages, the company's own page."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from openpyxl import Workbook
from playwright.sync_api import expect

from coaching.models import Cohort, Programme
from tests import factories
from tests.browser.helpers import log_in, submit
from tests.companies.jobs_helpers import run_background_worker
from virage_site.companies.models import Company, Invitation, Membership

from .xss_payloads import PAYLOADS, marked, marker, numbers
from .xss_watch import missing_markers, new_watched_context, shown_text

pytestmark = pytest.mark.browser

ALL = numbers()
HEADER = ["ice", "name", "sector", "size_band", "region", "city", "lead_email", "lead_name"]
# Payloads the failed import quotes back in its report (one row each).
WRONG_ROWS = numbers(12, start=3)
# A file name can hold neither "/" nor a newline: the first payload that has neither.
FILE_NAME_PAYLOAD = next(p for p in PAYLOADS if "/" not in p and "\n" not in p)
# Typed into one-line inputs, which drop line breaks.
ONE_LINE = [n for n in ALL if "\n" not in PAYLOADS[n - 1]]


def ice(number):
    return f"00123456700{number:04d}"


def spreadsheet(path):
    """Every company of the corpus: its name, city and lead's name carry payloads."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for n in ALL:
        sheet.append(
            [
                ice(n),
                marked("K", n),
                "retail",
                "micro",
                "casablanca-settat",
                marked("Y", n)[:100],
                f"lead{n}@example.ma",
                marked("L", n),
            ]
        )
    book.save(path)
    return path


def wrong_spreadsheet(folder):
    """Rows whose sector and region are payloads: the report names them, quoting them."""
    lines = [",".join(HEADER)]
    for n in WRONG_ROWS:
        sector, region = (marked(f, n).replace('"', '""') for f in ("S", "R"))
        lines.append(f'{ice(n)},Nom,"{sector}",micro,"{region}",Fès,,')
    path = folder / f"{FILE_NAME_PAYLOAD}.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def import_file(page, path):
    page.goto("/admin/companies/import/")
    page.locator("input[name=file]").set_input_files(str(path))
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()
    run_background_worker()
    page.reload()
    expect(page.locator("[data-job-state]")).to_be_visible()


def visit(page, watch, address, markers=(), selector="main"):
    page.goto(address)
    watch.assert_inert(page, f"on {address}")
    missing = missing_markers(page, markers, selector)
    assert not missing, f"{address} does not show {missing}"


def test_no_payload_runs_on_the_pages_of_imported_companies_and_invited_people(
    browser,
    live_server,
    site,
    tmp_path,
):
    manager = factories.make_user(email="manager@programme.ma", role="manager")
    programme = Programme.objects.create(
        name="Virage TPME",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2028, 6, 30),
    )
    contexts = []
    try:
        context, watch, page = new_watched_context(browser, live_server.url)
        contexts.append(context)
        log_in(page, manager, factories.PASSWORD, "en")

        import_file(page, spreadsheet(tmp_path / "companies.xlsx"))
        assert Company.objects.count() == len(ALL)
        watch.assert_inert(page, "on the import's report")
        import_file(page, wrong_spreadsheet(tmp_path))
        assert Company.objects.count() == len(ALL)
        report = [marker(f, n) for f in ("S", "R") for n in WRONG_ROWS]
        expect(page.locator("main")).to_contain_text(report[0])
        watch.assert_inert(page, "on the failed import's report")
        assert not missing_markers(page, report, "main")

        # New cohorts take the name the manager types.
        page.goto("/en/programme/cohorts/")
        page.locator("select[name=programme]").select_option(str(programme.pk))
        page.locator("input[name=size]").fill("25")
        page.locator("input[name=prefix]").fill(marked("H", 2))
        submit(page, "main form:has(input[name=size])")
        watch.assert_inert(page, "on the cohorts' preview")
        submit(page, "main form:has(input[name=fingerprint])")
        cohort = Cohort.objects.filter(programme=programme).first()
        assert cohort is not None and marker("H", 2) in cohort.name
        watch.assert_inert(page, "after forming the cohorts")

        # A company lead invites people, naming them; one accepts and gives their own name.
        company = Company.objects.get(ice=ice(1))
        lead = factories.add_member(company, role=Membership.Role.LEAD)
        lead_context, lead_watch, lead_page = new_watched_context(browser, live_server.url)
        contexts.append(lead_context)
        log_in(lead_page, lead, factories.PASSWORD, "en")
        invited = ONE_LINE[:4]
        for n in invited:
            lead_page.goto(f"/en/companies/{company.pk}/")
            lead_page.locator("input[name=full_name]").fill(marked("V", n))
            lead_page.locator("input[name=email]").fill(f"invited{n}@example.ma")
            submit(lead_page, "main form:has(input[name=full_name])")
        first_invitation = Invitation.objects.get(email=f"invited{invited[0]}@example.ma")
        assert first_invitation.full_name == marked("V", invited[0])
        link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)
        guest_context, guest_watch, guest_page = new_watched_context(browser, live_server.url)
        contexts.append(guest_context)
        guest_page.goto(urlsplit(link).path)
        guest_watch.assert_inert(guest_page, "on the invitation's page")
        guest_page.locator("input[name=full_name]").fill(marked("W", 9))
        guest_page.locator("input[name=password1]").fill("Un-mot-de-passe-sûr-42")
        guest_page.locator("input[name=password2]").fill("Un-mot-de-passe-sûr-42")
        submit(guest_page, "main form:has(input[name=password1])")
        guest_watch.assert_inert(guest_page, "on the new member's dashboard")

        members = [marker("K", 1), marker("W", 9)]
        visit(lead_page, lead_watch, f"/en/companies/{company.pk}/", members)
        visit(lead_page, lead_watch, "/en/dashboard/", [marker("K", 1)])

        companies = [marker("K", n) for n in ALL]
        for address, shown in [
            *[(f"/admin/company/?p={n}", []) for n in (1, 2, 3)],
            (f"/admin/company/edit/{company.pk}/", []),
            ("/admin/invitation/", []),
            (f"/admin/invitation/edit/{first_invitation.pk}/", []),
            ("/en/companies/", companies),
            (f"/en/companies/{company.pk}/", members),
            ("/en/programme/", []),
            (f"/en/programme/cohort/{cohort.pk}/", [marker("H", 2)]),
            (f"/en/programme/companies/{company.pk}/", [marker("K", 1)]),
            ("/en/programme/cohorts/", []),
            ("/en/programme/coaching/", []),
            ("/admin/cohorts/", [marker("H", 2)]),
            (f"/admin/cohorts/edit/{cohort.pk}/", []),
            ("/en/dashboard/", []),
        ]:
            visit(page, watch, address, shown, "main" if "/admin/" not in address else "body")
        # The administration lists them 20 a page.
        listed = []
        for number in (1, 2, 3):
            page.goto(f"/admin/company/?p={number}")
            listed.append(shown_text(page))
        listed = " ".join(listed)
        assert not [m for m in companies if m not in listed], "the listing misses companies"
    finally:
        for context in contexts:
            context.close()
