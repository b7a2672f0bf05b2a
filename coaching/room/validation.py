"""Checks of the fields of a client's frame: each command declares its fields, and a frame is
refused with the name of the first field that is wrong (nothing runs, nothing is stored)."""

import re
from dataclasses import dataclass
from datetime import date


class FrameError(Exception):
    """A frame the room refuses; `code` is machine-readable, `field` names the culprit. With a
    `close_code`, the socket closes after the error: it should no longer be in the room (the
    person was removed, the session ended) and missed the message that would have closed it."""

    def __init__(self, code, field=None, close_code=0):
        super().__init__(code)
        self.code = code
        self.field = field
        self.close_code = close_code


# Only YYYY-MM-DD: fromisoformat alone would also take week dates and compact forms.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def encodable(text):
    """Whether the text can be written as UTF-8. JSON may carry a lone UTF-16 surrogate
    ("\\ud800") that no socket, database or page can take: stored, it would break every frame
    that carries it, live and in every later replay."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(value, max_length):
    """A string of at most `max_length` characters that can be written as UTF-8."""
    if not isinstance(value, str) or len(value) > max_length or not encodable(value):
        raise ValueError
    return value


@dataclass(frozen=True)
class Text:
    max_length: int
    required: bool = True
    min_length: int = 1

    def clean(self, value):
        if not isinstance(value, str):
            raise TypeError
        value = value.strip()
        # PostgreSQL cannot store a NUL character; no person types one.
        if "\x00" in value or not self.min_length <= len(value) <= self.max_length:
            raise ValueError
        if not encodable(value):
            raise ValueError
        return value


@dataclass(frozen=True)
class Integer:
    minimum: int = 1
    maximum: int = 2**53
    required: bool = True

    def clean(self, value):
        # bool is an int in Python; true/false is not a number in a frame.
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError
        if not self.minimum <= value <= self.maximum:
            raise ValueError
        return value


@dataclass(frozen=True)
class Boolean:
    required: bool = True

    def clean(self, value):
        if not isinstance(value, bool):
            raise TypeError
        return value


@dataclass(frozen=True)
class Choice:
    choices: tuple
    required: bool = True

    def clean(self, value):
        if not isinstance(value, str):
            raise TypeError
        if value not in self.choices:
            raise ValueError
        return value


@dataclass(frozen=True)
class TextList:
    item: Text
    min_items: int
    max_items: int
    required: bool = True

    def clean(self, value):
        if not isinstance(value, list):
            raise TypeError
        if not self.min_items <= len(value) <= self.max_items:
            raise ValueError
        return [self.item.clean(item) for item in value]


@dataclass(frozen=True)
class Date:
    """An ISO date (YYYY-MM-DD)."""

    required: bool = True

    def clean(self, value):
        if not isinstance(value, str):
            raise TypeError
        if not ISO_DATE.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)


DESCRIPTION_TYPES = ("offer", "answer", "pranswer", "rollback")
MAX_SIGNAL_TEXT = 12 * 1024


MAX_SIGNAL_NAME = 256


def _optional_index(value):
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 255:
        raise ValueError
    return value


def _optional_text(value):
    return None if value is None else _text(value, MAX_SIGNAL_NAME)


@dataclass(frozen=True)
class Signal:
    """A WebRTC description ({type, sdp}) or ICE candidate ({candidate, sdpMid, sdpMLineIndex,
    usernameFragment}), as the browser's `toJSON()` gives them. It is passed on to one peer
    only, rebuilt from the known keys, so nothing else travels with it."""

    required: bool = True

    def clean(self, value):
        if not isinstance(value, dict):
            raise TypeError
        if "candidate" in value:
            return self._candidate(value)
        return self._description(value)

    def _description(self, value):
        if set(value) - {"type", "sdp"} or value.get("type") not in DESCRIPTION_TYPES:
            raise ValueError
        return {"type": value["type"], "sdp": _text(value.get("sdp", ""), MAX_SIGNAL_TEXT)}

    def _candidate(self, value):
        if set(value) - {"candidate", "sdpMid", "sdpMLineIndex", "usernameFragment"}:
            raise ValueError
        return {
            "candidate": _text(value["candidate"], 2048),
            "sdpMid": _optional_text(value.get("sdpMid")),
            "sdpMLineIndex": _optional_index(value.get("sdpMLineIndex")),
            "usernameFragment": _optional_text(value.get("usernameFragment")),
        }


ENVELOPE_FIELDS = {"type", "ref"}


def clean_fields(fields, frame):
    """The frame's fields, checked and cleaned; unknown fields are refused too."""
    unknown = set(frame) - set(fields) - ENVELOPE_FIELDS
    if unknown:
        raise FrameError("unknown_field", sorted(unknown)[0])
    cleaned = {}
    for name, spec in fields.items():
        if name not in frame or frame[name] is None:
            if spec.required:
                raise FrameError("missing_field", name)
            cleaned[name] = None
            continue
        try:
            cleaned[name] = spec.clean(frame[name])
        except TypeError as error:
            raise FrameError("wrong_type", name) from error
        except ValueError as error:
            raise FrameError("invalid_value", name) from error
    return cleaned
