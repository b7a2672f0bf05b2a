"""Who may enter a session's room, and as what: the cohort's coaches, programme managers and
superusers moderate; members of the cohort's companies take part; nobody else gets in."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from virage_site.accounts.roles import group_name, is_manager
from virage_site.companies.models import Membership

from ..models import Participant
from ..placements import companies_in

# Close codes, documented in docs/room-protocol.md.
# WebSocket servers may send 1000 or 3000–4999 only (daphne refuses 1011).
CLOSE_SERVER_ERROR = 4500
CLOSE_BAD_FRAMES = 4400
CLOSE_NOT_LOGGED_IN = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NO_SUCH_SESSION = 4404
CLOSE_DENIED = 4406
CLOSE_REMOVED = 4408
CLOSE_ENDED = 4410
CLOSE_LOCKED = 4423
CLOSE_FLOOD = 4429


def is_moderator_of(user, session):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or is_manager(user):
        return True
    return session.cohort.coaches.filter(pk=user.pk).exists()


def member_company(user, session):
    """The id of the user's company in the session's cohort, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    return (
        Membership.objects.filter(user=user, company__in=companies_in(session.cohort_id))
        .order_by("pk")
        .values_list("company_id", flat=True)
        .first()
    )


def role_in(user, session):
    """(role, company id) for a person who may enter, or (None, None)."""
    if is_moderator_of(user, session):
        return Participant.Role.MODERATOR, member_company(user, session)
    company_id = member_company(user, session)
    if company_id is not None:
        return Participant.Role.PARTICIPANT, company_id
    return None, None


def can_view_session(user, session):
    """Pages of a session (details, calendar file, summary) follow the room's rule."""
    role, _company = role_in(user, session)
    return role is not None


def still_allowed(session, user_ids):
    """Of these people, the ids of those who may still enter the room: rights change while a
    room runs (a company leaves the cohort, a coach stops coaching it), sockets stay open."""
    user_ids = set(user_ids)
    allowed = set(
        Membership.objects.filter(
            user_id__in=user_ids, user__is_active=True, company__in=companies_in(session.cohort_id)
        ).values_list("user_id", flat=True)
    )
    return allowed | still_moderating(session, user_ids - allowed)


def still_moderating(session, user_ids):
    """Of these people, the ids of those who still moderate the room (staff, or a coach of its
    cohort)."""
    if not user_ids:
        return set()
    return set(
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__name=group_name("manager"))
            | Q(coached_cohorts=session.cohort_id)
        )
        .values_list("pk", flat=True)
    )
