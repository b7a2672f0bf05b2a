"""pages: requests/s of a lesson page for a signed-in learner, against a bare Wagtail page.

Both pages are served by daphne from the same fresh demo site in the same run, for the same
signed-in learner (so both pay for sessions and authentication), alternating between them so
that drift in the machine's speed falls on both. The bare page is the baseline: the goal is the
lesson page at GOAL times its requests/s or more."""

import asyncio
import html
import json
import re
import sys

from . import report, server
from .load import Measure, Session, hammer

GOAL = 0.7
BASELINE = "bare-page"
LEARNER = ("learner@zellige-fes.ma", "virage-demo-2026")
LOGIN_PATH = "/fr/accounts/login/"
LOGOUT_PATH = "/fr/accounts/logout/"  # in the page header of a signed-in person


def add_arguments(parser):
    parser.add_argument("--concurrency", type=int, default=8, help="connections (default 8)")
    parser.add_argument(
        "--duration", type=float, default=10, help="measured seconds per page (default 10)"
    )
    parser.add_argument(
        "--warmup", type=float, default=2, help="unmeasured seconds per page first (default 2)"
    )
    parser.add_argument(
        "--rounds", type=int, default=4, help="alternations the duration is split in (default 4)"
    )


async def log_in(host, port):
    """Sign in through the real form, as a browser does; returns the Cookie header to send."""
    session = Session(host, port)
    form = await session.request("GET", LOGIN_PATH)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if form.status != 200 or not token:
        raise SystemExit(f"bench: no login form at {LOGIN_PATH} ({form.status})")
    email, password = LEARNER
    answer = await session.request(
        "POST",
        LOGIN_PATH,
        form={"csrfmiddlewaretoken": token.group(1), "login": email, "password": password},
    )
    if answer.status != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"bench: logging in as {email} failed ({answer.status})")
    await session.connection.close()
    return session.cookie_header()


def checker(title):
    """A response is right when it is the page (its title as heading) shown to a signed-in
    person (the log-out form): an error page or a redirect to log in is counted as an error."""
    heading = f"<h1>{html.escape(title)}</h1>"

    def check(response):
        if response.status != 200:
            return f"status {response.status}"
        text = response.text
        if heading not in text:
            return f"no {heading} in the page"
        if LOGOUT_PATH not in text:
            return "not signed in"
        return None

    return check


async def measure_pages(host, port, pages, args):
    cookie = await log_in(host, port)
    results = {}

    async def run(name, seconds):
        page = pages[name]
        headers = [("Cookie", cookie)]
        return await hammer(
            host, port, page["path"], headers, page["check"], args.concurrency, seconds
        )

    for name in pages:
        warm = await run(name, args.warmup)
        results[name] = Measure(errors=warm.errors)  # warm-up errors count, its times do not
        server.log(f"{name}: warmed up ({len(warm.latencies)} requests)")
    order = list(pages)
    for round_number in range(args.rounds):
        # A B, then B A: neither page always runs first.
        for name in order if round_number % 2 == 0 else reversed(order):
            measure = await run(name, args.duration / args.rounds)
            results[name].merge(measure)
            server.log(
                f"{name}: round {round_number + 1}/{args.rounds}, {measure.requests_per_s:.1f} "
                f"requests/s, {len(measure.errors)} errors"
            )
    return results


def summarise(pages, results):
    rows = []
    baseline = results[BASELINE].requests_per_s
    for name, measure in results.items():
        rows.append(
            {
                "system": name,
                "requests_per_s": round(measure.requests_per_s, 1),
                "p50_ms": measure.percentile_ms(0.50),
                "p95_ms": measure.percentile_ms(0.95),
                "queries": pages[name]["queries"],
                "errors": len(measure.errors),
                "ratio": measure.requests_per_s / baseline if baseline else 0.0,
            }
        )
    return rows


def write_results(rows, pages, args, load_before):
    ratio = next(row["ratio"] for row in rows if row["system"] == "lesson-page")
    verdict = "met" if ratio >= GOAL else "not met"
    table = report.table(
        ["system", "page", "requests/s", "p50 ms", "p95 ms", "queries", "ratio to bare-page"],
        [
            [
                row["system"],
                f"`{pages[row['system']]['path']}`",
                row["requests_per_s"],
                row["p50_ms"],
                row["p95_ms"],
                row["queries"],
                f"{row['ratio']:.2f}×",
            ]
            for row in rows
        ],
    )
    command = " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]])
    report.write_section(
        "pages",
        f"""
## pages: lesson page against a bare Wagtail page

{table}

**Goal: lesson-page ≥ {GOAL}× bare-page requests/s — {verdict}** ({ratio:.2f}×).

- Command: `{command}` (from the repository root)
- Date: {report.now()}
- Machine: {report.machine()}
- Load: 1-minute load average {load_before} before the run, {report.load_average()} after it.
  Other work on the machine slows both pages; the ratio, measured in alternation, is the figure
  to compare between runs, the absolute requests/s less so.
- Server: a fresh SQLite demo site (`manage.py migrate`, `load_demo`) in `bench/.work/`, served
  by one daphne process on 127.0.0.1 with `bench/settings.py` (the dev settings, DEBUG off).
- Client: one asyncio process, {args.concurrency} keep-alive HTTP/1.1 connections sending
  requests back to back; {args.warmup:g} s of warm-up per page, then {args.duration:g} s
  measured per page in {args.rounds} alternating rounds. Every response is checked (status
  200, the page's title as heading, signed in); the run fails on any error.
- Both pages are requested by the learner `{LEARNER[0]}` (enrolled in the course by
  `load_demo`), signed in through the login form, so both pay for the session and the user.
- lesson-page: the first lesson of the course (text, the course cover image, a download).
- bare-page: a published `StandardPage` (`virage_site.pages`) under the French home page, with a
  title and one paragraph and no courses code, rendered with the same base layout
  (`templates/base.html`, which the lesson page extends through `COURSES_BASE_TEMPLATE`).
- Queries: SQL queries of one request of the page (warm), counted in-process with
  `django.test.Client` and `CaptureQueriesContext` on the same database.
""",
    )
    return verdict


def main(args):
    load_before = report.load_average()
    server.fresh_demo_site()
    pages = json.loads(server.run_python("-m", "bench.pages_fixture", timeout=120, capture=True))
    for page in pages.values():
        page["check"] = checker(page["title"])
    server.log(", ".join(f"{name}: {page['path']}" for name, page in pages.items()))
    with server.daphne() as (host, port):
        results = asyncio.run(measure_pages(host, port, pages, args))
    rows = summarise(pages, results)
    for row in rows:
        print(json.dumps({key: value for key, value in row.items() if key != "ratio"}), flush=True)
    errors = {name: measure.errors for name, measure in results.items() if measure.errors}
    if errors:
        for name, problems in errors.items():
            server.log(f"{name}: {len(problems)} errors, first: {problems[:3]}")
        server.log(f"errors: see {server.WORK_DIR / 'daphne.log'}; RESULTS.md left unchanged")
        return 1
    verdict = write_results(rows, pages, args, load_before)
    server.log(f"goal lesson-page ≥ {GOAL}× bare-page: {verdict}; wrote {report.RESULTS}")
    return 0
