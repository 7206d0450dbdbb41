"""Prioritized recommendations: one fact per recommendation, in the report's order.

The recommendations section is one run of clauses separated by semicolons. Each clause is a
recommendation; its value is ``{index, topics}``: its position and the topics it addresses
(prosecution, victim identification, legislation, ...; see :data:`TOPICS`), never its words —
the quote is shown from the local corpus only. A trailing "and" before the last clause is part
of the separator.
"""

from __future__ import annotations

from tipwatch.extract.base import fact
from tipwatch.extract.engine import Doc
from tipwatch.extract.patterns import Rule, patterns
from tipwatch.model import Fact, Narrative

KIND = "recommendation"

#: topic -> its rule (matched against the lower-cased recommendation; the first match counts)
TOPICS: dict[str, Rule] = {r.value or "": r for r in patterns(KIND).with_value()}


def topics_of(clause: str) -> list[str]:
    """The topics a recommendation addresses, in :data:`TOPICS` order."""
    low = clause.lower()
    return [name for name, rule in TOPICS.items() if rule.regex.search(low)]


def extract(n: Narrative, doc: Doc | None = None) -> list[Fact]:
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
        value = {"index": index, "topics": topics_of(text[s:e])}
        out.append(fact(n, KIND, value, s, e, rule_id="recommendation.clause"))
    return out
