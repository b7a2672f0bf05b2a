"""Production settings come from the environment and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    full_env.update(env)
    full_env["DJANGO_SETTINGS_MODULE"] = "virage_site.settings.production"
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "virage.example.ma,www.virage.example.ma",
    "DATABASE_URL": "postgres://virage:secret@db.internal:5432/virage",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def test_production_settings_pass_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without_its_environment(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_reads_services_from_the_environment():
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['HOST'], settings.CHANNEL_LAYERS['default']['BACKEND'],"
        " settings.ALLOWED_HOSTS, settings.DEBUG)"
    )
    result = run_manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "db.internal" in result.stdout
    assert "channels_redis.core.RedisChannelLayer" in result.stdout
    assert "virage.example.ma" in result.stdout
    assert "False" in result.stdout


def test_the_project_package_is_importable_despite_the_site_folder():
    result = subprocess.run(
        [sys.executable, "-c", "import virage_site.settings.base, site; print(site.__file__)"],
        capture_output=True,
        text=True,
        cwd="/",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "virage" not in result.stdout  # the standard library's `site` is untouched


def test_every_package_folder_is_listed_for_installation():
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = set()
    for folder, name in (
        ("site", "virage_site"),
        ("courses", "courses"),
        ("assessments", "assessments"),
        ("coaching", "coaching"),
    ):
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            found.add(".".join([name, *relative.parts]))
    assert found == listed


def test_production_shares_its_cache_through_redis():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = run_manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert "RedisCache" in result.stdout, result.stderr


def test_scheduled_publishing_and_the_server_share_the_development_cache():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DJANGO_SETTINGS_MODULE"] = "virage_site.settings.dev"
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert "FileBasedCache" in result.stdout, result.stderr
