"""A learner's journeys with JavaScript turned off (a browser that blocks it, a script that fails
to load on a poor connection): logging in, changing language, answering a knowledge check,
marking a lesson done and answering an assessment all work as plain links and form posts. The
live room cannot work without JavaScript, and says so.

Interface strings are asserted through structure; texts asserted come from the content."""

import json

import pytest
from playwright.sync_api import expect

from assessments.loading import install_instrument
from assessments.models import Response
from courses.models import LessonCompletion
from courses.services.learning import enrol
from tests import factories
from tests.browser.helpers import expect_language, in_language, log_in, path_of
from tests.browser.test_assessment_journey import (
    CHECK_ID,
    RIGHT_FEEDBACK,
    WRONG_FEEDBACK,
    knowledge_check_block,
)
from tests.coaching.rooms import make_room
from virage_site.demo.assessments import CONTENT

pytestmark = pytest.mark.browser


@pytest.fixture
def page(make_page):
    return make_page(java_script_enabled=False)


@pytest.fixture
def learning(site):
    """(learner, [two lessons]) of a course in French and Arabic; the first with a check."""
    _home, catalogue = site
    course, lessons = factories.build_course(catalogue, modules=1, lessons=2)
    lessons[0].body = [*factories.lesson_body("1.1"), knowledge_check_block()]
    lessons[0].save()
    factories.translate_course(course, "ar")
    learner = factories.make_user(first_name="Amina", last_name="Benali")
    enrol(learner, course)
    return learner, lessons


def test_a_learner_logs_in_changes_language_and_answers_a_knowledge_check(page, learning):
    learner, lessons = learning
    log_in(page, learner, factories.PASSWORD, "fr")
    page.goto(path_of(lessons[0]))
    expect_language(page, "fr")

    # The language links lead to the same lesson in Arabic.
    with page.expect_navigation():
        page.locator("nav.languages a[hreflang=ar]").click()
    expect_language(page, "ar")
    arabic = in_language(lessons[0], "ar")
    assert page.url.endswith(path_of(arabic))
    expect(page.locator("main h1")).to_have_text(arabic.title)
    with page.expect_navigation():
        page.locator("nav.languages a[hreflang=fr]").click()
    expect_language(page, "fr")

    # The check posts as a form and the lesson comes back with the feedback next to it.
    check = page.locator(f"#kc-{CHECK_ID} form.knowledge-check")
    check.get_by_label("Sur le même disque").check()
    with page.expect_navigation():
        check.locator("button[type=submit]").click()
    assert page.url.split("#")[0].endswith(path_of(lessons[0]))
    feedback = page.locator(f"#kc-{CHECK_ID}-feedback")
    expect(feedback).to_contain_text(WRONG_FEEDBACK)
    expect(page.locator(f"#kc-{CHECK_ID} input[type=radio]:checked")).to_have_count(1)

    check = page.locator(f"#kc-{CHECK_ID} form.knowledge-check")
    check.get_by_label("Hors site").check()
    with page.expect_navigation():
        check.locator("button[type=submit]").click()
    expect(page.locator(f"#kc-{CHECK_ID}-feedback")).to_contain_text(RIGHT_FEEDBACK)


def test_a_learner_marks_a_lesson_done_and_goes_on_to_the_next(page, learning):
    learner, lessons = learning
    log_in(page, learner, factories.PASSWORD, "fr")
    page.goto(path_of(lessons[0]))
    with page.expect_navigation():
        page.locator("main .lesson-complete form button[type=submit]").click()

    assert page.url.endswith(path_of(lessons[1]))
    expect(page.locator("main h1")).to_have_text(lessons[1].title)
    expect(page.locator("main .messages .message-success")).to_be_visible()
    assert LessonCompletion.objects.filter(
        user=learner, lesson_key=lessons[0].translation_key
    ).exists()
    page.goto(path_of(lessons[0]))
    expect(page.locator("main article.lesson > .meta .done-mark")).to_be_visible()
    expect(page.locator("main .lesson-complete form")).to_have_count(0)


def test_a_learner_answers_an_assessment_and_saves_it_for_later(page, site):
    definition = json.loads((CONTENT / "digital-skills.json").read_text(encoding="utf-8"))
    install_instrument(definition)
    learner = factories.add_member(factories.make_company())
    log_in(page, learner, factories.PASSWORD, "fr")

    page.goto("/fr/assessments/")
    with page.expect_navigation():
        page.locator("main form[action$='/start/digital-skills/'] button[type=submit]").click()
    first = definition["dimensions"][0]["title"]["fr"]
    expect(page.locator("main h1")).to_have_text(first)
    page.locator("label[for=q-s1-4]").click()
    page.locator("#q-s2-2").check()
    with page.expect_navigation():
        page.locator("form.assessment-form button[name=action][value=later]").click()

    assert page.url.endswith("/fr/assessments/")
    expect(page.locator("main .messages .message-success")).to_be_visible()
    response = Response.objects.get(person=learner)
    assert (response.answers["S1"], response.answers["S2"]) == (4, 2)
    with page.expect_navigation():
        page.locator(f"main a.button[href$='/responses/{response.pk}/']").click()
    expect(page.locator("main h1")).to_have_text(first)
    expect(page.locator("#q-s1-4")).to_be_checked()
    expect(page.locator("#q-s2-2")).to_be_checked()


def test_the_live_room_says_it_needs_javascript(page, site):
    world = make_room()
    session = world["session"]
    log_in(page, world["people"][0], factories.PASSWORD, "fr")
    page.goto(f"/fr/coaching/sessions/{session.pk}/room/")
    notice = page.locator("main .room-noscript")
    expect(notice).to_be_visible()
    expect(notice.locator(f"a[href='/fr/coaching/sessions/{session.pk}/']")).to_be_visible()
