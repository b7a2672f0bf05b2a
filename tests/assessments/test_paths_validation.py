"""Rule set checks: each error blocks, each warning is reported, messages name the rules."""

from django.utils import translation

from assessments.paths.engine import Rule
from assessments.paths.validation import (
    COURSE,
    LESSON,
    MODULE,
    QUIZ_PAGE,
    InstrumentFacts,
    PageFacts,
    gaps,
    validate,
)

PAGES = {
    "course": PageFacts("course", "Vendre en ligne", COURSE, lesson_count=9),
    "m1": PageFacts("m1", "Canaux", MODULE, containers=("course",), lesson_count=3),
    "m2": PageFacts("m2", "Fiches", MODULE, containers=("course",), lesson_count=3),
    "m3": PageFacts("m3", "Livraison", MODULE, containers=("course",), lesson_count=3),
    "quiz": PageFacts("quiz", "Quiz des canaux", QUIZ_PAGE, containers=("course", "m1")),
    "lesson": PageFacts("lesson", "Une leçon", LESSON, containers=("course", "m1")),
    "draft": PageFacts("draft", "Brouillon", MODULE, live=False, lesson_count=2),
    "empty": PageFacts("empty", "Module vide", MODULE, lesson_count=0),
    "other": PageFacts("other", "Culture numérique", COURSE, lesson_count=9),
}
INSTRUMENTS = {
    "maturity": InstrumentFacts(
        "maturity", "Maturité", "company", {"D1": "Stratégie", "D2": "Données"}
    ),
    "skills": InstrumentFacts("skills", "Compétences", "person", {"A1": "Information"}),
    "unpublished": InstrumentFacts("unpublished", "Brouillon", "company", {}, published=False),
}


def numbered(*rules):
    return [Rule(**{**rule.__dict__, "number": n, "order": n}) for n, rule in enumerate(rules, 1)]


def full_range(target="other", dimension="D1", **extra):
    return Rule(target=target, instrument="maturity", dimension=dimension, **extra)


def unlock(page, target, condition="completed", **extra):
    return Rule(target=target, action="unlock", condition=condition, page=page, **extra)


def check(*rules):
    with translation.override("en"):
        return validate(numbered(*rules), PAGES, INSTRUMENTS)


def messages(problems):
    return [problem.message for problem in problems]


def test_a_sound_rule_set_has_no_error_and_no_warning():
    report = check(
        full_range("course", min_score=0, max_score=51),
        full_range("other", min_score=51, max_score=100),
        unlock("m1", "m2"),
        unlock("quiz", "m3", condition="quiz", quiz_percent=70),
    )
    assert report.ok and report.errors == [] and report.warnings == []


def test_a_cycle_of_unlocks_is_an_error_naming_its_rules():
    report = check(full_range("course"), unlock("m2", "m3"), unlock("m3", "m2"))
    cycle = [p for p in report.errors if "wait for each other" in p.message]
    assert len(cycle) == 1
    assert set(cycle[0].rules) == {2, 3}
    assert "rule 2 opens “Livraison” once “Fiches” is completed" in cycle[0].message
    assert "rule 3 opens “Fiches” once “Livraison” is completed" in cycle[0].message
    assert any("Nobody can ever open “Fiches”" in m for m in messages(report.errors))
    assert not report.ok


def test_a_course_locked_by_one_of_its_own_modules_is_a_cycle():
    report = check(unlock("m1", "course"))
    (cycle,) = [p for p in report.errors if "wait for each other" in p.message]
    assert "“Canaux” is inside “Vendre en ligne”" in cycle.message
    assert cycle.rules == (1,)


def test_a_module_unlocked_by_completing_its_own_course_is_a_cycle():
    report = check(unlock("course", "m2"))
    (cycle,) = [p for p in report.errors if "wait for each other" in p.message]
    assert "completing “Vendre en ligne” means completing “Fiches”" in cycle.message


def test_an_empty_range_is_an_error():
    (error,) = check(full_range(min_score=60, max_score=40)).errors
    assert error.message.startswith("Rule 1 (“Culture numérique”)")
    assert "from 60 to 40 holds no score" in error.message


