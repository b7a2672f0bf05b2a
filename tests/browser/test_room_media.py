"""Audio and video in the room: three people join the call from Chromium with fake camera and
microphone, and each sees the others' video playing; leaving removes one's tile everywhere."""

import pytest
from playwright.sync_api import expect

from tests.browser import room_fixtures

# The room's fixtures, as this module's own (pytest finds fixtures by module attribute).
cookies = room_fixtures.cookies
daphne = room_fixtures.daphne
media_browser = room_fixtures.media_browser
open_room = room_fixtures.open_room
world = room_fixtures.world

pytestmark = pytest.mark.browser

PLAYING = """tile => {
  const video = tile.querySelector("video");
  return video.videoWidth > 0 && video.readyState >= 2 && !video.paused;
}"""


def remote_tiles(page):
    return page.locator("#call-tiles .call-tile:not(.is-local)")


def test_three_people_in_the_call_see_each_other(world, open_room, media_browser):
    people = [world["coach"], *world["people"][:2]]
    pages = [open_room(person, on=media_browser) for person in people]
    for page in pages:
        page.locator("#call-join").click()
        expect(page.locator("#call-tiles .call-tile.is-local")).to_have_count(1)
    for page in pages:
        expect(remote_tiles(page)).to_have_count(2)
        for tile in remote_tiles(page).all():
            tile.wait_for()
            page.wait_for_function(PLAYING, arg=tile.element_handle())
        expect(page.locator("#call-count")).to_contain_text("In the call: 3 of 6")
    names = [person.display_name for person in people]
    expect(remote_tiles(pages[0]).locator(".call-name")).to_contain_text(
        [names[1], names[2]], ignore_case=False
    )
    # The video goes on: its clock advances.
    first = remote_tiles(pages[1]).first.locator("video")
    before = first.evaluate("video => video.currentTime")
    pages[1].wait_for_timeout(600)
    assert first.evaluate("video => video.currentTime") > before

    pages[0].locator("#call-mic").click()
    expect(pages[0].locator("#call-mic")).to_have_attribute("aria-pressed", "true")
    assert pages[0].evaluate(
        "window.VirageRoom.page.call.stream.getAudioTracks().every(t => !t.enabled)"
    )

    pages[2].locator("#call-leave").click()
    expect(pages[2].locator("#call-tiles .call-tile")).to_have_count(0)
    expect(pages[2].locator("#call-join")).to_be_visible()
    for page in pages[:2]:
        expect(remote_tiles(page)).to_have_count(1)
        expect(page.locator("#call-count")).to_contain_text("In the call: 2 of 6")
