"""Paths as pages show them: each entry's page in the active language, its address, and the
reasons and unlock conditions already worded.

Paths are computed on read: the active rules come from the cache (`store`), and what the person
and their company achieved is read fresh (`facts`), so a new result, a completed lesson or a
passed quiz shows at once, with nothing to invalidate. A path costs a fixed number of queries
whatever the number of rules, results, lessons or companies: the person's company, the latest
results, completed lessons, quiz scores (only when a rule reads one) and the pages shown."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from . import engine, store
from .facts import first_company_id, load_facts
from .texts import (
    Namer,
    action_label,
    kind_label,
    lock_sentence,
    reason_text,
    state_label,
)


@dataclass
class PathItem:
    key: object
    title: str
    url: str | None
    kind: str
    kind_label: str
    course_title: str
    action: str
    action_label: str
    state: str
    state_label: str
    reasons: list = field(default_factory=list)
    lock_text: str = ""

    @property
    def is_locked(self):
        return self.state == engine.LOCKED

    @property
    def is_done(self):
        return self.state == engine.DONE


@dataclass
class LearningPath:
    items: list = field(default_factory=list)
    awaiting: list = field(default_factory=list)  # invitations to take an assessment

    def __bool__(self):
        return bool(self.items or self.awaiting)


def pages_in_language(keys):
    """{translation key: live Page} in the active language, else the site's default one, in
    one query."""
    if not keys:
        return {}
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    found = {}
    pages = Page.objects.filter(
        translation_key__in=keys,
        live=True,
        locale__language_code__in={language, settings.LANGUAGE_CODE[:2]},
    ).select_related("locale")
    for page in pages:
        if page.translation_key not in found or page.locale.language_code == language:
            found[page.translation_key] = page
    return found


def named_keys(path, book):
    """Keys of the pages a path's texts name: targets, their courses, condition pages."""
    keys = set()
    for entry in path.entries:
        keys.add(entry.target)
        keys.update(book.pages[entry.target].containers if entry.target in book.pages else ())
        for found in [*entry.reasons, *entry.unlocks]:
            if found.rule.page is not None:
                keys.add(found.rule.page)
        if entry.lock is not None:
            keys.add(entry.lock.page)
    return keys


def awaiting_texts(path, book):
    texts = []
    for audience, slug in path.awaiting:
        if not book.instrument_open(slug):
            continue  # nobody can take it yet: no point asking
        values = {"instrument": book.instrument_title(slug)}
        if audience == engine.COMPANY:
            texts.append(
                _(
                    "Your company has not taken the assessment “%(instrument)s” yet: its "
                    "results will add courses to this path."
                )
                % values
            )
        else:
            texts.append(
                _(
                    "Take the assessment “%(instrument)s”: your results will add courses to "
                    "this path."
                )
                % values
            )
    return texts


def render(path, book, request):
    """A LearningPath of an engine Path: entries whose page is live, worded."""
    pages = pages_in_language(named_keys(path, book))
    namer = Namer(book, {key: page.title for key, page in pages.items()})
    items = []
    for entry in path.entries:
        page = pages.get(entry.target)
        if page is None:
            continue  # not published (in any language shown here): nothing to follow yet
        facts = book.pages.get(entry.target)
        kind = facts.kind if facts else ""
        course = next((key for key in (facts.containers if facts else ()) if key in pages), None)
        items.append(
            PathItem(
                key=entry.target,
                title=page.title,
                url=None if entry.state == engine.LOCKED else page.get_url(request),
                kind=kind,
                kind_label=kind_label(kind),
                course_title=pages[course].title if course else "",
                action=entry.action,
                # Listed only as the next step of a chain: no rule chose it yet.
                action_label=action_label(entry.action) if entry.reasons else "",
                state=entry.state,
                state_label=state_label(entry.state),
                reasons=[reason_text(found, namer) for found in entry.reasons],
                lock_text=lock_sentence(entry.lock, namer, entry.target) if entry.lock else "",
            )
        )
    return LearningPath(items=items, awaiting=awaiting_texts(path, book))


def compute(user, company_id, audiences, request):
    book = store.active_book()
    if not any(rule.audience in audiences for rule in book.rules):
        return LearningPath()
    facts = load_facts(user, book, company_id)
    path = engine.compute_path(book.rules, facts, audiences, book.containers())
    return render(path, book, request)


def company_path(company, request):
    """The company's path (its company rules, read on its latest results), with done and
    locked states as they stand for the person viewing it."""
    return compute(request.user, company.pk, (engine.COMPANY,), request)


def person_path(user, request):
    """A person's path: their company's rules read on the company's latest results, and the
    person's own rules read on their self-check, merged and ordered."""
    if not store.active_book().rules:
        return LearningPath()  # nothing to read then, not even the person's company
    company_id = first_company_id(user)
    audiences = (engine.COMPANY, engine.PERSON) if company_id is not None else (engine.PERSON,)
    return compute(user, company_id, audiences, request)


def path_context(request):
    """What the dashboard's “Your learning path” section shows."""
    if not request.user.is_authenticated:
        return {"learning_path": LearningPath()}
    return {"learning_path": person_path(request.user, request)}
