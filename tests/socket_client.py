"""A WebSocket client on a real socket, for tests against server processes (see tests/servers.py):
RFC 6455 on the standard library (ws://, and wss:// through TLS), blocking, one socket per object,
JSON text frames.

It logs in the way a browser does (a session cookie and an `Origin` header), answers the
server's pings while it reads, and reports a socket that ended without a closing handshake (a
server process that died) as closed with code 1006, as browsers do.
"""

import base64
import hashlib
import json
import os
import socket
import ssl
import struct
import time
from urllib.parse import urlsplit

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONTINUATION, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0, 1, 2, 8, 9, 10
CLOSED_ABNORMALLY = 1006
TIMEOUT = 5


class HandshakeRefused(Exception):
    """The server answered the upgrade with an HTTP status other than 101."""

    def __init__(self, status, head):
        super().__init__(f"handshake refused with HTTP {status}")
        self.status = status
        self.head = head


def client_frame(opcode, payload):
    """A final, masked frame (a client must mask what it sends)."""
    length = len(payload)
    if length < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    mask = os.urandom(4)
    return head + mask + bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))


def parse_frame(buffer):
    """(fin, opcode, payload, size) of the first complete server frame in `buffer`, or None
    while the frame is incomplete."""
    if len(buffer) < 2:
        return None
    first, second = buffer[0], buffer[1]
    length, offset = second & 0x7F, 2
    if length == 126:
        if len(buffer) < 4:
            return None
        length, offset = struct.unpack_from("!H", buffer, 2)[0], 4
    elif length == 127:
        if len(buffer) < 10:
            return None
        length, offset = struct.unpack_from("!Q", buffer, 2)[0], 10
    mask = b""
    if second & 0x80:  # servers do not mask, but nothing forbids reading a masked frame
        mask, offset = bytes(buffer[offset : offset + 4]), offset + 4
    if len(buffer) < offset + length:
        return None
    payload = bytes(buffer[offset : offset + length])
    if mask:
        payload = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
    return bool(first & 0x80), first & 0x0F, payload, offset + length


class WebSocketClient:
    """One socket. `frames` keeps every JSON frame received, in order, and `on_frame` (when
    given) is called with each; `close_code` is set once the socket has ended (None while it is
    open)."""

    def __init__(
        self,
        url,
        cookies=None,
        origin="http://localhost",
        timeout=TIMEOUT,
        on_frame=None,
        ssl_context=None,
    ):
        self.url = url
        self.cookies = cookies or {}
        self.origin = origin
        self.timeout = timeout
        self.on_frame = on_frame
        self.ssl_context = ssl_context
        self.frames = []
        self.close_code = None
        self.sock = None
        self.buffer = bytearray()
        self.fragments = None

    # Opening and closing.

    def connect(self):
        """Opens the socket; raises HandshakeRefused when the server does not upgrade it."""
        parts = urlsplit(self.url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=self.timeout)
        if parts.scheme == "wss":
            context = self.ssl_context or ssl.create_default_context()
            self.sock = context.wrap_socket(self.sock, server_hostname=parts.hostname)
        key = base64.b64encode(os.urandom(16)).decode()
        headers = {
            "Host": parts.netloc,
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": key,
            "Sec-WebSocket-Version": "13",
            "Origin": self.origin,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        request = f"GET {parts.path or '/'} HTTP/1.1\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in headers.items()
        )
        self.sock.sendall((request + "\r\n").encode("latin-1"))
        head = self._read_head(time.monotonic() + self.timeout)
        status_line, *header_lines = head.split("\r\n")
        status = int(status_line.split(" ")[1])
        if status != 101:
            self._drop()
            raise HandshakeRefused(status, head)
        answer = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in header_lines)
        }
        expected = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
        if answer.get("sec-websocket-accept") != expected:
            self._drop()
            raise HandshakeRefused(status, head)
        return self

    def close(self, code=1000):
        """Sends a closing handshake and waits briefly for the server's answer."""
        if self.sock is None:
            return
        if self.close_code is None:
            try:
                self.sock.sendall(client_frame(OP_CLOSE, struct.pack("!H", code)))
                deadline = time.monotonic() + 2
                while self.close_code is None and time.monotonic() < deadline:
                    self._read_message(deadline)
            except (OSError, TimeoutError):
                pass
            if self.close_code is None:
                self.close_code = code
        self._drop()

    # Sending.

    def send_json(self, **frame):
        self.send_text(json.dumps(frame))

    def send_text(self, text):
        self.sock.sendall(client_frame(OP_TEXT, text.encode("utf-8")))

    # Receiving.

    def receive(self, timeout=None):
        """The next JSON frame, or None once the socket has ended (see `close_code`). Raises
        TimeoutError when nothing arrives in time."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while self.close_code is None:
            text = self._read_message(deadline)
            if text is not None:
                frame = json.loads(text)
                self.frames.append(frame)
                if self.on_frame is not None:
                    self.on_frame(frame)
                return frame
        return None

    def expect(self, type, timeout=None, **fields):
        """Reads frames until one of `type` (with these field values) arrives."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while True:
            try:
                frame = self.receive(max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                wanted = " ".join([type, *(f"{k}={v!r}" for k, v in fields.items())])
                raise AssertionError(
                    f"no frame {wanted} within {timeout} s from {self.url}; "
                    f"the last ones: {self.frames[-5:]}"
                ) from None
            if frame is None:
                raise AssertionError(f"closed with {self.close_code} while expecting {type}")
            if frame["type"] == type and all(frame.get(k) == v for k, v in fields.items()):
                return frame

    def nothing_more(self, timeout=0.3):
        """True when no frame arrives within `timeout`."""
        try:
            frame = self.receive(timeout)
        except TimeoutError:
            return True
        return frame is None

    # The wire.

    def _read_head(self, deadline):
        while b"\r\n\r\n" not in self.buffer:
            self._fill(deadline)
        head, _, rest = bytes(self.buffer).partition(b"\r\n\r\n")
        self.buffer = bytearray(rest)
        return head.decode("latin-1")

    def _fill(self, deadline):
        """Reads what the kernel has, waiting until `deadline`; an ended socket sets
        `close_code` to 1006."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"nothing from {self.url} in time")
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except TimeoutError:
            raise
        except OSError:  # reset by a peer that died
            chunk = b""
        if not chunk:
            self.close_code = CLOSED_ABNORMALLY
            raise ConnectionError("the server ended the socket")
        self.buffer.extend(chunk)

    def _read_message(self, deadline):
        """Handles one frame: returns a complete text message, or None for control frames and
        fragments. A frame is taken from the buffer only once it is whole, so a timeout never
        leaves half a frame behind."""
        parsed = parse_frame(self.buffer)
        while parsed is None:
            try:
                self._fill(deadline)
            except ConnectionError:
                return None
            parsed = parse_frame(self.buffer)
        fin, opcode, payload, size = parsed
        del self.buffer[:size]
        if opcode == OP_PING:
            self.sock.sendall(client_frame(OP_PONG, payload))
            return None
        if opcode == OP_PONG:
            return None
        if opcode == OP_CLOSE:
            self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            try:
                self.sock.sendall(client_frame(OP_CLOSE, payload[:2]))
            except OSError:
                pass
            return None
        if opcode in (OP_TEXT, OP_BINARY):
            self.fragments = bytearray(payload)
        elif opcode == OP_CONTINUATION and self.fragments is not None:
            self.fragments.extend(payload)
        if not fin or self.fragments is None:
            return None
        text, self.fragments = bytes(self.fragments).decode("utf-8"), None
        return text

    def _drop(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None
