"""A quicker end for transactional tests, leaving the database exactly as Django's would.

After each transactional test Django empties every table, then sends `post_migrate` for every
app, which creates content types, permissions and the role groups again: seconds per test, most
of a live-room test's time. Here the first such test ends the Django way; the rows `post_migrate`
left are then kept aside. At the end of a later test, when those rows are still exactly the same,
only the other tables that hold rows are emptied: the database is as Django's flush would leave
it. Otherwise (a test changed a permission, a group, a content type) it ends the Django way again.
"""

from django.core.management import call_command
from django.db import DatabaseError, connections, transaction
from django.test import TransactionTestCase

# Per database alias: {table: rows} as `post_migrate` leaves them after a flush.
_kept_rows = {}


def _tables(connection):
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _tables_with_rows(connection, tables):
    quote = connection.ops.quote_name
    found = set()
    with connection.cursor() as cursor:
        # One query per hundred tables (SQLite allows 500 terms in a UNION).
        for start in range(0, len(tables), 100):
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT '{table}' WHERE EXISTS (SELECT 1 FROM {quote(table)})"
                    for table in tables[start : start + 100]
                )
            )
            found.update(row[0] for row in cursor.fetchall())
    return found


def _rows(connection, tables):
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")  # noqa: S608 (table names)
            rows[table] = cursor.fetchall()
    return rows


def _flush_the_django_way(db_name):
    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        database=db_name,
        reset_sequences=False,
        allow_cascade=False,
        inhibit_post_migrate=False,
    )
    connection = connections[db_name]
    kept = _tables_with_rows(connection, _tables(connection))
    _kept_rows[db_name] = _rows(connection, kept)


def _empty_all_but_kept(db_name):
    """Empties the tables holding rows, but those `post_migrate` fills; False when the kept
    tables are not as `post_migrate` left them (or emptying failed), and nothing was changed."""
    connection = connections[db_name]
    kept = _kept_rows.get(db_name)
    if kept is None:
        return False
    tables = _tables(connection)
    if _rows(connection, kept) != kept:
        return False
    to_empty = sorted(_tables_with_rows(connection, tables) - set(kept))
    quote = connection.ops.quote_name
    try:
        with transaction.atomic(using=db_name), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in to_empty:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (table names)
    except DatabaseError:
        # A kept row refers to a row of a test (a foreign key): the Django way then.
        return False
    return True


_django_teardown = TransactionTestCase._fixture_teardown


def _fixture_teardown(self):
    if self.available_apps is not None or self.serialized_rollback:
        return _django_teardown(self)
    for db_name in self._databases_names(include_mirrors=False):
        if not _empty_all_but_kept(db_name):
            _flush_the_django_way(db_name)
    return None


def install():
    TransactionTestCase._fixture_teardown = _fixture_teardown


def uninstall():
    TransactionTestCase._fixture_teardown = _django_teardown
