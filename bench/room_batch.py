"""Group commit of chat messages, the `batch`, `sql` and `async` prototypes of
bench/room_prototypes.py: one writer per process takes the chat messages that arrive while a
batch is being written and writes them as the next batch, so the fixed costs of a write (the
hop to the database thread, the connection's health check, BEGIN, COMMIT, round trips) are paid
once per batch instead of once per message. It logs batch sizes and times to the server's log.
"""

import asyncio
import sys
import time
from collections import defaultdict


def persist_chats(items):
    """Persists the chat messages of `items` [(context, sanitised text)] in one transaction,
    as `run_in_room` would one by one: the rooms' rows locked first (in the order of their
    ids, as every transaction of a room locks its row first: see coaching/room/locks.py), the
    senders' places read under those locks, then one statement numbers the events of every
    room and one inserts them. Returns, for each item, its event or the FrameError that
    refuses it (with the close code `locks.refusal` gives)."""
    from django.db import transaction

    from coaching.models import Participant, RoomEvent

    rooms = sorted({ctx.session_id for ctx, _text in items})
    with transaction.atomic():
        locked = lock_rooms(rooms)
        places = {
            (place.session_id, place.user_id): place
            for place in Participant.objects.filter(
                session_id__in=rooms, user_id__in={ctx.user_id for ctx, _text in items}
            ).only("session_id", "user_id", "chat_muted", "status")
        }
        results, by_room = screen(items, locked, places)
        last = number_events({room: len(indices) for room, indices in by_room.items()})
        events = []
        for room, indices in by_room.items():
            first = last[room] - len(indices) + 1
            for offset, index in enumerate(indices):
                ctx, text = items[index]
                event = RoomEvent(
                    session_id=room,
                    seq=first + offset,
                    type="chat",
                    actor_id=ctx.user_id,
                    data={"name": ctx.name, "text": text},
                )
                events.append(event)
                results[index] = event
        RoomEvent.objects.bulk_create(events)
    return results


def lock_rooms(rooms):
    """Locks the rooms' rows, in the order of their ids; {id: (ended, last_seq)}."""
    from coaching.models import LiveSession

    return {
        pk: (ended_at is not None, last_seq)
        for pk, ended_at, last_seq in LiveSession.objects.select_for_update(of=("self",))
        .filter(pk__in=rooms)
        .order_by("pk")
        .values_list("pk", "ended_at", "last_seq")
    }


def screen(items, locked, places):
    """Who may speak, by the room's rules: (results with a FrameError for each refused item,
    {room: indices of the accepted items in their order})."""
    from coaching.room import locks
    from coaching.room.validation import FrameError

    results = [None] * len(items)
    by_room = defaultdict(list)
    for index, (ctx, _text) in enumerate(items):
        room = locked.get(ctx.session_id)
        place = places.get((ctx.session_id, ctx.user_id))
        found = None
        if room is not None:
            found = locks.Standing(
                ended=room[0],
                last_seq=room[1],
                status=place.status if place else None,
                chat_muted=bool(place and place.chat_muted),
            )
        refused = locks.refusal(found)
        if refused is None and found.chat_muted:
            refused = FrameError("muted")
        if refused is not None:
            results[index] = refused
        else:
            by_room[ctx.session_id].append(index)
    return results, by_room


def number_events(counts):
    """Takes `counts[room]` numbers for each (locked) room in one statement; returns each
    room's last number."""
    from django.db import connection

    from coaching.models import LiveSession

    if not counts:
        return {}
    table = connection.ops.quote_name(LiveSession._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(counts))
    params = [value for room, count in counts.items() for value in (room, count)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS s SET last_seq = s.last_seq + v.n "  # noqa: S608
            f"FROM (VALUES {values}) AS v(id, n) WHERE s.id = v.id RETURNING s.id, s.last_seq",
            params,
        )
        return dict(cursor.fetchall())


def persist_with_retry(items):
    """A batch that lost a deadlock against another process's transaction is tried once more
    (PostgreSQL rolled it back whole)."""
    from django.db import OperationalError

    try:
        return PERSIST[0](items)
    except OperationalError:
        return PERSIST[0](items)


