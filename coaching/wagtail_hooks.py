"""Programme managers manage programmes, cohorts and live sessions in the admin (Coaching
menu)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from virage_site.accounts.roles import group_name, is_manager

from .forms import https_url_formfield
from .models import Cohort, LiveSession, Programme


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


class ProgrammeManagersPolicy(ModelPermissionPolicy):
    """Live sessions are the programme managers' to manage, whatever permission rows exist:
    the role decides, as it does on the site's own pages (coaching.schedule)."""

    def user_has_permission(self, user, action):
        return user.is_active and (user.is_superuser or is_manager(user))

    def users_with_any_permission(self, actions):
        managers = Q(is_superuser=True) | Q(groups__name=group_name("manager"))
        return get_user_model().objects.filter(managers, is_active=True).distinct()


class LiveSessionViewSet(ModelViewSet):
    model = LiveSession
    name = "live-sessions"
    icon = "date"
    menu_label = _("Live sessions")
    list_display = ["title", "cohort", "starts_at", "ends_at"]
    list_filter = ["cohort"]
    search_fields = ["title"]
    ordering = ["-starts_at"]
    form_fields = [
        "cohort",
        "title",
        "starts_at",
        "ends_at",
        "agenda",
        "modules",
        "external_video_url",
        "waiting_room",
    ]
    copy_view_enabled = False

    def formfield_for_dbfield(self, db_field, **kwargs):
        return https_url_formfield(db_field, **kwargs)


register_permission_policy(LiveSession, ProgrammeManagersPolicy(LiveSession), exact_class=True)


class CoachingViewSetGroup(ViewSetGroup):
    menu_label = _("Coaching")
    menu_icon = "group"
    items = (ProgrammeViewSet, CohortViewSet, LiveSessionViewSet)


@hooks.register("register_admin_viewset")
def register_coaching_viewsets():
    return CoachingViewSetGroup()
