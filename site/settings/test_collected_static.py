"""Tests of what production serves: the test settings, with static files collected, hashed and
compressed as production's storage makes them (into VIRAGE_STATIC_ROOT, by `collectstatic`) and
served by WhiteNoise from there, as in production, rather than from the apps' folders.

A server process started on these settings reads uploads from VIRAGE_MEDIA_ROOT: the test run
that starts it keeps its uploads in a folder of its own."""

import os
from pathlib import Path

from .test import *  # noqa: F403

STATIC_ROOT = Path(os.environ["VIRAGE_STATIC_ROOT"])
# As in the base settings (which the test settings change in place).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
MEDIA_ROOT = os.environ.get("VIRAGE_MEDIA_ROOT", MEDIA_ROOT)  # noqa: F405
