"""Locked modules and courses stay closed: the gate the courses app asks before it shows a
lesson or a quiz, or records one as done.

A page is closed when it is, or is inside, a module or course that an unlock rule locks and
none of its unlock rules holds for the person (see `engine`). Staff, editors and programme
managers are never locked out: they review and support the content.

Pages no rule locks cost no query. Otherwise the person's facts and the titles the message
names are read once and kept on the user object, which lives as long as its request, so a page
that asks for every module of a course still reads them once."""

from django.utils.translation import gettext as _

from courses.gates import Closed
from virage_site.accounts.roles import is_editor, is_manager

from . import engine, store
from .facts import first_company_id, load_facts
from .service import pages_in_language
from .texts import Namer, lock_sentence
from .validation import COURSE

MEMO = "_virage_path_gate"


def never_locked_out(user):
    return user.is_superuser or user.is_staff or is_editor(user) or is_manager(user)


def viewer_state(user, book):
    """(facts, namer) for `user`, read once per user object and rule book."""
    memo = getattr(user, MEMO, None)
    if memo is not None and memo[0] is book:
        return memo[1], memo[2]
    facts = load_facts(user, book, first_company_id(user))
    titles = {key: page.title for key, page in pages_in_language(set(book.pages)).items()}
    namer = Namer(book, titles)
    setattr(user, MEMO, (book, facts, namer))
    return facts, namer


def locks_around(book, key):
    """The locked pages that `key` is or is inside, outermost first."""
    holders = [
        target for target in book.lock_targets if target == key or key in book.below.get(target, ())
    ]
    pages = book.pages
    return sorted(
        holders, key=lambda target: len(pages[target].containers) if target in pages else 0
    )


def path_gate(user, course, page):
    if not user.is_authenticated:
        return None
    book = store.active_book()
    holders = locks_around(book, page.translation_key)
    if not holders or never_locked_out(user):
        return None
    facts, namer = viewer_state(user, book)
    lock = engine.lock_of(holders, book.rules, facts)
    if lock is None:
        return None
    title = namer.page(lock.page)
    if namer.kind(lock.page) == COURSE:
        message = _("The course “%(title)s” is locked.") % {"title": title}
    else:
        message = _("The module “%(title)s” is locked.") % {"title": title}
    return Closed(message=message, unlock=lock_sentence(lock, namer, lock.page))
