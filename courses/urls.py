from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.my_courses, name="my-courses"),
    path("courses/<int:course_id>/enrol/", views.enrol_view, name="enrol"),
    path("lessons/<int:lesson_id>/complete/", views.complete_view, name="complete-lesson"),
    path("certificates/<uuid:code>/", views.certificate_verify, name="certificate-verify"),
    path("certificates/<uuid:code>/pdf/", views.certificate_download, name="certificate-pdf"),
]
