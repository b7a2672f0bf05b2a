"""Inviting many company leads at once from the administration, as a background job."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories
from tests.companies.jobs_helpers import run_background_worker
from virage_site.companies import bulk_invitations
from virage_site.companies.choices import Sector
from virage_site.companies.models import BackgroundJob, Invitation, Membership

pytestmark = pytest.mark.django_db

LEAD = Membership.Role.LEAD


@pytest.fixture(autouse=True)
def english(client):
    """Pages are asserted in their English source text."""
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


@pytest.fixture
def programme(site_tree, manager):
    """Companies in every situation a bulk invitation meets."""
    make = factories.make_company
    companies = {
        "fresh": make(
            name="Atlas Digital", lead_email="Amina@Example.ma", lead_name="Amina Alaoui"
        ),
        "fresh_food": make(
            name="Argane Souss", sector="agrifood", lead_email="said@example.ma", lead_name="Saïd"
        ),
        "no_email": make(name="Dar Zellige", lead_name="Karim"),
        "joined": make(name="Tanger Textile", lead_email="lead@tanger.ma"),
        "invited": make(name="Fès Cuir", lead_email="lead@fes.ma"),
        "expired": make(name="Oujda Bois", lead_email="lead@oujda.ma", lead_name="Nadia"),
        "accepted": make(name="Rabat Conseil", lead_email="lead@rabat.ma"),
    }
    factories.add_member(companies["joined"], role=LEAD)
    Invitation.objects.create(
        company=companies["invited"], email="lead@fes.ma", role=LEAD, invited_by=manager
    )
    Invitation.objects.create(
        company=companies["expired"],
        email="lead@oujda.ma",
        role=LEAD,
        invited_by=manager,
        created_at=timezone.now() - timedelta(days=30),
    )
    Invitation.objects.create(
        company=companies["accepted"],
        email="lead@rabat.ma",
        role=LEAD,
        invited_by=manager,
        accepted_at=timezone.now(),
    )
    return companies


def start(client, callbacks, **selection):
    with callbacks(execute=True):
        return client.post(reverse("company_jobs:invite_leads"), selection)


def test_the_page_says_what_would_be_sent_before_anything_is(manager_client, programme):
    page = manager_client.get(reverse("company_jobs:invite_leads"))

    assert page.status_code == 200
    assert page.context["counts"] == {
        "selected": 7,
        "to_invite": 3,  # Atlas, Argane, and Oujda whose invitation expired.
        "already_joined": 2,
        "already_invited": 1,
        "without_email": 1,
    }
    assert "Invite 3 company leads" in page.content.decode()
    assert Invitation.objects.count() == 3  # Those of the fixture: nothing is sent yet.
    assert mail.outbox == []


def test_inviting_creates_one_lead_invitation_per_company_and_emails_it(
    manager_client, manager, programme, django_capture_on_commit_callbacks
):
    response = start(manager_client, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("company_jobs:detail", args=[job.pk])
    assert (job.kind, job.status) == ("invite_leads", "queued")
    assert mail.outbox == []

    run_background_worker()

    job.refresh_from_db()
    assert job.status == "done"
    assert (job.report["invited"], job.report["already_joined"], job.report["already_invited"]) == (
        3,
        2,
        1,
    )
    assert [company["name"] for company in job.report["without_email"]] == ["Dar Zellige"]
    assert job.done == job.total == 7
    atlas = Invitation.objects.get(company=programme["fresh"], accepted_at=None)
    assert (atlas.email, atlas.full_name, atlas.role, atlas.invited_by) == (
        "amina@example.ma",
        "Amina Alaoui",
        LEAD,
        manager,
    )
    assert sorted(message.to[0] for message in mail.outbox) == [
        "amina@example.ma",
        "lead@oujda.ma",
        "said@example.ma",
    ]
    message = next(message for message in mail.outbox if message.to == ["amina@example.ma"])
    assert "Atlas Digital" in message.subject
    link = re.search(r"https?://\S+", message.body).group(0)
    # French, the platform's language: nothing is known of the lead's own.
    assert link.endswith(reverse_in("fr", "companies:accept-invitation", atlas.token))
    page = manager_client.get(response["Location"]).content.decode()
    assert "Dar Zellige" in page
    assert reverse("company:edit", args=[programme["no_email"].pk]) in page


def reverse_in(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


def test_the_emailed_link_makes_the_lead_a_company_lead(
    client, manager_client, programme, django_capture_on_commit_callbacks
):
    start(manager_client, django_capture_on_commit_callbacks)
    run_background_worker()
    message = next(message for message in mail.outbox if message.to == ["said@example.ma"])
    link = re.search(r"https?://\S+", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()

    client.post(
        "/" + path,
        {
            "full_name": "Saïd Amrani",
            "password1": "Argane-2026-Souss!",
            "password2": "Argane-2026-Souss!",
        },
    )

    membership = Membership.objects.get(company=programme["fresh_food"])
    assert (membership.user.email, membership.role) == ("said@example.ma", LEAD)


def test_running_it_again_invites_nobody_twice(
    manager_client, programme, django_capture_on_commit_callbacks
):
    start(manager_client, django_capture_on_commit_callbacks)
    run_background_worker()
    sent = len(mail.outbox)
    invitations = Invitation.objects.count()

    again = start(manager_client, django_capture_on_commit_callbacks)

    assert again.status_code == 400
    assert "No company of this selection has a lead left to invite." in again.content.decode()
    assert BackgroundJob.objects.count() == 1
    # Even a job queued before the first ran (two managers at once) invites nobody twice.
    report = bulk_invitations.invite_leads({}, invited_by=None)
    assert (report["invited"], report["already_invited"]) == (0, 4)
    assert Invitation.objects.count() == invitations
    assert len(mail.outbox) == sent


def test_the_filtered_selection_alone_is_invited(
    manager_client, programme, django_capture_on_commit_callbacks
):
    preview = manager_client.get(reverse("company_jobs:invite_leads"), {"sector": "agrifood"})
    assert preview.context["counts"]["to_invite"] == 1

    start(manager_client, django_capture_on_commit_callbacks, sector="agrifood")
    run_background_worker()

    assert [message.to for message in mail.outbox] == [["said@example.ma"]]
    job = BackgroundJob.objects.get()
    assert job.selection == {"sector": "agrifood"}
    page = manager_client.get(reverse("company_jobs:detail", args=[job.pk])).content.decode()
    assert f"Sector: {Sector.AGRIFOOD.label}" in page


def test_a_search_selects_by_name_ice_or_city(programme):
    assert bulk_invitations.preview({"q": "atlas"})["to_invite"] == 1
    assert bulk_invitations.preview({"q": programme["no_email"].ice})["without_email"] == 1


def test_a_bad_filter_is_refused_with_a_message(manager_client, programme):
    response = manager_client.get(reverse("company_jobs:invite_leads"), {"region": "atlantis"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = manager_client.post(reverse("company_jobs:invite_leads"), {"region": "atlantis"})
    assert response.status_code == 400
    assert not BackgroundJob.objects.exists()


def test_the_companies_listing_carries_its_filters_to_the_invitation_page(
    manager_client, programme
):
    listing = manager_client.get(reverse("company:index"), {"sector": "agrifood"}).content.decode()
    assert reverse("company_jobs:invite_leads") + "?sector=agrifood" in listing


def test_only_managers_invite_in_bulk(client, programme):
    client.force_login(factories.make_user(role="editor"))
    response = client.get(reverse("company_jobs:invite_leads"))
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    response = client.post(reverse("company_jobs:invite_leads"), {})
    assert response.status_code == 302
    lead = factories.add_member(programme["joined"], role=LEAD)
    client.force_login(lead)
    response = client.post(reverse("company_jobs:invite_leads"), {})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not BackgroundJob.objects.exists()
    assert mail.outbox == []


def test_batches_keep_the_number_of_queries_bounded(site_tree, monkeypatch):
    def companies(count, prefix):
        for number in range(count):
            factories.make_company(lead_email=f"{prefix}{number}@example.ma", city=prefix)

    companies(5, "small")
    with CaptureQueriesContext(connection) as few:
        bulk_invitations.invite_leads({"q": "small"}, invited_by=None)
    companies(25, "large")
    with CaptureQueriesContext(connection) as many:
        bulk_invitations.invite_leads({"q": "large"}, invited_by=None)

    assert len(mail.outbox) == 30
    assert len(many) == len(few)
    monkeypatch.setattr(bulk_invitations, "BATCH_SIZE", 10)
    companies(25, "batched")
    with CaptureQueriesContext(connection) as batched:
        bulk_invitations.invite_leads({"q": "batched"}, invited_by=None)
    per_batch = len(few) - 1  # One query lists the selection, then each batch costs the same.
    assert len(batched) == 1 + 3 * per_batch


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=9,  # Nothing listens there: the server refuses every message.
)
def test_invitations_the_mail_server_refused_are_kept_and_listed(
    manager_client, programme, django_capture_on_commit_callbacks
):
    start(manager_client, django_capture_on_commit_callbacks, q="Atlas")
    run_background_worker()

    job = BackgroundJob.objects.get()
    assert job.status == "done"
    assert job.report["not_sent"] == [
        {
            "id": programme["fresh"].pk,
            "name": "Atlas Digital",
            "ice": programme["fresh"].ice,
            "email": "amina@example.ma",
        }
    ]
    assert Invitation.objects.filter(company=programme["fresh"]).exists()
    page = manager_client.get(reverse("company_jobs:detail", args=[job.pk])).content.decode()
    assert "Invitations the mail server refused" in page
    assert reverse("companies:detail", args=[programme["fresh"].pk]) in page
