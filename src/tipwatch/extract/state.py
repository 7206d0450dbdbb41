"""State involvement: a government policy or pattern of trafficking, and official complicity.

``state_policy_or_pattern``: "state-sponsored trafficking", "government policy or pattern",
"government-compelled forced labor", forced labour in government programs or by the state
(the authorities mobilizing or compelling people into forced labour).

``official_complicity``: officials complicit in trafficking, corruption that enables it,
bribes. The boilerplate "the government did not report any investigations, prosecutions, or
convictions of government employees complicit in trafficking" says nothing about whether
complicity exists, so it is skipped unless the same sentence states it ("despite reports of
complicity", "allegations", "credible reports", "continued"). Recommendations are not read
(they ask for action, they do not state facts).
"""

from __future__ import annotations

import re

from tipwatch.extract.base import fact, sentences
from tipwatch.model import Fact, Narrative

KIND = "state_involvement"

_POLICY = re.compile(
    r"\bstate[- ]sponsored\b|\bpolicy\s+or\s+pattern\b|"
    r"\bgovernment[- ](?:compelled|sponsored|organized|imposed|mandated|run|directed)\s+"
    r"forced\s+labou?r|"
    r"\bstate[- ](?:imposed|compelled|organized|mandated)\s+forced\s+labou?r|"
    r"\bforced\s+labou?r\s+(?:in|as\s+part\s+of)\s+(?:government|state)[- ]\w+|"
    r"\b(?:government|state|authorities|officials|military|army|regime)\s+(?:\w+\s+){0,2}?"
    r"(?:continu\w*\s+to\s+)?(?:used?|uses|using|subject\w*|forced|forces|mobiliz\w*|mobilis\w*|"
    r"compel\w*|coerc\w*|conscript\w*)\b[^.;]{0,80}\bforced\s+labou?r|"
    r"\bnational\s+service\b[^.;]{0,80}\bforced\s+labou?r|\bforced\s+labou?r\b[^.;]{0,80}"
    r"\bnational\s+service\b|\b(?:government|state)[- ]run\s+(?:\w+\s+){0,2}(?:labou?r|prison|"
    r"re-education)\s+camps|"
    r"\bforced\s+labou?r\b[^.;]{0,60}\b(?:by|of)\s+the\s+(?:government|state|authorities|regime)\b|"
    r"\bforced\s+labou?r\s+(?:in|at)\s+(?:prison\s+camps|labor\s+camps|re-education)",
    re.I,
)
_COMPLICITY = re.compile(
    r"\bcomplicit\w*|\bcomplicity\b|\bcorrupt\w*|\bbrib\w*|\bofficials?\b[^.;]{0,60}\b(?:facilitat|"
    r"profit|accept\w*\s+(?:bribes|payments))",
    re.I,
)
_BOILERPLATE = re.compile(
    r"\b(?:did\s+not\s+report|no\s+reports?\s+of|has\s+never\s+reported|did\s+not\s+initiate)\b"
    r"[^.]{0,120}\b(?:investigations?|prosecutions?|convictions?)\b",
    re.I,
)
_STATED = re.compile(
    r"\bdespite\b|\ballegation|\breports?\s+(?:of|that)\b|\bcredible\b|\bcontinued\b|\bconcern|"
    r"\breportedly\b|\bendemic\b|\bwidespread\b|\bpervasive\b|\bremained\b|\bfacilitat",
    re.I,
)
_NEGATED = re.compile(r"\banti[- ]corruption\b", re.I)


def extract(n: Narrative) -> list[Fact]:
    text = n.text
    out: list[Fact] = []
    policy: tuple[int, int] | None = None
    complicity: tuple[int, int] | None = None
    for section, (a, b) in n.spans.items():
        if section in ("recommendations", "tier"):
            continue
        for sa, sb in sentences(text, a, b):
            if policy is None:
                m = _POLICY.search(text, sa, sb)
                if m:
                    policy = (m.start(), m.end())
            if complicity is None:
                m = _COMPLICITY.search(text, sa, sb)
                if m and not _NEGATED.fullmatch(text, max(sa, m.start() - 5), m.end()):
                    boiler = _BOILERPLATE.search(text, sa, sb)
                    stated = boiler is None or _STATED.search(text, sa, sb)
                    if stated and not _only_anti_corruption(text, sa, sb):
                        complicity = (m.start(), m.end())
    if policy:
        out.append(fact(n, KIND, "state_policy_or_pattern", *policy))
    if complicity:
        out.append(fact(n, KIND, "official_complicity", *complicity))
    return out


def _only_anti_corruption(text: str, a: int, b: int) -> bool:
    """True when every corruption word in the sentence is part of "anti-corruption"."""
    hits = list(_COMPLICITY.finditer(text, a, b))
    return bool(hits) and all(_NEGATED.search(text, max(a, h.start() - 5), h.end()) for h in hits)
