"""The room benchmark's `channels-chat` system: the chat room of the Channels tutorial, in its
asynchronous form, on the same channel layer as Virage (in memory, one process).

Each socket joins the room's group; each message received is sent to the group, and the layer
hands a copy to every member's channel, whose handler sends it to its socket: a channel-layer
message, a queue and a handler dispatch per delivery. The routing is the tutorial's (origin
check, sessions and users, a URL router); the payload is the benchmark's chat frame."""

import json

from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402


class ChatConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.room_name = self.scope["url_route"]["kwargs"]["room_name"]
        self.room_group_name = f"chat_{self.room_name}"
        await self.channel_layer.group_add(self.room_group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, close_code):
        await self.channel_layer.group_discard(self.room_group_name, self.channel_name)

    async def receive(self, text_data):
        text = json.loads(text_data)["text"]
        await self.channel_layer.group_send(
            self.room_group_name, {"type": "chat.message", "text": text}
        )

    async def chat_message(self, event):
        await self.send(text_data=json.dumps({"type": "chat", "text": event["text"]}))


websocket_urlpatterns = [re_path(r"ws/room/(?P<room_name>\w+)/$", ChatConsumer.as_asgi())]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
