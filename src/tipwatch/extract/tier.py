"""Tier statements: the tier, the movement, the consecutive-year count, waivers and findings.

Reads the intro (2018 narratives, report pages) or the tier rating (Factbook). The tier comes
from the placement sentence ("therefore X remained on Tier 2 Watch List for the second
consecutive year", "was upgraded to Tier 1", "X is a Special Case"); when no such sentence is
found, from the tier header ("TIER 2 WATCH LIST", "Tier 3 - ..."). Flags:

* ``waiver``: the narrative says a waiver was granted ("granted a waiver", "is granted a
  waiver per the TVPA", "received a waiver") - not merely that a waiver exists in law;
* ``not_significant_efforts``: "is not making significant efforts";
* ``no_increasing_efforts``: "did not demonstrate overall increasing efforts" (and the older
  "did not show evidence of increasing efforts").
"""

from __future__ import annotations

from tipwatch.extract.base import fact, parse_ordinal
from tipwatch.extract.engine import Doc
from tipwatch.extract.patterns import patterns
from tipwatch.model import Fact, Narrative

KIND = "tier_statement"
_P = patterns(KIND)

_PLACEMENT = _P["tier_statement.placement"]
_SINCE = _P["tier_statement.since"]
_SPECIAL = _P["tier_statement.special"]
_CONSEC = _P["tier_statement.consec"]
_WAIVER = _P["tier_statement.waiver"]
_NOT_SIGNIFICANT = _P["tier_statement.not_significant"]
_NO_INCREASING = _P["tier_statement.no_increasing"]
_HEADER = _P["tier_statement.header"]


def tier_code(raw: str) -> str | None:
    t = _P["tier_statement.separators"].sub(" ", raw).strip().upper()
    t = t.replace("ONE", "1").replace("TWO", "2").replace("THREE", "3")
    if "SPECIAL" in t:
        return "special"
    m = _P["tier_statement.code"].search(t)
    if not m:
        return None
    return "2WL" if m.group(2) else m.group(1)


def _scope(n: Narrative) -> list[tuple[int, int]]:
    for name in ("intro", "tier_rating"):
        if name in n.spans:
            return [n.spans[name]]
    return [(0, len(n.text))]


def extract(n: Narrative, doc: Doc | None = None) -> list[Fact]:
    scopes = _scope(n)
    text = (doc or Doc(n)).low  # the ignore-case rules of this kind read the lower-cased text
    tier: str | None = None
    movement: str | None = None
    consecutive: int | None = None
    span: tuple[int, int] | None = None
    rule = "tier_statement.placement"
    for a, b in scopes:
        for m in _PLACEMENT.finditer(text, a, b):
            code = tier_code(m.group("tier"))
            if code is None:
                continue
            move = m.group("move").lower()
            tier = code
            if "upgraded" in move:
                movement = "upgraded"
            elif "downgraded" in move:
                movement = "downgraded"
            elif move.startswith("remain") or "main" in move:
                movement = "remained"
            span = (m.start(), m.end())
            since = _SINCE.match(text, m.end())
            if movement is None and since and int(since.group(1)) < n.year:
                movement = "remained"  # "has been on the Tier 2 Watch List since 2004"
            c = _CONSEC.search(text, m.end(), min(b, m.end() + 60))
            if c is None:  # "for a second consecutive year, X is on the Tier 2 Watch List"
                sent_start = max(text.rfind(".", a, m.start()), text.rfind(";", a, m.start()))
                c = _CONSEC.search(text, max(a, sent_start + 1), m.start())
            if c:
                consecutive = parse_ordinal(c.group("ord"))
                span = (min(m.start(), c.start()), max(m.end(), c.end()))
                if movement is None and consecutive and consecutive > 1:
                    movement = "remained"
            break
        if tier is None:
            m = _SPECIAL.search(text, a, b)
            if m:
                tier = "special"
                rule = "tier_statement.special"
                movement = None  # a special case is not ranked, so it neither moves nor stays
                span = (m.start(), m.end())
                c = _CONSEC.search(text, m.end(), min(b, m.end() + 60))
                if c:
                    consecutive = parse_ordinal(c.group("ord"))
                    span = (m.start(), c.end())
        if tier is not None:
            break
    if tier is None:
        header = n.meta.get("tier_header") or ""
        hspan = n.spans.get("tier") or n.spans.get("tier_rating")
        if not header and hspan:
            header = text[hspan[0] : hspan[1]]
        m = _HEADER.match(header.lower())
        if m:
            tier = tier_code(m.group(0))
            rule = "tier_statement.header"
            if hspan:
                span = (hspan[0], min(hspan[1], hspan[0] + len(m.group(0))))
    if tier is None or span is None:
        return []
    if tier == "special":
        movement = None  # a special case is not ranked: "remains a Special Case" is no movement
    a, b = scopes[0]
    value = {
        "tier": tier,
        "movement": movement,
        "consecutive_years": consecutive,
        "waiver": bool(_WAIVER.search(text, a, b)),
        "not_significant_efforts": bool(_NOT_SIGNIFICANT.search(text, a, b)),
        "no_increasing_efforts": bool(_NO_INCREASING.search(text, a, b)),
    }
    return [fact(n, KIND, value, span[0], span[1], rule_id=rule)]
