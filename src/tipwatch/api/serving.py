"""Serving under load: HEAD on every GET route, ETag / 304 on the API, and load shedding.

:class:`Serving` is a plain ASGI middleware placed outermost around the explorer app:

* ``HEAD`` is answered for every ``GET`` route (the route runs as ``GET``; the body is dropped,
  the headers, ``Content-Length`` included, are those of the ``GET`` answer).
* API answers (``/api...``) and the explorer's pages and files carry ``ETag`` (the store's
  build id and a digest of the body) and ``Cache-Control``; a request whose ``If-None-Match``
  names the current tag gets ``304`` with no body. The store and the package's files do not
  change while they are served, so each answer is kept (bounded by :data:`CACHE_BYTES`) and
  replayed without running the route again (not ``/report/``, which may be rewritten, nor
  ``/downloads/``).
* Load shedding: at most ``max_in_flight`` requests are worked on at once per worker, and no
  further one while the event loop is late by more than ``max_lag`` seconds with requests in
  progress (the sign that requests are queueing in front of it). Beyond that the answer is an
  immediate ``503`` with ``Retry-After``, never a queue.
* A request body over :data:`tipwatch.limits.MAX_BYTES` ``["API body"]`` gets ``413``; paths
  under ``/report/`` naming a hidden file or folder (``.name``) get ``404``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import OrderedDict
from typing import Any

from tipwatch.limits import MAX_BYTES

#: Bytes of API answers kept per worker (least recently used answers are dropped beyond it).
CACHE_BYTES = 64 * 1024 * 1024
#: Answers larger than this are served but not kept.
ENTRY_BYTES = 4 * 1024 * 1024
#: Requests worked on at once per worker before new ones get 503.
MAX_IN_FLIGHT = 64
#: Event-loop lateness (seconds) beyond which new requests get 503.
MAX_LAG = 0.05
#: ``Retry-After`` (seconds) on a 503.
RETRY_AFTER = 1
CACHE_CONTROL = "public, max-age=300, must-revalidate"
#: Paths answered afresh every time: a report folder may be rewritten while it is served, and
#: downloads are large (the explorer keeps their bytes itself).
NOT_KEPT = ("/report", "/downloads")

Headers = list[tuple[bytes, bytes]]


def _json_body(status: int, message: str) -> bytes:
    return json.dumps({"detail": message, "status": status}).encode()


class Serving:
    """The ASGI middleware described in the module docstring."""

    def __init__(self, app: Any, build_id: str, *, max_in_flight: int = MAX_IN_FLIGHT,
                 max_lag: float = MAX_LAG, cache_bytes: int = CACHE_BYTES) -> None:
        self.app = app
        self.build_id = build_id
        self.max_in_flight = max_in_flight
        self.max_lag = max_lag
        self.cache_bytes = cache_bytes
        self.in_flight = 0
        self.lag = 0.0
        self.shed = 0
        self._cache: OrderedDict[tuple, tuple[int, Headers, bytes]] = OrderedDict()
        self._cached_bytes = 0
        self._monitor: asyncio.Task | None = None

    # ------------------------------------------------------------------ load
    async def _watch_lag(self) -> None:
        """Measure how late the event loop runs a 10 ms timer (decaying maximum)."""
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(0.01)
            late = loop.time() - start - 0.01
            self.lag = max(late, self.lag * 0.5)

    def _overloaded(self) -> bool:
        # lateness counts only while other requests are being worked on: a loop that was late
        # because of one slow answer, now sent, has no queue in front of it
        return self.in_flight >= self.max_in_flight or (
            self.in_flight > 0 and self.lag > self.max_lag)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._monitor is None:
            self._monitor = asyncio.get_running_loop().create_task(self._watch_lag())
        if self._overloaded():
            self.shed += 1
            await _answer(send, 503, _json_body(503, "server busy: retry shortly"),
                          [(b"retry-after", str(RETRY_AFTER).encode()),
                           (b"cache-control", b"no-store")])
            return
        self.in_flight += 1
        try:
            await self._handle(scope, receive, send)
        finally:
            self.in_flight -= 1

    # ------------------------------------------------------------------ requests
    async def _handle(self, scope: dict, receive: Any, send: Any) -> None:
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"0")
        limit = MAX_BYTES["API body"]
        if not length.isdigit() or int(length) > limit or (
                b"transfer-encoding" in headers and scope["method"] not in ("GET", "HEAD")):
            await _answer(send, 413, _json_body(
                413, f"request body over the {limit // 1024} kB limit (or not sized)"), [])
            return
        path: str = scope.get("path", "")
        if path.startswith("/report/") and any(p.startswith(".") for p in path.split("/")):
            await _answer(send, 404, _json_body(404, "Not Found"), [])
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        if scope["method"] == "GET" and not path.startswith(NOT_KEPT):
            await self._kept(scope, receive, send, headers, head)
        elif head:
            await self.app(scope, receive, _drop_body(send))
        else:
            await self.app(scope, receive, send)

    async def _kept(self, scope: dict, receive: Any, send: Any, headers: dict, head: bool,
                    ) -> None:
        key = (scope["path"], scope.get("query_string", b""), headers.get(b"origin"))
        entry = self._cache.get(key)
        if entry is None:
            status, out_headers, body = await _capture(self.app, scope, receive)
            if status == 200:
                tag = f'"{self.build_id}-{hashlib.blake2b(body, digest_size=8).hexdigest()}"'
                out_headers = [h for h in out_headers
                               if h[0].lower() not in (b"etag", b"cache-control")]
                out_headers += [(b"etag", tag.encode()),
                                (b"cache-control", CACHE_CONTROL.encode())]
                entry = (status, out_headers, body)
                self._keep(key, entry)
            else:
                entry = (status, out_headers, body)
        else:
            self._cache.move_to_end(key)
        status, out_headers, body = entry
        if status == 200 and _matches(headers.get(b"if-none-match"), out_headers):
            keep = [h for h in out_headers
                    if h[0].lower() in (b"etag", b"cache-control", b"vary")]
            await send({"type": "http.response.start", "status": 304, "headers": keep})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": status, "headers": out_headers})
        await send({"type": "http.response.body", "body": b"" if head else body})

    def _keep(self, key: tuple, entry: tuple[int, Headers, bytes]) -> None:
        size = len(entry[2]) + sum(len(a) + len(b) for a, b in entry[1]) + 200
        if size > ENTRY_BYTES:
            return
        self._cache[key] = entry
        self._cached_bytes += size
        while self._cached_bytes > self.cache_bytes and self._cache:
            _, (_, h, b) = self._cache.popitem(last=False)
            self._cached_bytes -= len(b) + sum(len(x) + len(y) for x, y in h) + 200


def _matches(if_none_match: bytes | None, headers: Headers) -> bool:
    if not if_none_match:
        return False
    tag = next((v for k, v in headers if k.lower() == b"etag"), None)
    if tag is None:
        return False
    wanted = [t.strip().removeprefix(b"W/") for t in if_none_match.split(b",")]
    return b"*" in wanted or tag in wanted


async def _answer(send: Any, status: int, body: bytes, extra: Headers) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"x-content-type-options", b"nosniff"), *extra]})
    await send({"type": "http.response.body", "body": body})


async def _capture(app: Any, scope: dict, receive: Any) -> tuple[int, Headers, bytes]:
    """Run ``app`` and collect its whole answer (API answers are small, bounded JSON/CSV)."""
    start: dict = {}
    chunks: list[bytes] = []

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    body = b"".join(chunks)
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    return int(start.get("status", 500)), headers, body


def _drop_body(send: Any) -> Any:
    """A ``send`` that passes the headers of a GET answer and drops its body (for HEAD)."""
    async def wrapped(message: dict) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return wrapped
