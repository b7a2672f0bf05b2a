"""Virage as docs/deploy.md installs it: nginx over TLS on the configuration Virage ships
(deploy/nginx/virage.conf, rendered by `manage.py nginx_config`) in front of two daphne
processes on the production settings, with static files collected as in production, the tests'
database and Redis (REDIS_URL, else the local Redis, under a key prefix of this module's own).

What a visitor would notice: pages over HTTPS only, both processes answering, static files
compressed and cached by the browser, uploads safe to open, the live room's sockets, a site that
stays up when a process dies, and a login throttle that counts each person's failures.
"""

import gzip
import http.client
import os
import re
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass

import pytest
from django.conf import settings

from tests import factories
from tests.coaching.redis_layer import delete_keys, own_prefix, redis_url_or_skip
from tests.coaching.rooms import make_room, session_cookie
from tests.deploy.proxy import Nginx, require_nginx
from tests.servers import ROOT, ServerProcess, database_url, start_daphne, start_daphnes
from tests.socket_client import WebSocketClient

# How docs/deploy.md starts daphne behind nginx: the client's address comes from X-Real-IP.
DAPHNE_BEHIND_NGINX = ["--proxy-headers", "--proxy-headers-host", "X-Real-IP"]
UPSTREAM = re.compile(r"upstream=(.+)$")


@dataclass
class Stack:
    nginx: Nginx
    servers: list[ServerProcess]
    environment: dict
    media_root: object

    def answered_by(self, path, count=1):
        """The upstream address nginx logged for each request of `path` so far ("-": nginx
        answered itself), once at least `count` are logged (nginx logs a request just after
        answering it)."""
        deadline = time.monotonic() + 10
        while True:
            found = [
                UPSTREAM.search(line).group(1)
                for line in self.nginx.log_lines()
                if line.split(" ")[1] == path
            ]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


