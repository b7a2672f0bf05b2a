import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

ICE_PATTERN = re.compile(r"^\d{15}$")


def normalise_ice(value):
    """People type ICEs with spaces or dots between digit groups; store the bare 15 digits."""
    return re.sub(r"[\s.\-]", "", value or "")


def validate_ice(value):
    if not ICE_PATTERN.match(value or ""):
        raise ValidationError(
            _("The ICE must be exactly 15 digits (found “%(value)s”)."),
            code="invalid_ice",
            params={"value": value},
        )


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
