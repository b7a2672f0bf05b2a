"""assessments: scoring, storing and path computing for thousands of companies, against baselines.

One process, on a fresh database of its own (SQLite in bench/.work/assessments/, or a PostgreSQL
database it creates and drops): the demo content with its path rules, then thousands of companies
with a lead and random but valid answers to the reference instrument `maturity-sme`. Each figure
is a ratio to a baseline measured in the same run: the engine's scoring and validation against
hand-written code, the real import against bulk inserts of the same rows, paths against one bare
query per company."""

import argparse
import json
import os
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from . import report
from .server import log

WORK_DIR = Path(__file__).resolve().parent / ".work" / "assessments"  # git-ignored
SETTINGS = "bench.assessments_settings"
LEVELS = ("basic", "average", "moderately_advanced", "advanced")


def at_least_two(text):
    value = int(text)
    if value < 2:
        raise argparse.ArgumentTypeError("at least 2 (the paths are measured in two halves)")
    return value


def add_arguments(parser):
    parser.add_argument(
        "--companies", type=at_least_two, default=5000, help="companies assessed (default 5000)"
    )
    parser.add_argument(
        "--seed", type=int, default=2026, help="seed of the companies and answers (default 2026)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="alternating rounds of the in-memory figures, fastest kept (default 5)",
    )
    parser.add_argument(
        "--database-url",
        help="run on PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/virage_bench: the "
        "database (its name must contain “bench”) is dropped, created, and dropped at the end",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the figures, leave RESULTS.md unchanged"
    )


@contextmanager
def own_database(url):
    """A PostgreSQL database made for the run and dropped after it; nothing for SQLite, whose
    file lives in the work directory."""
    if not url:
        yield
        return
    import dj_database_url
    import psycopg
    from psycopg import sql

    settings = dj_database_url.parse(url)
    name = settings["NAME"]
    if "bench" not in name:
        raise SystemExit(f"bench: refusing to drop “{name}”: name a database with “bench” in it")
    server = {
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
    }
    database = sql.Identifier(name)
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(database))
        try:
            yield
        finally:
            from django.db import connections

            connections.close_all()
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))


def set_up_django(url):
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["VIRAGE_BENCH_WORK_DIR"] = str(WORK_DIR)
    if url:
        os.environ["VIRAGE_BENCH_DATABASE_URL"] = url
    else:
        os.environ.pop("VIRAGE_BENCH_DATABASE_URL", None)
    import django

    django.setup()


def prepare_content():
    """Migrate, then install the demo content (courses, the instruments) and its path rules,
    as a developer's site has them."""
    from django.core.management import call_command

    from assessments.paths.demo import ensure_demo_rules

    started = time.monotonic()
    call_command("migrate", verbosity=0, stdout=sys.stderr)
    call_command("load_demo", quiet=True, stdout=sys.stderr)
    if ensure_demo_rules() is None:
        raise SystemExit("bench: the demo courses that the demo path rules name are missing")
    log(f"database ready with the demo content ({time.monotonic() - started:.1f} s)")


def describe_database():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return f"PostgreSQL {version} on {connection.settings_dict['HOST'] or 'a local socket'}"
    return f"SQLite {connection.Database.sqlite_version}, a file in `bench/.work/assessments/`"


def statements(kinds):
    return ", ".join(f"`{kind}` ×{count:g}" for kind, count in kinds)


def format_queries(figure):
    if figure.queries is None:
        return "—"
    return f"{figure.queries} ({figure.baseline_queries})"


