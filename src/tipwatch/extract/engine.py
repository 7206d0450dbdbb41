"""The extraction engine: one reading of a narrative shared by every fact kind.

:class:`Doc` holds what every extractor needs, each computed once per narrative: the
lower-cased text, the sentences of each section (split once), the positions of every trigger
term of every rule (one pass of one compiled trie over the text, for all kinds at once) and the
country mentions of the lexicon (one pass). A rule is evaluated only where one of its triggers
occurs: anchored rules are matched at the trigger positions, the others searched in the
sentences that hold a trigger.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache

from tipwatch.extract.patterns import Rule, compile_pattern, pattern_kinds, patterns
from tipwatch.extract.trie import trie_regex
from tipwatch.model import Narrative

#: a running page header glued into the text ("seven 438UNITED ARAB EMIRATEStraffickers")
_HEADER = compile_pattern(r"\b\d{2,3}[A-Z][A-Z ,.'’()\-]{2,}?(?=[a-z])")
_ABBREV = compile_pattern(
    r"(?:\b(?:St|Sts|Mr|Mrs|Ms|Dr|No|Nos|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    r"approx|Gov|Gen|Lt|Col|Inc|Ltd|Co|vs|etc|i\.e|e\.g|U\.S|U\.K|U\.N|a\.m|p\.m)\.|\b[A-Z]\.)$"
)
_END = compile_pattern(
    r"[.!?](?:[\"”’)\]]*)(?=\s+[\"“(]?[A-Z0-9]|\s*$)|[.!?](?=[A-Z][a-z])|;(?=\s)|\n\s*\n"
)


def lowered(text: str) -> str:
    """``text.lower()`` when it keeps every offset (it does for all but a few letters).

    The PDF parse of the 2018 report turned dashes into "Š" ("victimsŠ66 adult") and glued
    running page headers into sentences; both are read as spaces so that word boundaries work.
    Offsets are unchanged.
    """
    low = _HEADER.sub(lambda m: " " * len(m.group(0)), text).lower().replace("š", " ")
    if len(low) != len(text):  # a letter whose lower case is longer ("İ"): keep it as it is
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text).replace("š", " ")
    return low


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of sentences (and semicolon clauses) in ``text[start:end]``.

    Factbook texts and TIP narratives both chain clauses with semicolons; a clause is as good a
    unit as a sentence for every extractor here.
    """
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    pos = start
    for m in _END.finditer(text, start, end):
        stop = m.end()
        if text[m.start()] == "." and _ABBREV.search(text, max(pos, m.start() - 8), m.start() + 1):
            continue
        a, b = _strip(text, pos, stop)
        if b > a:
            out.append((a, b))
        pos = stop
    a, b = _strip(text, pos, end)
    if b > a:
        out.append((a, b))
    return out


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


