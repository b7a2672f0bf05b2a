"""Group commit of what people say in the room (chat messages): one writer per hub (server
process and event loop) takes the messages that arrive while a batch is being written and
writes them as the next batch.

A chat message written on its own costs a hop to the database thread, the connection's health
check, BEGIN, four statements and COMMIT; at a few thousand messages a second the database
thread is saturated by those fixed costs and messages queue for seconds (`bench/run.py room`).
Written together, a batch pays them once: four statements whatever its size.

The rules are those of `run_in_room`, applied to each message: the rooms' rows are locked first
(in the order of their ids, as every transaction of a room locks its row first, see `locks`),
the senders' places are read after the locks, a person removed, refused, no longer admitted
or muted says nothing, an ended room takes nothing. Events are numbered in the order their
messages arrived and published in that order.
"""

import asyncio
import logging
from collections import defaultdict

from channels.db import database_sync_to_async
from django.db import DatabaseError, transaction

from ..models import LiveSession, Participant, RoomEvent
from . import locks, log
from .validation import FrameError

logger = logging.getLogger(__name__)


class Writer:
    """Batches of said things for one hub. `submit` returns once the message is stored and
    published (its event), or raises the error that refuses it."""

    def __init__(self, hub):
        self.hub = hub
        self.pending = []
        self.task = None

    async def submit(self, ctx, type, data):
        future = asyncio.get_running_loop().create_future()
        self.pending.append((ctx, type, data, future))
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self.drain())
        result = await future
        if isinstance(result, Exception):
            raise result
        return result

    def _start(self):
        """Hands what is pending to the database thread as one batch; None if nothing is."""
        if not self.pending:
            return None
        batch, self.pending = self.pending, []
        items = [(ctx, type, data) for ctx, type, data, _future in batch]
        return batch, asyncio.ensure_future(database_sync_to_async(persist_batch)(items))

    async def drain(self):
        job = in_flight = None
        try:
            job = self._start()
            while job is not None:
                in_flight, running = job
                try:
                    results = await running
                except Exception as error:
                    # The database failed (connection lost): nothing of the batch was stored,
                    # and each sender hears that their message was not.
                    logger.exception(
                        "room writer: a batch of %d could not be stored", len(in_flight)
                    )
                    results = [error] * len(in_flight)
                # The next batch goes to the database while this one is published.
                job = self._start()
                await self._publish(in_flight, results)
                in_flight = None
                if job is None:
                    # What came while this batch was being published (through Redis, say).
                    job = self._start()
        finally:
            self.task = None
            # Only if the task was cancelled (the process is stopping) is anything left: its
            # senders hear that it was not said, rather than wait for ever.
            left = (in_flight or []) + (job[0] if job else []) + self.pending
            self.pending = []
            for _ctx, _type, _data, future in left:
                if not future.done():
                    future.set_result(RuntimeError("the room's writer stopped"))

    async def _publish(self, batch, results):
        for (ctx, _type, _data, future), result in zip(batch, results, strict=True):
            try:
                if isinstance(result, RoomEvent):
                    await self.hub.publish_events(ctx.session_id, [result])
            except Exception:
                # Stored all the same: the room's sockets get it by their next resync.
                logger.exception("room writer: event %s could not be published", result.seq)
            finally:
                if not future.done():
                    future.set_result(result)


def persist_batch(items):
    """`persist`, and if the batch fails as a whole (one message the database refuses: its
    sender's account deleted meanwhile, say), each message on its own, so that only that
    message is refused, not everyone's of the batch."""
    try:
        return persist(items)
    except DatabaseError:
        if len(items) == 1:
            raise
        logger.warning("room writer: a batch of %d failed; its messages one by one", len(items))
    results = []
    for item in items:
        try:
            results += persist([item])
        except DatabaseError as error:
            logger.exception("room writer: a message could not be stored")
            results.append(error)
    return results


def persist(items):
    """Stores the messages of `items` [(context, event type, data)] in one transaction.
    Returns, for each item in order, its event or the FrameError that refuses it."""
    rooms = sorted({ctx.session_id for ctx, _type, _data in items})
    with transaction.atomic():
        found = lock_rooms(rooms)
        places = {
            (place.session_id, place.user_id): place
            for place in Participant.objects.filter(
                session_id__in=rooms, user_id__in={ctx.user_id for ctx, _type, _data in items}
            ).only("session_id", "user_id", "chat_muted", "status")
        }
        results, accepted = screen(items, found, places)
        last = log.take_seqs({room: len(indices) for room, indices in accepted.items()})
        events = []
        for room, indices in accepted.items():
            first = last[room] - len(indices) + 1
            for offset, index in enumerate(indices):
                ctx, type, data = items[index]
                event = RoomEvent(
                    session_id=room, seq=first + offset, type=type, actor_id=ctx.user_id, data=data
                )
                events.append(event)
                results[index] = event
        RoomEvent.objects.bulk_create(events)
    return results


def lock_rooms(rooms):
    """Locks the rooms' rows in the order of their ids; {id: (ended, last number)}."""
    return {
        pk: (ended_at is not None, last_seq)
        for pk, ended_at, last_seq in LiveSession.objects.select_for_update(of=("self",))
        .filter(pk__in=rooms)
        .order_by("pk")
        .values_list("pk", "ended_at", "last_seq")
    }


def screen(items, rooms, places):
    """Who may say something, by the room's rules: (the results so far, a FrameError for each
    refused item; {room: indices of the accepted items, in their order})."""
    results = [None] * len(items)
    accepted = defaultdict(list)
    for index, (ctx, _type, _data) in enumerate(items):
        room = rooms.get(ctx.session_id)
        place = places.get((ctx.session_id, ctx.user_id))
        standing = None
        if room is not None:
            standing = locks.Standing(
                ended=room[0],
                last_seq=room[1],
                status=place.status if place else None,
                chat_muted=bool(place and place.chat_muted),
            )
        refused = locks.refusal(standing)
        if refused is None and standing.chat_muted:
            refused = FrameError("muted")
        if refused is None:
            accepted[ctx.session_id].append(index)
        else:
            results[index] = refused
    return results, accepted
