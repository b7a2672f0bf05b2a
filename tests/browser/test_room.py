"""The live room in real Chromium, a coach and three participants in four browser contexts,
against daphne: chat, raised hands, polls, and a network drop with the catch-up after it."""

import pytest
from playwright.sync_api import expect

from coaching.models import RoomEvent
from tests.browser import room_fixtures
from tests.browser.room_fixtures import chat_texts, send_chat, synced
from tests.servers import start_daphne

# The room's fixtures, as this module's own (pytest finds fixtures by module attribute).
cookies = room_fixtures.cookies
daphne = room_fixtures.daphne
open_room = room_fixtures.open_room
world = room_fixtures.world

pytestmark = pytest.mark.browser


@pytest.fixture
def everyone(world, open_room):
    """The coach and the three participants, all arriving at once (whoever comes before the
    coach waits until the coach opens the room)."""
    pages = [open_room(person, wait_for=None) for person in [world["coach"], *world["people"]]]
    for page in pages:
        expect(page.locator("#room")).to_have_attribute("data-phase", "room")
        expect(page.locator("#people-list .person:not(.is-absent)")).to_have_count(4)
    return pages[0], pages[1:]


def test_chat_reaches_everyone_and_private_messages_only_the_coach(world, everyone):
    coach, (first, second, third) = everyone
    send_chat(first, "Bonjour <b>à tous</b> : https://virage.ma")
    for page in (coach, first, second, third):
        expect(page.locator("#chat-log .chat-entry")).to_have_count(1)
        entry = page.locator("#chat-log .chat-text").first
        expect(entry).to_have_text("Bonjour à tous : https://virage.ma")
        # Sanitised by the server: the tag is gone, the address is a link.
        expect(entry.locator("b")).to_have_count(0)
        expect(entry.locator("a[href='https://virage.ma']")).to_have_count(1)

    second.locator("#chat-to").select_option("coaches")
    send_chat(second, "Une question privée")
    expect(coach.locator("#chat-log .chat-entry.is-private")).to_contain_text("Une question privée")
    expect(second.locator("#chat-log .chat-entry.is-private")).to_have_count(1)
    # The others skip it without a gap: a public message after it reaches them in order.
    send_chat(coach, "Suite")
    for page in (first, third):
        expect(page.locator("#chat-log .chat-entry").last).to_contain_text("Suite")
        assert chat_texts(page) == ["Bonjour à tous : https://virage.ma", "Suite"]

    # The coach answers that one participant.
    coach.locator("#chat-log .chat-entry.is-private button").click()
    expect(coach.locator("#chat-to")).to_have_value(str(world["people"][1].pk))
    send_chat(coach, "Réponse privée")
    expect(second.locator("#chat-log .chat-entry.is-private").last).to_contain_text(
        "Réponse privée"
    )
    expect(first.locator("#chat-log .chat-entry")).to_have_count(2)


def hand_queue(page):
    return page.locator("#hand-queue .hand-name").all_inner_texts()


def test_raised_hands_queue_in_order_and_the_coach_lowers_one(world, everyone):
    coach, (first, second, third) = everyone
    names = [person.display_name for person in world["people"]]
    third.locator("#hand-button").click()
    expect(third.locator("#hand-button")).to_contain_text("Lower my hand")
    first.locator("#hand-button").click()
    for page in (coach, second):
        expect(page.locator("#hand-queue .hand-entry")).to_have_count(2)
        assert [name.split(" (")[0] for name in hand_queue(page)] == [names[2], names[0]]

    coach.get_by_role("button", name=f"Lower {names[2]}'s hand").click()
    for page in (coach, first, second, third):
        expect(page.locator("#hand-queue .hand-entry")).to_have_count(1)
        expect(page.locator("#hand-queue")).to_contain_text(names[0])
    expect(third.locator("#hand-button")).to_contain_text("Raise my hand")
    # A participant has no button to lower someone else's hand.
    expect(second.locator("#hand-queue button")).to_have_count(0)


def poll_total(page):
    return page.locator("#poll-list .poll").first.locator(".poll-status")


def test_the_coach_runs_a_poll_and_everyone_sees_live_results(everyone):
    coach, people = everyone
    coach.locator("#tab-polls").click()
    coach.locator(".poll-builder summary").click()
    coach.locator("#poll-question").fill("Vendez-vous déjà en ligne ?")
    for slot, option in enumerate(["Oui", "Non", "Bientôt"], start=1):
        coach.locator(f"#poll-option-{slot}").fill(option)
    coach.locator("#poll-form [data-open=true]").click()

    for page in people:
        expect(page.locator("#tab-polls .badge")).to_be_visible()
        page.locator("#tab-polls").click()
        expect(page.locator("#tab-polls .badge")).to_be_hidden()
        expect(page.locator("#poll-list .poll-question")).to_have_text(
            "Vendez-vous déjà en ligne ?"
        )
    for page, option in zip(people, ["Oui", "Non", "Oui"], strict=True):
        page.locator("#poll-list .poll-choice", has_text=option).click()
    for page in (coach, *people):
        expect(poll_total(page)).to_contain_text("Answers: 3")
        figures = page.locator("#poll-list .poll-figure").all_inner_texts()
        expect(page.locator("#poll-list .poll-figure").first).to_have_text("2 · 67%")
        assert len(figures) == 3
    mine = people[0].locator("#poll-list .poll-choice[aria-pressed=true]")
    expect(mine).to_contain_text("Oui")

    # A participant changes their answer: the results follow, the total stays.
    people[1].locator("#poll-list .poll-choice", has_text="Bientôt").click()
    expect(coach.locator("#poll-list .poll-figure").nth(2)).to_have_text("1 · 33%")
    expect(coach.locator("#poll-list .poll-figure").nth(1)).to_have_text("0 · 0%")
    expect(poll_total(coach)).to_contain_text("Answers: 3")

    coach.locator("#poll-list .poll-tools button").click()
    for page in people:
        expect(poll_total(page)).to_contain_text("Closed")
        expect(page.locator("#poll-list .poll-choice").first).to_be_disabled()

    # A prepared poll waits in the coach's list until it is launched.
    coach.locator("#poll-question").fill("Quel canal ?")
    coach.locator("#poll-option-1").fill("Instagram")
    coach.locator("#poll-option-2").fill("WhatsApp")
    coach.locator("#poll-form [data-open=false]").click()
    expect(coach.locator("#poll-drafts .draft")).to_have_text(["Quel canal ?Launch"])
    expect(people[0].locator("#poll-list .poll")).to_have_count(1)
    coach.locator("#poll-drafts button").click()
    expect(coach.locator("#poll-drafts-box")).to_be_hidden()
    for page in people:
        expect(page.locator("#poll-list .poll")).to_have_count(2)
        expect(page.locator("#poll-list .poll-question").first).to_have_text("Quel canal ?")


