"""Programme managers follow responses in the admin, and reopen a submitted stage when a
company (or a person) needs to answer it again: the submitted response stays on record, marked
reopened, and a new draft starts from its answers (services.responses.reopen)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import IndexView, InspectView, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from virage_site.accounts.roles import is_manager

from ..models import Response
from ..services.responses import ResponseError, reopen


def may_reopen(user):
    return user.is_superuser or is_manager(user)


class ResponseInspectView(InspectView):
    reopen_url_name = None

    @property
    def header_buttons(self):
        if self.object.is_submitted and may_reopen(self.request.user):
            return [
                HeaderButton(
                    gettext_lazy("Reopen this stage"),
                    url=reverse(self.reopen_url_name, args=[self.object.pk]),
                    icon_name="undo",
                )
            ]
        return []


class ReopenView(WagtailAdminTemplateMixin, TemplateView):
    """Asks for confirmation (GET), then reopens (POST). Managers only."""

    template_name = "assessments/response_reopen.html"
    page_title = gettext_lazy("Reopen this stage")
    header_icon = "undo"
    inspect_url_name = None
    index_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not may_reopen(request.user):
            raise PermissionDenied
        self.object = get_object_or_404(
            Response.objects.select_related("instrument", "company", "person"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse(self.index_url_name), "label": _("Responses")},
            {
                "url": reverse(self.inspect_url_name, args=[self.object.pk]),
                "label": str(self.object),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["cancel_url"] = reverse(self.inspect_url_name, args=[self.object.pk])
        return context

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                draft = reopen(self.object)
                log(instance=self.object, action="assessments.reopen", user=request.user)
        except ResponseError as error:
            messages.error(request, str(error))
            return redirect(self.inspect_url_name, self.object.pk)
        messages.success(
            request,
            _("Stage %(stage)s is reopened: it can be answered again.") % {"stage": draft.stage},
        )
        return redirect(self.inspect_url_name, draft.pk)


class ResponsePolicy(ModelPermissionPolicy):
    """Responses are answered online or imported, and scored on the way in; the admin lists
    and shows them and never edits answers or status by hand (reopening has its own view)."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)


register_permission_policy(Response, ResponsePolicy(Response))


class ResponseIndexView(IndexView):
    # Each row names its instrument and its company or person: fetch them with the rows.
    queryset = Response.objects.select_related("instrument", "company", "person")


class ResponseViewSet(ModelViewSet):
    model = Response
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Responses")
    list_display = ["__str__", "stage", "status", "overall", "submitted_at"]
    list_filter = ["stage", "status", "instrument"]
    form_fields = ["stage"]  # required by the viewset; the policy above disables editing
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_class = ResponseInspectView
    index_view_class = ResponseIndexView
    # Nothing links to a response from content: indexing each save for "usage" only costs.
    add_to_reference_index = False

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            reopen_url_name=self.get_url_name("reopen"), **kwargs
        )

    @property
    def reopen_view(self):
        return ReopenView.as_view(
            inspect_url_name=self.get_url_name("inspect"),
            index_url_name=self.get_url_name("index"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("reopen/<int:pk>/", self.reopen_view, name="reopen"),
        ]
