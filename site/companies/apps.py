from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "virage_site.companies"
    label = "companies"
    verbose_name = _("Companies")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .groups import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
