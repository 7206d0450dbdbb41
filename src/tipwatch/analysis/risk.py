"""Risk lookup for due diligence: one row per name given, in the order given.

:func:`read_names` reads a list of names from JSON (``{"countries": [...]}``), from CSV bytes
with a country column, or from a ``multipart/form-data`` upload; bad input raises
``BadInputError`` / ``MalformedInputError`` saying what and where. :func:`lookup` answers every
name: an unknown one gets an error row with close matches and never fails the batch. Profiles
are computed once per store build (:func:`profiles`), so a lookup is a dictionary read per name.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from typing import Any

from tipwatch import countries
from tipwatch.analysis.inputs import RANK, Inputs
from tipwatch.errors import BadInputError, MalformedInputError
from tipwatch.tiers import TIER_LABELS

MAX_NAMES = 1000
MAX_NAME_LENGTH = 200
COLUMN_GUESSES = ("country", "countries", "country_name", "name", "supplier_country", "nation")
SECTOR_GROUPS = ("agricultural_workers", "construction_workers", "domestic_workers",
                 "factory_workers", "mine_workers", "fishermen")
COLUMNS = ["input", "country", "iso3", "year", "tier", "year_complete", "previous_tier",
           "trend", "years_at_tier", "watch_list_years", "auto_downgrade_next",
           "forecast_year", "p_down", "p_same", "p_up", "policy_or_pattern_listed",
           "narrative_state_involvement", "forms", "sectors", "cited_by", "cited_by_countries",
           "summary", "error",
           "suggestions"]
TABLE_COLUMNS = ["input", "country", "iso3", "year", "tier", "trend", "p_down", "p_up",
                 "summary"]


# ---------------------------------------------------------------------------- reading input
def _check_count(names: list[str], where: str) -> list[str]:
    if not names:
        raise BadInputError(f"{where}: no country names given (send 1 to {MAX_NAMES})")
    if len(names) > MAX_NAMES:
        raise BadInputError(f"{where}: {len(names)} names given; at most {MAX_NAMES} per request")
    return names


def names_from_json(data: Any, where: str = "JSON body") -> list[str]:
    """``{"countries": ["Viet Nam", ...]}`` -> the names (a bare list is refused, with why)."""
    if not isinstance(data, dict):
        raise BadInputError(f"{where}: expected an object {{\"countries\": [...]}}, got "
                            f"{type(data).__name__ if data is not None else 'null'}")
    if "countries" not in data:
        keys = ", ".join(map(str, data)) or "none"
        raise BadInputError(f"{where}: missing key 'countries' (keys given: {keys})")
    extra = sorted(set(data) - {"countries"})
    if extra:
        raise BadInputError(f"{where}: unknown key{'s' if len(extra) > 1 else ''} "
                            f"{', '.join(map(repr, extra))}; only 'countries' is read")
    items = data["countries"]
    if not isinstance(items, list):
        raise BadInputError(f"{where}: 'countries' must be a list of names, got "
                            f"{type(items).__name__}")
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise BadInputError(f"{where}: countries[{i}] must be a string, got "
                                f"{type(item).__name__} {json.dumps(item)[:40]}")
    return _check_count(list(items), where)


def decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise MalformedInputError(f"{where}: not UTF-8 text (line {line}, byte {exc.start}: "
                                  f"0x{raw[exc.start]:02x}); save the file as UTF-8") from None


def names_from_json_bytes(raw: bytes, where: str = "JSON body") -> list[str]:
    text = decode(raw, where)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedInputError(f"{where}: not valid JSON (line {exc.lineno}, column "
                                  f"{exc.colno}: {exc.msg})") from None
    return names_from_json(data, where)


def names_from_csv(raw: bytes, column: str | None = None, where: str = "CSV") -> list[str]:
    """Names from the ``column`` of a CSV file with a header (default: a column named like
    ``country``; a file with a single column uses it)."""
    text = decode(raw, where)
    try:
        sample = text[:4096]
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|") if sample.strip() \
            else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader, None)
        if not header:
            raise BadInputError(f"{where}: empty file; expected a header row with a country "
                                f"column")
        header = [h.strip() for h in header]
        folded = [h.casefold() for h in header]
        if column is not None:
            if column.strip().casefold() not in folded:
                raise BadInputError(f"{where}: no column {column!r} in the header (columns: "
                                    f"{', '.join(header)})")
            idx = folded.index(column.strip().casefold())
        else:
            found = [g for g in COLUMN_GUESSES if g in folded]
            if found:
                idx = folded.index(found[0])
            elif len(header) == 1:
                idx = 0
            else:
                raise BadInputError(
                    f"{where}: no country column in the header (columns: {', '.join(header)}); "
                    f"name one with --column / ?column=")
        names = []
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if idx >= len(row):
                raise BadInputError(f"{where} line {line}: {len(row)} field(s), no value in "
                                    f"column {header[idx]!r}")
            names.append(row[idx])
            if len(names) > MAX_NAMES:
                raise BadInputError(f"{where}: more than {MAX_NAMES} names; at most "
                                    f"{MAX_NAMES} per request")
    except csv.Error as exc:
        raise MalformedInputError(f"{where} line {reader.line_num}: {exc}") from None
    return _check_count(names, where)


def names_from_multipart(raw: bytes, content_type: str, column: str | None = None) -> list[str]:
    """The first file part of a ``multipart/form-data`` body, read as CSV (or JSON)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    msg = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + raw)
    if not msg.is_multipart():
        raise MalformedInputError("multipart body: no parts found (check the boundary)")
    for part in msg.iter_parts():
        name = part.get_filename() or part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        where = f"uploaded file {name!r}" if name else "uploaded part"
        if (part.get_filename() or "").lower().endswith(".json") or \
                part.get_content_type() == "application/json":
            return names_from_json_bytes(payload, where)
        return names_from_csv(payload, column, where)
    raise BadInputError("multipart body: no file part (send the CSV as a form field 'file')")


