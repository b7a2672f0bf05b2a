from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language
from wagtail.models import Page

from courses.models import CourseCatalogPage

register = template.Library()


@register.inclusion_tag("includes/language_links.html", takes_context=True)
def language_links(context):
    """Links to this page in each language: a Wagtail page's own translations, or for any other
    view the same address under the other language prefix."""
    request = context["request"]
    current = get_language()
    page = context.get("page")
    is_page = isinstance(page, Page) and page.pk
    translated = {}
    if is_page:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translated[translation.locale.language_code] = translation.get_url(request)
    # A page not translated yet leads to the home page of that language rather than to a 404.
    fallback = reverse("wagtail_serve", args=[""]) if is_page else request.get_full_path()
    links = []
    for code, name in settings.LANGUAGES:
        url = translated.get(code) or translate_url(fallback, code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"links": links}


@register.simple_tag(takes_context=True)
def catalogue_url(context):
    request = context["request"]
    cached = getattr(request, "_virage_catalogue_url", None)
    if cached is None:
        catalogue = (
            CourseCatalogPage.objects.live()
            .filter(locale__language_code=get_language())
            .order_by("path")
            .first()
        )
        cached = catalogue.get_url(request) if catalogue else "/"
        request._virage_catalogue_url = cached
    return cached
