"""The server's own `send` for the room's sockets.

Channels' session middleware wraps every socket's `send` in a function that looks at the
session (a lazy object) on each message, to save it when an HTTP response starts: a socket
never needs that, and the hub writes thousands of messages a second (`bench/run.py room`).
The outermost middleware of the socket stack keeps the server's `send` in the scope; the room
writes what it broadcasts with it. Nothing between the two changes messages on their way out
(the origin check, the session and the authentication only read the scope).
"""


class KeepServerSend:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        return await self.inner({**scope, "server_send": send}, receive, send)
