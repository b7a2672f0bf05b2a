"""A WebSocket client connection small enough to run hundreds of in one process: RFC 6455 over
an asyncio Protocol, text frames only, with no library beyond the standard one.

It reads frames straight out of the bytes the kernel gives (no stream, no task per socket) and
hands each text message to a callback, because the load client receives about ten thousand of
them a second and shares a 2-core machine with the server it measures."""

import asyncio
import base64
import hashlib
import os
import struct

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONTINUATION, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0, 1, 2, 8, 9, 10
MAX_HEAD = 64 * 1024


class HandshakeError(Exception):
    pass


def encode_frame(opcode, payload):
    """A client frame: final, masked (RFC 6455 requires clients to mask)."""
    length = len(payload)
    if length < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    mask = os.urandom(4)
    if not length:
        return head + mask
    # XOR as one big integer: much faster in Python than byte by byte.
    key = (mask * (length // 4 + 1))[:length]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(length, "big")
    return head + mask + masked


class WebSocket(asyncio.Protocol):
    """One client socket. `on_text(socket, text, received_at)` is called for each text message;
    `opened` resolves when the server accepts the handshake, `closed` when the socket ends
    (with the close code the server sent, or None)."""

    def __init__(self, host, port, path, headers, on_text, clock):
        self.request = self._handshake(host, port, path, headers)
        self.on_text = on_text
        self.clock = clock
        loop = asyncio.get_running_loop()
        self.opened = loop.create_future()
        self.closed = loop.create_future()
        self.transport = None
        self.buffer = bytearray()
        self.upgraded = False
        self.fragments = None
        self.close_code = None

    def _handshake(self, host, port, path, headers):
        self.key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            f"GET {path} HTTP/1.1",
            f"Host: {host}:{port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {self.key}",
            "Sec-WebSocket-Version: 13",
        ]
        lines += [f"{name}: {value}" for name, value in headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    # asyncio.Protocol

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data):
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    self._fail(HandshakeError("handshake answer too long"))
                return
            head = bytes(self.buffer[:end]).decode("latin-1")
            del self.buffer[: end + 4]
            problem = self._check_answer(head)
            if problem:
                self._fail(HandshakeError(problem))
                return
            self.upgraded = True
            if not self.opened.done():
                self.opened.set_result(True)
        self._read_frames(self.clock())

    def connection_lost(self, exc):
        if not self.opened.done():
            self.opened.set_exception(exc or HandshakeError("closed during the handshake"))
        if not self.closed.done():
            self.closed.set_result(self.close_code)

    # Frames

    def _check_answer(self, head):
        status_line, *header_lines = head.split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or parts[1] != "101":
            return f"answered {status_line!r}"
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        expected = base64.b64encode(hashlib.sha1(self.key.encode() + GUID).digest()).decode()
        if headers.get("sec-websocket-accept") != expected:
            return "wrong Sec-WebSocket-Accept"
        return None

    def _read_frames(self, received_at):
        buffer = self.buffer
        size = len(buffer)
        pos = 0
        while size - pos >= 2:
            first, second = buffer[pos], buffer[pos + 1]
            length = second & 0x7F
            head = 2
            if length == 126:
                if size - pos < 4:
                    break
                length = int.from_bytes(buffer[pos + 2 : pos + 4], "big")
                head = 4
            elif length == 127:
                if size - pos < 10:
                    break
                length = int.from_bytes(buffer[pos + 2 : pos + 10], "big")
                head = 10
            if second & 0x80:
                self._fail(HandshakeError("the server masked a frame"))
                return
            if size - pos < head + length:
                break
            payload = bytes(buffer[pos + head : pos + head + length])
            pos += head + length
            self._frame(first & 0x80, first & 0x0F, payload, received_at)
        if pos:
            del buffer[:pos]

    def _frame(self, final, opcode, payload, received_at):
        if opcode == OP_TEXT and final:
            self.on_text(self, payload.decode("utf-8"), received_at)
        elif opcode in (OP_TEXT, OP_BINARY):
            self.fragments = [opcode, payload]
        elif opcode == OP_CONTINUATION and self.fragments is not None:
            self.fragments.append(payload)
            if final:
                kind, *parts = self.fragments
                self.fragments = None
                if kind == OP_TEXT:
                    self.on_text(self, b"".join(parts).decode("utf-8"), received_at)
        elif opcode == OP_PING:
            self._write(OP_PONG, payload)
        elif opcode == OP_CLOSE:
            if len(payload) >= 2:
                self.close_code = int.from_bytes(payload[:2], "big")
            self._write(OP_CLOSE, payload[:2])
            self.transport.close()

    # Sending

    def _write(self, opcode, payload):
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(encode_frame(opcode, payload))

    def send_text(self, text):
        self._write(OP_TEXT, text.encode("utf-8"))

    def close(self, code=1000):
        self._write(OP_CLOSE, code.to_bytes(2, "big"))

    def _fail(self, error):
        if not self.opened.done():
            self.opened.set_exception(error)
        if self.transport is not None:
            self.transport.abort()


async def connect(host, port, path, headers, on_text, clock, timeout=30):
    """A socket whose handshake the server accepted."""
    loop = asyncio.get_running_loop()
    _transport, socket = await asyncio.wait_for(
        loop.create_connection(
            lambda: WebSocket(host, port, path, headers, on_text, clock), host, port
        ),
        timeout,
    )
    await asyncio.wait_for(socket.opened, timeout)
    return socket
