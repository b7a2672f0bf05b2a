"""Settings the room benchmarks serve with: the benchmark settings (DEBUG off), on a PostgreSQL
database of their own that the runner creates and drops, with the in-memory channel layer of one
server process (the soak's processes: a Redis of the run's own) and a cache in memory."""

import os

from bench.settings import *  # noqa: F403
from virage_site.settings.services import channel_layers_from_env

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("VIRAGE_BENCH_ROOM_DB", "virage_bench_room"),
        "USER": os.environ.get("VIRAGE_BENCH_PG_USER", "postgres"),
        "HOST": os.environ.get("VIRAGE_BENCH_PG_HOST", "127.0.0.1"),
        "PORT": os.environ.get("VIRAGE_BENCH_PG_PORT", "5432"),
        # Persistent connections, as production's DATABASE_URL gives them (conn_max_age=60).
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
}
# One process: the in-memory layer, whatever the environment says about Redis; several
# processes (the soak) share the Redis of the run's own, `VIRAGE_BENCH_ROOM_REDIS_URL`.
os.environ.pop("REDIS_URL", None)
if os.environ.get("VIRAGE_BENCH_ROOM_REDIS_URL"):
    os.environ["REDIS_URL"] = os.environ["VIRAGE_BENCH_ROOM_REDIS_URL"]
CHANNEL_LAYERS = channel_layers_from_env()
os.environ.pop("REDIS_URL", None)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each periodic garbage collection's duration into the server's log, where the soak reads them
# (bench/room_soak_collections.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "virage_site.garbage": {"handlers": ["console"], "level": "DEBUG", "propagate": False}
    },
}
