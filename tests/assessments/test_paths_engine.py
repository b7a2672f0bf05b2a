"""The path engine on plain data: which pages a path holds, in what order, why, and what is
locked and what would open it."""

from django.utils import translation

from assessments.paths import engine
from assessments.paths.engine import Facts, Rule, compute_path, lock_of
from assessments.paths.store import RuleBook
from assessments.paths.texts import Namer, lock_sentence, reason_text, unlock_text
from assessments.paths.validation import COURSE, MODULE, QUIZ_PAGE, PageFacts

COURSE_A, MODULE_1, MODULE_2, MODULE_3, QUIZ_1 = "course-a", "m1", "m2", "m3", "q1"
COURSE_B = "course-b"
CONTAINERS = {MODULE_1: (COURSE_A,), MODULE_2: (COURSE_A,), MODULE_3: (COURSE_A,)}


def score(target, low, high, action="recommend", dimension="D1", **extra):
    return Rule(
        target=target,
        action=action,
        instrument="maturity",
        dimension=dimension,
        min_score=low,
        max_score=high,
        **extra,
    )


def completed(page, target, **extra):
    return Rule(target=target, action="unlock", condition="completed", page=page, **extra)


def numbered(*rules):
    return [Rule(**{**rule.__dict__, "number": n, "order": n}) for n, rule in enumerate(rules, 1)]


def company(**scores):
    return {"maturity": {"overall": 50, **scores}}


def targets(path):
    return [entry.target for entry in path.entries]


def test_a_score_in_range_puts_the_target_in_the_path_with_its_reason():
    rules = numbered(score(COURSE_A, 0, 51), score(COURSE_B, 51, 100))
    path = compute_path(rules, Facts(company_scores=company(D1=32)))
    assert targets(path) == [COURSE_A]
    (entry,) = path.entries
    assert entry.state == engine.OPEN and entry.action == "recommend"
    (reason,) = entry.reasons
    assert reason.rule.dimension == "D1" and reason.value == 32 and reason.holds


def test_ranges_are_half_open_except_that_100_includes_100():
    rules = numbered(score(COURSE_A, 0, 51), score(COURSE_B, 51, 100))
    assert targets(compute_path(rules, Facts(company_scores=company(D1=51)))) == [COURSE_B]
    assert targets(compute_path(rules, Facts(company_scores=company(D1=50.99)))) == [COURSE_A]
    assert targets(compute_path(rules, Facts(company_scores=company(D1=100)))) == [COURSE_B]
    assert targets(compute_path(rules, Facts(company_scores=company(D1=0)))) == [COURSE_A]


def test_an_empty_range_holds_no_score():
    rules = numbered(score(COURSE_A, 60, 40), score(COURSE_B, 100, 100))
    for value in (0, 40, 50, 60, 100):
        assert compute_path(rules, Facts(company_scores=company(D1=value))).entries == []


def test_a_blank_dimension_reads_the_overall_score():
    rules = numbered(score(COURSE_A, 40, 60, dimension=""))
    assert targets(compute_path(rules, Facts(company_scores=company(D1=90)))) == [COURSE_A]


def test_company_rules_read_company_scores_and_person_rules_the_persons():
    rules = numbered(
        score(COURSE_A, 0, 50, audience="company"),
        score(COURSE_B, 0, 50, audience="person"),
    )
    facts = Facts(company_scores=company(D1=80), person_scores=company(D1=10))
    assert targets(compute_path(rules, facts)) == [COURSE_B]
    assert compute_path(rules, facts, audiences=("company",)).entries == []


def test_order_is_priority_then_require_before_recommend_then_rule_order():
    rules = numbered(
        score("late", 0, 100, priority=20),
        score("recommended", 0, 100, priority=10),
        score("required", 0, 100, action="require", priority=10),
        score("also-recommended", 0, 100, priority=10),
    )
    path = compute_path(rules, Facts(company_scores=company(D1=5)))
    assert targets(path) == ["required", "recommended", "also-recommended", "late"]


def test_an_entry_takes_its_best_rule_and_strongest_action():
    rules = numbered(
        score(COURSE_B, 0, 100, priority=5),
        score(COURSE_A, 0, 100, priority=30),
        score(COURSE_A, 0, 100, action="require", priority=1, dimension="D2"),
    )
    path = compute_path(rules, Facts(company_scores=company(D1=5, D2=5)))
    assert targets(path) == [COURSE_A, COURSE_B]
    assert path.entries[0].action == "require"
    assert [r.rule.number for r in path.entries[0].reasons] == [3, 2]


def test_an_unlock_target_is_locked_until_one_of_its_rules_holds():
    rules = numbered(
        score(COURSE_A, 0, 100),
        completed(MODULE_1, MODULE_2),
        Rule(target=MODULE_2, action="unlock", condition="quiz", page=QUIZ_1, quiz_percent=70),
    )
    facts = Facts(company_scores=company(D1=5))
    path = compute_path(rules, facts, containers=CONTAINERS)
    assert targets(path) == [COURSE_A, MODULE_2]
    locked = path.entries[1]
    assert locked.state == engine.LOCKED and locked.reasons == []
    assert [found.rule.number for found in locked.unlocks] == [2, 3]
    assert lock_of([MODULE_2], rules, facts).page == MODULE_2

    by_quiz = Facts(company_scores=company(D1=5), quiz_percent={QUIZ_1: 70})
    assert lock_of([MODULE_2], rules, by_quiz) is None
    assert lock_of([MODULE_2], rules, Facts(quiz_percent={QUIZ_1: 69.9})) is not None
    by_module = compute_path(
        rules, Facts(company_scores=company(D1=5), completed=frozenset({MODULE_1}))
    )
    entry = next(e for e in by_module.entries if e.target == MODULE_2)
    assert entry.state == engine.OPEN and entry.action == "unlock"
    assert [r.rule.number for r in entry.reasons] == [2]


