"""A screen reader hears the chat of the live room without losing its place: while a
participant writes in the chat box, another person's message is read out from the room's
polite live region, and the focus stays in the box."""

import pytest
from playwright.sync_api import expect

from tests.browser import room_fixtures
from tests.browser.room_fixtures import send_chat

# The room's fixtures, as this module's own (pytest finds fixtures by module attribute).
cookies = room_fixtures.cookies
daphne = room_fixtures.daphne
open_room = room_fixtures.open_room
world = room_fixtures.world

pytestmark = pytest.mark.browser


def test_a_new_message_is_announced_while_focus_stays_in_the_chat_box(world, open_room):
    writer, reader = world["people"][:2]
    open_room(world["coach"])  # the coach opens the room; the others come in
    listening = open_room(reader)
    speaking = open_room(writer)

    listening.locator("#tab-chat").click()
    listening.locator("#chat-text").fill("Je réponds bient")
    listening.locator("#chat-text").focus()
    announcer = listening.locator("#room-announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")

    send_chat(speaking, "Nous vendons déjà sur Instagram")

    expect(announcer).to_contain_text("Nous vendons déjà sur Instagram")
    expect(announcer).to_contain_text(writer.first_name)
    assert listening.evaluate("document.activeElement.id") == "chat-text"
    # What the reader was typing is still there, ready to go on.
    expect(listening.locator("#chat-text")).to_have_value("Je réponds bient")
