"""Cohort formation: a programme manager picks companies by maturity, sector, region, size and
stage completed, reads the suggested cohorts (balanced or grouped), confirms them, and moves a
company later without losing its history. Nobody else reaches these pages.

The pool, worked out by hand (latest submitted company result):

    company    sector      region              size    results                    latest
    Argan      retail      casablanca-settat   micro   T0 80 advanced             80 advanced
    Borj       tourism     souss-massa         small   T0 60, T1 70 mod. adv.     70 mod. adv.
    Cèdre      retail      fes-meknes          micro   T0 40 average              40 average
    Dune       digital     casablanca-settat   medium  T0 20 basic                20 basic
    Erg        retail      casablanca-settat   small   none                       not assessed
    Figuier    retail      casablanca-settat   micro   T0 90 advanced, placed     (excluded)
    Grenade    handicrafts oriental            micro   a draft only               not assessed
    Hamra      retail      marrakech-safi      micro   T0 85 advanced, T1 45 avg  45 average

Ranked by score: Argan 80, Borj 70, Hamra 45, Cèdre 40, Dune 20, then Erg, Grenade (by name).
"""

import datetime
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from assessments.loading import install_instrument
from assessments.models import Response
from coaching import placements
from coaching.models import Cohort, CohortCompany, Programme
from coaching.permissions import companies_coached_by
from tests import factories
from tests.assessments.definitions import small_instrument
from virage_site.companies.models import Company
from virage_site.programmes import formation


