"""`courses` is a pluggable app: a Wagtail project that is not ours adds it, migrates, and serves
a course and a lesson."""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_courses_app_works_in_a_foreign_wagtail_project(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="foreign.settings",
        PYTHONPATH=str(HERE),
        FOREIGN_DB=str(tmp_path / "foreign.sqlite3"),
        FOREIGN_MEDIA=str(tmp_path / "media"),
        FOREIGN_STATIC=str(tmp_path / "static"),
    )
    result = subprocess.run(
        [sys.executable, str(HERE / "foreign" / "scenario.py")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FOREIGN PROJECT OK" in result.stdout
