"""Scoring follows the spec to the letter: every question type, N/A, negative and exclusive
options, hidden conditional questions, half-open level bands, rounding for display only."""

import json
from pathlib import Path

import pytest
from django.utils import translation

from assessments import definition as definitions
from assessments import scoring
from assessments.question_types import AnswerError, get
from tests.assessments.definitions import options, rows, small_instrument, t

REFERENCE = Path(__file__).resolve().parents[2] / "site/demo/content/assessments/maturity-sme.json"


def one_question(question, weight=1):
    return {
        "slug": "one",
        "dimensions": [{"code": "D1", "weight": weight}],
        "questions": [{"code": "Q1", "dimension": "D1", "text": t("?"), **question}],
    }


def dimension_score(question, answer):
    return scoring.score(one_question(question), {"Q1": answer}).dimensions["D1"]


class TestQuestionTypes:
    def test_single_choice_is_points_over_the_best_option(self):
        question = {"type": "single_choice", "options": options(0, 1, 4, key="points")}
        assert dimension_score(question, 2) == pytest.approx(25.0)
        assert dimension_score(question, 3) == pytest.approx(100.0)

    def test_single_choice_not_applicable_leaves_the_question_out(self):
        flags = {3: {"not_applicable": True}}
        question = {
            "type": "single_choice",
            "options": options(0, 4, 99, key="points", flags=flags),
        }
        assert dimension_score(question, 3) is None
        # The N/A option's points never raise the maximum either.
        assert dimension_score(question, 2) == pytest.approx(100.0)

    def test_multi_choice_sums_ticked_weights_over_positive_weights(self):
        question = {"type": "multi_choice", "options": options(1, 2, 1, -1)}
        assert dimension_score(question, [1, 2]) == pytest.approx(75.0)
        assert dimension_score(question, [1, 2, 3]) == pytest.approx(100.0)

    def test_multi_choice_negative_option_is_floored_at_zero(self):
        question = {"type": "multi_choice", "options": options(1, 1, -1)}
        assert dimension_score(question, [1, 3]) == pytest.approx(0.0)
        assert dimension_score(question, [3]) == 0.0

    def test_multi_choice_nothing_ticked_scores_zero(self):
        question = {"type": "multi_choice", "options": options(1, 1)}
        assert dimension_score(question, []) == 0.0
        assert dimension_score(question, None) == 0.0

    def test_exclusive_option_cannot_be_ticked_with_others(self):
        question = {
            "type": "multi_choice",
            "options": options(1, 1, 0, flags={3: {"exclusive": True}}),
        }
        kind = get("multi_choice")
        assert kind.clean(question, [3]) == [3]
        with pytest.raises(AnswerError):
            kind.clean(question, [1, 3])
        assert dimension_score(question, [3]) == 0.0

    def test_grid_scale_is_the_mean_of_rows_over_five(self):
        question = {"type": "grid_scale", "rows": rows(4)}
        assert dimension_score(question, {"1": 5, "2": 3}) == pytest.approx(40.0)

    def test_empty_grid_row_counts_as_zero(self):
        question = {"type": "grid_yes_partial_no", "rows": rows(4)}
        answer = get("grid_yes_partial_no").clean(question, {"1": "yes", "2": "", "3": "partially"})
        assert answer == {"1": "yes", "3": "partially"}
        assert dimension_score(question, answer) == pytest.approx(37.5)

    def test_grid_two_columns_done_beats_planned(self):
        question = {"type": "grid_two_columns", "rows": rows(4)}
        answer = {"1": ["done", "planned"], "2": ["planned"], "3": []}
        assert dimension_score(question, answer) == pytest.approx(37.5)

    def test_likert(self):
        question = {"type": "likert", "points": 5}
        assert dimension_score(question, 1) == 0.0
        assert dimension_score(question, 4) == pytest.approx(75.0)
        assert dimension_score(question, 5) == pytest.approx(100.0)

    def test_numeric_bands_are_half_open(self):
        bands = [
            {"min": 0, "max": 10, "points": 0},
            {"min": 10, "max": 50, "points": 5},
            {"min": 50, "max": 100, "points": 10},
        ]
        question = {"type": "numeric", "bands": bands}
        assert dimension_score(question, 9.99) == 0.0
        assert dimension_score(question, 10) == pytest.approx(50.0)
        assert dimension_score(question, 100) == pytest.approx(100.0)
        with pytest.raises(AnswerError):
            get("numeric").clean(question, 100.5)
        with pytest.raises(AnswerError):
            get("numeric").clean(question, "nan")

    @pytest.mark.parametrize(
        "kind, question, raw",
        [
            ("single_choice", {"options": options(1, 2)}, 3),
            ("single_choice", {"options": options(1, 2)}, "two"),
            ("single_choice", {"options": options(1, 2)}, True),
            ("multi_choice", {"options": options(1, 2)}, [0]),
            ("multi_choice", {"options": options(1, 2)}, "1"),
            ("grid_scale", {"rows": rows(2)}, {"3": 1}),
            ("grid_scale", {"rows": rows(2)}, {"1": 6}),
            ("grid_yes_partial_no", {"rows": rows(2)}, {"1": "maybe"}),
            ("grid_two_columns", {"rows": rows(2)}, {"1": ["later"]}),
            ("likert", {"points": 5}, 6),
        ],
    )
    def test_out_of_range_answers_are_refused(self, kind, question, raw):
        with pytest.raises(AnswerError):
            get(kind).clean(question, raw)


