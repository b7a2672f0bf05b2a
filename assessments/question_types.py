"""Question types: how each kind of question is answered, checked and scored.

Answers are stored in the exchange format of the spec (the same JSON that `import_responses`
reads), so a stored response, an imported one and a scored one are one shape:

    single_choice        option number                         3
    multi_choice         list of option numbers                [1, 2, 5]
    grid_scale           row number → 0..5                     {"1": 0, "3": 3}
    grid_yes_partial_no  row number → "yes"/"partially"/"no"   {"1": "partially"}
    grid_two_columns     row number → ["done"] and/or "planned" {"2": ["planned"]}
    likert               1..N                                  4
    numeric              a number                              12.5

Options and rows are numbered from 1 in the order the editor gave them. `score` returns the
question's points on 0–10, or None when the question is out of its dimension's mean (an N/A
option, or a question whose type has no "nothing" answer left unanswered).

The registry is an extension point: another app may `register` a type of its own.
"""

import math
import re

from django.utils.translation import gettext_lazy as _

from .texts import localized


class AnswerError(ValueError):
    """An answer that does not fit its question; the message is shown to the person."""


class QuestionType:
    code = ""
    label = ""
    # Whether "no answer" is itself a complete answer (nothing ticked, every row at zero).
    empty_is_answer = False

    @property
    def template(self):
        return f"assessments/questions/{self.code}.html"

    def clean(self, question, raw):
        """The normalised answer for `raw` (already parsed JSON or form values), or AnswerError."""
        raise NotImplementedError

    def score(self, question, answer):
        raise NotImplementedError

    def is_complete(self, question, answer):
        """Whether a required question counts as answered."""
        return answer is not None

    def definition_errors(self, question):
        return []

    def from_form(self, question, data, prefix):
        """Raw answer from submitted form fields named after `prefix`; None when left empty."""
        value = data.get(prefix, "")
        return value if value != "" else None


# Whole numbers as people and files write them: ASCII digits only (str.isdigit also accepts
# "²" and other characters int() refuses), and short enough to be an answer, not an attack.
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")


def _integer(raw, message):
    if isinstance(raw, bool):
        raise AnswerError(message)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and WHOLE_NUMBER.fullmatch(raw.strip()):
        return int(raw.strip())
    raise AnswerError(message)


def _option_number(question, raw):
    options = question.get("options", [])
    number = _integer(raw, _("Choose one of the options offered."))
    if not 1 <= number <= len(options):
        raise AnswerError(
            _("Option %(number)s does not exist: choose between 1 and %(count)s.")
            % {"number": number, "count": len(options)}
        )
    return number


def _row_number(question, key):
    rows = question.get("rows", [])
    number = _integer(key, _("Rows are numbered from 1."))
    if not 1 <= number <= len(rows):
        raise AnswerError(
            _("Row %(number)s does not exist: this grid has %(count)s rows.")
            % {"number": number, "count": len(rows)}
        )
    return str(number)


def _grid_mapping(question, raw):
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise AnswerError(_("A grid answer gives a value per row number."))
    return raw


class SingleChoice(QuestionType):
    code = "single_choice"
    label = _("Single choice")

    def clean(self, question, raw):
        return None if raw is None else _option_number(question, raw)

    def score(self, question, answer):
        if answer is None:
            return None
        options = question["options"]
        if options[answer - 1].get("not_applicable"):
            return None
        best = max((o.get("points", 0) for o in options if not o.get("not_applicable")), default=0)
        if best <= 0:
            return 0.0
        return max(0.0, options[answer - 1].get("points", 0) / best * 10)

    def definition_errors(self, question):
        if len(question.get("options", [])) < 2:
            return [_("A single-choice question needs at least two options.")]
        return []


class MultiChoice(QuestionType):
    code = "multi_choice"
    label = _("Multiple choice")
    empty_is_answer = True

    def clean(self, question, raw):
        if raw is None:
            return []
        if not isinstance(raw, list | tuple):
            raise AnswerError(_("A multiple-choice answer is a list of option numbers."))
        numbers = sorted({_option_number(question, item) for item in raw})
        options = question["options"]
        # "Not applicable" stands alone like "none of these": ticked with other options, it
        # would silently drop every other answer from the score.
        exclusive = [
            n
            for n in numbers
            if options[n - 1].get("exclusive") or options[n - 1].get("not_applicable")
        ]
        if exclusive and len(numbers) > 1:
            raise AnswerError(
                _("“%(option)s” cannot be ticked together with other options.")
                % {"option": localized(options[exclusive[0] - 1]["text"])}
            )
        return numbers

    def score(self, question, answer):
        options = question["options"]
        answer = answer or []
        if any(options[n - 1].get("not_applicable") for n in answer):
            return None
        positive = sum(o.get("weight", 1) for o in options if o.get("weight", 1) > 0)
        if positive <= 0:
            return 0.0
        ticked = sum(options[n - 1].get("weight", 1) for n in answer)
        return max(0.0, ticked / positive * 10)

    def is_complete(self, question, answer):
        return bool(answer)

    def definition_errors(self, question):
        if not question.get("options"):
            return [_("A multiple-choice question needs options.")]
        return []

    def from_form(self, question, data, prefix):
        return data.getlist(prefix)


