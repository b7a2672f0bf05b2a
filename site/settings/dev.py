"""Local development: SQLite, the in-memory channel layer, mail to the console."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-secret-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# SQLite serves the demo to several people at once: the write-ahead log lets readers go on
# while one request writes, and IMMEDIATE transactions wait for the lock instead of failing.
# One cache for the server and the scheduled-publishing process that runs beside it, so a page
# published by either reaches learners at once (course pages are cached until pages change).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": BASE_DIR / "var" / "cache",  # noqa: F405
    }
}

DATABASES["default"]["OPTIONS"] = {  # noqa: F405
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
}
