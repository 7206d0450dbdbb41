"""The fetcher against a real server on 127.0.0.1 that misbehaves: 404, 500 then 200, a
timeout, a redirect loop, a 30 MB page, a non-HTML page, robots.txt, conditional requests,
an unreachable host, an unrecognised layout, and a fetch killed mid-run and resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from conftest import REPO, free_port, run_cli
from layout_render import Mirror, landing_page, slow, slug_of, stategov
from tipwatch.ingest.crawl import CountryLink
from tipwatch.ingest.fetch import USER_AGENT, Fetcher, FetchError
from tipwatch.ingest.harvest import RunSummary, fetch_country

PAGE = "<html><body><p>hello</p></body></html>"


@pytest.fixture()
def mirror():
    with Mirror() as m:
        yield m


def _fetcher(tmp_path, **kw):
    return Fetcher(cache_dir=tmp_path / "cache", delay=0, timeout=kw.pop("timeout", 5),
                   backoff=0.05, **kw)


def test_user_agent_404_and_500_then_200(mirror, tmp_path):
    seen = []
    calls = {"n": 0}

    def flaky(req):
        seen.append(req.headers.get("User-Agent"))
        calls["n"] += 1
        if calls["n"] == 1:
            req.send_response(500)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return True
        return False

    mirror.add_html("/a/", PAGE)
    mirror.faults["/a/"] = flaky
    with _fetcher(tmp_path) as f:
        page = f.get(mirror.url + "/a/")
        assert page.outcome == "fetched" and page.body() == PAGE.encode()
        missing = f.get(mirror.url + "/none/")
        assert missing.outcome == "not_found" and missing.status == 404
        assert f.counts.retries == 1 and f.counts.fetched == 1 and f.counts.not_found == 1
    assert seen[0] == USER_AGENT and USER_AGENT.startswith("Mozilla/5.0 (compatible; tipwatch/")


def test_timeouts_are_retried_then_reported(mirror, tmp_path):
    mirror.add_html("/slow/", PAGE)
    mirror.faults["/slow/"] = slow(1.5)
    with _fetcher(tmp_path, timeout=0.5) as f:
        page = f.get(mirror.url + "/slow/")
    assert page.outcome == "failed" and "timed out" in page.reason and "3 tries" in page.reason
    assert mirror.hits["/slow/"] == 3


def test_redirect_loop_big_page_and_non_html_are_refused(mirror, tmp_path):
    def loop(req):
        req.send_response(302)
        req.send_header("Location", "/loop/")
        req.send_header("Content-Length", "0")
        req.end_headers()
        return True

    mirror.faults["/loop/"] = loop
    mirror.pages["/big/"] = ("text/html", b"<html>" + b"x" * (30 * 1024 * 1024) + b"</html>")
    mirror.pages["/doc.pdf"] = ("application/pdf", b"%PDF-1.7 ...")
    with _fetcher(tmp_path) as f:
        loop_page = f.get(mirror.url + "/loop/")
        big = f.get(mirror.url + "/big/")
        pdf = f.get(mirror.url + "/doc.pdf")
        assert f.counts.refused == 3
    assert loop_page.outcome == "refused" and "redirect loop" in loop_page.reason
    assert big.outcome == "refused" and "larger than 20 MB" in big.reason
    assert pdf.outcome == "refused" and "not an HTML page" in pdf.reason
    assert not list((tmp_path / "cache").rglob("*.body"))


def test_robots_txt_and_conditional_requests(mirror, tmp_path):
    mirror.pages["/robots.txt"] = ("text/plain", b"User-agent: *\nDisallow: /private/\n")
    mirror.add_html("/private/x/", PAGE)
    mirror.add_html("/public/", PAGE)
    with _fetcher(tmp_path) as f:
        assert f.get(mirror.url + "/private/x/").reason == "disallowed by robots.txt"
        assert f.get(mirror.url + "/public/").outcome == "fetched"
    with _fetcher(tmp_path) as f:
        again = f.get(mirror.url + "/public/")
        assert again.outcome == "cached" and again.body() == PAGE.encode()
    assert mirror.hits["/private/x/"] == 0 and mirror.hits["/robots.txt"] == 2
    assert [(e != "", s) for p, e, s in mirror.log if p == "/public/"] == [(False, 200),
                                                                          (True, 304)]


def test_unreachable_host_fails_in_one_line(tmp_path):
    port = free_port()  # nothing listens there
    res = run_cli("fetch", "--year", "2019", "--base-url", f"http://127.0.0.1:{port}",
                  "--delay", "0", "--cache", str(tmp_path / "c"), "--corpus",
                  str(tmp_path / "db.duckdb"))
    assert res.returncode == 2
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0] and "unreachable" in lines[0]
    assert "Traceback" not in res.stderr


def test_unknown_layout_is_stored_with_a_warning_and_never_replaces_a_good_narrative(
    mirror, tmp_path, shared
):
    from tipwatch.ingest import load_tip2018
    from tipwatch.store import corpus as local

    bol = next(n for n in load_tip2018() if n.country == "BOL")
    mirror.add_html("/reports/2019-trafficking-in-persons-report-2/bolivia/",
                    stategov(bol, 2019, " • "))
    mirror.add_html("/reports/2019-trafficking-in-persons-report-2/chad/",
                    "<html><body><div class='entry-content'><p>Under construction.</p>"
                    "</div></body></html>")
    con = local.connect(tmp_path / "db.duckdb")
    try:
        with _fetcher(tmp_path) as f:
            s = RunSummary()
            link = CountryLink("BOL", mirror.url + "/reports/2019-trafficking-in-persons-report-2/"
                               "bolivia/", "Bolivia", "bolivia")
            assert fetch_country(f, local.CorpusWriter(con), link, 2019, s).status == "stored"
            chad = CountryLink("TCD", mirror.url + "/reports/2019-trafficking-in-persons-report-2/"
                               "chad/", "Chad", "chad")
            rep = fetch_country(f, local.CorpusWriter(con), chad, 2019, s)
            assert rep.status == "unrecognised"
            assert any("layout not recognised" in w for w in rep.warnings)
            assert local.narrative(con, "html:2019:TCD").spans == {}
            # the good page turns into an unknown layout: the narrative read before stays
            mirror.add_html("/reports/2019-trafficking-in-persons-report-2/bolivia/",
                            "<html><body><p>Moved.</p></body></html>")
            rep = fetch_country(f, local.CorpusWriter(con), link, 2019, s)
            assert rep.status == "unrecognised" and "kept" in rep.warnings[-1]
            assert "prosecution" in local.narrative(con, "html:2019:BOL").spans
        status = dict(con.execute("SELECT iso3, status FROM sources").fetchall())
        assert status == {"BOL": "unrecognised", "TCD": "unrecognised"}
    finally:
        con.close()


def test_killed_fetch_resumes_from_the_cache(mirror, tmp_path, shared):
    from tipwatch.ingest import load_tip2018

    narratives = load_tip2018()[:30]
    ys = "2019-trafficking-in-persons-report-2"
    links = [(slug_of(n), n.name.title()) for n in narratives]
    mirror.add_html(f"/reports/{ys}/", landing_page(2019, links))
    for (slug, _t), n in zip(links, narratives, strict=True):
        mirror.add_html(f"/reports/{ys}/{slug}/", stategov(n, 2019, " • "))
    cache, db = tmp_path / "cache", tmp_path / "db.duckdb"
    args = [sys.executable, "-m", "tipwatch.cli", "fetch", "--year", "2019", "--base-url",
            mirror.url, "--cache", str(cache), "--corpus", str(db), "--format", "json"]
    proc = subprocess.Popen([*args, "--delay", "0.4"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if len(list(cache.rglob("*.json"))) >= 8:
            break
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    done = len(list(cache.rglob("*.json")))
    assert 8 <= done < 31, done
    res = subprocess.run([*args, "--delay", "0"], cwd=REPO, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr[-1500:]
    summary = json.loads(res.stdout)
    assert summary["from_cache"] + summary["fetched"] == 31
    assert summary["from_cache"] >= done - 2  # robots.txt is a 404 entry; one may be mid-write
    # pages stored before the kill come back unchanged (304, same bytes): not read again
    assert summary["narratives"] + summary["unchanged"] == 30 and summary["failed"] == 0
    assert summary["unchanged"] >= done - 3
    assert not list(cache.rglob(".*.tmp"))
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM narratives").fetchone()[0] == 30
    finally:
        con.close()


def test_fetch_error_is_bad_input():
    assert FetchError("x").exit_code == 2


def test_truncated_download_fails_that_page_only(mirror, tmp_path):
    def cut(req):
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Content-Length", "5000")
        req.end_headers()
        req.wfile.write(b"<html><body><p>half a page")
        req.wfile.flush()
        req.close_connection = True
        return True

    mirror.faults["/cut/"] = cut
    mirror.add_html("/whole/", PAGE)
    with _fetcher(tmp_path) as f:
        page = f.get(mirror.url + "/cut/")
        assert page.outcome == "failed" and "truncated" in page.reason
        assert f.get(mirror.url + "/whole/").outcome == "fetched"
    assert mirror.hits["/cut/"] == 3
    assert len(list((tmp_path / "cache").rglob("*.body"))) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2010"], "--index-url"),
        (["--years", "2020-2017"], "backwards"),
        (["--years", "twenty"], "YYYY-YYYY"),
        (["--year", "1999"], "2001"),
        (["--year", "2019", "--country", "Freedonia"], "Freedonia"),
        (["--year", "2019", "--base-url", "ftp://x"], "http(s)://"),
    ],
)
def test_bad_fetch_arguments_get_one_line(tmp_path, args, message):
    port = free_port()
    res = run_cli("fetch", "--base-url", f"http://127.0.0.1:{port}", *args, "--delay", "0",
                  "--cache", str(tmp_path / "c"), "--corpus", str(tmp_path / "db.duckdb"))
    assert res.returncode == 2, res.stderr
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and message in errors[0], res.stderr
