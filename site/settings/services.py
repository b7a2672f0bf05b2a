"""Database and channel layer from the environment, shared by the production and test settings."""

import os

import dj_database_url


def database_from_env(default):
    url = os.environ.get("DATABASE_URL")
    if not url:
        return default
    return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)


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


def channel_layers_from_env(prefix="virage"):
    url = os.environ.get("REDIS_URL")
    if not url:
        return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [url], "prefix": prefix},
        }
    }
