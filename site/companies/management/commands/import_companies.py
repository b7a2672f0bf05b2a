from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...importing import import_companies

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Imports companies from a CSV (UTF-8, comma or semicolon) or XLSX file with the columns "
        "ice, name, sector, size_band, region, city and optionally lead_email, lead_name. "
        "A company whose ICE is already known is updated. All rows or, if any has a problem, "
        "none: every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and show what would change, without saving anything",
        )

    def handle(self, *args, file, dry_run, **options):
        self.progress_shown = False
        progress = self.show_progress if self.stderr.isatty() else None
        try:
            report = import_companies(file, dry_run=dry_run, progress=progress)
        except OSError as error:
            raise CommandError(
                _("Cannot open %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from error
        if self.progress_shown:
            self.stderr.write("")  # Ends the progress bar's line.
        for line in report.error_lines():
            self.stderr.write(line)
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())

    def show_progress(self, done, total):
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total}", ending="")
        self.stderr.flush()
        self.progress_shown = True
