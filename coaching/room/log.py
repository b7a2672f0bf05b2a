"""The room's event log: persisted first, numbered without gaps, replayed to whoever missed it.

Sequence numbers come from the session row: the UPDATE that increments `last_seq` locks that
row until the transaction commits, so two processes never take the same number and a number is
never skipped (a failed transaction rolls its increment back with its event)."""

import json

from django.db import connection, transaction
from django.db.models import F, Q

from ..models import LiveSession, RoomEvent
from .validation import FrameError

REPLAY_CHUNK = 200


def next_seq(session_id):
    """Takes the room's next number, in one statement where the database can return what it
    updated. A room that has ended (or no longer exists) takes no more events."""
    if connection.features.can_return_columns_from_insert:
        table = connection.ops.quote_name(LiveSession._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last_seq = last_seq + 1 "  # noqa: S608 (our table's name)
                "WHERE id = %s AND ended_at IS NULL RETURNING last_seq",
                [session_id],
            )
            row = cursor.fetchone()
        if row is None:
            raise FrameError("ended")
        return row[0]
    running = LiveSession.objects.filter(pk=session_id, ended_at__isnull=True)
    if not running.update(last_seq=F("last_seq") + 1):
        raise FrameError("ended")
    return running.values_list("last_seq", flat=True).get()


def append(session_id, type, data, actor_id=None, private=False, recipient_id=None):
    """Persists one event with the room's next number. Call inside `transaction.atomic()`
    together with the state change the event announces."""
    assert transaction.get_connection().in_atomic_block, "append() belongs in a transaction"
    return RoomEvent.objects.create(
        session_id=session_id,
        seq=next_seq(session_id),
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
    found = LiveSession.objects.filter(pk=session_id).values_list("last_seq", flat=True).first()
    if found is None:
        raise FrameError("ended")
    return found


def replay(session_id, since, user_id, is_moderator, limit=None):
    """One replay frame's worth: (events, the number it brings the client to, complete).

    The room's last number is read first: every event up to it is committed (numbers are taken
    under the session row's lock), and any later one reaches the socket live. Private events
    this person may not read are left out; the number still covers them."""
    limit = limit or REPLAY_CHUNK
    last = last_seq(session_id)
    events = events_since(session_id, since, user_id, is_moderator, upto=last, limit=limit)
    complete = len(events) < limit
    upto = last if complete else events[-1]["seq"]
    return events, upto, complete
