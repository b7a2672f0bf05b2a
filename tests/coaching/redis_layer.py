"""Redis for tests of the room on the Redis channel layer: REDIS_URL when set (then it must
answer), else the Redis this kind of machine runs locally, on a database number of its own;
key prefixes no other run shares, and the clean-up of only those keys."""

import os
import secrets

import pytest
import redis
from django.conf import settings

LOCAL_REDIS_URL = "redis://127.0.0.1:6379/9"


def redis_url_or_skip():
    """REDIS_URL, which must answer; or the local Redis, when it answers."""
    url = os.environ.get("REDIS_URL")
    try:
        with redis.Redis.from_url(url or LOCAL_REDIS_URL, socket_connect_timeout=1) as client:
            client.ping()
    except redis.RedisError as error:
        if url:
            pytest.fail(f"REDIS_URL is set but Redis does not answer at {url}: {error}")
        pytest.skip(f"no Redis at {LOCAL_REDIS_URL} (and REDIS_URL is not set): {error}")
    return url or LOCAL_REDIS_URL


def own_prefix(purpose):
    """A key prefix no other run, test or process uses."""
    return f"{settings.RUN_PREFIX}-{purpose}-{secrets.token_hex(4)}"


def keys_under(url, prefix):
    with redis.Redis.from_url(url) as client:
        return list(client.scan_iter(match=f"{prefix}*", count=1000))


def delete_keys(url, prefix):
    """Deletes the keys under `prefix` (the prefixes here end in a random part, so that no
    other run's key starts with one)."""
    keys = keys_under(url, prefix)
    if keys:
        with redis.Redis.from_url(url) as client:
            client.delete(*keys)
