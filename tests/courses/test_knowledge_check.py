"""Knowledge checks in lessons: question validation and grading, answers never in the page before
answering, feedback with and without JavaScript, bad input and access."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from courses.models import LessonCompletion
from courses.quiz import (
    MULTIPLE,
    SINGLE,
    TRUE_FALSE,
    InvalidAnswers,
    QuizQuestionBlock,
    grade_question,
    grade_questions,
    parse_answers,
    parse_choices,
    question_errors,
)
from courses.services.learning import enrol
from tests import factories

EXPLANATION = "Une copie sur place brûle avec l'original."
CHECK_ID = "5a8f1c2e-0c1d-4c55-9f3e-6a1b2c3d4e5f"


def question(kind=SINGLE, *flags):
    flags = flags or (True, False, False)
    return factories.question(
        kind=kind,
        options=[(f"Option {i}", flag, f"Avis {i}") for i, flag in enumerate(flags)],
    )


# Grading ---------------------------------------------------------------------------------------


def test_single_choice_is_right_with_its_correct_option_only():
    assert grade_question(question(SINGLE), [0]).correct
    assert not grade_question(question(SINGLE), [1]).correct
    assert not grade_question(question(SINGLE), []).correct


def test_true_false_is_graded_like_a_single_choice():
    assert grade_question(question(TRUE_FALSE, False, True), [1]).correct
    assert not grade_question(question(TRUE_FALSE, False, True), [0]).correct


def test_multiple_choice_needs_exactly_the_correct_options():
    value = question(MULTIPLE, True, True, False)
    assert grade_question(value, [0, 1]).correct
    missing = grade_question(value, [0])
    assert not missing.correct and missing.missed_correct_options
    assert not grade_question(value, [0, 1, 2]).correct


def test_feedback_speaks_of_chosen_options_only():
    result = grade_question(question(MULTIPLE, True, True, False), [1, 2])
    assert [(o.index, o.correct, o.feedback) for o in result.chosen_options] == [
        (1, True, "Avis 1"),
        (2, False, "Avis 2"),
    ]


def test_quiz_percent_is_the_share_of_right_questions():
    questions = [question(SINGLE), question(SINGLE), question(MULTIPLE, True, True, False)]
    result = grade_questions(questions, [[0], [2], [0, 1]])
    assert (result.correct_count, result.total) == (2, 3)
    assert result.percent == pytest.approx(200 / 3)
    assert grade_questions([], []).percent == 0


@pytest.mark.parametrize(
    "values",
    [["3"], ["-1"], ["x"], ["1.0"], ["٠"], ["0", "0"], ["0", "1"], ["99999999"], [" 1"]],
)
def test_tampered_or_out_of_range_values_are_refused(values):
    with pytest.raises(InvalidAnswers) as refused:
        parse_choices(question(SINGLE), values)
    assert refused.value.code == InvalidAnswers.UNRECOGNISED


def test_answers_are_read_by_question_position():
    from django.http import QueryDict

    data = QueryDict("q0=0&q1=2&q1=0")
    assert parse_answers([question(SINGLE), question(MULTIPLE, True, False, True)], data) == [
        [0],
        [0, 2],
    ]
    with pytest.raises(InvalidAnswers) as refused:
        parse_answers([question(SINGLE), question(SINGLE)], QueryDict("q1=1"))
    assert refused.value.code == InvalidAnswers.UNANSWERED
    assert refused.value.choices == [[], [1]]


# Validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind,flags,valid",
    [
        (SINGLE, (True, False), True),
        (SINGLE, (True, True), False),
        (SINGLE, (False, False), False),
        (SINGLE, (True,), False),
        (TRUE_FALSE, (False, True), True),
        (TRUE_FALSE, (True, False, False), False),
        (TRUE_FALSE, (True, True), False),
        (MULTIPLE, (True, True, False), True),
        (MULTIPLE, (False, False), False),
    ],
)
def test_question_block_validation(kind, flags, valid):
    block = QuizQuestionBlock()
    value = block.to_python(question(kind, *flags))
    assert (question_errors(value) == []) is valid
    if valid:
        block.clean(value)
    else:
        with pytest.raises(ValidationError):
            block.clean(value)


# Lesson pages ----------------------------------------------------------------------------------


def check_block(block_id=CHECK_ID):
    return {
        "type": "knowledge_check",
        "id": block_id,
        "value": {
            "title": "Vérifiez vos acquis",
            "questions": [
                {
                    "type": "item",
                    "id": "0b6b7d0e-8a57-4f0e-9a0e-1d2c3b4a5f61",
                    "value": factories.question(
                        "Où garder la sauvegarde ?",
                        options=[
                            ("Hors site", True, "Exactement : loin des risques du bureau."),
                            ("Sur le même disque", False, "Non : une panne emporte les deux."),
                        ],
                        explanation=EXPLANATION,
                    ),
                },
                {
                    "type": "item",
                    "id": "0b6b7d0e-8a57-4f0e-9a0e-1d2c3b4a5f62",
                    "value": factories.question(
                        "Que protéger ?",
                        kind=MULTIPLE,
                        options=[
                            ("Les factures", True, "Oui, elles sont obligatoires."),
                            ("Le fond d'écran", False, "Il ne vaut rien."),
                            ("Les fichiers clients", True, "Oui, ils sont précieux."),
                        ],
                    ),
                },
            ],
        },
    }


SECRETS = (
    "Exactement",
    "une panne emporte",
    "obligatoires",
    "Il ne vaut rien",
    "précieux",
    EXPLANATION.replace("'", "&#x27;"),
)


@pytest.fixture
def lesson(course):
    _course, lessons = course
    page = lessons[0]
    page.body = [*factories.lesson_body("1.1"), check_block()]
    page.save()
    return page


@pytest.fixture
def enrolled(course, learner):
    enrol(learner, course[0])
    return learner


def check_url(lesson, block_id=CHECK_ID):
    return reverse("courses:knowledge-check", args=[lesson.pk, block_id])


def text(response):
    return response.content.decode()


@pytest.mark.django_db
def test_lesson_shows_the_check_without_answers_or_feedback(learner_client, enrolled, lesson):
    html = text(learner_client.get(lesson.url))
    assert "Vérifiez vos acquis" in html
    assert f'action="{check_url(lesson)}"' in html
    assert re.search(r"<fieldset[^>]*>\s*<legend>", html)
    assert 'type="radio" name="q0" value="1"' in html
    assert 'type="checkbox" name="q1" value="2"' in html
    assert "Check my answers" in html or "Vérifier mes réponses" in html
    for secret in SECRETS:
        assert secret not in html
    assert "correct" not in html.lower()
    assert "<!--courses:" not in html  # markers are filled or removed
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.django_db
def test_without_javascript_feedback_is_shown_once_next_to_the_check(
    learner_client, enrolled, lesson
):
    response = learner_client.post(check_url(lesson), {"q0": "1", "q1": ["0", "1"]})
    assert response.status_code == 302
    assert response["Location"] == f"{lesson.url}#kc-{CHECK_ID}-feedback"
    html = text(learner_client.get(lesson.url))
    region = html[html.index(f'id="kc-{CHECK_ID}-feedback"') :]
    assert "Non : une panne emporte les deux." in region  # chosen, wrong
    assert "Oui, elles sont obligatoires." in region  # chosen, right
    assert "Il ne vaut rien." in region  # chosen, wrong
    assert "Exactement" not in html and "précieux" not in html  # not chosen: not commented
    assert EXPLANATION.replace("'", "&#x27;") in region
    assert region.count("is-wrong") == 2
    again = text(learner_client.get(lesson.url))
    assert "une panne emporte" not in again


@pytest.mark.django_db
def test_with_javascript_feedback_comes_back_to_show_in_place(learner_client, enrolled, lesson):
    response = learner_client.post(
        check_url(lesson), {"q0": "0", "q1": ["0", "2"]}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    html = response.json()["html"]
    assert html.count("is-right") == 2
    assert "Exactement : loin des risques du bureau." in html
    assert "une panne emporte" not in text(learner_client.get(lesson.url))  # nothing kept


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [{"q0": "5", "q1": "0"}, {"q0": "x", "q1": "0"}, {"q0": ["0", "1"], "q1": "0"}]
)
def test_tampered_values_get_a_message_not_an_error(learner_client, enrolled, lesson, data):
    response = learner_client.post(check_url(lesson), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "quiz-error" in response.json()["html"]
    response = learner_client.post(check_url(lesson), data, follow=True)
    assert response.status_code == 200
    html = text(response)
    region = html[html.index(f'id="kc-{CHECK_ID}-feedback"') :]
    assert region.split("</div>")[0].count("quiz-error") == 1


@pytest.mark.django_db
def test_an_unanswered_question_gets_a_message(learner_client, enrolled, lesson):
    response = learner_client.post(check_url(lesson), {"q0": "0"}, follow=True)
    html = text(response)
    region = html[html.index(f'id="kc-{CHECK_ID}-feedback"') :].split("</div>")[0]
    assert "quiz-error" in region
    assert "is-right" not in region


@pytest.mark.django_db
def test_unknown_checks_are_not_found(learner_client, enrolled, lesson):
    assert learner_client.post(check_url(lesson, "nope"), {"q0": "0"}).status_code == 404
    callout_id = lesson.body.raw_data[1]["id"]
    assert learner_client.post(check_url(lesson, callout_id), {"q0": "0"}).status_code == 404
    assert learner_client.get(check_url(lesson)).status_code == 405


@pytest.mark.django_db
def test_not_enrolled_learner_is_not_graded(learner_client, lesson):
    response = learner_client.post(check_url(lesson), {"q0": "0", "q1": "0"})
    assert response.status_code == 404
    assert "courses:knowledge-checks" not in learner_client.session


@pytest.mark.django_db
def test_visitor_is_sent_to_log_in(client, lesson):
    response = client.post(check_url(lesson), {"q0": "0", "q1": "0"})
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_cached_body_stays_the_same_for_everyone(lesson, course):
    """Two learners read the lesson from the same cached body: each page carries its own CSRF
    token (forms work with CSRF checks on) and only its own learner's feedback."""
    first, second = factories.make_user(), factories.make_user()
    clients = []
    for user in (first, second):
        enrol(user, course[0])
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        clients.append(client)
    tokens = []
    for client in clients:
        html = text(client.get(lesson.url))
        form = html[html.index('class="knowledge-check"') :]
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1))
    response = clients[0].post(
        check_url(lesson), {"q0": "1", "q1": "0", "csrfmiddlewaretoken": tokens[0]}
    )
    assert response.status_code == 302
    assert "une panne emporte" in text(clients[0].get(lesson.url))
    second_html = text(clients[1].get(lesson.url))
    assert "une panne emporte" not in second_html
    response = clients[1].post(
        check_url(lesson), {"q0": "0", "q1": "0", "csrfmiddlewaretoken": tokens[1]}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_checks_do_not_block_completion(learner_client, enrolled, learner, lesson):
    response = learner_client.post(reverse("courses:complete-lesson", args=[lesson.pk]))
    assert response.status_code == 302
    assert LessonCompletion.objects.filter(user=learner, lesson_key=lesson.translation_key).exists()


@pytest.mark.django_db
def test_editor_sees_the_knowledge_check_block_in_the_lesson_editor(client, lesson):
    client.force_login(factories.make_user(role="editor"))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    assert response.status_code == 200
    assert "knowledge_check" in text(response)


def test_block_preview_renders_without_a_page():
    from courses.quiz import KnowledgeCheckBlock

    block = KnowledgeCheckBlock()
    html = block.render(block.get_preview_value())
    assert "Une sauvegarde hors site" in html
    assert "<form" not in html  # nowhere to send answers from the block chooser's preview


@pytest.mark.django_db
def test_editor_previews_a_lesson_with_a_check(rf, lesson):
    request = rf.get("/")
    request.user = factories.make_user(role="editor")
    response = lesson.make_preview_request(original_request=request)
    assert response.status_code == 200
    html = text(response)
    assert "Où garder la sauvegarde ?" in html
    assert "<!--courses:" not in html
    for secret in SECRETS:
        assert secret not in html


def test_feedback_and_explanations_stay_out_of_search():
    from courses.quiz import KnowledgeCheckBlock

    block = KnowledgeCheckBlock()
    content = " ".join(block.get_searchable_content(block.to_python(check_block()["value"])))
    assert "Où garder la sauvegarde ?" in content and "Hors site" in content
    for secret in ("Exactement", "obligatoires", EXPLANATION):
        assert secret not in content


# Answers that cannot be graded: each question at fault is marked -----------------------------

ANSWER_THIS = "Choose an answer to this question."
ANSWER_SOME = "Choose at least one answer to this question."
NOT_RECOGNISED = "This answer was not recognised: choose again."
QUESTION_IDS = [f"kc-{CHECK_ID}-question-1", f"kc-{CHECK_ID}-question-2"]


def check_form(html):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").find(id=f"kc-{CHECK_ID}").select_one("form")


def assert_marked(form, number, message):
    """Question `number` carries its error: `message` (translated) inside its fieldset, which
    the fieldset points to, and aria-invalid on each of its inputs."""
    from django.utils.translation import gettext

    fieldset = form.find("fieldset", id=QUESTION_IDS[number - 1])
    error = fieldset.find(id=fieldset["aria-describedby"])
    assert error is not None and gettext(message) in error.get_text()
    inputs = fieldset.find_all("input", attrs={"name": f"q{number - 1}"})
    assert inputs and all(field.get("aria-invalid") == "true" for field in inputs)


def assert_not_marked(form, number):
    fieldset = form.find("fieldset", id=QUESTION_IDS[number - 1])
    assert not fieldset.has_attr("aria-describedby")
    assert not fieldset.find(attrs={"aria-invalid": True})
    assert not fieldset.select(".quiz-error")


def ticked(form):
    return [(field["name"], field["value"]) for field in form.select("input[checked]")]


def summary_targets(form):
    """The questions the error summary, at the top of the form, links to."""
    summary = form.select_one('[role="alert"]')
    assert form.contents.index(summary) < form.contents.index(form.find("fieldset"))
    targets = [link["href"] for link in summary.find_all("a")]
    assert all(form.find(id=target[1:]).name == "fieldset" for target in targets)
    return targets


def assert_nothing_given_away(html):
    for secret in (*SECRETS, "is-right", "is-wrong"):
        assert secret not in html


@pytest.mark.django_db
def test_without_javascript_a_partial_answer_marks_the_unanswered_question(
    learner_client, enrolled, learner, lesson
):
    response = learner_client.post(check_url(lesson), {"q1": ["0", "2"]})
    assert response.status_code == 302
    html = text(learner_client.get(lesson.url))
    form = check_form(html)
    assert_marked(form, 1, ANSWER_THIS)
    assert_not_marked(form, 2)
    assert ticked(form) == [("q1", "0"), ("q1", "2")]
    assert summary_targets(form) == [f"#{QUESTION_IDS[0]}"]
    # The learner comes back to the feedback region: it leads to the summary.
    region = form.find(id=f"kc-{CHECK_ID}-feedback")
    assert region.find("a")["href"] == f"#kc-{CHECK_ID}-errors"
    assert form.find(id=f"kc-{CHECK_ID}-errors") is not None
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    assert_nothing_given_away(html)
    assert "<!--courses:" not in html
    # Nothing was graded nor kept: the next view shows the check as it was.
    assert not LessonCompletion.objects.filter(user=learner).exists()
    assert not learner_client.session.get("courses:knowledge-checks")
    again = check_form(text(learner_client.get(lesson.url)))
    assert not again.select('[aria-invalid], [role="alert"], input[checked]')


@pytest.mark.django_db
def test_with_javascript_the_reply_marks_the_unanswered_questions(learner_client, enrolled, lesson):
    response = learner_client.post(check_url(lesson), {}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    html = response.json()["html"]
    form = check_form(f'<section id="kc-{CHECK_ID}">{html}</section>')
    assert_marked(form, 1, ANSWER_THIS)
    assert_marked(form, 2, ANSWER_SOME)
    assert ticked(form) == []
    assert summary_targets(form) == [f"#{QUESTION_IDS[0]}", f"#{QUESTION_IDS[1]}"]
    assert_nothing_given_away(html)
    assert not learner_client.session.get("courses:knowledge-checks")


@pytest.mark.django_db
def test_with_javascript_answered_questions_stay_ticked_and_unmarked(
    learner_client, enrolled, lesson
):
    response = learner_client.post(check_url(lesson), {"q0": "1"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    html = response.json()["html"]
    form = check_form(f'<section id="kc-{CHECK_ID}">{html}</section>')
    assert_not_marked(form, 1)
    assert_marked(form, 2, ANSWER_SOME)
    assert ticked(form) == [("q0", "1")]
    assert summary_targets(form) == [f"#{QUESTION_IDS[1]}"]
    assert_nothing_given_away(html)  # the wrong answer given is not pointed out either


@pytest.mark.django_db
def test_a_tampered_answer_is_marked_next_to_its_question(learner_client, enrolled, lesson):
    data = {"q0": "5", "q1": "2"}
    response = learner_client.post(check_url(lesson), data, HTTP_ACCEPT="application/json")
    html = response.json()["html"]
    form = check_form(f'<section id="kc-{CHECK_ID}">{html}</section>')
    assert_marked(form, 1, NOT_RECOGNISED)
    assert_not_marked(form, 2)
    assert ticked(form) == [("q1", "2")]
    assert summary_targets(form) == [f"#{QUESTION_IDS[0]}"]
    assert_nothing_given_away(html)
    learner_client.post(check_url(lesson), data)
    form = check_form(text(learner_client.get(lesson.url)))
    assert_marked(form, 1, NOT_RECOGNISED)
    assert ticked(form) == [("q1", "2")]


@pytest.mark.django_db
def test_graded_answers_stay_ticked_without_marks(learner_client, enrolled, lesson):
    learner_client.post(check_url(lesson), {"q0": "1", "q1": "0"})
    form = check_form(text(learner_client.get(lesson.url)))
    assert ticked(form) == [("q0", "1"), ("q1", "0")]
    assert not form.select('[aria-invalid], [role="alert"]')
    assert form.find(id=f"kc-{CHECK_ID}-feedback").select(".question-feedback")


@pytest.mark.django_db
def test_a_remembered_error_that_no_longer_fits_the_check_is_dropped(
    learner_client, enrolled, lesson
):
    session = learner_client.session
    session["courses:knowledge-checks"] = {
        CHECK_ID: {"error": {"code": "unanswered", "choices": [[7]], "unanswered": [5, "0"]}}
    }
    session.save()
    response = learner_client.get(lesson.url)
    assert response.status_code == 200
    form = check_form(text(response))
    assert not form.select('[aria-invalid], [role="alert"], input[checked]')


@pytest.mark.django_db
def test_a_marked_check_costs_no_more_queries_than_a_graded_one(learner_client, enrolled, lesson):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    learner_client.get(lesson.url)  # warm per-process caches and the cached body
    counts = []
    for data in ({"q0": "0", "q1": "0"}, {"q1": "0"}):
        learner_client.post(check_url(lesson), data)
        with CaptureQueriesContext(connection) as captured:
            assert learner_client.get(lesson.url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_every_question_at_fault_is_named_with_what_could_be_read():
    from django.http import QueryDict

    questions = [question(SINGLE), question(MULTIPLE, True, False, True), question(SINGLE)]
    with pytest.raises(InvalidAnswers) as refused:
        parse_answers(questions, QueryDict("q0=9&q2=1"))
    invalid = refused.value
    assert invalid.code == InvalidAnswers.UNRECOGNISED
    assert (invalid.unrecognised, invalid.unanswered) == ([0], [1])
    assert invalid.choices == [[], [], [1]]
    kept = InvalidAnswers.from_data(invalid.as_data(), questions)
    assert (kept.code, kept.unrecognised, kept.unanswered, kept.choices) == (
        invalid.code,
        [0],
        [1],
        [[], [], [1]],
    )
    assert [bool(invalid.question_error(q, i)) for i, q in enumerate(questions)] == [
        True,
        True,
        False,
    ]
