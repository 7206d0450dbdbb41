"""Roles of the country: source, transit, destination, internal.

Two phrasings are read:

* the classic "X is a source, transit, and destination country for ..." (also "country of
  origin", "to a lesser extent, a transit country", "transit point");
* the newer "traffickers exploit domestic and foreign victims in X, and traffickers exploit
  victims from X abroad": foreign victims in X -> destination, victims from X abroad ->
  source, domestic victims in X -> internal.

``internal`` is also read from explicit statements: "internal trafficking", "trafficking is
internal", "trafficked internally", "within the country", "from rural to urban areas".
"""

from __future__ import annotations

import re

from tipwatch.extract.base import fact
from tipwatch.model import Fact, Narrative

KIND = "role"

_COUNTRY_ROLE = re.compile(
    r"\b(?:is|are|was|remains|serves\s+as|as|becoming|become|also)\b(?P<body>[^.;:]{0,160}?)"
    r"\bcountr(?:y|ies)\b(?P<tail>\s+of\s+(?:origin|transit|destination)(?:\s*(?:,|and|or)\s*"
    r"(?:origin|transit|destination|,|\s|and|or)*)?)?",
    re.I,
)
_ROLE_WORDS = re.compile(r"\b(source|origin|transit|destination)\b", re.I)
_TRANSIT = re.compile(
    r"\btransit\s+(?:point|hub|route|country|countries|zone|area)s?\b|\bas\s+a\s+transit\b|"
    r"\btransited\s+through\b|\btransit\s+(?:through|via)\b",
    re.I,
)
_FOREIGN_IN = re.compile(r"\bexploit\w*\s+(?:domestic\s+and\s+)?foreign\s+victims\s+in\b", re.I)
_DOMESTIC_IN = re.compile(r"\bexploit\w*\s+domestic(?:\s+and\s+foreign)?\s+victims\s+in\b", re.I)
_FROM_ABROAD = re.compile(
    r"\b(?:exploit\w*|trafficked?)\s+(?:victims|nationals|citizens|\w+\s+victims)\s+from\s+[^.;]{1,60}?"
    r"\babroad\b|\bvictims\s+from\s+[^.;]{1,60}?\babroad\b",
    re.I,
)
_INTERNAL = re.compile(
    r"\binternal(?:ly)?\s+traffick\w*|\btrafficking\s+(?:is|was|remains)\s+(?:primarily\s+|mostly\s+"
    r"|largely\s+)?(?:internal|domestic)\b|\btrafficked\s+internally\b|\binternal\s+(?:sex|labor)\s+"
    r"trafficking\b|\bwithin\s+the\s+country\b|\bfrom\s+rural\s+(?:to|areas\s+to)\s+urban\b|"
    r"\bmost\s+trafficking\s+(?:is|occurs)\s+(?:internal|within)",
    re.I,
)
_SCOPE_SKIP = ("recommendations", "tier", "tier_rating")


def extract(n: Narrative) -> list[Fact]:
    text = n.text
    found: dict[str, tuple[int, int]] = {}

    def add(role: str, a: int, b: int) -> None:
        if role not in found:
            found[role] = (a, b)

    for section, (a, b) in n.spans.items():
        if section in _SCOPE_SKIP:
            continue
        for m in _COUNTRY_ROLE.finditer(text, a, b):
            words = m.group("body") + (m.group("tail") or "")
            if "transit point" in words:
                pass
            for w in _ROLE_WORDS.finditer(words):
                role = w.group(1).lower()
                add("source" if role == "origin" else role, m.start(), m.end())
        for m in _TRANSIT.finditer(text, a, b):
            add("transit", m.start(), m.end())
        for m in _FOREIGN_IN.finditer(text, a, b):
            add("destination", m.start(), m.end())
        for m in _DOMESTIC_IN.finditer(text, a, b):
            add("internal", m.start(), m.end())
        for m in _FROM_ABROAD.finditer(text, a, b):
            add("source", m.start(), m.end())
        for m in _INTERNAL.finditer(text, a, b):
            add("internal", m.start(), m.end())
    return [
        fact(n, KIND, role, a, b) for role, (a, b) in sorted(found.items(), key=lambda kv: kv[1])
    ]
