"""The assessments menu of the admin: instruments, path rules and responses."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from .admin.imports import ResponseImportViewSet
from .admin.instruments import InstrumentViewSet
from .admin.responses import ResponseViewSet
from .admin.rules import RuleSetViewSet


class AssessmentsViewSetGroup(ViewSetGroup):
    menu_label = _("Assessments")
    menu_icon = "form"
    items = (InstrumentViewSet, RuleSetViewSet, ResponseViewSet, ResponseImportViewSet)


@hooks.register("register_admin_viewset")
def register_assessments_viewsets():
    return AssessmentsViewSetGroup()


@hooks.register("register_log_actions")
def register_assessment_log_actions(actions):
    actions.register_action(
        "assessments.reopen",
        _("Reopen an assessment stage"),
        _("Reopened the stage so that it can be answered again"),
    )
