"""Prioritized recommendations: one fact per recommendation, in the report's order.

The recommendations section is one run of clauses separated by semicolons. Each clause is a
recommendation; its value is ``{index, topics}``: its position and the topics it addresses
(prosecution, victim identification, legislation, ...; see :data:`TOPICS`), never its words —
the quote is shown from the local corpus only. A trailing "and" before the last clause is part
of the separator.
"""

from __future__ import annotations

import re

from tipwatch.extract.base import fact
from tipwatch.model import Fact, Narrative

KIND = "recommendation"

#: topic -> pattern over the lower-cased recommendation (the first match of each topic counts).
TOPICS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "prosecution": r"\b(?:investigat|prosecut|convict|punish|sentenc|penalt)",
        "victim_identification": r"\b(?:identif|screen|referr?al|refer\b|referring)",
        "victim_protection": r"\b(?:shelter|protect|assist|care\b|services|compensat|restitution|"
        r"rehabilitat|reintegrat|repatriat)",
        "non_penalization": r"\b(?:penaliz|penalis|not\s+(?:\w+\s+){0,3}(?:detain|deport|"
        r"arrest|punish)|unlawful acts)",
        "legislation": r"\b(?:law\b|laws\b|legislat|amend|criminali[sz]|statut|legal framework|"
        r"regulation)",
        "training": r"\btrain",
        "complicity": r"\b(?:complicit|complicity|corrupt)",
        "labor_recruitment": r"\b(?:recruit|labor inspect|labour inspect|employer|sponsorship|"
        r"passport|contract|migrant workers?|work permit|fees?\b)",
        "prevention_awareness": r"\b(?:awareness|campaign|educat|prevent)",
        "coordination": r"\b(?:coordinat|action plan|task force|committee|partner|civil society|"
        r"ngos?\b|international organi)",
        "data_monitoring": r"\b(?:data\b|statistic|track|monitor|database)",
        "resources": r"\b(?:fund|resources|budget|allocate)",
        "children": r"\b(?:child|children|minors?\b|juvenile)",
        "forced_labor": r"\b(?:forced labou?r|labou?r trafficking|domestic work|bonded)",
        "sex_trafficking": r"\b(?:sex trafficking|commercial sex|prostitution|sexual exploitation)",
    }.items()
}


def topics_of(clause: str) -> list[str]:
    """The topics a recommendation addresses, in :data:`TOPICS` order."""
    low = clause.lower()
    return [name for name, pattern in TOPICS.items() if pattern.search(low)]


def extract(n: Narrative) -> list[Fact]:
    if "recommendations" not in n.spans:
        return []
    a, b = n.spans["recommendations"]
    text = n.text
    out: list[Fact] = []
    pos = a
    pieces: list[tuple[int, int]] = []
    depth = 0
    for i in range(a, b):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif (ch == ";" or ch == "\n") and depth == 0:
            pieces.append((pos, i))
            pos = i + 1
    pieces.append((pos, b))
    index = 0
    for s, e in pieces:
        while s < e and (text[s].isspace() or text[s] in "•-*·"):
            s += 1
        if text.startswith("and ", s) and index > 0:
            s += 4
        while e > s and (text[e - 1].isspace() or text[e - 1] in "."):
            e -= 1
        if e - s < 8:
            continue
        index += 1
        out.append(fact(n, KIND, {"index": index, "topics": topics_of(text[s:e])}, s, e))
    return out
