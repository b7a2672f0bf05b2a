"""Programme managers manage companies and follow invitations in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Company, Invitation


class CompanyViewSet(ModelViewSet):
    model = Company
    icon = "group"
    menu_label = _("Companies")
    list_display = ["name", "ice", "sector", "region", "city"]
    list_filter = ["sector", "size_band", "region"]
    search_fields = ["name", "ice", "city"]
    form_fields = ["name", "ice", "sector", "size_band", "region", "city"]


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


class ProgrammeViewSetGroup(ViewSetGroup):
    menu_label = _("Programme")
    menu_icon = "group"
    items = (CompanyViewSet, InvitationViewSet)


@hooks.register("register_admin_viewset")
def register_programme_viewsets():
    return ProgrammeViewSetGroup()
