"""Keyword facts (forms, victim groups): compiled patterns per value, with an exclusion rule.

A value is found when one of its patterns occurs in the narrative outside the excluded
sections and outside sentences that only state the law ("criminalizes sex trafficking and
labor trafficking", "the definition of trafficking includes ..."): a statute lists every form
whether it occurs or not, so a legal definition is not evidence. Everything else counts,
including prosecutions or convictions for a form (evidence that it occurs in the country).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tipwatch.extract.base import fact, sentences
from tipwatch.model import Fact, Narrative

_LEGAL = re.compile(
    r"\bcriminaliz\w*|\bdefin(?:e|es|ed|ition)\b|\bprescrib\w*\s+(?:penalties|punishment)|"
    r"\bpenalt(?:y|ies)\s+of\b|\bprotocol\b|\bconvention\b|\bamend\w*\b",
    re.I,
)


def compile_table(table: dict[str, Iterable[str]]) -> list[tuple[str, re.Pattern[str]]]:
    return [(value, re.compile("|".join(pats), re.I)) for value, pats in table.items()]


def find_values(
    n: Narrative,
    kind: str,
    table: list[tuple[str, re.Pattern[str]]],
    exclude_sections: tuple[str, ...] = ("recommendations",),
    skip_legal: bool = True,
) -> list[Fact]:
    """First occurrence of each value (in text order) as a fact."""
    text = n.text
    first: dict[str, tuple[int, int]] = {}
    for section, (a, b) in n.spans.items():
        if section in exclude_sections:
            continue
        for sa, sb in sentences(text, a, b):
            legal = skip_legal and _LEGAL.search(text, sa, sb) is not None
            for value, pat in table:
                if value in first and first[value][0] < sa:
                    continue
                m = pat.search(text, sa, sb)
                if m is None or (legal and not _about_cases(text, sa, sb)):
                    continue
                if value not in first or m.start() < first[value][0]:
                    first[value] = (m.start(), m.end())
    return [
        fact(n, kind, value, a, b) for value, (a, b) in sorted(first.items(), key=lambda kv: kv[1])
    ]


_CASES = re.compile(
    r"\b(?:convict\w*|prosecut\w*|investigat\w*|identif\w*|victims?|exploit\w*|subjected)\b", re.I
)


def _about_cases(text: str, a: int, b: int) -> bool:
    """A sentence that mentions the law but is also about actual cases or victims."""
    return _CASES.search(text, a, b) is not None
