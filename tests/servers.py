"""Server processes for tests that need real sockets: daphne serving Virage (HTTP and the live
room) on the test database, as production serves it.

The tests' database must be one the processes can open: a file (the SQLite test database is a
file, see the test settings) or PostgreSQL; use these with `transactional_db`, so that what a
test writes is committed before a server reads it.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
DAPHNE = Path(sys.executable).parent / "daphne"
# Long enough for processes started side by side on a busy machine.
START_TIMEOUT_S = 60


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    """The address of the database this test run uses (the test database, not the configured
    one)."""
    config = connection.settings_dict
    if config["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{config['NAME']}"
    user = config.get("USER") or "postgres"
    host = config.get("HOST") or "127.0.0.1"
    port = config.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{config['NAME']}"


class ServerProcess:
    def __init__(self, port, env, wait=True, daphne_args=()):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = Path(tempfile.gettempdir()) / f"virage-daphne-{port}.log"
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter's daphne)
            [
                str(DAPHNE),
                *daphne_args,
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "virage_site.asgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        if wait:
            self.wait_until_listening()

    def wait_until_listening(self):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"daphne did not listen on {self.port} within {START_TIMEOUT_S} s")

    def kill(self):
        """Stops the process at once, as a crash would (no goodbye to its sockets)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        """Stops the process; its log is kept only if it did not stop cleanly."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
                return
        self.log.unlink(missing_ok=True)


def start_daphne(port=None, *, wait=True, daphne_args=(), **extra_env):
    """A daphne process serving Virage on the tests' database and channel layer (Redis when
    REDIS_URL is set: then every process started here shares the run's prefix). With
    `wait=False` it is returned at once: call its `wait_until_listening()` before use.
    `daphne_args` go to daphne before the address it binds."""
    return ServerProcess(
        port or free_port(), _environment(extra_env), wait=wait, daphne_args=daphne_args
    )


def start_daphnes(count, daphne_args=(), **extra_env):
    """`count` daphne processes as `start_daphne` starts one, started side by side: each takes
    seconds to import Virage before it listens."""
    ports = set()
    while len(ports) < count:
        ports.add(free_port())
    servers = []
    try:
        for port in sorted(ports):
            servers.append(
                ServerProcess(port, _environment(extra_env), wait=False, daphne_args=daphne_args)
            )
        for server in servers:
            server.wait_until_listening()
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


def _environment(extra_env):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="virage_site.settings.test",
        DATABASE_URL=database_url(),
        VIRAGE_TEST_PREFIX=settings.RUN_PREFIX,
        DJANGO_ALLOW_ASYNC_UNSAFE="",
    )
    env.update({key: str(value) for key, value in extra_env.items()})
    return env
