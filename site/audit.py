"""Entries of the audit log (Wagtail's log entries) for the site's own actions: each action's
label, and a message filled from the entry's data as it was when the action happened
(registered with coaching.audit.register_actions, which the live room's actions use too)."""

from django.utils.translation import gettext_lazy as _

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
