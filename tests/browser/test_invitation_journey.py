"""From an invitation email to a first lesson done, in French and in Arabic; and a broken link."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import expect_language, in_language, path_of, submit
from virage_site.companies import invitations

pytestmark = pytest.mark.browser

LANGUAGES = ["fr", "ar"]
INVITATION_LINK = re.compile(r"/(?:fr|ar|en)/companies/invitations/[^/\s]+/")


def invitation_link_from_email(email_message):
    found = INVITATION_LINK.search(email_message.body)
    assert found, f"no invitation link in the email:\n{email_message.body}"
    return found.group(0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_invited_visitor_creates_an_account_and_completes_a_first_lesson(
    page, site, live_server, language
):
    _home, catalogue = site
    course, lessons = factories.build_course(catalogue, modules=2, lessons=2)
    if language != "fr":
        factories.translate_course(course, language)
    course = in_language(course, language)
    first, second = (in_language(lesson, language) for lesson in lessons[:2])
    company = factories.make_company(name="Atelier Zellige Fès")
    invitations.invite(
        company=company,
        email="amina@example.ma",
        role="employee",
        invited_by=None,
        full_name="Amina Benali",
        language=language,
    )

    # The visitor opens the link from the email: the form already knows their name.
    assert len(mail.outbox) == 1
    link = invitation_link_from_email(mail.outbox[0])
    assert link.startswith(f"/{language}/")
    response = page.goto(link)
    assert response.status == 200
    expect_language(page, language)
    expect(page.locator("main h1")).to_contain_text(company.name)
    expect(page.locator("main")).to_contain_text("amina@example.ma")
    expect(page.locator("input[name=full_name]")).to_have_value("Amina Benali")
    page.locator("input[name=full_name]").fill("Amina El Idrissi")
    page.locator("input[name=password1]").fill("une-phrase-de-passe-solide")
    page.locator("input[name=password2]").fill("une-phrase-de-passe-solide")
    submit(page, "main form:has(input[name=password1])")

    # Account created and signed in: the dashboard greets them and shows their company.
    expect(page).to_have_url(f"{live_server.url}/{language}/dashboard/")
    expect_language(page, language)
    expect(page.locator("main h1")).to_contain_text("Amina")
    expect(page.locator("main .messages")).to_be_visible()
    expect(page.locator("main")).to_contain_text(company.name)
    expect(page.locator("form[action$='/accounts/logout/']")).to_be_attached()
    expect(page.locator("main .course-progress-list")).to_have_count(0)

    # The main menu leads to the catalogue in the same language; the course is listed.
    catalogue_path = path_of(in_language(catalogue, language))
    page.locator(f".site-nav a[href='{catalogue_path}']").click()
    expect(page).to_have_url(live_server.url + catalogue_path)
    expect_language(page, language)
    expect(page.locator("main h1")).to_have_text(in_language(catalogue, language).title)
    page.locator(".cards .card-title a", has_text=course.title).click()

    # The course page: enrol, and the first lesson opens.
    expect(page).to_have_url(live_server.url + path_of(course))
    expect(page.locator("main h1")).to_have_text(course.title)
    expect(page.locator("main .outline-lesson")).to_have_count(4)
    submit(page, "form[action$='/enrol/']")
    expect(page).to_have_url(live_server.url + path_of(first))
    expect_language(page, language)
    expect(page.locator("main h1")).to_have_text(first.title)
    expect(page.locator("main .messages")).to_be_visible()
    expect(page.locator(".lesson-aside progress")).to_have_attribute("value", "0")
    expect(page.locator(".lesson-aside .outline-lesson.is-done")).to_have_count(0)
    expect(page.locator(".lesson-aside a[aria-current=page]")).to_have_text(first.title)

    # "Mark as done and continue": the next lesson opens and the progress shows it.
    submit(page, "form[action$='/complete/']")
    expect(page).to_have_url(live_server.url + path_of(second))
    expect(page.locator("main h1")).to_have_text(second.title)
    expect(page.locator(".lesson-aside progress")).to_have_attribute("value", "25")
    expect(page.locator(".lesson-aside .progress")).to_contain_text("25")
    done = page.locator(".lesson-aside .outline-lesson.is-done")
    expect(done).to_have_count(1)
    expect(done.locator("a")).to_have_text(first.title)
    expect(done.locator(".done-mark")).to_contain_text("✓")
    expect(page.locator(".lesson-aside a[aria-current=page]")).to_have_text(second.title)
    expect(page.locator("nav.pager a[rel=prev]")).to_have_attribute("href", path_of(first))
    expect(page.locator("form[action$='/complete/']")).to_be_visible()

    # The first lesson now says it is done, and offers the next one instead of the button.
    page.locator(".lesson-aside .outline-lesson.is-done a").click()
    expect(page).to_have_url(live_server.url + path_of(first))
    expect(page.locator("main .lesson .done-mark")).to_contain_text("✓")
    expect(page.locator("form[action$='/complete/']")).to_have_count(0)
    expect(page.locator(f".lesson-complete a[href='{path_of(second)}']")).to_be_visible()

    # The dashboard lists the course with its progress and where to continue.
    dashboard_path = f"/{language}/dashboard/"
    page.locator(f".site-nav a[href='{dashboard_path}']").click()
    expect(page).to_have_url(live_server.url + dashboard_path)
    expect_language(page, language)
    card = page.locator("main .course-progress-list .card")
    expect(card).to_have_count(1)
    expect(card.locator(".card-title a")).to_have_text(course.title)
    expect(card.locator(".card-title a")).to_have_attribute("href", path_of(course))
    expect(card.locator("progress")).to_have_attribute("value", "25")
    expect(card.locator(f"a[href='{path_of(second)}']")).to_have_text(second.title)
    expect(page.locator(f"main .next-step a[href='{path_of(second)}']")).to_be_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_forged_invitation_link_is_explained_and_offers_a_way_home(
    page, site, live_server, language
):
    home, _catalogue = site
    invitation = invitations.invite(
        company=factories.make_company(),
        email="karim@example.ma",
        role="employee",
        invited_by=None,
        language=language,
    )
    key, _sep, signature = invitation.token.rpartition(":")
    forged = f"{key}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"

    response = page.goto(f"/{language}/companies/invitations/{forged}/")

    assert response.status == 404
    expect_language(page, language)
    heading = page.locator("main h1")
    expect(heading).to_be_visible()
    expect(heading).not_to_be_empty()
    # The browser tab says the same as the heading.
    expect(page).to_have_title(re.compile("^" + re.escape(heading.inner_text().strip())))
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("main [role=alert]")).not_to_be_empty()
    expect(page.locator("input[name=password1]")).to_have_count(0)

    home_path = path_of(in_language(home, language))
    assert home_path == f"/{language}/"
    page.locator(f"main a[href='{home_path}']").click()
    expect(page).to_have_url(live_server.url + home_path)
    expect_language(page, language)
    expect(page.locator("main h1")).to_be_visible()
