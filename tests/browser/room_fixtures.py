"""Fixtures for the live room's browser tests: daphne serving the test database (the live server
of pytest-django cannot serve WebSockets), a cohort with a session, and pages of people logged
in through a session cookie, as the room takes identity from the session."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    watch_policy_violations,
)
from tests.coaching.rooms import make_room, session_cookie

# Chromium's own camera and microphone (a test pattern and a beep), granted without asking.
MEDIA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


@pytest.fixture
def world(transactional_db):
    """A cohort of two companies with three participants, a coach, a second coach of the
    cohort (`co_coach`, who comes only when a test opens the room as them), and a session
    now."""
    room = make_room(participants=3)
    room["co_coach"] = factories.make_user(role="coach", first_name="Coach", last_name="Yassine")
    room["cohort"].coaches.add(room["co_coach"])
    return room


@pytest.fixture
def cookies(world):
    """Session cookies made before any page opens: the test's own writes to the database then
    never compete with the server's (SQLite takes one writer at a time)."""
    people = [world["coach"], world["co_coach"], *world["people"]]
    return {user.pk: session_cookie(user) for user in people}


@pytest.fixture
def daphne(world, cookies, next_daphne):
    """A daphne process on the test database, one per test: the database is emptied after each
    test and rows such as content types may come back with new ids, which a process that lived
    on would still have cached."""
    server = next_daphne()
    yield server
    server.stop()


@pytest.fixture
def media_browser(browser):
    """A second Chromium with fake camera and microphone (the first one has none)."""
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *MEDIA_ARGS], headless=True
    )
    yield watch_policy_violations(chromium)
    chromium.close()


@pytest.fixture
def open_room(browser, daphne, world, cookies):
    """Opens the room as a person: `open_room(user, language="en", width=1280)` gives the page
    once the person is in the room (or waiting, with `wait_for="waiting"`)."""
    contexts, errors = [], []

    def open_as(user, language="en", width=1280, height=900, on=None, wait_for="room"):
        context = (on or browser).new_context(
            base_url=daphne.url, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.add_cookies([{"name": "sessionid", "value": cookies[user.pk], "url": daphne.url}])
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(error))
        page.goto(room_path(world["session"], language))
        if wait_for:
            expect(page.locator("#room")).to_have_attribute("data-phase", wait_for)
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert not errors, f"script errors in the room's page: {errors}"


def room_path(session, language="en"):
    return f"/{language}/coaching/sessions/{session.pk}/room/"


def synced(page):
    """The number of the last event the page applied."""
    return page.evaluate("window.VirageRoom.page.sequence.last")


def chat_texts(page):
    return page.locator("#chat-log .chat-text").all_inner_texts()


def send_chat(page, text):
    page.locator("#tab-chat").click()
    page.locator("#chat-text").fill(text)
    page.locator("#chat-form [type=submit]").click()


def create_poll(page, question, options, now=True):
    """A coach writes a poll in the room and launches it (`now`) or prepares it for later."""
    page.locator("#tab-polls").click()
    builder = page.locator(".poll-builder")
    if not builder.evaluate("details => details.open"):
        builder.locator("summary").click()
    page.locator("#poll-question").fill(question)
    for slot, option in enumerate(options, start=1):
        page.locator(f"#poll-option-{slot}").fill(option)
    page.locator(f"#poll-form [data-open={'true' if now else 'false'}]").click()
