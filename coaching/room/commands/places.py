"""Finding the person a moderator's command is about (not a command module)."""

from ...models import Participant
from ..validation import FrameError


def place_of(ctx, user_id, field="user"):
    """The person's place in this room, locked for the transaction, or `no_such_participant`."""
    place = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(session_id=ctx.session_id, user_id=user_id)
        .first()
    )
    if place is None:
        raise FrameError("no_such_participant", field)
    return place


def participant_place(ctx, user_id, field="user"):
    """As `place_of`, for a command that no moderator may be the object of."""
    place = place_of(ctx, user_id, field)
    if place.is_moderator:
        raise FrameError("target_is_moderator", field)
    return place
