from django.urls import path

from .views import company_export, people

urlpatterns = [
    path("coaching/", people.coach, name="coach"),
    path("companies/<int:company_id>/", people.company, name="company"),
    path(
        "companies/<int:company_id>/export/",
        company_export.company_export,
        name="company_export",
    ),
]
