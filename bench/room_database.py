"""The room benchmark's database: a PostgreSQL database of its own, created for a run, migrated,
filled by bench/room_fixture.py, and dropped at the end of the run."""

import json
import subprocess
import sys
import time

import psycopg

from . import server

NAME = "virage_bench_room"
ADMIN = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres"}


class Database:
    def __init__(self, env, name=NAME):
        self.env = {**env, "VIRAGE_BENCH_ROOM_DB": name}
        self.name = name

    def _admin(self, statement):
        with psycopg.connect(**ADMIN, autocommit=True) as connection:
            connection.execute(statement)

    def __enter__(self):
        try:
            self._admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            self._admin(f"CREATE DATABASE {self.name}")
        except psycopg.OperationalError as error:
            raise SystemExit(f"bench: PostgreSQL on 127.0.0.1:5432 as postgres: {error}") from None
        return self

    def __exit__(self, *exc):
        self._admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        return False

    def _python(self, *args, timeout):
        result = subprocess.run(
            [sys.executable, *args],
            cwd=server.ROOT,
            env=self.env,
            timeout=timeout,
            stdout=subprocess.PIPE,
            stderr=sys.stderr,
            text=True,
            check=False,
        )
        if result.returncode:
            raise SystemExit(f"bench: `python {' '.join(args)}` failed ({result.returncode})")
        return result.stdout

    def build(self, rooms):
        """Migrates the database and builds `rooms` rooms; returns them (session id, cookies)."""
        started = time.monotonic()
        self._python("manage.py", "migrate", "--verbosity", "0", timeout=300)
        built = json.loads(self._python("-m", "bench.room_fixture", str(rooms), timeout=300))
        server.log(
            f"database {self.name}: migrated, {rooms} rooms of people built "
            f"({time.monotonic() - started:.1f} s)"
        )
        return built["rooms"]
