"""Gates: other apps may keep lessons closed to some learners (the assessments app closes the
modules and courses its path rules lock). A gate is a function `(user, course, page)` that
returns None to let the person in, or a `Closed` saying why not and what would open it; `page`
is the lesson (or quiz) asked for, or a module when a page lists modules. The course pages ask
every registered gate before showing a lesson or recording it as done.

This app knows no gate itself: apps register theirs in their `AppConfig.ready()`."""

from contextlib import contextmanager
from dataclasses import dataclass

_GATES = []


@dataclass(frozen=True)
class Closed:
    message: str  # what is closed: "The module “Selling online” is locked."
    unlock: str = ""  # what would open it: "To open it, complete the module “Basics”."

    def __str__(self):
        return " ".join(part for part in (self.message, self.unlock) if part)


def register_gate(gate):
    if gate not in _GATES:
        _GATES.append(gate)
    return gate


@contextmanager
def registered_temporarily(gate):
    """Register `gate` for the duration of a `with` block (for tests)."""
    added = gate not in _GATES
    register_gate(gate)
    try:
        yield gate
    finally:
        if added:
            _GATES.remove(gate)


def closed_by(user, course, page):
    """The first gate's refusal for `user` and `page` of `course`, or None when all let in."""
    for gate in _GATES:
        closed = gate(user, course, page)
        if closed is not None:
            return closed
    return None
