"""Importing companies from CSV and XLSX files: all rows or none, keyed by ICE."""

import io
import math

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook

from tests import factories
from virage_site.companies.importing import BATCH_SIZE, import_companies
from virage_site.companies.models import Company

pytestmark = pytest.mark.django_db

HEADER = "ice,name,sector,size_band,region,city,lead_email,lead_name"


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their English source text."""
    with translation.override("en"):
        yield


def write_csv(tmp_path, *lines, name="companies.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def row(ice, name="Atlas Digital", sector="digital", size="micro", region="casablanca-settat"):
    return f"{ice},{name},{sector},{size},{region},Casablanca,lead{ice[-3:]}@example.ma,Amina"


def messages(report):
    return [(row, column, message) for row, column, message in report.errors]


def test_a_good_csv_creates_every_company(tmp_path):
    path = write_csv(
        tmp_path,
        HEADER,
        "001234567000089,Atlas Digital,digital,micro,casablanca-settat,Casablanca,"
        "Amina@Example.ma,Amina Alaoui",
        "002345678000012,Souss Argan,Food processing,Small (10 to 49 employees),"
        "Souss-Massa,Agadir,,",
    )

    report = import_companies(path)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    atlas = Company.objects.get(ice="001234567000089")
    assert (atlas.name, atlas.sector, atlas.size_band, atlas.region, atlas.city) == (
        "Atlas Digital",
        "digital",
        "micro",
        "casablanca-settat",
        "Casablanca",
    )
    assert (atlas.lead_email, atlas.lead_name) == ("amina@example.ma", "Amina Alaoui")
    argan = Company.objects.get(ice="002345678000012")
    assert (argan.sector, argan.size_band, argan.region) == ("agrifood", "small", "souss-massa")
    assert (argan.lead_email, argan.lead_name) == ("", "")


def test_columns_in_any_order_and_case_and_labels_in_french_or_english(tmp_path):
    path = write_csv(
        tmp_path,
        " Region ;CITY; Name ;ICE;Size_Band;sector",
        "Fès-Meknès;Fès;Dar Zellige;001 234 567 000 089;Très petite (moins de 10 salariés);"
        "Artisanat",
        "fes meknes;Meknès;Meknès Olive;002.345.678.000.012;LARGE;Manufacturing",
        "FES-MEKNES;Ifrane;Ifrane Bois;003-456-789-000-034;medium;textile",
    )

    report = import_companies(path)

    assert report.ok, report.errors
    assert set(Company.objects.values_list("region", flat=True)) == {"fes-meknes"}
    zellige = Company.objects.get(ice="001234567000089")
    assert (zellige.sector, zellige.size_band) == ("handicrafts", "micro")
    assert Company.objects.get(ice="002345678000012").size_band == "large"


def test_bom_and_arabic_and_french_names_are_kept_exactly(tmp_path):
    path = write_csv(
        tmp_path,
        HEADER,
        "001234567000089,  شركة الأطلس للرقميات  ,digital,micro,casablanca-settat,الدار البيضاء,,",
        "002345678000012,Société Générale d'Éléments,retail,small,oriental,Oujda,,Rachid Benali",
        encoding="utf-8-sig",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    report = import_companies(path)

    assert report.ok, report.errors
    arabic = Company.objects.get(ice="001234567000089")
    assert (arabic.name, arabic.city) == ("شركة الأطلس للرقميات", "الدار البيضاء")
    assert Company.objects.get(ice="002345678000012").name == "Société Générale d'Éléments"


def test_semicolon_delimited_csv_with_commas_in_names(tmp_path):
    """As a spreadsheet in a French locale saves CSV: semicolons, Windows line endings."""
    path = tmp_path / "companies.csv"
    lines = [
        HEADER.replace(",", ";"),
        '001234567000089;"Atlas, Digital; & Co";digital;micro;rabat-sale-kenitra;Rabat;;',
    ]
    path.write_bytes("\r\n".join(lines).encode() + b"\r\n")

    report = import_companies(path)

    assert report.ok, report.errors
    company = Company.objects.get()
    assert (company.name, company.region) == ("Atlas, Digital; & Co", "rabat-sale-kenitra")


def test_xlsx_with_an_ice_stored_as_a_number(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ICE", "Name", "Sector", "Size_band", "Region", "City", "Lead_email"])
    sheet.append([1234567000089, "Atlas Digital", "digital", "micro", "Casablanca-Settat", "Casa"])
    sheet.append([234567800001234.0, "Fès Cuir", "textile", "small", "Fès-Meknès", "Fès"])
    sheet.append(["003456789000034", "  مطبعة الشمال ", "retail", "micro", "oriental", "Nador"])
    sheet.append([None] * 7)  # An empty row, as spreadsheets often leave below the data.
    path = tmp_path / "companies.xlsx"
    workbook.save(path)

    report = import_companies(path)

    assert report.ok, report.errors
    assert report.created == 3
    assert Company.objects.get(ice="001234567000089").name == "Atlas Digital"
    assert Company.objects.get(ice="234567800001234").region == "fes-meknes"
    assert Company.objects.get(ice="003456789000034").name == "مطبعة الشمال"


def test_an_uploaded_file_object_is_read_like_a_path(tmp_path):
    data = "\n".join([HEADER, row("001234567000089")]).encode()

    report = import_companies(io.BytesIO(data))

    assert report.ok, report.errors
    assert Company.objects.filter(ice="001234567000089").exists()


def test_reimport_updates_by_ice_without_duplicating(tmp_path):
    kept = factories.make_company(
        ice="001234567000089",
        name="Atlas Digital",
        sector="digital",
        size_band="micro",
        region="casablanca-settat",
        city="Casablanca",
        lead_email="lead089@example.ma",
        lead_name="Amina",
    )
    changed = factories.make_company(ice="002345678000012", name="Old name", city="Tanger")
    path = write_csv(
        tmp_path,
        HEADER,
        row("001234567000089"),
        row("002345678000012", name="Souss Argan", region="souss-massa"),
        row("003456789000034", name="New company"),
    )

    report = import_companies(path)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert Company.objects.count() == 3
    changed.refresh_from_db()
    assert (changed.name, changed.region, changed.city, changed.lead_email) == (
        "Souss Argan",
        "souss-massa",
        "Casablanca",
        "lead012@example.ma",
    )
    kept.refresh_from_db()
    assert kept.name == "Atlas Digital"

    again = import_companies(path)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Company.objects.count() == 3


def test_without_lead_columns_existing_lead_contacts_are_kept(tmp_path):
    factories.make_company(ice="001234567000089", lead_email="a@example.ma", lead_name="Amina")
    path = write_csv(
        tmp_path,
        "ice,name,sector,size_band,region,city",
        "001234567000089,Atlas Digital,digital,micro,casablanca-settat,Casablanca",
    )

    report = import_companies(path)

    assert report.ok and report.updated == 1
    company = Company.objects.get()
    assert (company.name, company.lead_email, company.lead_name) == (
        "Atlas Digital",
        "a@example.ma",
        "Amina",
    )


BAD_ROWS = [
    (row("12345"), "ice", "The ICE must be exactly 15 digits"),
    (row("00123456700008A"), "ice", "The ICE must be exactly 15 digits"),
    (row("003456789000034", region="Atlantis"), "region", "Unknown region «Atlantis»."),
    (row("003456789000034", sector="Mining"), "sector", "Unknown sector «Mining»."),
    (row("003456789000034", size="huge"), "size_band", "Unknown size band «huge»."),
    (
        "003456789000034,Atlas,digital,micro,oriental,Oujda,not-an-email,",
        "lead_email",
        "Enter a valid email address.",
    ),
    (row("003456789000034", name=""), "name", "This field cannot be blank."),
    (row("003456789000034", name="x" * 201), "name", "at most 200 characters"),
    (row("003456789000034", region=""), "region", "This field cannot be blank."),
    ("003456789000034,Atlas,digital,micro,oriental,,,", "city", "This field cannot be blank."),
    (row("003456789000034") + ",surprise", "", "columns without a heading (column 9)"),
]


@pytest.mark.parametrize("bad_row, column, reason", BAD_ROWS)
def test_a_bad_row_after_good_ones_names_row_and_reason_and_saves_nothing(
    tmp_path, bad_row, column, reason
):
    factories.make_company(ice="001234567000089", name="Before the import")
    path = write_csv(
        tmp_path,
        HEADER,
        row("001234567000089", name="Renamed"),
        row("002345678000012"),
        bad_row,
        row("004567890000056"),
    )

    report = import_companies(path)

    assert not report.ok
    assert len(report.errors) == 1, report.errors
    number, found_column, message = report.errors[0]
    assert (number, found_column) == (4, column)
    assert reason in message
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert list(Company.objects.values_list("ice", "name")) == [
        ("001234567000089", "Before the import")
    ]


def test_every_bad_row_is_reported_at_once(tmp_path):
    path = write_csv(
        tmp_path,
        HEADER,
        row("001234567000089", region="Atlantis"),
        row("002345678000012"),
        "12,,Mining,micro,oriental,Oujda,bad,",
    )

    report = import_companies(path)

    assert messages(report) == [
        (2, "region", "Unknown region «Atlantis»."),
        (4, "ice", "The ICE must be exactly 15 digits (found “12”)."),
        (4, "name", "This field cannot be blank."),
        (4, "sector", "Unknown sector «Mining»."),
        (4, "lead_email", "Enter a valid email address."),
    ]
    assert not Company.objects.exists()


def test_a_duplicate_ice_in_the_file_names_both_rows(tmp_path):
    path = write_csv(
        tmp_path,
        HEADER,
        row("001234567000089"),
        row("002345678000012"),
        row("001 234 567 000 089", name="Same ICE other spelling"),
    )

    report = import_companies(path)

    assert messages(report) == [
        (4, "ice", "The ICE 001234567000089 is also on row 2."),
    ]
    assert not Company.objects.exists()


def test_missing_columns_are_one_error(tmp_path):
    path = write_csv(tmp_path, "ice,name,region", "001234567000089,Atlas,oriental")

    report = import_companies(path)

    assert messages(report) == [(1, "", "Missing columns: sector, size_band, city.")]
    assert not Company.objects.exists()


def test_extra_columns_are_named(tmp_path):
    path = write_csv(
        tmp_path,
        HEADER + ",Phone,website",
        row("001234567000089") + ",0522000000,atlas.ma",
    )

    report = import_companies(path)

    assert len(report.errors) == 1
    number, column, message = report.errors[0]
    assert (number, column) == (1, "")
    assert message.startswith("Unexpected columns: Phone, website.")
    assert not Company.objects.exists()


def test_a_column_given_twice_is_refused(tmp_path):
    path = write_csv(tmp_path, HEADER + ",Name", row("001234567000089") + ",Atlas")

    report = import_companies(path)

    assert messages(report) == [(1, "", "The column «name» appears twice.")]


@pytest.mark.parametrize(
    "content, reason",
    [
        ("", "The file is empty."),
        ("\n\n", "The file is empty."),
        (HEADER + "\n", "The file has no companies below its header row."),
        ("\n" + HEADER + "\n" + row("001234567000089"), "The first row of the file must name"),
    ],
)
def test_an_empty_file_is_refused(tmp_path, content, reason):
    path = tmp_path / "companies.csv"
    path.write_text(content, encoding="utf-8")

    report = import_companies(path)

    assert len(report.errors) == 1
    number, column, message = report.errors[0]
    assert number is None and column == ""
    assert message.startswith(reason)
    assert not Company.objects.exists()


def test_a_file_in_another_encoding_is_refused(tmp_path):
    path = write_csv(tmp_path, HEADER, row("001234567000089", name="Société"), encoding="latin-1")

    report = import_companies(path)

    assert messages(report) == [
        (None, "", "The file is neither an XLSX workbook nor CSV text in UTF-8.")
    ]


def test_dry_run_counts_without_saving(tmp_path):
    factories.make_company(ice="001234567000089", name="Old name")
    path = write_csv(tmp_path, HEADER, row("001234567000089"), row("002345678000012"))

    report = import_companies(path, dry_run=True)

    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert list(Company.objects.values_list("name", flat=True)) == ["Old name"]


def test_progress_reaches_the_total(tmp_path):
    lines = [row(f"{n:015d}") for n in range(1, 601)]
    path = write_csv(tmp_path, HEADER, *lines)
    calls = []

    import_companies(path, progress=lambda done, total: calls.append((done, total)))

    assert calls[-1] == (1200, 1200)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


def test_command_prints_a_summary(tmp_path):
    factories.make_company(ice="001234567000089", name="Atlas Digital", lead_name="Amina")
    path = write_csv(tmp_path, HEADER, row("001234567000089"), row("002345678000012"))
    out, err = io.StringIO(), io.StringIO()

    call_command("import_companies", str(path), stdout=out, stderr=err)

    assert out.getvalue().strip() == "Companies created: 1, updated: 1, unchanged: 0."
    assert err.getvalue() == ""
    assert Company.objects.count() == 2


def test_command_dry_run_saves_nothing(tmp_path):
    path = write_csv(tmp_path, HEADER, row("001234567000089"), row("002345678000012"))
    out = io.StringIO()

    call_command("import_companies", str(path), "--dry-run", stdout=out, stderr=io.StringIO())

    assert "2 companies would be created, 0 updated, 0 unchanged" in out.getvalue()
    assert not Company.objects.exists()


def test_command_lists_every_error_and_fails(tmp_path):
    path = write_csv(
        tmp_path,
        HEADER,
        row("001234567000089"),
        row("002345678000012", region="Atlantis"),
        row("001234567000089"),
    )
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="the file has 2 errors"):
        call_command("import_companies", str(path), stdout=out, stderr=err)

    assert err.getvalue().splitlines() == [
        "Row 3, region: Unknown region «Atlantis».",
        "Row 4, ice: The ICE 001234567000089 is also on row 2.",
    ]
    assert out.getvalue() == ""
    assert not Company.objects.exists()


def test_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot open"):
        call_command("import_companies", str(tmp_path / "nowhere.csv"), stderr=io.StringIO())


def write_many(tmp_path, count, name_prefix="Entreprise", start=1):
    lines = [
        row(f"{n:015d}", name=f"{name_prefix} {n}", region="marrakech-safi")
        for n in range(start, start + count)
    ]
    return write_csv(tmp_path, HEADER, *lines, name=f"{name_prefix}-{count}.csv")


def batch_statements(rows, fields):
    """How many statements saving `rows` objects takes: the import saves BATCH_SIZE at a time,
    which Django splits further where the database limits a statement's parameters."""
    size = connection.ops.bulk_batch_size(fields, [None] * BATCH_SIZE) or BATCH_SIZE
    per_batch = math.ceil(BATCH_SIZE / min(BATCH_SIZE, size))
    full, rest = divmod(rows, BATCH_SIZE)
    return full * per_batch + math.ceil(rest / min(BATCH_SIZE, size))


