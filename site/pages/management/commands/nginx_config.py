"""Prints the nginx configuration of this installation: deploy/nginx/virage.conf rendered with
its server names, server processes, certificate and the paths of its static and media files
(docs/deploy.md). Defaults come from the settings (ALLOWED_HOSTS, STATIC_ROOT, MEDIA_ROOT), so
run it with the production settings and environment the servers use."""

import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template import Context, Engine

TEMPLATE = settings.BASE_DIR / "deploy" / "nginx" / "virage.conf"
DEFAULT_UPSTREAMS = ["127.0.0.1:8001", "127.0.0.1:8002"]
DEFAULT_LISTEN = ["*", "[::]"]
# A value goes into the configuration as it is: nothing that would end or open a directive.
SAFE_VALUE = re.compile(r"^[^\s;{}'\"#$\\]+$")


def render(
    *,
    server_names,
    upstreams,
    static_root,
    media_root,
    certificate,
    certificate_key,
    listen=DEFAULT_LISTEN,
    http_port=80,
    https_port=443,
):
    for value in [
        *server_names,
        *upstreams,
        *listen,
        static_root,
        media_root,
        certificate,
        certificate_key,
    ]:
        if not SAFE_VALUE.match(str(value)):
            raise CommandError(f"Refusing {value!r} in the nginx configuration.")
    context = {
        "server_names": " ".join(server_names),
        "upstreams": upstreams,
        "listen": listen,
        "http_port": http_port,
        "https_port": https_port,
        # Redirects from plain HTTP name the HTTPS port only when it is not the usual one.
        "https_port_suffix": "" if https_port == 443 else f":{https_port}",
        "static_root": str(static_root).rstrip("/"),
        "media_root": str(media_root).rstrip("/"),
        "certificate": certificate,
        "certificate_key": certificate_key,
    }
    template = Engine(autoescape=False).from_string(TEMPLATE.read_text())
    return template.render(Context(context, autoescape=False))


def server_names_from_settings():
    # Django's ".example.org" (the domain and its subdomains) means the same to nginx.
    return [host for host in settings.ALLOWED_HOSTS if host != "*"]


class Command(BaseCommand):
    help = "Prints the nginx configuration of this installation (docs/deploy.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--server-name",
            action="append",
            dest="server_names",
            help="A name the site answers to (repeat for several); default: ALLOWED_HOSTS.",
        )
        parser.add_argument(
            "--upstream",
            action="append",
            dest="upstreams",
            help="host:port of a daphne process (repeat for each); default: "
            + ", ".join(DEFAULT_UPSTREAMS),
        )
        parser.add_argument(
            "--listen",
            action="append",
            help="An address nginx listens on (repeat for several); default: * and [::].",
        )
        parser.add_argument("--http-port", type=int, default=80)
        parser.add_argument("--https-port", type=int, default=443)
        parser.add_argument(
            "--certificate",
            help="The certificate chain; default: Let's Encrypt's for the first server name.",
        )
        parser.add_argument("--certificate-key", help="Its private key; default: Let's Encrypt's.")
        parser.add_argument("--static-root", default=None, help="Default: STATIC_ROOT.")
        parser.add_argument("--media-root", default=None, help="Default: MEDIA_ROOT.")

    def handle(self, *args, **options):
        server_names = options["server_names"] or server_names_from_settings()
        if not server_names:
            raise CommandError("Give --server-name, or set ALLOWED_HOSTS.")
        letsencrypt = f"/etc/letsencrypt/live/{server_names[0].lstrip('.')}"
        self.stdout.write(
            render(
                server_names=server_names,
                upstreams=options["upstreams"] or DEFAULT_UPSTREAMS,
                listen=options["listen"] or DEFAULT_LISTEN,
                http_port=options["http_port"],
                https_port=options["https_port"],
                certificate=options["certificate"] or f"{letsencrypt}/fullchain.pem",
                certificate_key=options["certificate_key"] or f"{letsencrypt}/privkey.pem",
                static_root=options["static_root"] or settings.STATIC_ROOT,
                media_root=options["media_root"] or settings.MEDIA_ROOT,
            ),
            ending="",
        )
