from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("learning/", include("courses.urls")),
    path("", include(wagtail_urls)),
]
