"""Sends the reminders due to company leads who have not accepted their invitation (see
virage_site.companies.reminders); with --loop, keeps doing so every INTERVAL seconds until
stopped, as bin/start runs it."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from ...reminders import send_due_reminders

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Emails a reminder to company leads whose invitation is still pending after "
        "VIRAGE_INVITATION_REMINDER_DAYS days, at most VIRAGE_INVITATION_MAX_REMINDERS times."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, round after round.")
        parser.add_argument("--interval", type=int, default=3600, help="Seconds between rounds.")

    def handle(self, *args, loop=False, interval=3600, **options):
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        verbosity = options["verbosity"]
        if not loop:
            sent = send_due_reminders()
            if verbosity:
                self.stdout.write(f"{sent} invitation reminder(s) sent.")
            return
        while True:
            close_old_connections()
            try:
                sent = send_due_reminders()
            except Exception:
                # A database or mail-server blip must not stop the reminders for good.
                logger.exception("A round of invitation reminders failed; trying again later.")
                sent = 0
            self.report(sent, verbosity)
            time.sleep(interval)

    def report(self, sent, verbosity):
        if sent and verbosity:
            self.stdout.write(f"{sent} invitation reminder(s) sent.")
