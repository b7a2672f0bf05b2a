"""Exports as a spreadsheet opens them, and the PDF report."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, small_programme):
    client.force_login(small_programme.manager)
    return client


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def read_csv(response):
    assert response.content.startswith("\ufeff".encode())  # Excel reads UTF-8 with a BOM
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response):
    return load_workbook(io.BytesIO(response.content)).active


def test_levels_as_csv(manager_client):
    response = manager_client.get(reverse("programme:export"), {"table": "levels", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="levels-' in response["Content-Disposition"]
    assert read_csv(response) == [
        ["Level", "Companies", "% of companies"],
        ["Basic", "0", "0.0"],
        ["Average", "1", "25.0"],
        ["Moderately advanced", "1", "25.0"],
        ["Advanced", "1", "25.0"],
        ["Not assessed yet", "1", "25.0"],
    ]


def test_before_after_as_xlsx_with_the_page_filters(manager_client):
    response = manager_client.get(
        reverse("programme:export"),
        {"table": "change_by_group", "format": "xlsx", "group": "sector", "compare": "T0-T1"},
    )
    assert response.status_code == 200
    sheet = read_xlsx(response)
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["Sector", "Companies", "Average at T0", "Average at T1", "Change T0 → T1"],
        ["Retail trade", 1, 30, 60, 30],
        ["Tourism, hotels and restaurants", 1, 10, 35, 25],
    ]
    narrowed = manager_client.get(
        reverse("programme:export"),
        {"table": "change_by_group", "format": "xlsx", "group": "sector", "sector": "tourism"},
    )
    assert [row[0].value for row in read_xlsx(narrowed).iter_rows(min_row=2)] == [
        "Tourism, hotels and restaurants"
    ]


def test_company_names_cannot_become_formulas(client, small_programme):
    p = small_programme
    p.atlas.name = '=HYPERLINK("http://evil.example","ok")'
    p.atlas.save()
    p.souss.name = "مقاولة سوس"
    p.souss.save()
    client.force_login(p.manager)
    address = reverse("programme:cohort_export", args=[p.cohort_a.pk])
    rows = read_csv(client.get(address, {"table": "cohort_companies", "format": "csv"}))
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","ok")' in names
    assert "مقاولة سوس" in names
    sheet = read_xlsx(client.get(address, {"table": "cohort_companies", "format": "xlsx"}))
    cells = {cell.value: cell for cell in sheet["A"]}
    formula = cells['\'=HYPERLINK("http://evil.example","ok")']
    assert formula.data_type == "s"
    assert "مقاولة سوس" in cells


def test_negative_changes_stay_numbers(client, small_programme):
    from tests.programmes.conftest import submit

    p = small_programme
    submit(p.instrument, p.rabat, "T1", 70, "moderately_advanced", {"D1": 60, "D2": 75}, 1)
    client.force_login(p.manager)
    response = client.get(
        reverse("programme:export"),
        {"table": "change_by_group", "format": "csv", "group": "cohort"},
    )
    assert read_csv(response)[2] == ["Promotion B", "1", "80.0", "70.0", "-10.0"]


@pytest.mark.parametrize(
    "query,status,message",
    [
        ({"table": "salaries", "format": "csv"}, 404, "Unknown table"),
        ({"table": "levels", "format": "pdf"}, 400, "Unknown format"),
        ({"table": "levels"}, 400, "Unknown format"),
        ({"table": "change_by_group", "format": "csv"}, 400, "group="),
        ({"table": "levels", "format": "csv", "region": "atlantis"}, 400, "Invalid filters"),
    ],
)
def test_bad_export_requests_are_explained(manager_client, query, status, message):
    response = manager_client.get(reverse("programme:export"), query)
    assert response.status_code == status
    assert message in response.content.decode()


def test_unknown_cohort_table(manager_client, small_programme):
    response = manager_client.get(
        reverse("programme:cohort_export", args=[small_programme.cohort_a.pk]),
        {"table": "levels-of-everyone", "format": "csv"},
    )
    assert response.status_code == 404
    assert "cohort_companies" in response.content.decode()


def test_programme_report_is_a_pdf(manager_client):
    response = manager_client.get(reverse("programme:report_pdf"), {"group": "sector"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_programme_report_in_arabic(client, small_programme):
    small_programme.souss.name = "مقاولة سوس"
    small_programme.souss.save()
    client.force_login(small_programme.manager)
    with translation.override("ar"):
        address = reverse("programme:report_pdf")
    response = client.get(address)
    assert response.content.startswith(b"%PDF")


def test_bad_report_filters_are_explained(manager_client):
    response = manager_client.get(reverse("programme:report_pdf"), {"compare": "T9-T0"})
    assert response.status_code == 400
    assert "Invalid filters" in response.content.decode()


def test_exports_need_no_results_to_work(client, db):
    manager = factories.make_user(role="manager")
    client.force_login(manager)
    for table in ("companies", "levels", "dimensions", "before_after", "attendance"):
        response = client.get(reverse("programme:export"), {"table": table, "format": "xlsx"})
        assert response.status_code == 200, table
