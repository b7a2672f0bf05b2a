"""The moderators' controls: mute a participant's chat, remove a participant, lock the room,
the waiting room (admit, deny), and the end of the session. All are moderator-only, checked by
the consumer before they run; none applies to a moderator."""

from django.utils import timezone

from ... import audit
from ...models import LiveSession, Participant
from .. import access, log, presence
from ..protocol import FrameError, Outcome, command
from ..validation import Boolean, Integer
from .places import participant_place


def _session(ctx):
    """The session, whose row `run_in_room` has locked already."""
    session = LiveSession.objects.filter(pk=ctx.session_id).first()
    if session is None or session.ended_at is not None:
        raise FrameError("ended")
    return session


@command("mute", fields={"user": Integer(), "muted": Boolean()}, moderator_only=True)
def mute(ctx, user, muted):
    place = participant_place(ctx, user)
    if place.chat_muted == muted:
        return Outcome()
    place.chat_muted = muted
    place.save(update_fields=["chat_muted"])
    event = log.append(
        ctx.session_id, "chat_muted", {"user": user, "muted": muted}, actor_id=ctx.user_id
    )
    action = "coaching.room.mute" if muted else "coaching.room.unmute"
    audit.record(ctx.session_id, action, ctx.user_id, user)
    return Outcome(events=[event])


@command("remove", fields={"user": Integer()}, moderator_only=True)
def remove(ctx, user):
    """For good: their sockets close with 4408 and they cannot come back."""
    place = participant_place(ctx, user)
    if place.status == Participant.Status.REMOVED:
        return Outcome()
    place.status = Participant.Status.REMOVED
    place.save(update_fields=["status"])
    events = [log.append(ctx.session_id, "removed", {"user": user}, actor_id=ctx.user_id)]
    audit.record(ctx.session_id, "coaching.room.remove", ctx.user_id, user)
    events += presence.take_out(ctx.session_id, user)
    return Outcome(events=events, close=[user], close_code=access.CLOSE_REMOVED)


@command("lock", fields={"locked": Boolean()}, moderator_only=True)
def lock(ctx, locked):
    session = _session(ctx)
    if session.locked == locked:
        return Outcome()
    session.locked = locked
    session.save(update_fields=["locked"])
    event = log.append(ctx.session_id, "room_locked", {"locked": locked}, actor_id=ctx.user_id)
    audit.record(ctx.session_id, f"coaching.room.{'lock' if locked else 'unlock'}", ctx.user_id)
    return Outcome(events=[event])


@command("waiting_room", fields={"enabled": Boolean()}, moderator_only=True)
def waiting_room(ctx, enabled):
    """Turning the waiting room off lets in everyone waiting."""
    session = _session(ctx)
    if session.waiting_room == enabled:
        return Outcome()
    session.waiting_room = enabled
    session.save(update_fields=["waiting_room"])
    events = [
        log.append(ctx.session_id, "waiting_room", {"enabled": enabled}, actor_id=ctx.user_id)
    ]
    action = f"coaching.room.waiting_room_{'on' if enabled else 'off'}"
    audit.record(ctx.session_id, action, ctx.user_id)
    admitted = []
    if not enabled:
        waiting = Participant.objects.filter(session_id=ctx.session_id)
        admitted = presence.admit_waiting(ctx.session_id, waiting, events, ctx.user_id)
    return Outcome(events=events, admit=admitted)


def _waiting_place(ctx, user):
    place = participant_place(ctx, user)
    if place.status != Participant.Status.WAITING:
        raise FrameError("not_waiting", "user")
    return place


@command("admit", fields={"user": Integer()}, moderator_only=True)
def admit(ctx, user):
    place = _waiting_place(ctx, user)
    events = []
    admitted = presence.admit_waiting(
        ctx.session_id, Participant.objects.filter(pk=place.pk), events, ctx.user_id
    )
    audit.record(ctx.session_id, "coaching.room.admit", ctx.user_id, user)
    return Outcome(events=events, admit=admitted)


@command("deny", fields={"user": Integer()}, moderator_only=True)
def deny(ctx, user):
    """Refuses a person at the waiting room: they hear it, their sockets close with 4406, and
    they may knock again by connecting again."""
    place = _waiting_place(ctx, user)
    place.status = Participant.Status.DENIED
    place.save(update_fields=["status"])
    event = log.append(
        ctx.session_id,
        "denied",
        {"user": user},
        actor_id=ctx.user_id,
        private=True,
        recipient_id=user,
    )
    audit.record(ctx.session_id, "coaching.room.deny", ctx.user_id, user)
    return Outcome(events=[event], close=[user], close_code=access.CLOSE_DENIED)


@command("end", moderator_only=True)
def end(ctx):
    """Ends the session for everyone: attendance stops now and every socket closes with 4410."""
    session = _session(ctx)
    now = timezone.now()
    event = log.append(ctx.session_id, "room_ended", {}, actor_id=ctx.user_id)
    audit.record(ctx.session_id, "coaching.room.end", ctx.user_id)
    session.ended_at = now
    session.save(update_fields=["ended_at"])
    presence.close_all(ctx.session_id, now)
    return Outcome(events=[event], close="all", close_code=access.CLOSE_ENDED)