class TestDimensionsAndOverall:
    def test_small_instrument_by_hand(self):
        definition = small_instrument()
        answers = {"Q1": 2, "Q2": [1], "Q3": {"1": ["done"]}, "Q4": {"1": 5}, "Q8": 2}
        result = scoring.score(definition, answers)
        # D1: Q1 2/4, Q2 1/2, Q3 1/4 → (5 + 5 + 2.5) / 3 × 10
        assert result.dimensions["D1"] == pytest.approx(125 / 3)
        # D2: Q4 (5 + 0) / 2 / 5, Q5 nothing, Q8 shown because Q2 has option 1 → (5 + 0 + 10) / 3
        # Q6 (likert) and Q7 (numeric) unanswered: out of the mean.
        assert result.dimensions["D2"] == pytest.approx(50.0)
        # D2 weighs 2.
        assert result.overall == pytest.approx((125 / 3 + 2 * 50) / 3)
        assert result.level == "average"

    def test_hidden_conditional_question_is_out_of_the_denominator(self):
        definition = small_instrument()
        answers = {"Q1": 2, "Q2": [2], "Q4": {"1": 5}, "Q8": 2}
        result = scoring.score(definition, answers)
        assert "Q8" not in scoring.shown_questions(definition, answers)
        # D2 = (5 + 0) / 2 × 10: Q8's 10 points no longer count.
        assert result.dimensions["D2"] == pytest.approx(25.0)

    def test_na_answer_leaves_its_dimension_mean(self):
        definition = small_instrument()
        result = scoring.score(definition, {"Q1": 4, "Q2": [1, 2], "Q3": {}})
        # Q1 N/A: D1 = (Q2 10 + Q3 0) / 2
        assert result.dimensions["D1"] == pytest.approx(50.0)

    def test_dimension_without_counted_questions_has_no_score_and_no_weight(self):
        definition = one_question({"type": "likert", "points": 5})
        definition["dimensions"].append({"code": "D2", "weight": 3})
        definition["questions"].append(
            {"code": "Q2", "dimension": "D2", "type": "likert", "points": 5, "text": t("?")}
        )
        result = scoring.score(definition, {"Q1": 5})
        assert result.dimensions == {"D1": pytest.approx(100.0), "D2": None}
        assert result.overall == pytest.approx(100.0)

    def test_nothing_counted_gives_no_overall(self):
        result = scoring.score(one_question({"type": "likert", "points": 5}), {})
        assert result.overall is None and result.level is None


