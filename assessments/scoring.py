"""Scoring, as pure functions of an instrument definition and a set of clean answers.

Follows the spec exactly: a question scores 0–10 (see question_types); a dimension scores the
mean of its counted questions × 10, so 0–100; the overall score is the weighted mean of the
dimensions that have a score. N/A answers and hidden conditional questions are out of the
denominator. Nothing is rounded here: rounding is for display only. Levels are half-open bands
[min, next min) of the unrounded score; the top band includes 100.
"""

from dataclasses import dataclass, field

from . import question_types

DEFAULT_LEVELS = (
    {"code": "basic", "min": 0},
    {"code": "average", "min": 26},
    {"code": "moderately_advanced", "min": 51},
    {"code": "advanced", "min": 76},
)


@dataclass(frozen=True)
class Result:
    overall: float | None
    level: str | None
    dimensions: dict = field(default_factory=dict)
    dimension_levels: dict = field(default_factory=dict)
    questions: dict = field(default_factory=dict)

    def as_exchange(self, definition):
        """The object `score_responses` prints for one response."""
        return {
            "instrument": definition["slug"],
            "version": definition.get("version", 1),
            "overall": self.overall,
            "level": self.level,
            "dimensions": self.dimensions,
        }


def level_for(levels, score):
    if score is None:
        return None
    found = None
    for band in sorted(levels or DEFAULT_LEVELS, key=lambda band: band["min"]):
        if score >= band["min"]:
            found = band["code"]
    return found


def is_shown(question, answers, shown):
    """A conditional question is shown only if the earlier question it depends on is shown and
    its answer includes one of the listed options."""
    condition = question.get("condition")
    if not condition:
        return True
    source = condition["question"]
    if source not in shown:
        return False
    answer = answers.get(source)
    chosen = answer if isinstance(answer, list) else [] if answer is None else [answer]
    return any(option in chosen for option in condition["options"])


def shown_questions(definition, answers):
    """Codes of the questions a respondent sees, given their answers so far."""
    shown = set()
    for question in definition["questions"]:
        if is_shown(question, answers, shown):
            shown.add(question["code"])
    return shown


def question_score(question, answer):
    return question_types.get(question["type"]).score(question, answer)


def score(definition, answers):
    """The Result of clean `answers` ({question code: answer}) for `definition`."""
    shown = shown_questions(definition, answers)
    per_question = {}
    by_dimension = {d["code"]: [] for d in definition["dimensions"]}
    for question in definition["questions"]:
        if question["code"] not in shown:
            continue
        points = question_score(question, answers.get(question["code"]))
        per_question[question["code"]] = points
        if points is not None:
            by_dimension[question["dimension"]].append(points)
    dimensions = {
        code: (sum(points) / len(points) * 10 if points else None)
        for code, points in by_dimension.items()
    }
    weighted = [
        (float(d.get("weight", 1)), dimensions[d["code"]])
        for d in definition["dimensions"]
        if dimensions[d["code"]] is not None
    ]
    total_weight = sum(weight for weight, _score in weighted)
    overall = sum(w * s for w, s in weighted) / total_weight if total_weight > 0 else None
    levels = definition.get("levels") or DEFAULT_LEVELS
    return Result(
        overall=overall,
        level=level_for(levels, overall),
        dimensions=dimensions,
        dimension_levels={code: level_for(levels, s) for code, s in dimensions.items()},
        questions=per_question,
    )
