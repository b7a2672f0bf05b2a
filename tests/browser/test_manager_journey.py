"""A programme manager imports companies from a spreadsheet in the administration, follows the
import while the background worker runs it, forms cohorts from the imported companies and reads
the programme dashboard, in French and in Arabic."""

import datetime

import pytest
from playwright.sync_api import expect

from coaching.models import Cohort, CohortCompany, Programme
from tests import factories
from tests.browser.helpers import expect_language, log_in, submit
from tests.companies.jobs_helpers import run_background_worker
from virage_site.companies.models import Company

pytestmark = pytest.mark.browser

SPREADSHEET = (
    "ice,name,sector,size_band,region,city,lead_email,lead_name\n"
    "001234567000011,Atelier Zellige Fès,handicrafts,micro,fes-meknes,Fès,f@zellige.ma,Fatima\n"
    "001234567000012,تعاونية أركان سوس,agrifood,small,souss-massa,Agadir,a@argan.ma,Aicha\n"
    "001234567000013,Tanger Logistique,transport,medium,tanger-tetouan-al-hoceima,Tanger,,\n"
    "001234567000014,Rabat Conseil,services,micro,rabat-sale-kenitra,Rabat,r@conseil.ma,Rachid\n"
)


@pytest.fixture
def spreadsheet(tmp_path):
    path = tmp_path / "entreprises.csv"
    path.write_text(SPREADSHEET, encoding="utf-8-sig")
    return path


def import_in_the_admin(page, spreadsheet):
    page.goto("/admin/companies/import/")
    page.locator("input[name=file]").set_input_files(str(spreadsheet))
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()
    assert "/admin/companies/jobs/" in page.url, page.url
    # Nothing has run yet: the page waits for the worker and says it may be closed meanwhile.
    expect(page.locator("[data-job-state]")).to_be_visible()
    assert not Company.objects.exists()

    run_background_worker()
    # The page follows the job by itself and shows the report once it is done.
    expect(page.locator("progress")).to_have_attribute("value", "100", timeout=15_000)
    assert Company.objects.count() == 4


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_manager_imports_forms_cohorts_and_reads_the_dashboard(
    make_page, site, spreadsheet, language
):
    manager = factories.make_user(email="manager@programme.ma", role="manager")
    programme = Programme.objects.create(
        name="Virage TPME 2027",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2028, 6, 30),
    )
    page = make_page()
    log_in(page, manager, factories.PASSWORD, language)

    import_in_the_admin(page, spreadsheet)

    # Cohorts of at most two, balanced by maturity: two cohorts of two companies.
    page.goto(f"/{language}/programme/cohorts/")
    expect_language(page, language)
    page.locator("select[name=programme]").select_option(str(programme.pk))
    page.locator("input[name=size]").fill("2")
    page.locator("input[name=prefix]").fill("Promotion")
    submit(page, "main form:has(input[name=size])")
    preview = page.locator("main")
    expect(preview).to_contain_text("Atelier Zellige Fès")
    expect(preview).to_contain_text("تعاونية أركان سوس")
    assert not Cohort.objects.exists(), "a preview creates nothing"
    submit(page, "main form:has(input[name=fingerprint])")

    cohorts = list(Cohort.objects.filter(programme=programme).order_by("name"))
    assert [cohort.name for cohort in cohorts] == ["Promotion 1", "Promotion 2"]
    assert [cohort.placements.count() for cohort in cohorts] == [2, 2]
    assert CohortCompany.objects.filter(left_at__isnull=True).count() == 4

    # The overview counts the four imported companies, none onboarded yet; the table beside
    # the chart gives the same figures to a screen reader.
    page.goto(f"/{language}/programme/")
    expect_language(page, language)
    companies = page.locator("section.figure-section").first
    expect(companies.locator("svg")).to_be_visible()
    rows = companies.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("td").first).to_have_text("4")
    expect(rows.nth(2).locator("td").first).to_have_text("0")

    # Filtered to the first cohort, the programme is those two companies.
    page.locator("select[name=cohort]").select_option(str(cohorts[0].pk))
    submit(page, "main form:has(select[name=cohort])")
    rows = page.locator("section.figure-section").first.locator("table tbody tr")
    expect(rows.nth(0).locator("td").first).to_have_text("2")
