from django import template

from .. import knowledge_checks

register = template.Library()


@register.simple_tag(takes_context=True)
def personalised_body(context, rendered_body):
    """A lesson's cached body with what belongs to the person viewing it put in (see
    courses.knowledge_checks)."""
    return knowledge_checks.personalise(rendered_body, context.get("page"), context.get("request"))
