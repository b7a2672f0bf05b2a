"""Settings of the companies app, with defaults. Read at call time so tests and deployments can
override them with `override_settings` or in their settings module."""

from django.conf import settings

DEFAULTS = {
    # A lead invitation still pending this many days after it was sent (or after the last
    # reminder) gets a reminder…
    "VIRAGE_INVITATION_REMINDER_DAYS": 3,
    # …at most this many times, and never once the invitation has expired or been revoked.
    "VIRAGE_INVITATION_MAX_REMINDERS": 2,
    # The task backend (an alias of TASKS) that runs imports and bulk invitations.
    "VIRAGE_BACKGROUND_TASKS": "background",
    # A running job that has written no progress for this long is taken as dead (its worker
    # was stopped or killed) and marked failed, so that nobody waits on it for ever.
    "VIRAGE_JOB_STALE_MINUTES": 30,
    # Largest spreadsheet the administration accepts for an import.
    "VIRAGE_IMPORT_MAX_MEGABYTES": 10,
}


def get(name):
    return getattr(settings, name, DEFAULTS[name])
