"""Chat messages stored in batches by the process's writer: the room's rules for each message,
numbers in the order messages came, a fixed number of statements per batch, and nothing lost
or stored twice when messages arrive all at once."""

import asyncio
import datetime
import random

import bleach
import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching.models import Participant, RoomEvent
from coaching.room import writer
from coaching.room.commands import chat
from coaching.room.protocol import RoomContext
from coaching.room.validation import FrameError
from tests.coaching.rooms import RoomClient, admitted, make_room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("room_hub_closed")]


def place(room, person, **fields):
    company = person.memberships.get().company
    return Participant.objects.create(
        session=room["session"],
        user=person,
        company=company,
        role="participant",
        status=fields.pop("status", "admitted"),
        **fields,
    )


def context(room, person):
    return RoomContext(
        session_id=room["session"].pk,
        user_id=person.pk,
        name=person.display_name,
        is_moderator=False,
        connection=f"c{person.pk}",
    )


def said(ctx, text):
    return (ctx, "chat", {"name": ctx.name, "text": text})


def test_a_batch_follows_the_rooms_rules_for_each_message_in_four_statements():
    first, second = make_room(participants=4), make_room(participants=1)
    speaker, muted, removed, placeless = first["people"]
    place(first, speaker)
    place(first, muted, chat_muted=True)
    place(first, removed, status="removed")
    place(second, second["people"][0])
    ended = make_room(participants=1)
    place(ended, ended["people"][0])
    ended["session"].ended_at = timezone.now()
    ended["session"].save(update_fields=["ended_at"])
    items = [
        said(context(first, speaker), "un"),
        said(context(second, second["people"][0]), "ailleurs"),
        said(context(first, muted), "je suis muet"),
        said(context(first, removed), "je suis parti"),
        said(context(first, placeless), "sans place"),
        said(context(ended, ended["people"][0]), "trop tard"),
        said(context(first, speaker), "deux"),
    ]
    with CaptureQueriesContext(connection) as queries:
        results = writer.persist(items)
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    # The rooms' locks, the places read after them, the numbers, the events: whatever the batch.
    assert [s for s in statements if s not in {"BEGIN", "COMMIT"}] == [
        "SELECT",
        "SELECT",
        "UPDATE",
        "INSERT",
    ]
    if connection.vendor == "postgresql":
        lock = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT"))
        assert "FOR UPDATE OF" in lock
    assert [r.seq for r in (results[0], results[6])] == [1, 2]
    assert results[1].seq == 1
    refusals = [(r.code, r.close_code) for r in results[2:6]]
    assert refusals == [
        ("muted", 0),
        ("not_admitted", 4408),
        ("not_admitted", 4500),
        ("ended", 4410),
    ]
    stored = list(
        RoomEvent.objects.filter(session=first["session"])
        .order_by("seq")
        .values_list("seq", "data__text")
    )
    assert stored == [(1, "un"), (2, "deux")]
    first["session"].refresh_from_db()
    assert first["session"].last_seq == 2
    assert not RoomEvent.objects.filter(session=ended["session"]).exists()


async def test_messages_sent_all_at_once_arrive_once_each_numbered_in_order():
    room = await asyncio.to_thread(make_room, participants=6)
    session = room["session"]
    coach = RoomClient(room["coach"], session.pk)
    await coach.connect()
    senders = []
    for person in room["people"]:
        client = RoomClient(person, session.pk)
        await client.connect()
        await client.sync(0)
        senders.append(client)
    await coach.sync(0)
    for round in range(5):
        for n, client in enumerate(senders):
            await client.send(type="chat", text=f"{n}:{round}")
    heard = []
    while len(heard) < 5 * len(senders):
        frame = await coach.expect("chat")
        heard.append(frame)
    numbers = [frame["seq"] for frame in heard]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    # Each sender's messages in the order sent.
    for n in range(len(senders)):
        rounds = [
            frame["text"].split(":")[1] for frame in heard if frame["text"].startswith(f"{n}:")
        ]
        assert rounds == ["0", "1", "2", "3", "4"]
    texts = [
        text
        async for text in RoomEvent.objects.filter(session=session, type="chat").values_list(
            "data__text", flat=True
        )
    ]
    assert sorted(texts) == sorted(frame["text"] for frame in heard)
    stored = [
        seq async for seq in RoomEvent.objects.filter(session=session).values_list("seq", flat=True)
    ]
    assert sorted(stored) == list(range(1, len(stored) + 1))
    for client in (coach, *senders):
        await client.close()


async def coach_and_people(participants):
    """A room open with its coach in it and each participant connected and caught up."""
    room = await asyncio.to_thread(make_room, participants=participants)
    coach = RoomClient(room["coach"], room["session"].pk)
    await coach.connect()
    people = [await admitted(person, room["session"]) for person in room["people"]]
    return room, coach, people


async def test_a_batch_that_fails_stores_nothing_and_each_sender_hears_it(monkeypatch):
    room, coach, [person] = await coach_and_people(1)
    session = room["session"]
    before = await RoomEvent.objects.filter(session=session).acount()

    def broken(items):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(writer, "persist", broken)
    await person.send(type="chat", text="perdu ?", ref="m1")
    error = await person.expect("error")
    assert (error["code"], error.get("ref")) == ("server_error", "m1")
    assert await RoomEvent.objects.filter(session=session).acount() == before
    monkeypatch.undo()
    # The socket is still in the room, and the next message goes through.
    await person.send(type="chat", text="retrouvé")
    assert (await coach.expect("chat"))["text"] == "retrouvé"
    for client in (coach, person):
        await client.close()


