"""Keyword facts (forms, victim groups): compiled patterns per value, with an exclusion rule.

A value is found when one of its patterns occurs in the narrative outside the excluded
sections and outside sentences that only state the law ("criminalizes sex trafficking and
labor trafficking", "the definition of trafficking includes ..."): a statute lists every form
whether it occurs or not, so a legal definition is not evidence. Everything else counts,
including prosecutions or convictions for a form (evidence that it occurs in the country).
"""

from __future__ import annotations

from collections.abc import Callable

from tipwatch.extract.base import fact
from tipwatch.extract.engine import Doc
from tipwatch.extract.engine import lowered as lowered
from tipwatch.extract.patterns import Rule, patterns
from tipwatch.model import Fact, Narrative

_P = patterns("lexical")
_LEGAL = _P["lexical.legal"]
_CASES = _P["lexical.cases"]
_LEGAL_VICTIMS = _P["lexical.legal_victims"]

#: (lower-cased text, match start, match end, (sentence start, sentence end)) -> not evidence
Veto = Callable[[str, int, int, tuple[int, int]], bool]


def find_values(
    n: Narrative,
    kind: str,
    rules: list[Rule],
    exclude_sections: tuple[str, ...] = ("recommendations",),
    skip_legal: bool = True,
    vetoes: dict[str, Veto] | None = None,
    doc: Doc | None = None,
) -> list[Fact]:
    """First occurrence of each value (in text order) as a fact, with the id of its rule.

    ``vetoes`` gives, per value, a test of a match in its sentence (``low`` text, match span,
    sentence span): when it says the match is not evidence, the next match is tried. A rule is
    evaluated only where one of its triggers occurs (see :mod:`tipwatch.extract.engine`).
    """
    doc = doc or Doc(n)
    vetoes = vetoes or {}
    low = doc.low
    legal: dict[int, bool] = {}
    first: dict[str, tuple[int, int, str]] = {}
    scopes = [span for k, span in n.spans.items() if k not in exclude_sections]
    for rule in rules:
        value = rule.value or ""
        veto = vetoes.get(value)
        for a, b in scopes:
            if value in first and first[value][0] < a:
                break
            if not doc.occurs(rule, a, b):
                continue
            for m in doc.matches(rule, a, b):
                sent = doc.around(m.start())
                if skip_legal and _legal_only(doc, sent, legal):
                    continue
                if veto is not None and veto(low, m.start(), m.end(), sent):
                    continue
                if value not in first or m.start() < first[value][0]:
                    first[value] = (m.start(), m.end(), rule.id)
                break
    return [
        fact(n, kind, value, a, b, rule_id=rid)
        for value, (a, b, rid) in sorted(first.items(), key=lambda kv: kv[1])
    ]


def _legal_only(doc: Doc, sent: tuple[int, int], cache: dict[int, bool]) -> bool:
    """The sentence states the law and is not about cases or victims."""
    sa, sb = sent
    if sa not in cache:
        text = doc.text
        cache[sa] = _LEGAL.search(text, sa, sb) is not None and not _about_cases(text, sa, sb)
    return cache[sa]


def _about_cases(text: str, a: int, b: int) -> bool:
    """A sentence that mentions the law but is also about actual cases or victims."""
    pos = a
    for m in _CASES.finditer(text, a, b):
        if not any(v.start() <= m.start() < v.end() for v in _LEGAL_VICTIMS.finditer(text, pos, b)):
            return True
    return False
