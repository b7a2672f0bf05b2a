"""Reminders to company leads who have not accepted their invitation."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories
from virage_site.companies.models import Invitation, Membership
from virage_site.companies.reminders import send_due_reminders

pytestmark = pytest.mark.django_db

LEAD = Membership.Role.LEAD
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def manager(db):
    return factories.make_user(role="manager")


def invitation(manager, days_ago, role=LEAD, **fields):
    company = factories.make_company(name=f"Entreprise {days_ago}j")
    return Invitation.objects.create(
        company=company,
        email=f"lead{company.pk}@example.ma",
        role=role,
        invited_by=manager,
        created_at=timezone.now() - days_ago * DAY,
        **fields,
    )


def test_a_lead_who_has_not_accepted_after_three_days_is_reminded(site_tree, manager):
    waiting = invitation(manager, days_ago=4)
    recent = invitation(manager, days_ago=2)

    assert send_due_reminders() == 1

    assert [message.to for message in mail.outbox] == [[waiting.email]]
    message = mail.outbox[0]
    assert "Rappel" in message.subject and waiting.company.name in message.subject
    link = re.search(r"https?://\S+", message.body).group(0)
    with translation.override("fr"):
        assert link.endswith(reverse("companies:accept-invitation", args=[waiting.token]))
    waiting.refresh_from_db()
    recent.refresh_from_db()
    assert waiting.reminders_sent == 1 and waiting.last_reminded_at is not None
    assert recent.reminders_sent == 0


def test_reminders_are_spaced_and_stop_at_the_maximum(site_tree, manager):
    waiting = invitation(manager, days_ago=4)
    now = timezone.now()

    assert send_due_reminders(now) == 1
    assert send_due_reminders(now) == 0  # Run again at once: nothing twice.
    assert send_due_reminders(now + 2 * DAY) == 0  # Not yet three days after the first.
    assert send_due_reminders(now + 3 * DAY) == 1
    assert send_due_reminders(now + 7 * DAY) == 0  # Two is the maximum.

    waiting.refresh_from_db()
    assert waiting.reminders_sent == 2
    assert len(mail.outbox) == 2


@override_settings(VIRAGE_INVITATION_REMINDER_DAYS=1, VIRAGE_INVITATION_MAX_REMINDERS=3)
def test_the_delay_and_the_maximum_are_settings(site_tree, manager):
    invitation(manager, days_ago=1)
    now = timezone.now()
    sent = [send_due_reminders(now + day * DAY) for day in range(5)]
    assert sent == [1, 1, 1, 0, 0]


def test_accepted_revoked_expired_and_employee_invitations_get_no_reminder(site_tree, manager):
    invitation(manager, days_ago=4, accepted_at=timezone.now())
    invitation(manager, days_ago=4, revoked_at=timezone.now())
    invitation(manager, days_ago=15)  # Expired after 14 days.
    invitation(manager, days_ago=4, role=Membership.Role.EMPLOYEE)
    near_expiry = invitation(manager, days_ago=12)

    assert send_due_reminders() == 1
    assert [message.to for message in mail.outbox] == [[near_expiry.email]]
    # A reminder would fall after expiry: none is sent.
    assert send_due_reminders(timezone.now() + 3 * DAY) == 0


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=9,  # Nothing listens there: the server refuses the message.
)
def test_a_reminder_the_mail_server_refused_is_tried_again_next_time(site_tree, manager):
    waiting = invitation(manager, days_ago=4)

    assert send_due_reminders() == 0

    waiting.refresh_from_db()
    assert (waiting.reminders_sent, waiting.last_reminded_at) == (0, None)


def test_the_command_sends_the_reminders_due(site_tree, manager, capsys):
    invitation(manager, days_ago=5)

    call_command("send_invitation_reminders")

    assert "1 invitation reminder(s) sent." in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_managers_see_who_accepted_and_who_was_reminded(client, site_tree, manager):
    reminded = invitation(manager, days_ago=4)
    send_due_reminders()
    lead = factories.make_user(email="joined@example.ma")
    accepted = invitation(manager, days_ago=1, accepted_at=timezone.now(), accepted_by=lead)
    client.force_login(manager)

    page = client.get(reverse("invitation:index")).content.decode()

    assert "Reminders sent" in page and "Last reminder" in page
    assert "Accepted by" in page and str(lead) in page
    assert reminded.email in page and accepted.email in page
    only_reminded = client.get(reverse("invitation:index"), {"state": "reminded"}).content.decode()
    assert reminded.email in only_reminded
    assert accepted.email not in only_reminded
    only_accepted = client.get(reverse("invitation:index"), {"state": "accepted"}).content.decode()
    assert accepted.email in only_accepted and reminded.email not in only_accepted
