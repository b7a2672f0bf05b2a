"""Programme managers manage programmes and cohorts in the admin (Coaching menu)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Cohort, Programme


class ProgrammeViewSet(ModelViewSet):
    model = Programme
    name = "programmes"
    icon = "date"
    menu_label = _("Programmes")
    list_display = ["name", "starts_on", "ends_on"]
    search_fields = ["name"]
    form_fields = ["name", "starts_on", "ends_on"]
    copy_view_enabled = False


class CohortViewSet(ModelViewSet):
    model = Cohort
    name = "cohorts"
    icon = "group"
    menu_label = _("Cohorts")
    list_display = ["name", "programme"]
    list_filter = ["programme"]
    search_fields = ["name"]
    form_fields = ["programme", "name", "coaches", "companies"]
    copy_view_enabled = False


class CoachingViewSetGroup(ViewSetGroup):
    menu_label = _("Coaching")
    menu_icon = "group"
    items = (ProgrammeViewSet, CohortViewSet)


@hooks.register("register_admin_viewset")
def register_coaching_viewsets():
    return CoachingViewSetGroup()
