"""The annual report: ``index.html`` and ``report.pdf`` for one report year, from the store.

Contents: the world map by tier, tier lists by tier and by region, changes from the previous
report, the year's audit events, and one page per placed country with its history chart, audit
events and extracted facts (with locators). Written atomically: into a temporary folder first,
moved into place only when everything was written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from tipwatch import __version__, progress
from tipwatch.analysis.report_section import foresight
from tipwatch.atomic import atomic_dir, atomic_path
from tipwatch.errors import NotWritableError
from tipwatch.public import public_text
from tipwatch.report import charts
from tipwatch.store import explore as data
from tipwatch.store.build import build_id, connect

TEMPLATES = Path(__file__).resolve().parent / "templates"
FACTS_PER_COUNTRY = 12
LINKS_PER_COUNTRY = 15
#: written beside the report: which year and which store build it shows (the report cache)
META = "report.json"


def report_title(year: int) -> str:
    """The report's title: names tipwatch and the report year it reads, never the department's."""
    return f"tipwatch — an independent reading of the {year} Trafficking in Persons Report"


def footer(year: int) -> str:
    """The PDF page footer (``{page}`` and ``{pages}`` are filled per page)."""
    return (f"tipwatch — an independent reading of the {year} TIP Report"
            " — page {page} of {pages}")


@dataclass
class ReportResult:
    year: int
    out: Path
    html: Path
    pdf: Path | None
    pages: int
    n_countries: int
    seconds: float
    reused: bool = False


def _public(value: Any) -> Any:
    """Every printed value passes here: research-folder paths become the documents' names."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return public_text(value)
    return value


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_public,
    )
    env.globals["tier_label"] = lambda t: charts.TIER_LABELS.get(t, t)
    env.globals["tier_colour"] = lambda t: charts.TIER_COLOURS.get(t, charts.NO_DATA)
    env.globals["fact_value"] = fact_value
    env.globals["locator"] = locator
    return env


LOCATOR_SKIP = {"iso3", "name", "country", "year", "kind", "value", "direction", "note"}


def _readable(value: Any) -> str:
    """A fact value for people: structured values (JSON objects) as ``key: value`` pairs."""
    text = "" if value is None else str(value)
    if not text.startswith("{"):
        return text
    try:
        obj = json.loads(text)
    except ValueError:
        return text
    if not isinstance(obj, dict):
        return text
    if obj.get("topics") is not None and "index" in obj:
        return f"#{obj['index']}: " + (", ".join(obj["topics"]) or "no topic")
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in obj.items()
                     if v not in (None, False, "", []))


def fact_value(fact: dict[str, Any]) -> str:
    """The value of a fact as one short line (value, direction, note)."""
    parts = [_readable(fact.get("value"))]
    if fact.get("direction"):
        parts.append(f"({fact['direction']})")
    if fact.get("note"):
        parts.append(f"— {fact['note']}")
    return " ".join(p for p in parts if p)[:160]


def locator(fact: dict[str, Any]) -> str:
    """Where the fact was read: document, section and character span."""
    doc = fact.get("doc_id") or fact.get("source") or ""
    section = fact.get("section")
    start, end = fact.get("start"), fact.get("end")
    text = str(doc)
    if section:
        text += f" § {section}"
    if start is not None and end is not None:
        text += f" [{start}–{end}]"
    return text


#: events a reader looks for first; others follow in alphabetical order
EVENT_ORDER = ("auto_downgrade", "waiver", "state_policy_or_pattern", "violation",
               "post_downgrade_cap", "watch_list_streak", "special_case", "gap")


#: events that describe a state rather than explain a change of tier
ROUTINE_EVENTS = frozenset({"watch_list_streak", "special_case", "gap"})


def _event_rank(event: str | None) -> tuple[int, str]:
    event = event or ""
    return (EVENT_ORDER.index(event) if event in EVENT_ORDER else len(EVENT_ORDER), event)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def streak_as_of(hist: dict[str, Any], year: int) -> str | None:
    """How long the country had held its tier by ``year``, counting placed report years."""
    for s in hist.get("streaks", []):
        first, last = s.get("first_year"), s.get("last_year")
        if first is None or last is None or not first <= year <= last:
            continue
        n = sum(1 for h in hist.get("history", []) if first <= int(h["year"]) <= year)
        label = charts.TIER_LABELS.get(s["tier"], s["tier"])
        text = f"{label} for the {_ordinal(n)} consecutive report in {year} (since {first})"
        if last > year:
            text += f"; the run went on to {last}"
        return text + "."
    return None


