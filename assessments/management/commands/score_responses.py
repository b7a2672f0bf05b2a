import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ... import exchange
from ..exchange_files import read_entries


class Command(BaseCommand):
    help = (
        "Scores the responses of an exchange file with each instrument's current version and "
        "prints one JSON object per response, one per line. No company is needed in the "
        "database and nothing is saved. The whole file is checked first: if any response has "
        "a problem, every problem is reported and nothing is printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help='the JSON exchange file, or "-" for standard input')

    def handle(self, *args, file, **options):
        entries = read_entries(file)
        problems = exchange.problems(entries)
        if problems:
            heading = ngettext(
                "%(count)s problem in %(file)s; nothing was scored:",
                "%(count)s problems in %(file)s; nothing was scored:",
                len(problems),
            ) % {"count": len(problems), "file": file}
            raise CommandError("\n".join([heading, *problems]))
        for entry in entries:
            result = entry.score().as_exchange(entry.definition)
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        if not entries:
            self.stderr.write(_("%(file)s holds no responses.") % {"file": file})