# `sql`: after the rooms' rows are locked (a statement of its own, so that this one reads the
# places as committed by whoever held the locks before), one statement keeps the messages of
# people admitted and not muted, takes their rooms' numbers and inserts the events, numbered
# in the order they came.
PERSIST_SQL = """
WITH input (ord, session_id, user_id, data) AS (VALUES {values}),
accepted AS (
    SELECT i.* FROM input i
    JOIN {participant} p ON p.session_id = i.session_id AND p.user_id = i.user_id
    JOIN {session} s ON s.id = i.session_id
    WHERE s.ended_at IS NULL AND p.status = 'admitted' AND NOT p.chat_muted),
counts AS (SELECT session_id, count(*) AS n FROM accepted GROUP BY session_id),
numbered AS (
    UPDATE {session} s SET last_seq = s.last_seq + c.n FROM counts c
    WHERE s.id = c.session_id
    RETURNING s.id, s.last_seq - c.n AS base)
INSERT INTO {event} (session_id, seq, type, actor_id, private, recipient_id, data, created_at)
SELECT a.session_id, n.base + row_number() OVER (PARTITION BY a.session_id ORDER BY a.ord),
    'chat', a.user_id, false, NULL, a.data, now()
FROM accepted a JOIN numbered n ON n.id = a.session_id
RETURNING id, session_id, seq, actor_id, created_at
"""
LOCK_SQL = "SELECT id FROM {session} WHERE id = ANY(%s) ORDER BY id FOR UPDATE"


def persist_chats_sql(items):
    """`persist_chats` in two statements (PostgreSQL): the rooms' lock, then the rest."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    sql, params, data = single_statement_of(items, quote)
    rooms = sorted({ctx.session_id for ctx, _text in items})
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(LOCK_SQL.format(session=quote(session_table())), [rooms])
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        results = events_of(items, rows, data)
        for index, (ctx, _text) in enumerate(items):
            if results[index] is None:
                results[index] = refusal(ctx)
    return results


def session_table():
    from coaching.models import LiveSession

    return LiveSession._meta.db_table


def single_statement_of(items, quote):
    import json

    from coaching.models import LiveSession, Participant, RoomEvent

    sql = PERSIST_SQL.format(
        values=", ".join(["(%s::int, %s::bigint, %s::bigint, %s::jsonb)"] * len(items)),
        participant=quote(Participant._meta.db_table),
        session=quote(LiveSession._meta.db_table),
        event=quote(RoomEvent._meta.db_table),
    )
    data = [{"name": ctx.name, "text": text} for ctx, text in items]
    params = []
    for ord, ((ctx, _text), payload) in enumerate(zip(items, data, strict=True)):
        params += [ord, ctx.session_id, ctx.user_id, json.dumps(payload, ensure_ascii=False)]
    return sql, params, data


def events_of(items, rows, data):
    """The events the statement returned, at the places of their items (None: refused).
    Rows of a room come back numbered in the order its messages came; a refusal concerns
    every message of its sender (a place) or of its room (ended)."""
    from coaching.models import RoomEvent

    by_room = defaultdict(list)
    for row in rows:
        by_room[row[1]].append(row)
    results = [None] * len(items)
    for room, found in by_room.items():
        found.sort(key=lambda row: row[2])
        speakers = {row[3] for row in found}
        waiting = iter(found)
        for index, (ctx, _text) in enumerate(items):
            if ctx.session_id == room and ctx.user_id in speakers:
                pk, _room, seq, actor_id, created_at = next(waiting)
                results[index] = RoomEvent(
                    id=pk,
                    session_id=room,
                    seq=seq,
                    type="chat",
                    actor_id=actor_id,
                    data=data[index],
                    created_at=created_at,
                )
    return results


def refusal(ctx):
    """Why a message was not stored (rare), by the room's rules, read again."""
    from coaching.room import locks
    from coaching.room.validation import FrameError

    found = locks.standing(ctx.session_id, ctx.user_id)
    refused = locks.refusal(found)
    if refused is None:
        refused = FrameError("muted") if found.chat_muted else FrameError("server_error")
    return refused


def context_of(consumer):
    from coaching.room.protocol import RoomContext

    return RoomContext(
        session_id=consumer.session_id,
        user_id=consumer.user_id,
        name=consumer.name,
        is_moderator=consumer.is_moderator,
        connection=consumer.connection,
        company_id=consumer.company_id,
    )


