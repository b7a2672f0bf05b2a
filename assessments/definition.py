"""The definition of an instrument version: plain JSON that scoring reads.

An instrument is edited in the admin as models (see models.instruments); each version freezes
it as a definition, so a result computed years ago is computed again the same way. The same
shape is used for the demo instruments shipped as JSON files:

    {"slug": "maturity-sme", "audience": "company" | "person", "version": 1,
     "title": {"fr": …, "ar": …, "en": …}, "intro": {…},
     "levels": [{"code": "basic", "min": 0}, …],
     "dimensions": [{"code": "D1", "weight": 1, "title": {…}, "description": {…},
                     "recommendations": {"basic": {…}, …}}],
     "questions": [{"code": "Q1", "dimension": "D1", "type": "grid_two_columns",
                    "required": false, "text": {…}, "help": {…},
                    "options": [{"text": {…}, "points": 2, "weight": 1,
                                 "exclusive": false, "not_applicable": false}],
                    "rows": [{"text": {…}}], "scale_labels": [{…}], "points": 5,
                    "bands": [{"min": 0, "max": 10, "points": 5}],
                    "condition": {"question": "Q2", "options": [1, 3]}}]}
"""

from django.utils.translation import gettext as _

from . import question_types
from .question_types import AnswerError

CHOICE_TYPES = ("single_choice", "multi_choice")


def errors(definition):
    """Everything wrong with a definition, as messages for the editor; empty when it is sound."""
    problems = []
    levels = definition.get("levels") or []
    mins = [band.get("min") for band in levels]
    if levels and (mins[0] != 0 or any(a >= b for a, b in zip(mins, mins[1:], strict=False))):
        problems.append(_("Level thresholds must start at 0 and increase."))
    if any(not 0 <= m <= 100 for m in mins):
        problems.append(_("Level thresholds must lie between 0 and 100."))
    dimension_codes = [d.get("code") for d in definition.get("dimensions", [])]
    if not dimension_codes:
        problems.append(_("An instrument needs at least one dimension."))
    if len(set(dimension_codes)) != len(dimension_codes):
        problems.append(_("Two dimensions have the same code."))
    for dimension in definition.get("dimensions", []):
        if float(dimension.get("weight", 1)) <= 0:
            problems.append(
                _("Dimension %(code)s needs a weight above zero.") % {"code": dimension["code"]}
            )
    seen = {}
    for question in definition.get("questions", []):
        code = question.get("code")
        if code in seen:
            problems.append(_("Two questions have the code %(code)s.") % {"code": code})
        if question.get("dimension") not in dimension_codes:
            problems.append(
                _("Question %(code)s belongs to an unknown dimension “%(dimension)s”.")
                % {"code": code, "dimension": question.get("dimension")}
            )
        kind = question_types.REGISTRY.get(question.get("type"))
        if kind is None:
            problems.append(
                _("Question %(code)s has an unknown type “%(type)s”.")
                % {"code": code, "type": question.get("type")}
            )
        else:
            problems.extend(f"{code}: {message}" for message in kind.definition_errors(question))
        problems.extend(_condition_errors(question, seen))
        seen[code] = question
    for dimension in definition.get("dimensions", []):
        if not any(q.get("dimension") == dimension.get("code") for q in seen.values()):
            problems.append(
                _("Dimension %(code)s has no question.") % {"code": dimension.get("code")}
            )
    return problems


def _condition_errors(question, earlier):
    condition = question.get("condition")
    if not condition:
        return []
    source = earlier.get(condition.get("question"))
    code = question.get("code")
    if source is None:
        return [
            _("Question %(code)s depends on %(source)s, which is not an earlier question.")
            % {"code": code, "source": condition.get("question")}
        ]
    if source.get("type") not in CHOICE_TYPES:
        return [
            _("Question %(code)s can only depend on a single- or multiple-choice question.")
            % {"code": code}
        ]
    count = len(source.get("options", []))
    if not condition.get("options") or any(
        not isinstance(n, int) or not 1 <= n <= count for n in condition["options"]
    ):
        return [
            _("Question %(code)s depends on options of %(source)s that do not exist.")
            % {"code": code, "source": source["code"]}
        ]
    return []


def questions_by_code(definition):
    return {question["code"]: question for question in definition["questions"]}


def clean_answers(definition, raw_answers):
    """Clean answers keyed by question code, and {code: message} for those that do not fit.
    A code that is not a question of the instrument is an error of its own."""
    if not isinstance(raw_answers, dict):
        return {}, {"": _("Answers must be an object keyed by question code.")}
    questions = questions_by_code(definition)
    cleaned, problems = {}, {}
    for code, raw in raw_answers.items():
        question = questions.get(code)
        if question is None:
            problems[code] = _("There is no question %(code)s in this instrument.") % {"code": code}
            continue
        try:
            cleaned[code] = question_types.get(question["type"]).clean(question, raw)
        except AnswerError as error:
            problems[code] = str(error)
    return cleaned, problems


def missing_required(definition, answers, codes=None):
    """Codes of required, shown questions that are not complete (optionally among `codes`)."""
    from .scoring import shown_questions

    shown = shown_questions(definition, answers)
    missing = []
    for question in definition["questions"]:
        if codes is not None and question["code"] not in codes:
            continue
        if not question.get("required") or question["code"] not in shown:
            continue
        kind = question_types.get(question["type"])
        if not kind.is_complete(question, answers.get(question["code"])):
            missing.append(question["code"])
    return missing
