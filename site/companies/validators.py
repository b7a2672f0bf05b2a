import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

ICE_PATTERN = re.compile(r"[0-9]{15}", re.ASCII)
SEPARATORS = re.compile(r"[\s.\-_/]")


def normalise_ice(value):
    """People type ICEs with spaces, dots or dashes between digit groups, sometimes in
    Arabic-Indic digits: store the bare 15 ASCII digits, so one company has one ICE."""
    stripped = SEPARATORS.sub("", value or "")
    return "".join(
        str(unicodedata.decimal(char)) if char.isdecimal() else char for char in stripped
    )


def validate_ice(value):
    if not ICE_PATTERN.fullmatch(value or ""):
        raise ValidationError(
            _("The ICE must be exactly 15 digits (found “%(value)s”)."),
            code="invalid_ice",
            params={"value": value},
        )


class ICEFormField(forms.CharField):
    """Accepts what people type (separators, other digit scripts) and cleans it to 15 digits."""

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 40
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalise_ice(super().to_python(value))


class ICEField(models.CharField):
    """An ICE, stored as its bare 15 digits whatever separators it was typed with."""

    default_validators = [validate_ice]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 15)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_ice(value) if value is not None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalise_ice(value) if value is not None else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ICEFormField, **kwargs})
