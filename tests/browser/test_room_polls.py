"""Polls in the room's page beyond the live run of one poll: prepared polls, which only the
session's coaches see (those prepared before the session, and those prepared in the room, which
reach every coach at once), and a participant's own answer, marked again when they come back."""

import pytest
from playwright.sync_api import expect

from coaching.models import LiveSession, Poll
from tests.browser import room_fixtures
from tests.browser.room_fixtures import create_poll, send_chat

# The room's fixtures, as this module's own (pytest finds fixtures by module attribute).
cookies = room_fixtures.cookies
daphne = room_fixtures.daphne
open_room = room_fixtures.open_room
world = room_fixtures.world

pytestmark = pytest.mark.browser


def drafts(page):
    return page.locator("#poll-drafts .draft-question")


def caught_up(page, session):
    """Waits until the page applied every event the room has (private ones as skips)."""
    last = LiveSession.objects.get(pk=session.pk).last_seq
    page.wait_for_function("last => window.VirageRoom.page.sequence.last >= last", arg=last)


def test_prepared_polls_reach_every_coach_live_and_no_participant(world, open_room):
    session = world["session"]
    Poll.objects.create(
        session=session, question="Préparée avant", options=["A", "B"], created_by=world["coach"]
    )
    coach = open_room(world["coach"])
    co_coach = open_room(world["co_coach"])
    person = open_room(world["people"][0])

    # Prepared before the session: in `welcome`, for the coaches only.
    coach.locator("#tab-polls").click()
    expect(drafts(coach)).to_have_text(["Préparée avant"])
    expect(person.locator("#poll-drafts")).to_have_count(0)

    # Prepared in the room by one coach: the other coach's list follows at once, and their
    # polls tab says something new arrived.
    create_poll(coach, "Quel canal ?", ["Instagram", "WhatsApp"], now=False)
    expect(drafts(coach)).to_have_text(["Préparée avant", "Quel canal ?"])
    expect(co_coach.locator("#tab-polls .badge")).to_have_text("New: 1")
    co_coach.locator("#tab-polls").click()
    expect(drafts(co_coach)).to_have_text(["Préparée avant", "Quel canal ?"])
    # The participant skipped the private event without a gap, and sees no poll.
    caught_up(person, session)
    person.locator("#tab-polls").click()
    expect(person.locator("#poll-empty")).to_be_visible()
    expect(person.locator("#tab-polls .badge")).to_be_hidden()

    # A draft deleted from the session's page: a coach who comes in now does not see it again
    # (the room's history still holds its `poll_prepared`), and launching it from a list that
    # still shows it says why it cannot be, and takes it out of that list.
    deleted = Poll.objects.get(session=session, question="Quel canal ?")
    Poll.objects.filter(pk=deleted.pk, status=Poll.Status.DRAFT).delete()
    late = open_room(world["co_coach"])
    late.locator("#tab-polls").click()
    expect(drafts(late)).to_have_text(["Préparée avant"])
    co_coach.get_by_role("button", name="Launch “Quel canal ?”").click()
    expect(co_coach.locator("#room-toast")).to_have_text(
        "This poll is no longer one of this session's."
    )
    expect(drafts(co_coach)).to_have_text(["Préparée avant"])

    # Launched by one coach: out of every coach's list, in front of everyone.
    coach.get_by_role("button", name="Launch “Préparée avant”").click()
    for page in (co_coach, late):
        expect(page.locator("#poll-drafts-box")).to_be_hidden()
    expect(drafts(coach).filter(has_text="Préparée avant")).to_have_count(0)
    expect(person.locator("#poll-list .poll-question")).to_have_text(["Préparée avant"])


def chosen(page):
    return page.locator("#poll-list .poll-choice[aria-pressed=true]")


def test_a_participant_who_comes_back_sees_their_answer_marked(world, open_room):
    coach = open_room(world["coach"])
    person = open_room(world["people"][0])
    other = open_room(world["people"][1])
    create_poll(coach, "Vendez-vous en ligne ?", ["Oui", "Non", "Bientôt"])
    person.locator("#tab-polls").click()
    person.locator("#poll-list .poll-choice", has_text="Non").click()
    expect(coach.locator("#poll-list .poll-status")).to_contain_text("Answers: 1")

    # A network drop, a reload (the tab keeps the room's events, not the answer), and another
    # tab: each time the room's `welcome` says which option the person chose.
    person.context.set_offline(True)
    expect(person.locator("#room-status")).to_have_attribute("data-state", "offline")
    send_chat(coach, "Pendant la coupure")
    person.context.set_offline(False)
    expect(person.locator("#room-status")).to_have_attribute("data-state", "open")
    expect(person.locator("#chat-log .chat-text")).to_have_text(["Pendant la coupure"])
    person.locator("#tab-polls").click()
    expect(chosen(person)).to_contain_text("Non")
    person.reload()
    expect(person.locator("#room")).to_have_attribute("data-phase", "room")
    person.locator("#tab-polls").click()
    expect(chosen(person)).to_have_count(1)
    expect(chosen(person)).to_contain_text("Non (your answer)")
    again = open_room(world["people"][0])
    again.locator("#tab-polls").click()
    expect(chosen(again)).to_contain_text("Non")

    # The answer is changed from the new tab; someone else has no answer marked.
    again.locator("#poll-list .poll-choice", has_text="Bientôt").click()
    expect(coach.locator("#poll-list .poll-figure").nth(2)).to_have_text("1 · 100%")
    other.locator("#tab-polls").click()
    expect(other.locator("#poll-list .poll")).to_have_count(1)
    expect(chosen(other)).to_have_count(0)
    person.reload()
    person.locator("#tab-polls").click()
    expect(chosen(person)).to_contain_text("Bientôt")
