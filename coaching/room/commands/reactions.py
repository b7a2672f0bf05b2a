"""Reactions: a short-lived emoji to the room, not stored and not numbered (they mean nothing a
minute later, and a reconnecting client has nothing to catch up on)."""

from ..protocol import Outcome, command, transient_envelope
from ..validation import Choice

REACTIONS = ("👍", "👏", "❤️", "😂", "😮", "🎉", "🤔")


@command("react", fields={"emoji": Choice(REACTIONS)}, transient=True)
def react(ctx, emoji):
    frame = {"type": "reaction", "by": ctx.user_id, "name": ctx.name, "emoji": emoji}
    return Outcome(deliveries=[transient_envelope(frame)])
