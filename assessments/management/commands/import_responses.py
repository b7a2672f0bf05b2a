from django.core.management.base import BaseCommand, CommandError

from ... import importing
from ..exchange_files import read_entries


class Command(BaseCommand):
    help = (
        "Saves the responses of an exchange file as submitted responses of existing companies "
        "(or people), scored with each instrument's current version: all of them or, if any "
        "has a problem, none. Prints what became of each response. A stage already submitted "
        "is refused: a programme manager reopens it first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help='the JSON exchange file, or "-" for standard input')
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and show the report without saving anything",
        )

    def handle(self, *args, file, dry_run, **options):
        report = importing.import_entries(read_entries(file), dry_run=dry_run)
        for row in report.rows:
            for line in row.lines():
                self.stdout.write(line)
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
