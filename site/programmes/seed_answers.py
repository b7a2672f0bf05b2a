"""Answers a company or a person might give to an instrument, drawn around a "digital
propensity" from 0 (nothing digital) to 1 (everything digital): a higher propensity ticks more
of the options that raise the score. They are in the exchange format and already clean, so the
real scoring turns them into the results a respondent would have seen."""

from assessments.scoring import shown_questions


def _level(rng, p, top):
    """A whole number 0..top around p × top."""
    return min(top, max(0, round(rng.gauss(p * top, top / 4))))


def _multi_choice(rng, p, question):
    options = question["options"]
    alone = [n for n, o in enumerate(options, 1) if o.get("exclusive") or o.get("not_applicable")]
    if alone and rng.random() < 0.04:
        return [rng.choice(alone)]
    ticked = []
    for number, option in enumerate(options, 1):
        if number in alone:
            continue
        # An option that lowers the score ("nothing is recorded digitally") is what the less
        # digital companies tick.
        chance = p if option.get("weight", 1) >= 0 else 1 - p
        if rng.random() < chance:
            ticked.append(number)
    return ticked


def _grid(rng, question, value):
    """{row number: value}; about one row in ten is left unanswered, as people do."""
    return {str(n): value() for n in range(1, len(question["rows"]) + 1) if rng.random() >= 0.1}


def _two_columns(rng, p):
    if rng.random() < p:
        return ["done", "planned"] if rng.random() < 0.2 else ["done"]
    return ["planned"] if rng.random() < p else []


def _yes_partial_no(rng, p):
    draw = rng.random()
    return "yes" if draw < p * p else "partially" if draw < p else "no"


def _answer(rng, p, question):
    kind = question["type"]
    if kind == "single_choice":
        return 1 + _level(rng, p, len(question["options"]) - 1)
    if kind == "multi_choice":
        return _multi_choice(rng, p, question)
    if kind == "grid_scale":
        return _grid(rng, question, lambda: _level(rng, p, 5))
    if kind == "grid_yes_partial_no":
        return _grid(rng, question, lambda: _yes_partial_no(rng, p))
    if kind == "grid_two_columns":
        answer = _grid(rng, question, lambda: _two_columns(rng, p))
        return {row: columns for row, columns in answer.items() if columns}
    if kind == "likert":
        return 1 + _level(rng, p, int(question.get("points", 5)) - 1)
    if kind == "numeric":
        band = rng.choice(question.get("bands") or [{}])
        low = int(band.get("min") or 0)
        return rng.randint(low, max(low, int(band.get("max") or low + 10) - 1))
    return None  # a type added by another app: left unanswered


def random_answers(definition, rng, p):
    """Answers to every question shown, as a respondent of propensity `p` might give them."""
    answers = {q["code"]: _answer(rng, p, q) for q in definition["questions"]}
    shown = shown_questions(definition, answers)
    return {code: a for code, a in answers.items() if code in shown and a is not None}
