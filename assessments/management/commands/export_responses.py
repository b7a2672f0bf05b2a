from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ... import exchange
from ...models import Instrument, Stage


class Command(BaseCommand):
    help = (
        "Writes submitted responses in the exchange format (company as ICE), which "
        "import_responses and score_responses read back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--instrument", metavar="SLUG", help="only this instrument")
        parser.add_argument("--stage", choices=Stage.values, help="only this stage")
        parser.add_argument(
            "--output", metavar="FILE", help="write to FILE rather than standard output"
        )

    def handle(self, *args, instrument, stage, output, **options):
        chosen = None
        if instrument:
            chosen = Instrument.objects.filter(slug=instrument).first()
            if chosen is None:
                raise CommandError(_("Unknown instrument “%(slug)s”.") % {"slug": instrument})
        objects = exchange.export(instrument=chosen, stage=stage)
        text = exchange.dumps(objects)
        if not output:
            self.stdout.write(text)
            return
        try:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s") % {"path": output, "reason": error.strerror}
            ) from None
        self.stdout.write(
            ngettext(
                "%(count)s response written to %(path)s.",
                "%(count)s responses written to %(path)s.",
                len(objects),
            )
            % {"count": len(objects), "path": output}
        )
