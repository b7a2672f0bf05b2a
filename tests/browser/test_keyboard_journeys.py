"""Journeys with the keyboard alone: signing in, a lead inviting an employee, the employee
creating an account from the invitation, a manager forming cohorts. (The live room's journey is
in test_keyboard_room.py.) Each control is reached with Tab and used with Enter, Space, arrows or
typing: a control a mouse alone could use fails these tests."""

import datetime

import pytest
from django.core import mail
from playwright.sync_api import expect

from coaching.models import Cohort, Programme
from tests import factories
from tests.browser.keyboard import press_on, tab_to, type_into
from tests.browser.test_invitation_journey import invitation_link_from_email
from virage_site.companies.models import Membership

pytestmark = pytest.mark.browser


def sign_in_with_keys(page, user, language):
    page.goto(f"/{language}/accounts/login/")
    type_into(page, "input[name=login]", user.email)
    type_into(page, "input[name=password]", factories.PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_lead_invites_and_the_employee_joins_with_the_keyboard(make_page, site, language):
    company = factories.make_company(name="Souss Argan Coop")
    lead = factories.add_member(
        company, factories.make_user(email="aicha@souss.ma"), Membership.Role.LEAD
    )
    page = make_page()
    sign_in_with_keys(page, lead, language)

    # From the dashboard to the company page, then the invitation form.
    with page.expect_navigation():
        press_on(page, f"main a[href='/{language}/companies/{company.pk}/']")
    type_into(page, "input[name=full_name]", "Hassan Ouali")
    type_into(page, "input[name=email]", "hassan@souss.ma")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".message-success")).to_contain_text("hassan@souss.ma")

    # The employee opens the link and creates an account, keys only.
    employee = make_page()
    employee.goto(invitation_link_from_email(mail.outbox[-1]))
    tab_to(employee, "input[name=full_name]")
    expect(employee.locator("input[name=full_name]")).to_have_value("Hassan Ouali")
    type_into(employee, "input[name=password1]", "Souss-Argan-2027!")
    type_into(employee, "input[name=password2]", "Souss-Argan-2027!")
    with employee.expect_navigation():
        press_on(employee, "main form [type=submit]")
    assert company.memberships.filter(user__email="hassan@souss.ma").exists()


def test_a_manager_forms_cohorts_with_the_keyboard(make_page, site):
    manager = factories.make_user(role="manager")
    programme = Programme.objects.create(
        name="Virage TPME 2027",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2028, 6, 30),
    )
    for name in ("Atlas", "Borj", "Cèdre"):
        factories.make_company(name=name)
    page = make_page()
    sign_in_with_keys(page, manager, "en")
    page.goto("/en/programme/cohorts/")

    # A select is changed with the arrows once it has the focus.
    tab_to(page, "select[name=programme]")
    page.keyboard.press("ArrowDown")
    expect(page.locator("select[name=programme]")).to_have_value(str(programme.pk))
    tab_to(page, "input[name=size]")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    with page.expect_navigation():
        press_on(page, "main form:has(input[name=size]) [type=submit]")
    expect(page.locator("main")).to_contain_text("Cèdre")
    with page.expect_navigation():
        press_on(page, "main form:has(input[name=fingerprint]) [type=submit]")
    assert Cohort.objects.filter(programme=programme).count() == 2
