"""Law-enforcement figures of several bodies with no total (one per body, all listed).

Some narratives give a measure once per agency or level of government ("The State
Prosecutor's Office (SPO) investigated three suspects … Federation authorities investigated
seven suspects … RS authorities investigated one suspect") and state no total. Then each body's
first figure is a fact with the note ``agency``; no total is invented. A body is the subject of
the figure's sentence, or of its clause after "and": a name in capitals followed by
authorities, prosecutors, courts, police, officials or judges ("Federation courts"), or an
agency named with its acronym ("The State Prosecutor's Office (SPO)"). The headline's own
sentence must name a body; a later figure whose subject is not a named body (e.g. "The
government"), or that states a total, stops the search.
"""

from __future__ import annotations

import re

from tipwatch.extract.engine import Doc
from tipwatch.extract.patterns import patterns

_P = patterns("le_count")
_BODY = _P["le_count.body"]
_AND = _P["le_count.and_clause"]
_TOTAL = _P["le_count.total"]


def body(text: str, sa: int, at: int) -> str | None:
    """The named body that is the subject of the figure at ``at`` (sentence from ``sa``)."""
    who = None
    starts = [sa] + [m.end() for m in _AND.finditer(text, sa, at)]
    for pos in starts:
        m = _BODY.match(text, pos, at + 1)
        if m is not None and m.end() <= at:
            who = (m.group("acr") or m.group("who")).lower()
    return who


def other_bodies(
    doc: Doc, sa: int, first: re.Match[str], hits: list[re.Match[str]]
) -> list[tuple[re.Match[str], int, int]]:
    """The first later figure of each other named body, when the headline names its body."""
    text = doc.text
    head = body(text, sa, first.start())
    if head is None:
        return []
    seen = {head}
    out: list[tuple[re.Match[str], int, int]] = []
    for m in hits:
        if m.start() <= first.start():
            continue
        ma, mb = doc.around(m.start())
        if _TOTAL.search(doc.low, ma, m.end()):
            break
        who = body(text, ma, m.start())
        if who is None:
            if ma > sa:
                break  # a figure of the government as a whole: maybe a total
            continue
        if who in seen:
            continue
        seen.add(who)
        out.append((m, ma, mb))
    return out
