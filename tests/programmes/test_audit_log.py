"""The audit log page in the administration: programme managers read what was done, by whom,
when, filter it and download it; nobody else reads it."""

import pytest
from django.utils import translation
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from coaching import audit
from tests import factories
from tests.coaching.rooms import make_room

pytestmark = pytest.mark.django_db

URL = "/admin/audit-log/"


@pytest.fixture
def manager():
    manager = factories.make_user(role="manager", first_name="Nadia", last_name="Alami")
    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "en"  # the administration speaks its user's language
    profile.save()
    return manager


@pytest.fixture
def history(manager):
    """A room where the coach muted then removed a participant, and a company a manager
    moved."""
    room = make_room()
    session, coach, person = room["session"], room["coach"], room["people"][0]
    audit.record(session.pk, "coaching.room.mute", coach.pk, person.pk)
    audit.record(session.pk, "coaching.room.remove", coach.pk, person.pk)
    company = room["companies"][0]
    with translation.override("en"):
        log(
            instance=company,
            action="programmes.company_moved",
            user=manager,
            data={"from": "TPME · Promotion Fès", "to": "TPME · Promotion Agadir"},
        )
    return {"room": room, "person": person, "coach": coach, "company": company}


def test_a_manager_reads_who_did_what_newest_first(client, manager, history):
    client.force_login(manager)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    person = history["person"].display_name
    assert f"Muted {person} in the chat" in page
    assert f"Removed {person} from the room" in page
    assert "Moved the company from “TPME · Promotion Fès” to “TPME · Promotion Agadir”" in page
    assert page.index("Moved the company") < page.index(f"Removed {person}")
    assert "Coach Amal" in page  # who did it
    assert "Vendre en ligne" in page  # in which session


def test_the_log_filters_by_action_and_downloads(client, manager, history):
    client.force_login(manager)
    filtered = client.get(URL, {"action": "coaching.room.remove"}).content.decode()
    assert "from the room" in filtered
    assert "in the chat" not in filtered
    download = client.get(URL, {"export": "csv"})
    assert download.status_code == 200
    rows = download.content.decode().splitlines()
    assert len(rows) == 1 + ModelLogEntry.objects.count()
    # In the manager's language, like the page.
    assert rows[0] == "ID,Name,Type,Action type,User,Date/Time"
    assert any("Remove from a live room" in row and "Coach Amal" in row for row in rows)


@pytest.mark.parametrize("role", ["coach", "editor", None])
def test_nobody_else_reads_it(client, history, role):
    user = factories.make_user(role=role)
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code in {302, 403}
    assert "Vendre en ligne" not in response.content.decode()
    if response.status_code == 302:
        assert not response.url.startswith(URL)


def test_the_menu_shows_it_to_managers_only(client, manager):
    client.force_login(manager)
    assert URL in client.get("/admin/").content.decode()
    client.force_login(factories.make_user(role="editor"))
    assert URL not in client.get("/admin/").content.decode()