def count_queries(path):
    with CaptureQueriesContext(connection) as queries:
        report = import_companies(path)
    assert report.ok, report.errors[:5]
    return len(queries), report


def test_five_thousand_rows_import_in_a_bounded_number_of_queries(tmp_path):
    insert_fields = [f for f in Company._meta.concrete_fields if not f.primary_key]
    few, _report = count_queries(write_many(tmp_path, 500, start=100_001))
    many, report = count_queries(write_many(tmp_path, 5000))

    assert report.created == 5000
    assert Company.objects.count() == 5500
    extra_inserts = batch_statements(5000, insert_fields) - batch_statements(500, insert_fields)
    assert many - few <= extra_inserts

    updated_fields = ["name", "sector", "size_band", "region", "city", "lead_email", "lead_name"]
    update_fields = ["pk", "pk", *[Company._meta.get_field(name) for name in updated_fields]]
    updates, report = count_queries(write_many(tmp_path, 5000, name_prefix="Renamed"))

    assert (report.created, report.updated) == (0, 5000)
    assert Company.objects.count() == 5500
    assert Company.objects.filter(name="Renamed 4321").exists()
    # Loading the companies, the transaction, and the update statements: none per row.
    assert updates <= 3 + batch_statements(5000, update_fields)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_command_draws_a_progress_bar_on_a_terminal(tmp_path):
    path = write_csv(tmp_path, HEADER, *[row(f"{n:015d}") for n in range(1, 301)])
    err = Terminal()

    call_command("import_companies", str(path), stdout=io.StringIO(), stderr=err)

    drawn = err.getvalue()
    assert "\r[" in drawn
    assert drawn.rstrip().endswith("] 600/600")
    assert Company.objects.count() == 300
