"""Every page, form, export and file of the site, tried by each kind of person, with the answer
each must get (see tests/security/matrix.py for the actors and tests/security/permission_world.py
for what the requests are about).

The URL names are read from the URL configuration: a named URL of the project's own apps, of
allauth or of Wagtail's front end that has no row in MATRIX fails
`test_every_url_declares_its_answers`, so that nobody adds a page without saying who may open it.
The admin (/admin/) is covered so: every URL of the admin views the project registers
(ADMIN_MATRIX; a new one without a row fails `test_every_project_admin_url_declares_its_answers`),
a few of Wagtail's own (WAGTAIL_ADMIN), and every Wagtail admin URL without arguments, which
nobody without the admin's access gets into (`test_no_admin_url_opens_without_admin_access`).

Answers: a status code, or a redirect (`To`): LOGIN, the site's login page; ADMIN_LOGIN, the
admin's; ADMIN_HOME, Wagtail's "no permission" back to the admin's dashboard. A refusal names no
company but the person's own and nobody but themselves; what an outsider to company A is shown
names nothing of it (unless the row says why it may).

POST rows post once per person, each post undone before the next. The programme's filters and
forged parameters are tried in tests/programmes/test_permissions_matrix.py.
"""

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, get_resolver, reverse

from tests.security.matrix import (
    ACTORS,
    ADMIN_HOME,
    ADMIN_LOGIN,
    COMPANY_A,
    NOT_STAFF,
    REDIRECT,
    Row,
    To,
    address,
    answer_problem,
    everyone,
    leaks,
    only,
    request_as,
    routes,
    signed_in,
    unseen_names,
)
from tests.security.permission_world import CHECK_ID, build_site_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def site_world(django_db_setup, django_db_blocker):
    """The matrix's world, built once per module in a transaction that is rolled back at the
    end: each test runs in a savepoint of it (pytest-django's `db`), so what a test changes is
    undone before the next, and the database is as it was once the module is done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_site_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(site_world, db):
    return site_world


MEMBERS_OF_FES = ("learner", "lead", "other_lead")
MODERATORS_OF_FES = ("coach", "manager", "superuser")


def _members_and_moderators(answer, refused=404):
    return only(refused, **dict.fromkeys(MEMBERS_OF_FES + MODERATORS_OF_FES, answer))


def _moderators(answer, refused=404):
    return only(refused, **dict.fromkeys(MODERATORS_OF_FES, answer))


def _lead_and_managers(answer, refused=404):
    return only(refused, lead=answer, manager=answer, superuser=answer)


def _zellige(w):
    return {"company_id": w.zellige.pk}


def _fes(w):
    return {"cohort_id": w.fes.pk}


def _past_session(w):
    return {"session_id": w.past_session.pk}


def _next_session(w):
    return {"session_id": w.next_session.pk}


def _draft(w, step=None):
    return {"response_id": w.company_draft.pk, **({"step": step} if step is not None else {})}


# The programme's pages: managers see the programme; a cohort's coach its cohort; a company's
# people its report (its employees without anyone's personal figures).
PROGRAMME_MANAGERS = only(403, manager=200, superuser=200)
FES_COACH_AND_MANAGERS = {**PROGRAMME_MANAGERS, "coach": 200}
COMPANY_REPORT = only(
    404,
    learner=200,  # the summary, without anyone's figures (tests/programmes)
    lead=200,
    coach=200,
    manager=200,
    superuser=200,
)

# An employee reads their company's report, nobody's figures by name, theirs neither (the people
# table is the lead's: tests/programmes/test_permissions_matrix.py).
NOT_THE_PEOPLE = {"learner": ("Nadia Zellige", "Youssef Alaoui", "Salma Bennani", "Alaoui")}

MATRIX = {
    # Site
    "health": Row(everyone(200)),
    "dashboard": Row(signed_in(200)),
    "search": Row(everyone(200), query=lambda w: "q=Sauvegardes"),
    # Companies: their leads and programme managers.
    "companies:list": Row(only(404, lead=200, other_lead=200, manager=200, superuser=200)),
    "companies:detail": Row(_lead_and_managers(200), args=_zellige),
    "companies:invite": [
        Row(
            _lead_and_managers(REDIRECT),
            args=_zellige,
            method="post",
            data=lambda w: {"email": "recrue@zellige.ma", "role": "employee", "full_name": "R"},
        ),
        Row(
            {**_lead_and_managers(REDIRECT), "lead": 400},
            args=_zellige,
            method="post",
            data=lambda w: {"email": "chef@zellige.ma", "role": "lead"},
            why="a lead invites employees; only managers invite leads",
        ),
    ],
    "companies:resend-invitation": Row(
        _lead_and_managers(REDIRECT),
        args=lambda w: {"company_id": w.zellige.pk, "invitation_id": w.invitation.pk},
        method="post",
    ),
    "companies:accept-invitation": Row(
        {**signed_in(403), "anonymous": 200},  # its form; signed in as someone else: refused
        args=lambda w: {"token": w.invitation_token},
        seen=("other_learner", "other_lead", "other_coach", "editor"),
        why="the link's holder is told which company invites them",
    ),
    # Courses: open to whoever signs in; a lesson's forms to the learners who follow it.
    "courses:my-courses": Row(signed_in(200)),
    "courses:enrol": Row(
        signed_in(REDIRECT), args=lambda w: {"course_id": w.course.pk}, method="post"
    ),
    "courses:complete-lesson": Row(
        only(404, learner=REDIRECT),
        args=lambda w: {"lesson_id": w.lesson.pk},
        method="post",
    ),
    "courses:knowledge-check": Row(
        only(404, learner=REDIRECT),
        args=lambda w: {"lesson_id": w.checked_lesson.pk, "block_id": CHECK_ID},
        method="post",
    ),
    "courses:certificate-verify": Row(
        everyone(200),
        args=lambda w: {"code": w.certificate.code},
        seen=("other_learner", "other_lead", "other_coach", "editor"),
        why="a certificate's page says whose it is: that is what it is for",
    ),
    "courses:certificate-pdf": Row(
        only(404, learner=200), args=lambda w: {"code": w.certificate.code}
    ),
    # Assessments: a company's are answered by its lead, read by its people, its cohort's
    # coach and managers; a self-check is its author's (and managers').
    "assessments:index": Row(signed_in(200)),
    "assessments:start": [
        Row(
            only(404, lead=REDIRECT),
            args=lambda w: {"slug": w.instrument.slug},
            method="post",
            data=lambda w: {"company": w.zellige.pk},
        ),
        Row(
            only(404, other_lead=REDIRECT),
            args=lambda w: {"slug": w.instrument.slug},
            method="post",
            data=lambda w: {"company": w.argan.pk},
            why="a lead answers for their own company, not for another they could name",
        ),
    ],
    "assessments:resume": Row(only(404, lead=REDIRECT), args=_draft),
    "assessments:step": Row(only(404, lead=200), args=lambda w: _draft(w, 0)),
    "assessments:autosave": Row(
        only(404, lead=400),  # the lead's empty form is refused as incomplete
        args=lambda w: _draft(w, 0),
        method="post",
    ),
    "assessments:submit": Row(
        only(404, lead=To("/results/")),  # nothing is required: submitted, to its results
        args=_draft,
        method="post",
    ),
    "assessments:results": [
        Row(
            only(404, learner=200, lead=200, coach=200, manager=200, superuser=200),
            args=lambda w: {"response_id": w.company_result.pk},
        ),
        Row(
            only(404, learner=200, manager=200, superuser=200),
            args=lambda w: {"response_id": w.self_check.pk},
        ),
    ],
    # Coaching: a session is its cohort's companies' people's and its moderators' (the
    # cohort's coaches, managers); the rest get a 404 that does not say it exists.
    "coaching:sessions": Row(signed_in(200)),
    "coaching:session-new": Row(only(404, coach=200, other_coach=200, manager=200, superuser=200)),
    "coaching:session": Row(_members_and_moderators(200), args=_past_session),
    "coaching:session-edit": Row(_moderators(200), args=_next_session),
    "coaching:session-cancel": Row(_moderators(200), args=_next_session),
    "coaching:session-ics": Row(_members_and_moderators(200), args=_past_session),
    "coaching:poll-add": Row(
        _moderators(REDIRECT),
        args=_next_session,
        method="post",
        data=lambda w: {"question": "Quel jour ?", "option_1": "Lundi", "option_2": "Mardi"},
    ),
    "coaching:poll-delete": Row(
        _moderators(REDIRECT),
        args=lambda w: {"session_id": w.next_session.pk, "poll_id": w.draft_poll.pk},
        method="post",
    ),
    "coaching:room": Row(_members_and_moderators(200), args=_past_session),
    "coaching:summary": Row(
        _members_and_moderators(200),
        args=_past_session,
        seen=("other_lead",),
        why="a session's summary shows every company's action items to the whole cohort",
    ),
    "coaching:participant-panel": [
        Row(
            _moderators(200),
            args=lambda w: {"session_id": w.past_session.pk, "user_id": w.salma.pk},
        ),
        Row(
            _moderators(404),
            args=lambda w: {"session_id": w.past_session.pk, "user_id": w.employee_tannerie.pk},
            why="the side panel is about the session's cohort's people only",
        ),
    ],
    "coaching:action-plan": Row(signed_in(200)),
    "coaching:action-toggle": Row(
        only(
            404,
            learner=REDIRECT,
            lead=REDIRECT,
            coach=REDIRECT,
            manager=REDIRECT,
            superuser=REDIRECT,
        ),
        args=lambda w: {"item_id": w.action_item.pk},
        method="post",
        data=lambda w: {"done": "1"},
    ),
    # Programme
    "programme:coach": Row(
        only(403, coach=200, other_coach=200, manager=200, superuser=200),
        # The other coach sees their own cohort; a manager a choice of cohorts, no company
        # until one is chosen.
        unseen={"manager": COMPANY_A},
    ),
    "programme:company": Row(COMPANY_REPORT, args=_zellige, unseen=NOT_THE_PEOPLE),
    "programme:company_export": Row(
        COMPANY_REPORT,
        args=_zellige,
        query=lambda w: "table=maturity&format=csv",
        unseen=NOT_THE_PEOPLE,
    ),
    "programme:overview": Row(PROGRAMME_MANAGERS),
    "programme:before_after": Row(PROGRAMME_MANAGERS),
    "programme:export": Row(PROGRAMME_MANAGERS, query=lambda w: "table=companies&format=csv"),
    "programme:report_pdf": Row(PROGRAMME_MANAGERS),
    "programme:formation": Row(PROGRAMME_MANAGERS),
    "programme:move": Row(PROGRAMME_MANAGERS, query=lambda w: f"company={w.zellige.pk}"),
    "programme:cohort": Row(FES_COACH_AND_MANAGERS, args=_fes),
    "programme:cohort_export": Row(
        FES_COACH_AND_MANAGERS, args=_fes, query=lambda w: "table=cohort_companies&format=csv"
    ),
    # Wagtail's front end: pages, documents, the password form of a restricted page.
    "wagtail_serve": [
        Row(everyone(200), url=lambda w: w.home.url),
        Row(everyone(200), url=lambda w: w.course.url),
        Row(
            signed_in(To("/sauvegardes/"), learner=200),
            url=lambda w: w.lesson.url,
            why="a lesson opens to the learners who follow its course; others go to the course",
        ),
        Row(everyone(404), url=lambda w: "/fr/brouillon/"),
        Row(
            everyone(200),
            url=lambda w: w.private_page.url,
            hidden=("Page réservée",),
            why="a page behind a password: its form, not its text",
        ),
    ],
    "wagtailcore_authenticate_with_password": Row(
        everyone(200),
        args=lambda w: {"page_view_restriction_id": w.restriction.pk, "page_id": w.private_page.pk},
    ),
    "wagtailcore_login": Row(everyone(200)),
    "wagtaildocs_serve": [
        Row(everyone(200), url=lambda w: w.document.url),
        # A document of a collection behind a password: its form, not the file.
        Row(everyone(200), url=lambda w: w.secret.url, hidden=("Plan interne",)),
    ],
    "wagtaildocs_authenticate_with_password": Row(
        everyone(200), args=lambda w: {"restriction_id": w.secret_restriction.pk}
    ),
}

# allauth: the pages of the accounts, the same for every signed-in person. Those of one's account
# send the signed-out to log in; logging in and signing up send the signed-in on. Links from
# emails carry keys: a forged one gets a page saying the link is not valid, without the form.
ALLAUTH = {
    "account_login": Row({**signed_in(REDIRECT), "anonymous": 200}),
    "account_signup": Row({**signed_in(REDIRECT), "anonymous": 200}),
    "account_logout": Row(signed_in(200, anonymous=REDIRECT)),
    "account_inactive": Row(everyone(200)),
    "account_reauthenticate": Row(signed_in(200)),
    # Codes by email are not used: back to reauthenticating with the password.
    "account_request_reauthentication_code": Row(signed_in(To("/accounts/reauthenticate/"))),
    "account_confirm_reauthentication_code": Row(signed_in(To("/accounts/reauthenticate/"))),
    "account_confirm_login_code": Row(everyone(REDIRECT)),
    "account_email": Row(signed_in(200)),
    "account_email_verification_sent": Row(everyone(200)),
    "account_confirm_email": Row(everyone(200), args=lambda w: {"key": "forged-key"}),
    "account_change_password": Row(signed_in(200)),
    "account_set_password": Row(signed_in(REDIRECT)),
    "account_reset_password": Row(everyone(200)),
    "account_reset_password_done": Row(everyone(200)),
    "account_reset_password_from_key": Row(
        everyone(200),
        args=lambda w: {"uidb36": "1", "key": "forged-key"},
        hidden=('name="password1"',),
    ),
    "account_reset_password_from_key_done": Row(everyone(200)),
}


# The admin. Whoever lacks the admin's access (learners, leads, coaches) is sent to its login
# page from every address of it; inside, Wagtail sends whoever lacks a permission back to its
# dashboard (ADMIN_HOME).
def admin(editor=ADMIN_HOME, manager=200, superuser=200):
    return {
        **dict.fromkeys(NOT_STAFF, ADMIN_LOGIN),
        "editor": editor,
        "manager": manager,
        "superuser": superuser,
    }


MANAGERS = admin()  # programme managers' (and superusers')
EDITORS = admin(editor=200, manager=ADMIN_HOME)  # content editors' (and superusers')
BOTH = admin(editor=200)
NOBODY = admin(manager=ADMIN_HOME, superuser=ADMIN_HOME)  # views a policy turns off for all
OBJECT_VIEWS = {"edit", "delete", "history", "history_results", "usage", "copy", "inspect"}
OBJECT_VIEWS |= {"reopen", "check"}


def admin_rows(namespace, subject, **answers):
    """Rows for the views of one admin viewset; those of one object are about `subject`."""

    def args(view):
        if view in OBJECT_VIEWS:
            return lambda w: {"pk": getattr(w, subject).pk}
        if view in {"detail", "status"}:
            return lambda w: {"job_id": getattr(w, subject).pk}
        return None

    return {f"{namespace}:{view}": Row(found, args=args(view)) for view, found in answers.items()}


# Every view of the admin viewsets the project registers (wagtail_hooks of companies,
# assessments and coaching).
ADMIN_MATRIX = {
    # The audit log: programme managers'.
    "virage_audit_log": Row(MANAGERS),
    "virage_audit_log_results": Row(MANAGERS),
    **admin_rows(
        "company",
        "zellige",
        **dict.fromkeys(
            ("index", "index_results", "add", "edit", "delete", "history", "history_results"),
            MANAGERS,
        ),
        usage=MANAGERS,
        copy=MANAGERS,
    ),
    # Invitations are read, never written, in the admin (companies.wagtail_hooks.ReadOnlyPolicy).
    **admin_rows(
        "invitation",
        "invitation",
        index=MANAGERS,
        index_results=MANAGERS,
        inspect=MANAGERS,
        **dict.fromkeys(("add", "edit", "delete", "history", "history_results", "usage"), NOBODY),
    ),
    **admin_rows(
        "company_jobs",
        "job",
        **dict.fromkeys(("import", "invite_leads", "detail", "status"), MANAGERS),
    ),
    # Instruments: editors write them; managers open stages (change), neither add nor delete.
    **admin_rows(
        "wagtailsnippets_assessments_instrument",
        "instrument",
        **dict.fromkeys(
            ("list", "list_results", "edit", "usage", "history", "history_results"), BOTH
        ),
        add=EDITORS,
        delete=EDITORS,
    ),
    **admin_rows(
        "wagtailsnippets_assessments_ruleset",
        "rule_set",
        **dict.fromkeys(
            ("list", "list_results", "add", "edit", "delete", "usage", "history"), EDITORS
        ),
        history_results=EDITORS,
        check=EDITORS,
    ),
    # Responses are answered or imported, never edited (assessments.admin.responses).
    **admin_rows(
        "response",
        "company_result",
        index=MANAGERS,
        index_results=MANAGERS,
        inspect=MANAGERS,
        reopen=MANAGERS,
        **dict.fromkeys(("add", "edit", "delete", "history", "history_results", "usage"), NOBODY),
    ),
    **admin_rows("assessments_import", None, index=MANAGERS),
    **{
        name: row
        for namespace, subject in (
            ("programmes", "programme"),
            ("cohorts", "fes"),
            ("live-sessions", "next_session"),
        )
        for name, row in admin_rows(
            namespace,
            subject,
            **dict.fromkeys(
                ("index", "index_results", "add", "edit", "delete", "history", "usage"), MANAGERS
            ),
            history_results=MANAGERS,
        ).items()
    },
}

# Wagtail's own admin, by a few representative pages (the rest is Wagtail's to test): its
# dashboard, the page explorer and editor (editors'), the users (superusers'), documents and
# images (editors'), and the site's history.
WAGTAIL_ADMIN = {
    "wagtailadmin_home": Row(BOTH),
    "wagtailadmin_explore": Row(EDITORS, args=lambda w: {"parent_page_id": w.home.pk}),
    "wagtailadmin_pages:edit": Row(EDITORS, args=lambda w: {"page_id": w.course.pk}),
    "wagtailusers_users:index": Row(admin(manager=ADMIN_HOME)),
    "wagtaildocs:index": Row(EDITORS),
    "wagtailimages:index": Row(EDITORS),
    "wagtailadmin_reports:site_history": Row(BOTH),
}
# Admin pages for the signed-out: logging in, resetting a password, and the files its pages load.
PUBLIC_ADMIN = {
    "admin_login",
    "admin_password_reset",
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}
PROJECT_PACKAGES = ("virage_site", "courses", "assessments", "coaching")


def rows_of(name, table):
    found = table[name]
    return found if isinstance(found, list) else [found]


def check_rows(client, world, name, table):
    problems = []
    for row in rows_of(name, table):
        assert set(row.answers) == set(ACTORS), f"{name}: {sorted(set(ACTORS) ^ set(row.answers))}"
        url = address(name, row, world)
        for who in ACTORS:
            expected = row.answers[who]
            response, body = request_as(client, world, who, url, row)
            problem = answer_problem(response, expected)
            unseen = [*unseen_names(who, expected, row), *row.hidden, *row.unseen.get(who, ())]
            found = leaks(body, unseen)
            if found:
                problem = f"{problem or response.status_code}; the answer names {found}"
            if problem:
                problems.append(f"{row.method.upper()} {url} as {who}: {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_url_answers_each_actor_as_declared(client, world, name):
    check_rows(client, world, name, MATRIX)


@pytest.mark.parametrize("name", sorted(ALLAUTH))
def test_each_account_page_answers_each_actor_as_declared(client, world, name):
    check_rows(client, world, name, ALLAUTH)


def project_routes():
    """Named URLs outside the admin: the project's apps', allauth's and Wagtail's front end's."""
    return {route.name for route in routes() if not route.route.startswith("admin/")}


