"""A company report's tables as CSV and XLSX: the figures worked out by hand in people_programme,
who may download which table, the messages for a wrong request, and the queries it costs."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from coaching.models import ActionItem
from tests.programmes.people_programme import build_programme, enrol, member, present, session

pytestmark = pytest.mark.django_db

TABLES = ("maturity", "people", "sessions", "actions")


@pytest.fixture(autouse=True)
def in_english():
    """Column titles and messages are read in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(site_tree):
    return build_programme()


def export_url(company_or_id, table="maturity", fmt="csv"):
    company_id = getattr(company_or_id, "pk", company_or_id)
    url = reverse("programme:company_export", args=[company_id])
    return f"{url}?table={table}&format={fmt}"


def download(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    return response


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content
    assert body.startswith("\ufeff".encode())  # so that Excel reads accents and Arabic right
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def today():
    return timezone.localdate().isoformat()


# What the tables hold


def test_the_lead_downloads_maturity_per_dimension_and_stage_with_changes(client, world):
    response = download(client, world.lead_zellige, export_url(world.zellige, "maturity"))
    assert csv_rows(response) == [
        ["Dimension", "T0", "T1", "Change T0 → T1"],
        ["Strategy", "0", "100", "100"],
        ["Data", "0", "0", "0"],
        ["Overall", "0", "33", "33"],
    ]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="zellige-maturity-')
    assert disposition.endswith('.csv"')


def test_a_company_assessed_once_has_no_change_columns(client, world):
    response = download(client, world.manager, export_url(world.argan, "maturity"))
    assert csv_rows(response) == [
        ["Dimension", "T0"],
        ["Strategy", "100"],
        ["Data", "100"],
        ["Overall", "100"],
    ]


def test_a_company_not_assessed_yet_gets_the_columns_without_rows(client, world):
    response = download(client, world.lead_cedre, export_url(world.cedre, "maturity"))
    assert csv_rows(response) == [["Dimension"]]


def test_the_lead_downloads_each_persons_progress_and_attendance(client, world):
    response = download(client, world.lead_zellige, export_url(world.zellige, "people"))
    assert csv_rows(response) == [
        [
            "Name",
            "Role",
            "Courses followed",
            "Courses completed",
            "Lessons done",
            "Live sessions attended",
        ],
        ["Nadia Zellige", "Company lead", "2", "1", "0", "1"],
        ["Salma Bennani", "Employee", "1", "1", "3", "1"],
        ["Youssef Alaoui", "Employee", "1", "0", "1", "0"],
    ]
    # People's figures left the platform: the audit log says who took them.
    entry = ModelLogEntry.objects.get(action="programmes.personal_data_export")
    assert (entry.object_id, entry.user, entry.data) == (
        str(world.zellige.pk),
        world.lead_zellige,
        {"table": "people", "format": "csv"},
    )


def test_the_sessions_held_with_how_many_people_attended(client, world):
    response = download(client, world.coach_fes, export_url(world.zellige, "sessions"))
    first, second = (s.local_starts_at.date().isoformat() for s in world.sessions)
    assert csv_rows(response) == [
        ["Session", "Date", "Cohort", "People who attended"],
        # Youssef stayed ten minutes of the first: not attended; the session to come is not held.
        ["Vendre en ligne", first, "Promotion Fès", "1"],
        ["Paiement en ligne", second, "Promotion Fès", "1"],
    ]


def test_the_action_plan_with_owners_for_the_lead(client, world):
    response = download(client, world.lead_zellige, export_url(world.zellige, "actions"))
    assert csv_rows(response) == [
        ["Action", "Status", "Due on", "Done on", "Owner"],
        ["Ouvrir WhatsApp Business", "To do", today(), "", "Salma Bennani"],
        ["Créer la page Facebook", "Done", "", today(), ""],
        ["Photographier le catalogue", "Done", "", today(), ""],
    ]


def test_an_employee_downloads_the_action_plan_without_anyones_name(client, world):
    response = download(client, world.salma, export_url(world.zellige, "actions"))
    rows = csv_rows(response)
    assert rows[0] == ["Action", "Status", "Due on", "Done on"]
    assert rows[1] == ["Ouvrir WhatsApp Business", "To do", today(), ""]
    assert "Salma Bennani" not in response.content.decode("utf-8-sig")
    assert not ModelLogEntry.objects.exists()  # nobody's data in it: nothing to log


def test_the_xlsx_holds_the_same_figures_as_numbers(client, world):
    response = download(client, world.lead_zellige, export_url(world.zellige, "people", "xlsx"))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Name"
    assert rows[1:] == [
        ["Nadia Zellige", "Company lead", 2, 1, 0, 1],
        ["Salma Bennani", "Employee", 1, 1, 3, 1],
        ["Youssef Alaoui", "Employee", 1, 0, 1, 0],
    ]

    response = download(client, world.lead_zellige, export_url(world.zellige, "maturity", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Dimension", "T0", "T1", "Change T0 → T1"],
        ["Strategy", 0, 100, 100],
        ["Data", 0, 0, 0],
        ["Overall", 0, 33, 33],
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_action_written_like_a_formula_is_never_run(client, world, fmt):
    ActionItem.objects.create(company=world.zellige, text='=HYPERLINK("http://evil.example")')
    response = download(client, world.lead_zellige, export_url(world.zellige, "actions", fmt))
    if fmt == "csv":
        texts = [row[0] for row in csv_rows(response)]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        texts = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://evil.example")' in texts
    assert not any(text.startswith("=") for text in texts)


# Who may download what


@pytest.mark.parametrize("who", ["lead_zellige", "coach_fes", "manager"])
def test_those_who_read_everyones_figures_download_every_table(client, world, who):
    for table in TABLES:
        download(client, getattr(world, who), export_url(world.zellige, table))


def test_an_employee_is_refused_the_people_table_and_told_what_they_may_download(client, world):
    response = download(client, world.salma, export_url(world.zellige, "people"), status=404)
    message = response.content.decode()
    assert message == "Unknown table. Tables you can export here: maturity, sessions, actions."
    for table in ("maturity", "sessions", "actions"):
        download(client, world.salma, export_url(world.zellige, table))


@pytest.mark.parametrize("who", ["lead_argan", "employee_tannerie", "coach_agadir"])
def test_anyone_else_gets_the_same_404_as_for_a_company_that_does_not_exist(client, world, who):
    for table in TABLES:
        response = download(client, getattr(world, who), export_url(world.zellige, table), 404)
        assert "Zellige" not in response.content.decode()
    download(client, getattr(world, who), export_url(999999), status=404)


def test_the_former_coach_no_longer_downloads_a_company_that_moved(client, world):
    download(client, world.coach_fes, export_url(world.cedre), status=404)
    download(client, world.coach_agadir, export_url(world.cedre))


def test_someone_signed_out_is_sent_to_sign_in(client, world):
    response = client.get(export_url(world.zellige))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_wrong_format_is_a_clear_400(client, world):
    url = export_url(world.zellige, "maturity", "pdf")
    response = download(client, world.lead_zellige, url, status=400)
    assert response.content.decode() == "Unknown format. Choose format=csv or format=xlsx."


@pytest.mark.parametrize("table", ["", "../settings", "companies", "PEOPLE"])
def test_an_unknown_table_is_a_404_naming_the_tables_there_are(client, world, table):
    response = download(client, world.lead_zellige, export_url(world.zellige, table), 404)
    assert response.content.decode() == (
        "Unknown table. Tables you can export here: maturity, people, sessions, actions."
    )


# The page's links


def test_the_report_links_each_table_to_its_downloads(client, world):
    client.force_login(world.lead_zellige)
    html = client.get(reverse("programme:company", args=[world.zellige.pk])).content.decode()
    for table in TABLES:
        for fmt in ("csv", "xlsx"):
            assert f'href="{export_url(world.zellige, table, fmt).replace("&", "&amp;")}"' in html
    assert html.count("Download this table:") == 4
    # Screen readers hear which table each link downloads.
    assert '<span class="visually-hidden"> · Action plan</span>' in html


def test_an_employee_is_offered_no_link_to_the_people_table(client, world):
    client.force_login(world.salma)
    html = client.get(reverse("programme:company", args=[world.zellige.pk])).content.decode()
    assert "table=people" not in html
    assert "table=maturity" in html and "table=actions" in html


# Queries


def _queries(client, user, url):
    client.force_login(user)
    client.get(url)  # caches filled once per process (site, locales) are not the export's cost
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_each_table_costs_the_same_queries_for_two_or_eight_people(client, world):
    now = timezone.now()
    held = session(world.agadir, "Facturer en ligne", now - datetime.timedelta(days=3))
    present(held, world.employee_tannerie, 60)
    assert world.tannerie.memberships.count() == 2
    small = {t: _queries(client, world.manager, export_url(world.tannerie, t)) for t in TABLES}
    for n in range(6):
        person = member(world.tannerie, f"Extra{n}", "Personne")
        enrol(person, completed=True, lessons=2)
        present(held, person, 60)
        ActionItem.objects.create(company=world.tannerie, text=f"Action {n}", owner=person)
    assert world.tannerie.memberships.count() == 8
    large = {t: _queries(client, world.manager, export_url(world.tannerie, t)) for t in TABLES}
    assert large == small
    rows = csv_rows(client.get(export_url(world.tannerie, "sessions")))
    assert rows[1][3] == "7"  # the employee and the six newcomers
