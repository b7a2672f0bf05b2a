"""Measuring tools of the assessments benchmark: a figure and its baseline, timers, and a
count of the SQL statements sent, by kind."""

import re
import time
from collections import Counter
from dataclasses import dataclass, field

# The table a statement reads or writes (Django quotes every name it sends).
TABLE = re.compile(r'(?:FROM|INTO|UPDATE) "([^"]+)"')


@dataclass
class Figure:
    name: str
    what: str
    seconds: float
    baseline: str
    baseline_seconds: float
    companies: int
    queries: object = None  # SQL queries per company, when the figure touches the database
    baseline_queries: object = None

    @property
    def per_company_ms(self):
        return self.seconds / self.companies * 1000

    @property
    def ratio(self):
        return self.seconds / self.baseline_seconds if self.baseline_seconds else 0.0

    def as_json(self):
        return {
            "figure": self.name,
            "seconds": round(self.seconds, 4),
            "per_company_ms": round(self.per_company_ms, 4),
            "baseline": self.baseline,
            "baseline_seconds": round(self.baseline_seconds, 4),
            "ratio": round(self.ratio, 2),
            "queries_per_company": self.queries,
            "companies": self.companies,
        }


@dataclass
class Run:
    figures: list = field(default_factory=list)
    notes: dict = field(default_factory=dict)


class QueryCounter:
    """Counts the SQL statements sent by kind (DEBUG stays off, so nothing else records them):
    a kind is the statement's verb and, for reads and writes, its table."""

    def __init__(self):
        self.kinds = Counter()

    @property
    def count(self):
        return self.kinds.total()

    def __call__(self, execute, sql, params, many, context):
        try:
            return execute(sql, params, many, context)
        finally:
            verb = sql.split(None, 1)[0].upper()
            table = TABLE.search(sql) if verb in ("SELECT", "INSERT", "UPDATE", "DELETE") else None
            self.kinds[f"{verb} {table.group(1)}" if table else verb] += 1

    def kinds_per(self, n):
        """[(kind, statements per unit)] of the kinds sent at least once per `n` units, most
        frequent first."""
        return [
            (kind, round(count / n, 2)) for kind, count in self.kinds.most_common() if count >= n
        ]


def timed(function, *args):
    started = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - started, value


def fastest(rounds, function):
    """The best time of `function` over `rounds` runs: for short measures, which a moment of
    other work on the machine would otherwise dominate."""
    return min(timed(function)[0] for _round in range(rounds))


def fastest_of(rounds, first, second):
    """Best time of each of two functions over `rounds` rounds, in alternation (A B, then B A),
    and the last values they returned. The fastest round is the one least disturbed by the
    rest of the machine."""
    best = [float("inf"), float("inf")]
    values = [None, None]
    for number in range(rounds):
        order = (0, 1) if number % 2 == 0 else (1, 0)
        for index in order:
            seconds, values[index] = timed((first, second)[index])
            best[index] = min(best[index], seconds)
    return best, values
