"""ASGI entry point: HTTP through Django, WebSockets through the apps' Channels routes."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "virage_site.settings.dev")

# Django must be set up before anything imports models, so the consumers come after this line.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from coaching.room.sending import KeepServerSend  # noqa: E402
from coaching.routing import websocket_urlpatterns  # noqa: E402
from virage_site.garbage import collect_periodically  # noqa: E402

# Start-up leaves some 200,000 long-lived objects (modules, models, templates); a full garbage
# collection walks them all and pauses every live socket of the process for 100-250 ms under
# load (bench/run.py room --watch). Freeze them out of collection, and collect young objects in
# larger steps.
gc.collect()
gc.freeze()
gc.set_threshold(10_000, 10, 10)
# Closed sockets leave cycles that the interpreter's own schedule frees too late
# (virage_site.garbage).
collect_periodically()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": KeepServerSend(
            AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)
