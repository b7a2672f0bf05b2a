"""Names of the maturity levels, shown to people; scoring only knows their codes."""

from django.utils.translation import gettext_lazy as _

LEVEL_LABELS = {
    "basic": _("Basic"),
    "average": _("Average"),
    "moderately_advanced": _("Moderately advanced"),
    "advanced": _("Advanced"),
}


def level_label(code):
    return LEVEL_LABELS.get(code, code or "")
