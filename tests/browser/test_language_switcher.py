"""The language links of a course page lead to the same course in the other languages."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import expect_language, in_language, path_of

pytestmark = pytest.mark.browser


@pytest.fixture
def course_in_three_languages(site):
    _home, catalogue = site
    course, _lessons = factories.build_course(catalogue, modules=1, lessons=2)
    factories.translate_course(course, "ar")
    factories.translate_course(course, "en")
    return course


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_language_links_lead_to_the_translations_of_the_course(
    page, live_server, course_in_three_languages, language
):
    start = in_language(course_in_three_languages, language)
    page.goto(path_of(start))
    expect_language(page, language)
    expect(page.locator("main h1")).to_have_text(start.title)
    languages = page.locator(".languages")
    expect(languages.locator("a")).to_have_count(3)
    expect(languages.locator("a[aria-current]")).to_have_attribute("hreflang", language)

    for other in [code for code in ("fr", "ar", "en") if code != language]:
        page.goto(path_of(start))
        target = in_language(course_in_three_languages, other)
        link = languages.locator(f"a[hreflang={other}]")
        expect(link).to_have_attribute("lang", other)
        link.click()
        expect(page).to_have_url(live_server.url + path_of(target))
        expect_language(page, other)
        expect(page.locator("main h1")).to_have_text(target.title)
        expect(languages.locator("a[aria-current]")).to_have_attribute("hreflang", other)
        # The rest of the page follows: the menu leads to the catalogue in that language.
        expect(page.locator(f".site-nav a[href='/{other}/cours/']")).to_be_attached()
