"""Publishing to a room from outside it: a page (a synchronous view) that changes what the room
shows appends its event in its own transaction, under the room's lock, and the room hears it once
that transaction has committed.

The event is sent as the room's hub sends its own (`hub.publish`): one message to the room's
group, which the hub of every process serving the room writes to its sockets (a private event
to its moderators, a `skip` frame to the others). If the channel layer fails the event is still
stored, and a socket that notices the gap replays it."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from .hub import group_name
from .protocol import event_envelope

logger = logging.getLogger(__name__)


def publish_on_commit(event):
    """Sends the stored `event` to its room when the current transaction commits (at once, in
    autocommit); nothing if it rolls back."""
    transaction.on_commit(lambda: publish(event))


def publish(event):
    session_id = event.session_id
    try:
        async_to_sync(get_channel_layer().group_send)(
            group_name(session_id), {**event_envelope(event), "room": session_id}
        )
    except Exception:
        logger.exception("room %s: the channel layer refused an event from a page", session_id)
