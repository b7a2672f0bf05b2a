"""Database and channel layer from the environment, shared by the production and test settings."""

import fnmatch
import os
import re

import dj_database_url


def database_from_env(default):
    url = os.environ.get("DATABASE_URL")
    if not url:
        return default
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"].endswith("sqlite3"):
        # As the default database (base.py): several processes write to the file, and a
        # transaction must wait for the write lock when it begins rather than fail halfway.
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    return config


def caches_from_env(prefix="virage"):
    """Redis when REDIS_URL is set, so that every server process sees the same cache (course
    pages are cached until an editor changes a page); otherwise memory of this process."""
    url = os.environ.get("REDIS_URL")
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }


# A live room's hub channel (one per server process) carries every message of the process's
# rooms: it gets room for bursts, where the layers' default is 100 messages per channel. What a
# layer still drops is recovered by the room's sequence numbers.
CHANNEL_CAPACITY = {"roomhub*": 10_000}


def channel_layers_from_env(prefix="virage"):
    url = os.environ.get("REDIS_URL")
    if not url:
        return {
            "default": {
                "BACKEND": "channels.layers.InMemoryChannelLayer",
                # This layer reads channel_capacity as (compiled pattern, capacity) pairs.
                "CONFIG": {
                    "channel_capacity": [
                        (re.compile(fnmatch.translate(pattern)), capacity)
                        for pattern, capacity in CHANNEL_CAPACITY.items()
                    ]
                },
            }
        }
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # channels_redis waits for messages in blocking reads of 5 s; redis-py's own
                # read timeout must be longer, or every idle read fails (and the hub loses a
                # beat). Finite, so that a dead connection is still noticed.
                "hosts": [{"address": url, "socket_timeout": 15}],
                "prefix": prefix,
                "channel_capacity": CHANNEL_CAPACITY,
            },
        }
    }
