"""Checks of the fields of a client's frame: each command declares its fields, and a frame is
refused with the name of the first field that is wrong (nothing runs, nothing is stored)."""

from dataclasses import dataclass


class FrameError(Exception):
    """A frame the room refuses; `code` is machine-readable, `field` names the culprit."""

    def __init__(self, code, field=None):
        super().__init__(code)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Text:
    max_length: int
    required: bool = True
    min_length: int = 1

    def clean(self, value):
        if not isinstance(value, str):
            raise TypeError
        value = value.strip()
        if not self.min_length <= len(value) <= self.max_length:
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
        if not isinstance(value, str) or value not in self.choices:
            raise ValueError
        return value


@dataclass(frozen=True)
class TextList:
    item: Text
    min_items: int
    max_items: int
    required: bool = True

    def clean(self, value):
        if not isinstance(value, list) or not self.min_items <= len(value) <= self.max_items:
            raise ValueError
        return [self.item.clean(item) for item in value]


@dataclass(frozen=True)
class Date:
    """An ISO date (YYYY-MM-DD)."""

    required: bool = True

    def clean(self, value):
        from datetime import date

        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)


@dataclass(frozen=True)
class Signal:
    """A WebRTC description or candidate: an object passed on as it is, size-capped by the
    frame's own cap."""

    required: bool = True

    def clean(self, value):
        if not isinstance(value, dict):
            raise TypeError
        return value


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
