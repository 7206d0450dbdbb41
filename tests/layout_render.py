"""Test helpers: the 2018 narratives rendered in each era's layout, and a local mirror server.

The narrative text is read at run time from ``../shared`` (never stored here); the page
templates below are this project's own markup, modelled on the structure described in
``../shared/spec/report-sources.md`` (title/tier line, section order, headings, separators,
page chrome). :class:`Mirror` is a real HTTP server on 127.0.0.1 with ETag support and
switchable faults.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tipwatch.extract import extract
from tipwatch.extract import recommendations as recs
from tipwatch.model import Fact, Narrative

KINDS = ("role", "form", "victim_group", "cited_country", "recommendation", "tier_statement")
TIER_LABEL = {"1": "Tier 1", "2": "Tier 2", "2WL": "Tier 2 Watch List", "3": "Tier 3",
              "special": "Special Case"}
_SENT = re.compile(r"(?<=[a-z0-9)%][.])\s+(?=[A-Z])")


def name_of(n: Narrative) -> str:
    """The name as the report prints it (the 2018 parse wrote "PAPUA GUINEA NEW")."""
    return "PAPUA NEW GUINEA" if n.name == "PAPUA GUINEA NEW" else n.name


def tier_of(n: Narrative) -> str:
    from tipwatch.ingest.text import tier_code

    return tier_code(n.meta.get("tier_header") or "") or "special"


def paragraphs(text: str, every: int = 4) -> list[str]:
    """A section's text cut into paragraphs of ``every`` sentences (white space only changes)."""
    parts = _SENT.split(text.strip())
    return [" ".join(parts[i : i + every]) for i in range(0, len(parts), every)]


def items(n: Narrative) -> list[str]:
    """The recommendations as the clean text's extractor splits them."""
    return [n.text[f.start : f.end] for f in recs.extract(n)]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _esc(s: str) -> str:
    return html.escape(s, quote=False)


def _ps(text: str) -> str:
    return "".join(f"<p>{_esc(p)}</p>\n" for p in paragraphs(text))


def _sec(n: Narrative, name: str) -> str:
    return n.sections.get(name, "")


BODY_ORDER = ("prosecution", "protection", "prevention", "government_efforts")
HEADING = {"prosecution": "Prosecution", "protection": "Protection", "prevention": "Prevention",
           "government_efforts": "Government Efforts", "profile": "Trafficking Profile"}


