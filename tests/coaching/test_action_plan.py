"""The action plan: each company's commitments from live sessions, open ones first; members,
their coaches and programme managers read them and mark them done, nobody else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActionItem, Cohort, RoomEvent
from tests import factories
from tests.coaching.rooms import make_room

pytestmark = pytest.mark.django_db
PLAN = reverse("coaching:action-plan")


@pytest.fixture
def plan(catalogue):
    world = make_room()
    course, _lessons = factories.build_course(catalogue, modules=1, lessons=1)
    module = course.get_children().live().first().specific
    first, second = world["companies"]
    session = world["session"]
    world["done"] = ActionItem.objects.create(
        session=session, company=first, text="Créer la page Facebook", done_at=timezone.now()
    )
    world["open"] = ActionItem.objects.create(
        session=session,
        company=first,
        text="Ouvrir WhatsApp Business",
        module=module,
        owner=world["people"][0],
        due_on=datetime.date(2026, 4, 1),
    )
    world["theirs"] = ActionItem.objects.create(
        session=session, company=second, text="Photographier le catalogue"
    )
    other = Cohort.objects.get(name="Promotion Agadir")
    world["other_coach"] = factories.make_user(role="coach")
    other.coaches.add(world["other_coach"])
    world["elsewhere"] = ActionItem.objects.create(
        company=other.companies.get(), text="Action d'une autre promotion"
    )
    world["module"] = module
    return world


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_reads_their_companys_plan_open_items_first(client, plan):
    client.force_login(plan["people"][0])  # of the first company
    html = html_of(client, PLAN)
    assert '<html lang="fr"' in html
    assert html.index("Ouvrir WhatsApp Business") < html.index("Créer la page Facebook")
    assert "Photographier le catalogue" not in html
    assert "Action d" not in html
    assert plan["module"].url in html and plan["module"].title in html
    assert plan["people"][0].display_name in html  # the owner
    assert "csrfmiddlewaretoken" in html


def test_a_coach_reads_their_cohorts_companies_with_a_filter(client, plan):
    first, second = plan["companies"]
    client.force_login(plan["coach"])
    html = html_of(client, "/en" + PLAN[3:])
    assert "Ouvrir WhatsApp Business" in html and "Photographier le catalogue" in html
    assert "Action d" not in html
    assert 'name="company"' in html
    html = html_of(client, f"{PLAN}?company={second.pk}")
    assert "Photographier le catalogue" in html and "Ouvrir WhatsApp Business" not in html
    # A company they do not follow is not a choice: the filter says so and shows nothing more.
    outside = plan["elsewhere"].company_id
    html = html_of(client, f"/en{PLAN[3:]}?company={outside}")
    assert "Action d" not in html and "Select a valid choice" in html


def test_a_manager_reads_every_company(client, plan):
    client.force_login(factories.make_user(role="manager"))
    html = html_of(client, PLAN)
    assert "Ouvrir WhatsApp Business" in html and "Action d" in html


def toggle(client, item, done, **extra):
    return client.post(reverse("coaching:action-toggle", args=[item.pk]), {"done": done, **extra})


def test_a_member_marks_their_companys_item_done_and_open_again(client, plan):
    item = plan["open"]
    client.force_login(plan["people"][2])  # an employee of the same company
    response = toggle(client, item, "1")
    assert response.status_code == 302 and response["Location"] == PLAN
    item.refresh_from_db()
    assert item.done_at is not None
    toggle(client, item, "0")
    item.refresh_from_db()
    assert item.done_at is None


def test_a_member_of_another_company_cannot_toggle_an_item(client, plan):
    item = plan["open"]
    for person in (plan["people"][1], plan["outsider"], plan["other_coach"]):
        client.force_login(person)
        assert toggle(client, item, "1").status_code == 404
    item.refresh_from_db()
    assert item.done_at is None


def test_the_cohorts_coach_toggles_and_bad_input_is_refused(client, plan):
    item = plan["theirs"]
    client.force_login(plan["coach"])
    assert toggle(client, item, "maybe").status_code == 400
    assert client.post(reverse("coaching:action-toggle", args=[item.pk])).status_code == 400
    assert client.get(reverse("coaching:action-toggle", args=[item.pk])).status_code == 405
    assert toggle(client, item, "1", next="https://evil.example/").status_code == 302
    item.refresh_from_db()
    assert item.done_at is not None
    response = toggle(client, item, "0", next=f"{PLAN}?company={item.company_id}")
    assert response["Location"] == f"{PLAN}?company={item.company_id}"


def test_visitors_are_sent_to_log_in(client, plan):
    assert "/accounts/login/" in client.get(PLAN)["Location"]
    response = toggle(client, plan["open"], "1")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    plan["open"].refresh_from_db()
    assert plan["open"].done_at is None


def test_a_change_made_while_the_room_runs_reaches_the_rooms_log(client, plan):
    session = plan["session"]
    session.opened_at = timezone.now()
    session.save()
    client.force_login(plan["people"][0])
    toggle(client, plan["open"], "1")
    event = RoomEvent.objects.get(session=session, type="action_updated")
    assert event.data == {"item": plan["open"].pk, "done": True}
    assert event.actor_id == plan["people"][0].pk
    toggle(client, plan["open"], "1")  # no change, no event
    assert RoomEvent.objects.filter(type="action_updated").count() == 1


def test_an_ended_room_hears_nothing_more(client, plan):
    session = plan["session"]
    session.opened_at = timezone.now() - datetime.timedelta(hours=1)
    session.ended_at = timezone.now()
    session.save()
    client.force_login(plan["people"][0])
    toggle(client, plan["open"], "1")
    plan["open"].refresh_from_db()
    assert plan["open"].done_at is not None
    assert not RoomEvent.objects.filter(type="action_updated").exists()
