"""Prioritized recommendations: one fact per recommendation, in the report's order.

The recommendations section is one run of clauses separated by semicolons. Each clause is a
recommendation; its value is ``{index, label}`` where the label is the first words of the
clause, lower-cased (a locator and a short name, not the text: the quote is shown from the
local corpus only). A trailing "and" before the last clause is part of the separator.
"""

from __future__ import annotations

import re

from tipwatch.extract.base import fact
from tipwatch.model import Fact, Narrative

KIND = "recommendation"
_SPLIT = re.compile(r";\s*(?:and\s+)?|\n+")
_LABEL_WORDS = 6


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
        words = re.findall(r"[\w'’-]+", text[s:e])[:_LABEL_WORDS]
        label = " ".join(words).lower()
        out.append(fact(n, KIND, {"index": index, "label": label}, s, e))
    return out
