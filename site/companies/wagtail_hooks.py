"""Programme managers manage companies and follow invitations in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Company, Invitation


class CompanyViewSet(ModelViewSet):
    model = Company
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


class InvitationViewSet(ModelViewSet):
    model = Invitation
    icon = "mail"
    menu_label = _("Invitations")
    list_display = ["email", "company", "role", "created_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    form_fields = ["email", "full_name", "company", "role"]
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False


class ProgrammeViewSetGroup(ViewSetGroup):
    menu_label = _("Programme")
    menu_icon = "group"
    items = (CompanyViewSet, InvitationViewSet)


register_permission_policy(Invitation, ReadOnlyPolicy(Invitation))


@hooks.register("register_admin_viewset")
def register_programme_viewsets():
    return ProgrammeViewSetGroup()
