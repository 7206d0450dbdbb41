"""The narrative's own reasons beside each tier change: effort facts with their quotes.

:func:`attach` adds to each row of :func:`tipwatch.store.reader.changes` the effort facts
(:mod:`tipwatch.extract.efforts`) of that year's narrative of the country, when it is in the
store: ``reasons`` (pillar, topic, polarity, quote when the text is at hand, locator),
``overall`` (efforts called increasing or not) and ``reasons_text`` (one line). A downgrade
lists the failings first, an upgrade the efforts first.
"""

from __future__ import annotations

import json
from typing import Any

QUOTE_MAX = 300


def _has_efforts(con: Any) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'main' "
        "AND table_name = 'facts' AND column_name = 'kind'").fetchone()[0])


class Texts:
    """Narrative texts of the store's documents: the user's corpus, and ``../shared`` when
    ``shared`` (the bundled 2018 and Factbook texts, read when that folder is present)."""

    def __init__(self, con: Any, shared: bool = False) -> None:
        from tipwatch.store.corpus_merge import built_state
        from tipwatch.store.facts_reader import _TextSource

        state = built_state(con)
        docs: set[str] = set()
        if state is not None:
            docs = {r[0] for r in con.execute(
                "SELECT id FROM sources WHERE kind = 'corpus'").fetchall()}
        self._src = _TextSource(state["path"] if state else None, docs)
        self._shared = shared

    def quote(self, doc_id: str, start: int, end: int, limit: int | None = QUOTE_MAX
              ) -> str | None:
        if not self._shared and doc_id not in self._src.local_docs:
            return None
        from tipwatch.errors import TipwatchError

        try:
            n = self._src.get(doc_id)
        except TipwatchError:  # the corpus is locked by an ingest, or gone: no quote
            n = None
        if n is None:
            return None
        text = " ".join(n.text[start:end].split())
        return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def effort_facts(con: Any, iso3: str, year: int, texts: Texts | None = None
                 ) -> list[dict[str, Any]]:
    """Effort facts of one country-year, in text order, with quotes where the text is at hand."""
    if not _has_efforts(con):
        return []
    rows = con.execute(
        "SELECT doc_id, value, section, start, \"end\" FROM facts WHERE kind = 'effort' "
        "AND iso3 = ? AND year = ? ORDER BY doc_id, start", [iso3, int(year)]).fetchall()
    out = []
    for doc_id, value, section, start, end in rows:
        v = json.loads(value) if isinstance(value, str) else dict(value)
        out.append({**v, "doc_id": doc_id, "section": section, "start": start, "end": end,
                    "quote": texts.quote(doc_id, start, end) if texts else None})
    return out


def summarize(facts: list[dict[str, Any]], direction: str | None = None) -> dict[str, Any]:
    """``reasons`` (ordered for the move), ``overall`` and a one-line ``reasons_text``."""
    overall = next((f for f in facts if f.get("topic") == "overall"), None)
    items = [f for f in facts if f.get("topic") != "overall"]
    first = "failing" if direction == "downgrade" else "effort"
    items.sort(key=lambda f: (f.get("polarity") != first, f.get("start") or 0))
    parts = []
    if overall is not None:
        inc = overall.get("increasing")
        sig = overall.get("significant")
        parts.append("efforts " + ("increasing" if inc else "not increasing" if inc is False
                                   else "—")
                     + ("" if sig is None else "; significant" if sig else "; not significant"))
    for pol in (first, "effort" if first == "failing" else "failing"):
        topics = [f"{f['pillar']}/{f['topic']}" for f in items if f.get("polarity") == pol]
        if topics:
            parts.append(f"{pol}: " + ", ".join(dict.fromkeys(topics)))
    return {"reasons": items, "overall": overall, "reasons_text": " · ".join(parts)}


def attach(con: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each change row with the reasons its narrative gives (empty when none is stored)."""
    texts = Texts(con) if rows else None
    for r in rows:
        facts = effort_facts(con, r["iso3"], int(r["year"]), texts)
        r.update(summarize(facts, r.get("direction")))
    return rows
