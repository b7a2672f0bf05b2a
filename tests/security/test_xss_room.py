"""The cross-site-scripting gate of the live room: every payload of the corpus, sent through
everything people write in a session (chat, private messages, questions, polls, action items,
the session's title and agenda, their own and their company's names), is shown as text and
never runs, in Chromium, for the people who receive it live, after a reload (the replay), and
on the pages that show the session afterwards (summary, action plan, session pages, the coach's
side panel)."""

import pytest
from django.conf import settings
from playwright.sync_api import expect
from wagtail.models import Locale

from coaching.forms import LOCAL_INPUT_FORMAT
from coaching.models import Poll
from coaching.models.sessions import SESSION_TIME_ZONE
from tests.browser import room_fixtures
from tests.browser.room_fixtures import room_path, send_chat

from .forms import form_client, post_form
from .xss_payloads import PAYLOADS, batch, marked, marker, numbers
from .xss_watch import missing_markers, new_watched_context

# The room's fixtures, as this module's own (pytest finds fixtures by module attribute).
cookies = room_fixtures.cookies
daphne = room_fixtures.daphne
world = room_fixtures.world

pytestmark = pytest.mark.browser

ALL = numbers()
# Two payloads a message: under the room's burst of frames, so nothing waits for the rate.
PAIRS = [ALL[start : start + 2] for start in range(0, len(ALL), 2)]
# Events arrive at the room's pace on a busy machine.
ARRIVAL_MS = 30_000
POLL_OPTIONS = 6
# The payloads each part of the room carries, behind their field's marker.
CHAT, QUESTION, ACTION, POLL, OPTION, PRIVATE = "C", "Q", "I", "P", "O", "D"


def _local(moment):
    return moment.astimezone(SESSION_TIME_ZONE).strftime(LOCAL_INPUT_FORMAT)


@pytest.fixture
def written(world):
    """Names of people, companies and cohort carrying payloads, and the coach's own writing
    through the session's forms: its title and agenda, and a prepared poll. All before any
    server process or page opens (SQLite takes one writer at a time)."""
    # An earlier live-server test may have emptied the tables Wagtail's migrations fill; the
    # session's form lists modules by locale.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    people = [world["coach"], world["co_coach"], *world["people"]]
    names = iter(numbers(2 * len(people), start=1))
    for person in people:
        person.first_name, person.last_name = marked("N", next(names)), marked("N", next(names))
        person.save(update_fields=["first_name", "last_name"])
    for number, company in zip(numbers(2, start=20), world["companies"], strict=True):
        company.name = marked("K", number)
        company.save(update_fields=["name"])
    cohort = world["cohort"]
    cohort.name = marked("H", 30)
    cohort.save(update_fields=["name"])

    session = world["session"]
    coach = form_client(world["coach"])
    detail = f"/en/coaching/sessions/{session.pk}/"
    edit = f"{detail}edit/"
    post_form(
        coach,
        edit,
        edit,
        {
            "cohort": cohort.pk,
            "title": marked("T", 24),
            "starts_at": _local(session.starts_at),
            "ends_at": _local(session.ends_at),
            "agenda": batch("A", ALL),
            # The address's own syntax lets a quote and brackets through: escaped in the page.
            "external_video_url": f'https://meet.example.ma/r?x="{PAYLOADS[13]}',
        },
    )
    options = {f"option_{slot}": marked("R", n) for slot, n in enumerate(numbers(6, 40), 1)}
    post_form(coach, detail, f"{detail}polls/", {"question": marked("R", 39), **options})
    assert Poll.objects.filter(session=session, status=Poll.Status.DRAFT).count() == 1
    return world


@pytest.fixture
def open_watched(browser, daphne, cookies):
    """Opens a page as a person, in a watched context of their own: (page, watch)."""
    contexts = []

    def open_as(user, path):
        cookie = {"name": "sessionid", "value": cookies[user.pk], "url": daphne.url}
        context, watch, page = new_watched_context(browser, daphne.url, cookies=[cookie])
        contexts.append(context)
        page.goto(path)
        return page, watch

    yield open_as
    for context in contexts:
        context.close()


def send_all(page, frames):
    """Sends the person's frames through the page's own connection, as its forms do (the
    page paces them under the room's rate limit)."""
    page.evaluate(
        "frames => frames.forEach(frame => window.VirageRoom.page.room.command(frame))", frames
    )


def in_room(page):
    expect(page.locator("#room")).to_have_attribute("data-phase", "room")
    return page


def room_markers():
    return (
        [marker("U", 2)]
        + ([marker(field, n) for field in (CHAT, QUESTION, ACTION, OPTION, PRIVATE) for n in ALL])
        + [marker(POLL, n) for n in ALL[::POLL_OPTIONS]]
    )


