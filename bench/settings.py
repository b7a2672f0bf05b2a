"""Settings the benchmarks serve with: the development settings, but on a database of their own
(so a run never touches the developer's db.sqlite3 or media) and with DEBUG off, as in
production (DEBUG on records every query and renders slower)."""

import os
from pathlib import Path

from virage_site.settings.dev import *  # noqa: F403

# bench/.work/ is git-ignored; the runner passes its own directory through the environment.
WORK_DIR = Path(os.environ.get("VIRAGE_BENCH_WORK_DIR", Path(__file__).parent / ".work"))

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES["default"]["NAME"] = WORK_DIR / "bench.sqlite3"  # noqa: F405  (keeps dev's SQLite options)
# load_demo writes the demo images and documents; keep them out of the developer's var/media.
MEDIA_ROOT = WORK_DIR / "media"
# Nothing is collected (the finders serve static files), but WhiteNoise warns when the
# directory is missing; the runner creates this empty one.
STATIC_ROOT = WORK_DIR / "static"

# The dev settings already serve static files from the finders through WhiteNoise, which works
# with DEBUG off and needs no collectstatic. Auto-refresh rescans files on every request: a
# development convenience that production does not pay, so the benchmark does not either.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
# The development settings share a file cache between processes; the benchmark keeps its own.
CACHES["default"]["LOCATION"] = WORK_DIR / "cache"  # noqa: F405
