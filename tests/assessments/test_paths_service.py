"""Paths as people meet them: the dashboard section, locked lessons refused by address and on
completion, locks opened by results, quizzes and modules, the admin check and simulation, the
demo rules, and query counts that do not grow with rules, questions or companies."""

import json
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from assessments.loading import install_instrument
from assessments.models import PathRule, QuizAttempt, QuizPage, RuleSet
from assessments.paths.demo import NAME, ensure_demo_rules
from assessments.paths.store import active_book
from assessments.paths.validation import validate
from assessments.services.responses import next_stage, save_answers, start_or_resume, submit
from courses.models import LessonCompletion, ModulePage
from courses.services.learning import complete_lesson, enrol
from tests import factories
from tests.assessments.definitions import small_instrument
from virage_site.companies.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """These tests read the English texts of paths (the French ones are checked in
    test_the_path_is_shown_in_the_viewers_language)."""
    with translation.override("en"):
        yield


# Every question at its best (each dimension 100), or its lowest (each dimension 0).
HIGH = {
    "Q1": 3,
    "Q2": [1, 2],
    "Q3": {str(n): ["done"] for n in range(1, 5)},
    "Q4": {"1": 5, "2": 5},
    "Q5": {"1": "yes", "2": "yes"},
    "Q6": 5,
    "Q7": 50,
    "Q8": 2,
}
LOW = {"Q1": 1, "Q2": [], "Q4": {"1": 0, "2": 0}}


@pytest.fixture(autouse=True)
def fresh_cache():
    """Cached rule books outlive each test's database: start and end with none."""
    cache.clear()
    yield
    cache.clear()


def submit_result(instrument, answers, *, company=None, person=None):
    stage = next_stage(instrument, company=company, person=person)
    response = start_or_resume(instrument, stage, company=company, person=person)
    assert not save_answers(response, answers, replace_codes=list(response.answers))
    return submit(response)


def rule(rule_set, order, target, **fields):
    return PathRule.objects.create(rule_set=rule_set, sort_order=order, target=target, **fields)


@pytest.fixture
def world(catalogue):
    """A course of three modules of two lessons; a company with a lead and an employee
    enrolled; rules: a low strategy score requires the course, a high one recommends module 3;
    module 1 completed unlocks module 2."""
    course, lessons = factories.build_course(catalogue, modules=3, lessons=2, title="Vendre")
    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    instrument = install_instrument(small_instrument())
    company = factories.make_company()
    lead = factories.add_member(company, role=Membership.Role.LEAD)
    learner = factories.add_member(company, factories.make_user(email="employee@example.ma"))
    enrol(learner, course)
    rule_set = RuleSet.objects.create(name="Parcours")
    score = {"condition": "score", "instrument": instrument, "dimension_code": "D1"}
    rule(rule_set, 0, course, action="require", min_score=0, max_score=50, **score)
    rule(rule_set, 1, modules[2], action="recommend", min_score=50, max_score=100, **score)
    rule(rule_set, 2, modules[1], action="unlock", condition="completed", condition_page=modules[0])
    return {
        "course": course,
        "lessons": lessons,
        "modules": modules,
        "instrument": instrument,
        "company": company,
        "lead": lead,
        "learner": learner,
        "rule_set": rule_set,
    }


def page_text(response):
    return response.content.decode()


def french(message, **values):
    """`message` as a learner on the French site reads it (course pages are in French)."""
    with translation.override("fr"):
        return escape(translation.gettext(message) % values)


def test_the_dashboard_shows_the_path_in_order_with_reasons_and_locks(client, world):
    submit_result(world["instrument"], LOW, company=world["company"])
    client.force_login(world["learner"])
    html = page_text(client.get(reverse("dashboard")))
    assert "Your learning path" in html
    assert "Required because your company&#x27;s “Strategy” score is 0/100." in html
    assert f'href="{world["course"].url}"' in html
    # Module 2 is listed (inside the course in the path), locked, with what unlocks it, and
    # no link to it.
    assert "To open it, complete the module “Module 1”." in html
    assert f'href="{world["modules"][1].url}"' not in html
    assert html.index("Vendre") < html.index("To open it")


