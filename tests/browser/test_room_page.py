"""The room's page as the server renders it (no browser needed): who gets it, what its script
is given, and that it carries no code of its own (only JSON blocks and script files)."""

import json
import re

import pytest
from django.test import Client
from django.utils.translation import override

from coaching.views.room import room_strings
from tests.coaching.rooms import make_room


@pytest.fixture
def room(db):
    return make_room(participants=3)


def page_of(user, session, language="en"):
    client = Client()
    client.force_login(user)
    return client.get(f"/{language}/coaching/sessions/{session.pk}/room/")


def json_block(response, name):
    found = re.search(
        rf'<script id="{name}" type="application/json">(.*?)</script>', response.content.decode()
    )
    return json.loads(found.group(1))


@pytest.mark.parametrize("who", ["outsider", "other_cohort_member"])
def test_people_outside_the_cohort_get_a_404(room, who):
    assert page_of(room[who], room["session"]).status_code == 404


def test_a_participant_chooses_only_within_their_own_company(room):
    person = room["people"][1]  # the only member of the second company
    response = page_of(person, room["session"])
    assert response.status_code == 200
    config = json_block(response, "room-config")
    second = room["companies"][1]
    assert config["companies"] == [{"id": second.pk, "name": second.name}]
    assert [member["id"] for member in config["members"]] == [person.pk]
    assert config["moderator"] is False
    assert config["panel_url"] == ""
    assert config["socket_path"] == f"/ws/coaching/sessions/{room['session'].pk}/"


def test_a_coach_gets_the_whole_cohort_and_the_side_panel(room):
    config = json_block(page_of(room["coach"], room["session"]), "room-config")
    assert {company["name"] for company in config["companies"]} == {"Zellige", "Argan"}
    assert {member["id"] for member in config["members"]} == {p.pk for p in room["people"]}
    assert config["moderator"] is True
    placeholder = config["panel_placeholder"]
    assert config["panel_url"].endswith(
        f"/sessions/{room['session'].pk}/participants/{placeholder}/"
    )


def test_the_page_has_no_inline_code_nor_outside_files_and_its_strings_are_translated(room):
    response = page_of(room["people"][0], room["session"], language="fr")
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'type="application/json"' in tag or " src=" in tag, tag
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"
    # Scripts and styles are the site's own files, no outside address.
    for address in re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', html):
        assert address.startswith("/static/"), address
    # The coach's side panel is a fragment of the session pages, styled by their stylesheet.
    assert "/static/coaching/sessions.css" in html
    strings = json_block(response, "room-strings")
    with override("fr"):
        assert strings == room_strings()
    assert "%(name)s" in strings["announce_chat"]


def test_an_external_video_room_is_linked_when_the_session_has_one(room):
    session = room["session"]
    assert "Open the video room" not in page_of(room["people"][0], session).content.decode()
    session.external_video_url = "https://meet.jit.si/virage-fes"
    session.save(update_fields=["external_video_url"])
    html = page_of(room["people"][0], session).content.decode()
    assert 'href="https://meet.jit.si/virage-fes"' in html
    assert "Open the video room" in html
