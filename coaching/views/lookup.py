"""The session a request is about, seen as the room sees its visitor: a 404 for anyone who may
not enter the room, so that a session's existence is not told to outsiders."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import LiveSession, Participant
from ..room.access import role_in


@dataclass
class Viewing:
    session: LiveSession
    is_moderator: bool
    company_id: int | None


def session_for(request, session_id, moderator=False):
    """The session with the viewer's role in it; 404 if they may not see it, or, with
    `moderator`, may not moderate it."""
    session = get_object_or_404(
        LiveSession.objects.select_related("cohort__programme"), pk=session_id
    )
    role, company_id = role_in(request.user, session)
    if role is None or (moderator and role != Participant.Role.MODERATOR):
        raise Http404
    return Viewing(session, role == Participant.Role.MODERATOR, company_id)