def test_a_company_without_results_is_invited_to_take_the_assessment(client, world):
    client.force_login(world["learner"])
    html = page_text(client.get(reverse("dashboard")))
    assert "Your company has not taken the assessment “Small instrument” yet" in html


def test_a_new_result_changes_the_path(client, world):
    client.force_login(world["learner"])
    submit_result(world["instrument"], LOW, company=world["company"])
    assert "Required because" in page_text(client.get(reverse("dashboard")))
    submit_result(world["instrument"], HIGH, company=world["company"])  # stage T1
    html = page_text(client.get(reverse("dashboard")))
    assert "Required because" not in html
    assert "Recommended because your company&#x27;s “Strategy” score is 100/100." in html


def test_a_locked_lesson_is_refused_by_address_with_what_unlocks_it(client, world):
    client.force_login(world["learner"])
    locked_lesson = world["lessons"][2]  # first lesson of module 2
    response = client.get(locked_lesson.url)
    assert response.status_code == 302
    assert response.url == world["course"].url
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert french("The module “%(title)s” is locked.", title="Module 2") in escape(message)
    assert french("complete the module “%(title)s”", title="Module 1") in escape(message)
    # Lessons of other modules stay open.
    assert client.get(world["lessons"][0].url).status_code == 200


def test_completing_a_locked_lesson_is_refused(client, world):
    client.force_login(world["learner"])
    locked_lesson = world["lessons"][2]
    response = client.post(reverse("courses:complete-lesson", args=[locked_lesson.pk]))
    assert response.status_code == 302 and response.url == world["course"].url
    assert not LessonCompletion.objects.filter(user=world["learner"]).exists()


def test_a_locked_lessons_knowledge_check_is_not_graded(client, world):
    from tests.courses.test_knowledge_check import CHECK_ID, check_block

    locked_lesson = world["lessons"][2]
    locked_lesson.body = [*factories.lesson_body("2.1"), check_block()]
    locked_lesson.save()
    client.force_login(world["learner"])
    url = reverse("courses:knowledge-check", args=[locked_lesson.pk, CHECK_ID])
    as_script = client.post(url, {"q0": "0"}, HTTP_ACCEPT="application/json")
    assert as_script.status_code == 403
    assert "Exactement" not in as_script.content.decode()  # no feedback leaks
    as_form = client.post(url, {"q0": "0"})
    assert as_form.status_code == 302 and as_form.url == world["course"].url


def test_completing_the_module_unlocks_the_next(client, world):
    client.force_login(world["learner"])
    for lesson in world["lessons"][:2]:
        complete_lesson(world["learner"], lesson, world["course"])
    assert client.get(world["lessons"][2].url).status_code == 200
    html = page_text(client.get("/en/dashboard/"))
    assert "Unlocked because you completed the module “Module 1”." in html


def test_the_course_and_module_pages_say_what_is_locked(client, world):
    client.force_login(world["learner"])
    course_html = page_text(client.get(world["course"].url))
    assert french("Locked modules") in course_html
    ways = french("complete the module “%(title)s”", title="Module 1")
    assert f"Module 2 · Module 2</strong> — {french('To open it, %(ways)s.', ways='')[:-1]}" in (
        course_html
    )
    assert ways in course_html
    module_html = page_text(client.get(world["modules"][1].url))
    locked = french("The module “%(title)s” is locked.", title="Module 2")
    assert locked in module_html
    assert locked not in page_text(client.get(world["modules"][0].url))


@pytest.mark.parametrize("role", ["editor", "manager", "superuser", "staff"])
def test_staff_editors_and_managers_are_never_locked_out(client, world, role):
    if role == "superuser":
        person = factories.make_user(is_superuser=True, is_staff=True)
    elif role == "staff":
        person = factories.make_user(is_staff=True)
    else:
        person = factories.make_user(role=role)
    enrol(person, world["course"])
    client.force_login(person)
    assert client.get(world["lessons"][2].url).status_code == 200


