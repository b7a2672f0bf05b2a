"""The room's event log: persisted first, numbered without gaps, replayed to whoever missed it.

Sequence numbers come from the session row: the UPDATE that increments `last_seq` locks that
row until the transaction commits, so two processes never take the same number and a number is
never skipped (a failed transaction rolls its increment back with its event)."""

import json

from django.db import transaction
from django.db.models import F, Q

from ..models import LiveSession, RoomEvent

REPLAY_CHUNK = 200


def append(session_id, type, data, actor_id=None, private=False, recipient_id=None):
    """Persists one event with the room's next number. Call inside `transaction.atomic()`
    together with the state change the event announces."""
    assert transaction.get_connection().in_atomic_block, "append() belongs in a transaction"
    LiveSession.objects.filter(pk=session_id).update(last_seq=F("last_seq") + 1)
    seq = LiveSession.objects.filter(pk=session_id).values_list("last_seq", flat=True).get()
    return RoomEvent.objects.create(
        session_id=session_id,
        seq=seq,
        type=type,
        actor_id=actor_id,
        private=private,
        recipient_id=recipient_id,
        data=data,
    )


def event_frame(event):
    """The frame a client receives for an event: its type, number, time and data."""
    frame = {"type": event.type, "seq": event.seq, "at": event.created_at.isoformat()}
    if event.actor_id is not None:
        frame["by"] = event.actor_id
    if event.private:
        frame["private"] = True
    frame.update(event.data)
    return frame


def encode(frame):
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def visible_to(user_id, is_moderator):
    """The events a person may read: every public one; private ones if they are a moderator,
    the actor or the recipient."""
    if is_moderator:
        return Q()
    return Q(private=False) | Q(actor_id=user_id) | Q(recipient_id=user_id)


def events_since(session_id, since, user_id, is_moderator, upto=None, limit=REPLAY_CHUNK):
    """Events after number `since` (up to `upto`) that this person may read, oldest first, at
    most `limit`."""
    events = RoomEvent.objects.filter(session_id=session_id, seq__gt=since)
    if upto is not None:
        events = events.filter(seq__lte=upto)
    events = events.filter(visible_to(user_id, is_moderator)).order_by("seq")[:limit]
    return [event_frame(event) for event in events]


def last_seq(session_id):
    return LiveSession.objects.filter(pk=session_id).values_list("last_seq", flat=True).get()
