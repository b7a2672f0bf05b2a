"""The active path rules, and what the engine needs to know about the pages and instruments
they name, read from the database once and kept in the cache.

Everything here changes only when editors change rules, instruments or pages, so it is cached
under a version that any such change replaces (the courses app's page version covers pages);
each process also keeps the last book it read, so a lesson view unpickles nothing while the
version holds. What people achieved is not in here: see `facts`."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page

from courses import page_cache
from courses.models import CoursePage, LessonPage, ModulePage

from ..models import Dimension, Instrument, InstrumentVersion, PathRule, Question, RuleSet
from ..models.instruments import texts_of
from ..texts import localized
from . import engine
from .validation import COURSE, LESSON, MODULE, OTHER, QUIZ_PAGE, InstrumentFacts, PageFacts

VERSION_KEY = "assessments:paths-version"
TIMEOUT = 24 * 60 * 60


@dataclass
class RuleBook:
    """Rules as the engine reads them, with the facts about pages and instruments they need.
    Page keys are translation keys; titles are those of the pages the rules name (the editor's
    language): pages shown to people are fetched again in their language."""

    rules: tuple = ()
    pages: dict = field(default_factory=dict)  # key → PageFacts, for named pages and containers
    below: dict = field(default_factory=dict)  # locked key → keys of every page inside it
    lessons: dict = field(default_factory=dict)  # course or module key → its live lesson keys
    course_keys: dict = field(default_factory=dict)  # page key → key of its course
    instruments: dict = field(default_factory=dict)  # slug → its texts, audience, dimensions

    @property
    def lock_targets(self):
        return {rule.target for rule in self.rules if rule.action == engine.UNLOCK}

    @property
    def quiz_keys(self):
        return {rule.page for rule in self.rules if rule.condition == engine.QUIZ and rule.page}

    def containers(self):
        return {key: page.containers for key, page in self.pages.items()}

    def instrument_facts(self, language=None):
        return {
            slug: InstrumentFacts(
                slug=slug,
                title=localized(texts["title"], language),
                audience=texts["audience"],
                dimensions={
                    code: localized(title, language) for code, title in texts["dimensions"].items()
                },
                published=texts["published"],
            )
            for slug, texts in self.instruments.items()
        }

    def instrument_open(self, slug):
        texts = self.instruments.get(slug)
        return bool(texts and texts["published"] and texts.get("live"))

    def instrument_title(self, slug):
        texts = self.instruments.get(slug)
        return localized(texts["title"]) if texts else slug

    def dimension_title(self, slug, code):
        texts = self.instruments.get(slug)
        title = texts["dimensions"].get(code) if texts else None
        return localized(title) if title else code


def engine_rules(path_rules, first_order=0):
    """Engine rules from PathRule rows (saved or not) of one rule set, in their order."""
    found = []
    for number, row in enumerate(path_rules, start=1):
        found.append(
            engine.Rule(
                target=row.target.translation_key if row.target_id else None,
                action=row.action,
                audience=row.audience,
                condition=row.condition,
                instrument=row.instrument.slug if row.instrument_id else "",
                dimension=(row.dimension_code or "").strip(),
                min_score=row.min_score,
                max_score=row.max_score,
                page=row.condition_page.translation_key if row.condition_page_id else None,
                quiz_percent=row.quiz_min_percent,
                priority=row.priority if row.priority is not None else 10,
                number=number,
                order=first_order + number,
            )
        )
    return found


def page_kind(model):
    if model is None:
        return OTHER
    if issubclass(model, CoursePage):
        return COURSE
    if issubclass(model, ModulePage):
        return MODULE
    if issubclass(model, LessonPage):
        # Quizzes are kinds of lesson that say so (the convention the courses outline reads).
        return QUIZ_PAGE if getattr(model, "is_quiz", False) else LESSON
    return OTHER


@dataclass(frozen=True)
class PageRow:
    key: object
    live: bool
    kind: str
    title: str


def describe_pages(named_pages):
    """Facts about `named_pages` (Page objects), the courses and modules they are in and the
    pages inside them, read in one query: (pages, below, lessons, course_keys) as RuleBook
    holds them."""
    if not named_pages:
        return {}, {}, {}, {}
    steplen = Page.steplen

    def prefixes(path):
        return [path[:end] for end in range(steplen, len(path), steplen)]

    around = Q()
    for page in named_pages:
        around |= Q(path__startswith=page.path) | Q(path__in=prefixes(page.path))
    by_path = {}
    for key, path, live, content_type, title in Page.objects.filter(around).values_list(
        "translation_key", "path", "live", "content_type_id", "title"
    ):
        model = ContentType.objects.get_for_id(content_type).model_class()
        by_path[path] = PageRow(key=key, live=live, kind=page_kind(model), title=title)

    def ancestors(path):
        return [by_path[prefix] for prefix in prefixes(path) if prefix in by_path]

    def reachable(path):
        """Live, in live pages: what the course outline shows and the routing serves."""
        return by_path[path].live and all(row.live for row in ancestors(path))

    def facts(path, lesson_count=0):
        row = by_path[path]
        return PageFacts(
            key=row.key,
            title=row.title,
            kind=row.kind,
            live=reachable(path),
            containers=tuple(a.key for a in ancestors(path) if a.kind in (COURSE, MODULE)),
            lesson_count=lesson_count,
        )

    pages, below, lessons, course_keys = {}, {}, {}, {}
    named_paths = {page.path for page in named_pages if page.path in by_path}
    for path in named_paths:
        key = by_path[path].key
        inside = [p for p in by_path if p.startswith(path) and p != path]
        below[key] = frozenset(by_path[p].key for p in inside)
        lessons[key] = frozenset(
            by_path[p].key
            for p in inside
            if by_path[p].kind in (LESSON, QUIZ_PAGE) and reachable(p)
        )
        pages[key] = facts(path, len(lessons[key]))
        lineage = [*ancestors(path), by_path[path]]
        course = next((row.key for row in lineage if row.kind == COURSE), None)
        if course is not None:
            course_keys[key] = course
    for path in named_paths:
        for prefix in prefixes(path):
            if prefix in by_path and by_path[prefix].kind in (COURSE, MODULE):
                pages.setdefault(by_path[prefix].key, facts(prefix))
    return pages, below, lessons, course_keys


def describe_instruments(instruments):
    """{slug: texts, audience and dimensions of its current version} in one query."""
    ids = {instrument.pk: instrument for instrument in instruments}
    found = {
        instrument.slug: {
            "title": texts_of(instrument, "title"),
            "audience": instrument.audience,
            "dimensions": {},
            "published": False,
            "live": instrument.live,
        }
        for instrument in ids.values()
    }
    seen = set()
    versions = InstrumentVersion.objects.filter(instrument_id__in=ids).order_by(
        "instrument_id", "-number"
    )
    for instrument_id, definition in versions.values_list("instrument_id", "definition"):
        if instrument_id in seen:
            continue
        seen.add(instrument_id)
        entry = found[ids[instrument_id].slug]
        entry["published"] = True
        entry["title"] = definition.get("title") or entry["title"]
        entry["audience"] = definition.get("audience", entry["audience"])
        entry["dimensions"] = {
            d["code"]: d.get("title") or {} for d in definition.get("dimensions", [])
        }
    return found


def build_book(path_rules, rules=None):
    """A RuleBook for PathRule rows, whose target, condition page and instrument are loaded
    (select_related) or set in memory; `rules` are their engine rules when already made."""
    named = {}
    for row in path_rules:
        for page in (row.target if row.target_id else None, row.condition_page):
            if page is not None:
                named[page.pk] = page
    pages, below, lessons, course_keys = describe_pages(list(named.values()))
    instruments = describe_instruments({row.instrument for row in path_rules if row.instrument_id})
    return RuleBook(
        rules=tuple(engine_rules(path_rules) if rules is None else rules),
        pages=pages,
        below=below,
        lessons=lessons,
        course_keys=course_keys,
        instruments=instruments,
    )


def read_active_book():
    """Every active rule set's rules, numbered within their set, ordered set after set."""
    rows = list(
        PathRule.objects.filter(rule_set__active=True)
        .select_related("target", "condition_page", "instrument")
        .order_by("rule_set_id", "sort_order", "pk")
    )
    if not rows:
        return RuleBook()
    return build_book(rows, engine_rules_by_set(rows))


