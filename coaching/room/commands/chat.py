"""Chat to the room, and private messages between a participant and the coaches.

Chat messages are stored in batches by the process's writer (`writer`); private messages,
rarer, one by one.
"""

import asyncio
import re

import bleach
from bleach.linkifier import URL_RE

from ...models import Participant
from .. import log
from ..protocol import FrameError, Outcome, command
from ..validation import Integer, Text

CHAT_MAX_CHARS = 2000
# Web addresses made into links, per message; the others stay text. A message of nothing but
# short addresses would otherwise grow tenfold, and every replay with it.
MAX_LINKS = 20


# What bleach would change in a text: markup, entities, control characters it rewrites. A text
# with none of them and no web address comes out of bleach as it went in.
NEEDS_BLEACH = re.compile(r"[<>&\x00-\x08\x0b-\x1f\x7f]")


def is_plain(text):
    return not NEEDS_BLEACH.search(text) and not URL_RE.search(text)


async def sanitised(text):
    """`sanitise` from the event loop: a text that needs bleach's parser (up to some 20 ms for
    2,000 characters of web addresses) is parsed in a thread, so that the process's other
    sockets go on meanwhile."""
    if is_plain(text):
        return text
    return await asyncio.to_thread(sanitise, text)


def sanitise(text):
    """Stored as safe HTML: every tag stripped, special characters escaped, web addresses made
    into links (at most `MAX_LINKS`) that open no window of ours (`rel="nofollow noopener"`).

    Most messages are plain words: those are returned as they are (a few microseconds), not
    parsed twice by html5lib (about 140 µs, in the event loop of every socket of the process).
    """
    if is_plain(text):
        return text
    cleaned = bleach.clean(text, tags=[], attributes={}, strip=True)
    links = LinkBudget()
    return bleach.linkify(cleaned, callbacks=[links, bleach.callbacks.nofollow, _noopener])


class LinkBudget:
    """A linkify callback that lets the first `MAX_LINKS` new links through: bleach leaves an
    address as text when a callback returns None."""

    def __init__(self):
        self.made = 0

    def __call__(self, attrs, new=False):
        if new:
            if self.made >= MAX_LINKS:
                return None
            self.made += 1
        return attrs


def _noopener(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    attrs[(None, "target")] = "_blank"
    return attrs


def _may_speak(ctx):
    """Muted people cannot post (their place, as read under the room's lock)."""
    if ctx.chat_muted:
        raise FrameError("muted")


@command("chat", fields={"text": Text(max_length=CHAT_MAX_CHARS)}, batched=True)
async def chat(ctx, text):
    """A message to the room: the room's busiest path, stored by the process's writer with the
    others of its batch (a muted person's is refused there, under the room's lock)."""
    return {"name": ctx.name, "text": await sanitised(text)}


@command("dm", fields={"text": Text(max_length=CHAT_MAX_CHARS), "to": Integer(required=False)})
def direct_message(ctx, text, to):
    """A participant writes to the coaches (`to` is not needed); a coach answers one
    participant (`to` is their user id). Moderators read every private message of the room."""
    _may_speak(ctx)
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
