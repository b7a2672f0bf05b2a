"""Security headers and the one login: the Content-Security-Policy of the site and of the
administration, cookies scripts cannot read, and login attempts limited per account, whichever
login page an attacker tries."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _policy(response):
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_site_pages_allow_no_inline_script_or_style(client, site_tree):
    user = factories.make_user()
    client.force_login(user)
    policy = _policy(client.get(reverse("dashboard")))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    # Only the two video providers lessons may frame.
    assert set(policy["frame-src"]) == {
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    }


def test_error_pages_carry_the_policy_too(client, site_tree):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert _policy(response)["script-src"] == ["'self'"]


def test_the_administration_has_its_own_looser_policy(client, site_tree):
    client.force_login(factories.make_user(role="manager"))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = _policy(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "https:" not in policy["img-src"]  # no Gravatar: no email hashes sent away


def test_other_headers(client, site_tree):
    response = client.get(reverse("account_login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}


def test_the_session_cookie_is_out_of_reach_of_scripts(client, site_tree):
    factories.make_user(email="salma@example.ma")
    response = client.post(
        reverse("account_login"), {"login": "salma@example.ma", "password": factories.PASSWORD}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_the_administration_login_is_the_site_login(client, site_tree):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=%2Fadmin%2Fpages%2F"
    # A foreign address is not carried along.
    assert "evil" not in client.get("/admin/login/?next=https://evil.example/").url
    # Someone signed out who opens the administration lands on the site's login.
    assert client.get("/admin/").url.startswith(reverse("account_login"))
    assert client.get("/admin/password_reset/").url == reverse("account_reset_password")


def test_a_manager_signs_in_to_the_administration_through_the_site_login(client, site_tree):
    factories.make_user(email="nadia@example.ma", role="manager")
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": "nadia@example.ma", "password": factories.PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.fixture
def login_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    cache.clear()
    yield
    cache.clear()


def _log_in(client, email, password, address="203.0.113.7"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


def test_an_account_is_locked_after_five_wrong_passwords(client, site_tree, login_limits):
    factories.make_user(email="karim@example.ma")
    for _ in range(5):
        assert (
            "Too many failed login attempts"
            not in _log_in(client, "karim@example.ma", "wrong").content.decode()
        )
    refused = _log_in(client, "karim@example.ma", factories.PASSWORD)
    assert "Too many failed login attempts" in refused.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302  # still signed out
    # Another account from another address is not affected.
    factories.make_user(email="hind@example.ma")
    assert _log_in(client, "hind@example.ma", factories.PASSWORD, "198.51.100.9").status_code == 302


def test_one_address_cannot_try_many_accounts(client, site_tree, login_limits):
    for number in range(10):
        _log_in(client, f"guess{number}@example.ma", "wrong")
    factories.make_user(email="imane@example.ma")
    refused = _log_in(client, "imane@example.ma", factories.PASSWORD)
    assert refused.status_code in {200, 429}
    assert client.get(reverse("dashboard")).status_code == 302
