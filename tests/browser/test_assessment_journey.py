"""Assessments in the browser: a company lead takes the reference maturity assessment step by
step (in French and in Arabic), leaves and resumes, submits and reads the results and the path
they unlock; a required statement left empty; the steps without JavaScript; a knowledge check
in a lesson; and a step on a phone-sized screen.

Interface strings are asserted through structure (roles, ids, states) rather than wording, so
these tests hold whatever the state of the translation catalogues; texts asserted come from the
instrument's content, the pages' titles, and numbers.
"""

import json
import re
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from assessments import scoring
from assessments.loading import install_instrument
from assessments.models import PathRule, Response, RuleSet
from assessments.services.responses import start_or_resume
from courses.models import ModulePage
from courses.services.learning import enrol
from tests import factories
from tests.browser.helpers import expect_language, in_language, log_in, path_of
from virage_site.companies.models import Membership
from virage_site.demo.assessments import CONTENT

pytestmark = pytest.mark.browser

LANGUAGES = ["fr", "ar"]

# What the lead answers, step by step, in the exchange format: the response must end up holding
# exactly this. Scores (0–100): D1 20, D2 22.1, D3 13.4, D4 15.5, D5 16, D6 20; overall 17.8.
ANSWERS = {
    "Q1": {"1": ["done", "planned"], "2": ["done"]},
    "Q2": [1, 2],
    "Q3": [1, 2, 4],
    "Q4": {"1": 3, "3": 2},
    "Q5": [1],
    "Q6": [2],
    "Q7": [3],
    "Q8": [1],
    "Q9": {"5": 4},
    "Q10": [10],
    "Q11": {"1": "yes", "2": "partially"},
}
SHOWN_SCORES = {"D1": "20", "D2": "22", "D3": "13", "D4": "15", "D5": "16", "D6": "20"}
SHOWN_OVERALL = "18"


