"""Course progress of a seeded programme: enrolments in the catalogue's courses, lessons done in
the outline's order, quizzes passed (graded by the real grader, sometimes at the second try)
and certificates for those who finished. Rows are built in memory for bulk inserts."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from assessments.models import QuizAttempt, QuizPage
from courses.models import Certificate, CoursePage, Enrolment, LessonCompletion
from courses.quiz import grade_questions
from courses.services.outline import build_outlines

LEAD_ENROLS = 0.85
EMPLOYEE_ENROLS = 0.55
SECOND_COURSE = 0.35
FINISHES = 0.25
RIGHT_ANSWER = 0.8
COMPLETION_COLUMNS = ("user_id", "lesson_key", "course_key", "completed_at")
ENROLMENT_COLUMNS = (
    "user_id", "course_key", "enrolled_at", "completed_at", "last_lesson_key", "last_visited_at",
)  # fmt: skip
ATTEMPT_COLUMNS = ("user_id", "quiz_key", "answers", "score", "passed", "created_at")
CERTIFICATE_COLUMNS = (
    "code", "user_id", "course_key", "learner_name", "course_title", "language", "issued_at",
)  # fmt: skip


@dataclass
class Quiz:
    ids: list
    questions: list
    pass_mark: int
    max_attempts: int


@dataclass
class Course:
    key: object
    title: str
    lessons: list  # [(lesson key, Quiz or None)] in the outline's order


def load_catalogue():
    """The live French courses with their outlines, in a fixed number of queries; installs the
    demo courses first when the site has none."""
    courses = list(_french_courses())
    if not courses:
        from virage_site.demo.tree import ensure_content

        ensure_content()
        courses = list(_french_courses())
    outlines = build_outlines(courses)
    quiz_ids = [e.page.pk for o in outlines.values() for e in o.lessons if e.is_quiz]
    quizzes = {
        quiz.pk: Quiz(
            ids=[child.id for child in quiz.questions],
            questions=[child.value for child in quiz.questions],
            pass_mark=quiz.pass_mark,
            max_attempts=quiz.max_attempts,
        )
        for quiz in QuizPage.objects.filter(pk__in=quiz_ids)
    }
    return [
        Course(
            key=course.translation_key,
            title=course.title,
            lessons=[
                (entry.key, quizzes.get(entry.page.pk) if entry.is_quiz else None)
                for entry in outlines[course.pk].lessons
            ],
        )
        for course in courses
        if outlines[course.pk].lessons
    ]


def _french_courses():
    return CoursePage.objects.live().filter(locale__language_code="fr").order_by("path")


def _answers(rng, quiz, right):
    """Chosen option indices per question: the right ones with probability `right`, else a
    wrong choice (another single option)."""
    chosen = []
    for question in quiz.questions:
        correct = [i for i, option in enumerate(question["options"]) if option["correct"]]
        if rng.random() < right:
            chosen.append(correct)
        else:
            others = [i for i in range(len(question["options"])) if i not in correct]
            chosen.append([rng.choice(others)] if others else correct[:1])
    return chosen


class Progress:
    """The rows of one batch of learners."""

    def __init__(self, catalogue, rng, now):
        self.catalogue, self.rng, self.now = catalogue, rng, now
        self.enrolments, self.completions, self.attempts, self.certificates = [], [], [], []

    def rows(self):
        """(model, columns or None for model instances, rows) for `seeding.insert`."""
        return [
            (Enrolment, ENROLMENT_COLUMNS, self.enrolments),
            (LessonCompletion, COMPLETION_COLUMNS, self.completions),
            (QuizAttempt, ATTEMPT_COLUMNS, self.attempts),
            (Certificate, CERTIFICATE_COLUMNS, self.certificates),
        ]

    def learner(self, user, is_lead, engagement):
        """Enrol `user` and make their progress; `engagement` (0 to 1) makes finishing likelier."""
        rng = self.rng
        if not self.catalogue or rng.random() >= (LEAD_ENROLS if is_lead else EMPLOYEE_ENROLS):
            return
        courses = rng.sample(self.catalogue, min(len(self.catalogue), 2))
        if rng.random() >= SECOND_COURSE:
            courses = courses[:1]
        for course in courses:
            self._follow(user, course, engagement)

    def _follow(self, user, course, engagement):
        rng = self.rng
        lessons = course.lessons
        finishes = rng.random() < FINISHES + engagement / 4
        target = len(lessons) if finishes else rng.randrange(len(lessons))
        done_keys = []
        for key, quiz in lessons[:target]:
            if quiz is not None and not self._pass(user, key, quiz):
                break
            done_keys.append(key)
            self.completions.append((user.pk, key, course.key, self.now))
        visited = self.now - timedelta(days=rng.randint(0, 90))
        completed = len(done_keys) == len(lessons)
        self.enrolments.append(
            (
                user.pk,
                course.key,
                self.now,
                visited if completed else None,
                done_keys[-1] if done_keys else None,
                visited if done_keys else None,
            )
        )
        if completed:
            code = uuid.UUID(int=rng.getrandbits(128), version=4)
            name = user.get_full_name()
            self.certificates.append((code, user.pk, course.key, name, course.title, "fr", visited))

    def _pass(self, user, key, quiz):
        """Attempts at the quiz until one passes (a second try is better prepared); False when
        the learner gives up or runs out of attempts."""
        for attempt, right in enumerate((RIGHT_ANSWER, 0.95), 1):
            if quiz.max_attempts and attempt > quiz.max_attempts:
                return False
            chosen = _answers(self.rng, quiz, right)
            percent = grade_questions(quiz.questions, chosen).percent
            passed = percent >= quiz.pass_mark
            answers = dict(zip(quiz.ids, chosen, strict=True))
            self.attempts.append((user.pk, key, answers, percent, passed, self.now))
            if passed:
                return True
            if self.rng.random() < 0.3:
                return False
        return False
