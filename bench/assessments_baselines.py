"""Baselines of the assessments benchmark for the reference instrument `maturity-sme`: the least
code that checks and scores its answers, written by hand for its eleven questions (no registry,
no definition read, no messages), so that the engine's figures show what its generality costs.

The layout below is the spec's (section 2), which comparability with European programmes keeps
fixed; `check_layout` stops the benchmark if the installed definition ever differs from it."""

from assessments.scoring import DEFAULT_LEVELS

SLUG = "maturity-sme"
MULTI_CHOICE = {"Q2": 10, "Q3": 10, "Q5": 7, "Q6": 8, "Q7": 8, "Q8": 6, "Q10": 10}  # options
NEGATIVE_OPTION = ("Q7", 2)  # "data is not collected digitally", weight −1
GRID_SCALE = {"Q4": 7, "Q9": 5}  # rows
YES_PARTIAL_NO = {"Q11": 5}
TWO_COLUMNS = {"Q1": 10}
DIMENSIONS = {
    "D1": ("Q1", "Q2"),
    "D2": ("Q3", "Q4"),
    "D3": ("Q5", "Q6"),
    "D4": ("Q7", "Q8"),
    "D5": ("Q9",),
    "D6": ("Q10", "Q11"),
}
THRESHOLDS = ((76, "advanced"), (51, "moderately_advanced"), (26, "average"), (0, "basic"))
PARTIAL = {"no": 0.0, "partially": 0.5, "yes": 1.0}


def layout(definition):
    """The shape the hand-written code assumes, read from a definition."""
    sizes = {}
    for question in definition["questions"]:
        items = question.get("options") or question.get("rows") or []
        sizes[question["code"]] = (question["type"], question["dimension"], len(items))
    weights = {d["code"]: float(d.get("weight", 1)) for d in definition["dimensions"]}
    levels = [(band["min"], band["code"]) for band in definition.get("levels") or DEFAULT_LEVELS]
    q7 = next(q for q in definition["questions"] if q["code"] == NEGATIVE_OPTION[0])
    q7_weights = [option.get("weight", 1) for option in q7["options"]]
    return sizes, weights, sorted(levels, reverse=True), q7_weights


def expected_layout():
    kinds = (
        (MULTI_CHOICE, "multi_choice"),
        (GRID_SCALE, "grid_scale"),
        (YES_PARTIAL_NO, "grid_yes_partial_no"),
        (TWO_COLUMNS, "grid_two_columns"),
    )
    dimension_of = {code: dim for dim, codes in DIMENSIONS.items() for code in codes}
    sizes = {
        code: (kind, dimension_of[code], count)
        for table, kind in kinds
        for code, count in table.items()
    }
    q7_weights = [-1 if n == NEGATIVE_OPTION[1] else 1 for n in range(1, MULTI_CHOICE["Q7"] + 1)]
    return sizes, dict.fromkeys(DIMENSIONS, 1.0), list(THRESHOLDS), q7_weights


def check_layout(definition):
    if layout(definition) != expected_layout():
        raise SystemExit(
            f"bench: the installed `{SLUG}` is not laid out as the spec's reference instrument; "
            "the hand-written baselines of bench/assessments_baselines.py no longer apply"
        )


def _is_scale(cell):
    return type(cell) is int and 0 <= cell <= 5


def _is_partial(cell):
    return cell in PARTIAL


def _is_columns(cell):
    return isinstance(cell, list) and all(column in ("done", "planned") for column in cell)


GRIDS = {
    **{code: (rows, _is_scale) for code, rows in GRID_SCALE.items()},
    **{code: (rows, _is_partial) for code, rows in YES_PARTIAL_NO.items()},
    **{code: (rows, _is_columns) for code, rows in TWO_COLUMNS.items()},
}


def hand_clean(raw):
    """The answers checked (option and row numbers in range, known values) and normalised as
    the engine stores them; ValueError names the first question that does not fit."""
    cleaned = {}
    for code, value in raw.items():
        if code in MULTI_CHOICE:
            top = MULTI_CHOICE[code]
            if not isinstance(value, list) or any(
                type(n) is not int or not 1 <= n <= top for n in value
            ):
                raise ValueError(code)
            cleaned[code] = sorted(set(value))
            continue
        if code not in GRIDS or not isinstance(value, dict):
            raise ValueError(code)
        rows, fits = GRIDS[code]
        if any(
            not (row.isdigit() and 1 <= int(row) <= rows and fits(cell))
            for row, cell in value.items()
        ):
            raise ValueError(code)
        cleaned[code] = dict(value)
    return cleaned


def hand_score(answers):
    """(overall, level, {dimension: score}) of clean answers, by direct arithmetic."""
    points = {}
    for code, options in MULTI_CHOICE.items():
        ticked = answers.get(code, ())
        if code == NEGATIVE_OPTION[0]:
            count = len(ticked) - 2 * (NEGATIVE_OPTION[1] in ticked)
            points[code] = max(0.0, count / (options - 1) * 10)
        else:
            points[code] = len(ticked) / options * 10
    for code, rows in GRID_SCALE.items():
        points[code] = sum(answers.get(code, {}).values()) / rows / 5 * 10
    for code, rows in YES_PARTIAL_NO.items():
        points[code] = sum(PARTIAL[v] for v in answers.get(code, {}).values()) / rows * 10
    for code, rows in TWO_COLUMNS.items():
        total = 0.0
        for columns in answers.get(code, {}).values():
            total += 1.0 if "done" in columns else 0.5 if columns else 0.0
        points[code] = total / rows * 10
    dimensions = {
        dim: sum(points[code] for code in codes) / len(codes) * 10
        for dim, codes in DIMENSIONS.items()
    }
    overall = sum(dimensions.values()) / len(dimensions)
    level = next(code for low, code in THRESHOLDS if overall >= low)
    return overall, level, dimensions
