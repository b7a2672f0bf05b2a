"""Programme managers manage companies, import them, invite their leads and follow
invitations in the Wagtail admin."""

from urllib.parse import urlencode

import django_filters
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views
from .admin_forms import LeadSelectionForm
from .models import Company, Invitation
from .permissions import can_follow_jobs, can_import_companies, can_invite_leads


class CompanyIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        user = self.request.user
        if can_import_companies(user):
            buttons.append(
                HeaderButton(
                    _("Import companies"),
                    url=reverse("company_jobs:import"),
                    icon_name="upload",
                )
            )
        if can_invite_leads(user):
            # The listing's filters and search, carried over: the page that follows shows the
            # selection and lets the manager change it before anything is sent.
            selection = {
                name: self.request.GET[name]
                for name in LeadSelectionForm.base_fields
                if self.request.GET.get(name)
            }
            url = reverse("company_jobs:invite_leads")
            buttons.append(
                HeaderButton(
                    _("Invite company leads"),
                    url=f"{url}?{urlencode(selection)}" if selection else url,
                    icon_name="mail",
                )
            )
        return buttons


class CompanyViewSet(ModelViewSet):
    model = Company
    index_view_class = CompanyIndexView
    icon = "group"
    menu_label = _("Companies")
    list_display = ["name", "ice", "sector", "region", "city"]
    list_filter = ["sector", "size_band", "region"]
    search_fields = ["name", "ice", "city"]
    form_fields = [
        "name",
        "ice",
        "sector",
        "secondary_sector",
        "size_band",
        "region",
        "city",
        "founded_year",
        "lead_name",
        "lead_email",
    ]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Invitations are sent from a company's page, which emails the link; the admin lists and
    shows them, and creates or edits none that nobody would receive."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)


class InvitationFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[
            ("pending", _("Pending")),
            ("reminded", _("Pending, reminded")),
            ("accepted", _("Accepted")),
            ("expired", _("Expired")),
            ("revoked", _("Revoked")),
        ],
        method="filter_state",
        empty_label=_("All"),
    )

    class Meta:
        model = Invitation
        fields = ["role"]

    def filter_state(self, queryset, name, value):
        now = timezone.now()
        if value == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        if value == "revoked":
            return queryset.filter(accepted_at__isnull=True, revoked_at__isnull=False)
        waiting = queryset.pending()
        if value == "expired":
            return waiting.exclude(pk__in=waiting.unexpired(now).values("pk"))
        if value == "reminded":
            return waiting.unexpired(now).filter(reminders_sent__gt=0)
        return waiting.unexpired(now)


class InvitationViewSet(ModelViewSet):
    model = Invitation
    icon = "mail"
    menu_label = _("Invitations")
    list_display = [
        "email",
        "company",
        "role",
        "created_at",
        "state",
        "accepted_by",
        "accepted_at",
        "reminders_sent",
        "last_reminded_at",
    ]
    filterset_class = InvitationFilterSet
    search_fields = ["email"]
    form_fields = ["email", "full_name", "company", "role"]
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False


class JobsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_follow_jobs(request.user)


class CompanyJobsViewSet(ViewSet):
    """Importing companies and inviting their leads, both run as background jobs."""

    name = "company_jobs"
    url_prefix = "companies"
    icon = "upload"
    menu_label = _("Import companies")
    menu_item_class = JobsMenuItem

    def get_urlpatterns(self):
        return [
            path("import/", admin_views.import_companies, name="import"),
            path("invite-leads/", admin_views.invite_leads, name="invite_leads"),
            path("jobs/<int:job_id>/", admin_views.job_detail, name="detail"),
            path("jobs/<int:job_id>/status/", admin_views.job_status, name="status"),
        ]


class ProgrammeViewSetGroup(ViewSetGroup):
    menu_label = _("Programme")
    menu_icon = "group"
    items = (CompanyViewSet, InvitationViewSet, CompanyJobsViewSet)


register_permission_policy(Invitation, ReadOnlyPolicy(Invitation))


@hooks.register("register_admin_viewset")
def register_programme_viewsets():
    return ProgrammeViewSetGroup()