# ---------------------------------------------------------------------------- answering
def _trend(prev: str | None, tier: str) -> str:
    if prev is None:
        return "no earlier report"
    if prev not in RANK or tier not in RANK:
        return "not comparable"
    if RANK[tier] == RANK[prev]:
        return "unchanged"
    return "upgrade" if RANK[tier] < RANK[prev] else "downgrade"


def _profile(inp: Inputs, iso3: str, forecasts: dict[int, dict[str, dict]]) -> dict[str, Any]:
    from tipwatch.analysis.forecast import feature_row
    from tipwatch.rules.law import load_law

    h = inp.hist[iso3]
    year = max(h)
    tier = h[year]
    prev_year = max((y for y in h if y < year), default=None)
    prev = h.get(prev_year) if prev_year else None
    n, y = 0, year
    while h.get(y) == tier:
        n, y = n + 1, y - 1
    wl, y = 0, year
    while h.get(y) == "2WL":
        wl, y = wl + 1, y - 1
    law = load_law()
    auto = bool(tier in RANK and feature_row(inp, iso3, year, law)["auto_downgrade_next"])
    fc = forecasts.get(year + 1, {}).get(iso3)
    listing = inp.policy.get((year, iso3))
    official = listing if listing is not None and listing.status != "text flag" else None
    lists_read = {yy for yy, _ in inp.policy}
    narr_years = sorted(yy for (i, yy), nn in inp.narratives.items()
                        if i == iso3 and (nn.forms or nn.victims or nn.state_involvement))
    narr_year = narr_years[-1] if narr_years else None
    narr = inp.narratives.get((iso3, narr_year)) if narr_year else None
    # what the narrative describes; its statement of the finding stands with the official list
    involvement = sorted({s["kind"] for s in narr.state_involvement
                          if s["kind"] != "policy_or_pattern_finding"}) if narr else []
    sources = _sources(inp, iso3, year, prev_year, official, narr)
    row = {
        "country": inp.names.get(iso3, iso3), "iso3": iso3, "year": year, "tier": tier,
        "tier_label": TIER_LABELS.get(tier, tier),
        "year_complete": inp.year_status.get(year) == "complete",
        "previous_year": prev_year, "previous_tier": prev, "trend": _trend(prev, tier),
        "years_at_tier": n, "watch_list_years": wl, "auto_downgrade_next": auto,
        "forecast_year": year + 1 if fc else None,
        "p_down": fc["p_down"] if fc else None, "p_same": fc["p_same"] if fc else None,
        "p_up": fc["p_up"] if fc else None,
        "policy_or_pattern_listed": (bool(official) if year in lists_read or official
                                     else None),
        "policy_or_pattern_document": official.document if official else None,
        "narrative_year": narr_year,
        "narrative_state_involvement": involvement,
        "forms": list(narr.forms) if narr else [],
        "sectors": [g for g in narr.victims if g in SECTOR_GROUPS] if narr else [],
        "cited_by": inp.cited_by.get(iso3, (0, 0))[0],
        "cited_by_countries": inp.cited_by.get(iso3, (0, 0))[1],
        "sources": sources,
    }
    row["summary"] = _summary(row)
    return row


