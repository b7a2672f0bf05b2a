"""nginx for tests, on the configuration Virage ships: deploy/nginx/virage.conf rendered by
`manage.py nginx_config`'s own function, wrapped in a main configuration like Debian's
nginx.conf (mime types, one access log), with every path of its own in a temporary folder.

Debian's nginx (apt-get install nginx) is looked for at /usr/sbin/nginx; where it is missing the
tests are skipped with that reason, unless VIRAGE_REQUIRE_NGINX=1 (as in CI) makes its absence an
error.
"""

import datetime
import http.client
import os
import signal
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from virage_site.pages.management.commands.nginx_config import render

NGINX = Path("/usr/sbin/nginx")
MIME_TYPES = Path("/etc/nginx/mime.types")
MISSING = "Debian's nginx is not installed (apt-get install nginx)"
START_TIMEOUT_S = 30
# The access log names the server process that answered each request ("-" when nginx answered
# itself), which the tests read to see where requests went.
MAIN_CONFIG = """\
daemon off;
{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{
    worker_connections 256;
}}
http {{
    include {mime_types};
    default_type application/octet-stream;
    sendfile on;
    log_format upstreams '$request_method $request_uri $status upstream=$upstream_addr';
    access_log {folder}/access.log upstreams;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/virage.conf;
}}
"""


def require_nginx():
    if NGINX.exists() and os.access(NGINX, os.X_OK) and MIME_TYPES.exists():
        return
    if os.environ.get("VIRAGE_REQUIRE_NGINX") == "1":
        pytest.fail(f"VIRAGE_REQUIRE_NGINX=1 but {NGINX} is missing: {MISSING}", pytrace=False)
    pytest.skip(MISSING)


def self_signed_certificate(folder, hostname="localhost"):
    """A certificate for `hostname`, its key, and a TLS client context that trusts it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_path, key_path = folder / "certificate.pem", folder / "key.pem"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    client_context = ssl.create_default_context(cafile=str(certificate_path))
    return certificate_path, key_path, client_context


class Nginx:
    """nginx in the foreground, on the shipped configuration for these server processes."""

    def __init__(self, folder, *, upstreams, static_root, media_root):
        self.folder = folder
        self.http_port, self.https_port = _two_free_ports()
        certificate, key, self.tls = self_signed_certificate(folder)
        (folder / "virage.conf").write_text(
            render(
                server_names=["localhost"],
                upstreams=upstreams,
                listen=["127.0.0.1"],
                http_port=self.http_port,
                https_port=self.https_port,
                certificate=certificate,
                certificate_key=key,
                static_root=static_root,
                media_root=media_root,
            )
        )
        # Running as root, nginx would hand requests to workers running as nobody, who may not
        # read this run's temporary folders.
        user = "user root;" if os.geteuid() == 0 else ""
        self.config = folder / "nginx.conf"
        self.config.write_text(MAIN_CONFIG.format(user=user, folder=folder, mime_types=MIME_TYPES))
        self.access_log = folder / "access.log"
        self.error_log = folder / "error.log"
        command = [str(NGINX), "-p", str(folder), "-c", str(self.config), "-e", str(self.error_log)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refuses the configuration:\n{checked.stderr}")
        self.process = subprocess.Popen(command, stderr=subprocess.STDOUT)  # noqa: S603
        self._wait_until_listening()

    def _wait_until_listening(self):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.error_log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.https_port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not listen within {START_TIMEOUT_S} s")

    def stop(self):
        if self.process.poll() is None:
            # SIGQUIT: nginx's graceful stop.
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    @property
    def origin(self):
        return f"https://localhost:{self.https_port}"

    def request(self, method, path, *, body=None, headers=None, tls=True, source=None):
        """(status, headers, body) of one request to nginx, over TLS unless `tls` is False,
        from the loopback address `source` when given."""
        source = (source, 0) if source else None
        if tls:
            connection = http.client.HTTPSConnection(
                "localhost", self.https_port, context=self.tls, timeout=30, source_address=source
            )
        else:
            connection = http.client.HTTPConnection(
                "localhost", self.http_port, timeout=30, source_address=source
            )
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def get(self, path, **options):
        return self.request("GET", path, **options)

    def log_lines(self):
        """The access log's lines so far (nginx writes each when its request ends)."""
        return self.access_log.read_text().splitlines() if self.access_log.exists() else []


def _two_free_ports():
    sockets = [socket.socket(), socket.socket()]
    try:
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return tuple(probe.getsockname()[1] for probe in sockets)
    finally:
        for probe in sockets:
            probe.close()
