"""The room on the Redis channel layer, as production configures it, whatever layer the run is
configured with: chat, private messages, resync, a message the layer drops that the sequence
numbers recover, and a quiet room that still hears the next message at once.

Each test gets a layer with a key prefix of its own (the run's prefix and a random part), so
keys left in Redis by an earlier run are never read, and deletes its own keys, and only them,
when it ends. Redis is REDIS_URL when set, else the one this kind of machine runs locally (a
database number of these tests' own); without REDIS_URL an unreachable Redis skips the tests.
"""

import asyncio
import json
import logging
from dataclasses import dataclass

import pytest
import redis
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer
from django.db import transaction

from coaching.models import RoomEvent
from coaching.room import hub as hubs
from coaching.room import log
from coaching.room.protocol import event_envelope
from tests.coaching.redis_layer import keys_under, own_prefix, redis_url_or_skip
from tests.coaching.rooms import RoomClient, make_room
from virage_site.settings import services

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class RedisRoomLayer:
    hub: hubs.RoomHub
    url: str
    prefix: str


@pytest.fixture
def layer_capacity():
    """Channel capacities instead of the configured ones (None: as configured)."""
    return None


@pytest.fixture
async def on_redis(settings, monkeypatch, layer_capacity):
    """The room hub of this test's event loop, on a Redis layer of this test's own, configured
    as the settings configure it when REDIS_URL is set.

    Channels keeps the layers it has built until CHANNEL_LAYERS changes (changing the setting
    empties that cache, restoring it empties it again), and the room keeps one hub per event
    loop, built on the layer of the moment: so the setting is changed first, then the loop's
    hub is built here, before any socket connects."""
    url = redis_url_or_skip()
    prefix = own_prefix("room")
    monkeypatch.setenv("REDIS_URL", url)
    layers = services.channel_layers_from_env(prefix)
    if layer_capacity is not None:
        layers["default"]["CONFIG"]["channel_capacity"] = layer_capacity
    settings.CHANNEL_LAYERS = layers
    loop = asyncio.get_running_loop()
    hubs._hubs.pop(loop, None)
    the_hub = hubs.hub()
    assert isinstance(the_hub.layer, RedisChannelLayer)
    assert the_hub.layer is get_channel_layer()
    yield RedisRoomLayer(the_hub, url, prefix)
    await the_hub.close()
    hubs._hubs.pop(loop, None)
    await the_hub.layer.flush()  # deletes the keys under this layer's prefix, and only them
    assert keys_under(url, prefix) == []


@pytest.fixture
def room():
    return make_room()


async def enter(user, session):
    client = RoomClient(user, session.pk)
    welcome = await client.connect()
    assert welcome is not None, f"refused with {client.close_code}"
    return client


async def numbers(session):
    return [
        seq async for seq in RoomEvent.objects.filter(session=session).values_list("seq", flat=True)
    ]


async def test_chat_crosses_between_two_clients_through_redis(room, on_redis):
    session = room["session"]
    coach = await enter(room["coach"], session)
    first = await enter(room["people"][0], session)
    assert hubs.hub() is on_redis.hub
    group = f"{on_redis.prefix}:group:{hubs.group_name(session.pk)}"
    with redis.Redis.from_url(on_redis.url) as client:
        members = client.zrange(group, 0, -1)
    assert [member.decode() for member in members] == [on_redis.hub.channel]
    await first.sync(0)
    await first.send(type="chat", text="Bonjour <b>à tous</b>")
    heard = await coach.expect("chat")
    assert (heard["text"], heard["by"]) == ("Bonjour à tous", room["people"][0].pk)
    assert (await first.expect("chat"))["seq"] == heard["seq"]
    await coach.send(type="chat", text="Bienvenue")
    assert (await first.expect("chat"))["text"] == "Bienvenue"
    found = await numbers(session)
    assert found == list(range(1, len(found) + 1))
    for client in (coach, first):
        await client.close()


async def test_private_message_reaches_the_coach_and_others_see_a_skip(room, on_redis):
    session = room["session"]
    coach = await enter(room["coach"], session)
    writer = await enter(room["people"][0], session)
    other = await enter(room["people"][1], session)
    await other.sync(0)
    await writer.send(type="dm", text="Une question privée")
    to_coach = await coach.expect("dm")
    assert to_coach["text"] == "Une question privée"
    assert (await writer.expect("dm"))["seq"] == to_coach["seq"]
    assert (await other.expect("skip"))["seq"] == to_coach["seq"]
    await coach.send(type="dm", text="Je vous réponds", to=room["people"][0].pk)
    answer = await writer.expect("dm", text="Je vous réponds")
    assert (await other.expect("skip"))["seq"] == answer["seq"]
    assert "Une question privée" not in json.dumps(other.frames, ensure_ascii=False)
    events, last = await other.sync(0)
    assert "dm" not in [event["type"] for event in events]
    assert last >= answer["seq"]
    for client in (coach, writer, other):
        await client.close()


