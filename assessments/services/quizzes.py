"""Taking module quizzes: attempts, their grading and scores, and what a quiz page shows."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import ngettext

from courses.models import Enrolment
from courses.quiz import grade_question, grade_questions, parse_answers
from courses.services.learning import complete_lesson

from ..models import QuizAttempt, QuizPage, ScorePolicy

SHOWN_RESULT_KEY = "assessments:quiz-results"


class NoAttemptsLeft(Exception):
    def __init__(self, allowed):
        super().__init__(allowed)
        self.message = ngettext(
            "You have used your only attempt at this quiz.",
            "You have used all %(count)d attempts at this quiz.",
            allowed,
        ) % {"count": allowed}


@dataclass
class Submission:
    attempt: QuizAttempt
    result: object
    certificate: object = None


def submit_attempt(quiz, user, course, data, request=None):
    """Grade the answers in form `data` and keep the attempt; passing completes the quiz like a
    lesson (so module and course progress and the certificate follow). Raises NoAttemptsLeft,
    or courses.quiz.InvalidAnswers for answers that cannot be graded; nothing is saved then."""
    children = list(quiz.questions)
    questions = [child.value for child in children]
    with transaction.atomic():
        # One learner's submissions one at a time, so that two at once cannot both take the
        # last attempt (a no-op on SQLite, which writes one transaction at a time anyway).
        list(
            Enrolment.objects.select_for_update()
            .filter(user=user, course_key=course.translation_key)
            .values_list("pk")
        )
        used = QuizAttempt.objects.filter(user=user, quiz_key=quiz.translation_key).count()
        if quiz.max_attempts and used >= quiz.max_attempts:
            raise NoAttemptsLeft(quiz.max_attempts)
        choices = parse_answers(questions, data)
        result = grade_questions(questions, choices)
        attempt = QuizAttempt.objects.create(
            user=user,
            quiz_key=quiz.translation_key,
            answers={child.id: chosen for child, chosen in zip(children, choices, strict=True)},
            score=result.percent,
            passed=result.percent >= quiz.pass_mark,
        )
        certificate = complete_lesson(user, quiz, course, request) if attempt.passed else None
    return Submission(attempt=attempt, result=result, certificate=certificate)


def show_result_once(request, quiz, attempt):
    """Remember the attempt to show on the learner's next view of the quiz."""
    shown = dict(request.session.get(SHOWN_RESULT_KEY) or {})
    shown[str(quiz.translation_key)] = attempt.pk
    request.session[SHOWN_RESULT_KEY] = shown


def take_result_to_show(request, quiz):
    shown = request.session.get(SHOWN_RESULT_KEY)
    key = str(quiz.translation_key)
    if not shown or key not in shown:
        return None
    shown = dict(shown)
    attempt_pk = shown.pop(key)
    request.session[SHOWN_RESULT_KEY] = shown
    return attempt_pk


def regrade(questions_children, answers):
    """The result of stored `answers` against the quiz's questions as they are now; an answer
    that no longer fits its question (the quiz was edited since) counts as no answer."""
    results = []
    for child in questions_children:
        size = len(child.value["options"])
        chosen = answers.get(child.id) if isinstance(answers, dict) else None
        if not isinstance(chosen, list) or not all(
            isinstance(index, int) and 0 <= index < size for index in chosen
        ):
            chosen = []
        results.append(grade_question(child.value, chosen))
    return results


@dataclass
class QuestionRow:
    index: int
    number: int
    question: object
    chosen: list


@dataclass
class AttemptsSummary:
    used: int
    allowed: int
    best: float | None
    last: float | None
    policy: str

    @property
    def left(self):
        return max(self.allowed - self.used, 0) if self.allowed else None

    @property
    def can_attempt(self):
        return not self.allowed or self.used < self.allowed

    @property
    def score(self):
        return self.last if self.policy == ScorePolicy.LAST else self.best


def summarise(attempts, quiz):
    scores = [attempt.score for attempt in attempts]
    return AttemptsSummary(
        used=len(attempts),
        allowed=quiz.max_attempts,
        best=max(scores) if scores else None,
        last=scores[-1] if scores else None,
        policy=quiz.score_policy,
    )


def quiz_view_state(quiz, request, invalid_answers=None):
    """What a quiz page shows the person viewing it, in one query whatever the number of
    questions: their attempts, with the result of the one just submitted."""
    children = list(quiz.questions)
    attempts = []
    if request.user.is_authenticated and not getattr(request, "is_preview", False):
        attempts = list(
            QuizAttempt.objects.filter(user=request.user, quiz_key=quiz.translation_key).order_by(
                "created_at", "pk"
            )
        )
    summary = summarise(attempts, quiz)
    shown_pk = take_result_to_show(request, quiz) if attempts else None
    shown = next((attempt for attempt in attempts if attempt.pk == shown_pk), None)
    results = regrade(children, shown.answers) if shown is not None else None
    chosen = invalid_answers.choices if invalid_answers else []
    rows = [
        QuestionRow(
            index=index,
            number=index + 1,
            question=child.value,
            chosen=chosen[index] if index < len(chosen) else [],
        )
        for index, child in enumerate(children)
    ]
    return {
        "quiz_questions": rows,
        "quiz_attempts": summary,
        "shown_attempt": shown,
        "shown_results": results,
        # Explanations of wrongly answered questions would give answers away to someone who
        # may try again: they come once the quiz is passed or no attempt is left.
        "reveal_explanations": shown is not None and (shown.passed or not summary.can_attempt),
        "quiz_error": invalid_answers.message if invalid_answers else None,
    }


def policies(quiz_keys):
    """{quiz key: score policy}, from each quiz's page in the site's default language where it
    has one (translations may disagree), in one query."""
    found = {}
    rows = QuizPage.objects.filter(translation_key__in=quiz_keys).values_list(
        "translation_key", "score_policy", "locale__language_code"
    )
    for key, policy, language in rows:
        if key not in found or language == settings.LANGUAGE_CODE:
            found[key] = policy
    return found


def quiz_scores(user, quiz_keys=None):
    """{quiz key: score 0–100} for each quiz `user` has attempted (among `quiz_keys` if given),
    by that quiz's policy: its best attempt, or its last. Two queries, whatever the numbers of
    quizzes and attempts."""
    if not user.is_authenticated:
        return {}
    attempts = QuizAttempt.objects.filter(user=user)
    if quiz_keys is not None:
        quiz_keys = list(quiz_keys)
        if not quiz_keys:
            return {}
        attempts = attempts.filter(quiz_key__in=quiz_keys)
    rows = list(attempts.order_by("created_at", "pk").values_list("quiz_key", "score"))
    if not rows:
        return {}
    policy_of = policies({key for key, _score in rows})
    scores = {}
    for key, score in rows:
        if policy_of.get(key) == ScorePolicy.LAST or key not in scores:
            scores[key] = score
        else:
            scores[key] = max(scores[key], score)
    return scores
