"""The backup and restore of docs/deploy.md, on PostgreSQL (production's database): a dump in
pg_dump's custom format, restored into an empty database, is one Virage reads, complete."""

import os
import shutil
import subprocess
import sys

import psycopg
import pytest
from django.db import connection

from tests import factories
from tests.servers import ROOT, database_url

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backups are of PostgreSQL (set DATABASE_URL)"
)


@pytest.fixture
def empty_database():
    """An empty database beside the tests' one, dropped afterwards; its address."""
    source = database_url()
    name = f"{connection.settings_dict['NAME']}_restored"
    server = source.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(command, **env):
    result = subprocess.run(
        command,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
        cwd=ROOT,
        env={**os.environ, **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_restored_dump_is_the_database_virage_had(transactional_db, empty_database, tmp_path):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("PostgreSQL's client programs (pg_dump, pg_restore) are not installed")
    factories.make_company(name="Atelier Zellige Fès")
    dump = tmp_path / "virage.dump"

    run(["pg_dump", "--format=custom", f"--file={dump}", database_url()])
    run(["pg_restore", "--no-owner", f"--dbname={empty_database}", str(dump)])

    environment = {
        "PYTHONIOENCODING": "utf-8",
        "DJANGO_SETTINGS_MODULE": "virage_site.settings.test",
        "DATABASE_URL": empty_database,
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    # Every migration is there: the restored database needs no `migrate`.
    run([*manage, "migrate", "--check"], **environment)
    names = run(
        [
            *manage,
            "shell",
            "--verbosity=0",
            "-c",
            "from virage_site.companies.models import Company; "
            "print(*Company.objects.values_list('name', flat=True))",
        ],
        **environment,
    )
    assert names.strip() == "Atelier Zellige Fès"
