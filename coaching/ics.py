"""A session as an iCalendar event (.ics), for people to add to their own calendar.

The UID stays the same for the session's whole life and SEQUENCE follows its revision, so that a
calendar importing the file again after a change replaces the event instead of adding a second
one. Times are written in UTC: every calendar converts them to its owner's zone."""

from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODUCT_ID = "-//Virage//Live sessions//FR"


def event_uid(session):
    host = urlsplit(settings.VIRAGE_BASE_URL).hostname or "virage.local"
    return f"live-session-{session.pk}@{host}"


def description(session, room_url, module_titles=()):
    parts = []
    if session.agenda:
        parts.append(session.agenda.strip())
    if module_titles:
        parts.append(_("Course modules:") + "\n" + "\n".join(f"- {t}" for t in module_titles))
    parts.append(_("Join the room: %(url)s") % {"url": room_url})
    if session.external_video_url:
        parts.append(_("Video: %(url)s") % {"url": session.external_video_url})
    return "\n\n".join(parts)


def session_calendar(session, *, page_url, room_url, module_titles=()):
    """The bytes of a one-event calendar for `session`."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", event_uid(session))
    event.add("sequence", session.revision)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", session.title)
    event.add("description", description(session, room_url, module_titles))
    event.add("url", page_url)
    event.add("location", room_url)
    event.add("status", "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
