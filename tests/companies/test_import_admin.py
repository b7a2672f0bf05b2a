"""Importing companies from the administration: the upload becomes a background job that a
worker runs; its page follows it and shows the report, for any programme manager, at any time."""

import io
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook
from wagtail.models import ModelLogEntry

from tests import factories
from tests.companies.jobs_helpers import run_background_worker
from virage_site.companies import jobs, tasks
from virage_site.companies.models import BackgroundJob, Company

pytestmark = pytest.mark.django_db

HEADER = "ice,name,sector,size_band,region,city,lead_email,lead_name"
GOOD_CSV = "\n".join(
    [
        HEADER,
        "001234567000089,Atlas Digital,digital,micro,casablanca-settat,Casablanca,"
        "amina@example.ma,Amina Alaoui",
        "002345678000012,Argane Souss,agrifood,small,souss-massa,Agadir,,",
    ]
).encode()


@pytest.fixture(autouse=True)
def english(client):
    """Pages and messages are asserted in their English source text."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def manager(db):
    return factories.make_user(email="manager@example.ma", role="manager")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def upload(name, content):
    file = io.BytesIO(content)
    file.name = name
    return file


def post_import(client, name, content, callbacks, dry_run=False):
    data = {"file": upload(name, content)}
    if dry_run:
        data["dry_run"] = "on"
    with callbacks(execute=True):
        return client.post(reverse("company_jobs:import"), data)


def the_job():
    return BackgroundJob.objects.get()


def test_an_upload_is_queued_then_the_worker_imports_it(
    manager_client, manager, django_capture_on_commit_callbacks
):
    response = post_import(
        manager_client, "companies.csv", GOOD_CSV, django_capture_on_commit_callbacks
    )

    job = the_job()
    assert response.status_code == 302
    assert response["Location"] == reverse("company_jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.created_by, job.file_name) == (
        "import",
        "queued",
        manager,
        "companies.csv",
    )
    assert bytes(job.file_data) == GOOD_CSV
    assert Company.objects.count() == 0  # Nothing happens until the worker runs.
    started = ModelLogEntry.objects.get(action="companies.job.import")
    assert (started.object_id, started.user) == (str(job.pk), manager)
    page = manager_client.get(response["Location"])
    assert "Waiting to start" in page.content.decode()

    run_background_worker()

    job.refresh_from_db()
    assert job.status == "done"
    assert (job.report["created"], job.report["updated"], job.report["unchanged"]) == (2, 0, 0)
    assert job.done == job.total == 4  # Two rows, each checked then saved.
    assert job.file_data is None  # The leads' addresses are not kept once imported.
    assert set(Company.objects.values_list("name", flat=True)) == {"Atlas Digital", "Argane Souss"}
    page = manager_client.get(response["Location"]).content.decode()
    assert "Companies created: 2, updated: 0, unchanged: 0." in page
    assert "Finished" in page


def test_re_importing_updates_and_reports_unchanged(
    manager_client, django_capture_on_commit_callbacks
):
    post_import(manager_client, "companies.csv", GOOD_CSV, django_capture_on_commit_callbacks)
    run_background_worker()
    changed = GOOD_CSV.replace(b"Argane Souss", b"Argane du Souss")
    post_import(manager_client, "companies.csv", changed, django_capture_on_commit_callbacks)
    run_background_worker()

    latest = BackgroundJob.objects.order_by("-pk").first()
    assert (latest.report["created"], latest.report["updated"], latest.report["unchanged"]) == (
        0,
        1,
        1,
    )
    assert Company.objects.count() == 2


def test_an_xlsx_workbook_is_imported(manager_client, django_capture_on_commit_callbacks):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["001234567000089", "شركة الأطلس", "retail", "micro", "oriental", "Oujda", "", ""])
    content = io.BytesIO()
    workbook.save(content)

    post_import(
        manager_client, "companies.xlsx", content.getvalue(), django_capture_on_commit_callbacks
    )
    run_background_worker()

    assert the_job().report["created"] == 1
    assert Company.objects.get().name == "شركة الأطلس"


def test_a_bad_file_writes_nothing_and_the_page_names_every_bad_row(
    manager_client, django_capture_on_commit_callbacks
):
    content = "\n".join(
        [
            HEADER,
            "001234567000089,Atlas Digital,digital,micro,casablanca-settat,Casablanca,,",
            "123,Short ICE,digital,micro,casablanca-settat,Casablanca,,",
            "002345678000012,Nowhere,digital,micro,atlantis,Rabat,not-an-email,",
            "001234567000089,Atlas Again,digital,micro,casablanca-settat,Casablanca,,",
        ]
    ).encode()

    post_import(manager_client, "companies.csv", content, django_capture_on_commit_callbacks)
    run_background_worker()

    job = the_job()
    assert job.status == "done"
    assert job.report["ok"] is False
    rows = {(error["row"], error["column"]) for error in job.report["errors"]}
    assert rows == {(3, "ice"), (4, "region"), (4, "lead_email"), (5, "ice")}
    assert Company.objects.count() == 0
    page = manager_client.get(reverse("company_jobs:detail", args=[job.pk])).content.decode()
    assert "Nothing was imported: the file has 4 errors." in page
    assert "Unknown region «atlantis»." in page
    assert "The ICE 001234567000089 is also on row 2." in page


def test_a_check_only_run_saves_nothing(manager_client, django_capture_on_commit_callbacks):
    post_import(
        manager_client, "companies.csv", GOOD_CSV, django_capture_on_commit_callbacks, dry_run=True
    )
    run_background_worker()

    job = the_job()
    assert job.dry_run and job.status == "done"
    assert job.report["created"] == 2
    assert Company.objects.count() == 0
    page = manager_client.get(reverse("company_jobs:detail", args=[job.pk])).content.decode()
    assert "Check only, nothing was saved: 2 companies would be created" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("companies.txt", GOOD_CSV, "Choose a CSV or XLSX file"),
        ("companies.xlsx", GOOD_CSV, "is not an Excel workbook"),
        (
            "companies.csv",
            "ice,name\n001234567000089,Société Générale".encode("latin-1"),
            "not in UTF-8",
        ),
        ("companies.csv", b"", "The submitted file is empty."),
    ],
)
def test_files_that_are_not_a_spreadsheet_are_refused_at_once(
    manager_client, name, content, message
):
    response = manager_client.post(reverse("company_jobs:import"), {"file": upload(name, content)})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BackgroundJob.objects.exists()
    assert not ModelLogEntry.objects.exists()


def test_a_workbook_named_csv_is_refused(manager_client):
    workbook = io.BytesIO()
    Workbook().save(workbook)
    response = manager_client.post(
        reverse("company_jobs:import"), {"file": upload("companies.csv", workbook.getvalue())}
    )
    assert response.status_code == 400
    assert "rename it to end in .xlsx" in response.content.decode()


@override_settings(VIRAGE_IMPORT_MAX_MEGABYTES=0.0001)
def test_a_file_over_the_size_limit_is_refused(manager_client):
    response = manager_client.post(
        reverse("company_jobs:import"), {"file": upload("big.csv", GOOD_CSV)}
    )
    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_people_who_are_not_managers_cannot_import_nor_follow_jobs(client, manager):
    job = BackgroundJob.objects.create(kind="import", created_by=manager, file_data=GOOD_CSV)
    urls = [
        reverse("company_jobs:import"),
        reverse("company_jobs:detail", args=[job.pk]),
        reverse("company_jobs:status", args=[job.pk]),
    ]
    editor = factories.make_user(role="editor")  # Has the administration, not companies.
    client.force_login(editor)
    refused = reverse("wagtailadmin_home")  # Wagtail's answer to a refused admin page.
    for url in urls:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, refused), url
    response = client.post(urls[0], {"file": upload("c.csv", GOOD_CSV)})
    assert (response.status_code, response["Location"]) == (302, refused)
    client.force_login(factories.make_user())  # A learner: no administration at all.
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    assert BackgroundJob.objects.count() == 1


def test_any_manager_follows_the_job_from_the_database_alone(
    client, manager_client, django_capture_on_commit_callbacks
):
    post_import(manager_client, "companies.csv", GOOD_CSV, django_capture_on_commit_callbacks)
    job = the_job()
    manager_client.logout()  # The uploader has gone: the job does not depend on their session.
    run_background_worker()

    colleague = factories.make_user(role="manager")
    client.force_login(colleague)
    page = client.get(reverse("company_jobs:detail", args=[job.pk])).content.decode()
    assert "Companies created: 2" in page
    listing = client.get(reverse("company_jobs:import")).content.decode()
    assert reverse("company_jobs:detail", args=[job.pk]) in listing
    assert "companies.csv" in listing


def test_the_status_url_reports_progress_as_json(manager_client, manager):
    job = BackgroundJob.objects.create(
        kind="import", created_by=manager, status="running", total=1000, done=250
    )
    data = manager_client.get(reverse("company_jobs:status", args=[job.pk])).json()
    assert data == {
        "status": "running",
        "status_label": "Running",
        "finished": False,
        "done": 250,
        "total": 1000,
        "percent": 25,
        "progress_text": "Checking the rows: 250 of 500.",
    }
    job.done = 750
    job.save()
    data = manager_client.get(reverse("company_jobs:status", args=[job.pk])).json()
    assert data["progress_text"] == "Saving the companies: 250 of 500."
    missing = manager_client.get(reverse("company_jobs:status", args=[job.pk + 1]), follow=True)
    assert missing.status_code == 404


def test_the_job_page_has_an_accessible_progress_bar_and_works_without_javascript(
    manager_client, manager
):
    job = BackgroundJob.objects.create(
        kind="import", created_by=manager, status="running", total=1000, done=500
    )
    page = manager_client.get(reverse("company_jobs:detail", args=[job.pk])).content.decode()
    assert '<progress max="100" value="50" aria-labelledby="job-progress-title"' in page
    assert 'role="status"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert 'data-job-status-url="{}"'.format(reverse("company_jobs:status", args=[job.pk])) in page
    assert "companies/job_progress.js" in page


def test_a_job_that_crashes_is_marked_failed(
    manager_client, django_capture_on_commit_callbacks, monkeypatch
):
    def broken_importer(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(tasks, "import_companies", broken_importer)
    post_import(manager_client, "companies.csv", GOOD_CSV, django_capture_on_commit_callbacks)
    run_background_worker()

    job = the_job()
    assert (job.status, job.failure) == ("failed", "crashed")
    assert DBTaskResult.objects.get().status == "FAILED"
    page = manager_client.get(reverse("company_jobs:detail", args=[job.pk])).content.decode()
    assert "The job stopped on an unexpected error" in page
    assert "the database went away" not in page  # Internals stay in the server log.


def test_a_job_whose_task_failed_before_starting_does_not_wait_for_ever(
    manager_client, django_capture_on_commit_callbacks, monkeypatch
):
    def broken_claim(*args, **kwargs):
        raise RuntimeError("cannot start")

    monkeypatch.setattr(jobs, "claim", broken_claim)
    post_import(manager_client, "companies.csv", GOOD_CSV, django_capture_on_commit_callbacks)
    run_background_worker()
    assert the_job().status == "queued"

    page = manager_client.get(reverse("company_jobs:detail", args=[the_job().pk])).content.decode()

    assert the_job().status == "failed"
    assert "The job stopped on an unexpected error" in page


def test_a_running_job_without_news_for_too_long_is_given_up(manager_client, manager):
    stalled = BackgroundJob.objects.create(
        kind="import",
        created_by=manager,
        status="running",
        updated_at=timezone.now() - timedelta(hours=2),
    )
    alive = BackgroundJob.objects.create(kind="import", created_by=manager, status="running")

    page = manager_client.get(reverse("company_jobs:detail", args=[stalled.pk])).content.decode()

    stalled.refresh_from_db()
    alive.refresh_from_db()
    assert (stalled.status, stalled.failure) == ("failed", "stalled")
    assert alive.status == "running"
    assert "The job stopped making progress" in page


def test_a_task_delivered_twice_imports_once(manager_client, django_capture_on_commit_callbacks):
    post_import(manager_client, "companies.csv", GOOD_CSV, django_capture_on_commit_callbacks)
    run_background_worker()
    job = the_job()
    finished_at = job.finished_at

    tasks.import_companies_job.call(job.pk)

    job.refresh_from_db()
    assert job.finished_at == finished_at
    assert Company.objects.count() == 2


def test_the_companies_listing_and_the_menu_lead_to_the_import(manager_client):
    listing = manager_client.get(reverse("company:index")).content.decode()
    assert reverse("company_jobs:import") in listing
    assert "Import companies" in listing
    home = manager_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("company_jobs:import") in home


def test_editors_see_no_import_in_the_menu(client):
    client.force_login(factories.make_user(role="editor"))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("company_jobs:import") not in home


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_others_while_the_import_runs(manager, monkeypatch):
    """The job page reads progress on its own connection while the worker imports: progress
    written during the check is visible, and on PostgreSQL so is progress written inside the
    importer's saving transaction, before any company of it is."""
    rows = [HEADER] + [
        f"{number:015d},Entreprise {number},retail,micro,oriental,Oujda,,"
        for number in range(1, 601)
    ]
    job = BackgroundJob.objects.create(
        kind="import", created_by=manager, file_data="\n".join(rows).encode()
    )
    seen = []
    write = jobs.ProgressWriter.__call__

    def write_then_look(writer, done, total):
        write(writer, done, total)
        saving = done > total // 2
        if saving and connection.vendor != "postgresql":
            return  # SQLite: one writer at a time, nothing shown inside the transaction.

        def look():  # A thread of its own has a database connection of its own.
            row = BackgroundJob.objects.get(pk=job.pk)
            seen.append((done, row.done, row.status, Company.objects.count()))
            connection.close()

        reader = threading.Thread(target=look)
        reader.start()
        reader.join()

    monkeypatch.setattr(jobs.ProgressWriter, "__call__", write_then_look)
    jobs.enqueue_on_commit(job, tasks.import_companies_job)
    run_background_worker()

    checking = [entry for entry in seen if entry[0] <= 600]
    assert (250, 250, "running", 0) in checking
    if connection.vendor == "postgresql":
        saving = [entry for entry in seen if 600 < entry[0] < 1200]
        assert saving, seen
        for written, read, status, companies in saving:
            assert (read, status, companies) == (written, "running", 0)
    job.refresh_from_db()
    assert job.status == "done" and Company.objects.count() == 600
