"""Redis for tests of the room on the Redis channel layer: REDIS_URL when set (then it must
answer), else the Redis this kind of machine runs locally, on a database number of its own;
key prefixes no other run shares, and the clean-up of only those keys; and a Redis server of a
test's own, for the tests that stop and restart it."""

import os
import secrets
import shutil
import subprocess
import time

import pytest
import redis
from django.conf import settings

from tests.servers import START_TIMEOUT_S, free_port

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


class OwnRedis:
    """A Redis server of a test's own, on a free port, that the test may stop and start again
    on the same port (a restart, as an operator's or a crash's): nothing is kept across it, as
    production's Redis keeps nothing of the channel layer's either."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.skip("redis-server is not installed: no Redis of the test's own to restart")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 (the installed redis-server)
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                with redis.Redis.from_url(self.url, socket_connect_timeout=0.5) as client:
                    client.ping()
                return
            except redis.ConnectionError:
                if self.process.poll() is not None:
                    code = self.process.returncode
                    raise RuntimeError(f"redis-server exited with {code}") from None
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on {self.port} in {START_TIMEOUT_S} s")

    def stop(self):
        """Stops the server at once (SIGKILL: no goodbye to its clients)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
