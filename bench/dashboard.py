"""dashboard: programme overview and before/after pages against one hand-written SQL each.

One process, on a PostgreSQL database of its own (dropped and created at the start, dropped at
the end unless --keep): migrate, `load_demo`, `manage.py seed_programme` (timed), ANALYZE,
then each page requested in-process through Django's test Client by a signed-in programme
manager, with no filters, alternating with its baseline: the same figures computed by one
hand-written SQL statement run with a raw cursor (bench/dashboard_sql.py, checked against the
page's own figures). Last, the import of a 5,000-row CSV of new companies with
`manage.py import_companies` (timed)."""

import csv
import json
import math
import os
import random
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from . import report
from .server import log

WORK_DIR = Path(__file__).resolve().parent / ".work" / "dashboard"  # git-ignored
# The assessments benchmark's settings: the bench settings on the PostgreSQL database the
# runner names through the environment.
SETTINGS = "bench.assessments_settings"
DATABASE = "virage_bench_dashboard"
SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
GOAL = 3.0  # each page within this many times its baseline
IMPORT_GOAL_S = 60
PAGES = {"overview": "programme:overview", "before-after": "programme:before_after"}
MANAGER = "manager@bench.virage.example"


def positive(text):
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def add_arguments(parser):
    parser.add_argument("--companies", type=positive, default=5000, help="default 5000")
    parser.add_argument(
        "--employees-per-company", type=int, default=10, help="besides the lead (default 10)"
    )
    parser.add_argument(
        "--requests", type=positive, default=30, help="measured requests per page (default 30)"
    )
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured requests per page first")
    parser.add_argument(
        "--import-rows", type=positive, default=5000, help="rows of the imported CSV (default 5000)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of the programme")
    parser.add_argument(
        "--keep", action="store_true", help=f"keep the database {DATABASE} after the run"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the figures, leave RESULTS.md unchanged"
    )


@contextmanager
def own_database(keep):
    import psycopg
    from psycopg import sql

    name = sql.Identifier(DATABASE)
    try:
        admin = psycopg.connect(dbname="postgres", autocommit=True, **SERVER)
    except psycopg.OperationalError as error:
        raise SystemExit(f"bench: PostgreSQL on 127.0.0.1:5432 as postgres: {error}") from None
    with admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))
        try:
            yield
        finally:
            from django.db import connections

            connections.close_all()
            if not keep:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def set_up_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["VIRAGE_BENCH_WORK_DIR"] = str(WORK_DIR)
    os.environ["VIRAGE_BENCH_DATABASE_URL"] = (
        f"postgres://{SERVER['user']}@{SERVER['host']}:{SERVER['port']}/{DATABASE}"
    )
    import django

    django.setup()


def p95(samples):
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(function):
    started = time.perf_counter()
    value = function()
    return (time.perf_counter() - started) * 1000, value


def seed_programme(args):
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0, stdout=sys.stderr)
    # The demo content first, as on a developer's site: the seed then finds the instruments
    # and courses it uses, and its time is the programme's alone.
    call_command("load_demo", quiet=True, stdout=sys.stderr)
    log(f"database {DATABASE} migrated, demo loaded ({time.monotonic() - started:.1f} s)")
    started = time.monotonic()
    call_command(
        "seed_programme",
        companies=args.companies,
        employees_per_company=args.employees_per_company,
        seed=args.seed,
        stdout=sys.stderr,
    )
    seconds = time.monotonic() - started
    log(f"seed_programme {args.companies}×{args.employees_per_company}: {seconds:.1f} s")
    # Statistics, as autovacuum would have gathered them on a programme's database: without
    # them the planner takes freshly loaded tables for empty ones.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return seconds


def manager_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from virage_site.accounts.roles import grant_role

    manager = get_user_model().objects.create_user(email=MANAGER, password=None)
    grant_role(manager, "manager")
    client = Client(HTTP_HOST="localhost")
    client.force_login(manager)
    return client


def page_request(client, path):
    def request():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"bench: GET {path} answered {response.status_code}")
        return response

    return request


def page_tables():
    """The pages' figures as their views compute them, to check the baselines against."""
    from virage_site.programmes.figures import before_after, overview
    from virage_site.programmes.figures.selection import SelectionForm

    form = SelectionForm({})
    form.is_valid()
    selection = form.selection()
    return overview.programme_overview(selection), [before_after.before_after(selection)]


