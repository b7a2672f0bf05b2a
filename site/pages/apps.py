from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "virage_site.pages"
    label = "site_pages"
    verbose_name = _("Site pages")
    default_auto_field = "django.db.models.BigAutoField"
