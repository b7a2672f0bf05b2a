"""Reminders to company leads who have not accepted their invitation: one after
VIRAGE_INVITATION_REMINDER_DAYS, another the same number of days after the last, at most
VIRAGE_INVITATION_MAX_REMINDERS, and none once the invitation is accepted, revoked or expired.
Running it again, or twice at once, sends nothing twice."""

import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from . import conf
from .invitations import mail_connection, send_invitation_email
from .models import Invitation, Membership

logger = logging.getLogger(__name__)


def due_reminders(now=None):
    now = now or timezone.now()
    due_before = now - timezone.timedelta(days=conf.get("VIRAGE_INVITATION_REMINDER_DAYS"))
    return (
        Invitation.objects.pending()
        .unexpired(now)
        .filter(
            role=Membership.Role.LEAD,
            reminders_sent__lt=conf.get("VIRAGE_INVITATION_MAX_REMINDERS"),
        )
        .filter(
            Q(last_reminded_at__isnull=True, created_at__lte=due_before)
            | Q(last_reminded_at__lte=due_before)
        )
        .select_related("company")
        .order_by("pk")
    )


def send_due_reminders(now=None):
    """Send the reminders that are due; how many were sent."""
    now = now or timezone.now()
    sent = 0
    with mail_connection() as connection:
        for invitation in due_reminders(now).iterator(chunk_size=200):
            if not _claim(invitation, now):
                continue  # Accepted, revoked or reminded by another run meanwhile.
            # As for bulk invitations, nothing is known of the lead's language.
            if send_invitation_email(
                invitation, language=settings.LANGUAGE_CODE, reminder=True, connection=connection
            ):
                sent += 1
            else:
                _release(invitation)
                connection.close()  # The next message opens a fresh one.
    return sent


def _claim(invitation, now):
    """Count the reminder before sending it, on the condition that nobody else has: of two runs
    at once, one sends it."""
    return (
        Invitation.objects.pending()
        .filter(pk=invitation.pk, reminders_sent=invitation.reminders_sent)
        .update(reminders_sent=F("reminders_sent") + 1, last_reminded_at=now)
    )


def _release(invitation):
    """The mail server refused the reminder: uncount it, so the next run tries again."""
    logger.warning("The reminder to %s will be tried again.", invitation.email)
    Invitation.objects.filter(
        pk=invitation.pk, reminders_sent=invitation.reminders_sent + 1
    ).update(reminders_sent=invitation.reminders_sent, last_reminded_at=invitation.last_reminded_at)
