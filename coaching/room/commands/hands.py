"""Raised hands, in the order they were raised; a coach lowers anyone's."""

from django.utils import timezone

from ...models import Participant
from .. import log
from ..protocol import FrameError, Outcome, command
from ..validation import Boolean, Integer


def _set_hand(session_id, user_id, raised, actor_id):
    places = Participant.objects.filter(
        session_id=session_id, user_id=user_id, status=Participant.Status.ADMITTED
    )
    if raised:
        changed = places.filter(hand_raised_at__isnull=True).update(hand_raised_at=timezone.now())
    else:
        changed = places.filter(hand_raised_at__isnull=False).update(hand_raised_at=None)
    if not changed:
        return []
    kind = "hand_raised" if raised else "hand_lowered"
    return [log.append(session_id, kind, {"user": user_id}, actor_id=actor_id)]


@command("hand", fields={"raised": Boolean()})
def hand(ctx, raised):
    """Raise or lower one's own hand. Raising it twice changes nothing (no event)."""
    return Outcome(events=_set_hand(ctx.session_id, ctx.user_id, raised, ctx.user_id))


@command("lower_hand", fields={"user": Integer()}, moderator_only=True)
def lower_hand(ctx, user):
    if not Participant.objects.filter(session_id=ctx.session_id, user_id=user).exists():
        raise FrameError("no_such_participant", "user")
    return Outcome(events=_set_hand(ctx.session_id, user, False, ctx.user_id))
