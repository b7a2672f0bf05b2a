"""What happens in a live room: its event log (the source of truth the room replays), who is in
it, attendance, polls, questions and action items."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .sessions import LiveSession

USER = settings.AUTH_USER_MODEL


class RoomEvent(models.Model):
    """One event of a room, numbered in the room's sequence (1, 2, 3, … with no gap).

    A private event (a direct message, a knock at the waiting room) is read only by the room's
    moderators, its actor and its recipient."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=32)
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    private = models.BooleanField(default=False)
    recipient = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["session", "seq"], name="one_event_per_room_seq")
        ]

    def __str__(self):
        return f"{self.session_id}#{self.seq} {self.type}"


class Participant(models.Model):
    """A person's place in one session's room: role, admission and the moderators' decisions."""

    class Role(models.TextChoices):
        MODERATOR = "moderator", _("Coach")
        PARTICIPANT = "participant", _("Participant")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        ADMITTED = "admitted", _("In the room")
        DENIED = "denied", _("Refused")
        REMOVED = "removed", _("Removed")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="room_places")
    company = models.ForeignKey(
        "companies.Company", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    status = models.CharField(max_length=16, choices=Status.choices)
    chat_muted = models.BooleanField(default=False)
    hand_raised_at = models.DateTimeField(null=True, blank=True)
    in_call = models.BooleanField(default=False)
    first_joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_place_per_room")
        ]

    def __str__(self):
        return f"{self.user} @ {self.session_id}"

    @property
    def is_moderator(self):
        return self.role == self.Role.MODERATOR


class Attendance(models.Model):
    """One connection of one person to a room: attendance is the union of these intervals."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    connection = models.CharField(max_length=40, unique=True)
    opened_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["session", "user", "closed_at"])]

    def __str__(self):
        return f"{self.user_id} {self.opened_at:%H:%M}–{self.closed_at or '…'}"


class Poll(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Prepared")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(_("question"), max_length=300)
    options = models.JSONField(_("options"), default=list)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.question

    def counts(self):
        """Votes per option, in the options' order (one query)."""
        counts = [0] * len(self.options)
        for option, number in (
            self.votes.values_list("option").annotate(number=models.Count("pk")).order_by()
        ):
            if 0 <= option < len(counts):
                counts[option] = number
        return counts


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    option = models.PositiveSmallIntegerField()
    voted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="one_vote_per_poll")]

    def __str__(self):
        return f"{self.user_id} → {self.poll_id}: {self.option}"


class Question(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(max_length=1000)
    answered = models.BooleanField(default=False)
    asked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self):
        return self.text[:60]


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_upvote_per_question")
        ]

    def __str__(self):
        return f"{self.user_id} ↑ {self.question_id}"


class ActionItem(models.Model):
    """A commitment made in a session, for a company's action plan, optionally tied to the course
    module that helps with it."""

    session = models.ForeignKey(
        LiveSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="action_items",
    )
    module = models.ForeignKey(
        "courses.ModulePage",
        verbose_name=_("course module"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        USER,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self):
        return self.text