def test_a_score_unlock_opens_when_a_new_result_is_submitted(client, world, catalogue):
    advanced, advanced_lessons = factories.build_course(catalogue, modules=1, lessons=1)
    rule(
        world["rule_set"],
        3,
        advanced,
        action="unlock",
        instrument=world["instrument"],
        dimension_code="D1",
        min_score=50,
        max_score=100,
    )
    enrol(world["learner"], advanced)
    client.force_login(world["learner"])
    submit_result(world["instrument"], LOW, company=world["company"])
    response = client.get(advanced_lessons[0].url)
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert french("The course “%(title)s” is locked.", title=advanced.title) in escape(message)
    condition = french(
        "get a “%(dimension)s” score between %(low)s and %(high)s in “%(instrument)s”",
        dimension="Strategy",
        low=50,
        high=100,
        instrument="Small instrument",
    )
    assert condition in escape(message)
    score = french("%(condition)s (your company's score: %(score)s/100)", condition="", score=0)
    assert score in escape(message)
    submit_result(world["instrument"], HIGH, company=world["company"])
    assert client.get(advanced_lessons[0].url).status_code == 200


def test_another_companys_results_unlock_nothing(client, world, catalogue):
    advanced, advanced_lessons = factories.build_course(catalogue, modules=1, lessons=1)
    rule(
        world["rule_set"],
        3,
        advanced,
        action="unlock",
        instrument=world["instrument"],
        dimension_code="D1",
        min_score=50,
    )
    enrol(world["learner"], advanced)
    submit_result(world["instrument"], HIGH, company=factories.make_company())
    client.force_login(world["learner"])
    assert client.get(advanced_lessons[0].url).status_code == 302


def test_a_quiz_mark_unlocks_a_module(client, world):
    quiz = factories.add_child(
        world["modules"][0],
        QuizPage(
            title="Quiz du module 1",
            slug="quiz-1",
            body=[],
            questions=[
                {
                    "type": "question",
                    "value": {
                        "kind": "true_false",
                        "prompt": "Vrai ?",
                        "options": [
                            {"text": "Vrai", "correct": True, "feedback": ""},
                            {"text": "Faux", "correct": False, "feedback": ""},
                        ],
                        "explanation": "",
                    },
                }
            ],
        ),
    )
    rule(
        world["rule_set"],
        3,
        world["modules"][2],
        action="unlock",
        condition="quiz",
        condition_page=quiz,
        quiz_min_percent=70,
    )
    third_module_lesson = world["lessons"][4]
    client.force_login(world["learner"])
    response = client.get(third_module_lesson.url)
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    expected = french(
        "score at least %(mark)s %% in the quiz “%(title)s”", mark=70, title="Quiz du module 1"
    )
    assert expected in escape(message)
    QuizAttempt.objects.create(
        user=world["learner"], quiz_key=quiz.translation_key, score=50, passed=False
    )
    response = client.get(third_module_lesson.url)
    assert response.status_code == 302
    so_far = french("%(condition)s (your score so far: %(score)s %%)", condition="", score=50)
    assert so_far in escape(str(list(get_messages(response.wsgi_request))[-1]))
    QuizAttempt.objects.create(
        user=world["learner"], quiz_key=quiz.translation_key, score=100, passed=True
    )
    assert client.get(third_module_lesson.url).status_code == 200


