from django.urls import path, register_converter

from . import views
from .converters import DatabaseIdConverter

register_converter(DatabaseIdConverter, "page_id")

app_name = "courses"

urlpatterns = [
    path("", views.my_courses, name="my-courses"),
    path("courses/<page_id:course_id>/enrol/", views.enrol_view, name="enrol"),
    path("lessons/<page_id:lesson_id>/complete/", views.complete_view, name="complete-lesson"),
    path(
        "lessons/<page_id:lesson_id>/checks/<str:block_id>/",
        views.knowledge_check_view,
        name="knowledge-check",
    ),
    path("certificates/<uuid:code>/", views.certificate_verify, name="certificate-verify"),
    path("certificates/<uuid:code>/pdf/", views.certificate_download, name="certificate-pdf"),
]
