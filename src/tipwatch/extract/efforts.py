"""Effort facts: what the narrative's opening paragraph says the government did or failed to do.

Reads the intro (report pages, 2018 narratives) or the tier rating (Factbook); a text without
sections is read whole. Each clause (sentence or semicolon clause, split again at "but",
"however", "although", "while") that names a topic gives one fact per topic:
``{pillar, topic, polarity}`` with pillar ``prosecution`` / ``protection`` / ``prevention``,
polarity ``effort`` (something done) or ``failing`` (not done, too little, or harm done, such
as penalizing victims). One more fact per narrative, topic ``overall``, says whether efforts
overall are called increasing (``increasing`` true / false) and whether the government is
"making significant efforts". Every pattern is in :data:`TOPICS` and the cue lists below;
conventions and measured quality: docs/extraction.md ("Effort facts").
"""

from __future__ import annotations

import re

from tipwatch.extract.base import fact, sentences
from tipwatch.model import Fact, Narrative

KIND = "effort"

#: topic -> (pillar, pattern over the lower-cased clause)
TOPICS: dict[str, tuple[str, re.Pattern[str]]] = {
    name: (pillar, re.compile(pattern))
    for name, (pillar, pattern) in {
        "investigations": ("prosecution", r"\binvestigat\w*"),
        "prosecutions": ("prosecution", r"\bprosecut\w*"),
        "convictions": ("prosecution", r"\bconvict\w*|\bsentenc\w*"),
        "legislation": ("prosecution", r"\b(?:legislation|penal code|criminal code|"
                        r"anti-trafficking law|trafficking law|criminaliz\w*|amend\w*|"
                        r"enact\w*)"),
        "official_complicity": ("prosecution", r"\b(?:complicit\w*|complicity|corrupt\w*)"),
        "training": ("prosecution", r"\btrain(?:ed|ing|s)?\b"),
        "victim_identification": ("protection", r"\bidentif\w*\s+(?:\w+\s+){0,4}?(?:victims?|"
                                  r"cases)|victim identification|\bscreen\w*|\bidentif\w*\s+"
                                  r"or\s+\w+\s+(?:\w+\s+){0,2}victims"),
        "shelters_services": ("protection", r"\b(?:shelters?|protection services|services|"
                              r"assistance|care\b|rehabilitat\w*|reintegrat\w*|"
                              r"(?:protect|assist)\w*\s+(?:\w+\s+){0,2}?victims?|"
                              r"identify\s+or\s+assist)"),
        "non_penalization": ("protection", r"\b(?:penaliz\w*|penalis\w*|non-penali\w*|"
                             r"(?:arrest|detain|deport|punish|prosecut|jail|imprison)\w*\s+"
                             r"(?:\w+\s+){0,3}?(?:potential\s+)?victims|unlawful acts)"),
        "national_action_plan": ("prevention", r"\b(?:national action plan|action plan|"
                                 r"national plan|national strategy)"),
        "awareness": ("prevention", r"\b(?:awareness|campaigns?|hotlines?)\b"),
        "labour_recruitment": ("prevention", r"\b(?:labou?r\s+recruit\w*|recruitment\s+"
                               r"(?:fees?|agenc\w*|practices|firms)|recruiters?|employment "
                               r"agenc\w*|recruitment agencies|kafala|sponsorship system)"),
    }.items()
}

#: a clause that reports something not done, too little, or harm done
_FAILING = re.compile(
    r"\b(?:not|no|never|neither|nor|failed|fails?|lack\w*|without|insufficient\w*|"
    r"inadequate\w*|decreas\w*|declin\w*|fewer|weak\w*|limited|low|ceased|stopped|hamper\w*|"
    r"hinder\w*|impeded|remained\s+(?:a\s+)?(?:concern|problem|serious)|unable|"
    r"only\s+(?:one|two|three|a\s+few|\d+)|denied|refused|reduced|closed)\b"
)
#: harm done to victims: penalized, arrested, detained, deported (a failing unless negated)
_PENALIZED = re.compile(
    r"\b(?:penaliz\w*|penalis\w*|arrest\w*|detain\w*|deport\w*|punish\w*|jail\w*|imprison\w*|"
    r"fined)\b")
