"""Which live sessions a person sees and schedules, and when a session is over. Pages, calendars
and reminders ask here; the rule of who sees what is the room's (coaching.room.access): a
cohort's members and coaches, and programme managers for every cohort.

Rooms left open after their session (everyone closed the page, nobody pressed "End") are ended
by the reminder process (`end_abandoned_rooms`), half an hour after their scheduled end, once
nobody is connected."""

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from virage_site.accounts.roles import is_manager

from .models import Attendance, Cohort, LiveSession, Participant
from .models.sessions import OVERRUN, over_condition
from .placements import current_places
from .room import log
from .room.presence import STALE_AFTER

DASHBOARD_SESSIONS = 3


def sees_every_session(user):
    return user.is_authenticated and user.is_active and (user.is_superuser or is_manager(user))


def own_cohorts(user):
    """Cohorts the person takes part in (through a company) or coaches, as a subquery."""
    through_company = current_places().filter(company__memberships__user=user).values("cohort_id")
    return Cohort.objects.filter(Q(pk__in=through_company) | Q(coaches=user)).values("pk")


def own_sessions(user):
    if not user.is_authenticated or not user.is_active:
        return LiveSession.objects.none()
    return LiveSession.objects.filter(cohort__in=own_cohorts(user))


def visible_sessions(user):
    if sees_every_session(user):
        return LiveSession.objects.all()
    return own_sessions(user)


def schedulable_cohorts(user):
    """Cohorts the person may schedule sessions for: those they coach; every one for managers."""
    if sees_every_session(user):
        return Cohort.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Cohort.objects.none()
    return Cohort.objects.filter(coaches=user)


def upcoming_for(user, limit=DASHBOARD_SESSIONS, now=None):
    """The next sessions of the person's own cohorts that are not over (a manager's dashboard
    lists only cohorts they take part in or coach), in one query."""
    return list(own_sessions(user).upcoming(now).select_related("cohort")[:limit])


def split_by_time(sessions, now=None):
    """(upcoming, past) querysets: upcoming soonest first, past latest first."""
    over = over_condition(now or timezone.now())
    upcoming = sessions.exclude(over).order_by("starts_at", "pk")
    past = sessions.filter(over).order_by("-starts_at", "-pk")
    return upcoming, past


def end_abandoned_rooms(now=None):
    """Ends the rooms still open half an hour after their scheduled end with nobody connected.
    Returns how many were ended."""
    now = now or timezone.now()
    candidates = LiveSession.objects.filter(
        opened_at__isnull=False, ended_at__isnull=True, ends_at__lte=now - OVERRUN
    ).values_list("pk", flat=True)
    return sum(1 for session_id in candidates if _end_if_abandoned(session_id, now))


def _end_if_abandoned(session_id, now):
    """Ends one room unless someone is connected to it. The session's row is locked first, as a
    person's arrival locks it, so nobody enters a room while it is being ended."""
    with transaction.atomic():
        session = (
            LiveSession.objects.select_for_update()
            .filter(pk=session_id, ended_at__isnull=True)
            .first()
        )
        if session is None:
            return False
        connected = Attendance.objects.filter(session_id=session_id, closed_at__isnull=True)
        if connected.filter(last_seen_at__gte=now - STALE_AFTER).exists():
            return False
        # Connections nobody has heard from (their server process stopped) close when they
        # were last heard from, as the room itself closes them.
        connected.update(closed_at=F("last_seen_at"))
        Participant.objects.filter(session_id=session_id).update(in_call=False, hand_raised_at=None)
        last_left = Attendance.objects.filter(session_id=session_id).aggregate(
            last=Max("closed_at")
        )["last"]
        # The room ended when its last person left, or at its scheduled end if that is later.
        ended_at = min(max(session.ends_at, last_left or session.ends_at), now)
        log.append(session_id, "room_ended", {})
        LiveSession.objects.filter(pk=session_id).update(ended_at=ended_at)
    return True