def test_no_payload_runs_in_the_live_room_nor_on_the_session_pages(written, daphne, open_watched):
    coach, (lead, other_lead, employee) = written["coach"], written["people"]
    session, first_company = written["session"], written["companies"][0]
    path = room_path(session)
    coach_page, coach_watch = open_watched(coach, path)
    in_room(coach_page)
    pages = {coach: (coach_page, coach_watch)}
    for person in (lead, other_lead, employee):
        pages[person] = open_watched(person, path)
        in_room(pages[person][0])

    # One message typed in the chat's form; the rest sent as the forms send them.
    send_chat(pages[other_lead][0], marked("U", 2))
    half = len(ALL) // 2
    send_all(pages[other_lead][0], [{"type": "chat", "text": batch(CHAT, pair)} for pair in PAIRS])
    send_all(
        pages[employee][0],
        [{"type": "question_ask", "text": batch(QUESTION, pair)} for pair in PAIRS],
    )
    send_all(
        pages[lead][0],
        [
            {"type": "action_add", "text": batch(ACTION, pair), "company": first_company.pk}
            | ({"owner": employee.pk} if pair[0] % 4 == 1 else {})
            for pair in PAIRS
        ]
        + [{"type": "dm", "text": batch(PRIVATE, ALL[:half])}],
    )
    polls = [ALL[start : start + POLL_OPTIONS] for start in range(0, len(ALL), POLL_OPTIONS)]
    send_all(
        coach_page,
        [
            {
                "type": "poll_create",
                "question": marked(POLL, chosen[0]),
                "options": [marked(OPTION, n) for n in chosen],
                "open": True,
            }
            for chosen in polls
        ]
        + [{"type": "dm", "text": batch(PRIVATE, ALL[half:]), "to": lead.pk}],
    )

    # The lead receives everything: the public events live, and both private messages.
    lead_page, lead_watch = pages[lead]
    arrived = {
        "#chat-log .chat-entry": len(PAIRS) + 3,
        "#question-list .question": len(PAIRS),
        "#action-list .action-item": len(PAIRS),
        "#poll-list .poll": len(polls),
    }
    for page in (lead_page, coach_page):
        for selector, count in arrived.items():
            expect(page.locator(selector)).to_have_count(count, timeout=ARRIVAL_MS)
    for tab in ("#tab-chat", "#tab-questions", "#tab-polls", "#tab-actions"):
        for page, watch in pages.values():
            page.locator(tab).click()
            watch.assert_inert(page, f"in the room ({tab})")
    # The names of the coach (1, 2) and the three participants (5 to 10); the second coach
    # (3, 4) stays away.
    people_markers = [marker("N", n) for n in (1, 2, *range(5, 11))]
    for page, _watch in pages.values():
        assert not missing_markers(page, people_markers, "#people-list")
    shown = missing_markers(
        lead_page, room_markers(), "#chat-log, #question-list, #action-list, #poll-list"
    )
    assert not shown, f"texts the room does not show: {shown}"

    # The replay: the same history, applied at once on arrival.
    lead_page.reload()
    in_room(lead_page)
    expect(lead_page.locator("#chat-log .chat-entry")).to_have_count(len(PAIRS) + 3)
    lead_watch.assert_inert(lead_page, "in the room's replay")

    # The coach's side panel about a person (a fragment the page inserts as HTML).
    coach_page.locator("#people-list .person", has_text=marker("N", 5)).get_by_role(
        "button", name="Details about"
    ).click()
    expect(coach_page.locator("#side-panel-body")).to_contain_text(marker("K", 20))
    coach_watch.assert_inert(coach_page, "in the coach's side panel")

    session_pages = [
        f"/en/coaching/sessions/{session.pk}/",
        f"/en/coaching/sessions/{session.pk}/summary/",
        f"/en/coaching/sessions/{session.pk}/edit/",
        "/en/coaching/sessions/",
    ]
    for address in session_pages:
        coach_page.goto(address)
        coach_watch.assert_inert(coach_page, f"on {address}")
    coach_page.goto(session_pages[0])
    written_there = [marker("T", 24), marker("R", 39), *(marker("A", n) for n in ALL)]
    assert not missing_markers(coach_page, written_there, "main")
    coach_page.goto(session_pages[1])
    summed_up = [marker(field, n) for field in (QUESTION, ACTION, OPTION) for n in ALL]
    assert not missing_markers(coach_page, summed_up, "main")
    for address in [*session_pages[:2], session_pages[3], "/en/coaching/action-plan/"]:
        lead_page.goto(address)
        lead_watch.assert_inert(lead_page, f"on {address}")
    assert not missing_markers(lead_page, [marker(ACTION, n) for n in ALL], "main")
