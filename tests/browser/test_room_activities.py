"""Questions, action items, engagement figures and the coach's side panel, in the room's page."""

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


def ask(page, text):
    page.locator("#tab-questions").click()
    page.locator("#question-text").fill(text)
    page.locator("#question-form [type=submit]").click()


def test_questions_actions_engagement_and_the_side_panel(world, open_room):
    coach = open_room(world["coach"])
    # people[0] and people[2] work for the first company, people[1] for the second.
    zellige, argan, colleague = world["people"]
    first, second, third = (open_room(person) for person in (zellige, argan, colleague))

    ask(first, "Comment fixer les prix ?")
    ask(second, "Faut-il un site ?")
    third.locator("#tab-questions").click()
    expect(third.locator("#question-list .question")).to_have_count(2)
    third.locator("#question-list .question", has_text="Faut-il un site ?").locator(
        "button[data-action=upvote]"
    ).click()
    for page in (coach, first, second, third):
        expect(page.locator("#question-list .question-text")).to_have_text(
            ["Faut-il un site ?", "Comment fixer les prix ?"]
        )
    expect(
        third.locator("#question-list .question").first.locator("button[data-action=upvote]")
    ).to_have_attribute("aria-pressed", "true")
    # One's own question has no vote button.
    expect(
        second.locator("#question-list .question").first.locator("[data-action=upvote]")
    ).to_be_hidden()

    coach.locator("#tab-questions").click()
    coach.locator("#question-list .question").first.get_by_role(
        "button", name="Mark as answered"
    ).click()
    expect(first.locator("#question-list .question-text")).to_have_text(
        ["Comment fixer les prix ?", "Faut-il un site ?"]
    )
    expect(first.locator("#question-list .question").last).to_contain_text("Answered")

    # An action for the participant's own company (the only one they may choose).
    first.locator("#tab-actions").click()
    first.locator(".action-builder summary").click()
    expect(first.locator("#action-company")).to_be_disabled()
    first.locator("#action-text").fill("Ouvrir une boutique en ligne")
    first.locator("#action-owner").select_option(label=zellige.display_name)
    first.locator("#action-due").fill("2026-12-15")
    first.locator("#action-form [type=submit]").click()
    for page in (coach, second, third):
        page.locator("#tab-actions").click()
        expect(page.locator("#action-list .action-item")).to_have_count(1)
        expect(page.locator("#action-list .action-meta")).to_contain_text(
            f"owner: {zellige.display_name}"
        )
    # Someone of another company cannot tick it; a colleague can, and everyone sees it done.
    expect(second.locator("#action-list input")).to_be_disabled()
    third.locator("#action-list input").check()
    for page in (coach, first, second):
        expect(page.locator("#action-list input")).to_be_checked()

    # Engagement figures, counted from the room's events.
    send_chat(first, "Merci")
    coach.locator("#tab-engagement").click()
    row = coach.locator("#engagement-body tr", has_text=zellige.display_name)
    expect(row.locator("td")).to_have_text(["1", "0", "0", "1", "0"])
    expect(coach.locator("#engagement-body tr")).to_have_count(3)

    # The side panel: a participant's details beside the room; Escape closes it.
    details = coach.get_by_role("button", name=f"Details about {zellige.display_name}")
    details.click()
    panel = coach.locator("#side-panel")
    expect(panel).to_be_visible()
    expect(coach.locator("#side-panel-title")).to_be_focused()
    expect(panel.locator(".participant-panel")).to_contain_text(zellige.display_name)
    coach.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(details).to_be_focused()
    # Participants have neither the panel nor the coach's tabs.
    expect(first.locator("#side-panel")).to_have_count(0)
    expect(first.locator("#tab-moderation")).to_have_count(0)
