from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    """Programme management across apps: cohort formation, dashboards, exports, reports. It reads
    companies, assessments, courses and coaching through their public functions."""

    name = "virage_site.programmes"
    label = "programmes"
    verbose_name = _("Programme management")
