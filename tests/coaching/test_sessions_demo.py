"""The demo's live sessions: one tomorrow at 10:00 (Casablanca time) with a prepared poll, one
last week with a summary to read; loading again changes neither."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coaching.models import LiveSession, Poll
from coaching.models.sessions import SESSION_TIME_ZONE
from virage_site.demo.people import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_demo_cohort_has_a_session_tomorrow_and_one_last_week(client):
    call_command("load_demo", quiet=True)
    upcoming = LiveSession.objects.get(ended_at__isnull=True)
    past = LiveSession.objects.get(ended_at__isnull=False)
    tomorrow = timezone.localdate(timezone.now(), SESSION_TIME_ZONE) + datetime.timedelta(days=1)
    assert upcoming.local_starts_at.date() == tomorrow
    assert upcoming.local_starts_at.time() == datetime.time(10, 0)
    assert upcoming.modules.get().slug == "choisir-ses-canaux-de-vente"
    assert Poll.objects.get(session=upcoming).status == "draft"

    upcoming.title = "Titre changé par la coach"
    upcoming.save()
    call_command("load_demo", quiet=True)
    assert LiveSession.objects.count() == 2
    assert LiveSession.objects.get(pk=upcoming.pk).title == "Titre changé par la coach"

    client.login(email="learner@zellige-fes.ma", password=DEMO_PASSWORD)
    for url in (
        reverse("coaching:sessions"),
        reverse("coaching:session", args=[upcoming.pk]),
        reverse("coaching:session-ics", args=[upcoming.pk]),
        reverse("coaching:summary", args=[past.pk]),
        reverse("coaching:action-plan"),
        reverse("dashboard"),
    ):
        assert client.get(url).status_code == 200, url
    summary = client.get(reverse("coaching:summary", args=[past.pk]))
    assert summary.context["mine"].attended
    assert "Créer le compte WhatsApp Business" in summary.content.decode()
    # What is said in the room is seen by the room: the summary lists every company's items.
    assert "Lister les trois tâches" in summary.content.decode()

    client.login(email="coach@virage.ma", password=DEMO_PASSWORD)
    summary = client.get(reverse("coaching:summary", args=[past.pk]))
    assert summary.context["figures"].attended_count == 2  # the third left before half-time
    assert client.get(reverse("coaching:session", args=[upcoming.pk])).status_code == 200
