"""Who gets into a live room, who stays, and what a participant may not do: every refusal comes
with its documented close code or error, and nothing refused is stored."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from coaching.models import LiveSession, Participant, Poll, Question, RoomEvent
from coaching.room.hub import hub
from tests.coaching.rooms import HOST, ORIGIN, RoomClient, make_room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("room_hub_closed")]


@pytest.fixture
def room():
    return make_room()


async def enter(user, session):
    client = RoomClient(user, session.pk)
    welcome = await client.connect()
    return client, welcome


async def closed_with(client):
    """Reads what is left until the server closes the socket; its close code. The socket then
    ends as a browser's does (the server hears the disconnection)."""
    while await client.next_frame() is not None:
        pass
    await client.close()
    return client.close_code


async def refused(user, session_id):
    client = RoomClient(user, session_id)
    assert await client.connect() is None
    return client.close_code


async def test_a_socket_without_login_is_closed_with_4401(room):
    from virage_site.asgi import application

    communicator = WebsocketCommunicator(
        application, f"/ws/coaching/sessions/{room['session'].pk}/", headers=[ORIGIN, HOST]
    )
    connected, _ = await communicator.connect()
    assert connected
    closed = await communicator.receive_output(3)
    assert closed == {"type": "websocket.close", "code": 4401}
    await communicator.disconnect()
    assert not await Participant.objects.aexists()


async def test_a_socket_from_another_origin_is_refused(room, monkeypatch):
    from virage_site.asgi import application

    # The test settings allow every host; production lists its own.
    validator = application.application_mapping["websocket"].inner  # under KeepServerSend
    monkeypatch.setattr(validator, "allowed_origins", ["localhost"])
    person, session_id = room["people"][0], room["session"].pk
    client = RoomClient(person, session_id, origin=(b"origin", b"http://evil.test"))
    assert await client.connect() is None
    assert not await Participant.objects.aexists()
    welcome = await RoomClient(person, session_id).connect()
    assert welcome["type"] == "welcome"


async def test_outsiders_and_members_of_other_cohorts_are_closed_with_4403(room):
    session = room["session"]
    assert await refused(room["outsider"], session.pk) == 4403
    assert await refused(room["other_cohort_member"], session.pk) == 4403
    assert not await Participant.objects.aexists()


async def test_an_unknown_session_is_closed_with_4404(room):
    assert await refused(room["people"][0], room["session"].pk + 1000) == 4404


async def test_a_removed_participant_is_closed_and_cannot_come_back(room):
    session, removed = room["session"], room["people"][0]
    coach, _ = await enter(room["coach"], session)
    target, _ = await enter(removed, session)
    await target.sync(0)
    await coach.send(type="remove", user=removed.pk)
    assert (await coach.expect("removed"))["user"] == removed.pk
    await coach.expect("left", user=removed.pk)
    await target.expect("removed", user=removed.pk)
    assert await closed_with(target) == 4408
    assert await refused(removed, session.pk) == 4408
    await coach.close()


async def test_a_moderator_cannot_be_removed_or_muted(room):
    session = room["session"]
    other_coach = await sync_to_async(_second_coach)(room)
    coach, _ = await enter(room["coach"], session)
    await coach.sync(0)
    second, _ = await enter(other_coach, session)
    before = await RoomEvent.objects.acount()
    for frame in ({"type": "remove"}, {"type": "mute", "muted": True}):
        await coach.send(user=other_coach.pk, **frame)
        error = await coach.expect("error")
        assert (error["code"], error["field"]) == ("target_is_moderator", "user")
    assert await RoomEvent.objects.acount() == before
    for client in (coach, second):
        await client.close()


def _second_coach(room):
    from tests import factories

    coach = factories.make_user(role="coach")
    room["cohort"].coaches.add(coach)
    return coach


async def test_a_company_that_leaves_the_cohort_loses_its_sockets_at_the_next_sweep(room):
    session = room["session"]
    leaving, staying = room["people"][0], room["people"][1]
    coach, _ = await enter(room["coach"], session)
    gone, _ = await enter(leaving, session)
    kept, _ = await enter(staying, session)
    await gone.sync(0)
    await sync_to_async(room["cohort"].companies.remove)(room["companies"][0])
    await hub().sweep()
    assert await closed_with(gone) == 4403
    await coach.expect("left", user=leaving.pk)
    await kept.send(type="ping")
    await kept.expect("pong")
    assert await refused(leaving, session.pk) == 4403
    for client in (coach, kept):
        await client.close()


async def test_a_coach_who_stops_coaching_the_cohort_loses_moderation_at_the_next_sweep(room):
    """A coach who is also a member of a company of the cohort reconnects (4500) and enters
    as a participant; a coach who is nothing else is closed for good (4403)."""
    from tests import factories

    session = room["session"]
    member_coach = factories.make_user(role="coach")
    await sync_to_async(room["cohort"].coaches.add)(member_coach)
    await sync_to_async(factories.add_member)(room["companies"][0], user=member_coach)
    coach, _ = await enter(room["coach"], session)
    other, welcome = await enter(member_coach, session)
    assert welcome["you"]["role"] == "moderator"
    await sync_to_async(room["cohort"].coaches.remove)(room["coach"], member_coach)
    await hub().sweep()
    assert await closed_with(coach) == 4403
    assert await closed_with(other) == 4500
    again, welcome = await enter(member_coach, session)
    assert welcome["you"]["role"] == "participant"
    await again.send(type="lock", locked=True)
    assert (await again.expect("error"))["code"] == "forbidden"
    await again.close()