def facts_near(con: Any, iso3: str, year: int) -> tuple[int | None, list[dict[str, Any]]]:
    """Facts of ``year``; when none were extracted, those of the latest earlier year."""
    facts = data.facts(con, iso3=iso3, year=year)
    if facts:
        return year, facts
    cols = data.table_columns(con, "facts")
    if not {"iso3", "year"} <= set(cols):
        return None, []
    row = con.execute("SELECT max(year) FROM facts WHERE iso3 = ? AND year < ?",
                      [iso3, year]).fetchone()
    if not row or row[0] is None:
        return None, []
    return int(row[0]), data.facts(con, iso3=iso3, year=int(row[0]))


def collect(con: Any, year: int | str) -> dict[str, Any]:
    """Everything the report shows for ``year`` (pure reads from the store)."""
    y = data.resolve_year(con, year)
    info = data.year_status(con, y)
    rows = data.tiers(con, y)
    all_years = [int(r["year"]) for r in data.years(con)]
    first, last = min(all_years), max(all_years)
    by_tier: dict[str, list[dict]] = {t: [] for t in charts.TIER_ORDER}
    by_region: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in sorted(rows, key=lambda r: r["country"]):
        by_tier.setdefault(r["tier"], []).append(r)
        by_region[r.get("region") or "—"][r["tier"]].append(r)
    year_events = sorted(data.events(con, year=y),
                         key=lambda e: (_event_rank(e.get("event")), str(e.get("name") or "")))
    events_by_iso: dict[str, list[dict]] = defaultdict(list)
    for e in year_events:
        events_by_iso[e["iso3"]].append(e)
    all_links = data.links_all(con)
    year_facts: dict[str, list[dict]] = defaultdict(list)
    for f in data.facts(con, year=y):
        year_facts[f["iso3"]].append(f)
    from tipwatch.report import years_sections

    across_years = years_sections.collect(con, y, [r["iso3"] for r in rows])
    countries = []
    for r in sorted(rows, key=lambda r: r["country"]):
        hist = data.history(con, r["iso3"])
        streak = streak_as_of(hist, y)
        facts_year, facts = (y, year_facts[r["iso3"]]) if r["iso3"] in year_facts \
            else facts_near(con, r["iso3"], y)
        links = all_links.get(r["iso3"], {"cites": [], "cited_by": []})
        countries.append({
            **r,
            "chart": charts.svg_data_uri(
                charts.timeline_svg(hist.get("history", []), first, last, highlight=y)),
            "streak": streak,
            "events": events_by_iso.get(r["iso3"], []),
            "policy_or_pattern": any(e.get("event") == "state_policy_or_pattern"
                                     for e in events_by_iso.get(r["iso3"], [])),
            "facts": facts[:FACTS_PER_COUNTRY],
            "n_facts": len(facts),
            "facts_year": facts_year,
            "cites": links["cites"][:LINKS_PER_COUNTRY],
            "cited_by": links["cited_by"][:LINKS_PER_COUNTRY],
            "n_cites": len(links["cites"]),
            "n_cited_by": len(links["cited_by"]),
            "first_year": hist.get("first_year"),
            "years": across_years.get(r["iso3"], {}),
        })
    ids = {r["source"] for r in rows if r.get("source")}
    sources = data.sources(con, ids)
    return {
        "year": y,
        "title": report_title(y),
        "info": info,
        "rows": rows,
        "counts": data.tier_counts(rows),
        "by_tier": {t: v for t, v in by_tier.items() if v},
        "by_region": {reg: dict(v) for reg, v in sorted(by_region.items())},
        "regions": data.REGIONS,
        "changes": data.changes(con, y),
        "change_events": {
            iso3: sorted({e["event"] for e in evs if e["event"] not in ROUTINE_EVENTS},
                         key=_event_rank)
            for iso3, evs in events_by_iso.items()
        },
        "events": year_events,
        "countries": countries,
        "map": charts.world_map_svg({r["iso3"]: (r["tier"], r["basis"]) for r in rows},
                                    title=f"Tiers in the {y} report"),
        "legend": charts.legend_items(),
        "sources": sources,
        "source_by_id": {src["id"]: src for src in sources},
        "foresight": foresight(con, y),
        "generated": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "version": __version__,
    }


