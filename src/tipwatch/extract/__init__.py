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


def extract_all(narratives: Iterable[Narrative], jobs: int = 1) -> list[Fact]:
    """Every fact of every narrative, in narrative order.

    ``jobs`` > 1 spreads the narratives over that many processes (0: one per core); the
    result is the same list as with one process.
    """
    items = list(narratives)
    jobs = default_jobs() if jobs <= 0 else jobs
    if jobs == 1 or len(items) < 2 * _CHUNK:
        return [f for n in items for f in extract(n)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _warm()  # compile the patterns once, before the workers are forked
    chunks = [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=context) as pool:
        return [f for part in pool.map(_extract_chunk, chunks) for f in part]


_CHUNK = 64


def default_jobs() -> int:
    """One process per core this process may run on."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _extract_chunk(narratives: list[Narrative]) -> list[Fact]:
    return [f for n in narratives for f in extract(n)]


def _warm() -> None:
    from tipwatch.extract.engine import trigger_index
    from tipwatch.extract.lexicon import lexicon

    trigger_index()
    lexicon()
