"""The room's page on a phone (360 px: nothing wider than the screen, in any tab) and in Arabic
(right to left: the layout mirrors, and so do the arrow keys of the tabs)."""

import pytest
from playwright.sync_api import expect

from tests.browser import room_fixtures
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import expect_language
from tests.browser.room_fixtures import send_chat

# The room's fixtures, as this module's own (pytest finds fixtures by module attribute).
cookies = room_fixtures.cookies
daphne = room_fixtures.daphne
open_room = room_fixtures.open_room
world = room_fixtures.world

pytestmark = pytest.mark.browser

# Elements sticking out of the viewport on either side; a wide table may scroll inside its own
# box (.table-wrap), the page itself may not.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push("page " + document.documentElement.scrollWidth);
  for (const node of document.querySelectorAll("body *")) {
    if (node.closest(".table-wrap, .reaction-stage, .visually-hidden, .skip-link")) continue;
    const box = node.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.left < -1 || box.right > width + 1) {
      out.push((node.id || node.className || node.tagName) + " " + Math.round(box.left) + "–" + Math.round(box.right));
    }
  }
  return out;
}"""

TABS = ["chat", "questions", "polls", "actions", "moderation", "engagement"]


@pytest.fixture
def long_name(world):
    person = world["people"][1]
    person.first_name, person.last_name = "Fatima-Zahra", "Benabdellah-Alaoui-Idrissi"
    person.save()
    return person


def test_a_phone_in_arabic_shows_everything_without_sideways_scrolling(world, long_name, open_room):
    coach = open_room(world["coach"], language="ar", width=360, height=780)
    person = open_room(world["people"][0], language="ar", width=360, height=780)
    for page in (coach, person):
        expect_language(page, "ar")
    other = open_room(long_name, language="ar", width=360)
    send_chat(other, "https://example.ma/" + "catalogue-des-produits-artisanaux-" * 4)
    coach.locator("#tab-polls").click()
    coach.locator(".poll-builder summary").click()
    coach.locator("#poll-question").fill("Quel est votre principal canal de vente aujourd'hui ?")
    coach.locator("#poll-option-1").fill("Boutique physique" * 3)
    coach.locator("#poll-option-2").fill("Réseaux sociaux")
    coach.locator("#poll-form [data-open=true]").click()
    expect(person.locator("#chat-log .chat-entry")).to_have_count(1)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, page in (("coach", coach), ("participant", person)):
        for tab in TABS:
            selector = f"#tab-{tab}"
            if page.locator(selector).count() == 0:
                continue
            page.locator(selector).click()
            expect(page.locator(f"#panel-{tab}")).to_be_visible()
            assert page.evaluate(OVERFLOW) == [], f"{name}, tab {tab}"
        page.locator("#tab-chat").click()
        page.screenshot(path=SCREENSHOTS / f"room-ar-360-{name}.png", full_page=True)


def test_arabic_mirrors_the_layout_and_the_tab_keys(world, open_room):
    page = open_room(world["coach"], language="ar", width=1280)
    expect_language(page, "ar")
    main = page.locator(".room-main").bounding_box()
    people = page.locator(".room-people").bounding_box()
    # Right to left: the people's column sits at the start, on the right of the activities.
    assert people["x"] < main["x"]
    tab_chat = page.locator("#tab-chat").bounding_box()
    tab_questions = page.locator("#tab-questions").bounding_box()
    assert tab_questions["x"] < tab_chat["x"]

    page.locator("#tab-chat").focus()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#tab-questions")).to_be_focused()
    expect(page.locator("#tab-questions")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#panel-questions")).to_be_visible()
    expect(page.locator("#panel-chat")).to_be_hidden()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tab-chat")).to_be_focused()
    page.keyboard.press("End")
    expect(page.locator("#tab-engagement")).to_be_focused()
    page.screenshot(path=SCREENSHOTS / "room-ar-desktop.png")
