"""Shared pieces of the extractors: version, sentence spans, number words, fact builder."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from tipwatch.extract.engine import split_sentences
from tipwatch.model import Fact, Narrative

#: bump when any extractor's output can change; stored with every fact
EXTRACTOR_VERSION = "2.3.2"


def sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Spans of sentences (and semicolon clauses) in ``text[start:end]`` (see
    :func:`tipwatch.extract.engine.split_sentences`; the engine splits each narrative once)."""
    yield from split_sentences(text, start, end)


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
    digits = w.replace(",", "")
    if digits.isascii() and digits.isdigit() and _grouped(w):
        return int(digits)
    if w in _UNITS:
        return _UNITS[w]
    if w in _TENS:
        return _TENS[w]
    parts = w.replace("-", " ").split(" ")
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS:
        return _TENS[parts[0]] + _UNITS[parts[1]]
    return None


def parse_ordinal(word: str) -> int | None:
    w = word.strip().lower()
    if w[-2:] in ("st", "nd", "rd", "th") and w[:-2].isascii() and w[:-2].isdigit():
        return int(w[:-2])
    if w in ORDINALS:
        return ORDINALS[w]
    if w[:7] in ("twenty-", "twenty ") and w[7:] in ORDINALS:
        return 20 + ORDINALS[w[7:]]
    return None


def _grouped(w: str) -> bool:
    """ "1234" or "1,234" (commas every three digits), not "12,34"."""
    if "," not in w:
        return True
    head, *groups = w.split(",")
    return 1 <= len(head) <= 3 and all(len(g) == 3 for g in groups)


def fact(
    n: Narrative,
    kind: str,
    value: Any,
    start: int,
    end: int,
    direction: str | None = None,
    note: str | None = None,
    rule_id: str | None = None,
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
        rule_id=rule_id,
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
