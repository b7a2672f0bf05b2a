"""A company lead invites an employee from their company page, with the keyboard's form, and
the employee's link opens the invitation to that company."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import expect_language, log_in, submit
from tests.browser.test_invitation_journey import invitation_link_from_email
from virage_site.companies.models import Invitation, Membership

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_lead_invites_an_employee_who_can_open_the_link(make_page, site, language):
    company = factories.make_company(name="Souss Argan Coop")
    lead = factories.add_member(
        company, factories.make_user(email="aicha@souss.ma"), Membership.Role.LEAD
    )
    page = make_page()
    log_in(page, lead, factories.PASSWORD, language)

    page.goto(f"/{language}/dashboard/")
    page.locator(f"main a[href='/{language}/companies/{company.pk}/']").click()
    page.wait_for_url(f"**/{language}/companies/{company.pk}/")
    expect_language(page, language)
    expect(page.locator("main h1")).to_have_text("Souss Argan Coop")
    expect(page.locator("main table")).to_contain_text("aicha@souss.ma")

    page.locator("input[name=full_name]").fill("Hassan Ouali")
    page.locator("input[name=email]").fill("hassan@souss.ma")
    submit(page, "main form:has(input[name=email])")
    expect(page.locator(".message-success")).to_contain_text("hassan@souss.ma")
    expect(page.locator("main")).to_contain_text("hassan@souss.ma")
    assert Invitation.objects.get(email="hassan@souss.ma").role == "employee"

    link = invitation_link_from_email(mail.outbox[-1])
    employee = make_page()
    assert employee.goto(link).status == 200
    expect(employee.locator("main h1")).to_contain_text("Souss Argan Coop")
    expect(employee.locator("input[name=full_name]")).to_have_value("Hassan Ouali")


def test_a_wrong_address_is_explained_next_to_the_field(page, site):
    company = factories.make_company(name="Atelier Zellige Fès")
    lead = factories.add_member(
        company, factories.make_user(email="fatima@zellige.ma"), Membership.Role.LEAD
    )
    log_in(page, lead, factories.PASSWORD, "fr")
    page.goto(f"/fr/companies/{company.pk}/")
    page.locator("input[name=email]").fill("pas-une-adresse")
    submit(page, "main form:has(input[name=email])")
    error = page.locator("#id_email_error")
    expect(error).to_be_visible()
    expect(page.locator("input[name=email]")).to_have_attribute("aria-invalid", "true")
    assert "id_email_error" in page.locator("input[name=email]").get_attribute("aria-describedby")
    assert not Invitation.objects.exists()
