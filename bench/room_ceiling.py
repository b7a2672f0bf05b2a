"""The room benchmark's ceiling: a plain ASGI application, no framework, that keeps the sockets
of each room in a set and writes every message it receives to every socket of the room.

Nothing can fan a message out under daphne with less work per delivery, so its throughput and
latency are what the same server and load client allow; the other systems are measured against
it. Rooms are the path (`/ws/room/<name>/`); the text is relayed as it came."""

from collections import defaultdict

rooms = defaultdict(set)


async def application(scope, receive, send):
    if scope["type"] == "http":
        await _not_found(receive, send)
        return
    if scope["type"] != "websocket":
        return
    sockets = rooms[scope["path"]]
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    sockets.add(send)
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is not None:
                outgoing = {"type": "websocket.send", "text": text}
                for peer in list(sockets):
                    await peer(outgoing)
    finally:
        sockets.discard(send)


async def _not_found(receive, send):
    await receive()
    await send({"type": "http.response.start", "status": 404, "headers": []})
    await send({"type": "http.response.body", "body": b""})
