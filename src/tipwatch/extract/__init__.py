"""Narratives -> typed facts, one module per fact kind; every fact carries its locator.

:func:`extract` runs every extractor over one narrative. Extractors are pure functions of the
narrative; offsets index into ``Narrative.text`` (see :mod:`tipwatch.model`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tipwatch.extract import cited, forms, lawenf, recommendations, roles, state, tier, victims
from tipwatch.extract.base import EXTRACTOR_VERSION
from tipwatch.extract.engine import Doc
from tipwatch.model import Fact, Narrative

#: kind -> extractor (each reads the narrative through the engine's shared :class:`Doc`)
EXTRACTORS: dict[str, Callable[[Narrative, Doc], list[Fact]]] = {
    tier.KIND: tier.extract,
    roles.KIND: roles.extract,
    victims.KIND: victims.extract,
    forms.KIND: forms.extract,
    cited.KIND: cited.extract,
    lawenf.KIND: lawenf.extract,
    state.KIND: state.extract,
    recommendations.KIND: recommendations.extract,
}
KINDS: tuple[str, ...] = tuple(EXTRACTORS)

__all__ = ["EXTRACTORS", "EXTRACTOR_VERSION", "KINDS", "extract", "extract_all"]


def extract(narrative: Narrative, kinds: Iterable[str] | None = None) -> list[Fact]:
    """Every fact of ``narrative`` (or only the given kinds), in kind order then text order."""
    wanted = KINDS if kinds is None else tuple(kinds)
    doc = Doc(narrative)
    out: list[Fact] = []
    for kind in wanted:
        out.extend(EXTRACTORS[kind](narrative, doc))
    return out


def extract_all(narratives: Iterable[Narrative]) -> list[Fact]:
    out: list[Fact] = []
    for n in narratives:
        out.extend(extract(n))
    return out
