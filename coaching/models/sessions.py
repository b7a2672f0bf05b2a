"""Live sessions: a cohort's scheduled coaching sessions, each with its own live room.

Sessions are scheduled in Morocco's time (Africa/Casablanca): coaches enter times in it and
pages show it, naming the zone; browsers then convert to the viewer's own zone.

A session is **over** when its coach ended it, when its scheduled end has passed and its room
never opened, or half an hour after its scheduled end whatever the room's state (a room left
open then is either abandoned, and the reminder process ends it, or overrunning, and nobody new
is invited in). Lists, the dashboard, the join button and the calendar link all ask `is_over`
or its query twin `over()`."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cohorts import Cohort

LONGEST_SESSION = timedelta(hours=8)
SESSION_TIME_ZONE = ZoneInfo("Africa/Casablanca")
# Participants may enter the room this long before the start (the room waits for its coach).
JOIN_EARLY = timedelta(minutes=15)
# How long after its scheduled end a room still open counts as running.
OVERRUN = timedelta(minutes=30)
# What calendars and reminders announce: changing one of these raises the session's revision.
ANNOUNCED_FIELDS = ("starts_at", "ends_at", "external_video_url")


def over_condition(now):
    """The query twin of LiveSession.is_over."""
    return (
        Q(ended_at__isnull=False)
        | Q(ends_at__lte=now, opened_at__isnull=True)
        | Q(ends_at__lte=now - OVERRUN)
    )


class LiveSessionQuerySet(models.QuerySet):
    def over(self, now=None):
        return self.filter(over_condition(now or timezone.now()))

    def upcoming(self, now=None):
        """Sessions not yet over (under way or to come), soonest first."""
        return self.exclude(over_condition(now or timezone.now())).order_by("starts_at", "pk")


class LiveSession(models.Model):
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    agenda = models.TextField(_("agenda"), blank=True, max_length=4000)
    modules = models.ManyToManyField(
        "courses.ModulePage",
        verbose_name=_("course modules on the agenda"),
        related_name="+",
        blank=True,
    )
    external_video_url = models.URLField(
        _("external video link"),
        blank=True,
        help_text=_(
            "For sessions larger than six people with video: a Jitsi or BigBlueButton address. "
            "Smaller groups can use the room's own audio and video."
        ),
    )
    waiting_room = models.BooleanField(
        _("waiting room"),
        default=False,
        help_text=_("Participants wait until a coach admits them."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Room state, changed by the room's moderators while it runs.
    locked = models.BooleanField(_("locked"), default=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # The number of the room's last event: every event the room persists takes the next one.
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)
    # Raised by save() whenever the time or place changes: calendars that imported the event
    # (.ics SEQUENCE) replace their copy with the higher revision, reminders announce it again.
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = LiveSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["cohort", "starts_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Once the session exists, never writes back `last_seq` (only the room's log moves it,
        in SQL: an instance loaded before the room's latest events would rewind it and break
        the numbering) nor `revision`, which is raised here, against the stored row, when the
        time or the place changes — whoever saves (pages, admin, scripts)."""
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        fields = kwargs.get("update_fields")
        if fields is None:
            fields = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in ("last_seq", "revision")
            ]
        fields = list(fields)
        if not set(ANNOUNCED_FIELDS) & set(fields):
            super().save(*args, **{**kwargs, "update_fields": fields})
            return
        with transaction.atomic(using=kwargs.get("using")):
            stored = (
                type(self)
                .objects.select_for_update()
                .filter(pk=self.pk)
                .values(*ANNOUNCED_FIELDS, "revision")
                .first()
            )
            if stored is not None and any(
                stored[name] != getattr(self, name) for name in ANNOUNCED_FIELDS if name in fields
            ):
                self.revision = stored["revision"] + 1
                if "revision" not in fields:
                    fields.append("revision")
            super().save(*args, **{**kwargs, "update_fields": fields})

    def clean(self):
        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                raise ValidationError({"ends_at": _("A session must end after it starts.")})
            if self.ends_at - self.starts_at > LONGEST_SESSION:
                raise ValidationError({"ends_at": _("A session lasts at most eight hours.")})

    @property
    def is_open(self):
        return self.opened_at is not None and self.ended_at is None

    @property
    def duration(self):
        return self.ends_at - self.starts_at

    @property
    def duration_minutes(self):
        return round(self.duration.total_seconds() / 60)

    @property
    def local_starts_at(self):
        return timezone.localtime(self.starts_at, SESSION_TIME_ZONE)

    @property
    def local_ends_at(self):
        return timezone.localtime(self.ends_at, SESSION_TIME_ZONE)

    def is_over(self, now=None):
        """See the module's docstring; `over_condition` says the same in SQL."""
        now = now or timezone.now()
        return (
            self.ended_at is not None
            or (self.ends_at <= now and self.opened_at is None)
            or self.ends_at <= now - OVERRUN
        )

    def has_started(self, now=None):
        return self.opened_at is not None or self.starts_at <= (now or timezone.now())

    def can_join_now(self, now=None):
        """Whether to offer "Join the room": from a quarter of an hour before the start until
        the session is over."""
        now = now or timezone.now()
        return not self.is_over(now) and (self.is_open or self.starts_at - JOIN_EARLY <= now)


class ReminderSent(models.Model):
    """One reminder of one kind sent to one person for one revision of a session: sending is
    idempotent, so that several reminder processes, or a restarted one, never send twice."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    # The session's revision the reminder announced: a session whose time or place changed is
    # announced again, even when it moves back to a time announced before.
    revision = models.PositiveIntegerField(default=0)
    # The start time it announced, for the record.
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)
    # The mail server refused the address for good: not tried again for this revision.
    refused = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user", "kind", "revision"], name="one_reminder_per_revision"
            )
        ]

    def __str__(self):
        return f"{self.kind} reminder of {self.session_id} to {self.user_id}"