def _sources(inp: Inputs, iso3: str, year: int, prev_year: int | None, official: Any,
             narr: Any) -> list[dict[str, Any]]:
    """What the row rests on: id, what it gave, address and licence (full records in meta)."""
    out = []
    for y in (year, prev_year):
        sid = inp.sources.get((iso3, y)) if y else None
        if sid and all(s.get("id") != sid for s in out):
            out.append({"id": sid, "what": f"tier placement {y}",
                        "licence": inp.source_meta.get(sid, {}).get("licence")})
    if official is not None:
        out.append({"id": f"policy_or_pattern:{official.year}",
                    "what": "published policy-or-pattern list", "url": official.source_url,
                    "licence": "U.S. government work (public domain)"})
    if narr is not None:
        out.append({"id": narr.doc_id, "what": "narrative facts (extracted by tipwatch)",
                    "licence": "U.S. government work (public domain)"})
    return out


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _summary(r: dict[str, Any]) -> str:
    parts = [f"{r['country']} was on {r['tier_label']} in the {r['year']} report"]
    if r["trend"] in ("upgrade", "downgrade"):
        parts.append(f"({'up' if r['trend'] == 'upgrade' else 'down'} from "
                     f"{TIER_LABELS.get(r['previous_tier'], r['previous_tier'])})")
    elif r["years_at_tier"] > 1:
        parts.append(f"for the {_ordinal(r['years_at_tier'])} consecutive report")
    text = " ".join(parts)
    if r["policy_or_pattern_listed"]:
        text += ", with a government policy or pattern of trafficking on the official list"
    if r["auto_downgrade_next"]:
        text += "; the automatic downgrade to Tier 3 applies next year unless it improves"
    if r["p_down"] is not None and max(r["p_down"], r["p_up"]) >= 0.15:
        d = "a downgrade" if r["p_down"] >= r["p_up"] else "an upgrade"
        text += f"; forecast: {max(r['p_down'], r['p_up']):.0%} chance of {d} in " \
                f"{r['forecast_year']}"
    return text + "."


def profiles(inp: Inputs) -> dict[str, dict[str, Any]]:
    """Every ranked country's risk profile, computed once per store build."""
    from tipwatch.analysis.diskcache import cached

    return cached(("risk-profiles", inp.build_id), lambda: _profiles(inp), inp)


def _profiles(inp: Inputs) -> dict[str, dict[str, Any]]:
    from tipwatch.analysis import forecast as fc

    wanted = {max(h) + 1 for h in inp.hist.values()}
    forecasts: dict[int, dict[str, dict]] = {}
    for y in sorted(wanted):
        try:
            rows = fc.forecast(inp, y)["rows"]
        except BadInputError:
            continue
        forecasts[y] = {r["iso3"]: r for r in rows}
    return {iso3: _profile(inp, iso3, forecasts) for iso3 in inp.hist}


def lookup_error(raw: str) -> dict[str, Any]:
    """The error row for a name that does not resolve to a ranked country."""
    return dict(_lookup_error(raw))


@functools.lru_cache(maxsize=4096)
def _lookup_error(raw: str) -> dict[str, Any]:
    name = raw.strip()
    if not name:
        return {"input": raw, "error": "empty name", "suggestions": []}
    if len(name) > MAX_NAME_LENGTH:
        return {"input": raw, "error": f"name longer than {MAX_NAME_LENGTH} characters",
                "suggestions": []}
    country = countries.lookup(name)
    if country is None:
        return {"input": raw, "error": f"unknown country {name!r}",
                "suggestions": countries.suggest(name)}
    return {"input": raw, "country": country.name, "iso3": country.iso3,
            "error": f"{country.name} ({country.iso3}) is not ranked in any report of the panel",
            "suggestions": []}


@functools.lru_cache(maxsize=8192)
def resolve_name(raw: str) -> str | None:
    """The ISO3 code a name resolves to (``None`` for an empty, too long or unknown name)."""
    name = raw.strip()
    if not 0 < len(name) <= MAX_NAME_LENGTH:
        return None
    country = countries.lookup(name)
    return country.iso3 if country is not None else None


def lookup(inp: Inputs, names: list[str]) -> list[dict[str, Any]]:
    """One row per name, in input order; unknown names get an error row with close matches."""
    table = profiles(inp)
    out = []
    for i, raw in enumerate(names):
        iso3 = resolve_name(raw)
        if iso3 is not None and iso3 in table:
            row = {"row": i + 1, "input": raw, **table[iso3], "error": None,
                   "suggestions": []}
        else:
            row = {"row": i + 1, **lookup_error(raw)}
        out.append(row)
    return out