def write_results(outcome, args, database, load_before):
    n = args.companies
    notes = outcome.notes
    table = report.table(
        [
            "figure",
            "measured",
            "seconds",
            "ms per company",
            "baseline",
            "baseline seconds",
            "ratio to baseline",
            "queries per company (baseline)",
        ],
        [
            [
                figure.name,
                figure.what,
                f"{figure.seconds:.3f}",
                f"{figure.per_company_ms:.3f}",
                figure.baseline,
                f"{figure.baseline_seconds:.3f}",
                f"{figure.ratio:.2f}×",
                format_queries(figure),
            ]
            for figure in outcome.figures
        ],
    )
    levels = ", ".join(
        f"{notes['levels'].get(level, 0)} {level.replace('_', ' ')}" for level in LEVELS
    )
    constant = len(notes["path_queries"]) == 1
    paths_queries = (
        f"constant: {notes['path_queries'][0]} for every one of the {n:,} companies"
        if constant
        else f"NOT constant: from {notes['path_queries'][0]} to {notes['path_queries'][-1]}"
    )
    plan = "; ".join(f"`{line.strip()}`" for line in notes["results_plan"]) or "none"
    if notes["results_plan"] and not any(
        "company" in line and "index" in line.lower() for line in notes["results_plan"]
    ):
        plan += (
            ". No index on the company is used: each read walks every submitted response of "
            "the programme, so paths cost more as companies join (compare latest-read)"
        )
    command = " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]])
    report.write_section(
        "assessments",
        f"""
## assessments: scoring, storing and paths for {n:,} companies

{table}

**Queries per company path: {paths_queries}.**

Plan of a path's read of the latest results (`EXPLAIN`, after the run): {plan}.

Statements per company, by kind: submit {statements(notes["submit_statements"])};
paths {statements(notes["path_statements"])}.

- Command: `{command}` (from the repository root)
- Date: {report.now()}
- Machine: {report.machine()}
- Database: {database}
- Load: 1-minute load average {load_before} before the run, {report.load_average()} after it.
  Other work on the machine slows a figure and its baseline alike (they are measured in
  alternation, or one right after the other): the ratios are the figures to compare between
  runs, the seconds less so.
- Set-up (not measured): a fresh database, `migrate`, `load_demo` (courses, the instruments
  `maturity-sme` and `digital-skills`) and the demo rule set “Parcours TPME”
  (`assessments.paths.demo.ensure_demo_rules`, {notes["rules"]} rules of company paths, most
  of them reading `maturity-sme` scores); then {n:,} companies (bulk inserts) spread over
  sizes, sectors and Morocco's 12 regions as in a national programme, each with a lead, and
  for each company random but valid answers to the eleven questions, from a generator seeded
  with {args.seed}, more digital answers for larger companies. Their results: {levels}.
- score: `assessments.scoring.score(definition, answers)` for every response, in memory.
  Baseline: a scorer written by hand for this instrument (`bench/assessments_baselines.py`):
  the spec's arithmetic over the same answers, with no question-type registry, no definition
  read and no validation. Both give the same overall, level and six dimension scores for every
  response (checked to 1e-9), so the ratio is what the engine's generality costs. Fastest of
  {args.rounds} rounds, engine and baseline in alternation.
- clean: `assessments.definition.clean_answers` (the validation an import or a form runs) on
  the answers as a JSON file gives them. Baseline: a hand-written validator of the same
  instrument (numbers and values in range, no messages). Both return the answers unchanged
  (checked). Fastest of {args.rounds} rounds, in alternation.
- submit: `manage.py import_responses FILE` (through `call_command`) on an exchange file of the
  {n:,} responses, stage T0: reading and checking the file, finding the companies, scoring,
  saving each response and its six dimension scores through `record_result`, all in one
  transaction, and the per-row report. Baseline, measured first in the same run and then
  deleted: `bulk_create` of the same `Response` and `DimensionScore` rows with their scores
  already computed, in one transaction: the database floor. Stored overall scores are checked
  against the scorer. Queries are counted with a `connection.execute_wrapper`.
- paths: `assessments.paths.service.company_path(company, request)` for every company, as its
  lead's dashboard calls it (a fresh request each, signed in as the lead, French): the rule
  book from the process memory (after one warm-up call), the company's latest results, the
  lead's completed lessons and quiz scores, the engine, the pages shown in the active
  language, their addresses and worded reasons. {notes["path_items"]} items per path on
  average, {notes["distinct_paths"]} different paths. Baseline: one bare SQL query per company
  reading its latest result by primary key (`cursor.execute`, scores decoded): the least that
  any path computed on read must do, one round trip to the database, whatever plan the
  database picks. The ratio is the cost of a whole path in such round trips.
- latest-read: the same bare query, but finding each company's latest submitted result as the
  path's read does (company, no person, submitted, latest first). Against the same baseline,
  it shows what finding the row costs; near 1× when an index leads to the company's rows.
- Order: baseline, latest-read and paths on the first half of the companies, then paths,
  latest-read and baseline on the second half (A B C C B A). The baseline, a fraction of a
  second, is the fastest of {args.rounds} passes at each of its two places.
- paths-engine: `assessments.paths.engine.compute_path` alone for every company, on the
  latest scores of all companies read beforehand in one query, against the same baseline
  measured again beside it: the part of a path that is pure computation. Fastest of
  {args.rounds} rounds, in alternation.
""",
    )
    return constant


def main(args):
    load_before = report.load_average()
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    (WORK_DIR / "static").mkdir(parents=True)  # STATIC_ROOT of bench/settings.py
    with own_database(args.database_url):
        set_up_django(args.database_url)
        prepare_content()
        from django.utils import translation

        from .assessments_measure import run

        with translation.override("fr"):
            outcome = run(args.companies, args.seed, args.rounds, WORK_DIR, log)
        database = describe_database()
    for figure in outcome.figures:
        print(json.dumps(figure.as_json()), flush=True)
    notes = outcome.notes
    log(f"statements per company: submit {statements(notes['submit_statements'])}")
    log(f"statements per company: paths {statements(notes['path_statements'])}")
    log(f"plan of a path's read of the latest results: {notes['results_plan']}")
    constant = len(notes["path_queries"]) == 1
    if not constant:
        log(f"queries per company path are not constant: {outcome.notes['path_queries']}")
    if not args.no_write:
        write_results(outcome, args, database, load_before)
        log(f"wrote {report.RESULTS}")
    return 0 if constant else 1
