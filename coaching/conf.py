"""Settings of the coaching app, with defaults; read at call time."""

from django.conf import settings

DEFAULTS = {
    # Name of the group whose members can coach cohorts.
    "COACHING_COACH_GROUP": "Coaches",
}


def get(name):
    return getattr(settings, name, DEFAULTS[name])