async def test_a_reconnecting_client_receives_exactly_what_it_missed(room, on_redis):
    session = room["session"]
    coach = await enter(room["coach"], session)
    leaver = await enter(room["people"][0], session)
    _, last = await leaver.sync(0)
    await leaver.close()
    await coach.expect("left", user=room["people"][0].pk)
    for n in range(3):
        await coach.send(type="chat", text=f"message {n}")
        await coach.expect("chat", text=f"message {n}")
    back = await enter(room["people"][0], session)
    missed, upto = await back.sync(last)
    assert [e["seq"] for e in missed] == list(range(last + 1, upto + 1))
    chats = [e["text"] for e in missed if e["type"] == "chat"]
    assert chats == ["message 0", "message 1", "message 2"]
    for client in (coach, back):
        await client.close()


@pytest.mark.parametrize("layer_capacity", [{"roomhub*": 1}])
async def test_a_message_the_layer_drops_is_recovered_by_sync(room, on_redis, monkeypatch):
    """Messages another server process published reach this one through Redis. The hub
    channel holds one message here: while the hub is busy with one message, the next waits in
    Redis and Redis drops the ones after it, as a layer does when a channel is full. A client
    sees a gap in the numbers and a sync brings exactly the missing events."""
    session = room["session"]
    coach = await enter(room["coach"], session)
    listener = await enter(room["people"][0], session)
    await listener.sync(0)
    busy, go_on = asyncio.Event(), asyncio.Event()
    deliver = on_redis.hub.deliver

    async def slow_for_the_first_chat(session_id, message):
        if not go_on.is_set() and json.loads(message["text"])["type"] == "chat":
            busy.set()
            await go_on.wait()
        await deliver(session_id, message)

    monkeypatch.setattr(on_redis.hub, "deliver", slow_for_the_first_chat)

    async def said_through_another_process(text):
        event = await sync_to_async(store_chat)(session.pk, room["coach"], text)
        envelope = {**event_envelope(event), "room": session.pk, "origin": "another-process"}
        await on_redis.hub.layer.group_send(hubs.group_name(session.pk), envelope)

    await said_through_another_process("un")
    await asyncio.wait_for(busy.wait(), 3)
    for text in ("deux", "trois", "quatre"):
        await said_through_another_process(text)
    go_on.set()
    one = await listener.expect("chat", text="un")
    two = await listener.expect("chat", text="deux")
    await said_through_another_process("cinq")
    five = await listener.expect("chat", text="cinq")
    assert five["seq"] == two["seq"] + 3
    live = [frame["seq"] for frame in listener.frames if frame["type"] == "chat"]
    assert live == [one["seq"], two["seq"], five["seq"]], "the layer dropped nothing"
    events, last = await listener.sync(two["seq"])
    assert [(e["seq"], e["text"]) for e in events] == [
        (two["seq"] + 1, "trois"),
        (two["seq"] + 2, "quatre"),
        (five["seq"], "cinq"),
    ]
    assert last == five["seq"]
    for client in (coach, listener):
        await client.close()


def store_chat(session_id, user, text):
    with transaction.atomic():
        return log.append(
            session_id, "chat", {"name": user.display_name, "text": text}, actor_id=user.pk
        )


async def test_a_quiet_room_hears_the_next_message_at_once(room, on_redis, caplog):
    """The hub waits for messages in blocking reads that Redis ends after a few seconds when
    nothing comes; the connection must wait longer than the read, or the read fails, the hub
    logs an error and stops reading for a while, and a message can be lost in between."""
    session = room["session"]
    coach = await enter(room["coach"], session)
    listener = await enter(room["people"][0], session)
    await listener.sync(0)
    await asyncio.sleep(RedisChannelLayer.brpop_timeout + 0.5)
    await coach.send(type="chat", text="Toujours là ?")
    await listener.expect("chat", timeout=0.5, text="Toujours là ?")
    failures = [
        record.getMessage()
        for record in caplog.records
        if record.name == hubs.logger.name and record.levelno >= logging.ERROR
    ]
    assert failures == []
    for client in (coach, listener):
        await client.close()
