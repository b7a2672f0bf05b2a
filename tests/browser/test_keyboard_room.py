"""The live room with the keyboard alone: a coach launches a poll, a participant raises a hand,
chats, answers the poll and asks a question, never touching a mouse; focus stays where they
are when other people's messages arrive."""

import pytest
from playwright.sync_api import expect

from tests.browser import room_fixtures
from tests.browser.keyboard import focused_matches, press_on, tab_to, type_into

cookies = room_fixtures.cookies
daphne = room_fixtures.daphne
open_room = room_fixtures.open_room
world = room_fixtures.world

pytestmark = pytest.mark.browser


def open_tab(page, tab_id):
    """The room's tabs are one stop for Tab; arrows move between them (WAI-ARIA tabs)."""
    tab_to(page, "[role=tab][aria-selected=true]")
    for _ in range(8):
        if focused_matches(page, f"#{tab_id}"):
            break
        page.keyboard.press("ArrowRight")
    assert focused_matches(page, f"#{tab_id}"), f"{tab_id} not reached with the arrows"
    page.keyboard.press("Enter")
    expect(page.locator(f"#{tab_id}")).to_have_attribute("aria-selected", "true")


def test_a_coach_and_a_participant_run_the_room_with_the_keyboard(world, open_room):
    coach = open_room(world["coach"])
    person = open_room(world["people"][0])
    expect(coach.locator("#people-list .person:not(.is-absent)")).to_have_count(2)

    # The participant raises a hand: the coach sees it.
    press_on(person, "#hand-button")
    expect(coach.locator("#hand-queue li")).to_have_count(1)

    # The participant writes in the chat; Enter sends it; the focus stays in the box.
    type_into(person, "#chat-text", "Bonjour, je suis là")
    person.keyboard.press("Enter")
    expect(coach.locator("#chat-log .chat-text")).to_have_text(["Bonjour, je suis là"])
    assert focused_matches(person, "#chat-text")
    expect(person.locator("#chat-text")).to_have_value("")

    # The coach answers while the participant is typing: their focus and text stay put.
    person.keyboard.type("Une question")
    type_into(coach, "#chat-text", "Bienvenue")
    coach.keyboard.press("Enter")
    expect(person.locator("#chat-log .chat-text").last).to_have_text("Bienvenue")
    assert focused_matches(person, "#chat-text")
    expect(person.locator("#chat-text")).to_have_value("Une question")

    # The coach opens the poll builder and launches a poll, keys only.
    open_tab(coach, "tab-polls")
    press_on(coach, ".poll-builder summary")
    type_into(coach, "#poll-question", "Vendez-vous en ligne ?")
    type_into(coach, "#poll-option-1", "Oui")
    type_into(coach, "#poll-option-2", "Pas encore")
    press_on(coach, "#poll-form [data-open=true]")
    expect(coach.locator("#poll-list .poll-question")).to_have_text("Vendez-vous en ligne ?")

    # The participant answers it with Space on the option.
    open_tab(person, "tab-polls")
    press_on(person, "#poll-list .poll-choice:not([aria-pressed=true])", key="Space")
    expect(person.locator("#poll-list .poll-choice[aria-pressed=true]")).to_have_count(1)
    expect(coach.locator("#poll-list .poll-figure").first).to_have_text("1 · 100%")

    # And asks a question in the Q&A tab.
    open_tab(person, "tab-questions")
    type_into(person, "#question-text", "Comment encaisser à la livraison ?")
    press_on(person, "#question-form [type=submit]")
    open_tab(coach, "tab-questions")
    expect(coach.locator("#question-list")).to_contain_text("Comment encaisser à la livraison ?")
