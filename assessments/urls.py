from django.urls import path, register_converter

from courses.converters import DatabaseIdConverter

from . import views


class StepConverter(DatabaseIdConverter):
    regex = "[0-9]{1,3}"


register_converter(DatabaseIdConverter, "assessments_id")
register_converter(StepConverter, "assessments_step")

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/<slug:slug>/", views.start, name="start"),
    path("responses/<assessments_id:response_id>/", views.resume, name="resume"),
    path(
        "responses/<assessments_id:response_id>/steps/<assessments_step:step>/",
        views.step_view,
        name="step",
    ),
    path(
        "responses/<assessments_id:response_id>/steps/<assessments_step:step>/autosave/",
        views.autosave,
        name="autosave",
    ),
    path("responses/<assessments_id:response_id>/submit/", views.submit_view, name="submit"),
    path("responses/<assessments_id:response_id>/results/", views.results, name="results"),
]
