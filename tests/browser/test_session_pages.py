"""Session pages in real Chromium: readable at 360 px in French and Arabic, working without
JavaScript (times in Casablanca time, named), and with it in the viewer's own zone."""

import datetime

import pytest
from django.utils import timezone

from coaching.models import ActionItem, Poll
from coaching.models.sessions import SESSION_TIME_ZONE
from tests import factories
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import log_in
from tests.coaching.rooms import make_room

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def make(width=360, **options):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 800}, **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def world(live_server):
    _home, catalogue = factories.build_site()
    world = make_room()
    course, _lessons = factories.build_course(catalogue, modules=2, lessons=1)
    session = world["session"]
    day = timezone.localdate(timezone.now(), SESSION_TIME_ZONE) + datetime.timedelta(days=2)
    session.starts_at = datetime.datetime.combine(day, datetime.time(10), SESSION_TIME_ZONE)
    session.ends_at = session.starts_at + datetime.timedelta(minutes=90)
    session.title = "Atelier : vendre sur les réseaux sociaux avec un titre assez long"
    session.agenda = "Tour de table\nhttps://exemple.ma/une-adresse-tres-longue-sans-espace-aucun"
    session.external_video_url = "https://meet.jit.si/virage-un-nom-de-salle-vraiment-tres-long"
    session.save()
    session.modules.add(course.get_children().live().first().specific)
    Poll.objects.create(session=session, question="Où vendez-vous ?", options=["A", "B"])
    ActionItem.objects.create(
        session=session, company=world["companies"][0], text="Ouvrir WhatsApp Business"
    )
    return world


def assert_fits(page):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_session_pages_fit_a_phone_in_both_directions(open_page, world, language):
    session = world["session"]
    page = open_page()
    log_in(page, world["coach"], factories.PASSWORD, language)
    for path in (
        "coaching/sessions/",
        "coaching/sessions/new/",
        f"coaching/sessions/{session.pk}/",
        f"coaching/sessions/{session.pk}/edit/",
        f"coaching/sessions/{session.pk}/summary/",
        "coaching/action-plan/",
        "dashboard/",
    ):
        page.goto(f"/{language}/{path}")
        assert page.locator("html").get_attribute("lang") == language
        assert_fits(page)


def test_without_javascript_times_are_in_casablanca_time_and_say_so(open_page, world):
    page = open_page(java_script_enabled=False, timezone_id="Asia/Tokyo")
    log_in(page, world["people"][0], factories.PASSWORD, "en")
    page.goto(f"/en/coaching/sessions/{world['session'].pk}/")
    when = page.locator(".session-when-line")
    assert "10:00" in when.inner_text() and "11:30" in when.inner_text()
    assert "(Casablanca time)" in when.inner_text()


def test_with_javascript_times_follow_the_viewers_zone(open_page, world):
    page = open_page(timezone_id="Asia/Tokyo", locale="en-GB")
    log_in(page, world["people"][0], factories.PASSWORD, "en")
    page.goto(f"/en/coaching/sessions/{world['session'].pk}/")
    when = page.locator(".session-when-line")
    tokyo = world["session"].starts_at.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    assert tokyo.strftime("%H:%M") in when.inner_text()
    assert "(your time: Asia/Tokyo)" in when.inner_text()
    assert "Casablanca" in when.locator("[data-session-when]").get_attribute("title")
