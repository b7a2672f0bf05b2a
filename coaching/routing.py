"""WebSocket routes of the coaching app. The project's ASGI router includes this list."""

from django.urls import path

from .room.consumer import RoomConsumer

websocket_urlpatterns = [
    path("ws/coaching/sessions/<int:session_id>/", RoomConsumer.as_asgi()),
]