def slowest_queries(client, path, count=3):
    """The page's statements, and the slowest ones with the plan of the slowest."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    captured = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    plan = []
    if captured:
        try:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + captured[0]["sql"])
                plan = [row[0] for row in cursor.fetchall()]
        except Exception as error:  # noqa: BLE001  (a diagnosis must not end the run)
            plan = [f"EXPLAIN failed: {error}"]
    return len(queries), captured[:count], plan


def measure(args):
    from django.urls import reverse
    from django.utils import translation

    from . import dashboard_sql

    client = manager_client()
    with translation.override("fr"):
        paths = {name: reverse(url) for name, url in PAGES.items()}
    baselines = {"overview": dashboard_sql.overview, "before-after": dashboard_sql.before_after}
    tables = page_tables()
    problems = dashboard_sql.check_overview(tables[0], dashboard_sql.overview())
    problems += dashboard_sql.check_before_after(tables[1], dashboard_sql.before_after())
    for problem in problems:
        log(f"baseline and page differ: {problem}")
    if problems:
        raise SystemExit("bench: a baseline does not compute the page's figures")
    log("baselines checked: same figures as the pages")
    requests = {name: page_request(client, path) for name, path in paths.items()}
    for _round in range(args.warmup):
        for name in PAGES:
            requests[name]()
            baselines[name]()
    samples = {name: {"page": [], "sql": []} for name in PAGES}
    # Pages and baselines in alternation, so that the machine's drift falls on all of them.
    for _round in range(args.requests):
        for name in PAGES:
            samples[name]["page"].append(timed(requests[name])[0])
            samples[name]["sql"].append(timed(baselines[name])[0])
    results = []
    for name, path in paths.items():
        statements, slowest, plan = slowest_queries(client, path)
        page, sql = p95(samples[name]["page"]), p95(samples[name]["sql"])
        results.append(
            {
                "name": name,
                "path": path,
                "p95_ms": page,
                "p50_ms": sorted(samples[name]["page"])[len(samples[name]["page"]) // 2],
                "baseline_sql_ms": sql,
                "ratio": page / sql,
                "statements": statements,
                "slowest": [(float(q["time"]) * 1000, q["sql"]) for q in slowest],
                "plan": plan,
            }
        )
    return results


def write_csv(path, rows, rng):
    from virage_site.companies.models import Company
    from virage_site.programmes import seed_companies as people

    taken = set(Company.objects.values_list("ice", flat=True))
    with open(path, "w", newline="", encoding="utf-8-sig") as file:
        writer = csv.writer(file)
        writer.writerow(
            ["ice", "name", "sector", "size_band", "region", "city", "lead_email", "lead_name"]
        )
        for ice in people.new_ices(rng, rows, taken):
            fields, _names, _p = people.company_fields(rng, ice)
            writer.writerow(
                [fields[column] for column in ("ice", "name", "sector", "size_band", "region")]
                + [fields["city"], fields["lead_email"], fields["lead_name"]]
            )


def time_import(args):
    from django.core.management import call_command

    from virage_site.companies.models import Company

    path = WORK_DIR / "companies.csv"
    write_csv(path, args.import_rows, random.Random(args.seed + 1))  # noqa: S311  (test data)
    before = Company.objects.count()
    started = time.monotonic()
    call_command("import_companies", str(path), stdout=sys.stderr)
    seconds = time.monotonic() - started
    imported = Company.objects.count() - before
    if imported != args.import_rows:
        raise SystemExit(f"bench: the import added {imported} companies, not {args.import_rows}")
    log(f"import_companies of {args.import_rows} rows: {seconds:.1f} s")
    return seconds


def describe_database():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]} on {connection.settings_dict['HOST']}"


def counts():
    from assessments.models import DimensionScore, Response
    from coaching.models import ActionItem, Attendance, Cohort, LiveSession
    from courses.models import Enrolment, LessonCompletion
    from virage_site.companies.models import Company, Membership

    models = [
        ("companies", Company),
        ("memberships", Membership),
        ("cohorts", Cohort),
        ("responses", Response),
        ("dimension scores", DimensionScore),
        ("enrolments", Enrolment),
        ("lesson completions", LessonCompletion),
        ("live sessions", LiveSession),
        ("attendance rows", Attendance),
        ("action items", ActionItem),
    ]
    return ", ".join(f"{model.objects.count():,} {name}" for name, model in models)


def write_results(args, results, seed_s, import_s, database, sizes, load_before):
    rows = [
        [
            result["name"],
            f"`{result['path']}`",
            f"{result['p50_ms']:.1f}",
            f"{result['p95_ms']:.1f}",
            f"{result['baseline_sql_ms']:.1f}",
            f"{result['ratio']:.2f}×",
            "met" if result["ratio"] <= GOAL else "NOT met",
            result["statements"],
        ]
        for result in results
    ]
    table = report.table(
        [
            "system",
            "page",
            "p50 ms",
            "p95 ms",
            "baseline SQL p95 ms",
            "ratio",
            f"goal ≤ {GOAL:g}×",
            "statements per request",
        ],
        rows,
    )
    slowest = "\n".join(
        f"  - {result['name']}: "
        + "; ".join(f"{ms:.1f} ms `{sql[:110]}…`" for ms, sql in result["slowest"])
        for result in results
    )
    command = " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]])
    report.write_section(
        "dashboard",
        f"""
