"""The programme's pages, asked for with filters and parameters that point at someone else's
data, and the forms that move companies between cohorts.

Who may open each programme page at all is declared with every other page of the site in
tests/security/test_permission_matrix.py (its world is this one's small programme).

Answers: a status code, or LOGIN (sent to the login page). Wherever the answer is not 200, the
body must not name the company the request is about, nor any of its people.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.programmes.people_programme import build_programme

pytestmark = pytest.mark.django_db

LOGIN = "login"
NAMESPACE = "programme"
ACTORS = (
    "anonymous",
    "learner",  # an employee of a company of the other cohort
    "other_lead",  # the lead of another company of the same cohort
    "other_coach",  # the coach of the other cohort
    "coach",  # the coach of the company's cohort
    "lead",  # the company's lead
    "employee",  # an employee of the company
    "manager",
)


def _zellige(world):
    return {"company_id": world.zellige.pk}


def _fes(world):
    return {"cohort_id": world.fes.pk}


MANAGERS_ONLY = {
    "anonymous": LOGIN,
    "learner": 403,
    "other_lead": 403,
    "other_coach": 403,
    "coach": 403,
    "lead": 403,
    "employee": 403,
    "manager": 200,
}
PEOPLE = ("Nadia Zellige", "Youssef Alaoui", "Salma Bennani", "Bennani", "Alaoui")


@pytest.fixture
def world(site_tree):
    return build_programme()


def actor(world, who):
    return {
        "anonymous": None,
        "learner": world.employee_tannerie,
        "other_lead": world.lead_argan,
        "other_coach": world.coach_agadir,
        "coach": world.coach_fes,
        "lead": world.lead_zellige,
        "employee": world.salma,
        "manager": world.manager,
    }[who]


def address(name, kwargs, query):
    with translation.override("fr"):
        url = reverse(f"{NAMESPACE}:{name}", kwargs=kwargs)
    return f"{url}?{query}" if query else url


def request_as(client, world, who, url):
    client.logout()
    user = actor(world, who)
    if user is not None:
        client.force_login(user)
    return client.get(url)


def answer_problem(response, expected):
    """What is wrong with the answer, or None."""
    if expected == LOGIN:
        if response.status_code != 302 or "/login/" not in response.get("Location", ""):
            return f"expected the login page, got {response.status_code}"
        return None
    if response.status_code != expected:
        return f"expected {expected}, got {response.status_code}"
    return None


def body_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def leaks(body, names):
    return [name for name in names if name in body]


# Filters and parameters that point elsewhere. Each: (URL name, actor, world -> (kwargs, query),
# expected answer). A name missing from the configuration fails.
FES = ("Zellige", "Argan", *PEOPLE)
AGADIR = ("Tannerie", "Cèdre", "Rachid Tazi", "Hind Tannerie")


def _csv(table, **more):
    return "&".join([f"table={table}", "format=csv", *(f"{k}={v}" for k, v in more.items())])


# Requests whose ids, filters or parameters point at what the person may not read:
# (URL name, actor, world -> (kwargs, query), expected answer, texts the answer must not hold).
WIDENING = [
    # The coach's page, asked for a cohort the coach does not coach, or with a forged value.
    ("coach", "coach", lambda w: ({}, f"cohort={w.agadir.pk}"), 400, AGADIR),
    ("coach", "other_coach", lambda w: ({}, f"cohort={w.fes.pk}"), 400, FES),
    ("coach", "other_coach", lambda w: ({}, f"cohort={w.agadir.pk}&cohort={w.fes.pk}"), 400, FES),
    ("coach", "other_coach", lambda w: ({}, "cohort=-1"), 400, FES),
    ("coach", "other_coach", lambda w: ({}, "cohort=1%20OR%201=1"), 400, FES),
    ("coach", "other_coach", lambda w: ({}, f"cohort={10**20}"), 400, FES),
    ("company", "manager", lambda w: ({"company_id": 10**20}, ""), 404, FES),
    # A company report, for the coach of another cohort, the former coach, another lead.
    ("company", "other_coach", lambda w: (_zellige(w), ""), 404, FES),
    ("company", "coach", lambda w: ({"company_id": w.cedre.pk}, ""), 404, ("Cèdre", "Fatima")),
    ("company", "other_lead", lambda w: (_zellige(w), ""), 404, FES),
    ("company", "learner", lambda w: (_zellige(w), ""), 404, FES),
    # A cohort's page and export, for the coach of another cohort.
    ("cohort", "coach", lambda w: ({"cohort_id": w.agadir.pk}, ""), 403, AGADIR),
    (
        "cohort_export",
        "coach",
        lambda w: ({"cohort_id": w.agadir.pk}, _csv("cohort_companies")),
        403,
        AGADIR,
    ),
    # The coach's own cohort, with filters naming another: still that cohort's companies now
    # (Cèdre left Fès for Agadir).
    ("cohort", "coach", lambda w: (_fes(w), f"cohort={w.agadir.pk}"), 200, AGADIR),
    (
        "cohort_export",
        "coach",
        lambda w: (
            _fes(w),
            _csv("cohort_companies", cohort=w.agadir.pk, programme=w.programme.pk),
        ),
        200,
        AGADIR,
    ),
    # The programme's pages and exports, narrowed to the coach's own cohort: still refused.
    ("overview", "coach", lambda w: ({}, f"cohort={w.fes.pk}"), 403, FES),
    ("before_after", "coach", lambda w: ({}, f"cohort={w.fes.pk}"), 403, FES),
    ("export", "coach", lambda w: ({}, _csv("companies", cohort=w.fes.pk)), 403, FES),
    ("report_pdf", "coach", lambda w: ({}, f"cohort={w.fes.pk}"), 403, FES),
    ("export", "lead", lambda w: ({}, _csv("companies", cohort=w.fes.pk)), 403, FES),
    # A manager's export with a forged filter or table: an error, not other figures.
    ("export", "manager", lambda w: ({}, _csv("companies", cohort=999999)), 400, FES),
    ("export", "manager", lambda w: ({}, _csv("../settings")), 404, FES),
    # A company's exports: the people table is not the employees', the sessions not another coach's.
    ("company_export", "employee", lambda w: (_zellige(w), _csv("people")), 404, PEOPLE),
    ("company_export", "other_coach", lambda w: (_zellige(w), _csv("sessions")), 404, FES),
]


@pytest.mark.parametrize("name,who,build,expected,unseen", WIDENING)
def test_filters_and_ids_pointing_elsewhere_do_not_leak(
    client, world, name, who, build, expected, unseen
):
    url = address(name, *build(world))
    response = request_as(client, world, who, url)
    problem = answer_problem(response, expected)
    assert problem is None, f"GET {url} as {who}: {problem}"
    found = leaks(body_of(response), unseen)
    assert not found, f"GET {url} as {who}: the answer names {found}"


def _still_in_fes(world):
    return world.fes.placements.filter(company=world.zellige, left_at__isnull=True).exists()


# Pages that change placements, and a request to each that would move Zellige out of Fès.
CHANGES = {
    "move": lambda w: {"company": w.zellige.pk, "cohort": w.agadir.pk},
    "formation": lambda w: {"programme": w.programme.pk, "size": 2, "fingerprint": "x"},
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_changes_are_refused_to_all_but_managers(client, world, name):
    url = address(name, {}, "")
    problems = []
    for who in ACTORS:
        if who == "manager":
            continue
        client.logout()
        user = actor(world, who)
        if user is not None:
            client.force_login(user)
        response = client.post(url, CHANGES[name](world))
        problem = answer_problem(response, MANAGERS_ONLY[who])
        if problem:
            problems.append(f"POST {url} as {who}: {problem}")
    assert not problems, "\n".join(problems)
    assert _still_in_fes(world)


def test_a_manager_cannot_be_made_to_move_a_company_from_another_site(world):
    """Without the page's CSRF token, a manager's browser posting from elsewhere moves nothing."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.manager)
    response = browser.post(address("move", {}, ""), CHANGES["move"](world))
    assert response.status_code == 403
    assert _still_in_fes(world)


