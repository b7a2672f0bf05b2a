"""Texts written by editors in several languages, stored as {"fr": …, "ar": …, "en": …}."""

from django.conf import settings
from django.utils.translation import get_language

LANGUAGES = ("fr", "ar", "en")


def localized(texts, language=None):
    """The text in the active language, else in the site's default language, else any."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    default = settings.LANGUAGE_CODE[:2]
    return texts.get(language) or texts.get(default) or next((t for t in texts.values() if t), "")
