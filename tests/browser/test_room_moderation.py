"""The coach's controls in the room's page: the waiting room (admit, refuse, knock again),
muting, removing, locking and ending the session, each seen from the person it concerns."""

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


def confirm(page):
    dialog = page.locator("#room-confirm")
    expect(dialog).to_be_visible()
    dialog.locator("button[value=confirm]").click()
    expect(dialog).to_be_hidden()


@pytest.fixture
def with_waiting_room(world):
    world["session"].waiting_room = True
    world["session"].save(update_fields=["waiting_room"])
    return world


def test_the_waiting_room_lets_in_whom_the_coach_admits(with_waiting_room, open_room):
    world = with_waiting_room
    first, second = world["people"][:2]
    early = open_room(first, wait_for="waiting")
    expect(early.locator("#room-waiting-text")).to_have_text(
        "Waiting for the coach to open the room…"
    )
    coach = open_room(world["coach"])
    expect(early.locator("#room-waiting-text")).to_have_text("Waiting for a coach to let you in…")
    send_chat(coach, "Bienvenue")
    late = open_room(second, wait_for="waiting")

    expect(coach.locator("#tab-moderation .badge")).to_have_text("Waiting: 2")
    coach.locator("#tab-moderation").click()
    expect(coach.locator("#knock-list .knock-name")).to_have_text(
        [first.display_name, second.display_name]
    )
    coach.get_by_role("button", name=f"Let {first.display_name} in").click()
    expect(early.locator("#room")).to_have_attribute("data-phase", "room")
    expect(early.locator("#chat-log .chat-text")).to_have_text(["Bienvenue"])
    expect(coach.locator("#knock-list .knock")).to_have_count(1)

    coach.get_by_role("button", name=f"Refuse {second.display_name}").click()
    expect(late.locator("#room")).to_have_attribute("data-close-code", "4406")
    expect(late.locator("#room-notice-text")).to_have_text("A coach did not let you in.")
    expect(coach.locator("#knock-empty")).to_be_visible()

    late.locator("#room-knock-again").click()
    expect(late.locator("#room")).to_have_attribute("data-phase", "waiting")
    coach.get_by_role("button", name=f"Let {second.display_name} in").click()
    expect(late.locator("#room")).to_have_attribute("data-phase", "room")
    expect(late.locator("#chat-log .chat-text")).to_have_text(["Bienvenue"])

    # Turning the waiting room off: the button shows the room's state.
    waiting_toggle = coach.locator("#mod-waiting")
    expect(waiting_toggle).to_have_attribute("aria-pressed", "true")
    waiting_toggle.click()
    expect(waiting_toggle).to_have_attribute("aria-pressed", "false")


def test_mute_remove_lock_and_end(world, open_room):
    coach = open_room(world["coach"])
    first, second, third = world["people"]
    muted = open_room(first)
    other = open_room(second)
    coach.locator(f"#people-list button[aria-label='Mute {first.display_name}\\'s chat']").click()
    expect(muted.locator("#chat-muted")).to_be_visible()
    expect(muted.locator("#chat-text")).to_be_disabled()
    expect(coach.locator("#people-list")).to_contain_text("chat muted")
    coach.get_by_role("button", name=f"Allow {first.display_name}'s chat").click()
    expect(muted.locator("#chat-text")).to_be_enabled()

    # Removing asks first; cancelling changes nothing.
    remove = coach.get_by_role("button", name=f"Remove {first.display_name}")
    remove.click()
    # The choices look different: cancelling is the quiet one, confirming the red one.
    colours = coach.locator("#room-confirm button").evaluate_all(
        "buttons => buttons.map(button => getComputedStyle(button).backgroundColor)"
    )
    assert colours == ["rgb(255, 255, 255)", "rgb(164, 38, 44)"]
    coach.locator("#room-confirm button[value=cancel]").click()
    expect(remove).to_be_focused()
    expect(muted.locator("#room")).to_have_attribute("data-phase", "room")
    remove.click()
    confirm(coach)
    expect(muted.locator("#room")).to_have_attribute("data-close-code", "4408")
    expect(muted.locator("#room-notice-text")).to_have_text(
        "A coach removed you from this session."
    )
    expect(muted.locator("#room-retry")).to_be_hidden()
    expect(coach.locator("#people-list .person")).to_have_count(2)

    coach.locator("#tab-moderation").click()
    coach.locator("#mod-lock").click()
    expect(coach.locator("#mod-lock")).to_have_attribute("aria-pressed", "true")
    locked_out = open_room(third, wait_for="closed")
    expect(locked_out.locator("#room")).to_have_attribute("data-close-code", "4423")

    coach.locator("#mod-end").click()
    confirm(coach)
    for page in (coach, other):
        expect(page.locator("#room")).to_have_attribute("data-close-code", "4410")
        expect(page.locator("#room-notice-text")).to_have_text("This session has ended.")
        summary = page.locator("#room-notice-summary")
        expect(summary).to_be_visible()
        assert summary.get_attribute("href").endswith(f"/sessions/{world['session'].pk}/summary/")
