"""Keyword facts (forms, victim groups): compiled patterns per value, with an exclusion rule.

A value is found when one of its patterns occurs in the narrative outside the excluded
sections and outside sentences that only state the law ("criminalizes sex trafficking and
labor trafficking", "the definition of trafficking includes ..."): a statute lists every form
whether it occurs or not, so a legal definition is not evidence. Everything else counts,
including prosecutions or convictions for a form (evidence that it occurs in the country).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable

from tipwatch.extract.base import fact, sentences
from tipwatch.model import Fact, Narrative

_LEGAL = re.compile(
    r"\bcriminaliz\w*|\bdefin(?:e|es|ed|ition)\b|\bprescrib\w*\s+(?:penalties|punishment)|"
    r"\bpenalt(?:y|ies)\s+of\b|\bprotocol\b|\bconvention\b|\bamend\w*\b",
    re.I,
)


Table = list[tuple[str, re.Pattern[str], tuple[str, ...] | None]]
#: (lower-cased text, match start, match end, (sentence start, sentence end)) -> not evidence
Veto = Callable[[str, int, int, tuple[int, int]], bool]


def compile_table(
    table: dict[str, Iterable[str]], triggers: dict[str, tuple[str, ...]] | None = None
) -> Table:
    """(value, pattern, literal triggers) per value.

    Patterns are matched against the lower-cased text (much faster than ``re.I``), so they are
    lower-cased here. The triggers are the literal starts of the alternatives: when none occurs
    in a section the pattern cannot match there and is not run (``None``: always run).
    ``triggers`` gives them by hand for values whose patterns do not start with a literal (each
    alternative must contain one of them).
    """
    out: Table = []
    extra = triggers
    for value, pats in table.items():
        pats = [p.lower() for p in pats]
        found: list[str] | tuple[str, ...] | None = []
        for p in pats:
            lit = _literal_start(p)
            if len(lit) < 3:
                found = None
                break
            found.append(lit)
        if given := (extra or {}).get(value):
            found = given
        out.append((value, re.compile("|".join(pats)), tuple(found) if found else None))
    return out


def _literal_start(pattern: str) -> str:
    p = pattern[2:] if pattern.startswith("\\b") else pattern
    m = re.match(r"[a-z0-9 '-]*", p)
    lit = m.group(0) if m else ""
    # a quantifier after the literal makes its last character optional
    rest = p[len(lit) :]
    if rest[:1] in ("?", "*", "{") and lit:
        lit = lit[:-1]
    return lit


def lowered(text: str) -> str:
    """``text.lower()`` when it keeps every offset (it does for all but a few letters).

    The PDF parse of the 2018 report turned dashes into "Š" ("victimsŠ66 adult") and glued
    running page headers into sentences ("convicted seven 438UNITED ARAB EMIRATEStraffickers");
    both are read as spaces so that word boundaries work. Offsets are unchanged.
    """
    low = _HEADER.sub(lambda m: " " * len(m.group(0)), text).lower().replace("š", " ")
    return low if len(low) == len(text) else text


#: a running page header glued into the text ("seven 438UNITED ARAB EMIRATEStraffickers")
_HEADER = re.compile(r"\b\d{2,3}[A-Z][A-Z ,.'’()\-]{2,}?(?=[a-z])")


def find_values(
    n: Narrative,
    kind: str,
    table: Table,
    exclude_sections: tuple[str, ...] = ("recommendations",),
    skip_legal: bool = True,
    vetoes: dict[str, Veto] | None = None,
) -> list[Fact]:
    """First occurrence of each value (in text order) as a fact.

    ``vetoes`` gives, per value, a test of a match in its sentence (``low`` text, match span,
    sentence span): when it says the match is not evidence, the next match is tried.
    """
    vetoes = vetoes or {}
    text = n.text
    low = lowered(text)
    first: dict[str, tuple[int, int]] = {}
    sents = SentenceIndex(text, [span for k, span in n.spans.items() if k not in exclude_sections])
    for section, (a, b) in n.spans.items():
        if section in exclude_sections:
            continue
        chunk = low[a:b]
        for value, pat, triggers in table:
            if value in first and first[value][0] < a:
                continue
            if triggers is not None and not any(t in chunk for t in triggers):
                continue
            for m in pat.finditer(low, a, b):
                if skip_legal and sents.legal_only(m.start()):
                    continue
                veto = vetoes.get(value)
                if veto is not None and veto(low, m.start(), m.end(), sents.around(m.start())):
                    continue
                if value not in first or m.start() < first[value][0]:
                    first[value] = (m.start(), m.end())
                break
    return [
        fact(n, kind, value, a, b) for value, (a, b) in sorted(first.items(), key=lambda kv: kv[1])
    ]


class SentenceIndex:
    """Sentence spans of some sections, to find the sentence around an offset quickly."""

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self.text = text
        self.spans = sorted(s for a, b in spans for s in sentences(text, a, b))
        self.starts = [a for a, _ in self.spans]
        self._legal: dict[int, bool] = {}

    def around(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.starts, offset) - 1
        if i < 0:
            return (offset, offset)
        return self.spans[i]

    def legal_only(self, offset: int) -> bool:
        """The sentence at ``offset`` states the law and is not about cases or victims."""
        sa, sb = self.around(offset)
        if sa not in self._legal:
            self._legal[sa] = _LEGAL.search(self.text, sa, sb) is not None and not _about_cases(
                self.text, sa, sb
            )
        return self._legal[sa]


_CASES = re.compile(
    r"\b(?:convict\w*|prosecut\w*|investigat\w*|identif\w*|victims?|exploit\w*|subjected)\b", re.I
)


#: legal boilerplate that names victims without being about any: "penalties of ... for
#: offenses involving adult victims", "if the victim is a child"
_LEGAL_VICTIMS = re.compile(
    r"\b(?:offen[cs]es|crimes|cases|those)\s+involving\s+(?:\w+\s+){0,2}?victims\b|"
    r"\b(?:if|when|where)\s+the\s+victims?\s+(?:is|was|are|were)\b",
    re.I,
)


def _about_cases(text: str, a: int, b: int) -> bool:
    """A sentence that mentions the law but is also about actual cases or victims."""
    pos = a
    for m in _CASES.finditer(text, a, b):
        if not any(v.start() <= m.start() < v.end() for v in _LEGAL_VICTIMS.finditer(text, pos, b)):
            return True
    return False
