from django.urls import path

from .views import dashboards, exports, report

urlpatterns = [
    path("", dashboards.overview_view, name="overview"),
    path("before-after/", dashboards.before_after_view, name="before_after"),
    path("export/", exports.export_view, name="export"),
    path("report.pdf", report.report_pdf_view, name="report_pdf"),
    # A cohort's figures; the cohorts' own pages (formation) live under cohorts/.
    path("cohort/<int:cohort_id>/", dashboards.cohort_view, name="cohort"),
    path("cohort/<int:cohort_id>/export/", exports.cohort_export_view, name="cohort_export"),
]