def test_the_person_path_uses_the_persons_own_self_check(client, world, catalogue):
    skills = install_instrument(small_instrument(slug="skills", audience="person"))
    own, _lessons = factories.build_course(catalogue, modules=1, lessons=1, title="Sécurité")
    rule(
        world["rule_set"],
        3,
        own,
        audience="person",
        action="recommend",
        instrument=skills,
        dimension_code="D2",
        min_score=0,
        max_score=50,
    )
    client.force_login(world["learner"])
    assert "Sécurité" not in page_text(client.get(reverse("dashboard")))
    submit_result(skills, LOW, person=world["learner"])
    html = page_text(client.get(reverse("dashboard")))
    assert "Recommended because your “Data” score is 0/100." in html
    # Another employee's self-check is theirs alone.
    other = factories.add_member(world["company"])
    client.force_login(other)
    assert "Sécurité" not in page_text(client.get(reverse("dashboard")))


def test_an_inactive_rule_set_shapes_no_path_and_locks_nothing(client, world):
    world["rule_set"].active = False
    world["rule_set"].save()
    client.force_login(world["learner"])
    assert client.get(world["lessons"][2].url).status_code == 200
    assert "Your learning path" not in page_text(client.get(reverse("dashboard")))


def count_queries(client, url):
    client.get(url)  # warm the caches (rules, site root paths, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_dashboard_queries_do_not_grow_with_rules_questions_or_companies(client, world, catalogue):
    submit_result(world["instrument"], LOW, company=world["company"])
    client.force_login(world["learner"])
    few = count_queries(client, reverse("dashboard"))

    # 20 rules and more, on more courses, with a bigger instrument, and other companies
    # with results.
    bigger = small_instrument(slug="bigger")
    bigger["questions"] = [
        {**q, "code": f"{q['code']}x{n}", "condition": None}
        for n in range(5)
        for q in bigger["questions"]
        if "condition" not in q
    ]
    install_instrument(bigger)
    for n in range(6):
        course, _lessons = factories.build_course(catalogue, modules=2, lessons=1)
        modules = list(ModulePage.objects.child_of(course).order_by("path"))
        for step, (low, high) in enumerate(((0, 30), (30, 100))):
            rule(
                world["rule_set"],
                10 + 4 * n + step,
                course,
                instrument=world["instrument"],
                dimension_code="D2",
                min_score=low,
                max_score=high,
                priority=n,
            )
        rule(
            world["rule_set"],
            12 + 4 * n,
            modules[1],
            action="unlock",
            condition="completed",
            condition_page=modules[0],
        )
        enrol(world["learner"], course)
    for _ in range(10):
        submit_result(world["instrument"], HIGH, company=factories.make_company())
    assert PathRule.objects.count() >= 20
    many = count_queries(client, reverse("dashboard"))
    assert many == few
    assert len(active_book().rules) >= 20


def test_lesson_pages_cost_no_more_queries_with_many_rules(client, world, catalogue):
    client.force_login(world["learner"])
    url = world["lessons"][0].url
    few = count_queries(client, url)
    for n in range(20):
        course, _lessons = factories.build_course(catalogue, modules=1, lessons=1)
        rule(
            world["rule_set"],
            10 + n,
            course,
            action="unlock",
            condition="completed",
            condition_page=world["modules"][0],
        )
    assert count_queries(client, url) == few


# The admin ------------------------------------------------------------------------------


def check_url(rule_set):
    return reverse("wagtailsnippets_assessments_ruleset:check", args=[rule_set.pk])


def edit_url(rule_set):
    return reverse("wagtailsnippets_assessments_ruleset:edit", args=[rule_set.pk])


def rule_post(target, **fields):
    data = {
        "audience": "company",
        "condition": "score",
        "instrument": "",
        "dimension_code": "",
        "min_score": "",
        "max_score": "",
        "condition_page": "",
        "quiz_min_percent": "",
        "action": "recommend",
        "target": str(target.pk),
        "priority": "10",
    }
    data.update({key: str(value) for key, value in fields.items()})
    return data


@pytest.fixture
def editor_client(client):
    from wagtail.users.models import UserProfile

    editor = factories.make_user(role="editor")
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"  # the admin speaks the editor's language
    profile.save()
    client.force_login(editor)
    return client


