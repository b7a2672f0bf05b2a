"""Checks a rule set before it shapes anyone's path. Pure: it reads the rules (engine `Rule`
objects), the pages they name and the instruments they read, as plain data.

Errors (the rule set cannot be saved with them)
    - a rule whose condition can never hold: an empty score range (min not below max), no
      instrument or an unpublished one, a dimension code that is not in the instrument's
      current version, an instrument answered for a company used on a person's path (or the
      reverse), a condition page that is missing or not live, a completion condition on a page
      that is not a module or a course (or that has no live lesson), a quiz condition on a
      page that is not a quiz or without a mark, a target that is not a course or a module;
    - unlock rules that wait for each other (module A opens B, B opens A; or a course opened
      by completing one of its own modules), found as cycles among "page open" and "page done"
      steps;
    - pages nobody can reach: a rule waiting for a page that can never be opened, and a locked
      page none of whose unlock rules can ever hold.
Warnings (saved, but shown)
    - score ranges of rules on the same path, instrument and dimension that overlap;
    - parts of [0, 100] that no rule on that path, instrument and dimension covers;
    - a target that is not live: its rules show nothing until it is published.
"""

from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .engine import COMPANY, COMPLETED, FULL_SCORE, QUIZ, SCORE, UNLOCK

COURSE, MODULE, QUIZ_PAGE, LESSON, OTHER = "course", "module", "quiz", "lesson", "other"


@dataclass(frozen=True)
class PageFacts:
    key: object
    title: str
    kind: str
    live: bool = True
    containers: tuple = ()  # keys of the course (then module) the page is in
    lesson_count: int = 0  # live lessons below it (a course or module with none never completes)


@dataclass(frozen=True)
class InstrumentFacts:
    slug: str
    title: str
    audience: str = COMPANY
    dimensions: dict = field(default_factory=dict)  # code → title, in its current version
    published: bool = True


@dataclass(frozen=True)
class Problem:
    message: str
    rules: tuple = ()  # numbers of the rules concerned


@dataclass
class Report:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def score_text(value):
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