@pytest.fixture(autouse=True)
def in_english():
    """These tests read the English messages: pages and commands run in English."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

FORMATION = "programme:formation"
MOVE = "programme:move"


def result(instrument, company, stage, overall, level, days_ago, status="submitted"):
    Response.objects.create(
        instrument=instrument,
        version=instrument.current_version(),
        company=company,
        stage=stage,
        status=status,
        overall=overall,
        level=level if status == "submitted" else "",
        submitted_at=timezone.now() - timedelta(days=days_ago) if status == "submitted" else None,
    )


def make_programme(name="Programme 2026"):
    return Programme.objects.create(
        name=name, starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2027, 6, 30)
    )


@pytest.fixture
def pool():
    instrument = install_instrument(small_instrument())
    programme = make_programme()

    def company(name, sector, region, size):
        return factories.make_company(name=name, sector=sector, region=region, size_band=size)

    found = {
        "Argan": company("Argan", "retail", "casablanca-settat", "micro"),
        "Borj": company("Borj", "tourism", "souss-massa", "small"),
        "Cèdre": company("Cèdre", "retail", "fes-meknes", "micro"),
        "Dune": company("Dune", "digital", "casablanca-settat", "medium"),
        "Erg": company("Erg", "retail", "casablanca-settat", "small"),
        "Figuier": company("Figuier", "retail", "casablanca-settat", "micro"),
        "Grenade": company("Grenade", "handicrafts", "oriental", "micro"),
        "Hamra": company("Hamra", "retail", "marrakech-safi", "micro"),
    }
    result(instrument, found["Argan"], "T0", 80, "advanced", 30)
    result(instrument, found["Borj"], "T0", 60, "moderately_advanced", 30)
    result(instrument, found["Borj"], "T1", 70, "moderately_advanced", 3)
    result(instrument, found["Cèdre"], "T0", 40, "average", 30)
    result(instrument, found["Dune"], "T0", 20, "basic", 30)
    result(instrument, found["Figuier"], "T0", 90, "advanced", 30)
    result(instrument, found["Grenade"], "T0", None, "", 0, status="draft")
    result(instrument, found["Hamra"], "T0", 85, "advanced", 30)
    result(instrument, found["Hamra"], "T1", 45, "average", 2)
    placed = Cohort.objects.create(programme=programme, name="Pionniers")
    placements.place(found["Figuier"], placed)
    return {"programme": programme, "companies": found, "pionniers": placed}


@pytest.fixture
def manager_client(client):
    client.force_login(factories.make_user(role="manager"))
    return client


def names_for(pool, **criteria):
    chosen = formation.Criteria(programme=pool["programme"], **criteria)
    return [c.name for c in formation.candidates(chosen)]


def test_without_criteria_every_company_not_yet_placed_is_offered_best_scores_first(pool):
    assert names_for(pool) == ["Argan", "Borj", "Hamra", "Cèdre", "Dune", "Erg", "Grenade"]


@pytest.mark.parametrize(
    "criteria, expected",
    [
        ({"levels": ("advanced",)}, ["Argan"]),  # Hamra's latest result is average
        ({"levels": ("average",)}, ["Hamra", "Cèdre"]),
        ({"levels": ("none",)}, ["Erg", "Grenade"]),  # a draft is no result
        ({"levels": ("basic", "none")}, ["Dune", "Erg", "Grenade"]),
        ({"sectors": ("retail",)}, ["Argan", "Hamra", "Cèdre", "Erg"]),
        ({"regions": ("casablanca-settat",), "sizes": ("micro",)}, ["Argan"]),
        ({"sizes": ("small", "medium")}, ["Borj", "Dune", "Erg"]),
        ({"stage": "T0"}, ["Argan", "Borj", "Hamra", "Cèdre", "Dune"]),
        ({"stage": "T1"}, ["Borj", "Hamra"]),
        ({"stage": "T2"}, []),
        ({"sectors": ("retail",), "stage": "T1"}, ["Hamra"]),
    ],
)
def test_filters_pick_the_right_companies(pool, criteria, expected):
    assert names_for(pool, **criteria) == expected


def test_a_company_placed_in_another_programme_is_still_offered(pool):
    other = make_programme("Export 2027")
    assert "Figuier" in [c.name for c in formation.candidates(formation.Criteria(other))]


def candidates(*scores):
    return [
        formation.Candidate(n, f"C{n}", "retail", "oriental", "micro", "", score)
        for n, score in enumerate(scores, 1)
    ]


def test_balanced_is_a_snake_draft_and_grouped_cuts_the_ranking():
    ranked = candidates(90, 80, 70, 60, 50, 40, None)
    as_names = lambda groups: [[c.name for c in g] for g in groups]  # noqa: E731
    assert as_names(formation.balanced(ranked, 3)) == [
        ["C1", "C6", "C7"],
        ["C2", "C5"],
        ["C3", "C4"],
    ]
    assert as_names(formation.grouped(ranked, 3)) == [
        ["C1", "C2", "C3"],
        ["C4", "C5"],
        ["C6", "C7"],
    ]


@pytest.mark.parametrize(
    "count, size, expected",
    [
        (50, 25, [25, 25]),
        (51, 25, [17, 17, 17]),
        (26, 25, [13, 13]),
        (7, 3, [3, 2, 2]),
        (1, 5, [1]),
    ],
)
def test_cohorts_are_at_most_the_chosen_size_and_as_even_as_possible(count, size, expected):
    assert formation.slice_sizes(count, size) == expected


def preview(client, pool, **params):
    query = {"programme": pool["programme"].pk, "size": 3, "strategy": "balanced"}
    query.update({"prefix": "Promo", **params})
    return client.get(reverse(FORMATION), query)


def previewed_groups(response):
    return [[m.name for m in c.members] for c in response.context["plan"].cohorts]


def test_the_preview_suggests_balanced_cohorts(manager_client, pool):
    response = preview(manager_client, pool)
    assert response.status_code == 200
    assert previewed_groups(response) == [
        ["Argan", "Erg", "Grenade"],
        ["Borj", "Dune"],
        ["Hamra", "Cèdre"],
    ]
    page = response.content.decode()
    assert "7 companies in 3 cohorts." in page
    assert "Promo 1" in page and "Promo 3" in page
    # The mix of Promo 1: one advanced, two not assessed.
    row = re.search(r"<th scope=\"row\">Promo 1</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r"<td>([^<]*)</td>", row) == ["3", "80.0", "0", "0", "0", "1", "2"]
    assert not Cohort.objects.filter(name__startswith="Promo").exists()


def test_the_preview_groups_similar_maturity(manager_client, pool):
    response = preview(manager_client, pool, strategy="grouped")
    assert previewed_groups(response) == [
        ["Argan", "Borj", "Hamra"],
        ["Cèdre", "Dune"],
        ["Erg", "Grenade"],
    ]


def confirm(client, response):
    fields = re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.content.decode()
    )
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post(reverse(FORMATION), data, follow=True)


def members(cohort_name):
    cohort = Cohort.objects.get(name=cohort_name)
    return sorted(
        placements.current_places().filter(cohort=cohort).values_list("company__name", flat=True)
    )


def test_confirming_creates_the_previewed_cohorts_and_places(manager_client, pool):
    response = preview(manager_client, pool, sectors=["retail"], size=2)
    assert previewed_groups(response) == [["Argan", "Erg"], ["Hamra", "Cèdre"]]
    done = confirm(manager_client, response)
    page = done.content.decode()
    assert "2 cohorts created with 4 companies." in page
    assert members("Promo 1") == ["Argan", "Erg"]
    assert members("Promo 2") == ["Cèdre", "Hamra"]
    assert Cohort.objects.get(name="Promo 1").programme == pool["programme"]
    # The programme's cohorts are listed with the number of companies in each.
    assert re.search(r"Promo 2</a></th><td>2</td>", page)
    # They are placed now: a new preview no longer offers them.
    again = preview(manager_client, pool, sectors=["retail"], size=2)
    assert "No company matches these criteria" in again.content.decode()
    # The audit log says who formed them.
    entry = ModelLogEntry.objects.get(action="programmes.cohorts_formed")
    assert (entry.object_id, entry.data) == (
        str(pool["programme"].pk),
        {"cohorts": 2, "companies": 4},
    )
    assert entry.user == done.wsgi_request.user


def test_new_cohort_names_skip_those_the_programme_uses(manager_client, pool):
    Cohort.objects.create(programme=pool["programme"], name="Promo 1")
    response = preview(manager_client, pool, levels=["average"], size=2)
    confirm(manager_client, response)
    assert members("Promo 2") == ["Cèdre", "Hamra"]


def test_a_confirmation_after_the_companies_changed_creates_nothing(manager_client, pool):
    response = preview(manager_client, pool, sectors=["retail"], size=2)
    factories.make_company(name="Nouvelle", sector="retail")
    done = confirm(manager_client, response)
    assert done.status_code == 409
    assert "changed since the preview" in done.content.decode()
    assert not Cohort.objects.filter(name__startswith="Promo").exists()
    assert not ModelLogEntry.objects.filter(action="programmes.cohorts_formed").exists()
    assert "Nouvelle" in [m.name for c in done.context["plan"].cohorts for m in c.members]


def test_a_confirmation_without_a_preview_is_refused(manager_client, pool):
    data = {"programme": pool["programme"].pk, "size": 3, "strategy": "grouped", "prefix": "P"}
    response = manager_client.post(reverse(FORMATION), data)
    assert response.status_code == 400
    assert "Preview the cohorts before creating them." in response.content.decode()
    forged = manager_client.post(reverse(FORMATION), {**data, "fingerprint": "0" * 64})
    assert forged.status_code == 409
    assert not CohortCompany.objects.exclude(cohort=pool["pionniers"]).exists()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"size": 1}, "A cohort needs at least 2 companies."),
        ({"size": 201}, "A cohort cannot have more than 200 companies."),
        ({"size": "vingt"}, "The number of companies per cohort must be a whole number."),
        ({"sectors": ["nowhere"]}, "“nowhere” is not one of the choices offered."),
        ({"levels": ["expert"]}, "“expert” is not one of the choices offered."),
        ({"stage": "T9"}, "“T9” is not one of the choices offered."),
        ({"strategy": "random"}, "“random” is not one of the choices offered."),
        ({"programme": 999999}, "This programme does not exist (any more)."),
        ({"programme": "x'; drop"}, "This programme does not exist (any more)."),
        ({"prefix": ""}, "Give a name for the new cohorts."),
        ({"prefix": "x" * 151}, "The cohort name must be at most 150 characters long."),
    ],
)
def test_bad_input_gets_a_clear_message(manager_client, pool, params, message):
    response = preview(manager_client, pool, **params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["plan"] is None


def test_an_empty_selection_says_so(manager_client, pool):
    response = preview(manager_client, pool, sectors=["health"])
    assert response.status_code == 200
    assert "No company matches these criteria" in response.content.decode()
    assert "Create these cohorts" not in response.content.decode()


def test_the_page_offers_the_form_to_a_manager(manager_client, pool):
    response = manager_client.get(reverse(FORMATION))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="programme"' in page and 'name="strategy"' in page
    assert "Programme 2026" in page


@pytest.mark.parametrize("role", ["learner", "lead", "coach"])
@pytest.mark.parametrize("name", [FORMATION, MOVE])
def test_only_managers_reach_formation_pages(client, pool, role, name):
    person = factories.make_user(role="coach" if role == "coach" else None)
    if role == "lead":
        factories.add_member(pool["companies"]["Argan"], person, role="lead")
    elif role == "learner":
        factories.add_member(pool["companies"]["Argan"], person)
    client.force_login(person)
    assert client.get(reverse(name)).status_code == 403
    posted = client.post(reverse(name), {"programme": pool["programme"].pk})
    assert posted.status_code == 403
    assert Cohort.objects.count() == 1


@pytest.mark.parametrize("name", [FORMATION, MOVE])
def test_visitors_are_asked_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_moved_company_keeps_its_history_and_changes_coach(manager_client, pool):
    argan = pool["companies"]["Argan"]
    first = Cohort.objects.create(programme=pool["programme"], name="Promo Nord")
    second = Cohort.objects.create(programme=pool["programme"], name="Promo Sud")
    coach_first, coach_second = factories.make_user(role="coach"), factories.make_user(role="coach")
    first.coaches.add(coach_first)
    second.coaches.add(coach_second)
    placements.place(argan, first)

    found = manager_client.get(reverse(MOVE), {"q": "argan"})
    assert f'href="?company={argan.pk}"' in found.content.decode()
    response = manager_client.post(
        reverse(MOVE), {"company": argan.pk, "cohort": second.pk}, follow=True
    )
    page = response.content.decode()
    assert "Argan is now in Programme 2026 · Promo Sud." in page
    moved = ModelLogEntry.objects.get(action="programmes.company_moved")
    assert (moved.object_id, moved.label) == (str(argan.pk), "Argan")
    assert moved.data == {"from": "Programme 2026 · Promo Nord", "to": "Programme 2026 · Promo Sud"}
    history = list(placements.history(argan))
    assert [(p.cohort.name, p.left_at is None) for p in history] == [
        ("Promo Nord", False),
        ("Promo Sud", True),
    ]
    table = re.search(r'<table class="table" id="placement-history">(.*?)</table>', page, re.S)
    assert table.group(1).index("Promo Nord") < table.group(1).index("Promo Sud")
    assert table.group(1).count("current cohort") == 1
    assert argan.pk not in companies_coached_by(coach_first).values_list("company_id", flat=True)
    assert argan.pk in companies_coached_by(coach_second).values_list("company_id", flat=True)


def test_a_move_finds_a_company_by_its_ice(manager_client, pool):
    argan = pool["companies"]["Argan"]
    spaced = f"{argan.ice[:3]} {argan.ice[3:9]} {argan.ice[9:]}"
    response = manager_client.get(reverse(MOVE), {"q": spaced})
    assert f'href="?company={argan.pk}"' in response.content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"cohort": 999999}, "This cohort does not exist (any more). Choose another one."),
        ({"cohort": ""}, "Choose the cohort the company moves to."),
        ({"company": 999999}, "This company does not exist (any more)."),
        ({"company": "abc"}, "This company does not exist (any more)."),
    ],
)
def test_a_bad_move_gets_a_clear_message_and_moves_nothing(manager_client, pool, data, message):
    argan = pool["companies"]["Argan"]
    posted = {"company": argan.pk, "cohort": pool["pionniers"].pk, **data}
    response = manager_client.post(reverse(MOVE), posted)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert placements.current_cohort(argan, pool["programme"]) is None


def many_companies(count, instrument, start, region):
    companies = Company.objects.bulk_create(
        Company(
            name=f"Société {n}",
            ice=f"{start + n:015d}",
            sector="retail",
            size_band="micro",
            region=region,
            city="Oujda",
        )
        for n in range(count)
    )
    version = instrument.current_version()
    Response.objects.bulk_create(
        Response(
            instrument=instrument,
            version=version,
            company=company,
            stage="T0",
            status="submitted",
            overall=n % 100,
            level="basic",
            submitted_at=timezone.now(),
        )
        for n, company in enumerate(companies)
    )


def queries_to_form(client, programme, count, instrument, start, region):
    many_companies(count, instrument, start, region)
    params = {
        "programme": programme.pk,
        "size": 25,
        "strategy": "balanced",
        "prefix": f"Vague {count}",
        "regions": [region],
    }
    with CaptureQueriesContext(connection) as seen_preview:
        response = client.get(reverse(FORMATION), params)
    assert response.context["plan"].company_count == count
    fingerprint = response.context["plan"].fingerprint
    with CaptureQueriesContext(connection) as seen_create:
        created = client.post(reverse(FORMATION), {**params, "fingerprint": fingerprint})
    assert created.status_code == 302
    assert placements.current_places().filter(cohort__programme=programme).count() == count
    return len(seen_preview), len(seen_create)


def test_forming_cohorts_takes_a_bounded_number_of_queries(manager_client):
    instrument = install_instrument(small_instrument())
    small = queries_to_form(
        manager_client, make_programme("Petit"), 50, instrument, 10**6, "oriental"
    )
    large = queries_to_form(
        manager_client, make_programme("Grand"), 500, instrument, 2 * 10**6, "draa-tafilalet"
    )
    assert large[0] == small[0]
    # Creating adds only the inserts of the larger batches of places.
    assert large[1] - small[1] <= 3
    assert small[1] < 25


@pytest.mark.parametrize(
    "name, params, message",
    [
        (FORMATION, {"programme": "999999"}, "This programme does not exist (any more)."),
        (FORMATION, {"programme": "²"}, "This programme does not exist (any more)."),
        (MOVE, {"company": "999999"}, "This company does not exist (any more)."),
        (MOVE, {"company": "1 OR 1=1"}, "This company does not exist (any more)."),
    ],
)
def test_an_address_naming_nothing_says_so(manager_client, pool, name, params, message):
    response = manager_client.get(reverse(name), params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_after_creating_the_page_lists_the_programmes_cohorts(manager_client, pool):
    response = manager_client.get(reverse(FORMATION), {"programme": pool["programme"].pk})
    page = response.content.decode()
    assert "Cohorts of Programme 2026" in page
    assert re.search(r"Pionniers</a></th><td>1</td>", page)
    assert response.context["form"]["programme"].value() == pool["programme"].pk
