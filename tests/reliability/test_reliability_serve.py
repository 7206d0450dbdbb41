"""The server under hostile requests and load: HEAD on every GET route, ETag and 304 keyed by
the store's build id, 503 with Retry-After instead of a queue, bounded bodies, hidden report
folders never served, several workers. Real ``tipwatch serve`` processes on 127.0.0.1."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, free_port, run_cli, wait_http
from tipwatch.api.serving import Serving
from tipwatch.store import build as store


def call(url: str, method: str = "GET", headers: dict[str, str] | None = None,
         data: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


@pytest.fixture()
def server(store_db: Path):  # noqa: ANN201
    """Start ``tipwatch serve`` with extra options; yields (base URL, process)."""
    procs: list[subprocess.Popen] = []

    def start(*options: str) -> tuple[str, subprocess.Popen]:
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "tipwatch.cli", "serve", "--port", str(port), "--db",
             str(store_db), *options],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        procs.append(proc)
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/api", proc, timeout=180)
        return base, proc

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def get_routes(store_db: Path) -> list[str]:
    """A concrete path for every GET route the application declares."""
    from tipwatch.api.app import create_app

    app = create_app(store_db)
    paths = [p for p, ops in app.openapi()["paths"].items() if "get" in ops]  # the API
    paths += [r.path for r in app.routes  # the pages, left out of the schema
              if "GET" in (getattr(r, "methods", None) or ()) and hasattr(r, "path")]
    app.state.explorer.close()
    return sorted({p.replace("{ident}", "MYS").replace("{fmt}", "csv") for p in paths})


def test_head_answers_every_get_route_like_get(explorer_url: str, store_db: Path) -> None:
    routes = get_routes(store_db)
    assert len(routes) >= 12 and "/api/tiers" in routes
    for path in [*routes, "/static/style.css", "/report/"]:
        status, headers, body = call(explorer_url + path)
        h_status, h_headers, h_body = call(explorer_url + path, method="HEAD")
        assert h_status == status != 405, path
        assert h_body == b"", path
        assert h_headers.get("content-type") == headers.get("content-type"), path
        if "content-length" in headers:
            assert h_headers["content-length"] == headers["content-length"] == str(len(body))


def test_api_answers_carry_etag_of_the_build_and_304(explorer_url: str, store_db: Path) -> None:
    con = duckdb.connect(str(store_db), read_only=True)
    build_id = con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchone()[0]
    con.close()
    assert build_id == store.expected_build_id(False)  # the code, data and (no) corpus built
    for path in ("/api/tiers?year=2019", "/api/countries/MYS", "/api/years?format=csv"):
        status, headers, body = call(explorer_url + path)
        assert status == 200 and body
        tag = headers["etag"]
        assert tag.startswith(f'"{build_id}-') and "max-age" in headers["cache-control"]
        again = call(explorer_url + path)
        assert again[1]["etag"] == tag and again[2] == body  # same answer, same tag
        status, h, body304 = call(explorer_url + path, headers={"If-None-Match": tag})
        assert status == 304 and body304 == b"" and h["etag"] == tag
        status, _, fresh = call(explorer_url + path, headers={"If-None-Match": '"other"'})
        assert status == 200 and fresh == body
    other = call(explorer_url + "/api/tiers?year=2018")[1]["etag"]
    assert other != call(explorer_url + "/api/tiers?year=2019")[1]["etag"]
    assert "etag" not in call(explorer_url + "/api/tiers?year=1800")[1]  # errors: no tag


def test_request_bodies_are_bounded(explorer_url: str) -> None:
    status, _, body = call(explorer_url + "/api/tiers", method="POST", data=b"x" * 200_000,
                           headers={"Content-Type": "application/json"})
    assert status == 413 and b"limit" in body


def test_overload_gets_503_with_retry_after_not_a_queue(server) -> None:
    base, _ = server("--workers", "1", "--max-in-flight", "1", "--no-warm")
    paths = [f"/api/facts?limit={1000 + i}" for i in range(24)]  # each one a fresh query

    def one(path: str) -> tuple[int, dict[str, str], bytes, float]:
        t = time.monotonic()
        status, headers, body = call(base + path)
        return status, headers, body, time.monotonic() - t

    with ThreadPoolExecutor(len(paths)) as pool:
        results = list(pool.map(one, paths))
    shed = [r for r in results if r[0] == 503]
    served = [r for r in results if r[0] == 200]
    assert len(shed) + len(served) == len(results)  # nothing else, nothing failed
    assert shed and served
    for _, headers, body, _ in shed:
        assert headers["retry-after"] == "1" and b"busy" in body
    assert min(r[3] for r in shed) < min(r[3] for r in served)  # refused before served


def test_serving_sheds_beyond_its_bound_immediately() -> None:
    """The middleware on its own: two requests held in flight, a third refused at once."""
    release = asyncio.Event()

    async def slow(scope, receive, send) -> None:  # noqa: ANN001
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    mw = Serving(slow, "b1", max_in_flight=2)

    async def request(path: str) -> tuple[int, dict, float]:
        sent: list[dict] = []

        async def send(m: dict) -> None:
            sent.append(m)

        async def receive() -> dict:
            return {"type": "http.request", "body": b""}

        t = time.monotonic()
        scope = {"type": "http", "method": "GET", "path": path, "query_string": b"",
                 "headers": []}
        await mw(scope, receive, send)
        return sent[0]["status"], dict(sent[0]["headers"]), time.monotonic() - t

    async def scenario() -> list[tuple[int, dict, float]]:
        held = [asyncio.create_task(request(f"/api/x{i}")) for i in range(2)]
        await asyncio.sleep(0.05)
        refused = await request("/api/x3")
        release.set()
        return [refused, *[await h for h in held]]

    refused, *ok = asyncio.run(scenario())
    assert refused[0] == 503 and refused[1][b"retry-after"] == b"1" and refused[2] < 0.05
    assert [r[0] for r in ok] == [200, 200] and mw.shed == 1 and mw.in_flight == 0
    assert all(r[1][b"etag"].startswith(b'"b1-') for r in ok)


def test_a_late_event_loop_sheds_only_while_work_is_in_progress() -> None:
    """A loop held up 150 ms with a request in progress sheds the next request; once nothing
    is in progress, the same lateness sheds nothing (no queue is left in front of it)."""
    release = asyncio.Event()

    async def app(scope, receive, send) -> None:  # noqa: ANN001
        if scope["path"] == "/api/hold":
            await release.wait()
        elif scope["path"] == "/api/block":
            time.sleep(0.15)  # holds the event loop, as a slow answer holding the GIL does
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    mw = Serving(app, "b1", max_in_flight=10)

    async def request(path: str) -> int:
        sent: list[dict] = []

        async def send(m: dict) -> None:
            sent.append(m)

        async def receive() -> dict:
            return {"type": "http.request", "body": b""}

        await mw({"type": "http", "method": "GET", "path": path, "query_string": b"",
                  "headers": []}, receive, send)
        return sent[0]["status"]

    async def scenario() -> tuple[int, int, int, int]:
        hold = asyncio.create_task(request("/api/hold"))
        await asyncio.sleep(0.03)  # the lateness monitor is running
        blocked = await request("/api/block")
        await asyncio.sleep(0.001)  # the monitor sees the late tick
        busy = await request("/api/a")
        release.set()
        held = await hold
        await asyncio.sleep(0.001)
        mw.lag = max(mw.lag, 0.1)  # still late, but nothing in progress any more
        idle = await request("/api/b")
        return blocked, busy, held, idle

    blocked, busy, held, idle = asyncio.run(scenario())
    assert (blocked, held) == (200, 200)
    assert busy == 503 and idle == 200


def test_hidden_folders_under_the_report_are_not_served(server, tmp_path: Path) -> None:
    report = tmp_path / "report"
    report.mkdir()
    (report / "index.html").write_text("<!doctype html><title>r</title>")
    base, _ = server("--workers", "1", "--no-warm", "--report-dir", str(report))
    hidden = report / ".tipwatch-abcd1234"
    hidden.mkdir()
    (hidden / "index.html").write_text("half-written")
    assert call(base + "/report/")[0] == 200
    for path in ("/report/.tipwatch-abcd1234/index.html", "/report/.tipwatch-abcd1234/"):
        status, _, body = call(base + path)
        assert status == 404 and b"half-written" not in body


def test_workers_share_the_store(server) -> None:
    base, proc = server("--workers", "2", "--no-warm")
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    workers = [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
    assert len(workers) >= 2, children
    tags = {call(base + "/api/tiers?year=2020")[1]["etag"] for _ in range(12)}
    assert len(tags) == 1  # every worker answers with the same tag for the same store


@pytest.mark.parametrize("option,value", [("--workers", "-1"), ("--workers", "999"),
                                          ("--max-in-flight", "0")])
def test_bad_serving_options_exit_2(store_db: Path, option: str, value: str) -> None:
    res = run_cli("serve", "--port", str(free_port()), "--db", str(store_db), option, value)
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
    assert option in res.stderr and "Traceback" not in res.stderr
