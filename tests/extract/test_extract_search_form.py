"""Patterns compiled in search form (a leading word boundary moved behind its literal) match
exactly what the patterns as written match, on the real narratives."""

from __future__ import annotations

import re

from tipwatch.extract.engine import lowered
from tipwatch.extract.patterns import pattern_kinds, patterns, search_form
from tipwatch.ingest import load_factbook, load_tip2018


def _found(rx: re.Pattern[str], text: str) -> list:
    return [(m.span(), m.groups()) for m in rx.finditer(text)]


def test_search_form_moves_the_boundary_and_keeps_the_matches() -> None:
    src = r"\bforced\s+labou?r|\bfor(?:ced)?\s+work"
    fast = search_form(src)
    assert fast.startswith("forced(?<!\\w{7})")
    cases = ["forced labor", "unforced labour", "x forced labor", "enforced work", "for work"]
    for text in cases:
        assert _found(re.compile(fast), text) == _found(re.compile(src), text), text
    # a search from an inner offset still sees the character before it
    assert re.compile(fast).search("unforced labor", 2) is None
    # many first letters: left as written
    many = r"\bone|\btwo|\bsix"
    assert search_form(many) == many


def test_every_rewritten_rule_matches_as_written_on_real_narratives() -> None:
    narratives = [*load_tip2018()[::12], *load_factbook()[::12]]
    lows = [lowered(n.text) for n in narratives]
    texts = [n.text for n in narratives]
    rewritten = 0
    for kind in pattern_kinds():
        for rule in patterns(kind):
            written = re.compile(rule.source, rule.flags)
            if written.pattern == rule.regex.pattern:
                continue
            rewritten += 1
            for text in lows if rule.lower else texts:
                assert _found(rule.regex, text) == _found(written, text), rule.id
                for pos in range(0, len(text), 211):
                    a, b = rule.regex.match(text, pos), written.match(text, pos)
                    assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))
    assert rewritten >= 30
