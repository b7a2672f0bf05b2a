"""The room's event log: persisted first, numbered without gaps, replayed to whoever missed it.

Sequence numbers come from the session row: the UPDATE that increments `last_seq` locks that
row until the transaction commits, so two processes never take the same number and a number is
never skipped (a failed transaction rolls its increment back with its event)."""

import json

from django.db import connection, transaction
from django.db.models import F, Q

from ..models import LiveSession, RoomEvent
from . import locks
from .validation import FrameError, encodable

# A replay frame carries at most this many events, and stops at about this many bytes (a
# history of long messages is not sent in one frame of megabytes).
REPLAY_CHUNK = 200
REPLAY_MAX_BYTES = 256 * 1024


def next_seq(session_id):
    """Takes the room's next number. A room that has ended (or no longer exists) takes no more
    events."""
    return take_seqs({session_id: 1})[session_id]


def take_seqs(counts):
    """Takes `counts[room]` numbers for each room, in one statement where the database can
    return what it updated; returns each room's last number (the numbers taken end there).
    A room that has ended (or no longer exists) takes no more events."""
    if not counts:
        return {}
    if connection.features.can_return_columns_from_insert:
        table = connection.ops.quote_name(LiveSession._meta.db_table)
        rooms = list(counts)
        cases = " ".join(["WHEN %s THEN %s"] * len(rooms))
        places = ", ".join(["%s"] * len(rooms))
        params = [value for room in rooms for value in (room, counts[room])] + rooms
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last_seq = last_seq + CASE id {cases} END "  # noqa: S608
                f"WHERE id IN ({places}) AND ended_at IS NULL RETURNING id, last_seq",
                params,
            )
            last = dict(cursor.fetchall())
    else:
        last = {}
        for room, count in counts.items():
            running = LiveSession.objects.filter(pk=room, ended_at__isnull=True)
            if running.update(last_seq=F("last_seq") + count):
                last[room] = running.values_list("last_seq", flat=True).get()
    if len(last) < len(counts):
        raise FrameError("ended")
    return last


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
    """The frame as JSON text. Non-ASCII characters stay as they are (shorter), unless the
    frame holds text that cannot be written as UTF-8 (a lone surrogate, in a row stored before
    the room refused them): then everything is escaped, and the frame can still be sent."""
    text = json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
    if not encodable(text):
        return json.dumps(frame, separators=(",", ":"))
    return text


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


def replay(session_id, since, user_id, is_moderator, limit=None, max_bytes=None):
    """One replay frame's worth: (the events' encoded texts, the number it brings the client
    to, complete). At most `limit` events and about `max_bytes` of text (at least one event).

    The room's last number is read first, with where the person stands: a person no longer
    admitted replays nothing. Every event up to that number is committed (numbers are taken
    under the session row's lock), and any later one reaches the socket live. Private events
    this person may not read are left out; the number still covers them."""
    limit = limit or REPLAY_CHUNK
    max_bytes = max_bytes or REPLAY_MAX_BYTES
    found = locks.standing(session_id, user_id)
    refused = locks.refusal(found)
    if refused:
        raise refused
    events = events_since(
        session_id, since, user_id, is_moderator, upto=found.last_seq, limit=limit
    )
    texts, size = [], 0
    for event in events:
        text = encode(event)
        size += len(text.encode("utf-8"))
        if texts and size > max_bytes:
            break
        texts.append(text)
    complete = len(texts) == len(events) and len(events) < limit
    upto = found.last_seq if complete else events[len(texts) - 1]["seq"]
    return texts, upto, complete


def replay_frame(texts, upto, complete):
    """The `replay` frame around events already encoded (each is encoded once)."""
    return (
        f'{{"type":"replay","events":[{",".join(texts)}],'
        f'"last_seq":{upto},"complete":{"true" if complete else "false"}}}'
    )