def _chrome(title: str, body: str, content_class: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{_esc(title)}</title><script>var tracking = "Prosecution";</script></head><body>
<section class="usa-banner"><p>An official website of the United States Government</p>
<p>Here's how you know</p><p>Secure .gov websites use HTTPS</p></section>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/countries/">Countries</a></li>
<li>PROSECUTION of nothing here</li></ul></nav></header>
<div class="breadcrumbs"><a href="/reports/">Reports</a> / {_esc(title)}</div>
<div class="{content_class}">
{body}
</div>
<div class="share-links"><a href="#">Share on Facebook</a><p>Share this page</p></div>
<footer><p>TRAFFICKING PROFILE of the site map</p><p>Privacy policy</p></footer>
</body></html>"""


def archive2009(n: Narrative, year: int = 2009) -> str:
    """2009–2016 archive page: profile first, "NAME (Tier N)", run-in recommendations."""
    name = name_of(n)
    head = (f"SPECIAL CASE: {name}" if tier_of(n) == "special"
            else f"{name} ({TIER_LABEL[tier_of(n)]})")
    body = [f"<h2>{_esc(head)}</h2>", _ps(_sec(n, "profile")), _ps(_sec(n, "intro"))]
    if items(n):
        run = "; ".join(items(n)) + "."
        body.append(f"<p><strong>Recommendations for {_esc(name.title())}:</strong> "
                    f"{_esc(run)}</p>")
    for s in BODY_ORDER:
        if _sec(n, s):
            body.append(f"<p><strong>{HEADING[s]}</strong></p>\n{_ps(_sec(n, s))}")
    page = ('<div id="tier3-local-nav"><ul><li><a href="/j/tip/">Office To Monitor and Combat '
            'Trafficking in Persons</a></li></ul></div>\n' + "\n".join(body))
    return _chrome(f"{name.title()}", page, "centerblock-wrap\" id=\"centerblock")


def stategov(n: Narrative, year: int, joiner: str) -> str:
    """2017+ state.gov page: intro first, profile last. ``joiner``: " • " (2019), "" (2020
    glued) or "li" (2022 list items, title-case "Name (Tier N)" heading)."""
    tier = TIER_LABEL[tier_of(n)]
    if joiner == "li":
        head = f"{name_of(n).title()} ({tier})"
        rec_head = "PRIORITIZED RECOMMENDATIONS:"
    else:
        head = f"{name_of(n)}: {tier}"
        rec_head = "PRIORITIZED RECOMMENDATIONS"
    body = [f"<h2>{_esc(head)}</h2>", _ps(_sec(n, "intro"))]
    its = [_cap(i) + "." for i in items(n)]
    if its:
        body.append(f"<h3>{rec_head}</h3>")
        if joiner == "li":
            body.append("<ul>" + "".join(f"<li>{_esc(i)}</li>" for i in its) + "</ul>")
        else:
            body.append(f"<p>{_esc(joiner.join(its))}</p>")
    for s in (*BODY_ORDER, "profile"):
        if _sec(n, s):
            body.append(f"<h3>{HEADING[s].upper()}</h3>\n{_ps(_sec(n, s))}")
    title = f"{year} Trafficking in Persons Report: {name_of(n).title()}"
    return _chrome(title, "\n".join(body), "entry-content")


def pdf_html(narratives: list[Narrative], two_column: bool, year: int = 2018) -> str:
    """A report PDF's HTML for weasyprint: running heads "65AFGHANISTAN" (single column) or a
    side head and a bottom page number (two columns, with the 2015 tier-ranking chart)."""
    css = """
@page { size: A4; margin: 22mm 16mm; @top-center { content: counter(page) string(cname);
  font-size: 8pt } }
body { font-family: serif; font-size: 9.5pt; line-height: 1.25 }
p { margin: 0 0 7pt 0 } h2, h3 { font-size: 10pt; margin: 8pt 0 4pt 0 }
.rh { string-set: cname content(); font-size: 1pt; color: white; margin: 0; height: 1pt }
.chart { border: 1px solid #999; margin: 4pt 0 8pt 0; font-size: 7pt }
.chart div { margin: 0 0 2pt 0 }
"""
    if two_column:
        css = css.replace("content: counter(page) string(cname)", "content: string(cname)")
        css += "@page { @bottom-center { content: counter(page); font-size: 8pt } }\n"
        css += "body { column-count: 2; column-gap: 8mm }\n"
    out = [f"<p>{year} TRAFFICKING IN PERSONS REPORT</p>"]
    for n in narratives:
        name = name_of(n)
        tier = TIER_LABEL[tier_of(n)]
        out.append(f'<h2 class="rh-holder">{_esc(name)}: {tier}</h2>')
        out.append(f'<div class="rh">{_esc(name)}</div>')
        if two_column:
            out.append(f'<div class="chart"><div>{_esc(name)} TIER RANKING BY YEAR</div>'
                       "<div>1</div><div>2</div><div>2WL</div><div>3</div>"
                       "<div>2008 2009 2010 2011 2012 2013 2014 2015</div></div>")
            out.append(_ps(_sec(n, "profile")) + _ps(_sec(n, "intro")))
        else:
            out.append(_ps(_sec(n, "intro")))
        if items(n):
            label = f"RECOMMENDATIONS FOR {name}:" if two_column else (
                f"Recommendations for {name.title()}:")
            out.append(f"<h3>{_esc(label)}</h3><p>{_esc('; '.join(items(n)) + '.')}</p>")
        for s in BODY_ORDER + (() if two_column else ("profile",)):
            if _sec(n, s):
                label = HEADING[s].upper() if two_column else HEADING[s]
                out.append(f"<h3>{label}</h3>\n{_ps(_sec(n, s))}")
    return f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>" + \
        "\n".join(out) + "</body></html>"


def text_copy(narratives: list[Narrative], year: int = 2018) -> str:
    """A text copy of a PDF parse: running heads glued mid-sentence ("the 65AFGHANISTANmore")."""
    out = [f"{year} Trafficking in Persons Report", ""]
    page = 64
    for n in narratives:
        out.append(f"{name_of(n)}: {TIER_LABEL[tier_of(n)].upper()}")
        blocks = [("", _sec(n, "intro"))]
        if items(n):
            blocks.append(("PRIORITIZED RECOMMENDATIONS:", "; ".join(items(n)) + "."))
        blocks += [(HEADING[s].upper(), _sec(n, s)) for s in (*BODY_ORDER, "profile")]
        for head, text in blocks:
            if not text:
                continue
            if head:
                out.append(head)
            # a page head after every ~2,500 characters, glued to the following word
            pieces, last = [], 0
            for m in re.finditer(r" (?=[a-z]{3,} )", text):
                if m.start() - last > 2500:
                    page += 1
                    pieces.append(text[last : m.start()] + f" {page}{name_of(n)}")
                    last = m.end()
            pieces.append(text[last:])
            out.append("".join(pieces))
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- comparison


def fact_keys(facts: list[Fact], kind: str) -> Counter:
    keys: Counter = Counter()
    for f in facts:
        if f.kind != kind:
            continue
        if kind == "cited_country":
            keys[(f.value, f.direction)] += 1
        elif kind == "recommendation":
            keys[(f.value["index"], tuple(f.value["topics"]))] += 1
        else:
            keys[f.value_text()] += 1
    return keys


def agreement(clean: dict[str, list[Fact]], got: dict[str, list[Fact]]) -> dict[str, float]:
    """Per kind: facts in both / facts in the larger side, summed over the narratives."""
    out: dict[str, float] = {}
    for kind in KINDS:
        both = total = 0
        for iso3, cf in clean.items():
            a, b = fact_keys(cf, kind), fact_keys(got.get(iso3, []), kind)
            both += sum((a & b).values())
            total += max(sum(a.values()), sum(b.values()))
        out[kind] = both / total if total else 1.0
    return out


def clean_facts(narratives: list[Narrative]) -> dict[str, list[Fact]]:
    return {n.country: extract(n) for n in narratives}


# --------------------------------------------------------------------------- mirror

Handler = Callable[[BaseHTTPRequestHandler], bool]


class Mirror:
    """A real HTTP server on 127.0.0.1: ``pages[path] = (content type, bytes)``; ETags;
    ``faults[path]`` = a function that may answer the request itself (returns True)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.faults: dict[str, Handler] = {}
        self.log: list[tuple[str, str, int]] = []  # (path, If-None-Match, status)
        self.hits: Counter = Counter()  # requests per path, counted on arrival
        mirror = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?", 1)[0]
                mirror.hits[path] += 1
                fault = mirror.faults.get(path)
                if fault is not None and fault(self):
                    mirror.log.append((path, "", -1))
                    return
                if path not in mirror.pages:
                    self._send(404, "text/html", b"<html><body>Not found</body></html>")
                    return
                ctype, body = mirror.pages[path]
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    mirror.log.append((path, etag, 304))
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._send(200, ctype, body, etag)

            def _send(self, status: int, ctype: str, body: bytes, etag: str = "") -> None:
                mirror.log.append((self.path, self.headers.get("If-None-Match", ""), status))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that gave up (timeout, refused body) is not a server error

        self.server = Server(("127.0.0.1", 0), H)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Mirror:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_html(self, path: str, markup: str) -> None:
        self.pages[path] = ("text/html; charset=utf-8", markup.encode("utf-8"))


def slug_of(n: Narrative) -> str:
    """A slug as the site might write it (the reader must not rely on it: links resolve by
    their text)."""
    return re.sub(r"[^a-z0-9]+", "-", name_of(n).lower()).strip("-") + "-x"


def landing_page(year: int, links: list[tuple[str, str]]) -> str:
    """A year's landing page: country links plus non-country sub-pages."""
    from tipwatch.ingest.crawl import year_slug

    ys = year_slug(year)
    extra = [("introduction", "Introduction"), ("tier-placements", "Tier Placements")]
    body = "".join(f'<li><a href="/reports/{ys}/{s}/">{_esc(t)}</a></li>'
                   for s, t in [*extra, *links])
    return f"<html><body><h1>{year} Trafficking in Persons Report</h1><ul>{body}</ul></body></html>"


def archive_index(year: int, links: list[tuple[str, str]]) -> str:
    body = "".join(f'<li><a href="/j/tip/rls/tiprpt/countries/{year}/{s}.htm">{_esc(t)}</a></li>'
                   for s, t in links)
    return f"<html><body><h1>{year} Country Narratives</h1><ul>{body}</ul></body></html>"


def slow(seconds: float) -> Handler:
    def handler(req: BaseHTTPRequestHandler) -> bool:
        time.sleep(seconds)
        return False

    return handler


def dump(obj: object, path: Path) -> None:
    path.write_text(json.dumps(obj, indent=1, default=str), encoding="utf-8")