def test_a_dimension_not_in_the_current_version_is_an_error():
    report = check(full_range(dimension="D9"))
    assert any("“D9” is not in the current version" in m for m in messages(report.errors))


def test_an_instrument_of_the_other_audience_or_unpublished_is_an_error():
    report = check(
        Rule(target="other", instrument="skills", dimension="A1"),
        Rule(target="course", audience="person", instrument="maturity"),
        Rule(target="m1", instrument="unpublished"),
        Rule(target="m2"),
    )
    found = messages(report.errors)
    assert any("Rule 1" in m and "answered by each person" in m for m in found)
    assert any("Rule 2" in m and "answered for a company" in m for m in found)
    assert any("Rule 3" in m and "no published version" in m for m in found)
    assert any("Rule 4" in m and "choose the instrument" in m for m in found)


def test_condition_pages_that_cannot_be_reached_are_errors():
    report = check(
        full_range("course"),
        unlock("draft", "m1"),
        unlock("m2", "m3", condition="quiz", quiz_percent=50),
        unlock("empty", "m2"),
        unlock("lesson", "other"),
        unlock(None, "m1"),
        unlock("quiz", "m1", condition="quiz"),
    )
    found = messages(report.errors)
    assert any("Rule 2" in m and "“Brouillon” is not published" in m for m in found)
    assert any("Rule 3" in m and "“Fiches” is not a quiz" in m for m in found)
    assert any("Rule 4" in m and "“Module vide” has no published lesson" in m for m in found)
    assert any("Rule 5" in m and "only a module or a course can be completed" in m for m in found)
    assert any("Rule 6" in m and "choose the module or course" in m for m in found)
    assert any("Rule 7" in m and "give the quiz mark" in m for m in found)


def test_a_condition_on_an_item_nobody_can_reach_is_an_error():
    report = check(
        full_range("course"),
        unlock("draft", "m2"),  # impossible: the module waited for is not published
        unlock("m2", "m3"),  # so m3 can never open either
    )
    found = messages(report.errors)
    assert any("Rule 3 (“Livraison”) waits for “Fiches”, which nobody" in m for m in found)
    assert any("Nobody can ever open “Livraison”" in m for m in found)
    assert any("Nobody can ever open “Fiches”" in m for m in found)


def test_a_target_that_is_not_a_course_or_module_is_an_error():
    (error,) = check(full_range("lesson")).errors
    assert "“Une leçon” is neither" in error.message


def test_overlapping_ranges_are_a_warning_naming_both_rules():
    report = check(
        full_range("course", min_score=0, max_score=60),
        full_range("other", min_score=50, max_score=100),
    )
    assert report.ok
    (warning,) = report.warnings
    assert warning.rules == (1, 2)
    assert "from 50 to 60" in warning.message and "“Stratégie” (D1)" in warning.message


def test_gaps_in_the_ranges_are_a_warning():
    report = check(
        full_range("course", min_score=0, max_score=26),
        full_range("other", min_score=51, max_score=76),
        Rule(target="m1", instrument="maturity", dimension="D2", min_score=0, max_score=100),
    )
    assert report.ok
    found = messages(report.warnings)
    assert len(found) == 2
    assert any("from 26 to 51" in m for m in found)
    assert any("from 76 to 100" in m for m in found)
    assert all("the company's path" in m for m in found)


def test_ranges_are_compared_per_path_instrument_and_dimension():
    report = check(
        full_range("course", min_score=0, max_score=100),
        full_range("other", min_score=0, max_score=100, dimension="D2"),
        Rule(target="m1", audience="person", instrument="skills", dimension="A1"),
    )
    assert report.ok and report.warnings == []


def test_a_target_not_published_is_a_warning():
    report = check(full_range("draft"))
    assert report.ok
    assert any("“Brouillon” is not published" in m for m in messages(report.warnings))


def test_gaps_of_touching_ranges():
    rules = numbered(full_range(min_score=0, max_score=51), full_range(min_score=51))
    assert gaps(rules) == []
    assert gaps(numbered(full_range(min_score=10, max_score=90))) == [(0.0, 10.0), (90.0, 100.0)]
