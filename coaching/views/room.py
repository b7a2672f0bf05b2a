"""The live room's page: the socket does the rest."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..models import LiveSession
from ..room.access import role_in


@login_required
def room_page(request, session_id):
    session = get_object_or_404(LiveSession.objects.select_related("cohort"), pk=session_id)
    role, _company = role_in(request.user, session)
    if role is None:
        raise Http404
    return render(
        request,
        "coaching/room.html",
        {"session": session, "is_moderator": role == "moderator"},
    )
