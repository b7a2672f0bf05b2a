"""Live sessions: a cohort's scheduled coaching sessions, each with its own live room.

Sessions are scheduled in Morocco's time (Africa/Casablanca): coaches enter times in it and
pages show it, naming the zone; browsers then convert to the viewer's own zone."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cohorts import Cohort

LONGEST_SESSION = timedelta(hours=8)
SESSION_TIME_ZONE = ZoneInfo("Africa/Casablanca")
# Participants may enter the room this long before the start (the room waits for its coach).
JOIN_EARLY = timedelta(minutes=15)


class LiveSessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        """Sessions not yet over (and not ended early by their coach), soonest first."""
        now = now or timezone.now()
        return self.filter(ends_at__gt=now, ended_at__isnull=True).order_by("starts_at")


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
    # Raised whenever the time or place changes: calendars that imported the event (.ics
    # SEQUENCE) replace their copy with the higher revision.
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
        """Never writes `last_seq` back once the session exists: only the room's log moves it
        (coaching.room.log, in SQL), and an instance loaded before the room's latest events
        would otherwise rewind it and break the numbering."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "last_seq"
            ]
        super().save(*args, **kwargs)

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
        """Ended by its coach, or past its scheduled end without a room still running."""
        now = now or timezone.now()
        return self.ended_at is not None or (self.ends_at <= now and not self.is_open)

    def has_started(self, now=None):
        return self.opened_at is not None or self.starts_at <= (now or timezone.now())

    def can_join_now(self, now=None):
        """Whether to offer "Join the room": while it runs, and from a quarter of an hour
        before the start until the scheduled end."""
        now = now or timezone.now()
        if self.ended_at is not None:
            return False
        return self.is_open or self.starts_at - JOIN_EARLY <= now < self.ends_at


class ReminderSent(models.Model):
    """One reminder of one kind sent to one person for one session: sending is idempotent, so
    that several reminder processes, or a restarted one, never send twice."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    # The start time the reminder announced: a rescheduled session is announced again.
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user", "kind", "starts_at"], name="one_reminder_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.kind} reminder of {self.session_id} to {self.user_id}"
