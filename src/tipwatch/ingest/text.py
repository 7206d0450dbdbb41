"""Plain-text country narratives in the report's structure (also the core of HTML and PDF).

A report text is a sequence of lines. A country narrative starts at a *country heading*: a
line in capitals that names a country, optionally with its tier ("ALGERIA (Tier 3)",
"ALGERIA: TIER 3") or followed by a tier line ("TIER 2 WATCH LIST", "SPECIAL CASE"). The
section headings are lines such as "PRIORITIZED RECOMMENDATIONS:", "PROSECUTION",
"PROTECTION", "PREVENTION", "TRAFFICKING PROFILE"; text between the tier line and the first
heading is the intro. A capital line naming the current country again without a tier (a
running page header) is ignored. The report year comes from the caller or from a line such as
"2023 Trafficking in Persons Report".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tipwatch.errors import MalformedInputError
from tipwatch.ingest.sections import canonical, strip_span
from tipwatch.model import Narrative

_TIER_LINE = re.compile(
    r"^\s*(TIER\s*(?:1|2|3|ONE|TWO|THREE)(?:\s*[-/]?\s*WATCH\s*LIST)?|SPECIAL\s+CASES?)\s*[†*]?\s*$",
    re.I,
)
_NAME = r"(?P<name>[^\W\d_][\w .,'’()&\-]*?)"
# a page title before the heading on one line ("2024 Trafficking in Persons Report: Guatemala
# (Tier 2)", as pages that reproduce the report print it)
_TITLE_PREFIX = r"(?:(?:19|20)\d\d\s+Trafficking\s+in\s+Persons\s+Report\s*[:\-–—]\s*)?"
_HEADING_TIER = re.compile(
    r"^\s*" + _TITLE_PREFIX + _NAME + r"\s*"
    r"(?:\(\s*(?P<t1>Tier[^)†*]*|Special Case)\s*[†*]?\s*\)|:\s*(?P<t2>TIER[^†*]*?|SPECIAL CASE))"
    r"\s*[†*]?\s*$",
    re.I,
)
# 2016: "SPECIAL CASE: LIBYA"
_SPECIAL_HEAD = re.compile(r"^\s*SPECIAL\s+CASE\s*:\s*(?P<name>[^\W\d_][\w .,'’()&\-]*?)\s*$", re.I)
# the tier-decision sentence that opens the intro ("The Government of X does not fully meet the
# minimum standards ..."; "X is a Special Case"): before 2017 the profile comes first
_DECISION = re.compile(
    r"\b(?:fully\s+(?:meets?|compl(?:y|ies))|does\s+not\s+(?:fully\s+)?(?:meet|comply)|"
    r"do\s+not\s+(?:fully\s+)?(?:meet|comply))\b.{0,80}?minimum\s+standards"
    r"|\bis\s+a\s+Special\s+Case\b",
    re.I,
)
# the territory note of 2019 ("† Curaçao is not a 'country' ...")
_FOOTNOTE = re.compile(r"^\s*†|\bis\s+not\s+a\s+[\"“‘']country", re.I)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\s+Trafficking\s+in\s+Persons\s+Report\b", re.I)
_NOISE = re.compile(
    r"^\s*(?:\d{1,4}|(?:\d{4}\s+)?TRAFFICKING IN PERSONS REPORT(?:\s+\d{4})?)\s*$", re.I
)


@dataclass
class ParseResult:
    narratives: list[Narrative] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    repairs: dict[str, int] = field(default_factory=dict)  # layout repairs (ingest.layout)


def tier_code(raw: str) -> str | None:
    """ "TIER 2 WATCH LIST" -> "2WL", "Tier 1" -> "1", "SPECIAL CASE" -> "special"."""
    t = re.sub(r"[\s\-/]+", " ", raw.upper().replace("†", "").replace("*", "")).strip()
    t = t.replace("ONE", "1").replace("TWO", "2").replace("THREE", "3")
    if t.startswith("SPECIAL"):
        return "special"
    m = re.match(r"TIER (1|2|3)( WATCH ?LIST)?$", t)
    if not m:
        return None
    return "2WL" if m.group(2) else m.group(1)


def report_year_of(text: str) -> int | None:
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def parse_report_text(
    text: str, source: str, year: int | None = None, origin: str = ""
) -> ParseResult:
    """Split a report text into country narratives (see the module doc).

    The text is first repaired for its layout (:func:`tipwatch.ingest.layout.normalise_lines`:
    running headers and chart labels of PDFs, run-in headings, one line per recommendation);
    the narratives' offsets index the repaired text.
    """
    from tipwatch.extract.lexicon import lexicon
    from tipwatch.ingest.layout import normalise_lines

    lex = lexicon()
    if year is None:
        year = report_year_of(text)
    text, repairs = normalise_lines(text, pdf_like=source in ("pdf", "txt"))
    lines: list[tuple[int, int, str]] = []  # start, end, stripped line
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        if body.strip():
            a, b = strip_span(text, pos, pos + len(body))
            lines.append((a, b, text[a:b]))
        pos += len(raw)
    # country headings: (line index, iso3, tier, heading text)
    heads: list[tuple[int, str, str | None, str]] = []
    result = ParseResult(repairs={k: v for k, v in repairs.items() if v})
    current: str | None = None
    skip_lines: set[int] = set()
    for i, (_a, _b, line) in enumerate(lines):
        if _NOISE.match(line):
            skip_lines.add(i)
            continue
        if _FOOTNOTE.search(line[:200]) and not _HEADING_TIER.match(line):
            skip_lines.add(i)  # the territory note, not narrative text
            continue
        m = _HEADING_TIER.match(line)
        special = _SPECIAL_HEAD.match(line)
        head = m.group("name") if m else line
        if canonical(line.rstrip(":")) or _TIER_LINE.match(line):
            continue
        stated_tier = tier_code(m.group("t1") or m.group("t2")) if m else None
        if special and not m:
            m, head, stated_tier = special, special.group("name"), "special"
        # "Algeria (Tier 3)" may be in any case; a bare name must be in capitals
        if not _is_caps(head) and stated_tier is None:
            continue
        name, tier = (head, stated_tier) if m else (line, None)
        if tier is None:  # a tier line right below (a page title may sit in between)
            for _a2, _b2, nxt in lines[i + 1 : i + 3]:
                if _TIER_LINE.match(nxt):
                    tier = tier_code(nxt)
                    break
                if canonical(nxt.rstrip(":")):
                    break
        iso3 = lex.resolve(name.strip(" :"))
        if iso3 is None and ":" in name:  # "2023 TRAFFICKING IN PERSONS REPORT: ALGERIA"
            iso3 = lex.resolve(name.rsplit(":", 1)[1].strip())
        if iso3 is None:
            if tier is not None:
                result.warnings.append(
                    f"{origin or source}: skipped the narrative headed {name.strip()!r}: "
                    "the country table does not know this name"
                )
                heads.append((i, "", tier, name))
                current = None
            continue
        if iso3 == current and tier is None:
            skip_lines.add(i)  # running page header
            continue
        if tier is None and not _looks_like_start(lines, i):
            continue
        if heads and heads[-1][1] == iso3 and i - heads[-1][0] <= 2:
            # a page title naming the country, then its heading with the tier: one narrative
            heads[-1] = (i, iso3, tier or heads[-1][2], name)
            continue
        heads.append((i, iso3, tier, name))
        current = iso3
    if heads and year is None:
        raise MalformedInputError(
            f"{origin or source}: cannot tell the report year (no 'YYYY Trafficking in Persons "
            "Report' line); pass --year"
        )
    for h, (i, iso3, tier, name) in enumerate(heads):
        if not iso3:
            continue
        j_end = heads[h + 1][0] if h + 1 < len(heads) else len(lines)
        result.narratives.append(
            _narrative(text, lines[i:j_end], skip_lines, i, iso3, tier, name, source, year, origin)
        )
    return result


def _looks_like_start(lines: list[tuple[int, int, str]], i: int) -> bool:
    """A capital country line without a tier starts a narrative if a section heading follows."""
    for _a, _b, line in lines[i + 1 : i + 40]:
        if canonical(line.rstrip(":")) in ("recommendations", "prosecution"):
            return True
        if _is_caps(line) and not canonical(line.rstrip(":")) and not _TIER_LINE.match(line):
            return False
    return False


def _narrative(
    text: str,
    lines: list[tuple[int, int, str]],
    skip_lines: set[int],
    first: int,
    iso3: str,
    tier: str | None,
    name: str,
    source: str,
    year: int,
    origin: str,
) -> Narrative:
    doc_start = lines[0][0]
    doc_end = lines[-1][1]
    doc = text[doc_start:doc_end]
    spans: dict[str, list[int]] = {}
    section = "intro"
    tier_header = ""
    intro_lines: list[tuple[int, int, str]] = []
    for k, (a, b, line) in enumerate(lines[1:], start=first + 1):
        if k in skip_lines:
            continue
        if _TIER_LINE.match(line) and "tier" not in spans and section == "intro":
            spans["tier"] = [a - doc_start, b - doc_start]
            spans.pop("intro", None)  # lines above the tier line are a page title, not intro
            intro_lines.clear()
            tier_header = line
            continue
        name_of = canonical(line.rstrip(":"))
        # a heading line in any case ("PROSECUTION", "Prosecution", "Recommendations for X:")
        if name_of and name_of not in spans and name_of not in ("intro", "tier"):
            section = name_of
            continue
        if section == "intro":
            intro_lines.append((a, b, line))
        if section in spans:
            spans[section][1] = b - doc_start
        else:
            spans[section] = [a - doc_start, b - doc_start]
    _profile_first(spans, intro_lines, doc_start)
    code = tier or (tier_code(tier_header) if tier_header else None)
    return Narrative(
        doc_id=f"{source}:{year}:{iso3}",
        country=iso3,
        year=year,
        source=source,
        text=doc,
        spans={k: (v[0], v[1]) for k, v in sorted(spans.items(), key=lambda kv: kv[1][0])},
        name=name.strip(),
        origin=f"{origin}@{doc_start}" if origin else "",
        meta={"tier_header": tier_header or (f"TIER {code}" if code else ""), "tier": code},
    )


def _profile_first(
    spans: dict[str, list[int]], intro: list[tuple[int, int, str]], doc_start: int
) -> None:
    """Before 2017 the profile opens the narrative, without a heading: the lines above the
    tier-decision paragraph ("The Government of X does not fully meet ...") are the profile."""
    if "profile" in spans or len(intro) < 2:
        return
    # "The Government of X ..." first; a profile may quote another authority's standing
    # ("Turkish Cypriot authorities do not fully meet ...")
    for strict in (True, False):
        hits = [j for j, (_a, _b, line) in enumerate(intro) if _is_decision(line, strict)]
        if hits:
            j = hits[0]
            if j:
                spans["profile"] = [intro[0][0] - doc_start, intro[j - 1][1] - doc_start]
                spans["intro"] = [intro[j][0] - doc_start, spans["intro"][1]]
            return


def _is_decision(line: str, strict: bool) -> bool:
    head = line[:400]
    if strict and not re.match(r"\s*(?:The\s+)?Government\s+of\b|.{0,80}\bSpecial\s+Case\b", head):
        return False
    return bool(_DECISION.search(head))


def load_txt(path: str | Path, year: int | None = None) -> ParseResult:
    """Country narratives from a UTF-8 text file."""
    p = Path(path)
    data = _read_bytes(p)
    if b"\x00" in data[:4096]:
        raise MalformedInputError(f"{p}: binary data, not a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedInputError(f"{p}: not UTF-8 text (byte {exc.start})") from exc
    result = parse_report_text(text, "txt", year=year, origin=p.name)
    _require(result, p)
    return result


def _read_bytes(p: Path, kind: str = "text") -> bytes:
    from tipwatch.limits import check_input_file

    check_input_file(p, kind)  # a regular file within the limit, checked before opening
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise MalformedInputError(f"{p}: cannot read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise MalformedInputError(f"{p}: empty file")
    return data


def _require(result: ParseResult, p: Path) -> None:
    if not result.narratives:
        why = (
            "; ".join(result.warnings)
            if result.warnings
            else (
                "expected a country heading in capitals with its tier and section headings "
                "(PROSECUTION, PROTECTION, PREVENTION, TRAFFICKING PROFILE)"
            )
        )
        raise MalformedInputError(f"{p}: no country narrative found ({why})")
