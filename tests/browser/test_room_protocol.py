"""The room's page against docs/room-protocol.md itself: every numbered event the document lists
is applied by the page, every error code gets a sentence of its own (never the bare code), and
every close code after which the page stops has a reason to show."""

import re
from pathlib import Path

import pytest
from django.utils.translation import override
from playwright.sync_api import expect

from coaching.views.room import room_strings
from tests.browser import room_fixtures

# The room's fixtures, as this module's own (pytest finds fixtures by module attribute).
cookies = room_fixtures.cookies
daphne = room_fixtures.daphne
open_room = room_fixtures.open_room
world = room_fixtures.world

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "room-protocol.md"


def table_names(heading, header):
    """The names in backquotes of the first column of the table under `header` in the section
    `heading` of the protocol."""
    text = PROTOCOL.read_text(encoding="utf-8")
    section = text.split(f"\n{heading}\n", 1)[1]
    table = section.split(f"\n{header}\n", 1)[1].split("\n\n", 1)[0]
    names = []
    for row in table.splitlines()[1:]:  # past the |---| line
        first_cell = row.split("|")[1]
        names += re.findall(r"`([a-z_0-9]+)`", first_cell)
    return names


def close_codes():
    text = PROTOCOL.read_text(encoding="utf-8")
    section = text.split("\n## Close codes\n", 1)[1].split("\n## ", 1)[0]
    return [int(code) for code in re.findall(r"^\| (\d{4}) \|", section, re.MULTILINE)]


EVENTS = table_names("## Server → client", "| event | fields |")
ERRORS = table_names("## Error codes", "| code | meaning |")


def test_the_protocol_tables_are_read():
    assert {"room_opened", "poll_prepared", "call_left", "room_ended"} <= set(EVENTS)
    assert {"bad_json", "own_question", "not_in_call", "server_error"} <= set(ERRORS)
    assert {4406, 4500} <= set(close_codes())


def test_every_final_close_code_has_a_reason(db):
    with override("en"):
        strings = room_strings()
    for code in close_codes():
        if 4400 <= code <= 4429:  # the page stops: it says why
            assert strings.get(f"close_{code}"), code
        else:  # the page reconnects by itself, and says so while it waits
            assert f"close_{code}" not in strings, code
    assert "%(seconds)s" in strings["reconnecting_server_error"]


@pytest.mark.browser
def test_the_page_applies_every_event_and_explains_every_error(world, open_room):
    page = open_room(world["coach"])
    handled = page.evaluate("window.VirageRoom.state.eventTypes")
    assert sorted(set(EVENTS) - set(handled)) == []

    messages = page.evaluate(
        "codes => codes.map(code => window.VirageRoom.errorMessage({type: 'error', code}))",
        ERRORS,
    )
    generic = page.evaluate("window.VirageRoom.errorMessage({type: 'error', code: 'no_such'})")
    assert generic == "The room refused this action."
    for code, message in zip(ERRORS, messages, strict=True):
        assert message and message != generic, code
        if "_" in code:  # a code such as `own_question` is not words of the message
            assert code not in message, (code, message)
        assert "%(" not in message, (code, message)
    by_code = dict(zip(ERRORS, messages, strict=True))
    assert by_code["call_full"] == "The call is full. Largest number of people in a call: 6."
    protocol = {by_code[code] for code in ("not_text", "bad_json", "bad_frame", "unknown_type")}
    assert protocol == {by_code["unknown_field"]}


@pytest.mark.browser
def test_after_a_server_error_on_entry_the_page_tries_again_by_itself(world, open_room):
    page = open_room(world["coach"])
    # The close the server gives a socket it failed to let in (4500), as the page receives it.
    page.evaluate("window.VirageRoom.page.connection.closed(4500)")
    status = page.locator("#room-status")
    expect(status).to_have_attribute("data-state", "reconnecting")
    expect(status).to_contain_text("The room could not let you in just now. Trying again…")
    expect(status).to_have_attribute("data-state", "open")
    expect(page.locator("#room-notice")).to_be_hidden()
    expect(page.locator("#room")).to_have_attribute("data-phase", "room")
