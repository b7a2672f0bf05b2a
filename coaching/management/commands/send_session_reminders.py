"""Sends the live-session reminders that are due (see coaching.reminders) and ends the rooms
left open after their session (coaching.schedule.end_abandoned_rooms); with --loop, keeps doing
so every INTERVAL seconds until stopped, as bin/start runs it."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from ...reminders import send_due_reminders
from ...schedule import end_abandoned_rooms

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Emails the reminders of live sessions starting within 24 hours and within the hour, "
        "and ends the rooms left open after their session."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, round after round.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between rounds.")

    def handle(self, *args, loop=False, interval=60, **options):
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        verbosity = options["verbosity"]
        if not loop:
            self.report(end_abandoned_rooms(), send_due_reminders(), verbosity)
            return
        while True:
            close_old_connections()
            # Each task on its own: a mail-server blip must not keep rooms open, nor a database
            # blip stop the reminders for good.
            ended = self.attempt(end_abandoned_rooms, "Ending abandoned rooms failed")
            sent = self.attempt(send_due_reminders, "A round of session reminders failed")
            self.report(ended, sent, verbosity)
            time.sleep(interval)

    def attempt(self, task, failure):
        try:
            return task()
        except Exception:
            logger.exception("%s; trying again later.", failure)
            return 0

    def report(self, ended, sent, verbosity):
        if ended and verbosity:
            self.stdout.write(f"{ended} abandoned room(s) ended.")
        if sent and verbosity:
            self.stdout.write(f"{sent} session reminder(s) sent.")
