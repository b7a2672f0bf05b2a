from django.urls import path

from .views import people

urlpatterns = [
    path("coaching/", people.coach, name="coach"),
    path("companies/<int:company_id>/", people.company, name="company"),
]
