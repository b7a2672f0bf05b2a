from django.urls import include, path

app_name = "programme"

urlpatterns = [
    path("", include("virage_site.programmes.urls_dashboards")),
    path("", include("virage_site.programmes.urls_people")),
    path("cohorts/", include("virage_site.programmes.urls_formation")),
]