def test_saving_a_rule_set_with_a_cycle_is_refused_with_the_reason(editor_client, world):
    m1, m2, _m3 = world["modules"]
    post = nested_form_data(
        {
            "name": "Circulaire",
            "active": "on",
            "rules": inline_formset(
                [
                    rule_post(m2, action="unlock", condition="completed", condition_page=m1.pk),
                    rule_post(m1, action="unlock", condition="completed", condition_page=m2.pk),
                ]
            ),
        }
    )
    response = editor_client.post(reverse("wagtailsnippets_assessments_ruleset:add"), post)
    assert response.status_code == 200
    html = page_text(response)
    assert "These rules wait for each other" in html
    assert "rule 1 opens “Module 2” once “Module 1” is completed" in html
    assert not RuleSet.objects.filter(name="Circulaire").exists()


def test_a_cycle_across_two_active_rule_sets_is_refused(editor_client, world):
    # The world's set already opens module 2 once module 1 is completed.
    m1, m2, _m3 = world["modules"]
    post = nested_form_data(
        {
            "name": "Second parcours",
            "active": "on",
            "rules": inline_formset(
                [rule_post(m1, action="unlock", condition="completed", condition_page=m2.pk)]
            ),
        }
    )
    response = editor_client.post(reverse("wagtailsnippets_assessments_ruleset:add"), post)
    assert response.status_code == 200
    assert "With the other active rule sets" in page_text(response)
    assert not RuleSet.objects.filter(name="Second parcours").exists()
    # Inactive, it shapes no path, so it may be saved as a draft of rules.
    post["active"] = ""
    response = editor_client.post(reverse("wagtailsnippets_assessments_ruleset:add"), post)
    assert response.status_code == 302


def test_saving_a_rule_set_with_warnings_saves_it_and_shows_them(editor_client, world):
    post = nested_form_data(
        {
            "name": "Avec des trous",
            "active": "on",
            "rules": inline_formset(
                [
                    rule_post(
                        world["course"],
                        instrument=world["instrument"].pk,
                        dimension_code="D1",
                        min_score=0,
                        max_score=40,
                    )
                ]
            ),
        }
    )
    response = editor_client.post(
        reverse("wagtailsnippets_assessments_ruleset:add"), post, follow=True
    )
    assert RuleSet.objects.filter(name="Avec des trous").exists()
    html = page_text(response)
    assert "scores from 40 to 100" in html


def test_the_check_and_simulate_view_shows_the_report_and_the_path(editor_client, world):
    response = editor_client.get(check_url(world["rule_set"]))
    assert response.status_code == 200
    html = page_text(response)
    assert "No problem found in these rules." in html
    assert "The company&#x27;s scores in “Small instrument”" in html

    form = response.context["form"]
    score_field = form.score_groups()[0]["fields"][1]  # D1, after the overall score
    assert "D1" in score_field.label
    response = editor_client.get(
        check_url(world["rule_set"]), {"simulate": "1", score_field.html_name: "20"}
    )
    html = page_text(response)
    assert "Required because your company&#x27;s “Strategy” score is 20/100." in html
    assert "To open it, complete the module “Module 1”." in html

    response = editor_client.get(
        check_url(world["rule_set"]), {"simulate": "1", score_field.html_name: "250"}
    )
    assert response.status_code == 200
    assert response.context["items"] is None and response.context["form"].errors


def test_the_edit_page_and_listing_link_to_the_check(editor_client, world):
    assert check_url(world["rule_set"]) in page_text(editor_client.get(edit_url(world["rule_set"])))
    listing = editor_client.get(reverse("wagtailsnippets_assessments_ruleset:list"))
    assert check_url(world["rule_set"]) in page_text(listing)


def test_the_check_view_of_an_unknown_set_is_404(editor_client, world):
    missing = reverse("wagtailsnippets_assessments_ruleset:check", args=[world["rule_set"].pk + 1])
    # The admin's 404 goes through the language redirect of the site's pages first.
    assert editor_client.get(missing, follow=True).status_code == 404


