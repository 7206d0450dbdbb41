"""Section headings of a country narrative: canonical names and splitting glued text.

The report's sections are INTRO (the tier paragraph), the tier line, PRIORITIZED
RECOMMENDATIONS, PROSECUTION, PROTECTION, PREVENTION and TRAFFICKING PROFILE. In text parsed
from the PDF the headings are sometimes glued to the following sentence
("...PROSECUTIONThe government..."); :func:`split_glued` finds them anyway.
"""

from __future__ import annotations

import re

#: heading text (upper case, as printed) -> canonical section name
HEADINGS: dict[str, str] = {
    "INTRO": "intro",
    "TIER": "tier",
    "TIER RATING": "tier_rating",
    "RECOMMENDATIONS": "recommendations",
    "PRIORITIZED RECOMMENDATIONS": "recommendations",
    "PROSECUTION": "prosecution",
    "PROSECUTIONS": "prosecution",
    "PROTECTION": "protection",
    "PREVENTION": "prevention",
    "GOVERNMENT EFFORTS": "government_efforts",
    "TRAFFICKING PROFILE": "profile",
    "CURRENT SITUATION": "profile",
}


def canonical(heading: str) -> str | None:
    """Canonical section name of a heading such as ``"PROSECUTIONS"`` or ``"Prosecution"``."""
    key = re.sub(r"[\s:]+", " ", heading).strip().upper()
    if key.startswith("RECOMMENDATIONS FOR") or key.startswith("PRIORITIZED RECOMMENDATIONS"):
        return "recommendations"
    return HEADINGS.get(key)


# A heading glued to the next sentence: the heading in capitals, then a capital letter that
# starts a word in lower case. "RECOMMENDATIONS FOR <COUNTRY IN CAPITALS>" is taken lazily up
# to the first capital that begins a lower-case word.
_GLUED = re.compile(
    r"(?P<h>(?:PRIORITIZED\s+)?RECOMMENDATIONS\s+FOR\s+[A-Z][A-Z ,.'’()\-]*?"
    r"|PROSECUTIONS?|PROTECTION|PREVENTION|TRAFFICKING\s+PROFILE|GOVERNMENT\s+EFFORTS)"
    r"(?=\s?[A-Z][a-z])"
)


def split_glued(text: str, start: int = 0) -> list[tuple[str, int, int, int]]:
    """Find headings inside ``text`` (a whole narrative glued into one field).

    Returns ``(section, heading_start, body_start, body_end)`` tuples with offsets relative to
    ``text`` plus ``start``, in order; the body of a section runs up to the next heading. Each
    section is taken once (the first occurrence in report order), so a heading word inside a
    sentence later on does not start a new section.
    """
    found: list[tuple[str, int, int]] = []
    seen: set[str] = set()
    order = ["recommendations", "prosecution", "protection", "prevention", "profile"]
    for m in _GLUED.finditer(text):
        name = canonical(m.group("h"))
        if name is None or name in seen:
            continue
        # headings appear in report order; skip one that would go backwards
        if (
            found
            and name in order
            and found[-1][0] in order
            and (order.index(name) < order.index(found[-1][0]))
        ):
            continue
        # must not be inside a sentence: preceded by sentence end, quote or start
        before = text[max(0, m.start() - 2) : m.start()]
        if m.start() > 0 and re.search(r"[a-z0-9,]$", before):
            continue
        seen.add(name)
        body = m.end()
        while body < len(text) and text[body] == " ":
            body += 1
        found.append((name, m.start(), body))
    out: list[tuple[str, int, int, int]] = []
    for i, (name, hstart, body) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        out.append((name, start + hstart, start + body, start + _rstrip_end(text, body, end)))
    return out


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so that it does not begin or end with white space."""
    while start < end and text[start].isspace():
        start += 1
    return start, _rstrip_end(text, start, end)
