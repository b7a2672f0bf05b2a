"""Taking an instrument one step at a time: which steps there are, which questions each step
shows, and reading a step's answers from a posted form.

A company instrument opens with the company's profile (not scored); then comes one step per
dimension, in the definition's order, and a review step that lists what is left before
submitting. A person's instrument has no profile step.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .. import definition as definitions
from .. import question_types, scoring
from ..texts import localized

FIELD_PREFIX = "q-"


@dataclass(frozen=True)
class Step:
    index: int
    kind: str  # "profile", "dimension" or "review"
    dimension: dict | None = None

    @property
    def title(self):
        if self.kind == "profile":
            return _("Your company")
        if self.kind == "review":
            return _("Review and submit")
        return localized(self.dimension.get("title")) or self.dimension["code"]

    @property
    def description(self):
        return localized(self.dimension.get("description")) if self.dimension else ""


def steps_for(definition):
    steps = []
    if definition.get("audience", "company") == "company":
        steps.append(Step(0, "profile"))
    for dimension in definition["dimensions"]:
        steps.append(Step(len(steps), "dimension", dimension))
    steps.append(Step(len(steps), "review"))
    return steps


def step_of_question(definition, code):
    """The step that asks question `code`."""
    dimension = definitions.questions_by_code(definition)[code]["dimension"]
    return next(
        s for s in steps_for(definition) if s.dimension and s.dimension["code"] == dimension
    )


def questions_on_step(definition, step, answers):
    """The questions a step shows. A question that depends on an earlier step's answer is shown
    only if that answer meets its condition; one that depends on a question of the same step is
    shown too (without JavaScript the person needs it there; with JavaScript it hides and shows
    as the answer changes), and its answer only counts if the condition is met on submitting."""
    if step.kind != "dimension":
        return []
    code = step.dimension["code"]
    shown_before = scoring.shown_questions(definition, answers)
    on_step = []
    on_step_codes = set()
    for question in definition["questions"]:
        if question["dimension"] != code:
            continue
        condition = question.get("condition")
        if condition and condition["question"] in on_step_codes:
            visible = True
        else:
            visible = question["code"] in shown_before
        if visible:
            on_step.append(question)
            on_step_codes.add(question["code"])
    return on_step


def field_name(question):
    return f"{FIELD_PREFIX}{question['code']}"


def read_step_answers(definition, questions, data):
    """Raw answers to `questions` from posted form `data`, and {code: message} for posted fields
    that belong to none of them (a tampered or out-of-date form): those are refused rather than
    ignored, so that nothing is saved from a form the person did not see."""
    raw, used = {}, set()
    for question in questions:
        name = field_name(question)
        raw[question["code"]] = question_types.get(question["type"]).from_form(question, data, name)
        used.add(name)
        used.update(f"{name}-{n}" for n in range(1, len(question.get("rows", [])) + 1))
    problems = {}
    for name in data:
        if name.startswith(FIELD_PREFIX) and name not in used:
            problems.update(_stray_field_problem(definition, questions, name, data.getlist(name)))
    return raw, problems


def _stray_field_problem(definition, questions, name, values):
    value = values[0] if len(values) == 1 else values
    code = name[len(FIELD_PREFIX) :]
    by_code = definitions.questions_by_code(definition)
    owner = by_code.get(code) or next(
        (q for c, q in by_code.items() if q.get("rows") and code.startswith(f"{c}-")), None
    )
    if owner is None:
        _cleaned, problems = definitions.clean_answers(definition, {code: value})
        return problems
    if owner not in questions:
        return {
            owner["code"]: _("Question %(code)s is not asked on this page.")
            % {"code": owner["code"]}
        }
    # A grid row that does not exist: the question's own check words the message.
    row = code[len(owner["code"]) + 1 :]
    _cleaned, problems = definitions.clean_answers(definition, {owner["code"]: {row: value}})
    return problems or {owner["code"]: _("This answer does not fit the question.")}


def missing_on_step(definition, questions, answers):
    return definitions.missing_required(definition, answers, codes={q["code"] for q in questions})


def missing_with_steps(definition, answers):
    """The required questions left unanswered, each with the step that asks it."""
    questions = definitions.questions_by_code(definition)
    return [
        (questions[code], step_of_question(definition, code))
        for code in definitions.missing_required(definition, answers)
    ]


def answered_count(definition, step, answers):
    """How many of the questions shown on a dimension step have an answer."""
    shown = questions_on_step(definition, step, answers)
    counted = 0
    for question in shown:
        answer = answers.get(question["code"])
        if question_types.get(question["type"]).is_complete(question, answer):
            counted += 1
    return counted, len(shown)
