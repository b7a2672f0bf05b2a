"""Action items: a participant writes those of their own company, a coach those of any company
of the cohort; a module must be a published course module, an owner a member of the company."""

import pytest
from asgiref.sync import sync_to_async
from wagtail.models import Page

from coaching.models import ActionItem, RoomEvent
from courses.models import ModulePage
from tests import factories
from tests.coaching.rooms import admitted, make_room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("room_hub_closed")]


def build():
    room = make_room()
    factories.locales()
    if Page.get_first_root_node() is None:
        # Flushing the database after a transactional test takes the tree's root with it.
        Page.add_root(instance=Page(title="Root", slug="root"))
    _home, catalogue = factories.build_site()
    course, _pages = factories.build_course(catalogue, modules=1, lessons=1)
    room["module"] = ModulePage.objects.child_of(course).get()
    room["draft_module"] = factories.add_child(
        course, ModulePage(title="Brouillon", slug="brouillon"), live=False
    )
    room["outsider_company"] = factories.make_company(name="Hors cohorte")
    return room


@pytest.fixture
def room():
    return build()


async def test_a_participant_adds_an_action_for_their_company_and_everyone_sees_it(room):
    session, (own, other) = room["session"], room["companies"]
    lead, colleague = room["people"][0], room["people"][2]  # both in the first company
    coach = await admitted(room["coach"], session)
    writer = await admitted(lead, session)
    await writer.send(
        type="action_add",
        text="Ouvrir une boutique en ligne",
        company=own.pk,
        module=room["module"].pk,
        owner=colleague.pk,
        due_on="2026-12-15",
    )
    added = await coach.expect("action_added")
    assert added == {
        **added,
        "text": "Ouvrir une boutique en ligne",
        "company": own.pk,
        "company_name": "Zellige",
        "module": room["module"].pk,
        "module_title": room["module"].title,
        "owner": colleague.pk,
        "owner_name": colleague.display_name,
        "due_on": "2026-12-15",
        "by": lead.pk,
    }
    item = await ActionItem.objects.aget(pk=added["item"])
    assert (item.session_id, item.company_id, item.created_by_id) == (session.pk, own.pk, lead.pk)
    await writer.send(type="action_add", text="Sans détails", company=own.pk)
    bare = await coach.expect("action_added", text="Sans détails")
    assert (bare["module"], bare["owner"], bare["due_on"]) == (None, None, None)
    await writer.send(type="action_done", item=item.pk, done=True)
    assert (await coach.expect("action_updated"))["done"] is True
    await coach.send(type="action_done", item=item.pk, done=False)
    await writer.expect("action_updated", done=False)
    assert (await ActionItem.objects.aget(pk=item.pk)).done_at is None
    assert other.pk != own.pk
    for client in (coach, writer):
        await client.close()


async def test_a_participant_cannot_write_or_tick_another_companys_actions(room):
    session, (own, other) = room["session"], room["companies"]
    coach = await admitted(room["coach"], session)
    writer = await admitted(room["people"][0], session)
    await coach.send(type="action_add", text="Pour Argan", company=other.pk)
    theirs = await writer.expect("action_added")
    before = await RoomEvent.objects.acount()
    refusals = [
        ({"type": "action_add", "text": "x", "company": other.pk}, ("forbidden", "company")),
        (
            {"type": "action_add", "text": "x", "company": room["outsider_company"].pk},
            ("forbidden", "company"),
        ),
        ({"type": "action_done", "item": theirs["item"], "done": True}, ("forbidden", "item")),
        (
            {"type": "action_done", "item": theirs["item"] + 99, "done": True},
            ("no_such_item", "item"),
        ),
        (
            {
                "type": "action_add",
                "text": "x",
                "company": own.pk,
                "module": room["draft_module"].pk,
            },
            ("invalid_value", "module"),
        ),
        (
            {"type": "action_add", "text": "x", "company": own.pk, "module": 999999},
            ("invalid_value", "module"),
        ),
        (
            # A member of the cohort, but of the other company.
            {"type": "action_add", "text": "x", "company": own.pk, "owner": room["people"][1].pk},
            ("invalid_value", "owner"),
        ),
        (
            {"type": "action_add", "text": "x", "company": own.pk, "due_on": "2026-02-30"},
            ("invalid_value", "due_on"),
        ),
    ]
    for frame, expected in refusals:
        await writer.send(**frame)
        error = await writer.expect("error")
        assert (error["code"], error["field"]) == expected, frame
    assert await RoomEvent.objects.acount() == before
    assert await ActionItem.objects.acount() == 1
    # A coach writes for any company of the cohort, not for others.
    await coach.send(type="action_add", text="Hors", company=room["outsider_company"].pk)
    assert (await coach.expect("error"))["code"] == "forbidden"
    await coach.send(
        type="action_add", text="Pour Zellige", company=own.pk, owner=room["people"][0].pk
    )
    assert (await writer.expect("action_added", text="Pour Zellige"))["company"] == own.pk
    for client in (coach, writer):
        await client.close()


async def test_a_company_that_left_the_cohort_can_no_longer_receive_actions(room):
    session, (own, _other) = room["session"], room["companies"]
    coach = await admitted(room["coach"], session)
    await sync_to_async(room["cohort"].companies.remove)(own)
    await coach.send(type="action_add", text="Trop tard", company=own.pk)
    assert (await coach.expect("error"))["code"] == "forbidden"
    await coach.close()
