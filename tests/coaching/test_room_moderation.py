"""The moderators' controls: the room opening when a coach arrives, the waiting room (knock,
admit, deny), muting a participant's chat, and lowering hands."""

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction

from coaching.models import ActionItem, LiveSession, Participant, Poll, Question, RoomEvent
from coaching.room import log
from coaching.room.hub import hub
from tests.coaching.rooms import RoomClient, make_room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("room_hub_closed")]


async def enter(user, session):
    client = RoomClient(user, session.pk)
    welcome = await client.connect()
    return client, welcome


async def closed_with(client):
    while await client.next_frame() is not None:
        pass
    await client.close()
    return client.close_code


async def test_the_room_opens_when_the_coach_arrives_and_lets_the_early_ones_in():
    room = make_room()
    session = room["session"]
    early, welcome = await enter(room["people"][0], session)
    assert (welcome["you"]["status"], welcome["room"]["opened"]) == ("waiting", False)
    await early.send(type="chat", text="Il y a quelqu'un ?")
    assert (await early.expect("error"))["code"] == "not_admitted"
    coach, welcome = await enter(room["coach"], session)
    assert welcome["room"]["opened"] is True
    await early.expect("room_opened")
    admitted = await early.expect("admitted")
    assert admitted["users"] == [room["people"][0].pk]
    # Admitted, the early one counts as present, and builds the room from its history.
    await coach.expect("joined", user=room["people"][0].pk)
    events, _ = await early.sync(0)
    assert [e["type"] for e in events][:2] == ["room_opened", "admitted"]
    await early.send(type="chat", text="Bonjour")
    await coach.expect("chat", text="Bonjour")
    for client in (coach, early):
        await client.close()


async def test_with_a_waiting_room_the_coach_alone_hears_knocks_and_admits_or_denies():
    room = make_room(waiting_room=True)
    session = room["session"]
    coach, _ = await enter(room["coach"], session)
    await coach.sync(0)
    # A participant admitted earlier watches: knocks are not theirs to read.
    await Participant.objects.acreate(
        session=session,
        user=room["people"][2],
        company=room["companies"][0],
        role="participant",
        status="admitted",
    )
    watcher, welcome = await enter(room["people"][2], session)
    assert welcome["you"]["status"] == "admitted"
    await watcher.sync(0)
    knocker, welcome = await enter(room["people"][0], session)
    assert welcome["you"]["status"] == "waiting"
    knock = await coach.expect("knock")
    assert (knock["user"], knock["private"]) == (room["people"][0].pk, True)
    assert (await watcher.expect("skip"))["seq"] == knock["seq"]
    assert await knocker.nothing_more()
    await coach.send(type="admit", user=room["people"][0].pk)
    assert (await knocker.expect("admitted"))["users"] == [room["people"][0].pk]
    await knocker.sync(0)
    await knocker.send(type="chat", text="Merci")
    await watcher.expect("chat", text="Merci")
    await coach.send(type="admit", user=room["people"][0].pk)
    assert (await coach.expect("error"))["code"] == "not_waiting"
    # Another one knocks and is refused; connecting again knocks again.
    refused, _ = await enter(room["people"][1], session)
    await coach.expect("knock", user=room["people"][1].pk)
    await coach.send(type="deny", user=room["people"][1].pk)
    denied = await refused.expect("denied")
    assert denied["user"] == room["people"][1].pk
    assert await closed_with(refused) == 4406
    await watcher.expect("skip", seq=denied["seq"])
    again, welcome = await enter(room["people"][1], session)
    assert welcome["you"]["status"] == "waiting"
    await coach.expect("knock", user=room["people"][1].pk)
    # Turning the waiting room off lets everyone waiting in.
    await coach.send(type="waiting_room", enabled=False)
    await again.expect("admitted", users=[room["people"][1].pk])
    assert (await watcher.expect("waiting_room"))["enabled"] is False
    assert not (await LiveSession.objects.aget(pk=session.pk)).waiting_room
    for client in (coach, watcher, knocker, again):
        await client.close()


async def test_waiting_people_knock_when_the_coach_opens_a_room_with_a_waiting_room():
    room = make_room(waiting_room=True)
    session = room["session"]
    early, _ = await enter(room["people"][0], session)
    coach, _ = await enter(room["coach"], session)
    await early.expect("room_opened")
    knock = await coach.expect("knock")
    assert knock["user"] == room["people"][0].pk
    assert await early.nothing_more()
    # Knocking again (a second tab) adds no knock.
    second_tab, _ = await enter(room["people"][0], session)
    assert await RoomEvent.objects.filter(type="knock").acount() == 1
    for client in (coach, early, second_tab):
        await client.close()


async def test_a_muted_participant_reads_but_cannot_write():
    room = make_room()
    session = room["session"]
    coach, _ = await enter(room["coach"], session)
    muted, _ = await enter(room["people"][0], session)
    await muted.sync(0)
    await coach.send(type="mute", user=room["people"][0].pk, muted=True)
    assert (await muted.expect("chat_muted"))["muted"] is True
    before = await RoomEvent.objects.acount()
    for frame in ({"type": "chat", "text": "Je parle"}, {"type": "dm", "text": "Au coach"}):
        await muted.send(**frame)
        assert (await muted.expect("error"))["code"] == "muted"
    assert await RoomEvent.objects.acount() == before
    await coach.send(type="chat", text="Vous lisez toujours")
    await muted.expect("chat", text="Vous lisez toujours")
    # Reconnecting does not lift it.
    await muted.close()
    back, welcome = await enter(room["people"][0], session)
    assert welcome["you"]["muted"] is True
    await back.sync(0)
    await coach.send(type="mute", user=room["people"][0].pk, muted=False)
    await back.expect("chat_muted", muted=False)
    await back.send(type="chat", text="Merci")
    await coach.expect("chat", text="Merci")
    for client in (coach, back):
        await client.close()


