"""Site-wide pages: the home page of each language, and plain content pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HomePage(Page):
    """The root of the site in one language: a welcome, and links to what matters."""

    headline = models.CharField(_("headline"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("headline"), FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseCatalogPage", "site_pages.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Addresses below a course (catalogue/course/…) are found by the course in one query
        instead of Wagtail's two per level; everything else routes as usual."""
        from courses.models import CoursePage

        if len(path_components) >= 3:
            course = CoursePage.below(self, path_components[:2])
            if course is not None:
                return course.route(request, path_components[2:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from courses.models import CourseCatalogPage

        context = super().get_context(request, *args, **kwargs)
        context["catalogues"] = CourseCatalogPage.objects.child_of(self).live()
        return context


class StandardPage(Page):
    """A plain page of text: about the programme, legal notices, help."""

    body = RichTextField(_("body"), blank=True, features=TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["site_pages.HomePage", "site_pages.StandardPage"]
    subpage_types = ["site_pages.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