_PROTECTS = re.compile(r"\b(?:not\s+(?:be\s+)?(?:penaliz|punish|arrest|detain|deport)\w*|"
                       r"(?:protect|shield|exempt)\w*\s+(?:\w+\s+){0,3}from)")
_SPLIT = re.compile(
    r",?\s+(?:but|however|although|though|while|whereas|yet|despite)\b,?\s*|,\s+and\s+(?=(?:the\s+)?"
    r"(?:government|authorities|officials|it|police)\b)", re.I)
_SIGNIFICANT_NOT = re.compile(r"\bnot\s+making\s+significant\s+efforts", re.I)
_SIGNIFICANT = re.compile(r"\bmaking\s+significant\s+efforts", re.I)
_NOT_INCREASING = re.compile(
    r"(?:did|does|has|have)\s+not\s+(?:\w+\s+){0,2}?(?:demonstrat|show|provide)\w*\s+(?:\w+\s+)"
    r"{0,2}?(?:evidence\s+of\s+)?(?:overall\s+)?increas(?:ing|ed)\s+efforts|"
    r"\black\s+of\s+(?:\w+\s+)?evidence\s+of\s+increas(?:ing|ed)\s+efforts|"
    r"\bnot\s+demonstrat\w*\s+(?:overall\s+)?increasing\s+efforts", re.I)
_INCREASING = re.compile(
    r"(?:demonstrat|show)\w*\s+(?:\w+\s+){0,2}?(?:overall\s+)?increasing\s+efforts", re.I)
#: clauses that only state the standard or the placement, not an effort
_BOILERPLATE = re.compile(r"minimum standards|tier\s+(?:1|2|3)|watch list|special case", re.I)


def _scope(n: Narrative) -> tuple[int, int]:
    for name in ("intro", "tier_rating"):
        if name in n.spans:
            return n.spans[name]
    return 0, len(n.text)


def polarity(topic: str, clause: str) -> str:
    """``effort`` or ``failing`` for one topic in one lower-cased clause."""
    if topic == "non_penalization":
        if _PROTECTS.search(clause) and not re.search(r"\bno\s+(?:\w+\s+){0,2}assurances?|"
                                                      r"\black\w*|\bfailed|\bdid\s+not\s+"
                                                      r"(?:ensure|protect|screen)", clause):
            return "effort"
        if _PENALIZED.search(clause) or _FAILING.search(clause):
            return "failing"
        return "effort"
    return "failing" if _FAILING.search(clause) else "effort"


def _parts(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out, pos = [], a
    for m in _SPLIT.finditer(text, a, b):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if b > pos:
        out.append((pos, b))
    return out


def extract(n: Narrative) -> list[Fact]:
    a, b = _scope(n)
    text = n.text
    out: list[Fact] = []
    seen: set[tuple[str, str]] = set()
    for sa, sb in sentences(text, a, b):
        for pa, pb in _parts(text, sa, sb):
            clause = text[pa:pb].lower()
            if _BOILERPLATE.search(clause) and "efforts" in clause and "increas" in clause:
                continue  # the overall finding, reported below
            for topic, (pillar, pattern) in TOPICS.items():
                m = pattern.search(clause)
                if not m:
                    continue
                pol = polarity(topic, clause)
                key = (topic, pol)
                if key in seen:
                    continue
                seen.add(key)
                value = {"pillar": pillar, "topic": topic, "polarity": pol}
                out.append(fact(n, KIND, value, pa, pb))
    overall = _overall(n, a, b)
    if overall is not None:
        out.append(overall)
    return out


def _overall(n: Narrative, a: int, b: int) -> Fact | None:
    text = n.text
    neg = _NOT_INCREASING.search(text, a, b)
    pos = None if neg else _INCREASING.search(text, a, b)
    sig_not = _SIGNIFICANT_NOT.search(text, a, b)
    sig = None if sig_not else _SIGNIFICANT.search(text, a, b)
    m = neg or pos or sig_not or sig
    if m is None:
        return None
    increasing = False if neg else (True if pos else None)
    significant = False if sig_not else (True if sig else None)
    failing = increasing is False or significant is False
    value = {"pillar": "overall", "topic": "overall", "polarity": "failing" if failing
             else "effort", "increasing": increasing, "significant": significant}
    return fact(n, KIND, value, m.start(), m.end())
