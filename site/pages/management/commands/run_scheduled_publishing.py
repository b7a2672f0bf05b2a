import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Publishes and unpublishes scheduled pages every INTERVAL seconds, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, *args, interval, **options):
        while True:
            call_command("publish_scheduled", verbosity=0)
            time.sleep(interval)