def test_a_participant_offline_catches_up_exactly_when_back(world, everyone):
    coach, (first, second, third) = everyone
    send_chat(first, "Avant la coupure")
    expect(third.locator("#chat-log .chat-entry")).to_have_count(1)

    third.context.set_offline(True)
    status = third.locator("#room-status")
    expect(status).to_contain_text("Reconnecting…")
    expect(status).to_have_attribute("data-state", "offline")
    expect(coach.locator("#people-list .person.is-absent")).to_have_count(1)

    for number in range(1, 4):
        send_chat(first if number % 2 else second, f"Pendant la coupure {number}")
    second.locator("#hand-button").click()
    expect(coach.locator("#hand-queue .hand-entry")).to_have_count(1)
    expect(third.locator("#chat-log .chat-entry")).to_have_count(1)

    third.context.set_offline(False)
    expect(status).to_have_attribute("data-state", "open")
    expected = [
        "Avant la coupure",
        "Pendant la coupure 1",
        "Pendant la coupure 2",
        "Pendant la coupure 3",
    ]
    expect(third.locator("#chat-log .chat-text")).to_have_text(expected)
    expect(third.locator("#hand-queue .hand-entry")).to_have_count(1)
    expect(coach.locator("#people-list .person.is-absent")).to_have_count(0)
    last = world["session"].__class__.objects.get(pk=world["session"].pk).last_seq
    expect(third.locator("#room")).to_have_attribute("data-synced", str(last))
    assert synced(third) == last

    # After a reload the tab rebuilds the room from what it kept, then catches up: still once.
    send_chat(coach, "Après le retour")
    third.reload()
    expect(third.locator("#room")).to_have_attribute("data-phase", "room")
    expect(third.locator("#chat-log .chat-text")).to_have_text([*expected, "Après le retour"])
    assert RoomEvent.objects.filter(session=world["session"], type="chat").count() == 5


def test_the_page_reconnects_with_backoff_after_a_server_restart(world, daphne, open_room):
    coach = open_room(world["coach"])
    person = open_room(world["people"][0])
    send_chat(coach, "Avant le redémarrage")
    expect(person.locator("#chat-log .chat-entry")).to_have_count(1)

    daphne.kill()
    status = person.locator("#room-status")
    expect(status).to_have_attribute("data-state", "reconnecting")
    expect(status).to_contain_text("Reconnecting…")
    restarted = start_daphne(port=daphne.port)
    try:
        for page in (coach, person):
            expect(page.locator("#room-status")).to_have_attribute(
                "data-state", "open", timeout=15_000
            )
        send_chat(person, "Après le redémarrage")
        for page in (coach, person):
            expect(page.locator("#chat-log .chat-text")).to_have_text(
                ["Avant le redémarrage", "Après le redémarrage"]
            )
    finally:
        restarted.stop()


# The sequence rules of docs/room-protocol.md, run on the page's own code: duplicates ignored,
# a gap buffered then asked for after a second, replays that jump over private events.
SEQUENCE_RULES = """async () => {
  const applied = [], syncs = [];
  const sequence = new window.VirageRoom.Sequence({
    apply: (frame, live) => applied.push([frame.seq, live]),
    requestSync: since => syncs.push(since),
    storageKey: "virage-room-sequence-test",
  });
  sequence.receive({type: "chat", seq: 1});
  sequence.receive({type: "chat", seq: 1});
  sequence.receive({type: "chat", seq: 3});
  sequence.receive({type: "skip", seq: 4});
  const beforeTheSecond = syncs.length;
  await new Promise(resolve => setTimeout(resolve, 1300));
  const afterTheSecond = syncs.slice();
  sequence.replay({events: [{type: "chat", seq: 2}, {type: "chat", seq: 3}], last_seq: 3, complete: true});
  sequence.receive({type: "chat", seq: 5});
  sequence.replay({events: [{type: "chat", seq: 7}], last_seq: 9, complete: true});
  sequence.receive({type: "chat", seq: 9});
  sequence.receive({type: "chat", seq: 10});
  return {applied, beforeTheSecond, afterTheSecond, last: sequence.last};
}"""


def test_the_sequence_rules_of_the_protocol(world, open_room):
    page = open_room(world["coach"])
    result = page.evaluate(SEQUENCE_RULES)
    assert result["beforeTheSecond"] == 0
    assert result["afterTheSecond"] == [1]
    assert result["applied"] == [
        [1, True],
        [2, False],
        [3, False],
        [4, True],
        [5, True],
        [7, False],
        [10, True],
    ]
    assert result["last"] == 10
