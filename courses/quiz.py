"""Questions with right and wrong options, as lesson knowledge checks and module quizzes use them,
and their grading. Grading is pure: it takes a question's value (a block value or a plain dict
of the same shape) and the indices of the options a learner chose.

Options are identified in forms by their position in the question, and questions by their
position in the check or quiz: form field `q<question index>`, value `<option index>`."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
ONE_ANSWER_KINDS = (SINGLE, TRUE_FALSE)


def question_errors(question):
    """What makes a question impossible to answer or to grade, as messages for the editor."""
    options = list(question["options"])
    correct = sum(1 for option in options if option["correct"])
    errors = []
    if len(options) < 2:
        errors.append(_("Give at least two options."))
    if question["kind"] == TRUE_FALSE and len(options) != 2:
        errors.append(_("A true/false question has exactly two options."))
    if question["kind"] in ONE_ANSWER_KINDS and correct != 1:
        errors.append(_("Mark exactly one option as correct."))
    if question["kind"] == MULTIPLE and correct < 1:
        errors.append(_("Mark at least one option as correct."))
    return errors


class QuizOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Option"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False, default=False)
    feedback = blocks.TextBlock(
        label=_("Feedback"),
        required=False,
        help_text=_("Shown after answering to a learner who chose this option."),
    )

    class Meta:
        icon = "radio-full"
        label = _("Option")

    def get_searchable_content(self, value):
        return [value["text"]]  # feedback would answer the question for whoever searches it


class QuizQuestionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[
            (SINGLE, _("Single choice")),
            (MULTIPLE, _("Multiple choice")),
            (TRUE_FALSE, _("True or false")),
        ],
        default=SINGLE,
    )
    prompt = blocks.TextBlock(label=_("Question"))
    options = blocks.ListBlock(QuizOptionBlock(), label=_("Options"), min_num=2)
    explanation = blocks.TextBlock(
        label=_("Explanation"),
        required=False,
        help_text=_("Why the right answer is right; shown after answering."),
    )

    class Meta:
        icon = "help"
        label = _("Question")

    def get_searchable_content(self, value):
        return [value["prompt"], *(option["text"] for option in value["options"])]

    def clean(self, value):
        value = super().clean(value)
        errors = question_errors(value)
        if errors:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "options": blocks.ListBlockValidationError(
                        non_block_errors=[ValidationError(message) for message in errors]
                    )
                }
            )
        return value


class KnowledgeCheckBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=150)
    questions = blocks.ListBlock(QuizQuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "tick-inverse"
        label = _("Knowledge check")
        template = "courses/blocks/knowledge_check.html"
        description = _("Questions learners answer to check what they understood; not scored")
        preview_value = {
            "title": "Vérifiez vos acquis",
            "questions": [
                {
                    "kind": TRUE_FALSE,
                    "prompt": "Une sauvegarde hors site protège contre un incendie.",
                    "options": [
                        {"text": "Vrai", "correct": True, "feedback": ""},
                        {"text": "Faux", "correct": False, "feedback": ""},
                    ],
                    "explanation": "",
                }
            ],
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["question_fields"] = question_fields(value["questions"])
        return context


class InvalidAnswers(ValueError):
    """Submitted answers that cannot be graded. `code` says why, for the message above the form;
    `unanswered` and `unrecognised` hold the indices of the questions at fault, so that each can
    be marked; `choices` is what could be read, to show the form again with it ticked."""

    UNANSWERED = "unanswered"
    UNRECOGNISED = "unrecognised"

    def __init__(self, code, choices=None, unanswered=(), unrecognised=()):
        super().__init__(code)
        self.code = code
        self.choices = choices or []
        self.unanswered = list(unanswered)
        self.unrecognised = list(unrecognised)

    @property
    def message(self):
        return invalid_answers_message(self.code)

    def question_error(self, question, index):
        """What to tell the learner next to the question at `index`, or "" for a sound one."""
        if index in self.unrecognised:
            return _("This answer was not recognised: choose again.")
        if index in self.unanswered:
            if question["kind"] == MULTIPLE:
                return _("Choose at least one answer to this question.")
            return _("Choose an answer to this question.")
        return ""

    def as_data(self):
        """The error as plain data, to keep in the session until the form is shown again."""
        return {
            "code": self.code,
            "choices": self.choices,
            "unanswered": self.unanswered,
            "unrecognised": self.unrecognised,
        }

    @classmethod
    def from_data(cls, data, questions):
        """The error kept by `as_data`, for `questions` as they are now: indices and choices
        that no longer fit them (the questions were edited since) are left out."""
        data = data if isinstance(data, dict) else {}
        size = len(questions)
        choices = data.get("choices")
        if not choices_fit(questions, choices):
            choices = []

        def indices(key):
            found = data.get(key)
            found = found if isinstance(found, list) else []
            return [i for i in found if type(i) is int and 0 <= i < size]

        code = cls.UNANSWERED if data.get("code") == cls.UNANSWERED else cls.UNRECOGNISED
        return cls(code, choices, indices("unanswered"), indices("unrecognised"))


def invalid_answers_message(code):
    if code == InvalidAnswers.UNANSWERED:
        return _("Answer every question before sending your answers.")
    return _("Some answers were not recognised. Choose them again.")


def choices_fit(questions, choices):
    """Whether `choices` (lists of option indices, one per question) fit `questions`."""
    return (
        isinstance(choices, list)
        and len(choices) == len(questions)
        and all(
            isinstance(chosen, list)
            and all(
                isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(q["options"])
                for i in chosen
            )
            for q, chosen in zip(questions, choices, strict=True)
        )
    )


def parse_choices(question, raw_values):
    """The option indices a learner chose, from the submitted values of one question; values
    that are not indices of its options (a tampered form) raise InvalidAnswers."""
    size = len(question["options"])
    chosen = []
    for raw in raw_values:
        if not (isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 4):
            raise InvalidAnswers(InvalidAnswers.UNRECOGNISED)
        index = int(raw)
        if index >= size or index in chosen:
            raise InvalidAnswers(InvalidAnswers.UNRECOGNISED)
        chosen.append(index)
    if question["kind"] in ONE_ANSWER_KINDS and len(chosen) > 1:
        raise InvalidAnswers(InvalidAnswers.UNRECOGNISED)
    return sorted(chosen)


def field_name(question_index):
    return f"q{question_index}"


def parse_answers(questions, data):
    """Every question's chosen option indices from form `data` (a QueryDict). Questions left
    unanswered or answered with unrecognised values raise one InvalidAnswers naming them all,
    carrying what was chosen elsewhere."""
    choices, unanswered, unrecognised = [], [], []
    for index, question in enumerate(questions):
        try:
            chosen = parse_choices(question, data.getlist(field_name(index)))
        except InvalidAnswers:
            chosen = []
            unrecognised.append(index)
        else:
            if not chosen:
                unanswered.append(index)
        choices.append(chosen)
    if unrecognised:
        raise InvalidAnswers(InvalidAnswers.UNRECOGNISED, choices, unanswered, unrecognised)
    if unanswered:
        raise InvalidAnswers(InvalidAnswers.UNANSWERED, choices, unanswered)
    return choices


@dataclass(frozen=True)
class QuestionField:
    """A question as a form shows it: the options ticked, and what is wrong with its answer
    when the answers could not be graded."""

    index: int
    question: object
    chosen: list = field(default_factory=list)
    error: str = ""

    @property
    def number(self):
        return self.index + 1


def question_fields(questions, choices=None, invalid=None):
    """The fields of a form of `questions`, ticked with `choices` (or with what `invalid`
    answers could be read) and marked where `invalid` says."""
    questions = list(questions)
    if invalid is not None:
        choices = invalid.choices
    choices = choices if choices_fit(questions, choices) else []
    return [
        QuestionField(
            index=index,
            question=question,
            chosen=choices[index] if choices else [],
            error=invalid.question_error(question, index) if invalid is not None else "",
        )
        for index, question in enumerate(questions)
    ]


@dataclass(frozen=True)
class OptionFeedback:
    index: int
    text: str
    chosen: bool
    correct: bool
    feedback: str


@dataclass(frozen=True)
class QuestionResult:
    question: object
    correct: bool
    options: list

    @property
    def chosen_options(self):
        """Only the options the learner chose are commented on: the others would give away
        the answer to someone who may try again."""
        return [option for option in self.options if option.chosen]

    @property
    def missed_correct_options(self):
        """A multiple-choice question where some right options were left unticked."""
        return self.question["kind"] == MULTIPLE and any(
            option.correct and not option.chosen for option in self.options
        )


@dataclass(frozen=True)
class QuizResult:
    questions: list = field(default_factory=list)

    @property
    def correct_count(self):
        return sum(1 for result in self.questions if result.correct)

    @property
    def total(self):
        return len(self.questions)

    @property
    def percent(self):
        """Share of questions answered right, 0–100, unrounded."""
        return 100 * self.correct_count / self.total if self.total else 0.0


def grade_question(question, chosen):
    """A question is right when the options chosen are exactly its correct options."""
    chosen = set(chosen)
    options = [
        OptionFeedback(
            index=index,
            text=option["text"],
            chosen=index in chosen,
            correct=bool(option["correct"]),
            feedback=option["feedback"] or "",
        )
        for index, option in enumerate(question["options"])
    ]
    correct = all(option.chosen == option.correct for option in options) and bool(chosen)
    return QuestionResult(question=question, correct=correct, options=options)


def grade_questions(questions, answers):
    """Grade each question with its chosen option indices (`answers`, in the same order)."""
    return QuizResult(
        questions=[
            grade_question(question, chosen)
            for question, chosen in zip(questions, answers, strict=True)
        ]
    )
