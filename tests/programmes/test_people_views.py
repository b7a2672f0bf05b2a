"""The coach's page and a company's report: the figures people read, checked against the values
worked out by hand in people_programme, and the queries they cost."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from coaching.models import CohortCompany
from tests import factories
from tests.programmes.people_programme import build_programme, enrol, member, place, present
from virage_site.companies.models import Membership

pytestmark = pytest.mark.django_db

# In English: the figures are read in words ("2 of 3") that translations would change.
with translation.override("en"):
    COACH = reverse("programme:coach")


def company_url(company_or_id):
    company_id = getattr(company_or_id, "pk", company_or_id)
    with translation.override("en"):
        return reverse("programme:company", args=[company_id])


@pytest.fixture
def world(site_tree):
    return build_programme()


def page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def text(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def cells(html, company):
    """The cells of a company's row on the coach's page, as read."""
    row = re.search(rf'<tr data-company="{company.pk}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {company}"
    return [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)]


def table(html, css_class):
    found = re.search(rf'<table class="table {css_class}">(.*?)</table>', html, re.S)
    assert found, f"no table {css_class}"
    return [
        [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    ]


# The coach's page


def test_a_coach_reads_each_company_of_their_cohort_with_hand_computed_figures(client, world):
    html = page(client, world.coach_fes, COACH)
    assert "Promotion Fès" in html
    assert f'href="{company_url(world.zellige)}"' in html
    with translation.override("en"):
        assert f'href="{reverse("programme:cohort", args=[world.fes.pk])}"' in html
    # company, level, overall (stage), change since T0, people, followed, completed,
    # sessions attended, action items done
    assert cells(html, world.zellige) == [
        "Zellige", "Average", "33 (T1)", "+33", "3", "4", "2", "2 of 2", "2 of 3",
    ]  # fmt: skip
    assert cells(html, world.argan) == [
        "Argan", "Advanced", "100 (T0)", "—", "1", "0", "0", "0 of 2", "0 of 0",
    ]  # fmt: skip


def test_a_coach_sees_only_current_places_of_their_own_cohorts(client, world):
    html = page(client, world.coach_fes, COACH)
    assert "Promotion Agadir" not in html
    assert "Tannerie" not in html
    # Cèdre moved from Fès to Agadir: its former coach no longer follows it.
    assert "Cèdre" not in html
    html = page(client, world.coach_agadir, COACH)
    assert "Zellige" not in html
    assert cells(html, world.cedre) == [
        "Cèdre", "Not assessed yet", "1", "0", "0", "0 of 0", "0 of 0",
    ]  # fmt: skip


def test_a_coach_narrows_the_page_to_one_of_their_cohorts(client, world):
    other = world.programme.cohorts.create(name="Promotion Oujda")
    other.coaches.add(world.coach_fes)
    html = page(client, world.coach_fes, f"{COACH}?cohort={other.pk}")
    assert "Promotion Oujda" in html
    assert "Zellige" not in html


@pytest.mark.parametrize("value", ["agadir", "not-a-number", "999999"])
def test_a_coach_cannot_widen_the_page_to_another_cohort(client, world, value):
    cohort = str(world.agadir.pk) if value == "agadir" else value
    html = page(client, world.coach_fes, f"{COACH}?cohort={cohort}", status=400)
    assert "Choose one of the cohorts in the list." in html
    for name in ("Tannerie", "Zellige", "Argan", "Cèdre"):
        assert name not in text(html)


def test_a_manager_chooses_a_cohort_then_reads_it(client, world):
    html = page(client, world.manager, COACH)
    assert "Tannerie" not in html and "Zellige" not in html
    assert "Promotion Agadir" in html  # offered in the list
    html = page(client, world.manager, f"{COACH}?cohort={world.agadir.pk}")
    assert cells(html, world.tannerie)[:5] == ["Tannerie", "Basic", "0 (T0)", "—", "2"]
    assert "Zellige" not in html


@pytest.mark.parametrize("who", ["employee_tannerie", "lead_zellige"])
def test_people_who_coach_nobody_cannot_open_the_coach_page(client, world, who):
    page(client, getattr(world, who), COACH, status=403)


def _grow(world, companies):
    """`companies` more companies in Fès, each with a lead and an employee who follow courses,
    attended a session, took the assessment and have action items."""
    from coaching.models import ActionItem
    from tests.assessments.taking_helpers import LOW, company_instrument, submitted

    instrument = company_instrument()
    for n in range(companies):
        company = factories.make_company(name=f"Entreprise {n}")
        place(world.fes, company)
        lead = member(company, f"Lead{n}", "Croissance", role=Membership.Role.LEAD)
        employee = member(company, f"Employe{n}", "Croissance")
        enrol(employee, completed=True, lessons=2)
        present(world.sessions[0], lead, 60)
        submitted(instrument, LOW, company=company)
        ActionItem.objects.create(company=company, text="Une action")


def _queries(client, user, url):
    client.force_login(user)
    client.get(url)  # caches filled once per process (site, locales) are not the page's cost
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_coach_page_costs_the_same_queries_for_two_or_ten_companies(client, world):
    small = _queries(client, world.coach_fes, COACH)
    _grow(world, 8)
    assert CohortCompany.objects.filter(cohort=world.fes, left_at__isnull=True).count() == 10
    large = _queries(client, world.coach_fes, COACH)
    assert large == small
    html = client.get(COACH).content.decode()
    assert cells(html, world.zellige)[7] == "2 of 2"


# The company report


def test_the_lead_reads_maturity_per_dimension_and_stage_with_changes(client, world):
    html = page(client, world.lead_zellige, company_url(world.zellige))
    assert table(html, "maturity-table") == [
        ["Dimension", "T0", "T1"],
        ["Strategy", "0", "100 (+100)"],
        ["Data", "0", "0 (0)"],
        ["Overall", "0", "33 (+33)"],
    ]
    assert '<svg class="radar"' in html
    assert 'aria-labelledby="maturity-chart-caption"' in html


def test_the_lead_reads_each_persons_progress_and_attendance(client, world):
    html = page(client, world.lead_zellige, company_url(world.zellige))
    rows = table(html, "people-table")[1:]
    assert [row[0] for row in rows] == ["Nadia Zellige", "Salma Bennani", "Youssef Alaoui"]
    by_name = {row[0]: row[2:] for row in rows}
    # followed, completed, lessons done, sessions attended
    assert by_name == {
        "Nadia Zellige": ["2", "1", "0", "1"],
        "Salma Bennani": ["1", "1", "3", "1"],
        "Youssef Alaoui": ["1", "0", "1", "0"],
    }
    sessions = table(html, "sessions-table")[1:]
    assert [(row[0], row[3]) for row in sessions] == [
        ("Vendre en ligne", "1"),
        ("Paiement en ligne", "1"),
    ]
    assert "Livraison" not in html  # not held yet
    page_text = text(html)
    assert "Done: 2 · To do: 1" in page_text
    assert "Ouvrir WhatsApp Business" in html and "Salma Bennani" in html


@pytest.mark.parametrize("who", ["manager", "coach_fes"])
def test_managers_and_the_companys_coach_read_the_people_too(client, world, who):
    html = page(client, getattr(world, who), company_url(world.zellige))
    assert "Salma Bennani" in html
    assert "Youssef Alaoui" in html


def test_an_employee_reads_the_company_summary_without_anyones_figures(client, world):
    html = page(client, world.salma, company_url(world.zellige))
    assert "maturity-table" in html
    assert "Ouvrir WhatsApp Business" in html
    assert "people-table" not in html
    assert "Youssef Alaoui" not in html
    assert "Nadia Zellige" not in html
    # Not even her own: the open item she owns is shown without its owner.
    assert "Salma Bennani" not in html


def test_the_coach_of_a_former_cohort_no_longer_reads_the_report(client, world):
    page(client, world.coach_fes, company_url(world.cedre), status=404)
    page(client, world.coach_agadir, company_url(world.cedre))


@pytest.mark.parametrize(
    "who", ["lead_argan", "employee_tannerie", "coach_agadir", "lead_tannerie"]
)
def test_anyone_else_gets_the_same_404_as_for_a_company_that_does_not_exist(client, world, who):
    html = page(client, getattr(world, who), company_url(world.zellige), status=404)
    assert "Zellige" not in html
    page(client, getattr(world, who), company_url(999999), status=404)


def test_the_company_report_costs_the_same_queries_whatever_its_size(client, world):
    small = _queries(client, world.lead_zellige, company_url(world.zellige))
    for n in range(6):
        person = member(world.zellige, f"Extra{n}", "Personne")
        enrol(person, completed=True, lessons=2)
        present(world.sessions[1], person, 60)
    large = _queries(client, world.lead_zellige, company_url(world.zellige))
    assert large == small


def test_the_report_reads_right_to_left_in_arabic(client, world):
    with translation.override("ar"):
        url = reverse("programme:company", args=[world.zellige.pk])
    html = page(client, world.lead_zellige, url)
    assert '<html lang="ar" dir="rtl"' in html
    assert 'direction="rtl"' in html  # the radar turns the reading way
    assert "Salma Bennani" in html
