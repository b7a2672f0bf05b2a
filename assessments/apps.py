from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    label = "assessments"
    verbose_name = _("Assessments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses.gates import register_gate

        from .paths import store
        from .paths.gate import path_gate

        store.connect()  # edited rules, instruments and pages refresh the cached rules
        register_gate(path_gate)  # locked modules and courses stay closed
