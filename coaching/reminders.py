"""Email reminders of live sessions, sent by a background process (`manage.py
send_session_reminders --loop`), never by a request.

Each participant (the cohort's members and its coaches) receives a reminder the day before
(within 24 hours of the start, unless it is scheduled within two hours: the hour's reminder is
then enough) and one within the hour. A ReminderSent row is written *before* the email goes:
two processes, or a process restarted mid-round, never send the same reminder twice. An email
the server could not take (busy, unreachable) gives its row back, to be tried again next round;
an address it refuses keeps its row, marked refused, and is logged once. Rows are keyed by the
session's revision, which rises whenever its time or place changes, so a rescheduled session is
announced again — even back to a time announced before — and never twice for one revision.

Emails are in the person's preferred language (their Wagtail admin profile) or in the platform's
(French), with the subject line in the other languages at the end, for a reader of another one.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from virage_site.companies.models import Membership

from .models import Cohort, LiveSession, ReminderSent
from .models.sessions import SESSION_TIME_ZONE
from .placements import companies_in

logger = logging.getLogger(__name__)

SOON = "soon"  # within the hour
DAY_BEFORE = "day"  # within 24 hours
SOON_WITHIN = timedelta(hours=1)
DAY_BEFORE_WITHIN = timedelta(hours=24)
# Closer than this, a "day before" reminder would come just before the hour's one: skipped.
DAY_BEFORE_NOT_WITHIN = timedelta(hours=2)


def reminder_kind(session, now):
    """Which reminder is due now for `session`, if any (only one: the nearest)."""
    lead = session.starts_at - now
    if lead <= timedelta(0):
        return None
    if lead <= SOON_WITHIN:
        return SOON
    if DAY_BEFORE_NOT_WITHIN < lead <= DAY_BEFORE_WITHIN:
        return DAY_BEFORE
    return None


def due_sessions(now):
    return LiveSession.objects.filter(
        ended_at__isnull=True, starts_at__gt=now, starts_at__lte=now + DAY_BEFORE_WITHIN
    ).select_related("cohort")


def recipients(session):
    """The cohort's members and coaches who can receive email, each once, with their preferred
    language: one query."""
    members = Membership.objects.filter(company__in=companies_in(session.cohort_id)).values(
        "user_id"
    )
    coaches = Cohort.coaches.through.objects.filter(cohort_id=session.cohort_id).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(pk__in=members) | Q(pk__in=coaches))
        .exclude(email="")
        .annotate(preferred_language=F("wagtail_userprofile__preferred_language"))
        .order_by("pk")
    )


def language_for(user):
    codes = {code for code, _name in settings.LANGUAGES}
    preferred = getattr(user, "preferred_language", None)
    return preferred if preferred in codes else settings.LANGUAGE_CODE


def absolute(path):
    return settings.VIRAGE_BASE_URL.rstrip("/") + path


def _subject(context, language):
    with translation.override(language):
        return " ".join(render_to_string("coaching/email/reminder_subject.txt", context).split())


def build_message(session, user, kind, language):
    context = {"session": session, "kind": kind, "user": user}
    with timezone.override(SESSION_TIME_ZONE), translation.override(language):
        context["page_url"] = absolute(reverse("coaching:session", args=[session.pk]))
        context["calendar_url"] = absolute(reverse("coaching:session-ics", args=[session.pk]))
        context["other_subjects"] = [
            (name, _subject(context, code)) for code, name in settings.LANGUAGES if code != language
        ]
        subject = _subject(context, language)
        body = render_to_string("coaching/email/reminder_body.txt", context)
    return EmailMessage(subject, body, None, [user.email])


def remind(session, kind, connection):
    """Sends the `kind` reminder of `session` to everyone who has not had it for this revision.
    Returns the number of emails sent."""
    already = set(
        ReminderSent.objects.filter(
            session=session, kind=kind, revision=session.revision
        ).values_list("user_id", flat=True)
    )
    sent = 0
    for user in recipients(session):
        if user.pk in already:
            continue
        try:
            with transaction.atomic():
                claim = ReminderSent.objects.create(
                    session=session,
                    user=user,
                    kind=kind,
                    revision=session.revision,
                    starts_at=session.starts_at,
                )
        except IntegrityError:
            continue  # another process claimed it first
        message = build_message(session, user, kind, language_for(user))
        try:
            connection.send_messages([message])
        except smtplib.SMTPRecipientsRefused:
            # Trying again every minute would be refused again: kept as refused, logged once.
            logger.warning(
                "The mail server refused the address of user %s: no %s reminder of session %s.",
                user.pk,
                kind,
                session.pk,
            )
            ReminderSent.objects.filter(pk=claim.pk).update(refused=True)
            continue
        except (smtplib.SMTPException, OSError):
            logger.exception("The reminder of session %s to %s was refused.", session.pk, user.pk)
            claim.delete()
            continue
        sent += 1
    return sent


def send_due_reminders(now=None):
    """One round: every reminder due now. Returns the number of emails sent."""
    now = now or timezone.now()
    due = [(s, reminder_kind(s, now)) for s in due_sessions(now)]
    due = [(session, kind) for session, kind in due if kind is not None]
    if not due:
        return 0  # no connection to the mail server for nothing
    sent = 0
    with get_connection() as connection:
        for session, kind in due:
            sent += remind(session, kind, connection)
    return sent