async def test_a_muted_persons_message_is_refused_and_nobody_hears_it():
    room, coach, [muted, other] = await coach_and_people(2)
    session = room["session"]
    await Participant.objects.filter(session=session, user=room["people"][0]).aupdate(
        chat_muted=True
    )
    await muted.send(type="chat", text="chut", ref="r")
    assert (await muted.expect("error"))["code"] == "muted"
    assert not await RoomEvent.objects.filter(session=session, type="chat").aexists()
    for client in (coach, muted, other):
        await client.close()


def slow_sanitise(text):
    cleaned = bleach.clean(text, tags=[], attributes={}, strip=True)
    return bleach.linkify(
        cleaned, callbacks=[chat.LinkBudget(), bleach.callbacks.nofollow, chat._noopener]
    )


def test_plain_text_skips_bleach_and_comes_out_as_bleach_would_leave_it():
    pieces = [
        "Bonjour",
        "à tous",
        "مرحبا بكم",
        "ça va ?",
        '"citation"',
        "l'équipe",
        "50 %",
        "#1",
        "😀",
        "\t",
        "\n",
        " ",
        "a.b",
        "exemple.ma",
        "https://virage.ma/x?y=1",
        "<b>",
        "&amp;",
        "5 > 3",
        "\r\n",
        "\x01",
        "\x7f",
        "\u200f",
        "\ufeff",
    ]
    rng = random.Random(7)
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(1500)]
    texts += [chr(code) for code in range(0x20, 0x3000) if not 0xD800 <= code <= 0xDFFF]
    for text in texts:
        assert chat.sanitise(text) == slow_sanitise(text), repr(text)
    assert chat.sanitise("<script>x</script> voir exemple.ma") == (
        'x voir <a href="http://exemple.ma" rel="nofollow noopener" target="_blank">exemple.ma</a>'
    )


def test_the_writer_refuses_in_an_ended_room_without_numbers():
    room = make_room(participants=1)
    place(room, room["people"][0])
    room["session"].ended_at = timezone.now() - datetime.timedelta(minutes=1)
    room["session"].save(update_fields=["ended_at"])
    [result] = writer.persist([said(context(room, room["people"][0]), "après la fin")])
    assert isinstance(result, FrameError) and result.code == "ended"
    room["session"].refresh_from_db()
    assert room["session"].last_seq == 0


async def test_a_message_that_comes_while_a_batch_is_published_is_written_next(monkeypatch):
    """Publishing may wait (the Redis layer): what arrives meanwhile is the next batch."""
    from coaching.room import hub as hubs

    room, coach, [first, second] = await coach_and_people(2)
    original = hubs.RoomHub.publish_events

    async def slow_publish(self, session_id, events):
        await asyncio.sleep(0.2)
        await original(self, session_id, events)

    monkeypatch.setattr(hubs.RoomHub, "publish_events", slow_publish)
    await first.send(type="chat", text="premier")
    await asyncio.sleep(0.1)  # the first batch is being published
    await second.send(type="chat", text="second")
    assert (await coach.expect("chat"))["text"] == "premier"
    assert (await coach.expect("chat"))["text"] == "second"
    for client in (coach, first, second):
        await client.close()


class HubThatFailsOnce:
    """A hub whose first publication fails (a bug, a layer error of a new kind)."""

    def __init__(self):
        self.published = []

    async def publish_events(self, session_id, events):
        if not self.published:
            self.published.append(None)
            raise RuntimeError("publishing failed")
        self.published += events


async def test_a_failed_publication_answers_its_sender_and_the_writer_goes_on():
    room = await asyncio.to_thread(make_room, participants=2)
    contexts = []
    for person in room["people"]:
        await asyncio.to_thread(place, room, person)
        contexts.append(context(room, person))
    hub = HubThatFailsOnce()
    batch_writer = writer.Writer(hub)
    first = asyncio.ensure_future(batch_writer.submit(*said(contexts[0], "un")))
    second = asyncio.ensure_future(batch_writer.submit(*said(contexts[1], "deux")))
    done, waiting = await asyncio.wait({first, second}, timeout=10)
    assert not waiting, "a sender was never answered"
    # Both are stored; the one whose publication failed reaches the room by a resync.
    assert sorted(task.result().data["text"] for task in done) == ["deux", "un"]
    third = await batch_writer.submit(*said(contexts[0], "trois"))
    assert hub.published[-1] == third
    texts = [t async for t in RoomEvent.objects.values_list("data__text", flat=True)]
    assert sorted(texts) == ["deux", "trois", "un"]


def test_a_message_the_database_refuses_is_refused_alone(monkeypatch):
    room = make_room(participants=3)
    contexts = []
    for person in room["people"]:
        place(room, person)
        contexts.append(context(room, person))
    persist = writer.persist

    def refusing_one(items):
        if any(data["text"] == "refusé" for _ctx, _type, data in items):
            # As the database refuses a row whose author's account was just deleted.
            with transaction.atomic():
                persist(items)
                raise IntegrityError("actor_id is not present in the users table")
        return persist(items)

    monkeypatch.setattr(writer, "persist", refusing_one)
    results = writer.persist_batch(
        [said(contexts[0], "un"), said(contexts[1], "refusé"), said(contexts[2], "deux")]
    )
    assert isinstance(results[1], IntegrityError)
    assert [results[0].data["text"], results[2].data["text"]] == ["un", "deux"]
    stored = list(RoomEvent.objects.order_by("seq").values_list("seq", "data__text"))
    assert stored == [(1, "un"), (2, "deux")]
