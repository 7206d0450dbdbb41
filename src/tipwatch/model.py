"""Typed values shared by ingestion and extraction: a narrative and a fact.

Offsets convention: every ``start``/``end`` (a fact's span, a section's span) indexes into
``Narrative.text``, the full text of the document. ``Narrative.sections[name]`` is always equal
to ``text[spans[name][0]:spans[name][1]]``, so a fact's quote is ``narrative.text[start:end]``
and the section it lies in is named by ``Fact.section``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

#: canonical section names, in report order
SECTION_ORDER: tuple[str, ...] = (
    "intro",
    "tier",
    "tier_rating",
    "recommendations",
    "prosecution",
    "protection",
    "prevention",
    "government_efforts",
    "profile",
)


@dataclass(frozen=True)
class Narrative:
    """One country narrative of one report year (or one Factbook text)."""

    doc_id: str
    country: str  # ISO3 of the narrative's country
    year: int  # TIP report year
    source: str  # tip2018, factbook, html, pdf, txt
    text: str
    spans: dict[str, tuple[int, int]]
    name: str = ""  # the country's name as written in the source
    origin: str = ""  # file and locator the text was read from
    meta: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def sections(self) -> dict[str, str]:
        """Section name -> section text (a slice of :attr:`text`)."""
        return {k: self.text[a:b] for k, (a, b) in self.spans.items()}

    def section_at(self, offset: int) -> str:
        """The section containing ``offset`` ("" when it falls between sections)."""
        for name, (a, b) in self.spans.items():
            if a <= offset < b:
                return name
        return ""


@dataclass(frozen=True)
class Fact:
    """One typed fact with its locator in the narrative it came from."""

    doc_id: str
    country: str  # the narrative's country name
    iso3: str  # the narrative's country ISO3
    year: int
    kind: str
    value: Any  # str, or a JSON-able dict
    section: str
    start: int  # offset in Narrative.text
    end: int
    extractor_version: str
    direction: str | None = None  # cited_country only: from / to / via
    note: str | None = None
    rule_id: str | None = None  # the pattern rule that made the fact (data/patterns/*.yaml)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def value_text(self) -> str:
        """The value as one string (JSON for dicts)."""
        if isinstance(self.value, str):
            return self.value
        return json.dumps(self.value, sort_keys=True, ensure_ascii=False)