class ChatWriter:
    """One per process: chat messages that arrive while a batch is being written go into the
    next one, so the database thread pays its fixed costs (thread hop, health check, BEGIN,
    COMMIT, round trips) once per batch instead of once per message. A batch's events are
    broadcast, in their order, while the next batch is being written."""

    def __init__(self):
        self.pending = []
        self.running = False

    async def submit(self, consumer, text):
        future = asyncio.get_running_loop().create_future()
        self.pending.append((consumer, text, future))
        if not self.running:
            self.running = True
            asyncio.get_running_loop().create_task(self.drain())
        return await future

    def _start(self):
        """Hands the pending messages to the database thread; None if there are none."""
        from channels.db import database_sync_to_async

        if not self.pending:
            return None
        batch, self.pending = self.pending, []
        items = [(context_of(consumer), text) for consumer, text, _future in batch]
        running = asyncio.ensure_future(database_sync_to_async(timed_persist)(items))
        return batch, running, time.perf_counter()

    async def drain(self):
        try:
            job = self._start()
            while job is not None:
                batch, running, started = job
                try:
                    results = await running
                except Exception as error:  # the whole batch failed: each sender hears it
                    results = [error] * len(batch)
                persisted = time.perf_counter()
                # The next batch goes to the database while this one is broadcast.
                job = self._start()
                if job is not None:
                    await asyncio.sleep(0)  # its task hands the batch to the database thread
                for (consumer, _text, future), result in zip(batch, results, strict=True):
                    if not isinstance(result, Exception):
                        await consumer.hub.publish_events(consumer.session_id, [result])
                    future.set_result(result)
                STATS.batch(len(batch), persisted - started, time.perf_counter() - persisted)
        finally:
            self.running = False


class Stats:
    """Batch sizes and times, logged every few seconds (to the daphne log)."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.batches = self.messages = 0
        self.hop = self.db = self.publish = 0.0
        self.since = time.perf_counter()

    def batch(self, size, hop, publish):
        self.batches += 1
        self.messages += size
        self.hop += hop
        self.publish += publish
        if time.perf_counter() - self.since > 5 and self.batches:
            n = self.batches
            print(
                f"[batch] {n} batches, {self.messages / n:.1f} messages each; per batch: "
                f"thread hop + db {1000 * self.hop / n:.2f} ms (db {1000 * self.db / n:.2f}), "
                f"publish {1000 * self.publish / n:.2f} ms",
                file=sys.stderr,
                flush=True,
            )
            self.reset()


STATS = Stats()


def timed_persist(items):
    started = time.perf_counter()
    try:
        return persist_with_retry(items)
    finally:
        STATS.db += time.perf_counter() - started


class AsyncChatWriter(ChatWriter):
    """`ChatWriter` with the single statement sent from the event loop on a psycopg
    asynchronous connection of its own: no thread hop and no GIL to win back between the
    statement and its answer."""

    connection = None

    def _start(self):
        if not self.pending:
            return None
        batch, self.pending = self.pending, []
        items = [(context_of(consumer), text) for consumer, text, _future in batch]
        return batch, asyncio.ensure_future(self.persist(items)), time.perf_counter()

    async def _connection(self):
        import psycopg
        from django.db import connection as django_connection

        if self.connection is None or self.connection.closed:
            config = django_connection.settings_dict
            self.connection = await psycopg.AsyncConnection.connect(
                dbname=config["NAME"],
                user=config["USER"],
                password=config.get("PASSWORD") or None,
                host=config["HOST"],
                port=config["PORT"] or None,
                autocommit=True,
            )
        return self.connection

    async def persist(self, items):
        import psycopg
        from channels.db import database_sync_to_async

        started = time.perf_counter()
        sql, params, data = single_statement_of(items, lambda name: f'"{name}"')
        lock = LOCK_SQL.format(session=f'"{session_table()}"')
        rooms = sorted({ctx.session_id for ctx, _text in items})
        try:
            for attempt in (1, 2):
                connection = await self._connection()
                try:
                    async with connection.transaction():
                        await connection.execute(lock, [rooms])
                        cursor = await connection.execute(sql, params)
                        rows = await cursor.fetchall()
                    break
                except psycopg.OperationalError:
                    # A lost deadlock (rolled back whole) or a broken connection: once more.
                    if attempt == 2:
                        raise
        finally:
            STATS.db += time.perf_counter() - started
        results = events_of(items, rows, data)
        for index, (ctx, _text) in enumerate(items):
            if results[index] is None:
                results[index] = await database_sync_to_async(refusal)(ctx)
        return results


# What `batch` persists with (`sql` sets persist_chats_sql) and the writer it builds (`async`
# sets AsyncChatWriter).
PERSIST = [persist_chats]
WRITER = [ChatWriter]