class TriggerIndex:
    """Every trigger term of every rule as one compiled trie (word starts, longest first)."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        terms = sorted({t for r in rules if r.indexed and r.triggers for t in r.triggers})
        self.terms = terms
        self.regex = compile_pattern(r"(?<![a-z0-9])(?:" + trie_regex(terms) + ")")
        # a matched term also fires every shorter trigger it begins with ("sexual" -> "sex")
        self.fires = {t: tuple(u for u in terms if t.startswith(u)) for t in terms}

    def scan(self, low: str) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        fires = self.fires
        for m in self.regex.finditer(low):
            pos = m.start()
            for t in fires[m.group(0)]:
                out.setdefault(t, []).append(pos)
        return out


@lru_cache(maxsize=1)
def trigger_index() -> TriggerIndex:
    return TriggerIndex(r for kind in pattern_kinds() for r in patterns(kind))


class Doc:
    """One narrative as the engine reads it (every piece computed once, on first use)."""

    def __init__(self, n: Narrative) -> None:
        self.n = n
        self.text = n.text

    @cached_property
    def low(self) -> str:
        return lowered(self.text)

    @cached_property
    def section_sentences(self) -> dict[str, list[tuple[int, int]]]:
        """Sentences per section, split once (the whole text when there are no sections)."""
        spans = self.n.spans or {"": (0, len(self.text))}
        return {k: split_sentences(self.text, a, b) for k, (a, b) in spans.items()}

    @cached_property
    def _all_sentences(self) -> list[tuple[int, int]]:
        return sorted(s for spans in self.section_sentences.values() for s in spans)

    @cached_property
    def _starts(self) -> list[int]:
        return [a for a, _ in self._all_sentences]

    def sentences(self, a: int, b: int) -> list[tuple[int, int]]:
        """Sentences of ``text[a:b]`` when it is a section span (else split now)."""
        for name, span in (self.n.spans or {"": (0, len(self.text))}).items():
            if span == (a, b):
                return self.section_sentences[name]
        return split_sentences(self.text, a, b)

    def around(self, offset: int) -> tuple[int, int]:
        """The sentence that contains (or last began before) ``offset``."""
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return (offset, offset)
        return self._all_sentences[i]

    @cached_property
    def hits(self) -> dict[str, list[int]]:
        """Trigger term -> its positions in the lower-cased text (sorted)."""
        return trigger_index().scan(self.low)

    def _rule_positions(self, rule: Rule) -> list[int]:
        """All positions of the rule's triggers, sorted (merged once per narrative)."""
        cache = self._positions
        found = cache.get(rule.id)
        if found is None:
            hits = self.hits
            lists = [hits[t] for t in rule.triggers or () if t in hits]
            found = lists[0] if len(lists) == 1 else sorted(set().union(*lists))
            cache[rule.id] = found
        return found

    @cached_property
    def _positions(self) -> dict[str, list[int]]:
        return {}

    def positions(self, rule: Rule, a: int = 0, b: int | None = None) -> list[int]:
        """Positions of the rule's triggers in ``[a, b)``, sorted."""
        pos = self._rule_positions(rule)
        b = len(self.text) if b is None else b
        return pos[bisect_left(pos, a) : bisect_left(pos, b)]

    def occurs(self, rule: Rule, a: int = 0, b: int | None = None) -> bool:
        if rule.triggers is None:
            return True
        pos = self._rule_positions(rule)
        i = bisect_left(pos, a)
        return i < len(pos) and pos[i] < (len(self.text) if b is None else b)

    def matches(self, rule: Rule, a: int, b: int) -> Iterator[re.Match[str]]:
        """Matches of ``rule`` in ``[a, b)``, in text order, evaluated only at its triggers."""
        target = self.low if rule.lower else self.text
        regex = rule.regex
        if rule.triggers is None:
            yield from regex.finditer(target, a, b)
            return
        if rule.anchored:
            last = -1
            for p in self.positions(rule, a, b):
                if p < last:
                    continue
                m = regex.match(target, p, b)
                if m is not None:
                    last = m.end() if m.end() > p else p + 1
                    yield m
            return
        pos = self.positions(rule, a, b)
        i, n = 0, len(pos)
        while i < n:
            p = pos[i]
            sa, sb = self.around(p)
            sa, sb = max(sa, a), min(max(sb, p + 1), b)
            yield from regex.finditer(target, sa, sb)
            i = bisect_left(pos, sb, i + 1)  # the next trigger past this sentence

    def search(self, rule: Rule, a: int, b: int) -> re.Match[str] | None:
        """The first match of ``rule`` in ``[a, b)`` (None at once when no trigger occurs)."""
        if rule.triggers is not None and not rule.indexed:
            return rule.regex.search(self.low if rule.lower else self.text, a, b)
        return next(self.matches(rule, a, b), None)

    def sentences_with(self, rules: Iterable[Rule], a: int, b: int) -> list[tuple[int, int]]:
        """The sentences of ``[a, b)`` in which a trigger of one of ``rules`` occurs."""
        found: set[tuple[int, int]] = set()
        starts, spans = self._starts, self._all_sentences
        for rule in rules:
            if rule.triggers is None:
                return self.sentences(a, b)
            pos = self.positions(rule, a, b)
            i, n = 0, len(pos)
            while i < n:
                k = bisect_right(starts, pos[i]) - 1
                if k < 0:
                    found.add((pos[i], pos[i]))
                    i += 1
                    continue
                found.add(spans[k])
                if k + 1 >= len(starts):
                    break
                i = bisect_left(pos, starts[k + 1], i + 1)  # the triggers of later sentences
        return sorted(found)

    @cached_property
    def mentions(self) -> list:
        """Every lexicon mention in the text (one pass), with absolute offsets."""
        from tipwatch.extract.lexicon import lexicon

        return list(lexicon().find(self.text))

    @cached_property
    def _mention_starts(self) -> list[int]:
        return [m.start for m in self.mentions]

    def mentions_in(self, a: int, b: int) -> list:
        i = bisect_left(self._mention_starts, a)
        j = bisect_left(self._mention_starts, b)
        return [m for m in self.mentions[i:j] if m.end <= b]

    @cached_property
    def _own(self) -> list:
        own = self.n.country
        return [m for m in self.mentions if m.iso3 == own]

    def own_mentions(self, a: int, b: int) -> list:
        """The lexicon's mentions of the narrative's own country in ``[a, b)``."""
        return [m for m in self._own if a <= m.start and m.end <= b]

    def own_name_at(self, offset: int):  # noqa: ANN201 - a lexicon Mention or None
        """A mention of the own country's name or alias that begins at ``offset``."""
        for m in self._own:
            if m.start == offset and m.kind in ("name", "alias"):
                return m
        return None
