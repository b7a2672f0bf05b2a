"""Sending and accepting invitations: the one place that decides whether a link is usable."""

import logging
import smtplib
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Invitation, Membership

logger = logging.getLogger(__name__)


class InvitationProblem(Exception):
    """Why a link cannot be used; `reason` picks the explanation shown to the visitor."""

    def __init__(self, reason, invitation=None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


@dataclass
class Outcome:
    invitation: Invitation
    user: object
    created_account: bool


def invitation_from_token(token):
    try:
        key = signing.Signer(salt=Invitation.SIGNING_SALT).unsign(token)
    except signing.BadSignature as error:
        raise InvitationProblem("invalid") from error
    invitation = Invitation.objects.select_related("company", "invited_by").filter(key=key).first()
    if invitation is None:
        raise InvitationProblem("invalid")
    if invitation.revoked_at:
        raise InvitationProblem("revoked", invitation)
    if invitation.accepted_at:
        raise InvitationProblem("used", invitation)
    if invitation.is_expired:
        raise InvitationProblem("expired", invitation)
    return invitation


def invite(*, company, email, role, invited_by, full_name="", request=None, language=None):
    """Create (or renew) the pending invitation for this email and send it. The invitation is
    kept even when the mail server refuses the message: `invitation.sent` says which, and the
    company page offers to send it again."""
    email = email.strip().lower()
    with transaction.atomic():
        Invitation.objects.pending().filter(company=company, email=email).update(
            revoked_at=timezone.now()
        )
        invitation = Invitation.objects.create(
            company=company, email=email, role=role, invited_by=invited_by, full_name=full_name
        )
    invitation.sent = send_invitation_email(invitation, request=request, language=language)
    return invitation


def accept_url(invitation, request=None, language=None):
    with translation.override(language or translation.get_language()):
        path = reverse("companies:accept-invitation", args=[invitation.token])
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.VIRAGE_BASE_URL.rstrip("/") + path


def send_invitation_email(invitation, request=None, language=None, reminder=False, connection=None):
    """Email the invitation's link; `reminder` for the reminder of one not yet accepted;
    `connection` (a mail connection) to send many on one. Whether the server took the message."""
    language = language or translation.get_language()
    template = "invitation_reminder" if reminder else "invitation"
    with translation.override(language):
        context = {
            "invitation": invitation,
            "url": accept_url(invitation, request, language),
        }
        subject = render_to_string(f"companies/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"companies/email/{template}_body.txt", context)
    try:
        send_mail(subject, body, None, [invitation.email], connection=connection)
    except (smtplib.SMTPException, OSError):
        logger.exception("The invitation to %s could not be sent.", invitation.email)
        return False
    return True


@contextmanager
def mail_connection():
    """One connection to the mail server for many invitations. If it cannot be opened, each
    message tries on its own (and says whether it was sent)."""
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        logger.warning("The mail server cannot be reached; each invitation will try again.")
    try:
        yield connection
    finally:
        connection.close()


@transaction.atomic
def accept(invitation, *, user=None, full_name="", password=""):
    """Accept for a signed-in `user`, or create the account from the form's name and password."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at or locked.revoked_at:
        raise InvitationProblem("used", locked)
    created = user is None
    if created:
        first, _sep, last = full_name.strip().partition(" ")
        try:
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    email=locked.email, password=password, first_name=first, last_name=last
                )
        except IntegrityError as error:  # the same link submitted twice at once
            raise InvitationProblem("used", locked) from error
    membership, made = Membership.objects.get_or_create(
        user=user, company=locked.company, defaults={"role": locked.role}
    )
    if not made and locked.role == Membership.Role.LEAD and membership.role != locked.role:
        membership.role = locked.role
        membership.save(update_fields=["role"])
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    return Outcome(invitation=locked, user=user, created_account=created)