def test_every_url_declares_its_answers():
    undeclared = sorted(project_routes() - set(MATRIX) - set(ALLAUTH))
    assert not undeclared, (
        f"URLs without expected answers: {undeclared}. Add a row for each to MATRIX (or "
        "ALLAUTH) in tests/security/test_permission_matrix.py: who may open it, who not."
    )


def test_every_declared_url_exists():
    gone = sorted((set(MATRIX) | set(ALLAUTH)) - project_routes())
    assert not gone, f"Rows for URLs the configuration no longer has: {gone}"


def project_admin_routes():
    """The URL names of the admin viewsets the project's wagtail_hooks register, and of the
    admin views it adds otherwise (register_admin_urls, its own login redirects)."""
    from wagtail.admin.viewsets import viewsets

    assert get_resolver().url_patterns  # loading the admin's URLs registers its viewsets
    namespaces = {
        viewset.url_namespace
        for viewset in viewsets.viewsets
        if type(viewset).__module__.startswith(PROJECT_PACKAGES)
    }
    return {
        route.name
        for route in routes()
        if route.route.startswith("admin/")
        and route.name not in PUBLIC_ADMIN
        and (route.name.split(":")[0] in namespaces or route.module.startswith(PROJECT_PACKAGES))
    }


def test_every_project_admin_url_declares_its_answers():
    found = project_admin_routes()
    assert found, "the project's admin viewsets were not found"
    undeclared = sorted(found - set(ADMIN_MATRIX))
    assert not undeclared, (
        f"Admin URLs of the project without expected answers: {undeclared}. Add them to "
        "ADMIN_MATRIX in tests/security/test_permission_matrix.py."
    )
    assert not sorted(set(ADMIN_MATRIX) - found), "rows for admin URLs that no longer exist"


