"""A small HTTP/1.1 load client on asyncio streams: keep-alive connections, a fixed number of
them, each sending requests back to back for a fixed time. The standard library is enough and
keeps the client light: on a 2-core machine it shares the CPU with the server it measures."""

import asyncio
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

REQUEST_TIMEOUT = 15  # seconds; a stuck request is an error, never a hang


@dataclass
class Response:
    status: int
    headers: list  # (lower-cased name, value) pairs: Set-Cookie may repeat
    body: bytes

    def header(self, name):
        return next((value for key, value in self.headers if key == name), None)

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


class Connection:
    """One keep-alive HTTP/1.1 connection, reopened when the server closes it."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, method, path, headers=(), body=b""):
        return await asyncio.wait_for(self._request(method, path, headers, body), REQUEST_TIMEOUT)

    async def _request(self, method, path, headers, body):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        response = await self._read_response()
        if (response.header("connection") or "").lower() == "close":
            await self.close()
        return response

    async def _read_response(self):
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")[:-2]
        status = int(status_line.split(" ", 2)[1])
        headers = []
        for line in header_lines:
            name, _, value = line.partition(":")
            headers.append((name.strip().lower(), value.strip()))
        response = Response(status, headers, b"")
        if (response.header("transfer-encoding") or "").lower() == "chunked":
            response.body = await self._read_chunked()
        elif response.header("content-length") is not None:
            response.body = await self.reader.readexactly(int(response.header("content-length")))
        else:  # neither length nor chunks: the body runs to the end of the connection
            response.body = await self.reader.read()
            await self.close()
        return response

    async def _read_chunked(self):
        chunks = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")  # no trailers expected
                return b"".join(chunks)
            chunks.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None


class Session:
    """A browser's worth of state for setting things up: one connection and its cookies."""

    def __init__(self, host, port):
        self.connection = Connection(host, port)
        self.cookies = {}

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    async def request(self, method, path, form=None):
        headers = [("Cookie", self.cookie_header())] if self.cookies else []
        body = b""
        if form is not None:
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = urlencode(form).encode()
        response = await self.connection.request(method, path, headers, body)
        for name, value in response.headers:
            if name == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return response


@dataclass
class Measure:
    """What one timed run of one page gave."""

    latencies: list = field(default_factory=list)  # seconds, one per successful request
    errors: list = field(default_factory=list)  # short descriptions, one per failed request
    elapsed: float = 0.0

    def merge(self, other):
        self.latencies += other.latencies
        self.errors += other.errors
        self.elapsed += other.elapsed

    @property
    def requests_per_s(self):
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, fraction):
        if not self.latencies:
            return None  # JSON has no NaN
        ordered = sorted(self.latencies)  # nearest rank
        return round(1000 * ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 1)


async def hammer(host, port, path, headers, check, concurrency, duration):
    """Send GET `path` from `concurrency` connections, back to back, for `duration` seconds.
    `check(response)` returns None when a response is right, else what is wrong with it."""
    measure = Measure()
    deadline = time.perf_counter() + duration

    async def worker():
        connection = Connection(host, port)
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    response = await connection.request("GET", path, headers)
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                    measure.errors.append(f"{type(exc).__name__}: {exc}")
                    await connection.close()
                    continue
                problem = check(response)
                if problem:
                    measure.errors.append(problem)
                else:
                    measure.latencies.append(time.perf_counter() - started)
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    # Requests started before the deadline still count, so the window runs to the last answer.
    measure.elapsed = time.perf_counter() - started
    return measure