async def test_a_deleted_session_closes_its_sockets_with_4404(room):
    session = room["session"]
    coach, _ = await enter(room["coach"], session)
    await coach.sync(0)
    await LiveSession.objects.filter(pk=session.pk).adelete()
    await coach.send(type="chat", text="Encore là ?")
    assert (await coach.expect("error"))["code"] in {"ended", "not_admitted"}
    await hub().sweep()
    assert await closed_with(coach) == 4404


MODERATOR_COMMANDS = [
    {"type": "lower_hand", "user": 1},
    {"type": "poll_create", "question": "Q ?", "options": ["a", "b"], "open": True},
    {"type": "poll_open", "poll": 1},
    {"type": "poll_close", "poll": 1},
    {"type": "question_answered", "question": 1},
    {"type": "mute", "user": 1, "muted": True},
    {"type": "remove", "user": 1},
    {"type": "lock", "locked": True},
    {"type": "waiting_room", "enabled": True},
    {"type": "admit", "user": 1},
    {"type": "deny", "user": 1},
    {"type": "end"},
]


async def test_a_participant_sending_moderator_commands_is_refused_and_nothing_changes(room):
    session = room["session"]
    coach, _ = await enter(room["coach"], session)
    participant, _ = await enter(room["people"][0], session)
    await participant.sync(0)
    before = await RoomEvent.objects.acount()
    for frame in MODERATOR_COMMANDS:
        frame = {**frame, "user": room["people"][1].pk} if "user" in frame else frame
        await participant.send(ref=frame["type"], **frame)
        error = await participant.expect("error")
        assert (error["code"], error["ref"]) == ("forbidden", frame["type"])
    assert await RoomEvent.objects.acount() == before
    assert not await Poll.objects.aexists()
    fresh = await LiveSession.objects.aget(pk=session.pk)
    assert (fresh.locked, fresh.waiting_room, fresh.ended_at) == (False, False, None)
    statuses = {p.status async for p in Participant.objects.filter(session=session)}
    assert statuses == {"admitted"}
    # The room still works.
    await participant.send(type="chat", text="Toujours là")
    assert (await coach.expect("chat"))["text"] == "Toujours là"
    for client in (coach, participant):
        await client.close()


async def test_a_participant_cannot_write_privately_to_a_chosen_person(room):
    session = room["session"]
    coach, _ = await enter(room["coach"], session)
    participant, _ = await enter(room["people"][0], session)
    await participant.send(type="dm", text="À toi", to=room["people"][1].pk)
    error = await participant.expect("error")
    assert (error["code"], error["field"]) == ("invalid_value", "to")
    assert not await RoomEvent.objects.filter(type="dm").aexists()
    for client in (coach, participant):
        await client.close()


async def test_a_locked_room_refuses_newcomers_but_lets_admitted_people_back(room):
    session = room["session"]
    coach, _ = await enter(room["coach"], session)
    regular, _ = await enter(room["people"][0], session)
    await regular.sync(0)
    await coach.send(type="lock", locked=True)
    assert (await regular.expect("room_locked"))["locked"] is True
    await regular.close()
    assert await refused(room["people"][1], session.pk) == 4423
    back, welcome = await enter(room["people"][0], session)
    assert welcome["you"]["status"] == "admitted"
    assert welcome["room"]["locked"] is True
    await coach.send(type="lock", locked=False)
    await coach.expect("room_locked", locked=False)
    newcomer, welcome = await enter(room["people"][1], session)
    assert welcome["you"]["status"] == "admitted"
    for client in (coach, back, newcomer):
        await client.close()


async def test_the_end_closes_every_socket_and_nobody_comes_back(room):
    session = room["session"]
    coach, _ = await enter(room["coach"], session)
    first, _ = await enter(room["people"][0], session)
    await first.sync(0)
    await first.send(type="hand", raised=True)
    await coach.expect("hand_raised")
    await coach.send(type="end")
    for client in (coach, first):
        await client.expect("room_ended")
        assert await closed_with(client) == 4410
    fresh = await LiveSession.objects.aget(pk=session.pk)
    assert fresh.ended_at is not None
    # Nobody is left present, nobody keeps a hand up, and no departure follows the end.
    assert not await session.attendance.filter(closed_at__isnull=True).aexists()
    assert not await Participant.objects.filter(hand_raised_at__isnull=False).aexists()
    last = await RoomEvent.objects.order_by("-seq").afirst()
    assert last.type == "room_ended"
    assert await refused(room["people"][1], session.pk) == 4410
    assert await refused(room["coach"], session.pk) == 4410


async def test_a_question_of_another_room_is_not_found(room):
    session = room["session"]
    other = await sync_to_async(make_room)()
    foreign = await Question.objects.acreate(session=other["session"], text="Ailleurs")
    client, _ = await enter(room["coach"], session)
    await client.send(type="question_upvote", question=foreign.pk)
    error = await client.expect("error")
    assert (error["code"], error["field"]) == ("no_such_question", "question")
    await client.close()
    assert json.dumps(client.frames).count("Ailleurs") == 0
