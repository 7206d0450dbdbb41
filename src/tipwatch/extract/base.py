"""Shared pieces of the extractors: version, sentence spans, number words, fact builder."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from tipwatch.model import Fact, Narrative

#: bump when any extractor's output can change; stored with every fact
EXTRACTOR_VERSION = "1.3.0"

_ABBREV = re.compile(
    r"(?:\b(?:St|Sts|Mr|Mrs|Ms|Dr|No|Nos|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    r"approx|Gov|Gen|Lt|Col|Inc|Ltd|Co|vs|etc|i\.e|e\.g|U\.S|U\.K|U\.N|a\.m|p\.m)\.|\b[A-Z]\.)$"
)
_END = re.compile(
    r"[.!?](?:[\"”’)\]]*)(?=\s+[\"“(]?[A-Z0-9]|\s*$)|[.!?](?=[A-Z][a-z])|;(?=\s)|\n\s*\n"
)


def sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Spans of sentences (and semicolon clauses) in ``text[start:end]``.

    Factbook texts and TIP narratives both chain clauses with semicolons; a clause is as good a
    unit as a sentence for every extractor here.
    """
    end = len(text) if end is None else end
    pos = start
    for m in _END.finditer(text, start, end):
        stop = m.end()
        if text[m.start()] == "." and _ABBREV.search(text, max(pos, m.start() - 8), m.start() + 1):
            continue
        a, b = _strip(text, pos, stop)
        if b > a:
            yield a, b
        pos = stop
    a, b = _strip(text, pos, end)
    if b > a:
        yield a, b


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


_UNITS = {
    "zero": 0,
    "no": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
NUMBER_WORDS = sorted(list(_UNITS) + list(_TENS), key=len, reverse=True)
NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+|(?:"
    + "|".join(_TENS)
    + r")(?:[- ](?:"
    + "|".join(k for k in _UNITS if _UNITS[k] < 10 and _UNITS[k] > 0 and k not in ("a", "an"))
    + r"))?|"
    + "|".join(k for k in _UNITS if k not in ("a", "an", "no"))
    + r")"
)

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
}


def parse_number(word: str) -> int | None:
    """ "1,234" -> 1234, "twenty-one" -> 21, "five" -> 5."""
    w = word.strip().lower()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", w):
        return int(w.replace(",", ""))
    if w in _UNITS:
        return _UNITS[w]
    if w in _TENS:
        return _TENS[w]
    parts = re.split(r"[- ]", w)
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS:
        return _TENS[parts[0]] + _UNITS[parts[1]]
    return None


def parse_ordinal(word: str) -> int | None:
    w = word.strip().lower()
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", w)
    if m:
        return int(m.group(1))
    if w in ORDINALS:
        return ORDINALS[w]
    m = re.fullmatch(r"twenty[- ](\w+)", w)
    if m and m.group(1) in ORDINALS:
        return 20 + ORDINALS[m.group(1)]
    return None


def fact(
    n: Narrative,
    kind: str,
    value: Any,
    start: int,
    end: int,
    direction: str | None = None,
    note: str | None = None,
) -> Fact:
    """A fact of narrative ``n`` located at ``n.text[start:end]``."""
    return Fact(
        doc_id=n.doc_id,
        country=display_name(n.country),
        iso3=n.country,
        year=n.year,
        kind=kind,
        value=value,
        section=n.section_at(start),
        start=start,
        end=end,
        extractor_version=EXTRACTOR_VERSION,
        direction=direction,
        note=note,
    )


@lru_cache(maxsize=512)
def display_name(iso3: str) -> str:
    """The country's short name from the lexicon (stable, so the bundled facts do not change
    when the country table is edited; the store shows the country table's name)."""
    from tipwatch.extract.lexicon import lexicon

    return lexicon().names.get(iso3, iso3)


def section_spans(n: Narrative, exclude: tuple[str, ...] = ()) -> list[tuple[str, int, int]]:
    """(section, start, end) of the narrative's sections, in text order."""
    return [(k, a, b) for k, (a, b) in n.spans.items() if k not in exclude]