def test_the_check_view_is_refused_to_a_learner(client, world):
    client.force_login(world["learner"])
    response = client.get(check_url(world["rule_set"]))
    assert response.status_code in (302, 403)
    assert "Simulate" not in page_text(response)


# The demo rules --------------------------------------------------------------------------

DEMO_INSTRUMENTS = Path(__file__).parents[2] / "site" / "demo" / "content" / "assessments"


def demo_courses(catalogue):
    from assessments.paths.demo import MODULES, QUIZ

    for slug in ("culture-numerique", "e-commerce"):
        course, _lessons = factories.build_course(catalogue, modules=3, lessons=1, slug=slug)
        slugs = [
            module_slug for course_slug, module_slug in MODULES.values() if course_slug == slug
        ]
        for module, module_slug in zip(
            ModulePage.objects.child_of(course).order_by("path"), slugs, strict=True
        ):
            module.slug = module_slug
            module.save()
            if module_slug == MODULES[QUIZ[0]][1]:
                factories.add_quiz(module, slug=QUIZ[1])


def test_the_demo_rules_are_valid_and_cover_every_score(catalogue):
    demo_courses(catalogue)
    for name in ("maturity-sme", "digital-skills"):
        install_instrument(json.loads((DEMO_INSTRUMENTS / f"{name}.json").read_text()))
    rule_set = ensure_demo_rules()
    assert rule_set.name == NAME and rule_set.active
    assert ensure_demo_rules().pk == rule_set.pk  # again: kept as it stands, not duplicated
    assert RuleSet.objects.filter(name=NAME).count() == 1
    book = active_book()
    assert len(book.rules) == 10
    quiz_rules = [r for r in rule_set.rules.all() if r.condition == "quiz"]
    assert [(r.condition_page.slug, r.quiz_min_percent) for r in quiz_rules] == [
        ("quiz-canaux-de-vente", 70)
    ]
    report = validate(book.rules, book.pages, book.instrument_facts())
    assert report.errors == [] and report.warnings == []


def test_the_demo_rules_without_demo_courses_make_nothing(db):
    assert ensure_demo_rules() is None
    assert not RuleSet.objects.exists()


def test_the_company_path_is_the_companys_rules_for_its_results(rf, world):
    from assessments.paths.service import company_path

    submit_result(world["instrument"], LOW, company=world["company"])
    request = rf.get("/")
    request.user = world["lead"]
    path = company_path(world["company"], request)
    assert [item.title for item in path.items] == ["Vendre", "Module 2"]
    first, second = path.items
    assert first.action == "require" and first.url == world["course"].url
    assert first.reasons == ["required because your company's “Strategy” score is 0/100"]
    assert second.is_locked and second.url is None and second.course_title == "Vendre"
    other = factories.make_company()
    assert company_path(other, request).items == []


def test_the_path_is_shown_in_the_viewers_language(client, world):
    factories.translate_course(world["course"], "en")
    submit_result(world["instrument"], LOW, company=world["company"])
    client.force_login(world["learner"])
    with translation.override("en"):
        html = page_text(client.get(reverse("dashboard")))
    english = world["course"].get_translation(Locale.objects.get(language_code="en"))
    assert f'href="{english.url}"' in html
    assert "Vendre [en]" in html
    assert "To open it, complete the module “Module 1 [en]”." in html


def test_any_app_can_register_a_gate_that_closes_lessons(client, world):
    from courses.gates import Closed, registered_temporarily

    open_lesson = world["lessons"][0]

    def closed_on_fridays(user, course, page):
        if page.translation_key == open_lesson.translation_key:
            return Closed(message="Fermé.", unlock="Revenez lundi.")
        return None

    client.force_login(world["learner"])
    with registered_temporarily(closed_on_fridays):
        response = client.get(open_lesson.url)
        assert response.status_code == 302
        (message,) = [str(m) for m in get_messages(response.wsgi_request)]
        assert message == "Fermé. Revenez lundi."
    assert client.get(open_lesson.url).status_code == 200
