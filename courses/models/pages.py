"""Course pages. The tree is fixed: catalogue → course → module → lesson, so editors can only
build courses that the learner views know how to show."""

from django.contrib import messages
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from .. import conf, page_cache
from ..blocks import LessonBodyBlock, ObjectivesBlock


class CourseBasePage(Page):
    """Shared by every page of the course tree: the template they extend."""

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses_base_template"] = conf.get("COURSES_BASE_TEMPLATE")
        context["courses_login_url"] = conf.login_url()
        return context


class CourseCatalogPage(CourseBasePage):
    """Lists the published courses below it."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        course = CoursePage.below(self, path_components[:1])
        if course is None:
            raise Http404
        return course.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        from ..services.catalogue import catalogue_entries

        context = super().get_context(request, *args, **kwargs)
        context["entries"] = catalogue_entries(self, request)
        return context


class CoursePage(CourseBasePage):
    """A course: modules of lessons, on one track, at one level."""

    class Track(models.TextChoices):
        DIGITAL_CULTURE = "digital_culture", _("Digital culture")
        ECOMMERCE = "ecommerce", _("E-commerce")

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    track = models.CharField(_("track"), max_length=32, choices=Track.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), help_text=_("Estimated time to follow the whole course.")
    )
    summary = models.TextField(_("summary"), max_length=500)
    objectives = StreamField(ObjectivesBlock(), verbose_name=_("objectives"), blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("track"),
        FieldPanel("level"),
        FieldPanel("duration_minutes"),
        FieldPanel("objectives"),
        FieldPanel("prerequisites"),
        FieldPanel("cover_image"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("prerequisites"),
        index.FilterField("track"),
        index.FilterField("level"),
    ]
    parent_page_types = ["courses.CourseCatalogPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @classmethod
    def below(cls, ancestor, slugs):
        """The course at `slugs` below `ancestor`, in one query where Wagtail's routing takes
        two per level; pages above a course route through this."""
        return cls.objects.filter(
            path__startswith=ancestor.path,
            depth=ancestor.depth + len(slugs),
            url_path=ancestor.url_path + "".join(f"{slug}/" for slug in slugs),
        ).first()

    def route(self, request, path_components):
        """Find a module or a lesson below this course in one query, by its full address, rather
        than one level at a time; the page found remembers its course so that serving it does
        not look the course up again. Nothing below a course or a module that is not live is
        served, as the course outline does not show it either."""
        if not path_components:
            return super().route(request, path_components)
        if not self.live or len(path_components) > 2:
            raise Http404
        pages = ModulePage.objects if len(path_components) == 1 else LessonPage.objects
        if len(path_components) == 2:
            module_path = Substr(OuterRef("path"), 1, (self.depth + 1) * self.steplen)
            pages = pages.filter(Exists(Page.objects.filter(path=module_path, live=True)))
        page = pages.filter(
            path__startswith=self.path,
            depth=self.depth + len(path_components),
            url_path=self.url_path + "".join(f"{slug}/" for slug in path_components),
            live=True,
        ).first()
        if page is None:
            raise Http404
        if page.specific_class is not type(page):
            # A page type derived from LessonPage (a quiz): serve it as what it is.
            page = page.specific
        page.routed_course = self
        return RouteResult(page)

    def get_context(self, request, *args, **kwargs):
        from ..services.learning import course_view_state

        context = super().get_context(request, *args, **kwargs)
        context.update(course_view_state(self, request))
        return context


class ModulePage(CourseBasePage):
    """A chapter of a course; its lessons are its children. Other apps add kinds of lesson
    (a quiz, say) as subclasses of LessonPage: a module holds those too, without this app
    knowing them."""

    summary = models.TextField(_("summary"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    @classmethod
    def clean_subpage_models(cls):
        """Lessons and every installed kind of lesson, in place of a fixed `subpage_types`."""
        from wagtail.models import get_page_models

        if cls._clean_subpage_models is None:
            cls._clean_subpage_models = [
                model for model in get_page_models() if issubclass(model, LessonPage)
            ]
        return cls._clean_subpage_models

    def get_context(self, request, *args, **kwargs):
        from ..services.learning import module_view_state

        context = super().get_context(request, *args, **kwargs)
        context.update(module_view_state(self, request))
        return context


class LessonPage(CourseBasePage):
    """One lesson. Only enrolled learners open it; opening it records where they are."""

    summary = models.TextField(_("summary"), max_length=500, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=10)
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("duration_minutes"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def serve(self, request, *args, **kwargs):
        from ..services.learning import lesson_access

        if getattr(request, "is_preview", False):
            # An editor previewing a draft: show the lesson as a learner would, record nothing.
            return super().serve(request, *args, **kwargs)
        access = lesson_access(self, request)
        if access.redirect_to:
            if access.message:
                messages.info(request, access.message)
            return redirect(access.redirect_to)
        request.courses_lesson_access = access
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from ..services.learning import lesson_view_state

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_view_state(self, request))
        context["rendered_body"] = self.rendered_body(context)
        return context

    def rendered_body(self, context):
        """The body's HTML, the same for every learner: rendered once per language and version
        of the page tree (rich text expansion, image renditions and documents cost queries)."""
        if getattr(context.get("request"), "is_preview", False):
            return self._render_body(context)
        return page_cache.get_or_build(
            lambda: self._render_body(context), "body", get_language(), self.pk
        )

    def _render_body(self, context):
        return render_to_string(
            "courses/includes/lesson_body.html", {"page": self}, request=context.get("request")
        )
