"""`manage.py nginx_config` renders the shipped configuration for one installation, its defaults
taken from the settings (test_nginx.py runs nginx on such a rendering)."""

import io

import pytest
from django.core.management import CommandError, call_command


def nginx_config(*args):
    out = io.StringIO()
    call_command("nginx_config", *args, stdout=out)
    return out.getvalue()


def test_defaults_come_from_the_settings(settings):
    settings.ALLOWED_HOSTS = ["virage.example.ma", "www.virage.example.ma"]
    settings.STATIC_ROOT = "/srv/virage/var/static"
    settings.MEDIA_ROOT = "/srv/virage/var/media"
    config = nginx_config()
    assert "server_name virage.example.ma www.virage.example.ma;" in config
    assert "ssl_certificate /etc/letsencrypt/live/virage.example.ma/fullchain.pem;" in config
    assert "ssl_certificate_key /etc/letsencrypt/live/virage.example.ma/privkey.pem;" in config
    assert "alias /srv/virage/var/static/;" in config
    assert "alias /srv/virage/var/media/;" in config
    assert "server 127.0.0.1:8001 " in config and "server 127.0.0.1:8002 " in config
    assert "return 301 https://$host$request_uri;" in config
    assert "{%" not in config and "{{" not in config


def test_each_server_process_is_listed(settings):
    settings.ALLOWED_HOSTS = ["virage.example.ma"]
    config = nginx_config(*[f"--upstream=10.0.0.{n}:8000" for n in (1, 2, 3)])
    assert [line.split()[1] for line in config.splitlines() if "max_fails" in line] == [
        "10.0.0.1:8000",
        "10.0.0.2:8000",
        "10.0.0.3:8000",
    ]


def test_a_value_that_would_change_the_configuration_is_refused(settings):
    settings.ALLOWED_HOSTS = ["virage.example.ma"]
    with pytest.raises(CommandError, match="Refusing"):
        nginx_config("--static-root=/srv/static; autoindex on")
