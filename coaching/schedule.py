"""Which live sessions a person sees and schedules. Pages, calendars and reminders ask here; the
rule is the room's (coaching.room.access): a cohort's members and coaches, and programme
managers for every cohort."""

from django.db.models import Q
from django.utils import timezone

from virage_site.accounts.roles import is_manager

from .models import Cohort, LiveSession

DASHBOARD_SESSIONS = 3


def sees_every_session(user):
    return user.is_authenticated and user.is_active and (user.is_superuser or is_manager(user))


def own_cohorts(user):
    """Cohorts the person takes part in (through a company) or coaches, as a subquery."""
    return Cohort.objects.filter(Q(companies__memberships__user=user) | Q(coaches=user)).values(
        "pk"
    )


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
    """The next sessions of the person's own cohorts (a manager's dashboard lists only cohorts
    they take part in or coach), in one query."""
    now = now or timezone.now()
    return list(
        own_sessions(user)
        .filter(ended_at__isnull=True, ends_at__gt=now)
        .select_related("cohort")
        .order_by("starts_at")[:limit]
    )


def split_by_time(sessions, now=None):
    """(upcoming, past) querysets: upcoming soonest first, past latest first."""
    now = now or timezone.now()
    # As LiveSession.is_over: ended, or past its end with no room still running.
    over = Q(ended_at__isnull=False) | Q(ends_at__lte=now, opened_at__isnull=True)
    upcoming = sessions.exclude(over).order_by("starts_at", "pk")
    past = sessions.filter(over).order_by("-starts_at", "-pk")
    return upcoming, past