class Validator:
    def __init__(self, rules, pages, instruments):
        self.rules = list(rules)
        self.pages = pages
        self.instruments = instruments
        self.report = Report()

    # Naming things in messages -------------------------------------------------------------

    def title(self, key):
        page = self.pages.get(key)
        return page.title if page else _("a deleted page")

    def rule_name(self, rule):
        return _("rule %(number)s (“%(target)s”)") % {
            "number": rule.number,
            "target": self.title(rule.target),
        }

    def dimension_name(self, instrument, code):
        if not code:
            return _("overall")
        found = self.instruments.get(instrument)
        title = found.dimensions.get(code) if found else None
        return f"“{title}” ({code})" if title else code

    def instrument_name(self, slug):
        found = self.instruments.get(slug)
        return f"“{found.title}”" if found and found.title else slug

    def audience_name(self, audience):
        return _("the company's path") if audience == COMPANY else _("each person's path")

    def error(self, message, *rules):
        self.report.errors.append(Problem(capfirst(message), tuple(r.number for r in rules)))

    def warning(self, message, *rules):
        self.report.warnings.append(Problem(capfirst(message), tuple(r.number for r in rules)))

    # The checks ----------------------------------------------------------------------------

    def run(self):
        sound = [rule for rule in self.rules if self.check_rule(rule)]
        cyclic = self.check_cycles()
        self.check_reach(sound, cyclic)
        self.check_ranges(sound)
        return self.report

    def check_rule(self, rule):
        """Report what makes this one rule impossible; True when it can hold."""
        problems = self.target_problems(rule)
        if rule.condition == SCORE:
            problems += self.score_problems(rule)
        elif rule.condition in (COMPLETED, QUIZ):
            problems += self.page_problems(rule)
        for problem in problems:
            self.error(
                _("%(rule)s: %(problem)s") % {"rule": self.rule_name(rule), "problem": problem},
                rule,
            )
        target = self.pages.get(rule.target)
        if target is not None and not target.live and target.kind in (COURSE, MODULE):
            self.warning(
                _(
                    "%(rule)s: “%(target)s” is not published, so this rule shows nothing "
                    "until it is."
                )
                % {"rule": self.rule_name(rule), "target": target.title},
                rule,
            )
        return not problems

    def target_problems(self, rule):
        target = self.pages.get(rule.target)
        if target is None:
            return [_("its course or module no longer exists.")]
        if target.kind not in (COURSE, MODULE):
            return [
                _("a path leads to courses and modules, and “%(title)s” is neither.")
                % {"title": target.title}
            ]
        return []

    def score_problems(self, rule):
        problems = []
        instrument = self.instruments.get(rule.instrument)
        if instrument is None:
            problems.append(_("choose the instrument whose score it reads."))
        elif not instrument.published:
            problems.append(
                _("%(instrument)s has no published version, so nobody has a score in it.")
                % {"instrument": self.instrument_name(rule.instrument)}
            )
        else:
            if rule.dimension and rule.dimension not in instrument.dimensions:
                problems.append(
                    _(
                        "dimension “%(code)s” is not in the current version of "
                        "%(instrument)s (its dimensions: %(codes)s)."
                    )
                    % {
                        "code": rule.dimension,
                        "instrument": self.instrument_name(rule.instrument),
                        "codes": ", ".join(instrument.dimensions) or "—",
                    }
                )
            if instrument.audience != rule.audience:
                if rule.audience == COMPANY:
                    text = _(
                        "it is on the company's path, but %(instrument)s is answered by each "
                        "person for themselves, so no company has a score in it."
                    )
                else:
                    text = _(
                        "it is on each person's path, but %(instrument)s is answered for a "
                        "company, so no person has a score of their own in it."
                    )
                problems.append(text % {"instrument": self.instrument_name(rule.instrument)})
        if rule.empty_range:
            problems.append(
                _(
                    "the range from %(low)s to %(high)s holds no score: the lower bound must "
                    "be below the upper one."
                )
                % {"low": score_text(rule.low), "high": score_text(rule.high)}
            )
        return problems

    def page_problems(self, rule):
        if rule.page is None:
            if rule.condition == COMPLETED:
                return [_("choose the module or course to complete.")]
            return [_("choose the quiz.")]
        page = self.pages.get(rule.page)
        if page is None:
            return [_("the page it waits for no longer exists.")]
        problems = []
        if not page.live:
            problems.append(
                _("“%(title)s” is not published, so nobody can reach it.") % {"title": page.title}
            )
        if rule.condition == COMPLETED:
            if page.kind not in (COURSE, MODULE):
                problems.append(
                    _("only a module or a course can be completed, and “%(title)s” is neither.")
                    % {"title": page.title}
                )
            elif not page.lesson_count:
                problems.append(
                    _("“%(title)s” has no published lesson, so nobody can complete it.")
                    % {"title": page.title}
                )
        else:
            if page.kind != QUIZ_PAGE:
                problems.append(
                    _("“%(title)s” is not a quiz, so it gives no quiz score.")
                    % {"title": page.title}
                )
            if rule.quiz_percent is None:
                problems.append(_("give the quiz mark to reach, in percent."))
        return problems

    # Cycles --------------------------------------------------------------------------------

    def dependency_graph(self):
        """Edges between steps ("open", key) and ("done", key): the second needs the first.
        Only unlock rules close pages, so only they and the page tree make dependencies."""
        edges = {}

        def link(before, after, label):
            edges.setdefault(before, {}).setdefault(after, label)

        locked = {rule.target for rule in self.rules if rule.action == UNLOCK}
        for key, page in self.pages.items():
            link(("open", key), ("done", key), None)
            for outer in page.containers:
                if outer in self.pages:
                    link(("open", outer), ("open", key), ("inside", key, outer))
                    if key in locked:
                        link(("open", key), ("done", outer), ("part", key, outer))
        for rule in self.rules:
            if rule.action == UNLOCK and rule.condition in (COMPLETED, QUIZ) and rule.page:
                link(("done", rule.page), ("open", rule.target), ("rule", rule))
        return edges

    def check_cycles(self):
        """Report each group of steps that wait for each other; returns the rules caught in
        one, whose "nobody can reach" consequence need not be repeated."""
        edges = self.dependency_graph()
        cyclic = set()
        for component in strongly_connected(edges):
            if len(component) < 2:
                continue
            cycle = one_cycle(edges, component)
            labels = [edges[a][b] for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True)]
            steps = [self.step_text(label) for label in labels if label is not None]
            rules = [label[1] for label in labels if label is not None and label[0] == "rule"]
            cyclic.update(rules)
            self.error(
                _("These rules wait for each other, so none of them can ever hold: %(steps)s.")
                % {"steps": "; ".join(steps)},
                *rules,
            )
        return cyclic

    def step_text(self, label):
        if label[0] == "rule":
            rule = label[1]
            if rule.condition == QUIZ:
                text = _("rule %(number)s opens “%(target)s” after a quiz mark in “%(page)s”")
            else:
                text = _("rule %(number)s opens “%(target)s” once “%(page)s” is completed")
            return text % {
                "number": rule.number,
                "target": self.title(rule.target),
                "page": self.title(rule.page),
            }
        kind, inner, outer = label
        if kind == "inside":
            return _("“%(inner)s” is inside “%(outer)s”") % {
                "inner": self.title(inner),
                "outer": self.title(outer),
            }
        return _("completing “%(outer)s” means completing “%(inner)s”") % {
            "inner": self.title(inner),
            "outer": self.title(outer),
        }

    # Reach ---------------------------------------------------------------------------------

    def check_reach(self, sound, cyclic):
        """Which unlock rules can ever hold, found by growing the set of rules that can from
        none: a rule can when its condition is sound and the page it waits for can be opened
        (and, for a completion, everything locked inside that page can be too)."""
        unlocks = {}
        for rule in self.rules:
            if rule.action == UNLOCK:
                unlocks.setdefault(rule.target, []).append(rule)
        possible = set()

        def can_open(key):
            steps = (*self.pages[key].containers, key) if key in self.pages else (key,)
            return all(
                any(rule in possible for rule in unlocks[step]) for step in steps if step in unlocks
            )

        def can_hold(rule):
            if rule.condition not in (COMPLETED, QUIZ):
                return True
            if not can_open(rule.page):
                return False
            return rule.condition == QUIZ or all(
                can_open(key)
                for key, page in self.pages.items()
                if rule.page in page.containers and key in unlocks
            )

        grown = True
        while grown:
            grown = False
            for rule in sound:
                if rule.action == UNLOCK and rule not in possible and can_hold(rule):
                    possible.add(rule)
                    grown = True
        for rule in sound:
            if rule in cyclic or rule.condition not in (COMPLETED, QUIZ):
                continue
            if (rule.action == UNLOCK and rule not in possible) or (
                rule.action != UNLOCK and not can_hold(rule)
            ):
                self.error(
                    _("%(rule)s waits for “%(page)s”, which nobody can ever reach.")
                    % {"rule": self.rule_name(rule), "page": self.title(rule.page)},
                    rule,
                )
        for target, rules in unlocks.items():
            if not any(rule in possible for rule in rules):
                self.error(
                    ngettext(
                        "Nobody can ever open “%(target)s”: its unlock rule (%(numbers)s) can "
                        "never hold.",
                        "Nobody can ever open “%(target)s”: none of its unlock rules "
                        "(%(numbers)s) can hold.",
                        len(rules),
                    )
                    % {
                        "target": self.title(target),
                        "numbers": ", ".join(str(rule.number) for rule in rules),
                    },
                    *rules,
                )

    # Score ranges --------------------------------------------------------------------------

    def check_ranges(self, sound):
        groups = {}
        for rule in sound:
            if rule.condition == SCORE:
                groups.setdefault((rule.audience, rule.instrument, rule.dimension), []).append(rule)
        for (audience, instrument, dimension), rules in groups.items():
            where = {
                "path": self.audience_name(audience),
                "dimension": self.dimension_name(instrument, dimension),
                "instrument": self.instrument_name(instrument),
            }
            for index, first in enumerate(rules):
                for second in rules[index + 1 :]:
                    low, high = max(first.low, second.low), min(first.high, second.high)
                    if low < high:
                        self.warning(
                            _(
                                "%(first)s and %(second)s both apply to %(dimension)s scores "
                                "from %(low)s to %(high)s in %(instrument)s on %(path)s."
                            )
                            % {
                                **where,
                                "first": self.rule_name(first),
                                "second": self.rule_name(second),
                                "low": score_text(low),
                                "high": score_text(high),
                            },
                            first,
                            second,
                        )
            for low, high in gaps(rules):
                self.warning(
                    _(
                        "No rule on %(path)s covers %(dimension)s scores from %(low)s to "
                        "%(high)s in %(instrument)s: these scores add nothing to the path."
                    )
                    % {**where, "low": score_text(low), "high": score_text(high)},
                    *rules,
                )


