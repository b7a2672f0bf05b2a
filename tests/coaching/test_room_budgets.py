"""Budgets that reconnecting does not reset: frames, arrivals (a loop of connections), open
sockets per person, and the size of what a replay or a message may grow to."""

import asyncio
import json
import time

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction

from coaching.models import Attendance, RoomEvent
from coaching.room import limits, log
from coaching.room.commands.chat import MAX_LINKS, sanitise
from coaching.room.hub import hub
from coaching.room.limits import PersonLimits, TokenBucket
from tests.coaching.rooms import RoomClient, admitted, make_room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("room_hub_closed")]


@pytest.fixture
def room():
    return make_room()


def budget(session, user, **buckets):
    """Budgets that do not refill during the test (the others as configured)."""
    hub().limits[(session.pk, user.pk)] = PersonLimits(
        **{
            name: TokenBucket(capacity=size, rate=1e-9, tokens=size)
            for name, size in buckets.items()
        }
    )


async def test_reconnecting_does_not_refill_the_frame_budget(room):
    session, person = room["session"], room["people"][0]
    coach = await admitted(room["coach"], session)
    budget(session, person, frames=3)
    first = RoomClient(person, session.pk)
    await first.connect()
    for _ in range(3):
        await first.send(type="ping")
        await first.expect("pong")
    await first.close()
    again = RoomClient(person, session.pk)
    await again.connect()
    await again.send(type="ping")
    assert (await again.expect("error"))["code"] == "rate_limited"
    for client in (again, coach):
        await client.close()


async def test_a_flood_spread_over_reconnections_stays_within_the_rate(room):
    session, person = room["session"], room["people"][0]
    coach = await admitted(room["coach"], session)
    started = time.monotonic()
    for cycle in range(3):
        client = RoomClient(person, session.pk)
        await client.connect()
        for n in range(limits.BURST):
            await client.send(type="chat", text=f"{cycle}-{n}")
        await asyncio.sleep(0.3)
        await client.close()
    elapsed = time.monotonic() - started
    accepted = await RoomEvent.objects.filter(session=session, type="chat").acount()
    assert limits.BURST <= accepted <= limits.BURST + limits.RATE_PER_S * elapsed + 1
    await coach.close()


async def test_a_loop_of_connections_is_closed_with_4429_before_any_database_work(room):
    session, person = room["session"], room["people"][0]
    coach = await admitted(room["coach"], session)
    budget(session, person, arrivals=3)
    for _ in range(3):
        client = RoomClient(person, session.pk)
        assert (await client.connect())["type"] == "welcome"
        await client.close()
    before = await RoomEvent.objects.acount()
    for _ in range(5):
        client = RoomClient(person, session.pk)
        assert await client.connect() is None
        assert client.close_code == 4429
        await client.close()
    assert await Attendance.objects.filter(user=person).acount() == 3
    assert await RoomEvent.objects.acount() == before
    # Others still enter.
    other = RoomClient(room["people"][1], session.pk)
    assert (await other.connect())["type"] == "welcome"
    for client in (other, coach):
        await client.close()


async def test_connect_and_close_in_a_loop_floods_nobody(room):
    """With the configured budget: ten arrivals at once, then one every three seconds."""
    session, person = room["session"], room["people"][0]
    coach = await admitted(room["coach"], session)
    started = time.monotonic()
    before = await RoomEvent.objects.acount()
    codes = []
    for _ in range(30):
        client = RoomClient(person, session.pk)
        await client.connect()
        codes.append(client.close_code)
        await client.close()
    await asyncio.sleep(0.3)
    elapsed = time.monotonic() - started
    arrivals = limits.ARRIVAL_BURST + int(elapsed * limits.ARRIVAL_RATE_PER_S)
    assert codes.count(None) <= arrivals
    assert set(codes) == {None, 4429}
    # Each arrival that got in: `joined` and `left`.
    assert await RoomEvent.objects.acount() - before <= 2 * arrivals
    await coach.close()


async def test_a_person_has_five_sockets_at_most(room):
    session, person = room["session"], room["people"][0]
    coach = await admitted(room["coach"], session)
    tabs = []
    for _ in range(limits.SOCKETS_PER_PERSON):
        tab = RoomClient(person, session.pk)
        assert (await tab.connect())["type"] == "welcome"
        tabs.append(tab)
    extra = RoomClient(person, session.pk)
    assert await extra.connect() is None
    assert extra.close_code == 4429
    assert await Attendance.objects.filter(user=person).acount() == limits.SOCKETS_PER_PERSON
    await tabs.pop().close()
    await asyncio.sleep(0.1)
    replacement = RoomClient(person, session.pk)
    assert (await replacement.connect())["type"] == "welcome"
    for client in [*tabs, replacement, extra, coach]:
        await client.close()


async def test_budgets_outlive_the_sockets_until_they_refill(room):
    session, person = room["session"], room["people"][0]
    coach = await admitted(room["coach"], session)
    client = await admitted(person, session)
    the_hub = hub()
    key = (session.pk, person.pk)
    later = time.monotonic() + 3600
    the_hub.forget_refilled(later)
    assert key in the_hub.limits, "forgotten while the person is connected"
    await client.close()
    await asyncio.sleep(0.1)
    the_hub.forget_refilled()
    assert key in the_hub.limits, "forgotten before it refilled"
    the_hub.forget_refilled(later)
    assert key not in the_hub.limits
    assert (session.pk, room["coach"].pk) in the_hub.limits
    await coach.close()


def _long_history(session, count, text):
    with transaction.atomic():
        for _ in range(count):
            log.append(session.pk, "chat", {"name": "Amal", "text": text})


async def test_a_long_history_is_replayed_in_frames_of_bounded_size(room):
    session = room["session"]
    message = "é" * 2000  # two bytes each in UTF-8
    await sync_to_async(_long_history)(session, 150, message)
    coach = RoomClient(room["coach"], session.pk)
    await coach.connect()
    await coach.send(type="sync", since=0)
    sizes, seqs = [], []
    while True:
        output = await coach.communicator.receive_output(3)
        frame = json.loads(output["text"])
        if frame["type"] != "replay":
            continue
        sizes.append(len(output["text"].encode("utf-8")))
        seqs.extend(event["seq"] for event in frame["events"])
        if frame["complete"]:
            break
    assert len(sizes) >= 2
    assert max(sizes) <= log.REPLAY_MAX_BYTES + 1024
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 150
    await coach.close()


def test_a_message_makes_links_of_its_first_addresses_only():
    addresses = " ".join(f"https://site{n}.ma" for n in range(MAX_LINKS + 10))
    html = sanitise(addresses)
    assert html.count("<a ") == MAX_LINKS
    assert html.endswith(f"https://site{MAX_LINKS + 9}.ma")
    assert 'href="https://site0.ma"' in html
