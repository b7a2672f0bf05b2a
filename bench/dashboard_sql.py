"""Baselines of the dashboard benchmark: the figures of the programme overview and of the
before/after page (no filters: every company, the default company instrument, T0 → T1), each
computed by ONE hand-written PostgreSQL statement and read with a raw cursor. They follow the
definitions of `virage_site.programmes.figures` (see each CTE); `check_*` compare them with what
the pages' own figures give, so that the baseline is known to compute the same thing."""

from django.db import connection

# The instrument the figures read: the first company instrument, live ones first
# (figures.selection.default_instrument).
INSTRUMENT = """
instrument AS (
    SELECT id, average_from, moderately_advanced_from, advanced_from
    FROM assessments_instrument WHERE audience = 'company' ORDER BY live DESC, slug LIMIT 1
)"""

OVERVIEW = f"""
WITH {INSTRUMENT},
members AS (SELECT DISTINCT user_id FROM companies_membership),
onboarding AS (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE lead.company_id IS NOT NULL OR invited.company_id IS NOT NULL)
               AS invited,
           count(*) FILTER (WHERE lead.company_id IS NOT NULL) AS onboarded
    FROM companies_company c
    LEFT JOIN (SELECT DISTINCT company_id FROM companies_membership WHERE role = 'lead') lead
           ON lead.company_id = c.id
    LEFT JOIN (SELECT DISTINCT company_id FROM companies_invitation
               WHERE role = 'lead' AND revoked_at IS NULL) invited
           ON invited.company_id = c.id
),
taken AS (
    SELECT r.instrument_id, r.stage, count(*) AS number
    FROM assessments_response r
    WHERE r.status = 'submitted'
      AND ((r.person_id IS NULL AND r.company_id IS NOT NULL)
           OR r.person_id IN (SELECT user_id FROM members))
    GROUP BY r.instrument_id, r.stage
),
latest AS (
    SELECT DISTINCT ON (r.company_id) r.id, r.level
    FROM assessments_response r JOIN instrument i ON r.instrument_id = i.id
    WHERE r.person_id IS NULL AND r.status = 'submitted'
    ORDER BY r.company_id, r.submitted_at DESC, r.id DESC
),
levels AS (SELECT level, count(*) AS number FROM latest GROUP BY level),
dimensions AS (
    SELECT d.code, avg(d.score) AS mean, count(d.score) AS companies,
           count(*) FILTER (WHERE d.score < i.average_from) AS basic,
           count(*) FILTER (WHERE d.score >= i.average_from
                            AND d.score < i.moderately_advanced_from) AS average,
           count(*) FILTER (WHERE d.score >= i.moderately_advanced_from
                            AND d.score < i.advanced_from) AS moderately_advanced,
           count(*) FILTER (WHERE d.score >= i.advanced_from) AS advanced
    FROM assessments_dimensionscore d
    JOIN latest l ON l.id = d.response_id CROSS JOIN instrument i
    GROUP BY d.code
),
enrolments AS (
    SELECT e.course_key, e.user_id, e.completed_at
    FROM courses_enrolment e WHERE e.user_id IN (SELECT user_id FROM members)
),
learning AS (
    SELECT (SELECT count(*) FROM members) AS people,
           count(DISTINCT user_id) AS learners,
           count(DISTINCT user_id) FILTER (WHERE completed_at IS NOT NULL) AS finishers,
           count(*) AS enrolments,
           count(*) FILTER (WHERE completed_at IS NOT NULL) AS completed
    FROM enrolments
),
courses AS (
    SELECT course_key, count(*) AS enrolled,
           count(*) FILTER (WHERE completed_at IS NOT NULL) AS completed
    FROM enrolments GROUP BY course_key
),
certificates AS (
    SELECT course_key, count(*) AS number FROM courses_certificate
    WHERE user_id IN (SELECT user_id FROM members) GROUP BY course_key
),
held AS (
    SELECT s.id, s.cohort_id FROM coaching_livesession s
    WHERE (s.ended_at IS NOT NULL
           OR (s.ends_at <= now() AND s.opened_at IS NULL)
           OR s.ends_at <= now() - interval '30 minutes')
      AND s.cohort_id IN (SELECT cohort_id FROM coaching_cohortcompany WHERE left_at IS NULL)
),
-- Expected places: the cohort's people times its sessions held. Taken places: the distinct
-- (session, person) connections of people of a company placed in the session's cohort.
cohort_people AS (
    SELECT p.cohort_id, count(*) AS people
    FROM companies_membership m
    JOIN accounts_user u ON u.id = m.user_id AND u.is_active
    JOIN coaching_cohortcompany p ON p.company_id = m.company_id AND p.left_at IS NULL
    GROUP BY p.cohort_id
),
came AS (
    SELECT h.cohort_id, count(*) AS came
    FROM (SELECT DISTINCT session_id, user_id FROM coaching_attendance) a
    JOIN held h ON h.id = a.session_id
    WHERE EXISTS (
        SELECT 1 FROM companies_membership m
        JOIN accounts_user u ON u.id = m.user_id AND u.is_active
        JOIN coaching_cohortcompany p ON p.company_id = m.company_id AND p.left_at IS NULL
        WHERE m.user_id = a.user_id AND p.cohort_id = h.cohort_id
    )
    GROUP BY h.cohort_id
),
attendance AS (
    SELECT s.cohort_id, s.sessions,
           CASE WHEN cp.people IS NULL THEN 0 ELSE cp.people * s.sessions END AS expected,
           coalesce(c.came, 0) AS came
    FROM (SELECT cohort_id, count(*) AS sessions FROM held GROUP BY cohort_id) s
    LEFT JOIN cohort_people cp ON cp.cohort_id = s.cohort_id
    LEFT JOIN came c ON c.cohort_id = s.cohort_id
),
actions AS (
    SELECT count(*) AS total, count(*) FILTER (WHERE done_at IS NOT NULL) AS done,
           count(DISTINCT company_id) AS companies
    FROM coaching_actionitem
)
SELECT json_build_object(
    'onboarding', (SELECT row_to_json(onboarding) FROM onboarding),
    'taken', (SELECT json_agg(taken) FROM taken),
    'levels', (SELECT json_object_agg(level, number) FROM levels),
    'dimensions', (SELECT json_agg(dimensions) FROM dimensions),
    'learning', (SELECT row_to_json(learning) FROM learning),
    'courses', (SELECT json_agg(courses) FROM courses),
    'certificates', (SELECT json_agg(certificates) FROM certificates),
    'attendance', (SELECT json_agg(attendance) FROM attendance),
    'actions', (SELECT row_to_json(actions) FROM actions)
)
"""

