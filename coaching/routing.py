"""WebSocket routes of the coaching app. The project's ASGI router includes this list."""

websocket_urlpatterns = []
