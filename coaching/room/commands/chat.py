"""Chat to the room, and private messages between a participant and the coaches."""

import bleach
from django.db import transaction

from ...models import Participant
from .. import log
from ..protocol import FrameError, Outcome, command
from ..validation import Integer, Text

CHAT_MAX_CHARS = 2000


def sanitise(text):
    """Stored as safe HTML: every tag stripped, special characters escaped, web addresses made
    into links that open no window of ours (`rel="nofollow noopener"`)."""
    cleaned = bleach.clean(text, tags=[], attributes={}, strip=True)
    return bleach.linkify(cleaned, callbacks=[bleach.callbacks.nofollow, _noopener])


def _noopener(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    attrs[(None, "target")] = "_blank"
    return attrs


def _speaking_place(ctx):
    """The sender's place, locked for the transaction: muted people cannot post."""
    place = (
        Participant.objects.select_for_update()
        .filter(session_id=ctx.session_id, user_id=ctx.user_id)
        .only("chat_muted", "status")
        .first()
    )
    if place is None or place.status != Participant.Status.ADMITTED:
        raise FrameError("not_admitted")
    if place.chat_muted:
        raise FrameError("muted")
    return place


@command("chat", fields={"text": Text(max_length=CHAT_MAX_CHARS)})
def chat(ctx, text):
    with transaction.atomic():
        _speaking_place(ctx)
        event = log.append(
            ctx.session_id,
            "chat",
            {"name": ctx.name, "text": sanitise(text)},
            actor_id=ctx.user_id,
        )
    return Outcome(events=[event])


@command("dm", fields={"text": Text(max_length=CHAT_MAX_CHARS), "to": Integer(required=False)})
def direct_message(ctx, text, to):
    """A participant writes to the coaches (`to` is not needed); a coach answers one
    participant (`to` is their user id). Moderators read every private message of the room."""
    with transaction.atomic():
        _speaking_place(ctx)
        recipient = None
        if ctx.is_moderator:
            if to is None:
                raise FrameError("missing_field", "to")
            recipient = (
                Participant.objects.filter(session_id=ctx.session_id, user_id=to)
                .select_related("user")
                .first()
            )
            if recipient is None:
                raise FrameError("no_such_participant", "to")
        elif to is not None:
            raise FrameError("invalid_value", "to")
        data = {"name": ctx.name, "text": sanitise(text)}
        if recipient is not None:
            data.update(to=recipient.user_id, to_name=recipient.user.display_name)
        event = log.append(
            ctx.session_id,
            "dm",
            data,
            actor_id=ctx.user_id,
            private=True,
            recipient_id=recipient.user_id if recipient else None,
        )
    return Outcome(events=[event])
