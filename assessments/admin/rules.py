"""Editors write path rules in the admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import RuleSet


class RuleSetViewSet(SnippetViewSet):
    model = RuleSet
    icon = "tasks"
    menu_label = _("Path rules")
    list_display = ["name", "active"]
    copy_view_enabled = False
