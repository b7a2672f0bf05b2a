"""Programme managers follow responses in the admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import Response


class ResponseViewSet(ModelViewSet):
    model = Response
    icon = "doc-full-inverse"
    menu_label = _("Responses")
    list_display = ["__str__", "stage", "status", "overall", "submitted_at"]
    list_filter = ["stage", "status", "instrument"]
    form_fields = ["status"]
    inspect_view_enabled = True
    copy_view_enabled = False
