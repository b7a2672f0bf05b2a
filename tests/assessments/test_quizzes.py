"""Module quizzes: grading on the server, attempts and their limit, best or last score, completion
by passing, languages, query counts and creation in the admin."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from assessments.models import QuizAttempt, QuizPage
from assessments.services.quizzes import quiz_scores
from courses.models import LessonCompletion, LessonPage, ModulePage
from courses.services.learning import course_view_state, enrol
from tests import factories

pytestmark = pytest.mark.django_db

RIGHT = "0"  # the default questions of factories.question have their right option first
WRONG = "1"
EXPLANATION = "Parce que la sauvegarde est ailleurs."


@pytest.fixture
def module(course):
    _course, lessons = course
    return lessons[-1].get_parent().specific


@pytest.fixture
def enrolled(course, learner):
    enrol(learner, course[0])
    return learner


def answers(*values):
    return {f"q{index}": value for index, value in enumerate(values)}


def text(response):
    return response.content.decode()


def test_learner_sees_questions_without_correct_answers_or_feedback(
    learner_client, enrolled, module
):
    quiz = factories.add_quiz(
        module,
        questions=[factories.question("Où garder la sauvegarde ?", explanation=EXPLANATION)],
    )
    response = learner_client.get(quiz.url)
    assert response.status_code == 200
    assert "assessments/quiz_page.html" in [t.name for t in response.templates]
    html = text(response)
    assert "Où garder la sauvegarde ?" in html
    assert 'name="q0" value="2"' in html
    for secret in ("Bravo", "relisez la leçon", "Non plus", EXPLANATION):
        assert secret not in html
    assert "correct" not in html.lower()
    assert "is-right" not in html and "is-wrong" not in html


def test_editor_previews_a_quiz(rf, module):
    quiz = factories.add_quiz(
        module, questions=[factories.question("Où garder ?", explanation=EXPLANATION)]
    )
    request = rf.get("/")
    request.user = factories.make_user(role="editor")
    response = quiz.make_preview_request(original_request=request)
    assert response.status_code == 200
    html = text(response)
    assert "Où garder ?" in html
    assert "Bravo" not in html and EXPLANATION not in html


def test_passing_records_the_attempt_marks_the_quiz_done_and_counts_in_progress(
    learner_client, enrolled, learner, course, module, rf
):
    course_page, lessons = course
    quiz = factories.add_quiz(module, questions=3, pass_mark=60)
    response = learner_client.post(quiz.url, answers(RIGHT, RIGHT, WRONG))
    assert response.status_code == 302
    assert response["Location"].endswith("#quiz-result")
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt.quiz_key == quiz.translation_key
    assert attempt.score == pytest.approx(200 / 3)
    assert attempt.passed
    assert LessonCompletion.objects.filter(user=learner, lesson_key=quiz.translation_key).exists()
    request = rf.get("/")
    request.user = learner
    outline = course_view_state(course_page, request)["outline"]
    assert outline.done_count == 1
    assert len(outline.lessons) == len(lessons) + 1

    html = text(learner_client.get(quiz.url))
    assert "You scored 67 %" in html or "Vous avez obtenu 67" in html
    assert html.count('class="question-feedback is-right"') == 2
    assert html.count('class="question-feedback is-wrong"') == 1
    assert "Bravo, c&#x27;est juste." in html
    assert "Non : relisez la leçon." in html


def test_passing_the_last_item_earns_the_certificate(learner_client, learner, catalogue):
    course_page, lessons = factories.build_course(catalogue, modules=1, lessons=1)
    enrol(learner, course_page)
    learner_client.post(
        reverse("courses:complete-lesson", args=[lessons[0].pk]), {"next": lessons[0].url}
    )
    quiz = factories.add_quiz(lessons[0].get_parent(), questions=1)
    learner_client.post(quiz.url, answers(RIGHT))
    assert learner.certificates.filter(course_key=course_page.translation_key).exists()


def test_after_a_lesson_the_quiz_offers_to_continue_to_the_next_lesson(
    learner_client, enrolled, course
):
    _course, lessons = course
    quiz = factories.add_quiz(lessons[0].get_parent(), questions=1)
    quiz.move(lessons[1], pos="left")  # between the first and the second lesson
    learner_client.post(quiz.url, answers(RIGHT))
    html = text(learner_client.get(quiz.url))
    assert f'href="{lessons[1].url}"' in html
    assert "Leçon 1.2" in html


def test_failing_shows_feedback_on_chosen_options_only_and_keeps_explanations(
    learner_client, enrolled, learner, module
):
    quiz = factories.add_quiz(
        module,
        questions=[factories.question("Question ?", explanation=EXPLANATION)],
        max_attempts=3,
    )
    learner_client.post(quiz.url, answers(WRONG))
    assert not LessonCompletion.objects.filter(user=learner).exists()
    html = text(learner_client.get(quiz.url))
    assert "Non : relisez la leçon." in html  # the chosen option's feedback
    assert "Bravo" not in html and "Non plus" not in html  # options not chosen stay silent
    assert EXPLANATION not in html  # it would give the answer away: attempts remain
    assert "1 of 3 used" in html or "1 sur 3" in html


def test_explanations_come_once_no_attempt_is_left(learner_client, enrolled, module):
    quiz = factories.add_quiz(
        module,
        questions=[factories.question("Question ?", explanation=EXPLANATION)],
        max_attempts=1,
    )
    learner_client.post(quiz.url, answers(WRONG))
    assert EXPLANATION in text(learner_client.get(quiz.url))


def test_result_is_shown_once(learner_client, enrolled, module):
    quiz = factories.add_quiz(module, questions=1)
    learner_client.post(quiz.url, answers(RIGHT))
    assert 'id="quiz-result"' in text(learner_client.get(quiz.url))
    assert 'id="quiz-result"' not in text(learner_client.get(quiz.url))


@pytest.mark.parametrize(
    "data",
    [
        answers("7"),
        answers("-1"),
        answers("abc"),
        answers("١"),  # an Arabic-Indic digit is not an option number either
        {"q0": ["0", "1"]},  # two answers to a single-choice question
        {"q0": ["0", "0"]},
        answers("0" * 50),
    ],
)
def test_tampered_answers_get_a_message_and_save_nothing(learner_client, enrolled, module, data):
    quiz = factories.add_quiz(module, questions=1)
    response = learner_client.post(quiz.url, data)
    assert response.status_code == 200
    assert 'role="alert"' in text(response)
    assert not QuizAttempt.objects.exists()


def test_an_unanswered_question_is_asked_again_with_the_other_answers_kept(
    learner_client, enrolled, module
):
    quiz = factories.add_quiz(module, questions=2)
    response = learner_client.post(quiz.url, {"q1": "2"})
    assert response.status_code == 200
    html = text(response)
    assert 'role="alert"' in html
    assert 'name="q1" value="2" checked' in html
    assert not QuizAttempt.objects.exists()


def test_multiple_choice_and_true_false_questions_are_graded(
    learner_client, enrolled, learner, module
):
    quiz = factories.add_quiz(
        module,
        questions=[
            factories.question(
                "Lesquels ?",
                kind="multiple",
                options=[("A", True, ""), ("B", True, ""), ("C", False, "")],
            ),
            factories.question(
                "Vrai ?", kind="true_false", options=[("Vrai", True, ""), ("Faux", False, "")]
            ),
        ],
    )
    html = text(learner_client.get(quiz.url))
    assert 'type="checkbox" name="q0"' in html and 'type="radio" name="q1"' in html
    learner_client.post(quiz.url, {"q0": ["1", "0"], "q1": "0"})
    learner_client.post(quiz.url, {"q0": ["0"], "q1": "0"})
    assert list(QuizAttempt.objects.order_by("pk").values_list("score", flat=True)) == [100, 50]


def test_not_enrolled_learner_is_not_graded(learner_client, learner, module, course):
    quiz = factories.add_quiz(module, questions=1)
    response = learner_client.post(quiz.url, answers(RIGHT))
    assert response.status_code == 302
    assert response["Location"] == course[0].url
    assert not QuizAttempt.objects.exists()
    assert not LessonCompletion.objects.exists()


def test_visitor_is_sent_to_log_in(client, module):
    quiz = factories.add_quiz(module, questions=1)
    response = client.post(quiz.url, answers(RIGHT))
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not QuizAttempt.objects.exists()


def test_attempts_beyond_the_limit_are_refused(learner_client, enrolled, learner, module):
    quiz = factories.add_quiz(module, questions=1, max_attempts=2)
    for _ in range(2):
        assert learner_client.post(quiz.url, answers(WRONG)).status_code == 302
    response = learner_client.post(quiz.url, answers(RIGHT), follow=True)
    assert QuizAttempt.objects.filter(user=learner).count() == 2
    assert not LessonCompletion.objects.exists()
    html = text(response)
    assert "2 attempts" in html or "2 tentatives" in html
    assert 'class="quiz-form"' not in html


def test_a_quiz_cannot_be_marked_as_done_without_passing(learner_client, enrolled, module):
    quiz = factories.add_quiz(module, questions=1)
    html = text(learner_client.get(quiz.url))
    assert reverse("courses:complete-lesson", args=[quiz.pk]) not in html
    response = learner_client.post(reverse("courses:complete-lesson", args=[quiz.pk]))
    assert response.status_code == 302
    assert not LessonCompletion.objects.exists()


def test_outline_and_module_page_show_a_quiz_as_a_quiz(learner_client, enrolled, course, module):
    quiz = factories.add_quiz(module, questions=1, title="Bilan du module")
    for url in (course[0].url, module.url, quiz.url):
        html = text(learner_client.get(url))
        assert re.search(r'<span class="tag">Quiz</span>\s*Bilan du module', html), url


def test_best_or_last_score_counts_as_the_quiz_says(learner, module):
    best = factories.add_quiz(module, questions=1, score_policy="best")
    last = factories.add_quiz(module, questions=1, score_policy="last")
    for quiz in (best, last):
        for score in (80, 40):
            QuizAttempt.objects.create(
                user=learner, quiz_key=quiz.translation_key, score=score, passed=score >= 70
            )
    untried = factories.add_quiz(module, questions=1)
    scores = quiz_scores(learner)
    assert scores == {best.translation_key: 80, last.translation_key: 40}
    assert quiz_scores(learner, [last.translation_key, untried.translation_key]) == {
        last.translation_key: 40
    }
    assert quiz_scores(learner, []) == {}


def test_quiz_page_shows_the_score_its_policy_keeps(learner_client, enrolled, module):
    quiz = factories.add_quiz(module, questions=2, score_policy="last")
    learner_client.post(quiz.url, answers(RIGHT, RIGHT))
    learner_client.post(quiz.url, answers(RIGHT, WRONG))
    html = text(learner_client.get(quiz.url))
    assert re.search(r"<dt>[^<]*</dt><dd>100 %</dd>", html)  # best
    assert re.search(r"<dt>[^<]*</dt><dd>50 %</dd>", html)  # last


def test_quiz_scores_take_two_queries_whatever_the_number_of_quizzes(
    learner, module, django_assert_num_queries
):
    def attempt_quizzes(count):
        for _ in range(count):
            quiz = factories.add_quiz(module, questions=1)
            for score in (20, 90):
                QuizAttempt.objects.create(
                    user=learner, quiz_key=quiz.translation_key, score=score, passed=False
                )

    attempt_quizzes(1)
    with django_assert_num_queries(2):
        assert len(quiz_scores(learner)) == 1
    attempt_quizzes(5)
    with django_assert_num_queries(2):
        assert len(quiz_scores(learner)) == 6


def test_attempts_survive_switching_language(learner_client, enrolled, learner, course, module):
    quiz = factories.add_quiz(module, questions=1, max_attempts=2)
    factories.translate_course(course[0], "en")
    learner_client.post(quiz.url, answers(WRONG))
    english = QuizPage.objects.get(
        translation_key=quiz.translation_key, locale=Locale.objects.get(language_code="en")
    )
    with translation.override("en"):
        english_url = english.url
    html = text(learner_client.get(english_url))
    assert "1 of 2 used" in html
    learner_client.post(english_url, answers(RIGHT))
    assert learner_client.post(english_url, answers(RIGHT)).status_code == 302
    assert QuizAttempt.objects.filter(user=learner).count() == 2
    assert quiz_scores(learner) == {quiz.translation_key: 100}
    assert LessonCompletion.objects.filter(lesson_key=quiz.translation_key).count() == 1


def count_queries(client, url):
    client.get(url)  # warm per-process caches (site root paths, content types, outline)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_quiz_page_queries_do_not_grow_with_questions(learner_client, enrolled, module):
    few = factories.add_quiz(module, questions=3)
    many = factories.add_quiz(module, questions=15)
    assert count_queries(learner_client, few.url) == count_queries(learner_client, many.url)
    learner_client.post(few.url, answers(*[RIGHT] * 3))
    learner_client.post(many.url, answers(*[RIGHT] * 15))
    # With a result to show as well: the same number again.
    with CaptureQueriesContext(connection) as few_result:
        learner_client.get(few.url)
    with CaptureQueriesContext(connection) as many_result:
        learner_client.get(many.url)
    assert len(few_result) == len(many_result)


class QuizInTheAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        _home, catalogue = factories.build_site()
        _course, lessons = factories.build_course(catalogue, modules=1, lessons=1)
        cls.module = lessons[0].get_parent().specific

    def setUp(self):
        self.login()

    def test_a_module_holds_lessons_and_quizzes(self):
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage, QuizPage})
        self.assertTrue(QuizPage.can_create_at(self.module))

    def test_the_add_form_opens_under_a_module(self):
        url = reverse("wagtailadmin_pages:add", args=["assessments", "quizpage", self.module.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        choose = reverse("wagtailadmin_pages:add_subpage", args=[self.module.pk])
        self.assertContains(self.client.get(choose), url)

    def test_an_editor_creates_a_quiz_under_a_module(self):
        question = {
            "kind": "single",
            "prompt": "Où ranger la sauvegarde ?",
            "options": {
                "count": "2",
                **{
                    str(index): {
                        "value": {"text": text, "correct": flag, "feedback": ""},
                        "deleted": "",
                        "order": str(index),
                    }
                    for index, (text, flag) in enumerate((("Ailleurs", "on"), ("Ici", "")))
                },
            },
            "explanation": "",
        }
        self.assertCanCreate(
            self.module,
            QuizPage,
            nested_form_data(
                {
                    "title": "Bilan",
                    "slug": "bilan",
                    "summary": "",
                    "duration_minutes": 10,
                    "body": streamfield([("rich_text", rich_text("<p>Pour vérifier.</p>"))]),
                    "questions": streamfield([("question", question)]),
                    "pass_mark": 70,
                    "max_attempts": 0,
                    "score_policy": "best",
                }
            ),
        )
        quiz = QuizPage.objects.get(slug="bilan")
        self.assertEqual(len(quiz.questions), 1)


# Answers that cannot be graded: each question at fault is marked -----------------------------


def marked_form(response):
    """The quiz form of a page shown again after answers that could not be graded."""
    from bs4 import BeautifulSoup

    assert response.status_code == 200
    return BeautifulSoup(text(response), "html.parser").select_one("form.quiz-form")


ANSWER_THIS = "Choose an answer to this question."
ANSWER_SOME = "Choose at least one answer to this question."
NOT_RECOGNISED = "This answer was not recognised: choose again."


def assert_marked(form, index, message):
    """The question at `index` carries its error: `message` (translated) inside its fieldset,
    which the fieldset points to, and aria-invalid on each of its inputs."""
    fieldset = form.find("fieldset", id=f"quiz-question-{index + 1}")
    error = fieldset.find(id=fieldset["aria-describedby"])
    assert error is not None and translation.gettext(message) in error.get_text()
    inputs = fieldset.find_all("input", attrs={"name": f"q{index}"})
    assert inputs and all(field.get("aria-invalid") == "true" for field in inputs)


def assert_not_marked(form, index):
    fieldset = form.find("fieldset", id=f"quiz-question-{index + 1}")
    assert not fieldset.has_attr("aria-describedby")
    assert not fieldset.find(attrs={"aria-invalid": True})
    assert not fieldset.select(".quiz-error")


def test_a_partial_submission_marks_exactly_the_unanswered_questions(
    learner_client, enrolled, learner, module
):
    quiz = factories.add_quiz(
        module,
        questions=[
            factories.question(f"Question {n} ?", explanation=EXPLANATION) for n in (1, 2, 3)
        ],
    )
    response = learner_client.post(quiz.url, {"q1": WRONG})
    form = marked_form(response)
    html = text(response)

    assert_marked(form, 0, ANSWER_THIS)
    assert_not_marked(form, 1)
    assert_marked(form, 2, ANSWER_THIS)
    # The answer given stays ticked, and only it.
    assert [(i["name"], i["value"]) for i in form.select("input[checked]")] == [("q1", WRONG)]

    summary = form.select_one('[role="alert"]')
    assert form.contents.index(summary) < form.contents.index(form.find("fieldset"))
    targets = [link["href"] for link in summary.find_all("a")]
    assert targets == ["#quiz-question-1", "#quiz-question-3"]
    assert all(form.find(id=target[1:]).name == "fieldset" for target in targets)
    # The error summary is where the form sends the learner back to.
    assert form["action"].endswith(f"#{summary['id']}")

    assert not QuizAttempt.objects.exists()
    assert not LessonCompletion.objects.filter(user=learner).exists()
    for secret in ("Bravo", "relisez", "Non plus", EXPLANATION, "is-right", "is-wrong"):
        assert secret not in html


def test_a_multiple_choice_question_left_unanswered_asks_for_at_least_one_answer(
    learner_client, enrolled, module
):
    quiz = factories.add_quiz(
        module,
        questions=[
            factories.question(),
            factories.question(
                kind="multiple",
                options=[("A", True, ""), ("B", True, ""), ("C", False, "")],
            ),
        ],
    )
    form = marked_form(learner_client.post(quiz.url, {"q0": RIGHT}))
    assert_not_marked(form, 0)
    assert_marked(form, 1, ANSWER_SOME)
    assert not QuizAttempt.objects.exists()


def test_a_tampered_answer_is_marked_next_to_its_question(learner_client, enrolled, module):
    quiz = factories.add_quiz(module, questions=3)
    form = marked_form(learner_client.post(quiz.url, {"q0": "7", "q1": RIGHT}))
    assert_marked(form, 0, NOT_RECOGNISED)
    assert_not_marked(form, 1)
    assert_marked(form, 2, ANSWER_THIS)
    assert [(i["name"], i["value"]) for i in form.select("input[checked]")] == [("q1", RIGHT)]
    summary = form.select_one('[role="alert"]')
    assert [a["href"] for a in summary.find_all("a")] == ["#quiz-question-1", "#quiz-question-3"]
    assert not QuizAttempt.objects.exists()


def test_a_fresh_quiz_form_marks_nothing(learner_client, enrolled, module):
    quiz = factories.add_quiz(module, questions=2)
    html = text(learner_client.get(quiz.url))
    assert 'id="quiz-question-1"' in html and 'id="quiz-question-2"' in html
    assert "aria-invalid" not in html and 'role="alert"' not in html


def test_a_partial_submission_costs_the_same_queries_whatever_the_number_of_questions(
    learner_client, enrolled, module
):
    few = factories.add_quiz(module, questions=3)
    many = factories.add_quiz(module, questions=15)
    counts = []
    for quiz in (few, many):
        learner_client.get(quiz.url)  # warm per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = learner_client.post(quiz.url, {"q1": RIGHT})
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
