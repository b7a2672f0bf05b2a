"""Running the background worker inside a test, as `bin/start` runs it beside the server."""

import signal
from unittest import mock

from django.core.management import call_command

WORKER_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


def run_background_worker():
    """Run every queued background task, then return (the worker's --batch mode)."""
    # The worker installs its own handlers for a graceful stop; the test run keeps its own.
    saved = {number: signal.getsignal(number) for number in WORKER_SIGNALS}
    # Between tasks the worker closes connections past their age, as Django does between
    # requests (and as its test client stops it from doing): here the connection holds the
    # test's transaction.
    keep_connection = mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    try:
        with keep_connection:
            call_command(
                "db_worker",
                "--backend",
                "background",
                "--batch",
                "--no-startup-delay",
                "--no-reload",
                "--interval",
                "0",
                verbosity=0,
            )
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
