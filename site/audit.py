"""Entries of the audit log (Wagtail's log entries) for the site's own actions: each action's
label, and a message filled from the entry's data as it was when the action happened."""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

SITE_ACTIONS = {
    "companies.job.import": (_("Start a company import"), _("Started an import of companies")),
    "companies.job.invite_leads": (
        _("Invite company leads"),
        _("Started sending invitations to company leads"),
    ),
    "programmes.cohorts_formed": (
        _("Form cohorts"),
        _("Formed %(cohorts)s cohorts with %(companies)s companies"),
    ),
    "programmes.personal_data_export": (
        _("Download personal data"),
        _("Downloaded the table “%(table)s” (%(format)s), which names people"),
    ),
    "programmes.company_moved": (
        _("Move a company"),
        _("Moved the company from “%(from)s” to “%(to)s”"),
    ),
}


class DataMessageFormatter(LogFormatter):
    def format_message(self, log_entry):
        try:
            return self.message % (log_entry.data or {})
        except (KeyError, TypeError, ValueError):
            return self.label


def register_actions(actions, table):
    for action, (label, message) in table.items():
        formatter = type("SiteActionFormatter", (DataMessageFormatter,), {})
        formatter.label, formatter.message = label, message
        actions.register_action(action)(formatter)
