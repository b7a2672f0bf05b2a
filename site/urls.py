from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from virage_site import views
from virage_site.accounts import admin_login
from virage_site.companies import urls as company_urls

urlpatterns = [
    # Before the administration's own: its login and password reset are the site's.
    path("admin/login/", admin_login.login_instead, name="admin_login"),
    path("admin/password_reset/", admin_login.password_reset_instead, name="admin_password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.health, name="health"),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    path("companies/", include(company_urls)),
    path("learning/", include("courses.urls")),
    path("assessments/", include("assessments.urls")),
    path("coaching/", include("coaching.urls")),
    path("programme/", include("virage_site.programmes.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

handler404 = "virage_site.views.page_not_found"
handler500 = "virage_site.views.server_error"
