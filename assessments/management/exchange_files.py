"""Reading an exchange file named on the command line, shared by the commands that take one."""

import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from .. import exchange


def read_entries(path):
    """The checked entries of the file at `path` ("-" reads standard input). A file that
    cannot be read, or is not a JSON list, is a CommandError."""
    try:
        if path == "-":
            raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        else:
            with open(path, "rb") as file:
                raw = file.read()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
        ) from None
    try:
        return exchange.read(exchange.load(raw))
    except exchange.ExchangeError as error:
        raise CommandError(f"{path}: {error}") from None