@pytest.mark.parametrize("name", sorted(ADMIN_MATRIX))
def test_each_project_admin_url_answers_each_actor_as_declared(client, world, name):
    check_rows(client, world, name, ADMIN_MATRIX)


@pytest.mark.parametrize("name", sorted(WAGTAIL_ADMIN))
def test_wagtail_admin_answers_each_actor_as_declared(client, world, name):
    check_rows(client, world, name, WAGTAIL_ADMIN)


def test_no_admin_url_opens_without_admin_access(client, world):
    """Every admin address that takes no argument sends a coach and a lead (signed in, without
    the admin's access) to the admin's login page, but those of PUBLIC_ADMIN."""
    problems = []
    checked = 0
    for route in routes():
        if not route.route.startswith("admin/") or route.name in PUBLIC_ADMIN:
            continue
        try:
            url = reverse(route.name)
        except NoReverseMatch:
            continue  # it takes arguments
        checked += 1
        row = Row({}, url=lambda w, url=url: url)
        for who in ("coach", "lead"):
            response, _body = request_as(client, world, who, url, row)
            problem = answer_problem(response, ADMIN_LOGIN)
            if problem:
                problems.append(f"GET {url} as {who}: {problem}")
    assert checked > 50
    assert not problems, "\n".join(problems)