class TestLevels:
    @pytest.mark.parametrize(
        "score, level",
        [
            (0, "basic"),
            (25.99, "basic"),
            (25.999999, "basic"),
            (26, "average"),
            (50.5, "average"),
            (50.99, "average"),
            (51, "moderately_advanced"),
            (75.99, "moderately_advanced"),
            (76, "advanced"),
            (100, "advanced"),
        ],
    )
    def test_bands_are_half_open_on_the_unrounded_score(self, score, level):
        assert scoring.level_for(scoring.DEFAULT_LEVELS, score) == level

    def test_rounding_is_for_display_only(self):
        # 25.99 would display as 26 but stays Basic: the level reads the unrounded score.
        bands = [{"min": 0, "max": 100, "points": 25.99}, {"min": 100, "max": 101, "points": 100}]
        result = scoring.score(one_question({"type": "numeric", "bands": bands}), {"Q1": 1})
        assert result.overall == pytest.approx(25.99)
        assert result.level == "basic"

    def test_levels_are_editable_per_instrument(self):
        levels = [
            {"code": "basic", "min": 0},
            {"code": "average", "min": 20},
            {"code": "moderately_advanced", "min": 40},
            {"code": "advanced", "min": 60},
        ]
        assert scoring.level_for(levels, 25.99) == "average"


class TestReferenceInstrument:
    """A worked example, computed by hand from the spec's formulas."""

    ANSWERS = {
        "Q1": {"1": ["done"], "2": ["done", "planned"], "3": ["planned"], "6": ["done"]},
        "Q2": [1, 2, 5],
        "Q3": [1, 2, 4, 10],
        "Q4": {"1": 0, "3": 3, "5": 5},
        "Q5": [1, 3],
        "Q6": [],
        "Q7": [2, 3, 6],
        "Q8": [1, 2, 5],
        "Q9": {"5": 4},
        "Q10": [10],
        "Q11": {"1": "partially", "2": "no", "4": "yes"},
    }

    def test_structure_follows_the_spec_table(self):
        definition = json.loads(REFERENCE.read_text())
        assert definitions.errors(definition) == []
        shape = [
            (q["code"], q["dimension"], q["type"], len(q.get("rows") or q["options"]))
            for q in definition["questions"]
        ]
        assert shape == [
            ("Q1", "D1", "grid_two_columns", 10),
            ("Q2", "D1", "multi_choice", 10),
            ("Q3", "D2", "multi_choice", 10),
            ("Q4", "D2", "grid_scale", 7),
            ("Q5", "D3", "multi_choice", 7),
            ("Q6", "D3", "multi_choice", 8),
            ("Q7", "D4", "multi_choice", 8),
            ("Q8", "D4", "multi_choice", 6),
            ("Q9", "D5", "grid_scale", 5),
            ("Q10", "D6", "multi_choice", 10),
            ("Q11", "D6", "grid_yes_partial_no", 5),
        ]
        assert definition["questions"][6]["options"][1]["weight"] == -1

    def test_worked_example(self):
        definition = json.loads(REFERENCE.read_text())
        answers, problems = definitions.clean_answers(definition, self.ANSWERS)
        assert problems == {}
        result = scoring.score(definition, answers)
        # D1: Q1 (1 + 1 + 0.5 + 1) / 10 → 3.5; Q2 3/10 → 3.0; (3.5 + 3.0) / 2 × 10
        # D2: Q3 4/10 → 4.0; Q4 (0 + 3 + 5) / 7 / 5 × 10 → 2.2857; mean × 10
        # D3: Q5 2/7 → 2.857; Q6 nothing → 0
        # D4: Q7 (−1 + 1 + 1) / 7 → 1.4286; Q8 3/6 → 5.0
        # D5: Q9 4 / 5 rows / 5 × 10 → 1.6
        # D6: Q10 1/10 → 1.0; Q11 (0.5 + 0 + 1) / 5 → 3.0
        expected = {
            "D1": 32.5,
            "D2": (4 + 8 / 7 / 5 * 10) / 2 * 10,
            "D3": (20 / 7) / 2 * 10,
            "D4": (10 / 7 + 5) / 2 * 10,
            "D5": 16.0,
            "D6": 20.0,
        }
        assert result.dimensions == pytest.approx(expected)
        assert expected["D2"] == pytest.approx(31.428571, abs=1e-6)
        assert result.overall == pytest.approx(24.392857, abs=1e-6)
        assert result.level == "basic"
        assert result.dimension_levels == {
            "D1": "average",
            "D2": "average",
            "D3": "basic",
            "D4": "average",
            "D5": "basic",
            "D6": "basic",
        }

    def test_negative_option_alone_floors_the_question_at_zero(self):
        definition = json.loads(REFERENCE.read_text())
        result = scoring.score(definition, {"Q7": [2], "Q8": [1, 2, 3, 4, 5, 6]})
        assert result.dimensions["D4"] == pytest.approx(50.0)


