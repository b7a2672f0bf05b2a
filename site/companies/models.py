"""Companies taking part in a programme, the people who belong to them, and invitations."""

import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Region, Sector, SizeBand
from .validators import ICEField

EARLIEST_FOUNDING_YEAR = 1900


def validate_not_in_the_future(year):
    # A function rather than MaxValueValidator(this year), which migrations would freeze.
    if year is not None and year > timezone.localdate().year:
        raise ValidationError(
            _("The founding year cannot be later than %(year)s."),
            code="future_year",
            params={"year": timezone.localdate().year},
        )


class Company(models.Model):
    name = models.CharField(_("name"), max_length=200)
    ice = ICEField(
        _("ICE"),
        unique=True,
        help_text=_("Common company identifier (Identifiant Commun de l'Entreprise): 15 digits."),
    )
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    secondary_sector = models.CharField(
        _("secondary sector"), max_length=32, choices=Sector.choices, blank=True
    )
    size_band = models.CharField(_("size"), max_length=16, choices=SizeBand.choices)
    region = models.CharField(_("region"), max_length=40, choices=Region.choices)
    city = models.CharField(_("city"), max_length=100)
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_FOUNDING_YEAR), validate_not_in_the_future],
    )
    lead_email = models.EmailField(_("lead's email address"), blank=True)
    lead_name = models.CharField(_("lead's name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Company lead")
        EMPLOYEE = "employee", _("Employee")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.EMPLOYEE)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="one_membership_per_company")
        ]

    def __str__(self):
        return f"{self.user} · {self.company} ({self.get_role_display()})"


def new_invitation_key():
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def unexpired(self, now=None):
        age = timezone.timedelta(days=settings.VIRAGE_INVITATION_MAX_AGE_DAYS)
        return self.filter(created_at__gt=(now or timezone.now()) - age)


class Invitation(models.Model):
    """An invitation to join a company. The emailed link carries a signed random key: the
    signature turns forged links away before any lookup, `created_at` makes it expire (a resent
    invitation starts a new period), `accepted_at` makes it single-use."""

    SIGNING_SALT = "virage.companies.invitation"

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=16, choices=Membership.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    key = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.company}"

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = new_invitation_key()
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def token(self):
        return signing.Signer(salt=self.SIGNING_SALT).sign(self.key)

    @property
    def expires_at(self):
        return self.created_at + timezone.timedelta(days=settings.VIRAGE_INVITATION_MAX_AGE_DAYS)

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    def state(self):
        if self.accepted_at:
            return _("Accepted")
        if self.revoked_at:
            return _("Revoked")
        if self.is_expired:
            return _("Expired")
        return _("Pending")

    state.short_description = _("state")


class BackgroundJob(models.Model):
    """Work a programme manager starts from the administration and a background worker carries
    out: importing a spreadsheet of companies, or inviting the leads of many companies. The row
    holds the job's whole state (progress, outcome), so the page that follows it needs nothing
    else: closing the browser loses nothing, and any manager can follow any job.

    The uploaded spreadsheet is kept in the row itself (`file_data`, at most a few megabytes)
    rather than under MEDIA_ROOT: the worker may run on another machine than the web server with
    nothing shared but the database, the file holds personal data (leads' addresses) that must
    never be reachable by a media URL, and it is dropped once the import is done."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("Company import")
        INVITE_LEADS = "invite_leads", _("Invitations to company leads")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    class Failure(models.TextChoices):
        CRASHED = (
            "crashed",
            _("The job stopped on an unexpected error (recorded in the server log)."),
        )
        STALLED = (
            "stalled",
            _("The job stopped making progress: the background worker was probably stopped."),
        )
        NOT_QUEUED = "not_queued", _("The job could not be handed to the background worker.")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    failure = models.CharField(_("failure"), max_length=16, choices=Failure.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # The language of whoever started the job: its messages (an import's row errors) are
    # written in it.
    language = models.CharField(_("language"), max_length=16, blank=True)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    file_data = models.BinaryField(null=True, editable=False)
    dry_run = models.BooleanField(_("check only"), default=False)
    # Which companies a bulk invitation is for: the filters chosen in the administration.
    selection = models.JSONField(_("selection"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    # Moves with every progress written: a running job whose heartbeat stops is stale.
    updated_at = models.DateTimeField(_("last progress"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "updated_at"], name="companies_job_status")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, 100 * self.done // self.total)
