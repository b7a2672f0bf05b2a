"""Losing the database in the middle of a request, as a database restart or a network cut
does: the test's connection is cut just before a chosen statement runs. On PostgreSQL the
server ends the connection (`pg_terminate_backend`, from a connection of its own) and the
statement fails as it would in production; SQLite has no server, and the statement fails with
the error Django raises for a lost connection.

Use it with `transactional_db`: in a test wrapped in a transaction, a lost connection would
take the test's own transaction with it."""

import contextlib

import psycopg
from django.db import OperationalError, connection

TERMINATE_WAIT_MS = 5000


class Cut:
    """An execute wrapper that cuts the connection before the first statement starting with
    `statement_start` (`fired` then says so)."""

    def __init__(self, statement_start):
        self.statement_start = statement_start
        self.fired = False

    def __call__(self, execute, sql, params, many, context):
        if not self.fired and sql.lstrip().startswith(self.statement_start):
            self.fired = True
            lose(context["connection"])
        return execute(sql, params, many, context)


def lose(django_connection):
    if django_connection.vendor != "postgresql":
        raise OperationalError("the connection to the database was lost")
    pid = django_connection.connection.info.backend_pid
    config = django_connection.settings_dict
    with psycopg.connect(
        dbname=config["NAME"],
        user=config.get("USER") or "postgres",
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s, %s)", [pid, TERMINATE_WAIT_MS])


@contextlib.contextmanager
def connection_lost_before(statement_start):
    """Within the block, the connection is lost before the first statement that starts with
    `statement_start`; after it, the next query opens a new connection (a server does so at
    the next request; the test client leaves it to the test)."""
    cut = Cut(statement_start)
    try:
        with connection.execute_wrapper(cut):
            yield cut
    finally:
        connection.close()
