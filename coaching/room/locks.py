"""The room's lock, and where a person stands in the room.

Every transaction that changes a room locks the session's row first, before any other row of
the room (a participant's place, an attendance, a poll): two transactions then never wait for
each other in opposite orders (no deadlock), and each sees what the one before it committed
(two tabs closing at once on two server processes cannot both believe the other still open).
Numbering an event (`log.next_seq`) updates that same row, so a transaction that only appends
takes the lock with its first statement.
"""

from dataclasses import dataclass

from django.db.models import FilteredRelation, Q

from ..models import LiveSession, Participant
from . import access
from .validation import FrameError

# The close code of a socket whose person's place says they may no longer be in the room.
CLOSE_FOR_STATUS = {
    Participant.Status.REMOVED: access.CLOSE_REMOVED,
    Participant.Status.DENIED: access.CLOSE_DENIED,
}


def lock_room(session_id):
    """Locks the room's row until the transaction ends; the session, or None if it is gone.
    Only the session's row: `of` keeps PostgreSQL from locking the rows of joined tables."""
    return LiveSession.objects.select_for_update(of=("self",)).filter(pk=session_id).first()


@dataclass(frozen=True)
class Standing:
    """A person's place in a room as stored: the room's state and their status (None: they
    have no place)."""

    ended: bool
    last_seq: int
    status: str | None
    chat_muted: bool


def standing(session_id, user_id, lock=False):
    """Where the person stands, read with the room's row; None if the session no longer exists.

    With `lock`, the room's row is locked by a statement of its own first: on PostgreSQL a
    statement that waited for the lock would still read the person's place as it was when it
    started (a mute committed meanwhile unseen); the next statement reads what was committed."""
    if lock and lock_room(session_id) is None:
        return None
    found = list(
        LiveSession.objects.filter(pk=session_id)
        .annotate(
            place=FilteredRelation("participants", condition=Q(participants__user_id=user_id))
        )
        .order_by()
        .values_list("ended_at", "last_seq", "place__status", "place__chat_muted")
    )
    if not found:
        return None
    [(ended_at, last_seq, status, chat_muted)] = found
    return Standing(
        ended=ended_at is not None,
        last_seq=last_seq,
        status=status,
        chat_muted=bool(chat_muted),
    )


def refusal(found, waiting_allowed=False):
    """Why a socket of this person may not act in the room (a FrameError whose close code
    closes the socket), or None. A socket closes when it should no longer be there: the
    session is gone or ended, the person was removed or refused; a person who is no longer
    admitted for another reason reconnects (4500) and enters as the room now says."""
    if found is None:
        return FrameError("ended", close_code=access.CLOSE_NO_SUCH_SESSION)
    if found.ended:
        return FrameError("ended", close_code=access.CLOSE_ENDED)
    refused = CLOSE_FOR_STATUS.get(found.status)
    if refused:
        return FrameError("not_admitted", close_code=refused)
    if found.status == Participant.Status.ADMITTED:
        return None
    if waiting_allowed and found.status == Participant.Status.WAITING:
        return None
    return FrameError("not_admitted", close_code=access.CLOSE_SERVER_ERROR)
