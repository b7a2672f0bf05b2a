"""The shape of a course: its live modules and lessons in tree order, fetched in two queries."""

from dataclasses import dataclass, field

from django.db.models import Q
from wagtail.models import Site

from .. import page_cache
from ..models import LessonPage, ModulePage


@dataclass
class LessonEntry:
    page: LessonPage
    url: str
    number: int
    done: bool = False
    is_quiz: bool = False

    @property
    def key(self):
        return self.page.translation_key


@dataclass
class ModuleEntry:
    page: ModulePage
    url: str
    number: int
    lessons: list = field(default_factory=list)

    @property
    def done_count(self):
        return sum(1 for lesson in self.lessons if lesson.done)

    @property
    def percent(self):
        return percent(self.done_count, len(self.lessons))


@dataclass
class Outline:
    modules: list
    lessons: list

    def mark_done(self, completed_keys):
        for lesson in self.lessons:
            lesson.done = lesson.key in completed_keys
        return self

    @property
    def done_count(self):
        return sum(1 for lesson in self.lessons if lesson.done)

    @property
    def percent(self):
        return percent(self.done_count, len(self.lessons))

    def resume_lesson(self, last_opened_key):
        """Where "continue" leads: the lesson last opened if it is not done, else the first
        lesson not done after it, else the first lesson not done at all."""
        remaining = [lesson for lesson in self.lessons if not lesson.done]
        for index, lesson in enumerate(self.lessons):
            if lesson.key == last_opened_key:
                if not lesson.done:
                    return lesson
                later = [x for x in self.lessons[index + 1 :] if not x.done]
                return later[0] if later else (remaining[0] if remaining else None)
        return remaining[0] if remaining else None

    def neighbours(self, lesson_page):
        for index, lesson in enumerate(self.lessons):
            if lesson.page.pk == lesson_page.pk:
                previous = self.lessons[index - 1] if index else None
                following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
                return previous, lesson, following
        return None, None, None

    def module_of(self, lesson_page):
        return next((m for m in self.modules if lesson_page.path.startswith(m.page.path)), None)


def is_quiz(lesson):
    """Whether a lesson is a quiz, which learners complete by passing it rather than by marking
    it done. Apps add quizzes as subclasses of LessonPage that say `is_quiz = True`; the class
    comes from the page's content type, which Django keeps in memory once loaded."""
    return bool(getattr(lesson.specific_class, "is_quiz", False))


def percent(done, total):
    return round(100 * done / total) if total else 0


def course_outline(course, request=None):
    """The outline of `course` as seen from the request's site; a fresh copy every call, so
    callers may mark lessons done on it."""
    site = Site.find_for_request(request) if request is not None else None
    return page_cache.get_or_build(
        lambda: build_outlines([course], request)[course.pk],
        "outline",
        site.pk if site else "-",
        course.pk,
    )


def build_outlines(courses, request=None):
    """{course pk: Outline} for several courses in two queries. A lesson belongs to the outline
    only while it and its module are both live: an unpublished module hides its lessons."""
    if not courses:
        return {}
    below_courses = Q()
    for course in courses:
        below_courses |= Q(path__startswith=course.path)
    modules = ModulePage.objects.live().filter(below_courses).order_by("path")
    lessons = LessonPage.objects.live().filter(below_courses).defer("body").order_by("path")
    outlines = {course.pk: Outline(modules=[], lessons=[]) for course in courses}
    course_by_path = {course.path: course for course in courses}
    module_by_path = {}
    for module in modules:
        outline = outlines[course_by_path[module.path[: -module.steplen]].pk]
        entry = ModuleEntry(
            page=module, url=module.get_url(request), number=len(outline.modules) + 1
        )
        outline.modules.append(entry)
        module_by_path[module.path] = (entry, outline)
    for lesson in lessons:
        found = module_by_path.get(lesson.path[: -lesson.steplen])
        if found is None:  # its module is unpublished: the lesson is not reachable either
            continue
        module, outline = found
        entry = LessonEntry(
            page=lesson,
            url=lesson.get_url(request),
            number=len(module.lessons) + 1,
            is_quiz=is_quiz(lesson),
        )
        module.lessons.append(entry)
        outline.lessons.append(entry)
    return outlines
