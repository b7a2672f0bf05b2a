"""The lesson page with a keyboard, and on a narrow phone screen."""

import pytest
from playwright.sync_api import expect

from courses.services.learning import enrol
from tests import factories
from tests.browser.helpers import expect_language, in_language, log_in, path_of

pytestmark = pytest.mark.browser

LANGUAGES = ["fr", "ar"]
PHONE_WIDTH = 360


@pytest.fixture
def enrolled_lesson(site):
    """(learner, course, its first lesson) in every language, the learner enrolled."""
    _home, catalogue = site
    course, lessons = factories.build_course(catalogue, modules=2, lessons=2)
    factories.translate_course(course, "ar")
    learner = factories.make_user(first_name="Amina", last_name="Benali")
    enrol(learner, course)
    return learner, course, lessons[0]


def open_lesson(page, enrolled_lesson, language):
    learner, course, lesson = enrolled_lesson
    log_in(page, learner, factories.PASSWORD, language)
    lesson = in_language(lesson, language)
    response = page.goto(path_of(lesson))
    assert response.status == 200
    expect_language(page, language)
    expect(page.locator("main h1")).to_have_text(lesson.title)
    return lesson


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_skip_link_comes_first_and_moves_focus_to_the_content(page, enrolled_lesson, language):
    open_lesson(page, enrolled_lesson, language)
    skip = page.locator("a.skip-link")

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_have_attribute("href", "#main")
    expect(skip).to_be_in_viewport()  # hidden off-screen until focused

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab goes on from the content, not from the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert page.evaluate("document.activeElement.closest('header') === null")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_lesson_fits_a_360_pixel_screen(make_page, enrolled_lesson, screenshots, language):
    page = make_page(width=PHONE_WIDTH, height=780)
    open_lesson(page, enrolled_lesson, language)

    page.screenshot(path=screenshots / f"lesson-{language}-{PHONE_WIDTH}.png", full_page=True)
    page.locator("a.skip-link").focus()
    page.screenshot(path=screenshots / f"lesson-{language}-{PHONE_WIDTH}-skip-link.png")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH + 1, (
        f"the {language} lesson page scrolls sideways at {PHONE_WIDTH}px: "
        f"its content is {scroll_width}px wide"
    )
