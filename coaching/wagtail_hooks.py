"""Programme managers manage programmes, cohorts and live sessions in the admin (Coaching
menu). Live sessions follow the site's rules there too: times typed in Casablanca time, the
cohort and times of what took place kept (coaching.forms.SessionForm), and a session whose room
has opened is never deleted (its attendance, polls and action items are the cohort's record)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from virage_site.accounts.roles import group_name, is_manager

from .admin_forms import CohortAdminForm
from .audit import register_room_actions
from .forms import LiveSessionAdminForm
from .models import Cohort, LiveSession, Programme
from .views.sessions import delete_locked


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

    def get_form_class(self, for_update=False):
        return CohortAdminForm


class ProgrammeManagersPolicy(ModelPermissionPolicy):
    """Live sessions are the programme managers' to manage, whatever permission rows exist:
    the role decides, as it does on the site's own pages (coaching.schedule)."""

    def user_has_permission(self, user, action):
        return user.is_active and (user.is_superuser or is_manager(user))

    def users_with_any_permission(self, actions):
        managers = Q(is_superuser=True) | Q(groups__name=group_name("manager"))
        return get_user_model().objects.filter(managers, is_active=True).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and instance.opened_at is not None:
            return False
        return super().user_has_permission_for_instance(user, action, instance)


class SessionTookPlace(Exception):
    """The room opened before the deletion could happen."""


class LiveSessionDeleteView(generic.DeleteView):
    """Deletes only a session whose room has never opened, checked again under lock when the
    deletion happens (a coach may open the room meanwhile)."""

    def dispatch(self, request, *args, **kwargs):
        if self.object.opened_at is not None:
            return self.refuse()
        return super().dispatch(request, *args, **kwargs)

    def delete_action(self):
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user, deleted=True)
            rows = LiveSession.objects.filter(pk=self.object.pk, opened_at__isnull=True)
            if not delete_locked(rows):
                raise SessionTookPlace  # and the log entry goes with the transaction

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except SessionTookPlace:
            return self.refuse()

    def refuse(self):
        messages.error(
            self.request,
            gettext("This session has taken place: it is kept with its attendance and results."),
        )
        return redirect(self.edit_url_name, self.object.pk)


class LiveSessionViewSet(ModelViewSet):
    model = LiveSession
    name = "live-sessions"
    icon = "date"
    menu_label = _("Live sessions")
    list_display = ["title", "cohort", "starts_at", "ends_at"]
    list_filter = ["cohort"]
    search_fields = ["title"]
    ordering = ["-starts_at"]
    copy_view_enabled = False
    delete_view_class = LiveSessionDeleteView

    def get_form_class(self, for_update=False):
        return LiveSessionAdminForm


register_permission_policy(LiveSession, ProgrammeManagersPolicy(LiveSession), exact_class=True)


class CoachingViewSetGroup(ViewSetGroup):
    menu_label = _("Coaching")
    menu_icon = "group"
    items = (ProgrammeViewSet, CohortViewSet, LiveSessionViewSet)


@hooks.register("register_admin_viewset")
def register_coaching_viewsets():
    return CoachingViewSetGroup()


@hooks.register("register_log_actions")
def register_coaching_log_actions(actions):
    register_room_actions(actions)
