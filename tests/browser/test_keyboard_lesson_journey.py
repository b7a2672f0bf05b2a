"""A learner who uses only the keyboard logs in, opens a course from the catalogue, enrols,
answers the lesson's knowledge check and marks the lesson done: Tab to move, Enter to follow a
link or press a button, Space to tick an answer."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import expect_language, in_language, path_of

pytestmark = pytest.mark.browser

LANGUAGE = "ar"  # right to left: the order of Tab must still follow the page
MOST_TABS = 80


def knowledge_check():
    return {
        "type": "knowledge_check",
        "value": {
            "title": "Vérifiez vos acquis",
            "questions": [
                {"type": "item", "value": factories.question("Où garder la sauvegarde ?")}
            ],
        },
    }


@pytest.fixture
def lessons(site):
    _home, catalogue = site
    course, lessons = factories.build_course(catalogue, modules=1, lessons=2)
    first = lessons[0]
    first.body = [*factories.lesson_body("1.1"), knowledge_check()]
    factories.publish(first)
    factories.translate_course(course, LANGUAGE)
    return course, [in_language(lesson, LANGUAGE) for lesson in lessons]


def tab_to(page, selector):
    """Presses Tab until the focus is on an element matching `selector`."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{MOST_TABS} presses of Tab never reached {selector} on {page.url}")


def press_enter_and_wait(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_lesson_journey_with_the_keyboard_only(page, lessons):
    course, (lesson, next_lesson) = lessons
    learner = factories.make_user()

    page.goto(f"/{LANGUAGE}/accounts/login/")
    tab_to(page, "input[name=login]")
    page.keyboard.type(learner.email)
    tab_to(page, "input[name=password]")
    page.keyboard.type(factories.PASSWORD)
    press_enter_and_wait(page)
    assert "/accounts/login/" not in page.url

    page.goto(path_of(in_language(course.get_parent(), LANGUAGE)))
    tab_to(page, f'main a[href="{path_of(in_language(course, LANGUAGE))}"]')
    press_enter_and_wait(page)
    expect_language(page, LANGUAGE)
    tab_to(page, ".course-actions button[type=submit]")
    press_enter_and_wait(page)  # enrolling opens the first lesson
    expect(page.locator("main h1")).to_have_text(lesson.title)

    tab_to(page, "form.knowledge-check input[type=radio]")
    page.keyboard.press("Space")
    expect(page.locator("form.knowledge-check input[type=radio]").first).to_be_checked()
    tab_to(page, "form.knowledge-check button[type=submit]")
    page.keyboard.press("Enter")
    # The answer is checked in place: the feedback comes in the live region, the page stays.
    expect(page.locator("form.knowledge-check .quiz-summary")).to_be_visible()
    expect(page.locator("main h1")).to_have_text(lesson.title)

    tab_to(page, ".lesson-complete button[type=submit]")
    press_enter_and_wait(page)
    expect(page.locator("main h1")).to_have_text(next_lesson.title)
    page.goto(path_of(lesson))
    expect(page.locator(".lesson-complete .success")).to_be_visible()
