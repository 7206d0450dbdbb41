"""CIA World Factbook "Trafficking in persons" texts, 2006-2025 (PROVENANCE §2.3).

One narrative per country and report year from ``cia_factbook_trafficking_in_persons_2006_2025.csv``
(columns ``edition_year, fips, name, iso2, field, content``). The labelled parts of a text
("current situation:", "tier rating:", "trafficking profile:") become the sections ``profile``
and ``tier_rating``. Nothing is lost: a misspelt label ("currrent situation:") is read as the
label, and the text before the first label (some texts open with the current situation,
unlabelled) is the ``profile`` (``intro`` when a labelled profile follows).

Report year of a text, first rule that applies:

1. a report URL in the text (``.../reports/2024-trafficking-in-persons-report/...``);
2. the last "(YYYY)" year tag of the tier rating;
3. the edition year, for editions that are not stale copies (2006-2008, 2010-2013, 2015, 2016,
   2021-2025); editions 2009, 2014 and 2017-2020 repeat earlier data and are skipped when they
   carry no tag.

When several editions give a text for the same country and report year, the earliest edition
is kept (the text as first published after that report); the others are stale copies. Empty
texts (editions 2018-2020) and the "World" entry are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from tipwatch.errors import MalformedInputError
from tipwatch.ingest.csvrows import read_rows
from tipwatch.ingest.sections import strip_span
from tipwatch.model import Narrative
from tipwatch.paths import shared_dir

DEFAULT_FILE = (
    Path("data")
    / "raw"
    / "cia_factbook_archive"
    / "cia_factbook_trafficking_in_persons_2006_2025.csv"
)
STALE_EDITIONS = frozenset({2009, 2014, 2017, 2018, 2019, 2020})
#: the part labels, also misspelt ("currrent situation:", "curent situation:")
_LABEL = re.compile(
    r"(?:^|\s\|\s|\s|(?<=[;.]))(cur+e+nt situation|tier rating|trafficking profile):\s?", re.I
)
_URL_YEAR = re.compile(r"reports/(\d{4})-trafficking-in-persons-report")
_TAG = re.compile(r"\((\d{4})\)")
_SECTION = {
    "current situation": "profile",
    "trafficking profile": "profile",
    "tier rating": "tier_rating",
}


def default_path() -> Path:
    return shared_dir() / DEFAULT_FILE


def load_factbook(path: str | Path | None = None) -> list[Narrative]:
    """One narrative per (report year, country) from the Factbook archive CSV."""
    p = Path(path) if path else default_path()
    if p.is_dir():
        p = p / DEFAULT_FILE.name
    if not p.exists():
        raise MalformedInputError(f"{p}: no such file")
    rows = read_rows(p, {"edition_year", "iso2", "name", "content"}, "the Factbook archive CSV")
    from tipwatch.extract.lexicon import lexicon

    by_iso2 = lexicon().by_iso2
    chosen: dict[tuple[int, str], Narrative] = {}
    for line, row in enumerate(rows, start=2):
        iso2 = (row.get("iso2") or "").strip()
        if not iso2:  # the "World" entry
            continue
        iso3 = by_iso2.get(iso2)
        if iso3 is None:
            raise MalformedInputError(f"{p}:{line}: unknown ISO2 code {iso2!r} ({row['name']})")
        try:
            edition = int(row["edition_year"])
        except ValueError as exc:
            raise MalformedInputError(
                f"{p}:{line}: bad edition_year {row['edition_year']!r}"
            ) from exc
        nar = parse_text(row["content"], iso3, edition, name=row["name"], origin=f"{p.name}:{line}")
        if nar is None:
            continue
        key = (nar.year, iso3)
        if key not in chosen or edition < chosen[key].meta["edition"]:
            chosen[key] = nar
    return sorted(chosen.values(), key=lambda n: (n.year, n.country))


def parse_text(
    content: str, iso3: str, edition: int, name: str = "", origin: str = ""
) -> Narrative | None:
    """One Factbook text -> a narrative, or None when it is empty or a stale undated copy."""
    text = content
    labels = list(_LABEL.finditer(text))
    spans: dict[str, tuple[int, int]] = {}
    for i, m in enumerate(labels):
        label = m.group(1).lower()
        section = _SECTION.get(label, "profile")  # a misspelt "current situation"
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        a, b = strip_span(text, m.end(), end)
        while b > a and text[b - 1] in "|":
            a, b = strip_span(text, a, b - 1)
        if b > a and section not in spans:
            spans[section] = (a, b)
    # the text before the first label (or all of it) is the current situation, unlabelled
    head = strip_span(text, 0, labels[0].start() if labels else len(text))
    if head[1] > head[0]:
        spans["intro" if "profile" in spans else "profile"] = head
    if not spans:
        return None
    year = report_year(text, spans, edition)
    if year is None:
        return None
    return Narrative(
        doc_id=f"factbook:{year}:{iso3}",
        country=iso3,
        year=year,
        source="factbook",
        text=text,
        spans=dict(sorted(spans.items(), key=lambda kv: kv[1][0])),
        name=name,
        origin=origin,
        meta={"edition": edition},
    )


def report_year(text: str, spans: dict[str, tuple[int, int]], edition: int) -> int | None:
    m = _URL_YEAR.search(text)
    if m:
        return int(m.group(1))
    if "tier_rating" in spans:
        a, b = spans["tier_rating"]
        tags = _TAG.findall(text, a, b)
        if tags:
            return int(tags[-1])
    if edition in STALE_EDITIONS:
        return None
    return edition
