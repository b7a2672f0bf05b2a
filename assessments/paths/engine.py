"""Path rules evaluated on plain data: which courses and modules a path holds, in what order,
why each is there, which are locked and what would open them. Nothing here reads the database;
pages are named by their translation keys, so a path is the same in every language.

Inputs
    rules: `Rule` objects (all active rules, in rule order).
    facts: `Facts`: the latest scores of the company and of the person, as
        {instrument slug: {"overall": x, "D1": y, …}}, the keys of the modules and courses the
        person completed, and their best percent per quiz key.
    containers: {page key: keys of the course (then module) the page is in}, for the pages the
        rules name; a module inside a locked course is locked with it.

Conditions
    score: the subject's latest result in the instrument has, in the dimension (blank: the
        overall score), a score in [min, max): min included, max excluded, except that a max of
        100 includes 100. No min means 0, no max means 100; a range whose min is not below its
        max holds for no score. Company rules read the company's scores, person rules the
        person's own (self-check) scores.
    completed: the person completed the module or course (every lesson of it).
    quiz: the person's best percent in the quiz reaches the mark.

Locks
    A page that is the target of any unlock rule, whatever its audience, is locked until one of
    its unlock rules holds, and the pages inside it (a course's modules) are locked with it.
    Locks are the same in every path, as the gate on lessons enforces them for the person.

What a path holds (for the audiences asked: the company's rules, the person's, or both)
    1. the targets of recommend and require rules whose condition holds, with those rules as
       the reasons;
    2. the targets of unlock rules whose condition holds ("unlocked because …");
    3. the targets of unlock rules still locked but within reach of this path: the rule waits
       for a module, course or quiz that is in the path (or inside an item of it), or for a
       score in an instrument the subject has not taken yet. This is repeated until nothing is
       added, so a chain "module 1 opens module 2, which opens module 3" shows whole. Locked
       targets waiting for a score the subject already has outside the range are left out:
       those rules are meant for others.

Order: by priority (lower first), then require before recommend before unlock, then rule
order; an entry ranks as the best of its rules. State: done when the person completed the
target, else locked when a lock applies, else open.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

COMPANY, PERSON = "company", "person"
SCORE, COMPLETED, QUIZ = "score", "completed", "quiz"
RECOMMEND, REQUIRE, UNLOCK = "recommend", "require", "unlock"
OPEN, LOCKED, DONE = "open", "locked", "done"
OVERALL = "overall"
FULL_SCORE = 100.0

ACTION_RANK = {REQUIRE: 0, RECOMMEND: 1, UNLOCK: 2}


@dataclass(frozen=True)
class Rule:
    target: Hashable
    action: str = RECOMMEND
    audience: str = COMPANY
    condition: str = SCORE
    instrument: str = ""
    dimension: str = ""
    min_score: float | None = None
    max_score: float | None = None
    page: Hashable | None = None  # the module, course or quiz a completed/quiz condition names
    quiz_percent: float | None = None
    priority: int = 10
    number: int = 0  # position in its rule set, from 1, to name it in messages
    order: int = 0  # position among all the active rules, to break ties

    @property
    def low(self):
        return 0.0 if self.min_score is None else float(self.min_score)

    @property
    def high(self):
        return FULL_SCORE if self.max_score is None else float(self.max_score)

    @property
    def empty_range(self):
        return self.low >= self.high

    @property
    def dimension_key(self):
        return self.dimension or OVERALL

    def covers(self, score):
        if score is None or self.empty_range:
            return False
        if self.high >= FULL_SCORE:
            return self.low <= score <= self.high
        return self.low <= score < self.high

    def sort_key(self):
        return (self.priority, ACTION_RANK.get(self.action, len(ACTION_RANK)), self.order)


@dataclass(frozen=True)
class Facts:
    company_scores: Mapping = field(default_factory=dict)
    person_scores: Mapping = field(default_factory=dict)
    completed: frozenset = frozenset()
    quiz_percent: Mapping = field(default_factory=dict)

    def scores_of(self, audience):
        return self.company_scores if audience == COMPANY else self.person_scores


@dataclass(frozen=True)
class Check:
    """A rule's condition checked against the facts. `taken` is False for a score condition
    on an instrument the subject has no result in; `value` is the score, or the best quiz
    percent, found (None when there is none)."""

    rule: Rule
    holds: bool
    taken: bool = True
    value: float | None = None


@dataclass(frozen=True)
class Lock:
    """A locked page: `page` carries the lock (the page itself or the course it is in), and
    any one of `unlocks` opening would open it."""

    page: Hashable
    unlocks: tuple


@dataclass
class PathEntry:
    target: Hashable
    action: str
    priority: int
    state: str
    reasons: list = field(default_factory=list)
    lock: Lock | None = None
    rank: tuple = ()

    @property
    def unlocks(self):
        return list(self.lock.unlocks) if self.lock else []


@dataclass
class Path:
    entries: list
    # (audience, instrument slug) pairs that rules of the path read but the subject has not
    # taken: taking them may add to the path.
    awaiting: list = field(default_factory=list)


def check(rule, facts):
    if rule.condition == SCORE:
        scores = facts.scores_of(rule.audience).get(rule.instrument)
        if scores is None:
            return Check(rule, holds=False, taken=False)
        value = scores.get(rule.dimension_key)
        return Check(rule, holds=rule.covers(value), value=value)
    if rule.condition == COMPLETED:
        return Check(rule, holds=rule.page is not None and rule.page in facts.completed)
    if rule.condition == QUIZ:
        best = facts.quiz_percent.get(rule.page) if rule.page is not None else None
        mark = rule.quiz_percent
        holds = best is not None and mark is not None and best >= mark
        return Check(rule, holds=holds, value=best)
    return Check(rule, holds=False)


def unlock_rules_by_target(rules):
    found = {}
    for rule in rules:
        if rule.action == UNLOCK:
            found.setdefault(rule.target, []).append(rule)
    return found


def lock_of(page_keys, rules, facts, by_target=None):
    """The lock on a page, given its own key preceded by the keys of the pages it is in
    (outermost first), or None when it is open."""
    by_target = unlock_rules_by_target(rules) if by_target is None else by_target
    for key in page_keys:
        unlocks = by_target.get(key)
        if not unlocks:
            continue
        checks = tuple(check(rule, facts) for rule in unlocks)
        if not any(found.holds for found in checks):
            return Lock(page=key, unlocks=checks)
    return None


def compute_path(rules, facts, audiences=(COMPANY, PERSON), containers=None):
    containers = containers or {}
    by_target = unlock_rules_by_target(rules)
    mine = [rule for rule in rules if rule.audience in audiences]
    reasons, ranks = {}, {}

    def take(target, rule, found=None):
        listed = reasons.setdefault(target, [])
        if found is not None:
            listed.append(found)
        rank = rule.sort_key()
        ranks[target] = min(ranks.get(target, rank), rank)

    waiting = []
    for rule in mine:
        found = check(rule, facts)
        if found.holds:
            take(rule.target, rule, found)
        elif rule.action == UNLOCK:
            waiting.append(found)

    def in_path(key):
        return key in reasons or any(outer in reasons for outer in containers.get(key, ()))

    added = True
    while added:
        added = False
        for found in waiting:
            rule = found.rule
            if rule.target in reasons:
                continue
            if (rule.condition == SCORE and not found.taken) or (
                rule.condition in (COMPLETED, QUIZ) and rule.page is not None and in_path(rule.page)
            ):
                take(rule.target, rule)
                added = True

    entries = []
    for target, found in reasons.items():
        lock = lock_of((*containers.get(target, ()), target), rules, facts, by_target)
        if target in facts.completed:
            state = DONE
        else:
            state = LOCKED if lock else OPEN
        actions = [reason.rule.action for reason in found] or [UNLOCK]
        entries.append(
            PathEntry(
                target=target,
                action=min(actions, key=ACTION_RANK.get),
                priority=ranks[target][0],
                state=state,
                reasons=sorted(found, key=lambda reason: reason.rule.sort_key()),
                lock=lock if state == LOCKED else None,
                rank=ranks[target],
            )
        )
    entries.sort(key=lambda entry: entry.rank)
    return Path(entries=entries, awaiting=awaiting(mine, facts))


def awaiting(rules, facts):
    pending = []
    for rule in rules:
        pair = (rule.audience, rule.instrument)
        if (
            rule.condition == SCORE
            and rule.instrument
            and rule.instrument not in facts.scores_of(rule.audience)
            and pair not in pending
        ):
            pending.append(pair)
    return pending