class TestDefinitionErrors:
    def test_sound_definition(self):
        assert definitions.errors(small_instrument()) == []

    @pytest.mark.parametrize(
        "change, fragment",
        [
            (lambda d: d["questions"][0].update(dimension="D9"), "unknown dimension"),
            (lambda d: d["questions"][0].update(type="essay"), "unknown type"),
            (lambda d: d["questions"][1].update(code="Q1"), "Two questions"),
            (lambda d: d["questions"][7]["condition"].update(question="Q7"), "can only depend"),
            (lambda d: d["questions"][7]["condition"].update(options=[9]), "do not exist"),
            (
                lambda d: d["questions"][0].update(condition={"question": "Q8", "options": [1]}),
                "not an earlier question",
            ),
            (lambda d: d["levels"][2].update(min=20), "increase"),
            (lambda d: d["dimensions"][1].update(weight=0), "weight above zero"),
        ],
    )
    def test_problems_are_named(self, change, fragment):
        definition = small_instrument()
        change(definition)
        with translation.override("en"):
            assert any(fragment in problem for problem in definitions.errors(definition))

    def test_unknown_question_code_in_answers(self):
        _answers, problems = definitions.clean_answers(small_instrument(), {"Q99": 1})
        assert "Q99" in problems["Q99"]


def test_scores_read_the_same_in_tables_and_in_path_reasons():
    from assessments.display import rounded
    from assessments.paths.texts import shown

    assert rounded(22.5) == 23 and shown(22.5) == "23"  # not banker's rounding (22)
    assert rounded(37.3) == 37 and shown(37.3) == "37"


def test_not_applicable_cannot_be_ticked_with_other_options():
    question = {
        "type": "multi_choice",
        "options": options(1, 1, 0, flags={3: {"not_applicable": True}}),
    }
    with pytest.raises(AnswerError):
        get("multi_choice").clean(question, [1, 3])
    assert dimension_score(question, get("multi_choice").clean(question, [3])) is None


@pytest.mark.parametrize("raw", ["²", "--1", "9" * 5000, "١", " ", "1e3"])
def test_digit_like_text_is_refused_not_crashed(raw):
    question = {"type": "single_choice", "options": options(1, 2, key="points")}
    with pytest.raises(AnswerError):
        get("single_choice").clean(question, raw)
    grid = {"type": "grid_scale", "rows": rows(2)}
    with pytest.raises(AnswerError):
        get("grid_scale").clean(grid, {"1": raw})


def test_a_list_where_a_grid_word_belongs_is_refused():
    question = {"type": "grid_yes_partial_no", "rows": rows(2)}
    with pytest.raises(AnswerError):
        get("grid_yes_partial_no").clean(question, {"1": ["yes"]})
