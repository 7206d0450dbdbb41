"""Cited countries: every other country a narrative names, with the direction where stated.

Names, aliases and unambiguous demonyms come from :mod:`tipwatch.extract.lexicon` (one pass of
a compiled trie). Ambiguous names ("Congo", "Korea", "Congolese", "Dominican") and region
names ("Niger Delta", "Central American") are recognised and *not* reported. The narrative's
own country is never reported. One fact per mention; the bundle and ``cited-by`` group them.

Direction, read in the mention's clause:

* ``from``: "victims from A, B and C", "Nigerian women" (a demonym before a victim noun) -
  victims from the cited country exploited in the narrative's country;
* ``to``: "to / into A", or "in A" when the clause is about the country's own nationals
  abroad ("Filipino workers are exploited in A", "... abroad");
* ``via``: "through / via A", "transit A";
* otherwise no direction.
"""

from __future__ import annotations

import re

from tipwatch.extract.base import fact, sentences
from tipwatch.extract.lexicon import Lexicon, lexicon
from tipwatch.model import Fact, Narrative

KIND = "cited_country"

_PREP = re.compile(
    r"\b(from|to|into|in|through|via|transit(?:ing)?(?:\s+through)?|across|toward|towards|"
    r"between)\s+(?:the\s+)?$",
    re.I,
)
_LIST_GAP = re.compile(r"^(?:\s*(?:,|and|or|the|other|and\s+other|as\s+well\s+as)\s*)*$", re.I)
_VICTIM_NOUN = re.compile(
    r"\s*(?:national|citizen|women|men|children|girls|boys|victims?|workers?|migrants?|"
    r"laborers?|labourers?|nationals|citizens|domestic|adults|females?|males?|minors?|"
    r"youth|persons|people|individuals|refugees|asylum)\b",
    re.I,
)
_RETURNED = re.compile(
    r"\b(?:repatriat\w*|return\w*|rescued|deported|evacuated|brought\s+back|came\s+back)\s*"
    r"(?:\w+\s+){0,4}$",
    re.I,
)
_NOT_A_FLOW = re.compile(
    r"\b(?:extradit\w*|embass(?:y|ies)|consulates?|ambassadors?|delegations?)\b[^.;]{0,40}$", re.I
)
_ABROAD = re.compile(r"\babroad\b|\boverseas\b|\bforeign\s+countries\b", re.I)
_LANG_BEFORE = re.compile(
    r"\b(?:in|speak\w*|languages?|translated\s+into|dubbed\s+into|fluent\s+in)\s+$", re.I
)
_LANG_AFTER = re.compile(
    r"\s*(?:[,.;:)]|and\b|or\b|languages?\b|$)|\s+(?:Creole|[Ss]ign\s+[Ll]anguage|dialects?)\b"
)


def extract(n: Narrative, lex: Lexicon | None = None) -> list[Fact]:
    lex = lex or lexicon()
    text = n.text
    own = n.country
    own_terms = _own_pattern(lex, own)
    out: list[Fact] = []
    for a, b in _scan_spans(n):
        for sa, sb in sentences(text, a, b):
            mentions = [m for m in lex.find(text[sa:sb])]
            if not mentions:
                continue
            about_own_abroad = bool(own_terms.search(text, sa, sb)) or bool(
                _ABROAD.search(text, sa, sb)
            )
            prev_end = 0
            prev_dir: str | None = None
            prev_lang = False
            for m in mentions:
                start, end = sa + m.start, sa + m.end
                direction = None
                gap = text[sa + prev_end : start]
                # a language, not a country: "campaigns in Estonian and Russian", "calls in
                # French and Creole", "speaking Portuguese"
                lang = m.kind == "demonym" and bool(_LANG_AFTER.match(text, end, sb))
                lang = lang and (
                    bool(_LANG_BEFORE.search(text, max(sa, start - 30), start))
                    or (prev_lang and bool(prev_end) and bool(_LIST_GAP.match(gap)))
                )
                prev_lang = lang
                if lang:
                    prev_end, prev_dir = m.end, None
                    continue
                if prev_end and prev_dir and _LIST_GAP.match(gap):
                    direction = prev_dir  # same list as the previous country
                else:
                    p = _PREP.search(text, max(sa, start - 40), start)
                    if p:
                        direction = _direction(p.group(1).lower(), about_own_abroad)
                        verb = text[max(sa, p.start() - 40) : p.start()]
                        if direction == "from" and _RETURNED.search(verb):
                            direction = "to"  # nationals repatriated from where they were exploited
                        elif _NOT_A_FLOW.search(verb):
                            direction = None
                    if (
                        m.kind == "demonym"
                        and direction is None
                        and _VICTIM_NOUN.match(text, end, min(sb, end + 30))
                    ):
                        direction = "from"
                prev_end, prev_dir = m.end, direction
                if not m.iso3 or m.iso3 == own:
                    continue
                out.append(fact(n, KIND, m.iso3, start, end, direction=direction))
    return out


def _direction(prep: str, about_own_abroad: bool) -> str | None:
    if prep == "from":
        return "from"
    if prep in ("to", "into", "toward", "towards"):
        return "to"
    if prep == "in":
        return "to" if about_own_abroad else None
    if prep.startswith("transit") or prep in ("through", "via", "across"):
        return "via"
    return None


def _scan_spans(n: Narrative) -> list[tuple[int, int]]:
    if not n.spans:
        return [(0, len(n.text))]
    return [span for section, span in n.spans.items() if section != "tier"]


_OWN_CACHE: dict[str, re.Pattern[str]] = {}


def _own_pattern(lex: Lexicon, iso3: str) -> re.Pattern[str]:
    if iso3 not in _OWN_CACHE:
        terms = [t for t, (code, kind) in lex.terms.items() if code == iso3 and kind == "demonym"]
        pat = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) or r"(?!x)x"
        _OWN_CACHE[iso3] = re.compile(r"\b(?:" + pat + r")s?\b")
    return _OWN_CACHE[iso3]
