"""A polite HTTP client with a raw-response cache, for the report's country pages.

* One :class:`Fetcher` per run: a real ``httpx`` client with the project's User-Agent
  (state.gov refuses clients whose User-Agent does not start with ``Mozilla/5.0``), a delay
  between requests to the same host (default 2 s, longer when robots.txt asks for it),
  robots.txt honoured, three tries with exponential backoff on 429, 5xx, timeouts and
  connection errors, and conditional requests (``If-None-Match`` / ``If-Modified-Since``)
  for every page already in the cache.
* The cache (default ``var/cache/``) keeps each response as ``<key>.body`` plus
  ``<key>.json`` (URL, status, ETag, Last-Modified, fetched-at, bytes, sha256). Both are
  written to a temporary file and renamed; the metadata is written last and names the body's
  sha256, so a killed run leaves either a whole entry or none (a body without matching
  metadata is ignored and fetched again).
* A 404 is an answer ("no narrative at that address"), cached and counted as not found. A
  page that is not HTML, or larger than 20 MB, is refused with its reason. A host that cannot
  be reached after the retries raises :class:`FetchError` (one line naming the URL, exit 2).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from tipwatch import __version__
from tipwatch.atomic import atomic_path
from tipwatch.errors import BadInputError

PROJECT_URL = "https://github.com/tipwatch/tipwatch"
USER_AGENT = f"Mozilla/5.0 (compatible; tipwatch/{__version__}; +{PROJECT_URL})"
DEFAULT_CACHE = Path("var") / "cache"
DEFAULT_DELAY = 2.0
MAX_BYTES = 20 * 1024 * 1024
TRIES = 3
HTML_TYPES = ("text/html", "application/xhtml+xml")


class FetchError(BadInputError):
    """A host that cannot be reached, or a page the run cannot do without (exit 2)."""


@dataclass
class Page:
    """One response as the cache keeps it."""

    url: str
    status: int  # HTTP status of the last answer with a body (200), or 404, or 0 = failed
    outcome: str  # fetched, cached (304 or used from the cache), not_found, refused, failed
    final_url: str = ""
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    fetched_at: str = ""
    bytes: int = 0
    sha256: str = ""
    reason: str = ""  # why refused or failed
    body_path: str = ""

    def body(self) -> bytes:
        return Path(self.body_path).read_bytes() if self.body_path else b""

    def provenance(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("body_path")
        return d


@dataclass
class Counts:
    fetched: int = 0
    cached: int = 0
    not_found: int = 0
    refused: int = 0
    failed: int = 0
    requests: int = 0
    retries: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class Cache:
    """Raw responses on disk, keyed by URL (see the module doc)."""

    root: Path

    def key(self, url: str) -> Path:
        parts = urlsplit(url)
        host = (parts.netloc or "local").replace(":", "_")
        return self.root / host / hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]

    def get(self, url: str) -> Page | None:
        base = self.key(url)
        meta = base.with_suffix(".json")
        if not meta.exists():
            return None
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            page = Page(**data)
        except (OSError, ValueError, TypeError):
            return None
        if page.status == 200:
            body = base.with_suffix(".body")
            try:
                raw = body.read_bytes()
            except OSError:
                return None
            if hashlib.sha256(raw).hexdigest() != page.sha256:
                return None  # a body from an interrupted run: not ours
            page.body_path = str(body)
        return page

    def put(self, page: Page, body: bytes | None) -> Page:
        base = self.key(page.url)
        if body is not None:
            with atomic_path(base.with_suffix(".body")) as tmp:
                tmp.write_bytes(body)
            page.body_path = str(base.with_suffix(".body"))
        meta = {k: v for k, v in asdict(page).items() if k != "body_path"}
        meta["outcome"] = "cached"
        with atomic_path(base.with_suffix(".json")) as tmp:
            tmp.write_text(json.dumps(meta, indent=1), encoding="utf-8")
        return page

    def clean_temporaries(self) -> int:
        """Remove temporary files a killed run left behind; returns how many."""
        n = 0
        if self.root.exists():
            for tmp in self.root.rglob(".*.tmp"):
                with contextlib.suppress(OSError):
                    tmp.unlink()
                    n += 1
        return n


@dataclass
class Fetcher:
    """Sequential, polite GETs with retries, robots.txt and the cache (see the module doc)."""

    cache_dir: Path = DEFAULT_CACHE
    delay: float = DEFAULT_DELAY
    timeout: float = 60.0
    backoff: float = 1.0
    tries: int = TRIES
    max_bytes: int = MAX_BYTES
    counts: Counts = field(default_factory=Counts)

    def __post_init__(self) -> None:
        import httpx

        self.cache = Cache(Path(self.cache_dir))
        self.cache.clean_temporaries()
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept-Language": "en"},
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=True,
            max_redirects=5,
        )
        self._last: dict[str, float] = {}
        self._robots: dict[str, tuple[RobotFileParser | None, float]] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ politeness
    def _wait(self, host: str, delay: float) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()

    def _robots_for(self, url: str) -> tuple[RobotFileParser | None, float]:
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self._robots:
            rp: RobotFileParser | None = None
            crawl_delay = 0.0
            try:
                resp = self._request("GET", f"{host}/robots.txt", {}, robots=True)
                if resp.status_code == 200:
                    rp = RobotFileParser()
                    body = resp.extensions.get("tipwatch_body", b"")
                    rp.parse(body.decode("utf-8", "replace").splitlines())
                    cd = rp.crawl_delay("tipwatch") or rp.crawl_delay("*")
                    crawl_delay = float(cd) if cd else 0.0
            except FetchError:
                raise
            except Exception:  # noqa: BLE001 - a broken robots.txt means no rules
                rp = None
            self._robots[host] = (rp, crawl_delay)
        return self._robots[host]

    def allowed(self, url: str) -> bool:
        rp, _ = self._robots_for(url)
        return rp is None or rp.can_fetch(USER_AGENT, url)

    # ------------------------------------------------------------------ requests
    def _request(self, method: str, url: str, headers: dict[str, str], robots: bool = False):  # noqa: ANN202
        """One request with retries; returns the httpx Response (body read, bounded)."""
        import httpx

        host = urlsplit(url).netloc
        delay = self.delay if robots else max(self.delay, self._robots_for(url)[1])
        last_error = ""
        for attempt in range(self.tries):
            if attempt:
                self.counts.retries += 1
                time.sleep(self.backoff * (2 ** (attempt - 1)))
            self._wait(host, delay)
            self.counts.requests += 1
            try:
                with self._client.stream(method, url, headers=headers) as resp:
                    if resp.status_code == 429 or resp.status_code >= 500:
                        last_error = f"HTTP {resp.status_code}"
                        retry_after = resp.headers.get("Retry-After", "")
                        if retry_after.isdigit() and attempt + 1 < self.tries:
                            time.sleep(min(float(retry_after), 30.0))
                        continue
                    resp.extensions["tipwatch_body"] = self._read(resp, url)
                    return resp
            except httpx.TooManyRedirects as exc:
                raise _Refusal("redirect loop (more than 5 redirects)") from exc
            except httpx.TimeoutException:
                last_error = f"timed out after {self.timeout:g} s"
            except httpx.ConnectError as exc:
                last_error = f"cannot connect ({exc.__class__.__name__}: {exc})"
                if attempt + 1 == self.tries:
                    raise FetchError(
                        f"{url}: host unreachable after {self.tries} tries ({last_error})"
                    ) from exc
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                last_error = f"connection dropped mid-page, truncated download ({exc})"
        raise _GaveUp(f"gave up after {self.tries} tries: {last_error}")

    def _read(self, resp, url: str) -> bytes:  # noqa: ANN001 - an httpx Response
        size = resp.headers.get("Content-Length", "")
        if size.isdigit() and int(size) > self.max_bytes:
            raise _Refusal(f"larger than {self.max_bytes // (1024 * 1024)} MB ({int(size)} bytes)")
        if resp.status_code == 200:
            ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if ctype and ctype not in HTML_TYPES and not url.endswith("/robots.txt"):
                raise _Refusal(f"not an HTML page (Content-Type {ctype})")
        chunks: list[bytes] = []
        total = 0
        for chunk in resp.iter_bytes():
            total += len(chunk)
            if total > self.max_bytes:
                raise _Refusal(f"larger than {self.max_bytes // (1024 * 1024)} MB")
            chunks.append(chunk)
        body = b"".join(chunks)
        if size.isdigit() and int(size) != len(body) and "Content-Encoding" not in resp.headers:
            raise _GaveUp(f"truncated download ({len(body)} of {size} bytes)")
        return body

    def get(self, url: str) -> Page:
        """The page at ``url``: from the network, or from the cache when unchanged (304)."""
        cached = self.cache.get(url)
        if not self.allowed(url):
            page = Page(url=url, status=0, outcome="refused", reason="disallowed by robots.txt")
            self.counts.add(page.outcome)
            return page
        headers: dict[str, str] = {}
        if cached and cached.status == 200:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        try:
            resp = self._request("GET", url, headers)
        except _Refusal as exc:
            page = Page(url=url, status=0, outcome="refused", reason=str(exc))
        except _GaveUp as exc:
            page = Page(url=url, status=0, outcome="failed", reason=str(exc))
        else:
            page = self._page(url, resp, cached)
        self.counts.add(page.outcome)
        return page

    def _page(self, url: str, resp, cached: Page | None) -> Page:  # noqa: ANN001
        body: bytes = resp.extensions.get("tipwatch_body", b"")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        if resp.status_code == 304 and cached is not None:
            cached.outcome = "cached"
            return cached
        if resp.status_code == 404:
            page = Page(url=url, status=404, outcome="not_found", fetched_at=now,
                        final_url=str(resp.url), reason="no page at this address (404)")
            self.cache.put(page, None)
            page.outcome = "not_found"
            return page
        if resp.status_code != 200:
            return Page(url=url, status=resp.status_code, outcome="failed",
                        reason=f"HTTP {resp.status_code}", final_url=str(resp.url))
        page = Page(
            url=url,
            status=200,
            outcome="fetched",
            final_url=str(resp.url),
            etag=resp.headers.get("ETag", ""),
            last_modified=resp.headers.get("Last-Modified", ""),
            content_type=resp.headers.get("Content-Type", ""),
            fetched_at=now,
            bytes=len(body),
            sha256=hashlib.sha256(body).hexdigest(),
        )
        self.cache.put(page, body)
        page.outcome = "fetched"
        return page


class _Refusal(Exception):
    """A page this client will not take (too large, not HTML, redirect loop)."""


class _GaveUp(Exception):
    """Retries exhausted on 429/5xx or timeouts."""


def cache_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--cache`` > ``$TIPWATCH_CACHE`` > ``var/cache``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("TIPWATCH_CACHE")
    return Path(env) if env else DEFAULT_CACHE