def gaps(rules):
    """The parts of [0, 100] that none of the rules' ranges covers, as (low, high) pairs."""
    found, reached = [], 0.0
    for rule in sorted(rules, key=lambda r: r.low):
        if rule.low > reached:
            found.append((reached, rule.low))
        reached = max(reached, rule.high)
    if reached < FULL_SCORE:
        found.append((reached, FULL_SCORE))
    return found


def strongly_connected(edges):
    """Tarjan's algorithm, iterative: the strongly connected components of the graph."""
    nodes = set(edges) | {after for targets in edges.values() for after in targets}
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for start in sorted(nodes, key=repr):
        if start in index:
            continue
        work = [(start, iter(edges.get(start, {})))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, {}))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


def one_cycle(edges, component):
    """A cycle through the component's members, as a list of nodes, starting from a rule's
    "open" step so that messages begin with a rule."""
    members = set(component)
    start = min(
        (node for node in members if node[0] == "open"), key=repr, default=min(members, key=repr)
    )
    path, seen = [start], {start}
    node = start
    while True:
        following = [n for n in edges.get(node, {}) if n in members]
        back = next((n for n in following if n == start), None)
        if back is not None and len(path) > 1:
            return path
        step = next((n for n in following if n not in seen), None)
        if step is None:
            # Every way on was seen: close the loop at the first node already on the path.
            step = next(n for n in following if n in path)
            return path[path.index(step) :]
        path.append(step)
        seen.add(step)
        node = step


def validate(rules, pages, instruments):
    """A `Report` of the rule set's errors and warnings. `pages` maps page keys to
    `PageFacts`, `instruments` maps slugs to `InstrumentFacts`."""
    return Validator(rules, pages, instruments).run()