## dashboard: programme overview and before/after for {args.companies:,} companies

{table}

- `seed_programme --companies {args.companies} --employees-per-company \
{args.employees_per_company} --seed {args.seed}`: **{seed_s:.1f} s** (goal < 120 s).
- `import_companies` of a {args.import_rows:,}-row CSV of new companies: **{import_s:.1f} s** \
(goal < {IMPORT_GOAL_S} s).
- Data after the seed: {sizes}.
- Command: `{command}` (from the repository root)
- Date: {report.now()}
- Machine: {report.machine()}
- Database: {database}, a database of the run (`{DATABASE}`, dropped and created first).
- Load: 1-minute load average {load_before} before the run, {report.load_average()} after it.
  Other work on the machine slows a page and its baseline alike (measured in alternation):
  the ratio is the figure to compare between runs.
- Pages: requested in-process with Django's test Client (no HTTP server: the figures are the
  view's own time, template rendering included) by a signed-in programme manager, no filters
  (the whole programme, the default company instrument, T0 → T1), settings `bench/settings.py`
  (DEBUG off) on PostgreSQL. {args.warmup} warm-up requests each, then {args.requests}
  measured, pages and baselines in alternation; p95 by nearest rank.
- Baselines (`bench/dashboard_sql.py`): one hand-written SQL statement per page, run with a raw
  cursor, computing the same figures (overview: companies imported, invited and onboarded,
  results per instrument and stage, companies per level of their latest result, per-dimension
  averages and levels, people, learners, enrolments, completions and certificates overall and
  per course, sessions held, places expected and taken per cohort, action items; before/after:
  per-dimension and overall averages at T0 and T1 of the companies with both). Before timing,
  the run checks that each statement gives the page's figures.
- Slowest statements of one request of each page:
{slowest}
""",
    )


def main(args):
    load_before = report.load_average()
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    (WORK_DIR / "static").mkdir(parents=True)  # STATIC_ROOT of bench/settings.py
    with own_database(args.keep):
        set_up_django()
        seed_s = seed_programme(args)
        sizes = counts()
        results = measure(args)
        import_s = time_import(args)
        database = describe_database()
    for result in results:
        print(
            json.dumps(
                {
                    "system": result["name"],
                    "p95_ms": round(result["p95_ms"], 1),
                    "baseline_sql_ms": round(result["baseline_sql_ms"], 1),
                    "ratio": round(result["ratio"], 2),
                }
            ),
            flush=True,
        )
        log(f"{result['name']}: {result['statements']} statements; slowest:")
        for ms, sql in result["slowest"]:
            log(f"  {ms:.1f} ms  {sql[:300]}")
        if result["ratio"] > GOAL:
            log("  plan of the slowest:\n    " + "\n    ".join(result["plan"]))
    if not args.no_write:
        write_results(args, results, seed_s, import_s, database, sizes, load_before)
        log(f"wrote {report.RESULTS}")
    met = all(result["ratio"] <= GOAL for result in results) and import_s < IMPORT_GOAL_S
    return 0 if met else 1