async def test_a_coach_lowers_a_raised_hand():
    room = make_room()
    session = room["session"]
    coach, _ = await enter(room["coach"], session)
    raiser, _ = await enter(room["people"][0], session)
    await raiser.sync(0)
    await raiser.send(type="hand", raised=True)
    assert (await coach.expect("hand_raised"))["user"] == room["people"][0].pk
    await coach.send(type="lower_hand", user=room["people"][0].pk)
    lowered = await raiser.expect("hand_lowered")
    assert (lowered["user"], lowered["by"]) == (room["people"][0].pk, room["coach"].pk)
    for client in (coach, raiser):
        await client.close()


async def test_a_waiting_socket_that_missed_its_admission_is_let_in_at_the_next_sweep():
    room = make_room(waiting_room=True)
    session = room["session"]
    coach, _ = await enter(room["coach"], session)
    waiting, _ = await enter(room["people"][0], session)
    await coach.expect("knock")
    # The admission is stored, but its messages never reach this process (a layer drops them).
    await sync_to_async(_admit_quietly)(session, room["people"][0], room["coach"])
    await hub().sweep()
    admitted = await waiting.expect("admitted")
    assert admitted["users"] == [room["people"][0].pk]
    await waiting.sync(0)
    await waiting.send(type="chat", text="Enfin")
    await coach.expect("chat", text="Enfin")
    joined = [
        f for f in coach.frames if f["type"] == "joined" and f["user"] == room["people"][0].pk
    ]
    assert len(joined) == 1
    for client in (coach, waiting):
        await client.close()


def _admit_quietly(session, person, coach):
    with transaction.atomic():
        Participant.objects.filter(session=session, user=person).update(status="admitted")
        log.append(session.pk, "admitted", {"users": [person.pk]}, actor_id=coach.pk)


ICE_SERVERS = [{"urls": "turn:turn.example.ma:3478", "username": "u", "credential": "secret"}]


async def test_relay_servers_are_given_to_admitted_sockets_only(settings):
    settings.COACHING_ICE_SERVERS = ICE_SERVERS
    room = make_room(waiting_room=True)
    session = room["session"]
    coach, welcome = await enter(room["coach"], session)
    assert welcome["ice_servers"] == ICE_SERVERS
    waiting, welcome = await enter(room["people"][0], session)
    assert welcome["you"]["status"] == "waiting" and "ice_servers" not in welcome
    await coach.expect("knock")
    await coach.send(type="admit", user=room["people"][0].pk)
    given = await waiting.next_frame()
    assert given == {"type": "ice_servers", "ice_servers": ICE_SERVERS}
    await waiting.expect("admitted", users=[room["people"][0].pk])
    for client in (coach, waiting):
        await client.close()


async def test_a_locked_room_refuses_a_newcomer_without_keeping_a_place_for_them():
    """A place left waiting would be let in by the next admission of the waiting (here: the
    waiting room turned off), and would then enter the locked room."""
    room = make_room(waiting_room=True)
    session, stranger = room["session"], room["people"][0]
    coach, _ = await enter(room["coach"], session)
    await coach.sync(0)
    await coach.send(type="lock", locked=True)
    await coach.expect("room_locked")
    refused = RoomClient(stranger, session.pk)
    assert await refused.connect() is None and refused.close_code == 4423
    assert not await Participant.objects.filter(user=stranger).aexists()
    await coach.send(type="waiting_room", enabled=False)
    await coach.expect("waiting_room")
    again = RoomClient(stranger, session.pk)
    assert await again.connect() is None and again.close_code == 4423
    await coach.close()


async def test_a_removed_persons_socket_that_missed_its_closing_cannot_act():
    """The removal's close travels through the channel layer, which may lose it: until the
    next sweep the socket stays open, and every command it sends is refused and closes it."""
    room = make_room()
    session, person = room["session"], room["people"][0]
    coach, _ = await enter(room["coach"], session)
    poll = await Poll.objects.acreate(
        session=session, question="Q ?", options=["a", "b"], status="open", created_by=room["coach"]
    )
    attempts = [
        {"type": "question_ask", "text": "Toujours là"},
        {"type": "poll_vote", "poll": poll.pk, "option": 0},
        {"type": "action_add", "text": "En douce", "company": room["companies"][0].pk},
        {"type": "call_join"},
        {"type": "hand", "raised": True},
        {"type": "sync", "since": 0},
    ]
    before = await RoomEvent.objects.acount()
    for frame in attempts:
        client, _ = await enter(person, session)
        await Participant.objects.filter(session=session, user=person).aupdate(status="removed")
        await client.send(**frame)
        error = await client.expect("error")
        assert error["code"] == "not_admitted", frame
        assert await closed_with(client) == 4408
        await Participant.objects.filter(session=session, user=person).aupdate(status="admitted")
        await coach.expect("left", user=person.pk)
    assert not await Question.objects.aexists()
    assert not await ActionItem.objects.aexists()
    assert not await poll.votes.aexists()
    place = await Participant.objects.aget(session=session, user=person)
    assert not place.in_call and place.hand_raised_at is None
    kinds = [e.type async for e in RoomEvent.objects.filter(seq__gt=before)]
    assert set(kinds) <= {"joined", "left"}
    await coach.close()
