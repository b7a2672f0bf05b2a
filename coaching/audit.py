"""The audit log of what moderators do in a live room (mute, remove, lock, waiting room, admit,
deny, end): Wagtail's log entries on the session, so programme managers read them in the
administration beside every other change (Programme → Audit log), whoever's socket did it.

The entry is written in the room's transaction: a moderation that is rolled back leaves no trace,
and one that happened always has its entry."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log

from .models import LiveSession

ROOM_ACTIONS = {
    "coaching.room.mute": (_("Mute in a live room"), _("Muted %(person)s in the chat")),
    "coaching.room.unmute": (_("Unmute in a live room"), _("Let %(person)s chat again")),
    "coaching.room.remove": (_("Remove from a live room"), _("Removed %(person)s from the room")),
    "coaching.room.lock": (_("Lock a live room"), _("Locked the room")),
    "coaching.room.unlock": (_("Unlock a live room"), _("Unlocked the room")),
    "coaching.room.waiting_room_on": (
        _("Turn a waiting room on"),
        _("Turned the waiting room on"),
    ),
    "coaching.room.waiting_room_off": (
        _("Turn a waiting room off"),
        _("Turned the waiting room off (everyone waiting came in)"),
    ),
    "coaching.room.admit": (_("Admit from a waiting room"), _("Let %(person)s in")),
    "coaching.room.deny": (_("Refuse at a waiting room"), _("Refused %(person)s at the door")),
    "coaching.room.end": (_("End a live session"), _("Ended the session for everyone")),
}


class DataMessageFormatter(LogFormatter):
    """The message filled from the entry's data, as it was when the action happened (its label
    when the data no longer fits the message)."""

    def values(self, data):
        return data

    def format_message(self, log_entry):
        try:
            return self.message % self.values(log_entry.data or {})
        except (KeyError, TypeError, ValueError):
            return self.label


class PersonActionFormatter(DataMessageFormatter):
    """The message names the person the moderator acted on, as they were named then."""

    def values(self, data):
        return {"person": data.get("person_name") or "?"}


def register_actions(actions, table, formatter_class=DataMessageFormatter):
    """Registers each action of `table` ({action: (label, message)}) with Wagtail's log."""
    for action, (label, message) in table.items():
        formatter = type(formatter_class.__name__, (formatter_class,), {})
        formatter.label, formatter.message = label, message
        actions.register_action(action)(formatter)


def register_room_actions(actions):
    register_actions(actions, ROOM_ACTIONS, PersonActionFormatter)


def record(session_id, action, actor_id, person_id=None):
    """Adds the entry for `action` on the session by `actor_id` (about `person_id`)."""
    users = get_user_model().objects
    data = {}
    if person_id is not None:
        person = users.filter(pk=person_id).first()
        data = {"person": person_id, "person_name": person.display_name if person else ""}
    session = LiveSession.objects.get(pk=session_id)
    log(instance=session, action=action, user=users.filter(pk=actor_id).first(), data=data)