def definition_of(slug):
    return json.loads((CONTENT / f"{slug}.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rule books and course outlines are cached; every test here starts on an empty database,
    so it starts (and ends) with an empty cache too."""
    cache.clear()
    yield
    cache.clear()


# The world of the maturity journey ----------------------------------------------------------


@dataclass
class World:
    definition: dict
    company: object
    lead: object
    course_a: object  # required by a low "Digital readiness" (D2) score
    course_b: object  # recommended whatever the "Digital strategy" (D1) score
    modules_b: list  # module 2 opens once module 1 is completed
    lessons_b: list


def build_world(catalogue, language):
    definition = definition_of("maturity-sme")
    instrument = install_instrument(definition)
    course_a, _lessons = factories.build_course(
        catalogue, modules=1, lessons=1, title="Culture numérique", slug="culture-numerique"
    )
    course_b, lessons_b = factories.build_course(
        catalogue, modules=2, lessons=1, title="Vendre en ligne", slug="vendre-en-ligne"
    )
    if language != "fr":
        factories.translate_course(course_a, language)
        factories.translate_course(course_b, language)
    modules_b = list(ModulePage.objects.child_of(course_b).order_by("path"))
    rule_set = RuleSet.objects.create(name="Parcours TPME", active=True)
    on_score = {"rule_set": rule_set, "condition": "score", "instrument": instrument}
    # A low "Digital readiness" (D2) score requires course A, any "Digital strategy" (D1) score
    # recommends course B, whose module 2 opens once its module 1 is completed.
    PathRule.objects.create(
        **on_score, sort_order=0, dimension_code="D2", min_score=0, max_score=51,
        action="require", target=course_a, priority=10,
    )  # fmt: skip
    PathRule.objects.create(
        **on_score, sort_order=1, dimension_code="D1", min_score=0, max_score=100,
        action="recommend", target=course_b, priority=20,
    )  # fmt: skip
    PathRule.objects.create(
        rule_set=rule_set, sort_order=2, condition="completed", condition_page=modules_b[0],
        action="unlock", target=modules_b[1], priority=30,
    )  # fmt: skip
    company = factories.make_company(name="Atelier Zellige Fès")
    lead = factories.add_member(
        company, factories.make_user(email="fatima@zellige.ma"), Membership.Role.LEAD
    )
    enrol(lead, course_b)
    return World(definition, company, lead, course_a, course_b, modules_b, lessons_b)


def dimension_title(world, code, language):
    dimension = next(d for d in world.definition["dimensions"] if d["code"] == code)
    return dimension["title"][language]


def question_text(world, code, language):
    question = next(q for q in world.definition["questions"] if q["code"] == code)
    return question["text"][language]


# Moving through the steps ---------------------------------------------------------------------


def press(page, action):
    """Press one of a step's buttons ("continue", "back", "later") and wait for the next page."""
    with page.expect_navigation():
        page.locator(f"form.assessment-form button[name=action][value={action}]").click()


def press_with_keyboard(page, action):
    button = page.locator(f"form.assessment-form button[name=action][value={action}]")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def expect_step(page, world, language, number, code=None):
    """The page is step `number` (1-based) of the eight, titled after dimension `code`."""
    expect_language(page, language)
    steps = page.locator("nav.steps-nav ol.steps > li")
    expect(steps).to_have_count(8)  # profile, six dimensions, review
    current = page.locator("nav.steps-nav a[aria-current=step]")
    expect(current).to_have_count(1)
    expect(steps.nth(number - 1).locator("a")).to_have_attribute("aria-current", "step")
    if code:
        title = dimension_title(world, code, language)
        expect(page.locator("main h1")).to_have_text(title)
        expect(current).to_contain_text(title)


def expect_ticked(page, *ids):
    for element_id in ids:
        expect(page.locator(f"#{element_id}")).to_be_checked()


def expect_saved(page):
    """The autosave status, a polite live region, says the answers are saved."""
    status = page.locator("#autosave-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    saved = status.get_attribute("data-saved")
    assert saved
    expect(status).to_have_text(re.compile("^" + re.escape(saved)))
    expect(status).not_to_have_class(re.compile("is-failed"))


def fill_profile(page):
    page.locator("select[name=size_band]").select_option("small")
    page.locator("select[name=sector]").select_option("manufacturing")
    page.locator("select[name=region]").select_option("fes-meknes")
    page.locator("input[name=founded_year]").fill("2012")


READINESS_TICKED = ("q-q3-1", "q-q3-2", "q-q3-4", "q-q4-row-1-3", "q-q4-row-3-2")
STRATEGY_TICKED = ("q-q1-row-1-done", "q-q1-row-1-planned", "q-q1-row-2-done", "q-q2-1", "q-q2-2")


def answer_strategy(page):
    """D1 with the mouse (grid of two columns) and the keyboard (tick boxes with Space)."""
    page.locator("#q-q1-row-1-done").check()
    page.locator("#q-q1-row-1-planned").check()
    page.locator("#q-q1-row-2-done").click()
    page.locator("#q-q2-1").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect_ticked(page, *STRATEGY_TICKED)
    expect(page.locator("#q-q2-3")).not_to_be_checked()


def answer_readiness(page):
    """D2: three tools ticked by their labels; a grid row chosen with the arrow keys."""
    for number in (1, 2, 4):
        page.locator(f"label[for=q-q3-{number}]").click()
    # Into the row's radio group, Space picks 0, each arrow down moves on and picks: 3.
    page.locator("#q-q4-row-1-0").focus()
    page.keyboard.press("Space")
    for _step in range(3):
        page.keyboard.press("ArrowDown")
    page.locator("#q-q4-row-3-2").check()
    expect_ticked(page, *READINESS_TICKED)


# 1. The whole journey ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_lead_takes_the_maturity_assessment_and_sees_the_path_it_unlocks(
    make_page, site, live_server, language
):
    _home, catalogue = site
    world = build_world(catalogue, language)
    page = make_page()
    log_in(page, world.lead, factories.PASSWORD, language)

    # "My assessments": the instrument, in the page's language, and a button to take it.
    page.goto(f"/{language}/assessments/")
    expect_language(page, language)
    card = page.locator("main .assessment-card")
    expect(card).to_have_count(1)
    expect(card.locator("h3")).to_have_text(world.definition["title"][language])
    with page.expect_navigation():
        card.locator("form[action$='/start/maturity-sme/'] button[type=submit]").click()

    # Step 1, the company's profile (not scored): it updates the company.
    expect_step(page, world, language, 1)
    steps = page.locator("nav.steps-nav ol.steps > li")
    for number, dimension in enumerate(world.definition["dimensions"], 2):
        expect(steps.nth(number - 1)).to_contain_text(dimension["title"][language])
    fill_profile(page)
    press(page, "continue")

    # Step 2, D1: the grid by mouse, the statements by keyboard; "Save and continue" by Enter.
    expect_step(page, world, language, 2, "D1")
    expect(page.locator("#q-q1-legend")).to_contain_text(question_text(world, "Q1", language))
    expect(page.locator("#q-q1 .answer-grid tbody tr")).to_have_count(10)
    answer_strategy(page)
    press_with_keyboard(page, "continue")

    # Step 3, D2; then "Back": both steps kept their answers.
    expect_step(page, world, language, 3, "D2")
    answer_readiness(page)
    press(page, "back")
    expect_step(page, world, language, 2, "D1")
    expect_ticked(page, *STRATEGY_TICKED)
    expect(page.locator("#q-q1-row-2-planned")).not_to_be_checked()
    press(page, "continue")
    expect_step(page, world, language, 3, "D2")
    expect_ticked(page, *READINESS_TICKED)
    press(page, "continue")

    # Step 4, D3: one answer, then "Save and finish later" leads back to "My assessments".
    expect_step(page, world, language, 4, "D3")
    page.locator("#q-q5-1").check()
    press(page, "later")
    expect(page).to_have_url(f"{live_server.url}/{language}/assessments/")
    expect(page.locator("main .messages .message-success")).to_be_visible()
    draft = Response.objects.get(company=world.company)
    assert draft.status == Response.Status.DRAFT
    resume = page.locator(f"main .assessment-card a.button[href$='/responses/{draft.pk}/']")
    expect(resume).to_be_visible()

    # Coming back resumes at the step reached, with its answer.
    with page.expect_navigation():
        resume.click()
    expect_step(page, world, language, 4, "D3")
    expect_ticked(page, "q-q5-1")
    expect(page.locator("nav.steps-nav li.is-reached")).to_have_count(3)

    # Autosave: a change is saved as it is made (the status says so), and survives a reload.
    page.locator("#q-q6-2").check()
    expect_saved(page)
    draft.refresh_from_db()
    assert (draft.answers["Q5"], draft.answers["Q6"]) == ([1], [2])
    page.goto(page.url)  # loaded afresh: what shows is what the server kept, not a restored form
    expect_step(page, world, language, 4, "D3")
    expect_ticked(page, "q-q5-1", "q-q6-2")
    expect(page.locator("#autosave-status")).to_be_empty()
    press(page, "continue")

    expect_step(page, world, language, 5, "D4")
    page.locator("#q-q7-3").check()
    page.locator("#q-q8-1").check()
    press(page, "continue")
    expect_step(page, world, language, 6, "D5")
    page.locator("#q-q9-row-5-4").check()
    press(page, "continue")
    expect_step(page, world, language, 7, "D6")
    page.locator("#q-q10-10").check()
    page.locator("#q-q11-row-1-yes").check()
    page.locator("#q-q11-row-2-partially").check()
    press(page, "continue")

    # The review lists the six dimensions, nothing missing; submitting opens the results.
    expect_step(page, world, language, 8)
    review = page.locator("main ul.review-list > li")
    expect(review).to_have_count(6)
    for number, dimension in enumerate(world.definition["dimensions"]):
        expect(review.nth(number)).to_contain_text(dimension["title"][language])
    expect(page.locator("main .missing-list")).to_have_count(0)
    with page.expect_navigation():
        page.locator("main form[action$='/submit/'] button[type=submit]").click()

    response = Response.objects.get(company=world.company)
    assert response.status == Response.Status.SUBMITTED
    assert response.answers == ANSWERS
    expected = scoring.score(world.definition, ANSWERS)
    assert {code: str(round(value)) for code, value in expected.dimensions.items()} == (
        SHOWN_SCORES
    )
    assert str(round(expected.overall)) == SHOWN_OVERALL
    world.company.refresh_from_db()
    assert (world.company.size_band, world.company.founded_year) == ("small", 2012)

    expect(page).to_have_url(
        f"{live_server.url}/{language}/assessments/responses/{response.pk}/results/"
    )
    expect_results(page, world, language)
    path = expect_path(page, world, language)

    # The dashboard shows the same path, in the same order, with the same explanation.
    page.goto(f"/{language}/dashboard/")
    expect_language(page, language)
    dashboard_path = page.locator("main section.learning-path")
    expect(dashboard_path.locator(".path-item")).to_have_count(len(path["titles"]))
    expect(dashboard_path.locator(".path-item h3")).to_contain_text(path["titles"])
    expect(dashboard_path.locator(".path-item.is-locked")).to_contain_text(path["lock"])

    # The locked module's lesson, opened by its address, is refused with the same explanation.
    locked_lesson = in_language(world.lessons_b[1], language)
    course_b = in_language(world.course_b, language)
    page.goto(path_of(locked_lesson))
    expect(page).to_have_url(live_server.url + path_of(course_b))
    expect_language(page, language)
    message = page.locator("main .messages .message")
    expect(message).to_have_count(1)
    expect(message).to_contain_text(in_language(world.modules_b[1], language).title)
    expect(message).to_contain_text(path["lock"])
    expect(page.locator("main h1")).not_to_have_text(locked_lesson.title)


def expect_results(page, world, language):
    expect_language(page, language)
    expect(page.locator("main h1")).to_contain_text(world.company.name)
    overall = page.locator("main .overall-score")
    expect(overall.locator("strong")).to_have_text(SHOWN_OVERALL)
    expect(overall.locator(".level")).to_have_class(re.compile(r"\blevel-basic\b"))

    # The radar chart, labelled by its caption, one point per dimension, with its data table.
    chart = page.locator("main figure.radar-figure svg.radar")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("role", "img")
    expect(chart).to_have_attribute("aria-labelledby", "radar-caption")
    expect(page.locator("#radar-caption")).not_to_be_empty()
    expect(chart.locator(".radar-current circle")).to_have_count(6)
    rows = page.locator("main table.results-table tbody tr")
    expect(rows).to_have_count(6)
    for number, dimension in enumerate(world.definition["dimensions"]):
        row = rows.nth(number)
        expect(row.locator("th[scope=row]")).to_have_text(dimension["title"][language])
        expect(row.locator("td").first).to_have_text(SHOWN_SCORES[dimension["code"]])
    expect(chart.locator(".radar-labels > text")).to_have_count(6)
    expect(page.locator("main table.results-table tfoot td").first).to_have_text(SHOWN_OVERALL)

    # A recommendation per dimension, for its level, from the instrument's content.
    advice = page.locator("main .dimension-results > li")
    expect(advice).to_have_count(6)
    for number, dimension in enumerate(world.definition["dimensions"]):
        expect(advice.nth(number).locator("h3")).to_have_text(dimension["title"][language])
        expect(advice.nth(number)).to_contain_text(f"{SHOWN_SCORES[dimension['code']]}/100")
        first_line = dimension["recommendations"]["basic"][language].splitlines()[0]
        expect(advice.nth(number)).to_contain_text(first_line)


def expect_path(page, world, language):
    """The path under the results: the required course first (low D2 score), the recommended
    one next, and its second module locked, saying that completing module 1 opens it."""
    course_a = in_language(world.course_a, language)
    course_b = in_language(world.course_b, language)
    module_1, module_2 = (in_language(m, language) for m in world.modules_b)
    section = page.locator("main section.learning-path")
    expect(section).to_be_visible()
    items = section.locator(".path-item")
    titles = [course_a.title, course_b.title, module_2.title]
    expect(items).to_have_count(len(titles))
    expect(items.locator("h3")).to_contain_text(titles)

    required = items.nth(0)
    expect(required).to_have_class(re.compile(r"\bis-open\b"))
    expect(required.locator("h3 a")).to_have_attribute("href", path_of(course_a))
    reason = required.locator("p.meta")
    expect(reason).to_contain_text(dimension_title(world, "D2", language))
    expect(reason).to_contain_text(f"{SHOWN_SCORES['D2']}/100")
    expect(items.nth(1).locator("p.meta")).to_contain_text(dimension_title(world, "D1", language))
    expect(items.nth(1).locator("p.meta")).to_contain_text(f"{SHOWN_SCORES['D1']}/100")

    locked = items.nth(2)
    expect(locked).to_have_class(re.compile(r"\bis-locked\b"))
    expect(locked.locator("a")).to_have_count(0)  # nothing to follow while it is locked
    lock = locked.locator("p:not(.tag):not(.meta)")
    expect(lock).to_contain_text(module_1.title)
    return {"titles": titles, "lock": lock.inner_text().strip()}


# 2. A required statement left empty ---------------------------------------------------------


def answers_given(response):
    return {code: answer for code, answer in response.answers.items() if answer is not None}


def test_a_required_statement_left_empty_is_explained_next_to_it(page, site, live_server):
    definition = definition_of("digital-skills")
    install_instrument(definition)
    company = factories.make_company(name="Souss Argan Coop")
    employee = factories.add_member(company, factories.make_user(email="hassan@souss.ma"))
    log_in(page, employee, factories.PASSWORD, "fr")

    page.goto("/fr/assessments/")
    card = page.locator("main .assessment-personal .assessment-card")
    expect(card.locator("h3")).to_have_text(definition["title"]["fr"])
    with page.expect_navigation():
        card.locator("form[action$='/start/digital-skills/'] button[type=submit]").click()
    first_area = definition["dimensions"][0]["title"]["fr"]
    expect(page.locator("main h1")).to_have_text(first_area)
    statements = page.locator("form.assessment-form fieldset.question")
    expect(statements).to_have_count(3)

    # The first and third statements answered, the second (required) left empty.
    page.locator("#q-s1-4").check()
    page.locator("label[for=q-s3-2]").click()
    press(page, "continue")

    expect(page.locator("main h1")).to_have_text(first_area)  # still on the same step
    missing = page.locator("#q-s2")
    expect(missing).to_have_class(re.compile(r"\bhas-error\b"))
    error = page.locator("#q-s2-error")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    assert "q-s2-error" in missing.get_attribute("aria-describedby").split()
    for other in ("#q-s1", "#q-s3"):
        expect(page.locator(other)).not_to_have_class(re.compile(r"\bhas-error\b"))
    expect(page.locator("#q-s1-error, #q-s3-error")).to_have_count(0)
    summary = page.locator("main .error-summary[role=alert]")
    expect(summary).to_be_visible()
    expect(summary.locator("a[href='#q-s2']")).to_contain_text("S2")
    # Nothing lost: the answers given are still ticked, and kept.
    expect_ticked(page, "q-s1-4", "q-s3-2")
    response = Response.objects.get(person=employee)
    assert answers_given(response) == {"S1": 4, "S3": 2}
    assert response.step == 0

    # Answered, the step moves on.
    page.locator("#q-s2-5").check()
    press(page, "continue")
    expect(page.locator("main h1")).to_have_text(definition["dimensions"][1]["title"]["fr"])
    response.refresh_from_db()
    assert answers_given(response) == {"S1": 4, "S2": 5, "S3": 2}


# 3. Without JavaScript ------------------------------------------------------------------------


def test_a_lead_goes_through_a_step_without_javascript(make_page, site, live_server):
    definition = definition_of("maturity-sme")
    install_instrument(definition)
    company = factories.make_company(name="Atelier Zellige Fès")
    lead = factories.add_member(company, role=Membership.Role.LEAD)
    page = make_page(java_script_enabled=False)
    log_in(page, lead, factories.PASSWORD, "fr")

    page.goto("/fr/assessments/")
    with page.expect_navigation():
        page.locator("main form[action$='/start/maturity-sme/'] button[type=submit]").click()
    fill_profile(page)
    press(page, "continue")
    expect(page.locator("main h1")).to_have_text(definition["dimensions"][0]["title"]["fr"])
    page.locator("#q-q1-row-3-planned").check()
    page.locator("label[for=q-q2-5]").click()
    press(page, "continue")

    expect(page.locator("main h1")).to_have_text(definition["dimensions"][1]["title"]["fr"])
    response = Response.objects.get(company=company)
    assert response.answers == {"Q1": {"3": ["planned"]}, "Q2": [5]}
    assert response.step == 2
    company.refresh_from_db()
    assert company.region == "fes-meknes"
    press(page, "back")
    expect_ticked(page, "q-q1-row-3-planned", "q-q2-5")


# 4. A knowledge check in a lesson -----------------------------------------------------------

CHECK_ID = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
RIGHT_FEEDBACK = "Exactement : loin des risques du bureau."
WRONG_FEEDBACK = "Non : une panne emporte les deux."
EXPLANATION = "Une copie sur place brûle avec l'original."


def knowledge_check_block():
    question = factories.question(
        "Où garder la copie de sauvegarde ?",
        options=[
            ("Hors site", True, RIGHT_FEEDBACK),
            ("Sur le même disque", False, WRONG_FEEDBACK),
        ],
        explanation=EXPLANATION,
    )
    return {
        "type": "knowledge_check",
        "id": CHECK_ID,
        "value": {
            "title": "Vérifiez vos acquis",
            "questions": [
                {"type": "item", "id": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", "value": question}
            ],
        },
    }


def test_a_knowledge_check_answers_in_place_and_hides_its_answers_until_then(
    page, site, live_server
):
    _home, catalogue = site
    course, lessons = factories.build_course(catalogue, modules=1, lessons=1)
    lesson = lessons[0]
    lesson.body = [*factories.lesson_body("1.1"), knowledge_check_block()]
    lesson.save()
    learner = factories.make_user(email="amina@example.ma")
    enrol(learner, course)
    log_in(page, learner, factories.PASSWORD, "fr")
    page.goto(path_of(lesson))

    html = page.content()
    for secret in (RIGHT_FEEDBACK, WRONG_FEEDBACK, EXPLANATION, "is-right", "is-wrong"):
        assert secret not in html
    assert "correct" not in html.lower()  # nor which option is right
    check = page.locator(f"#kc-{CHECK_ID} form.knowledge-check")
    expect(check.locator("legend")).to_contain_text("Où garder la copie de sauvegarde ?")
    feedback = page.locator(f"#kc-{CHECK_ID}-feedback")
    expect(feedback).to_have_attribute("aria-live", "polite")
    expect(feedback).to_be_empty()

    # A wrong answer: the feedback comes into the live region, the page stays where it was.
    page.evaluate("window.stillTheSamePage = true")
    check.get_by_label("Sur le même disque").check()
    check.locator("button[type=submit]").click()
    expect(feedback).to_contain_text(WRONG_FEEDBACK)
    expect(feedback.locator(".question-feedback.is-wrong")).to_have_count(1)
    expect(feedback).to_contain_text(EXPLANATION)
    expect(feedback).not_to_contain_text(RIGHT_FEEDBACK)

    # Then the right one.
    check.get_by_label("Hors site").check()
    check.locator("button[type=submit]").click()
    expect(feedback).to_contain_text(RIGHT_FEEDBACK)
    expect(feedback.locator(".question-feedback.is-right")).to_have_count(1)
    expect(feedback.locator(".question-feedback.is-wrong")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.url == live_server.url + path_of(lesson)


# 5. On a phone ----------------------------------------------------------------------------------

# Grids scroll inside their own box; their hidden cell labels must not widen the page.
WIDE_STEPS = [
    pytest.param(1, "D1", "#q-q1-row-10-planned", id="two-columns"),
    pytest.param(2, "D2", "#q-q4-row-7-5", id="six-columns"),
]


@pytest.mark.parametrize("index,code,last_cell", WIDE_STEPS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_step_with_a_grid_fits_a_phone_screen(make_page, site, language, index, code, last_cell):
    definition = definition_of("maturity-sme")
    instrument = install_instrument(definition)
    company = factories.make_company()
    lead = factories.add_member(company, role=Membership.Role.LEAD)
    response = start_or_resume(instrument, "T0", company=company, filled_by=lead)
    page = make_page(width=360, height=740)
    log_in(page, lead, factories.PASSWORD, language)

    page.goto(f"/{language}/assessments/responses/{response.pk}/steps/{index}/")
    expect_language(page, language)
    title = next(d["title"][language] for d in definition["dimensions"] if d["code"] == code)
    expect(page.locator("main h1")).to_have_text(title)
    # The grid's last column can be reached and ticked, inside the grid's own box.
    page.locator(last_cell).check()
    expect(page.locator(last_cell)).to_be_checked()
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert client_width == 360
    assert scroll_width <= client_width, f"the page is {scroll_width} px wide"
