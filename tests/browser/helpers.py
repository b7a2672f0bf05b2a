"""What the browser tests check on every page, without depending on translated text."""

from playwright.sync_api import expect
from wagtail.models import Locale

DIRECTIONS = {"fr": "ltr", "en": "ltr", "ar": "rtl"}


def expect_language(page, language):
    """The page is served in `language`, in its writing direction: `<html lang=… dir=…>`."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", DIRECTIONS[language])


def in_language(page_obj, language):
    """A Wagtail page's translation in `language` (the page itself when it is that language)."""
    return page_obj.get_translation(Locale.objects.get(language_code=language)).specific


def path_of(page_obj):
    """The root-relative address of a Wagtail page, with its language prefix: /ar/cours/…/."""
    return page_obj.get_url()


def submit(page, form_selector):
    """Press the submit button of a form and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(f"{form_selector} [type=submit]").click()


def log_in(page, user, password, language):
    """Log in through the login form, as a person would."""
    page.goto(f"/{language}/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(password)
    submit(page, "main form:has(input[name=password])")
    assert "/accounts/login/" not in page.url, f"the login form was not accepted ({page.url})"
