"""Course modules as sessions and action items name them: titled and linked in the reader's
language when a live translation exists, with the course they belong to.

Sessions store the modules of the default language (French), whatever language the coach
scheduled in, so that an edit in another language finds the same modules ticked."""

from dataclasses import dataclass

from wagtail.models import Locale, Page

from courses.models import CoursePage, ModulePage


@dataclass
class ModuleLink:
    module: ModulePage
    title: str
    course_title: str
    url: str | None

    @property
    def label(self):
        return f"{self.course_title} — {self.title}" if self.course_title else self.title


def _course_path(module):
    return module.path[: -module.steplen]


def module_links(modules, request=None):
    """{module pk: ModuleLink} for ModulePages of any language, in three queries at most."""
    modules = [module for module in modules if module is not None]
    if not modules:
        return {}
    courses = {
        course.path: course
        for course in CoursePage.objects.filter(path__in={_course_path(m) for m in modules})
    }
    keys = {m.translation_key for m in modules} | {c.translation_key for c in courses.values()}
    translated = {
        page.translation_key: page
        for page in Page.objects.live().filter(translation_key__in=keys, locale=Locale.get_active())
    }
    links = {}
    for module in modules:
        shown = translated.get(module.translation_key, module)
        course = courses.get(_course_path(module))
        course_shown = translated.get(course.translation_key, course) if course else None
        links[module.pk] = ModuleLink(
            module=module,
            title=shown.title,
            course_title=course_shown.title if course_shown else "",
            url=shown.get_url(request) if shown.live else None,
        )
    return links


def agenda_choices():
    """Choices for a session's agenda: the live modules of the default language, grouped by
    course and titled in the active language ([(course title, [(pk, module title)…])…])."""
    modules = list(ModulePage.objects.live().filter(locale=Locale.get_default()).order_by("path"))
    links = module_links(modules)
    groups = {}
    for module in modules:
        link = links[module.pk]
        groups.setdefault(link.course_title, []).append((module.pk, link.title))
    return list(groups.items())


def in_default_language(modules):
    """The default-language pages of these modules (same translation key), for a form's initial
    ticks when a session was given modules in another language."""
    keys = [module.translation_key for module in modules]
    return ModulePage.objects.filter(translation_key__in=keys, locale=Locale.get_default())
