"""Tests: the embedded default, or PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .services import caches_from_env, channel_layers_from_env, database_from_env

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": database_from_env(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "var" / "test.sqlite3"}  # noqa: F405
    )
}
# Connections the room opens from Channels' database thread close after each use: a connection
# kept open would keep the test database busy when the run drops it.
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory: the live-room tests serve the test database from server processes
    # of their own (daphne), which must see the rows the tests write.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"virage-test-{os.getpid()}.sqlite3")
    }
# A prefix of its own per run, so leftover keys from another run are never read.
# Server processes a test starts inherit the prefix of the run that started them.
RUN_PREFIX = os.environ.get("VIRAGE_TEST_PREFIX", f"virage-test-{os.getpid()}")
CHANNEL_LAYERS = channel_layers_from_env(RUN_PREFIX)
CACHES = caches_from_env(RUN_PREFIX)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
ACCOUNT_RATE_LIMITS = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