def production_environment(folder, redis_url, prefix):
    return {
        "DJANGO_SETTINGS_MODULE": "virage_site.settings.production",
        # The tests' key: the sessions this process opens are valid for the servers.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "localhost",
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": prefix,
        "VIRAGE_STATIC_ROOT": str(folder / "static"),
        "VIRAGE_MEDIA_ROOT": str(folder / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def collectstatic(environment, database_url):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(environment, DATABASE_URL=database_url)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def stack(django_db_setup, tmp_path_factory):
    require_nginx()
    redis_url = redis_url_or_skip()
    prefix = own_prefix("nginx")
    folder = tmp_path_factory.mktemp("deploy")
    (folder / "media").mkdir()
    environment = production_environment(folder, redis_url, prefix)
    collectstatic(environment, database_url())
    servers, nginx = [], None
    try:
        servers = start_daphnes(2, daphne_args=DAPHNE_BEHIND_NGINX, **environment)
        nginx = Nginx(
            folder,
            upstreams=[f"127.0.0.1:{server.port}" for server in servers],
            static_root=folder / "static",
            media_root=folder / "media",
        )
        yield Stack(nginx, servers, environment, folder / "media")
    finally:
        if nginx is not None:
            nginx.stop()
        for server in servers:
            server.stop()
        delete_keys(redis_url, prefix)


@pytest.fixture
def home(transactional_db):
    """The home page in fr/ar/en (put back after a transactional test's flush)."""
    return factories.build_site()[0]


def test_pages_are_served_over_https_and_django_knows_it(stack, home):
    status, headers, body = stack.nginx.get("/en/")
    assert status == 200
    assert "<title>" in body.decode() and "Home" in body.decode()
    # Django sends HSTS only on requests it sees as secure: X-Forwarded-Proto reached it (and
    # SECURE_SSL_REDIRECT did not send the browser round in circles).
    assert "max-age=31536000" in headers["Strict-Transport-Security"]


def test_plain_http_is_redirected_to_https(stack):
    status, headers, _body = stack.nginx.get("/en/search/?q=vente", tls=False)
    assert status == 301
    assert headers["Location"] == f"{stack.nginx.origin}/en/search/?q=vente"


def test_requests_take_turns_over_both_processes(stack):
    before = len(stack.answered_by("/healthz", 0))
    for _ in range(6):
        status, _headers, body = stack.nginx.get("/healthz")
        assert (status, body) == (200, b"ok")
    answered = Counter(stack.answered_by("/healthz", before + 6)[before:])
    assert set(answered) == {f"127.0.0.1:{server.port}" for server in stack.servers}


def test_a_probe_reads_each_process_health_over_plain_http(stack):
    """As docs/deploy.md checks one process: its host, no HTTPS, no redirect."""
    for server in stack.servers:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", "/healthz", headers={"Host": "localhost"})
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, b"ok")
        connection.close()


def test_static_files_come_compressed_from_nginx_and_are_cached_for_a_year(stack, home):
    _status, _headers, page = stack.nginx.get("/en/")
    stylesheet = re.search(r'href="(/static/css/virage\.[0-9a-f]{12}\.css)"', page.decode())
    assert stylesheet, "the page links its stylesheet by a name with a content hash"
    path = stylesheet.group(1)

    status, headers, body = stack.nginx.get(path, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Type"] == "text/css"
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    on_disk = stack.environment["VIRAGE_STATIC_ROOT"] + path.removeprefix("/static")
    with open(on_disk, "rb") as collected:
        assert gzip.decompress(body) == collected.read()
    # nginx answered it from the disk: no server process was asked.
    assert stack.answered_by(path) == ["-"]

    # The same file by its plain name may change at the next release: a short cache.
    status, headers, _body = stack.nginx.get("/static/css/virage.css")
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=60"


def test_a_missing_static_file_is_a_404_from_nginx(stack):
    status, _headers, _body = stack.nginx.get("/static/css/nothing-here.css")
    assert status == 404
    assert stack.answered_by("/static/css/nothing-here.css") == ["-"]


def test_uploaded_images_are_served_safely_and_documents_only_through_django(stack):
    images = stack.media_root / "original_images"
    images.mkdir(exist_ok=True)
    (images / "atelier.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (images / "page.html").write_text("<script>alert(document.cookie)</script>")
    documents = stack.media_root / "documents"
    documents.mkdir(exist_ok=True)
    (documents / "contrat.pdf").write_bytes(b"%PDF-1.4 private")

    status, headers, _body = stack.nginx.get("/media/original_images/atelier.png")
    assert status == 200
    assert headers["Content-Type"] == "image/png"
    assert headers["X-Content-Type-Options"] == "nosniff"
    # An uploaded page, opened, runs no script.
    status, headers, _body = stack.nginx.get("/media/original_images/page.html")
    assert status == 200
    assert "sandbox" in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    # Documents may be private: their files are not reachable past Django's checks.
    status, _headers, body = stack.nginx.get("/media/documents/contrat.pdf")
    assert status == 404
    assert b"private" not in body


def test_the_live_room_works_through_the_proxy(stack, transactional_db):
    room = make_room()
    url = f"wss://localhost:{stack.nginx.https_port}/ws/coaching/sessions/{room['session'].pk}/"
    sockets = []
    try:
        for user in (room["coach"], room["people"][0]):
            sockets.append(
                WebSocketClient(
                    url,
                    cookies={"sessionid": session_cookie(user)},
                    origin=stack.nginx.origin,
                    ssl_context=stack.nginx.tls,
                ).connect()
            )
        coach, learner = sockets
        assert coach.expect("welcome")["you"]["role"] == "moderator"
        assert learner.expect("welcome")["you"]["status"] == "admitted"
        learner.send_json(type="chat", text="Bonjour à travers nginx")
        assert coach.expect("chat", text="Bonjour à travers nginx")["by"] == room["people"][0].pk
    finally:
        for socket in sockets:
            socket.close()


def test_uploads_larger_than_the_documented_limit_are_refused(stack):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _headers, _body = stack.nginx.request(
        "POST", "/en/accounts/login/", body=b"x" * (12 * 1024 * 1024), headers=form
    )
    assert status == 413
    # A 10 MB upload gets past nginx to Django (which wants a CSRF token here).
    status, _headers, _body = stack.nginx.request(
        "POST", "/en/accounts/login/", body=b"x" * (10 * 1024 * 1024), headers=form
    )
    assert status == 403


def failed_login(nginx, email, source, claimed_address):
    """A login with a wrong password from the loopback address `source`, the client claiming to
    be `claimed_address`; returns the page that answers it."""
    _status, headers, page = nginx.get("/en/accounts/login/", source=source)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.decode()).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    status, _headers, page = nginx.request(
        "POST",
        "/en/accounts/login/",
        body=urllib.parse.urlencode(
            {"login": email, "password": "not-the-password", "csrfmiddlewaretoken": token}
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Origin": nginx.origin,
            "Referer": f"{nginx.origin}/en/accounts/login/",
            "X-Forwarded-For": claimed_address,
        },
        source=source,
    )
    assert status == 200
    return page.decode()


def test_failed_logins_are_counted_per_client_whatever_the_client_claims(stack, transactional_db):
    too_many = "Too many failed login attempts"
    # The throttle allows 10 failures a minute from one address (ACCOUNT_RATE_LIMITS).
    for n in range(10):
        page = failed_login(stack.nginx, f"guess{n}@example.ma", "127.0.0.3", f"10.0.0.{n}")
        assert too_many not in page
    page = failed_login(stack.nginx, "guess10@example.ma", "127.0.0.3", "10.0.0.99")
    assert too_many in page
    # Someone else behind the same proxy can still log in.
    page = failed_login(stack.nginx, "someone@example.ma", "127.0.0.4", "10.0.0.3")
    assert too_many not in page
    assert "not correct" in page


def test_the_site_stays_up_when_a_server_process_dies(stack):
    dead, alive = stack.servers
    dead.kill()
    before = len(stack.answered_by("/healthz", 0))
    try:
        for _ in range(6):
            status, _headers, body = stack.nginx.get("/healthz")
            assert (status, body) == (200, b"ok")
        # Every request was answered by the process that is left (nginx may have tried the
        # dead one first).
        assert all(
            answered.endswith(f"127.0.0.1:{alive.port}")
            for answered in stack.answered_by("/healthz", before + 6)[before:]
        )
    finally:
        dead.stop()  # drops its log
        # Back for the tests that follow (nginx tries it again after fail_timeout).
        stack.servers[0] = start_daphne(
            dead.port, daphne_args=DAPHNE_BEHIND_NGINX, **stack.environment
        )
