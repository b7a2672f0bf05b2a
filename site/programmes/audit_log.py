"""The audit log for programme managers (Programme → Audit log in the administration): what
managers, editors and moderators did to the platform's records — imports, invitations, cohort
formation and moves, reopened assessments, changes made in the administration, and the
moderation of live rooms — newest first, filtered by action, person, date, type or name, and
downloadable as CSV or XLSX. Wagtail's own report view, over its log entries for records other
than pages (pages keep their own history)."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import IntegerField, Value
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import ContentTypeFilter
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.history import HistoryFilterSet
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import ModelLogEntry

from .permissions import sees_whole_programme


def _logged_types(request):
    used = ModelLogEntry.objects.values_list("content_type_id", flat=True).distinct()
    return ContentType.objects.filter(pk__in=used).order_by("model")


class AuditLogFilterSet(HistoryFilterSet):
    label = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")
    object_type = ContentTypeFilter(
        label=_("Type"), method="filter_object_type", queryset=_logged_types
    )

    def filter_object_type(self, queryset, name, value):
        return queryset.filter(content_type=value)

    class Meta:
        model = ModelLogEntry
        fields = []


class AuditLogView(LogEntriesView):
    page_title = _("Audit log")
    filterset_class = AuditLogFilterSet
    index_url_name = "virage_audit_log"
    index_results_url_name = "virage_audit_log_results"

    def dispatch(self, request, *args, **kwargs):
        if not sees_whole_programme(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        """A CSV is written while the administration still speaks its user's language: Wagtail
        streams it, and the lines written after the view returned came out in the site's
        default language, headings and actions alike."""
        response = super().as_spreadsheet(queryset, spreadsheet_format)
        if not isinstance(response, StreamingHttpResponse):
            return response
        written = HttpResponse(b"".join(response.streaming_content), status=response.status_code)
        for header, value in response.items():
            written[header] = value
        return written

    def get_filtered_queryset(self):
        # One kind of entry, so no union across log models (see LogEntriesView).
        self.log_models = [ModelLogEntry]
        entries = ModelLogEntry.objects.values("pk", "timestamp").annotate(
            log_model_index=Value(0, output_field=IntegerField())
        )
        return self.filter_queryset(entries).order_by("-timestamp")


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_whole_programme(request.user)


urlpatterns = [
    path("audit-log/", AuditLogView.as_view(), name="virage_audit_log"),
    path(
        "audit-log/results/",
        AuditLogView.as_view(results_only=True),
        name="virage_audit_log_results",
    ),
]