# A company counts when it has a result at both stages: at most one submitted result per
# company and stage (a model constraint), so two rows in its window.
BEFORE_AFTER = f"""
WITH {INSTRUMENT},
responses AS (
    SELECT r.id, r.company_id, r.stage, r.overall,
           count(*) OVER (PARTITION BY r.company_id) AS stages
    FROM assessments_response r JOIN instrument i ON r.instrument_id = i.id
    WHERE r.person_id IS NULL AND r.status = 'submitted' AND r.stage IN ('T0', 'T1')
),
paired AS (SELECT id, company_id, stage, overall FROM responses WHERE stages = 2)
SELECT json_build_object(
    'overall', (SELECT json_agg(o) FROM (
        SELECT stage, avg(overall) AS average, count(DISTINCT company_id) AS companies
        FROM paired GROUP BY stage) o),
    'dimensions', (SELECT json_agg(d) FROM (
        SELECT s.code, p.stage, avg(s.score) AS average
        FROM paired p JOIN assessments_dimensionscore s ON s.response_id = p.id
        GROUP BY s.code, p.stage) d)
)
"""


def run(statement):
    with connection.cursor() as cursor:
        cursor.execute(statement)
        return cursor.fetchone()[0]


def overview():
    return run(OVERVIEW)


def before_after():
    return run(BEFORE_AFTER)


def _rows(tables, name):
    return next(table.rows for table in tables if table.name == name)


def _close(a, b):
    return a is None and b is None or (a is not None and b is not None and abs(a - b) <= 0.051)


def check_overview(tables, sql):
    """Differences between the overview page's figures (its Tables) and the baseline's."""
    problems = []

    def same(what, page, baseline):
        if page != baseline:
            problems.append(f"{what}: page {page}, baseline {baseline}")

    onboarding = _rows(tables, "companies")
    figures = sql["onboarding"]
    same("companies", [row[1] for row in onboarding], [figures[k] for k in figures])
    taken = {(row["instrument_id"], row["stage"]): row["number"] for row in sql["taken"] or []}
    same(
        "assessments taken",
        sorted(n for row in _rows(tables, "assessments") for n in row[2:] if n),
        sorted(taken.values()),
    )
    levels = [row[1] for row in _rows(tables, "levels")][:4]
    codes = ("basic", "average", "moderately_advanced", "advanced")
    same("levels", levels, [(sql["levels"] or {}).get(code, 0) for code in codes])
    dimensions = _rows(tables, "dimensions")
    baseline = sorted(
        (round(d["mean"], 1), d["companies"], *(d[c] for c in codes)) for d in sql["dimensions"]
    )
    page = sorted(tuple(row[1:]) for row in dimensions)
    if len(page) != len(baseline) or not all(
        _close(p[0], b[0]) and p[1:] == b[1:] for p, b in zip(page, baseline, strict=True)
    ):
        problems.append(f"dimensions: page {page}, baseline {baseline}")
    learning = {row[0]: row[1] for row in _rows(tables, "learning")}
    figures = sql["learning"]
    certificates = sum(row["number"] for row in sql["certificates"] or [])
    same(
        "learning",
        list(learning.values()),
        [*(figures[k] for k in figures), certificates],
    )
    same(
        "courses",
        sorted((row[1], row[2], row[3]) for row in _rows(tables, "courses")),
        sorted(
            (
                row["enrolled"],
                row["completed"],
                next(
                    (c["number"] for c in sql["certificates"] or [] if c["course_key"] == key),
                    0,
                ),
            )
            for row in sql["courses"] or []
            for key in [row["course_key"]]
        ),
    )
    same(
        "attendance",
        sorted(tuple(row[1:4]) for row in _rows(tables, "attendance")),
        sorted((a["sessions"], a["expected"], a["came"]) for a in sql["attendance"] or []),
    )
    actions = _rows(tables, "actions")
    figures = sql["actions"]
    same("action items", [actions[0][1], actions[1][1], actions[3][1]], list(figures.values()))
    return problems


def check_before_after(tables, sql):
    rows = _rows(tables, "before_after")
    page = sorted((row[2], row[3]) for row in rows)
    by_code = {}
    for row in sql["dimensions"] or []:
        by_code.setdefault(row["code"], {})[row["stage"]] = row["average"]
    overall = {row["stage"]: row["average"] for row in sql["overall"] or []}
    baseline = sorted((round(s["T0"], 1), round(s["T1"], 1)) for s in [*by_code.values(), overall])
    companies = {row[1] for row in rows}
    expected = {row["companies"] for row in sql["overall"] or []}
    ok = len(page) == len(baseline) and all(
        _close(p[0], b[0]) and _close(p[1], b[1]) for p, b in zip(page, baseline, strict=True)
    )
    if not ok or companies != expected:
        return [f"before/after: page {page} {companies}, baseline {baseline} {expected}"]
    return []
