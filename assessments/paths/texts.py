"""Why a page is in a path and what would open a locked one, in the active language. Texts
start in lower case with no final stop, so they can be listed (templates capitalise them) or
joined into one sentence ("To open it, complete … or …")."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..display import rounded
from . import engine
from .validation import COURSE, MODULE, QUIZ_PAGE


def shown(value):
    """A score or percent as shown: a whole number, rounded as on the results page."""
    return str(rounded(value))


class Namer:
    """Names pages, instruments and dimensions: `titles` maps page keys to their titles in
    the active language; the book gives kinds, fallback titles and instrument texts."""

    def __init__(self, book, titles=None):
        self.book = book
        self.titles = titles or {}

    def page(self, key):
        if key in self.titles:
            return self.titles[key]
        facts = self.book.pages.get(key)
        return facts.title if facts else "?"

    def kind(self, key):
        facts = self.book.pages.get(key)
        return facts.kind if facts else None

    def instrument(self, slug):
        return self.book.instrument_title(slug)

    def dimension(self, rule):
        if not rule.dimension:
            return None
        return self.book.dimension_title(rule.instrument, rule.dimension)


def score_clause(rule, value, namer):
    """“your company's “Data” score is 32/100”"""
    values = {
        "dimension": namer.dimension(rule),
        "instrument": namer.instrument(rule.instrument),
        "score": shown(value),
    }
    if rule.audience == engine.COMPANY:
        if values["dimension"]:
            return _("your company's “%(dimension)s” score is %(score)s/100") % values
        return _("your company's overall score in “%(instrument)s” is %(score)s/100") % values
    if values["dimension"]:
        return _("your “%(dimension)s” score is %(score)s/100") % values
    return _("your overall score in “%(instrument)s” is %(score)s/100") % values


def page_clause(rule, found, namer):
    title = namer.page(rule.page)
    if rule.condition == engine.QUIZ:
        return _("you scored %(percent)s %% in the quiz “%(title)s”") % {
            "percent": shown(found.value or 0),
            "title": title,
        }
    if namer.kind(rule.page) == COURSE:
        return _("you completed the course “%(title)s”") % {"title": title}
    return _("you completed the module “%(title)s”") % {"title": title}


def reason_text(found, namer):
    """Why a rule put its target in the path: “recommended because …”."""
    rule = found.rule
    if rule.condition == engine.SCORE:
        why = score_clause(rule, found.value, namer)
    else:
        why = page_clause(rule, found, namer)
    if rule.action == engine.REQUIRE:
        return _("required because %(why)s") % {"why": why}
    if rule.action == engine.UNLOCK:
        return _("unlocked because %(why)s") % {"why": why}
    return _("recommended because %(why)s") % {"why": why}


def score_range_text(rule, found, namer):
    values = {
        "dimension": namer.dimension(rule),
        "instrument": namer.instrument(rule.instrument),
        "low": shown(rule.low),
        "high": shown(rule.high),
    }
    if not found.taken:
        if rule.audience == engine.COMPANY:
            return _("have your company take the assessment “%(instrument)s”") % values
        return _("take the assessment “%(instrument)s”") % values
    if values["dimension"]:
        text = _("get a “%(dimension)s” score between %(low)s and %(high)s in “%(instrument)s”")
    else:
        text = _("get an overall score between %(low)s and %(high)s in “%(instrument)s”")
    text %= values
    if found.value is None:
        return text
    if rule.audience == engine.COMPANY:
        return _("%(condition)s (your company's score: %(score)s/100)") % {
            "condition": text,
            "score": shown(found.value),
        }
    return _("%(condition)s (your score: %(score)s/100)") % {
        "condition": text,
        "score": shown(found.value),
    }


def unlock_text(found, namer):
    """What an unlock rule waits for, as something to do: “complete the module “X””."""
    rule = found.rule
    if rule.condition == engine.SCORE:
        return score_range_text(rule, found, namer)
    title = namer.page(rule.page)
    if rule.condition == engine.QUIZ:
        text = _("score at least %(mark)s %% in the quiz “%(title)s”") % {
            "mark": shown(rule.quiz_percent or 0),
            "title": title,
        }
        if found.value is not None:
            text = _("%(condition)s (your score so far: %(score)s %%)") % {
                "condition": text,
                "score": shown(found.value),
            }
        return text
    if namer.kind(rule.page) == COURSE:
        return _("complete the course “%(title)s”") % {"title": title}
    return _("complete the module “%(title)s”") % {"title": title}


def either(texts):
    """“a, or b, or c”: any one of them is enough."""
    return pgettext("any one of the ways to open a page", ", or ").join(texts)


def kind_label(kind):
    return {COURSE: _("Course"), MODULE: _("Module"), QUIZ_PAGE: _("Quiz")}.get(kind, "")


def lock_sentence(lock, namer, subject_key):
    """“The module “X” is locked. To open it, complete …”: for the page `subject_key`, whose
    lock is carried by itself or by the course it is in."""
    ways = either([unlock_text(found, namer) for found in lock.unlocks])
    if lock.page == subject_key:
        return _("To open it, %(ways)s.") % {"ways": ways}
    return _("It is part of “%(title)s”, which is locked. To open it, %(ways)s.") % {
        "title": namer.page(lock.page),
        "ways": ways,
    }


def action_label(action):
    return {
        engine.REQUIRE: _("Required"),
        engine.RECOMMEND: _("Recommended"),
        engine.UNLOCK: _("Unlocked"),
    }.get(action, "")


def state_label(state):
    return {
        engine.OPEN: _("Open"),
        engine.LOCKED: _("Locked"),
        engine.DONE: _("Done"),
    }.get(state, "")