def test_a_chain_of_unlocks_shows_whole_from_an_item_in_the_path():
    rules = numbered(
        score(MODULE_1, 0, 100),
        completed(MODULE_2, MODULE_3),
        completed(MODULE_1, MODULE_2),
    )
    path = compute_path(rules, Facts(company_scores=company(D1=5)))
    assert targets(path) == [MODULE_1, MODULE_3, MODULE_2]  # rule order for equal priorities
    assert [entry.state for entry in path.entries] == ["open", "locked", "locked"]
    inside = compute_path(
        rules[1:] + numbered(score(COURSE_A, 0, 100)),
        Facts(company_scores=company(D1=5)),
        containers=CONTAINERS,
    )
    assert set(targets(inside)) == {COURSE_A, MODULE_2, MODULE_3}


def test_locked_items_unrelated_to_the_path_are_left_out():
    rules = numbered(
        score(COURSE_A, 0, 50),
        completed("elsewhere", "other-module"),
        Rule(
            target=COURSE_B,
            action="unlock",
            instrument="maturity",
            dimension="D1",
            min_score=76,
            max_score=100,
        ),
    )
    path = compute_path(rules, Facts(company_scores=company(D1=30)))
    assert targets(path) == [COURSE_A]


def test_an_unlock_waiting_for_an_assessment_not_taken_is_listed_and_awaited():
    rules = numbered(
        Rule(target=COURSE_B, action="unlock", instrument="maturity", dimension="D1", min_score=50)
    )
    path = compute_path(rules, Facts())
    assert targets(path) == [COURSE_B]
    assert path.entries[0].unlocks[0].taken is False
    assert path.awaiting == [("company", "maturity")]
    assert compute_path(rules, Facts(company_scores=company(D1=60))).awaiting == []


def test_a_module_inside_a_locked_course_is_locked_with_it():
    rules = numbered(
        score(MODULE_1, 0, 100),
        completed(COURSE_B, COURSE_A),
    )
    path = compute_path(rules, Facts(company_scores=company(D1=5)), containers=CONTAINERS)
    entry = next(e for e in path.entries if e.target == MODULE_1)
    assert entry.state == engine.LOCKED and entry.lock.page == COURSE_A


def test_a_completed_target_is_done_even_when_locked():
    rules = numbered(score(MODULE_2, 0, 100), completed(MODULE_1, MODULE_2))
    facts = Facts(company_scores=company(D1=5), completed=frozenset({MODULE_2}))
    (entry,) = compute_path(rules, facts).entries
    assert entry.state == engine.DONE and entry.lock is None


def book():
    return RuleBook(
        pages={
            COURSE_A: PageFacts(COURSE_A, "Vendre en ligne", COURSE),
            MODULE_1: PageFacts(MODULE_1, "Canaux", MODULE, containers=(COURSE_A,)),
            MODULE_2: PageFacts(MODULE_2, "Fiches produits", MODULE, containers=(COURSE_A,)),
            QUIZ_1: PageFacts(QUIZ_1, "Quiz des canaux", QUIZ_PAGE, containers=(COURSE_A,)),
        },
        instruments={
            "maturity": {
                "title": {"fr": "Maturité", "en": "Maturity", "ar": "النضج"},
                "audience": "company",
                "dimensions": {"D4": {"fr": "Données", "en": "Data", "ar": "البيانات"}},
                "published": True,
            }
        },
    )


def test_reasons_and_unlocks_are_worded_in_the_active_language():
    namer = Namer(book())
    data = score(COURSE_A, 26, 51, dimension="D4", number=1)
    found = engine.check(data, Facts(company_scores={"maturity": {"D4": 32.4}}))
    with translation.override("en"):
        assert reason_text(found, namer) == (
            "recommended because your company's “Data” score is 32/100"
        )
        assert unlock_text(found, namer) == (
            "get a “Data” score between 26 and 51 in “Maturity” (your company's score: 32/100)"
        )
        missing = engine.check(data, Facts())
        assert unlock_text(missing, namer) == "have your company take the assessment “Maturity”"
        quiz = Rule(
            target=MODULE_2, action="unlock", condition="quiz", page=QUIZ_1, quiz_percent=70
        )
        assert unlock_text(engine.check(quiz, Facts(quiz_percent={QUIZ_1: 55})), namer) == (
            "score at least 70 % in the quiz “Quiz des canaux” (your score so far: 55 %)"
        )
        module = completed(MODULE_1, MODULE_2)
        lock = lock_of([MODULE_2], [module, quiz], Facts())
        assert lock_sentence(lock, namer, MODULE_2) == (
            "To open it, complete the module “Canaux”, or score at least 70 % in the quiz "
            "“Quiz des canaux”."
        )
        person = Rule(target=COURSE_A, audience="person", instrument="maturity", dimension="D4")
        assert reason_text(
            engine.check(person, Facts(person_scores={"maturity": {"D4": 80}})), namer
        ) == ("recommended because your “Data” score is 80/100")
    with translation.override("fr"):
        assert "32/100" in reason_text(found, namer)
        assert "Données" in reason_text(found, namer)
