"""What a question's template needs: its texts in the active language, its form field names,
the current answer marked on its options or rows, and its error. Templates live at
`assessments/questions/<type>.html` (see question_types.QuestionType.template)."""

from dataclasses import dataclass, field

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .. import question_types
from ..services.taking import field_name
from ..texts import localized

YES_PARTIAL_NO = (("no", _("No")), ("partially", _("Partially")), ("yes", _("Yes")))
TWO_COLUMNS = (("done", _("Already done")), ("planned", _("Planned")))


@dataclass
class Choice:
    value: str
    label: str
    checked: bool
    id: str
    exclusive: bool = False


@dataclass
class Row:
    number: int
    label: str
    id: str
    name: str
    choices: list = field(default_factory=list)


@dataclass
class QuestionView:
    code: str
    kind: str
    template: str
    text: str
    help: str
    required: bool
    name: str
    id: str
    error: str = ""
    condition_field: str = ""
    condition_options: str = ""
    choices: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    value: str = ""
    minimum: str = ""
    maximum: str = ""

    @property
    def describedby(self):
        ids = []
        if self.help:
            ids.append(f"{self.id}-help")
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)


def html_id(code):
    return f"q-{slugify(code) or 'question'}"


def question_view(question, answer, error="", condition_question=None):
    kind = question_types.get(question["type"])
    base = html_id(question["code"])
    view = QuestionView(
        code=question["code"],
        kind=question["type"],
        template=kind.template,
        text=localized(question.get("text")),
        help=localized(question.get("help")),
        required=bool(question.get("required")),
        name=field_name(question),
        id=base,
        error=error,
    )
    if condition_question is not None:
        view.condition_field = field_name(condition_question)
        view.condition_options = " ".join(str(n) for n in question["condition"]["options"])
    builder = BUILDERS.get(question["type"])
    if builder is not None:
        builder(view, question, answer)
    return view


def _choices(view, question, answer):
    chosen = answer if isinstance(answer, list) else [] if answer is None else [answer]
    view.choices = [
        Choice(
            value=str(number),
            label=localized(option.get("text")),
            checked=number in chosen,
            id=f"{view.id}-{number}",
            exclusive=bool(option.get("exclusive")),
        )
        for number, option in enumerate(question.get("options", []), 1)
    ]


def _grid(view, question, answer, columns, is_checked):
    answer = answer or {}
    view.columns = [label for _value, label in columns]
    for number, row in enumerate(question.get("rows", []), 1):
        row_id = f"{view.id}-row-{number}"
        view.rows.append(
            Row(
                number=number,
                label=localized(row.get("text", row)),
                id=row_id,
                name=f"{view.name}-{number}",
                choices=[
                    Choice(
                        value=value,
                        label=label,
                        checked=is_checked(answer.get(str(number)), value),
                        id=f"{row_id}-{value}",
                    )
                    for value, label in columns
                ],
            )
        )


def _grid_scale(view, question, answer):
    labels = [localized(label) for label in question.get("scale_labels", [])]
    top = question_types.GridScale.top
    columns = [
        (str(n), labels[n] if len(labels) == top + 1 and labels[n] else str(n))
        for n in range(top + 1)
    ]
    _grid(view, question, answer, columns, lambda given, value: str(given) == value)


def _grid_yes_partial_no(view, question, answer):
    _grid(view, question, answer, YES_PARTIAL_NO, lambda given, value: given == value)


def _grid_two_columns(view, question, answer):
    _grid(view, question, answer, TWO_COLUMNS, lambda given, value: value in (given or []))


def _likert(view, question, answer):
    points = question_types.get("likert").points(question)
    labels = [localized(label) for label in question.get("scale_labels", [])]
    view.choices = [
        Choice(
            value=str(n),
            label=(f"{n} — {labels[n - 1]}" if len(labels) == points and labels[n - 1] else str(n)),
            checked=answer == n,
            id=f"{view.id}-{n}",
        )
        for n in range(1, points + 1)
    ]


def _numeric(view, question, answer):
    low, high = question_types.Numeric.range(question)
    view.minimum, view.maximum = _plain_number(low), _plain_number(high)
    view.value = "" if answer is None else _plain_number(answer)


def _plain_number(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


BUILDERS = {
    "single_choice": _choices,
    "multi_choice": _choices,
    "grid_scale": _grid_scale,
    "grid_yes_partial_no": _grid_yes_partial_no,
    "grid_two_columns": _grid_two_columns,
    "likert": _likert,
    "numeric": _numeric,
}


def step_question_views(definition, questions, answers, errors):
    by_code = {q["code"]: q for q in definition["questions"]}
    on_step = {q["code"] for q in questions}
    views = []
    for question in questions:
        condition = question.get("condition")
        source = by_code[condition["question"]] if condition else None
        views.append(
            question_view(
                question,
                answers.get(question["code"]),
                error=errors.get(question["code"], ""),
                # Only a condition on this same step can change while the page is open.
                condition_question=source if source and source["code"] in on_step else None,
            )
        )
    return views