def test_the_rules_name_the_companies_and_cohorts_each_person_follows(world):
    from virage_site.programmes import permissions

    def visible(who):
        user = actor(world, who) or AnonymousUser()
        return set(permissions.companies_visible_in_programme(user).values_list("name", flat=True))

    everyone = {"Zellige", "Argan", "Tannerie", "Cèdre"}
    assert visible("anonymous") == set()
    assert visible("learner") == {"Tannerie"}
    assert visible("lead") == visible("employee") == {"Zellige"}
    assert visible("coach") == {"Zellige", "Argan"}  # Cèdre left Fès
    assert visible("other_coach") == {"Tannerie", "Cèdre"}
    assert visible("manager") == everyone
    assert set(permissions.coached_cohorts(world.coach_fes)) == {world.fes}
    assert not permissions.coached_cohorts(world.lead_zellige).exists()
    # Each person's figures: the lead, the coach now and managers; an employee reads the summary.
    assert permissions.can_see_people(world.lead_zellige, world.zellige)
    assert permissions.can_see_people(world.coach_fes, world.zellige)
    assert not permissions.can_see_people(world.salma, world.zellige)
    assert permissions.can_view_company_report(world.salma, world.zellige)
    assert not permissions.can_view_company_report(world.coach_fes, world.cedre)
