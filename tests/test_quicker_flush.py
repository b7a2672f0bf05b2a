"""The quicker end of transactional tests (tests/flush.py) leaves the database as Django's flush
does, and goes Django's way when a row `post_migrate` makes was changed."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from tests import flush
from tests.coaching.rooms import make_room

pytestmark = pytest.mark.django_db(transaction=True)


def contents():
    """Every table's row count, and the rows `post_migrate` makes by their natural keys (ids
    differ: Django's flush makes them again)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in flush._tables(connection):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return {
        "counts": counts,
        "content_types": set(ContentType.objects.values_list("app_label", "model")),
        "permissions": set(Permission.objects.values_list("content_type__app_label", "codename")),
        "groups": {
            group.name: set(group.permissions.values_list("codename", flat=True))
            for group in Group.objects.all()
        },
    }


def test_the_quick_way_leaves_what_djangos_flush_leaves():
    if "default" not in flush._kept_rows:
        flush._flush_the_django_way("default")
    make_room()  # rows in many tables, people in the role groups
    assert flush._empty_all_but_kept("default")
    quick = contents()
    assert sum(quick["counts"].values()) > 0 and quick["groups"]
    make_room()
    flush._flush_the_django_way("default")
    assert contents() == quick


def test_a_changed_group_sends_the_flush_the_django_way():
    if "default" not in flush._kept_rows:
        flush._flush_the_django_way("default")
    make_room()
    Group.objects.create(name="Ajouté par un test")
    assert not flush._empty_all_but_kept("default")
    assert Group.objects.filter(name="Ajouté par un test").exists()  # nothing was emptied
    assert ContentType.objects.exists()
