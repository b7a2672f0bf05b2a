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

        # After the last app's post-migrate signal, not ours: the permissions it grants belong to
        # other apps (Wagtail's admin access among them) and exist only once each of those has had
        # its own signal. Once, not once per app: each run costs a few dozen queries.
        apps_with_models = [c for c in self.apps.get_app_configs() if c.models_module is not None]
        post_migrate.connect(
            ensure_role_groups, sender=apps_with_models[-1], dispatch_uid="virage-role-groups"
        )
        connect_apps()


def connect_apps():
    """The project joins its pluggable apps through their documented hooks: the coaches of a
    cohort see the assessment results of the companies in it."""
    from assessments.permissions import register_company_viewer
    from coaching.permissions import companies_coached_by

    register_company_viewer(companies_coached_by)
