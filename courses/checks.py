from django.core import checks
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from . import conf


@checks.register(checks.Tags.templates)
def base_template_exists(app_configs, **kwargs):
    name = conf.get("COURSES_BASE_TEMPLATE")
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return [
            checks.Error(
                f"COURSES_BASE_TEMPLATE names {name!r}, which no template loader can find.",
                hint="Point COURSES_BASE_TEMPLATE at your site's layout template.",
                id="courses.E001",
            )
        ]
    return []