def engine_rules_by_set(rows, rules=()):
    """Engine rules of PathRule rows of several sets, numbered within their set and ordered
    set after set, following `rules` already made."""
    by_set = {}
    for row in rows:
        by_set.setdefault(row.rule_set_id, []).append(row)
    rules = list(rules)
    for set_rows in by_set.values():
        rules.extend(engine_rules(set_rows, first_order=len(rules)))
    return rules


_last_read = {"version": None, "book": None}


def current_version():
    return page_cache.read_version(VERSION_KEY)


def active_book():
    """The RuleBook of every active rule set, from this process's memory, the cache or the
    database, in that order."""
    version = f"{current_version()}:{page_cache.current_version()}"
    if _last_read["version"] == version:
        return _last_read["book"]
    key = f"assessments:paths-book:{version}"
    book = cache.get(key)
    if book is None:
        book = read_active_book()
        cache.set(key, book, TIMEOUT)
    _last_read.update(version=version, book=book)
    return book


def forget_rules(**kwargs):
    page_cache.new_version(VERSION_KEY)
    _last_read.update(version=None, book=None)


RULE_MODELS = (RuleSet, PathRule, Instrument, InstrumentVersion, Dimension, Question)


def connect():
    for model in RULE_MODELS:
        uid = f"assessments-paths-{model.__name__}"
        post_save.connect(forget_rules, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(forget_rules, sender=model, dispatch_uid=f"{uid}-delete")
