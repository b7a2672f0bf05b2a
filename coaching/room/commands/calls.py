"""Audio and video in the browser for a small group: who is in the call, and the WebRTC
signalling between its members, passed only to the connection it is meant for."""

from ...models import Participant
from .. import log, presence
from ..protocol import FrameError, Outcome, command, transient_envelope
from ..validation import Signal, Text

# A mesh of peer connections: each member sends its media to every other one, which a phone's
# uplink bears up to about six people. Bigger sessions use the external video link.
CALL_SIZE = 6


@command("call_join")
def call_join(ctx):
    """Joins the call through this connection. Joins are counted one at a time under the room
    row's lock (`run_in_room` takes it), so the call never exceeds its size; a person in the
    call through another tab of theirs moves to this one."""
    places = Participant.objects.filter(session_id=ctx.session_id)
    place = places.filter(user_id=ctx.user_id).values_list("in_call", flat=True).get()
    events, moved_from = [], []
    if place:
        current = presence.call_connection(ctx.session_id, ctx.user_id)
        if current == ctx.connection:
            return Outcome(in_call=True)
        moved_from = [current] if current else []
        events.append(
            log.append(
                ctx.session_id,
                "call_left",
                {"user": ctx.user_id, "connection": current},
                actor_id=ctx.user_id,
            )
        )
    else:
        if places.filter(in_call=True).count() >= CALL_SIZE:
            raise FrameError("call_full")
        places.filter(user_id=ctx.user_id).update(in_call=True)
    events.append(
        log.append(
            ctx.session_id,
            "call_joined",
            {"user": ctx.user_id, "connection": ctx.connection, "name": ctx.name},
            actor_id=ctx.user_id,
        )
    )
    return Outcome(events=events, leave_call=moved_from, in_call=True)


@command("call_leave")
def call_leave(ctx):
    events = presence.leave_call(ctx.session_id, ctx.user_id, ctx.connection)
    if not events:
        raise FrameError("not_in_call")
    return Outcome(events=events, in_call=False)


@command("rtc_signal", fields={"to": Text(max_length=40), "signal": Signal()}, transient=True)
def rtc_signal(ctx, to, signal):
    """Passes a description or candidate to one connection of the call; the hub that serves it
    delivers it only if that connection is in the call."""
    if not ctx.in_call:
        raise FrameError("not_in_call")
    if to == ctx.connection:
        raise FrameError("invalid_value", "to")
    frame = {"type": "rtc_signal", "from": ctx.connection, "by": ctx.user_id, "signal": signal}
    return Outcome(deliveries=[transient_envelope(frame, connection=to, in_call=True)])