class GridScale(QuestionType):
    code = "grid_scale"
    label = _("Grid, each row rated 0 to 5")
    empty_is_answer = True
    top = 5

    def clean(self, question, raw):
        cleaned = {}
        for key, value in _grid_mapping(question, raw).items():
            row = _row_number(question, key)
            if value is None or value == "":
                continue
            number = _integer(value, _("Rate each row with a whole number from 0 to 5."))
            if not 0 <= number <= self.top:
                raise AnswerError(_("Rate each row with a whole number from 0 to 5."))
            cleaned[row] = number
        return cleaned

    def score(self, question, answer):
        rows = len(question["rows"])
        return sum((answer or {}).values()) / rows / self.top * 10

    def is_complete(self, question, answer):
        return len(answer or {}) == len(question["rows"])

    def definition_errors(self, question):
        return [] if question.get("rows") else [_("A grid needs rows.")]

    def from_form(self, question, data, prefix):
        rows = range(1, len(question.get("rows", [])) + 1)
        return {str(n): data.get(f"{prefix}-{n}") for n in rows if data.get(f"{prefix}-{n}")}


class GridYesPartialNo(GridScale):
    code = "grid_yes_partial_no"
    label = _("Grid, each row answered No / Partially / Yes")
    VALUES = {"no": 0.0, "partially": 0.5, "yes": 1.0}

    def clean(self, question, raw):
        cleaned = {}
        for key, value in _grid_mapping(question, raw).items():
            row = _row_number(question, key)
            if value is None or value == "":
                continue
            if not isinstance(value, str) or value not in self.VALUES:
                raise AnswerError(_("Answer each row with “yes”, “partially” or “no”."))
            cleaned[row] = value
        return cleaned

    def score(self, question, answer):
        values = [self.VALUES[v] for v in (answer or {}).values()]
        return sum(values) / len(question["rows"]) * 10


class GridTwoColumns(GridScale):
    code = "grid_two_columns"
    label = _("Grid, each row ticked “already done” and/or “planned”")
    COLUMNS = ("done", "planned")

    def clean(self, question, raw):
        cleaned = {}
        for key, value in _grid_mapping(question, raw).items():
            row = _row_number(question, key)
            if value is None:
                value = []
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list | tuple) or any(v not in self.COLUMNS for v in value):
                raise AnswerError(_("Tick “done” and/or “planned” for each row."))
            if value:
                cleaned[row] = [c for c in self.COLUMNS if c in value]
        return cleaned

    def score(self, question, answer):
        total = 0.0
        for columns in (answer or {}).values():
            total += 1.0 if "done" in columns else 0.5 if "planned" in columns else 0.0
        return total / len(question["rows"]) * 10

    def is_complete(self, question, answer):
        return bool(answer)

    def from_form(self, question, data, prefix):
        rows = range(1, len(question.get("rows", [])) + 1)
        return {
            str(n): data.getlist(f"{prefix}-{n}") for n in rows if data.getlist(f"{prefix}-{n}")
        }


class Likert(QuestionType):
    code = "likert"
    label = _("Agreement scale (likert)")

    def points(self, question):
        return int(question.get("points", 5))

    def clean(self, question, raw):
        if raw is None:
            return None
        top = self.points(question)
        value = _integer(raw, _("Choose a point on the scale."))
        if not 1 <= value <= top:
            raise AnswerError(
                _("Choose a point between 1 and %(top)s on the scale.") % {"top": top}
            )
        return value

    def score(self, question, answer):
        if answer is None:
            return None
        return (answer - 1) / (self.points(question) - 1) * 10

    def definition_errors(self, question):
        if self.points(question) < 2:
            return [_("A likert scale needs at least two points.")]
        return []


class Numeric(QuestionType):
    code = "numeric"
    label = _("Number, scored by bands")

    def clean(self, question, raw):
        if raw is None:
            return None
        if isinstance(raw, bool):
            raise AnswerError(_("Enter a number."))
        try:
            value = (
                float(str(raw).replace(",", ".").strip()) if isinstance(raw, str) else float(raw)
            )
        except (TypeError, ValueError):
            raise AnswerError(_("Enter a number.")) from None
        if not math.isfinite(value):
            raise AnswerError(_("Enter a number."))
        if self.band(question, value) is None:
            low, high = self.range(question)
            raise AnswerError(
                _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            )
        return int(value) if value.is_integer() else value

    @staticmethod
    def range(question):
        bands = question.get("bands", [])
        return min(b["min"] for b in bands), max(b["max"] for b in bands)

    def band(self, question, value):
        """The band holding `value`: bands are half-open [min, max), and the highest maximum
        belongs to the top band so that the full range can be entered."""
        bands = question.get("bands", [])
        for band in bands:
            if band["min"] <= value < band["max"]:
                return band
        top = max(bands, key=lambda b: b["max"], default=None)
        if top is not None and value == top["max"]:
            return top
        return None

    def score(self, question, answer):
        if answer is None:
            return None
        best = max(b["points"] for b in question["bands"])
        if best <= 0:
            return 0.0
        return max(0.0, self.band(question, answer)["points"] / best * 10)

    def definition_errors(self, question):
        bands = question.get("bands", [])
        if not bands:
            return [_("A numeric question needs at least one band.")]
        if any(b["min"] >= b["max"] for b in bands):
            return [_("Each band's minimum must be below its maximum.")]
        ordered = sorted(bands, key=lambda b: b["min"])
        if any(a["max"] > b["min"] for a, b in zip(ordered, ordered[1:], strict=False)):
            return [_("Numeric bands overlap.")]
        return []


REGISTRY = {}


def register(question_type):
    REGISTRY[question_type.code] = question_type
    return question_type


def get(code):
    return REGISTRY[code]


def choices():
    return [(code, kind.label) for code, kind in REGISTRY.items()]


for _kind in (
    SingleChoice,
    MultiChoice,
    GridScale,
    GridYesPartialNo,
    GridTwoColumns,
    Likert,
    Numeric,
):
    register(_kind())
