"""The 2018 report's country narratives (parsed from the report PDF; PROVENANCE §3).

Reads ``tip2018_country_narratives_flat.csv`` (one row per country with ISO3 and the corrected
tier) or the original ``normal_cases.json`` / ``special_cases.json``. The document text is the
source fields joined in report order with blank lines; sections are spans of that text. Two
known parse defects are repaired without changing the text:

* 15 narratives have every section glued into INTRO ("...PROSECUTIONThe government...");
  :func:`tipwatch.ingest.sections.split_glued` finds the headings inside it.
* 6 narratives have the tier line split: TIER says "TIER 2" and INTRO begins "WATCH LIST".
  The words are kept out of the intro span and ``meta["tier_header"]`` is "TIER 2 WATCH LIST".

The parse also turned punctuation into other letters: dashes into "Š" (778 times), opening and
closing double quotes into "ﬁ" and "ﬂ", opening single quotes into "‚" and a few en dashes
into "Œ". The extractor reads the text as parsed (its rules know these letters); what users
read (quotes, recommendations) goes through :func:`readable`, which puts the punctuation back
one character for one, so that every offset still holds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tipwatch.errors import MalformedInputError, UnknownCountryError
from tipwatch.ingest.csvrows import read_rows
from tipwatch.ingest.sections import split_glued, strip_span
from tipwatch.model import Narrative
from tipwatch.paths import shared_dir

REPORT_YEAR = 2018
DEFAULT_DIR = Path("data") / "narratives" / "tip2018_teomotun"
FLAT_CSV = "tip2018_country_narratives_flat.csv"
JSON_FILES = ("normal_cases.json", "special_cases.json")

# source field -> canonical section, in report order
FIELDS: tuple[tuple[str, str], ...] = (
    ("intro", "intro"),
    ("tier", "tier"),
    ("recommendations", "recommendations"),
    ("prosecutions", "prosecution"),
    ("protection", "protection"),
    ("prevention", "prevention"),
    ("government efforts", "government_efforts"),
    ("trafficking profile", "profile"),
)
_WATCH = re.compile(r"^\s*WATCH\s+LIST(?=\s|[A-Z][a-z]|$)\s*")


_READABLE = str.maketrans({"Š": "—", "ﬁ": "“", "ﬂ": "”", "‚": "‘", "Œ": "–"})


def readable(text: str) -> str:
    """A 2018 narrative's text with the parse's punctuation defects repaired (same length)."""
    return text.translate(_READABLE)


def default_path() -> Path:
    return shared_dir() / DEFAULT_DIR


def load_tip2018(path: str | Path | None = None) -> list[Narrative]:
    """All 2018 narratives from the folder, the flat CSV or one of the JSON files."""
    p = Path(path) if path else default_path()
    if p.is_dir():
        if (p / FLAT_CSV).exists():
            return _from_flat(p / FLAT_CSV)
        out: list[Narrative] = []
        for name in JSON_FILES:
            if (p / name).exists():
                out.extend(_from_json(p / name))
        if not out:
            raise MalformedInputError(
                f"{p}: no {FLAT_CSV} or {' / '.join(JSON_FILES)} in this folder"
            )
        return out
    if not p.exists():
        raise MalformedInputError(f"{p}: no such file or folder")
    if p.suffix.lower() == ".json":
        return _from_json(p)
    return _from_flat(p)


def _from_flat(path: Path) -> list[Narrative]:
    rows = read_rows(path, {"iso3", "report_name", "intro", "tier"}, "the 2018 flat CSV")
    out = []
    for i, row in enumerate(rows, start=2):
        fields = {k: row.get(k) or "" for k, _ in FIELDS}
        fields["tier"] = row.get("tier_field_raw") or row["tier"]
        iso3 = (row.get("iso3") or "").strip()
        if not iso3:
            raise MalformedInputError(f"{path}:{i}: empty iso3 for {row['report_name']!r}")
        out.append(
            build_narrative(
                iso3,
                row["report_name"],
                fields,
                origin=f"{path.name}:{i}",
                tier_header=row["tier"],
            )
        )
    return out


def _from_json(path: Path) -> list[Narrative]:
    from tipwatch.extract.lexicon import lexicon
    from tipwatch.limits import check_input_file, check_json_depth

    check_input_file(path, "corpus JSON")
    try:
        text = path.read_text(encoding="utf-8")
        check_json_depth(text, str(path))
        data = json.loads(text)
    except OSError as exc:
        raise MalformedInputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedInputError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(data, list):
        raise MalformedInputError(f"{path}: expected a list of {{COUNTRY: [sections]}} objects")
    out = []
    for i, entry in enumerate(data):
        if not isinstance(entry, dict):
            raise MalformedInputError(f"{path}: entry {i} is not an object")
        for name, parts in entry.items():
            fields: dict[str, str] = {}
            for part in parts:
                for key, value in part.items():
                    fields[key.strip().lower()] = value or ""
            iso3 = lexicon().resolve(_unscramble(name))
            if iso3 is None:
                raise UnknownCountryError(name, where=f"{path.name}, entry {i}")
            out.append(build_narrative(iso3, name, fields, origin=f"{path.name}:{name}"))
    return out


def _unscramble(name: str) -> str:
    # the PDF parse wrote "PAPUA GUINEA NEW" for Papua New Guinea
    return "Papua New Guinea" if name.strip().upper() == "PAPUA GUINEA NEW" else name


def build_narrative(
    iso3: str, name: str, fields: dict[str, str], origin: str = "", tier_header: str = ""
) -> Narrative:
    """Join the source fields into one text and locate every section in it."""
    parts: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    pos = 0
    glued: list[tuple[str, int, int, int]] = []
    for key, section in FIELDS:
        value = fields.get(key, "")
        if not value.strip():
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        start, end = pos, pos + len(value)
        parts.append(value)
        pos = end
        if section == "intro":
            m = _WATCH.match(value)
            if m:
                start += m.end()
                tier_header = tier_header or "TIER 2 WATCH LIST"
            glued = split_glued(value, start=pos - len(value))
            glued = [g for g in glued if g[1] >= start]
            if glued:
                end = glued[0][1]
        spans[section] = strip_span_text(parts, start, end)
    text = "".join(parts)
    for section, _hstart, body, bend in glued:
        if section not in spans:
            spans[section] = strip_span(text, body, bend)
    if "tier" in spans and not tier_header:
        tier_header = text[spans["tier"][0] : spans["tier"][1]]
    spans = {k: v for k, v in spans.items() if v[1] > v[0]}
    return Narrative(
        doc_id=f"tip2018:{iso3}",
        country=iso3,
        year=REPORT_YEAR,
        source="tip2018",
        text=text,
        spans=dict(sorted(spans.items(), key=lambda kv: kv[1][0])),
        name=name,
        origin=origin,
        meta={"tier_header": tier_header, "glued": bool(glued)},
    )


def strip_span_text(parts: list[str], start: int, end: int) -> tuple[int, int]:
    return strip_span("".join(parts), start, end)
