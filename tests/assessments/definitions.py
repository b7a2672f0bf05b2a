"""Small instrument definitions for tests, one per situation the scoring rules name."""


def t(text):
    return {"fr": text, "ar": text, "en": text}


def options(*weights, key="weight", flags=None):
    """Options numbered from 1 with these weights (or points); `flags` maps a number to extras."""
    flags = flags or {}
    return [
        {"text": t(f"option {n}"), key: w, **flags.get(n, {})} for n, w in enumerate(weights, 1)
    ]


def rows(count):
    return [{"text": t(f"row {n}")} for n in range(1, count + 1)]


def small_instrument(slug="small", audience="company"):
    """Two dimensions of every question type, with a condition, N/A and exclusive options."""
    return {
        "slug": slug,
        "audience": audience,
        "open_until": "T2",  # tests take the stages one after the other
        "title": t("Small instrument"),
        "intro": t("For tests."),
        "levels": [
            {"code": "basic", "min": 0},
            {"code": "average", "min": 26},
            {"code": "moderately_advanced", "min": 51},
            {"code": "advanced", "min": 76},
        ],
        "dimensions": [
            {
                "code": "D1",
                "weight": 1,
                "title": t("Strategy"),
                "recommendations": {
                    "basic": t("Start small."),
                    "average": t("Keep going."),
                    "moderately_advanced": t("Scale up."),
                    "advanced": t("Lead."),
                },
            },
            {"code": "D2", "weight": 2, "title": t("Data"), "recommendations": {}},
        ],
        "questions": [
            {
                "code": "Q1",
                "dimension": "D1",
                "type": "single_choice",
                "required": True,
                "text": t("How often?"),
                "options": options(0, 2, 4, 0, key="points", flags={4: {"not_applicable": True}}),
            },
            {
                "code": "Q2",
                "dimension": "D1",
                "type": "multi_choice",
                "text": t("Which tools?"),
                "options": options(1, 1, -1, 0, flags={4: {"exclusive": True}}),
            },
            {
                "code": "Q3",
                "dimension": "D1",
                "type": "grid_two_columns",
                "text": t("Areas"),
                "rows": rows(4),
            },
            {
                "code": "Q4",
                "dimension": "D2",
                "type": "grid_scale",
                "text": t("Tech"),
                "rows": rows(2),
                "required": True,
            },
            {
                "code": "Q5",
                "dimension": "D2",
                "type": "grid_yes_partial_no",
                "text": t("Green"),
                "rows": rows(2),
            },
            {"code": "Q6", "dimension": "D2", "type": "likert", "points": 5, "text": t("Agree?")},
            {
                "code": "Q7",
                "dimension": "D2",
                "type": "numeric",
                "text": t("Staff trained"),
                "bands": [
                    {"min": 0, "max": 5, "points": 0},
                    {"min": 5, "max": 20, "points": 5},
                    {"min": 20, "max": 100, "points": 10},
                ],
            },
            {
                "code": "Q8",
                "dimension": "D2",
                "type": "single_choice",
                "text": t("Which cloud?"),
                "options": options(0, 4, key="points"),
                "condition": {"question": "Q2", "options": [1]},
            },
        ],
    }
