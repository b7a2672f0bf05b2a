"""Polls (prepared or live, results after each vote) and questions with upvotes."""

import pytest

from coaching.models import Poll, PollVote, Question, QuestionVote, RoomEvent
from tests.coaching.rooms import RoomClient, make_room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("room_hub_closed")]


@pytest.fixture
def room():
    return make_room()


async def admitted(user, session):
    client = RoomClient(user, session.pk)
    welcome = await client.connect()
    await client.sync(0)
    return client, welcome


async def test_a_live_poll_opens_counts_each_vote_and_closes(room):
    session = room["session"]
    coach, _ = await admitted(room["coach"], session)
    first, _ = await admitted(room["people"][0], session)
    second, _ = await admitted(room["people"][1], session)
    await coach.send(
        type="poll_create", question="Votre canal ?", options=["Web", "WhatsApp"], open=True
    )
    opened = await first.expect("poll_opened")
    assert (opened["question"], opened["options"]) == ("Votre canal ?", ["Web", "WhatsApp"])
    poll = opened["poll"]
    await first.send(type="poll_vote", poll=poll, option=1)
    results = await second.expect("poll_results")
    assert (results["counts"], results["total"], results["by"]) == ([0, 1], 1, room["people"][0].pk)
    await second.send(type="poll_vote", poll=poll, option=1)
    assert (await coach.expect("poll_results", total=2))["counts"] == [0, 2]
    # Changing one's vote while the poll is open; the same vote again changes nothing.
    await first.send(type="poll_vote", poll=poll, option=0)
    assert (await coach.expect("poll_results", counts=[1, 1]))["total"] == 2
    before = await RoomEvent.objects.acount()
    await first.send(type="poll_vote", poll=poll, option=0)
    await first.send(type="poll_vote", poll=poll, option=2)
    error = await first.expect("error")
    assert (error["code"], error["field"]) == ("invalid_value", "option")
    assert await RoomEvent.objects.acount() == before
    await coach.send(type="poll_close", poll=poll)
    closed = await second.expect("poll_closed")
    assert (closed["counts"], closed["total"]) == ([1, 1], 2)
    await second.send(type="poll_vote", poll=poll, option=0)
    assert (await second.expect("error"))["code"] == "poll_not_open"
    assert [v.option async for v in PollVote.objects.order_by("user_id")] == [0, 1]
    # A person who comes back finds their answer in the welcome.
    await first.close()
    again = RoomClient(room["people"][0], session.pk)
    welcome = await again.connect()
    assert welcome["you"]["votes"] == [{"poll": poll, "option": 0}]
    for client in (coach, second, again):
        await client.close()


async def test_a_prepared_poll_is_for_moderators_until_opened(room):
    session = room["session"]
    drafted = await Poll.objects.acreate(
        session=session, question="Préparé avant", options=["Oui", "Non"]
    )
    coach, welcome = await admitted(room["coach"], session)
    assert welcome["drafts"] == [
        {"poll": drafted.pk, "question": "Préparé avant", "options": ["Oui", "Non"]}
    ]
    participant, welcome = await admitted(room["people"][0], session)
    assert "drafts" not in welcome
    await coach.send(
        type="poll_create", question="Préparé en salle", options=["A", "B", "C"], open=False
    )
    prepared = await coach.expect("poll_prepared")
    assert prepared["private"] is True
    assert (await participant.expect("skip"))["seq"] == prepared["seq"]
    await participant.send(type="poll_vote", poll=prepared["poll"], option=0)
    assert (await participant.expect("error"))["code"] == "poll_not_open"
    await coach.send(type="poll_close", poll=drafted.pk)
    assert (await coach.expect("error"))["code"] == "poll_not_open"
    await coach.send(type="poll_open", poll=drafted.pk)
    opened = await participant.expect("poll_opened")
    assert (opened["poll"], opened["question"]) == (drafted.pk, "Préparé avant")
    await coach.send(type="poll_open", poll=drafted.pk)
    assert (await coach.expect("error"))["code"] == "poll_not_draft"
    await coach.send(type="poll_open", poll=drafted.pk + 1000)
    error = await coach.expect("error")
    assert (error["code"], error["field"]) == ("no_such_poll", "poll")
    # The replay gives a participant the open poll, not the draft.
    newcomer = RoomClient(room["people"][1], session.pk)
    await newcomer.connect()
    replayed = [event["type"] for event in (await newcomer.sync(0))[0]]
    assert "poll_opened" in replayed and "poll_prepared" not in replayed
    assert await Poll.objects.filter(status="draft").acount() == 1
    for client in (coach, participant, newcomer):
        await client.close()


async def test_questions_are_asked_upvoted_once_and_answered(room):
    session = room["session"]
    coach, _ = await admitted(room["coach"], session)
    asker, _ = await admitted(room["people"][0], session)
    voter, _ = await admitted(room["people"][1], session)
    await asker.send(type="question_ask", text="Comment fixer les prix <b>en ligne</b> ?")
    asked = await voter.expect("question_asked")
    assert asked["text"] == "Comment fixer les prix <b>en ligne</b> ?"
    assert asked["name"] == room["people"][0].display_name
    question = asked["question"]
    await voter.send(type="question_upvote", question=question)
    votes = await coach.expect("question_votes")
    assert (votes["votes"], votes["voted"], votes["by"]) == (1, True, room["people"][1].pk)
    await coach.send(type="question_upvote", question=question)
    assert (await asker.expect("question_votes", votes=2))["by"] == room["coach"].pk
    await voter.send(type="question_upvote", question=question)
    withdrawn = await asker.expect("question_votes", votes=1)
    assert withdrawn["voted"] is False
    await asker.send(type="question_upvote", question=question)
    error = await asker.expect("error")
    assert (error["code"], error["field"]) == ("own_question", "question")
    await voter.send(type="question_answered", question=question)
    assert (await voter.expect("error"))["code"] == "forbidden"
    await coach.send(type="question_answered", question=question)
    assert (await asker.expect("question_answered"))["answered"] is True
    await coach.send(type="question_answered", question=question, answered=False)
    await voter.expect("question_answered", answered=False)
    stored = await Question.objects.aget(pk=question)
    assert (stored.answered, await QuestionVote.objects.acount()) == (False, 1)
    for client in (coach, asker, voter):
        await client.close()