def source_label(sources: dict[str, dict[str, Any]], source_id: str | None) -> str:
    """A placement's source for readers: its name and publisher (and web address)."""
    src = sources.get(source_id or "")
    if not src:
        return source_id or "—"
    text = f"{source_id} ({src.get('publisher') or 'publisher not recorded'}"
    return text + (f", {src['url']})" if src.get("url") else ")")


def render_html(context: dict[str, Any]) -> str:
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    env = _env()
    by_id = context.get("source_by_id", {})
    env.globals["source_label"] = lambda sid: source_label(by_id, sid)
    return env.get_template("report.html.j2").render(css=css, **context)


def _read_meta(out: Path) -> dict[str, Any]:
    try:
        return json.loads((out / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def build_report(
    year: int | str, out: str | os.PathLike[str], db: str | os.PathLike[str] | None = None,
    pdf: bool = True, report: progress.Reporter | None = None, reuse: bool = False,
    on_html: Any = None,
) -> ReportResult:
    """Write ``index.html``, then ``report.pdf``, for ``year`` into ``out``.

    The HTML is written first (``out`` replaced atomically, without a PDF of an older build);
    ``on_html(result)`` is called when it is in place, then the PDF is rendered and moved in
    atomically. ``reuse`` keeps a report already written for the same year from the same store
    build (``report.json`` records both). ``report`` receives a line per stage.
    """
    report = report or progress.quiet
    start = time.perf_counter()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotWritableError(f"--out {out} is a file, not a folder")
    con = connect(db)
    try:
        with data.known_schema(data.read_schema(con)):
            y = data.resolve_year(con, year)
            store_build = build_id(con)
            meta = _read_meta(out)
            if (reuse and store_build and meta.get("build_id") == store_build
                    and meta.get("year") == y and meta.get("version") == __version__
                    and (out / "index.html").is_file()
                    and (not pdf or (out / "report.pdf").is_file())):
                con.close()
                return ReportResult(
                    year=y, out=out, html=out / "index.html",
                    pdf=out / "report.pdf" if pdf else None, pages=int(meta.get("pages") or 0),
                    n_countries=int(meta.get("countries") or 0),
                    seconds=time.perf_counter() - start, reused=True)
            t0 = time.perf_counter()
            context = collect(con, y)
    finally:
        con.close()
    report(f"  read the store: {len(context['countries'])} countries, "
           f"{len(context['events'])} audit events ({progress.seconds(t0)})")
    t0 = time.perf_counter()
    html = render_html(context)
    meta = {"year": context["year"], "build_id": store_build, "version": __version__,
            "countries": len(context["countries"]), "pages": 0,
            "generated": context["generated"]}
    with atomic_dir(out) as tmp:
        (tmp / "index.html").write_text(html, encoding="utf-8")
        if not pdf:
            (tmp / META).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    # a PDF of an older build must not sit beside the new HTML (nor its report.json)
    (out / "report.pdf").unlink(missing_ok=True)
    if pdf:
        (out / META).unlink(missing_ok=True)
    report(f"  HTML: {out / 'index.html'} ({len(html) / 1e6:.1f} MB, {progress.seconds(t0)})")
    result = ReportResult(
        year=context["year"], out=out, html=out / "index.html", pdf=None, pages=0,
        n_countries=len(context["countries"]), seconds=time.perf_counter() - start,
    )
    if on_html is not None:
        on_html(result)
    if pdf:
        from tipwatch.report.pdf import write_pdf

        t0 = time.perf_counter()
        with atomic_path(out / "report.pdf", suffix=".pdf") as tmp_pdf:
            pages = write_pdf(html, Path(tmp_pdf), base_url=str(out),
                              footer=footer(context["year"]), report=report,
                              title=context["title"])
        report(f"  PDF: {out / 'report.pdf'} ({pages} pages, {progress.seconds(t0)})")
        meta["pages"] = pages
        with atomic_path(out / META, suffix=".json") as tmp_meta:
            Path(tmp_meta).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        result.pdf, result.pages = out / "report.pdf", pages
    result.seconds = time.perf_counter() - start
    return result
