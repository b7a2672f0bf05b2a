"""What the gates (see courses.gates) keep closed, for course and module pages to say so."""

from django import template

from .. import gates

register = template.Library()


@register.simple_tag(takes_context=True)
def closed_page(context, course, page):
    """The refusal of a gate for the person viewing, for `page` of `course`, or None."""
    request = context.get("request")
    if request is None or course is None or not request.user.is_authenticated:
        return None
    return gates.closed_by(request.user, course, page)


@register.simple_tag(takes_context=True)
def closed_modules(context, course, outline):
    """[(module entry, Closed)] for the outline's modules closed to the person viewing."""
    request = context.get("request")
    if request is None or outline is None or not request.user.is_authenticated:
        return []
    found = []
    for module in outline.modules:
        closed = gates.closed_by(request.user, course, module.page)
        if closed is not None:
            found.append((module, closed))
    return found
