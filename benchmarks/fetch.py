"""Fetch benchmark: ``tipwatch fetch`` over 200 country pages from a mirror on 127.0.0.1.

Builds a local mirror of 200 state.gov-style country pages (the 2018 narratives in the 2019
page layout as 2019 pages, the first 13 again as 2020 pages; text read at run time from
``../shared``) plus each year's landing page, then runs the fetch + ingest pipeline in process
with ``--delay 0``, twice: a cold run (every page downloaded) and a warm run (every page
revalidated: 304 from the mirror, and not read again because the corpus holds it from the
same bytes). Prints pages/s for both and the share of the cold run spent on the network and
cache, on reading pages (HTML -> sections), on extraction and on storing, beside a reference
measured in the same run: reading and extracting the same 200 pages from memory, without HTTP.
Exits non-zero when the cold run is slower than ``TARGET_PAGES_S`` pages/s, when the network
and cache take more than ``MAX_NETWORK_SHARE`` of it, or when a page is lost.

    .venv/bin/python benchmarks/fetch.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

#: the pipeline must read pages at least 4x faster than the default politeness delay (2 s)
#: lets them arrive, so that it is never the bottleneck of a real fetch
TARGET_PAGES_S = 2.0
MAX_NETWORK_SHARE = 0.25
PAGES = 200


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from layout_render import Mirror, landing_page, name_of, slug_of, stategov
    from tipwatch.extract import extract
    from tipwatch.ingest import harvest, load_tip2018
    from tipwatch.ingest.crawl import year_slug
    from tipwatch.ingest.fetch import Fetcher
    from tipwatch.ingest.html import parse_html
    from tipwatch.store import corpus as local

    base = load_tip2018()
    # 200 distinct country-years: every 2018 narrative as a 2019 page, the first 13 as 2020
    # pages (a year's landing page links each country once)
    pages: list[tuple[int, str, str, str]] = []  # year, path, link text, markup
    for k in range(PAGES):
        n = base[k % len(base)]
        year = 2019 + k // len(base)
        path = f"/reports/{year_slug(year)}/{slug_of(n)}/"
        pages.append((year, path, name_of(n).title(), stategov(n, year, " • ")))
    figures: dict[str, float] = {}
    with Mirror() as mirror, tempfile.TemporaryDirectory() as tmp:
        years: dict[int, list[tuple[str, str]]] = {}
        for year, path, text, markup in pages:
            mirror.add_html(path, markup)
            years.setdefault(year, []).append((path.rsplit("/", 2)[1], text))
        for year, links in years.items():
            mirror.add_html(f"/reports/{year_slug(year)}/", landing_page(year, links))
        db = Path(tmp) / "corpus.duckdb"
        for label in ("cold", "warm"):
            con = local.connect(db)
            t0 = time.perf_counter()
            total = harvest.RunSummary()
            with Fetcher(cache_dir=Path(tmp) / "cache", delay=0) as f:
                for year in sorted(years):
                    s = harvest.run(f, local.CorpusWriter(con), [year], mirror.url)
                    for attr in ("pages", "narratives", "facts", "unchanged", "seconds_parse",
                                 "seconds_extract", "seconds_store"):
                        setattr(total, attr, getattr(total, attr) + getattr(s, attr))
                counts = f.counts
            wall = time.perf_counter() - t0
            con.close()
            figures[f"{label}_pages"] = total.pages
            figures[f"{label}_seconds"] = round(wall, 2)
            figures[f"{label}_pages_per_s"] = round(total.pages / wall, 1)
            if label == "cold":
                figures["narratives"] = total.narratives
                figures["facts"] = total.facts
                figures["fetched"] = counts.fetched
                other = wall - total.seconds_parse - total.seconds_extract - total.seconds_store
                figures["share_parse"] = round(total.seconds_parse / wall, 3)
                figures["share_extract"] = round(total.seconds_extract / wall, 3)
                figures["share_store"] = round(total.seconds_store / wall, 3)
                figures["share_network_and_cache"] = round(other / wall, 3)
            else:
                figures["revalidated_304"] = counts.cached
                figures["unchanged"] = total.unchanged
        # reference: the same pages read and extracted from memory
        t0 = time.perf_counter()
        for year, _path, _text, markup in pages:
            for n in parse_html(markup, year=year).narratives:
                extract(n)
        ref = time.perf_counter() - t0
        figures["reference_in_memory_pages_per_s"] = round(PAGES / ref, 1)
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        print(f"fetch + ingest of {figures['cold_pages']} pages from a local mirror, --delay 0")
        for k, v in figures.items():
            print(f"  {k:34s} {v}")
        print(f"  target: cold run >= {TARGET_PAGES_S} pages/s, network and cache <= "
              f"{MAX_NETWORK_SHARE:.0%} of it, every page unchanged on the warm run")
    ok = (
        figures["cold_pages_per_s"] >= TARGET_PAGES_S
        and figures["share_network_and_cache"] <= MAX_NETWORK_SHARE
        and figures["narratives"] == PAGES
        and figures["unchanged"] == PAGES
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
