"""A small HTTP/1.1 load generator: N clients, each on its own keep-alive connection, in one
asyncio loop. It is deliberately thin (a request is a few writes and reads on a socket) so that
on a 2-core machine the client costs the server as little CPU as possible, and it is the same
client for the application and for the hand-written baseline.
"""

import asyncio
import contextlib
import json
import statistics
import time
from dataclasses import dataclass, field


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)  # seconds
    statuses: dict[int, int] = field(default_factory=dict)
    wall: float = 0.0
    clients: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    def p95_ms(self) -> float:
        return percentile(self.latencies, 95) * 1000

    def rps(self) -> float:
        return self.requests / self.wall if self.wall else 0.0

    def answers(self) -> str:
        """The status codes and how many of each: "200x200"."""
        return ", ".join(f"{code}x{n}" for code, n in sorted(self.statuses.items()))

    def row(self, name: str) -> list:
        """A results table's row: what, clients, requests, median, p95, requests/s, answers."""
        return [
            name,
            self.clients,
            self.requests,
            self.median_ms(),
            self.p95_ms(),
            self.rps(),
            self.answers(),
        ]


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, round(pct / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


class Connection:
    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, bytes]:
        reused = self.writer is not None
        try:
            return await self._request(method, path, headers, body)
        except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError):
            if not reused or method not in ("GET", "HEAD"):
                raise
            # The server closed the idle keep-alive connection (uvicorn after 5 s, while other
            # connections were warming up): what any HTTP client does, once, on a new one.
            await self.close()
            return await self._request(method, path, headers, body)

    async def _request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        length, chunked, close = 0, False, False
        for line in header_lines:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        data = await (self._chunks() if chunked else self.reader.readexactly(length))
        if close:
            await self.close()
        return status, data

    async def _chunks(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size + 2))
            parts[-1] = parts[-1][:-2]

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def _load(port, path, headers, clients, total, warmup) -> Stats:
    stats = Stats(clients=clients)
    connections = [Connection(port) for _ in range(clients)]
    for connection in connections:  # open and warm every connection
        for _ in range(warmup):
            await connection.request("GET", path, headers)
    remaining = total

    async def client(connection: Connection):
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            status, _body = await connection.request("GET", path, headers)
            stats.latencies.append(time.perf_counter() - started)
            stats.statuses[status] = stats.statuses.get(status, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(client(c) for c in connections))
    stats.wall = time.perf_counter() - started
    for connection in connections:
        await connection.close()
    return stats


def load(
    port: int, path: str, headers: dict[str, str], *, clients: int, total: int, warmup: int = 3
) -> Stats:
    """`total` GET requests of `path` by `clients` concurrent keep-alive clients."""
    return asyncio.run(_load(port, path, headers, clients, total, warmup))


def get_json(port: int, path: str, headers: dict[str, str]) -> tuple[int, object]:
    async def once():
        connection = Connection(port)
        try:
            status, body = await connection.request("GET", path, headers)
        finally:
            await connection.close()
        return status, json.loads(body) if body else None

    return asyncio.run(once())
