"""Sends the live-session reminders that are due (see coaching.reminders); with --loop, keeps
doing so every INTERVAL seconds until stopped, as bin/start runs it."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from ...reminders import send_due_reminders

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Emails the reminders of live sessions starting within 24 hours and within the hour."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, round after round.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between rounds.")

    def handle(self, *args, loop=False, interval=60, **options):
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        if not loop:
            self.report(send_due_reminders(), options["verbosity"])
            return
        while True:
            close_old_connections()
            try:
                self.report(send_due_reminders(), options["verbosity"])
            except Exception:
                # A database or mail-server blip must not stop the reminders for good.
                logger.exception("A round of session reminders failed; trying again later.")
            time.sleep(interval)

    def report(self, sent, verbosity):
        if sent and verbosity:
            self.stdout.write(f"{sent} session reminder(s) sent.")
