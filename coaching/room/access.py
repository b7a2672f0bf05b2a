"""Who may enter a session's room, and as what: the cohort's coaches, programme managers and
superusers moderate; members of the cohort's companies take part; nobody else gets in."""

from virage_site.accounts.roles import is_manager
from virage_site.companies.models import Membership

from ..models import Participant

# Close codes, documented in docs/room-protocol.md.
CLOSE_NOT_LOGGED_IN = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NO_SUCH_SESSION = 4404
CLOSE_ENDED = 4410
CLOSE_LOCKED = 4423
CLOSE_REMOVED = 4408
CLOSE_BAD_FRAMES = 4400
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
        Membership.objects.filter(user=user, company__cohorts=session.cohort_id)
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
