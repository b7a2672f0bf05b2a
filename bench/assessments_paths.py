"""The paths figures of the assessments benchmark: every company's path through the service,
and the engine alone, against bare reads of the same companies' latest results."""

import json
import time

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from assessments.models import Response
from assessments.paths import engine, service, store

from .assessments_timing import Figure, QueryCounter, fastest, fastest_of, timed


def by_subject_sql():
    """The latest submitted result of a company, found as the path's read finds it."""
    return (
        f"SELECT overall, scores FROM {Response._meta.db_table} "  # noqa: S608 (its table)
        "WHERE company_id = %s AND person_id IS NULL AND status = %s "
        "ORDER BY submitted_at DESC, id DESC LIMIT 1"
    )


def by_key_sql():
    return f"SELECT overall, scores FROM {Response._meta.db_table} WHERE id = %s"  # noqa: S608


def bare_reads(sql, params):
    """One bare query per item of `params`, each row's scores decoded."""
    found = 0
    with connection.cursor() as cursor:
        for values in params:
            cursor.execute(sql, values)
            _overall, scores = cursor.fetchone()
            found += len(json.loads(scores) if isinstance(scores, str) else scores)
    return found


def latest_keys(company_ids):
    """{company id: primary key of its latest submitted result}, in one query."""
    rows = (
        Response.objects.submitted()
        .filter(person__isnull=True, company_id__in=company_ids)
        .order_by("submitted_at", "pk")
        .values_list("company_id", "pk")
    )
    return dict(rows)


def lead_request(lead):
    """A request of the lead's dashboard, signed in; a host the demo site does not name, so
    the default site serves it, as on 127.0.0.1."""
    request = RequestFactory().get("/fr/", HTTP_HOST="localhost")
    request.user = lead
    return request


def service_paths(pairs, counter, counts, paths):
    """Each company's path as its lead's dashboard computes it, one request each."""
    requests = [lead_request(lead) for _company, lead in pairs]
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        for (company, _lead), request in zip(pairs, requests, strict=True):
            before = counter.count
            path = service.company_path(company, request)
            counts.append(counter.count - before)
            paths.append(tuple(item.key for item in path.items))
        return time.perf_counter() - started


def latest_scores(company_ids):
    """{company id: scores by instrument} of every company, as the engine reads them, in one
    query."""
    scores = {}
    rows = (
        Response.objects.submitted()
        .filter(person__isnull=True, company_id__in=company_ids)
        .order_by("submitted_at", "pk")
        .values_list("company_id", "instrument__slug", "overall", "scores")
    )
    for company_id, slug, overall, dimensions in rows:
        scores.setdefault(company_id, {})[slug] = {engine.OVERALL: overall, **dimensions}
    return scores


def engine_paths(book, company_ids, scores):
    """The engine alone, for every company, on scores read beforehand."""
    for company_id in company_ids:
        facts = engine.Facts(company_scores=scores.get(company_id, {}))
        engine.compute_path(book.rules, facts, (engine.COMPANY,), book.containers())


def results_read_plan(company, lead):
    """How the database runs the path's read of the latest results (the one query of a path on
    the responses table): the plan lines of its EXPLAIN."""
    table = Response._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        service.company_path(company, lead_request(lead))
    sql = next((query["sql"] for query in queries if table in query["sql"]), None)
    if sql is None:
        return []  # no company rule reads a result
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(explain + sql)
        return [row[-1] for row in cursor.fetchall()]


def measure_paths(pairs, rounds):
    """Paths of every company, the same companies' latest results read bare as paths find
    them, and read bare by primary key (the baseline, fastest of `rounds` passes), in the
    order A B C C B A over the two halves of the companies; then the engine alone against the
    same baseline, fastest of `rounds` rounds in alternation."""
    ids = [company.pk for company, _lead in pairs]
    keys = latest_keys(ids)
    by_key = [[keys[company_id]] for company_id in ids]
    by_subject = [[company_id, Response.Status.SUBMITTED] for company_id in ids]
    n, half = len(pairs), len(pairs) // 2
    service.company_path(pairs[0][0], lead_request(pairs[0][1]))  # warm-up: reads the rules
    counter, counts, paths = QueryCounter(), [], []
    baseline_s = fastest(rounds, lambda: bare_reads(by_key_sql(), by_key[:half]))
    read_s = timed(bare_reads, by_subject_sql(), by_subject[:half])[0]
    seconds = service_paths(pairs[:half], counter, counts, paths)
    seconds += service_paths(pairs[half:], counter, counts, paths)
    read_s += timed(bare_reads, by_subject_sql(), by_subject[half:])[0]
    baseline_s += fastest(rounds, lambda: bare_reads(by_key_sql(), by_key[half:]))
    book, scores = store.active_book(), latest_scores(ids)
    (engine_s, key_s), _values = fastest_of(
        rounds,
        lambda: engine_paths(book, ids, scores),
        lambda: bare_reads(by_key_sql(), by_key),
    )
    per_company = sorted(set(counts))
    queries = per_company[0] if len(per_company) == 1 else f"{per_company[0]}–{per_company[-1]}"
    lengths = [len(path) for path in paths]
    notes = {
        "path_queries": per_company,
        "path_items": round(sum(lengths) / n, 2),
        "distinct_paths": len(set(paths)),
        "rules": sum(1 for rule in store.active_book().rules if rule.audience == engine.COMPANY),
        "results_plan": results_read_plan(*pairs[-1]),
        "path_statements": counter.kinds_per(n),
    }
    baseline = "one bare SQL query per company, by primary key"
    return [
        Figure(
            "paths",
            "`paths.service.company_path` of each company, for its lead",
            seconds,
            baseline,
            baseline_s,
            n,
            queries=queries,
            baseline_queries=1,
        ),
        Figure(
            "latest-read",
            "one bare SQL query per company for its latest result, filtered as paths filter",
            read_s,
            baseline,
            baseline_s,
            n,
            queries=1,
            baseline_queries=1,
        ),
        Figure(
            "paths-engine",
            "`paths.engine.compute_path` alone, on scores read beforehand",
            engine_s,
            baseline,
            key_s,
            n,
            queries=0,
            baseline_queries=1,
        ),
    ], notes
