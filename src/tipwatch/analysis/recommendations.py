"""Recommendations across consecutive years: repeated, modified, new or dropped.

Each year's prioritized recommendations (the ``recommendation`` facts, whose text is read
from the narrative when it is at hand) are linked one-to-one to the previous year's by
:func:`similarity`, greedily from the most similar pair down, while the similarity is at least
:data:`LINK_THRESHOLD`. A linked pair with the same words is ``repeated``, otherwise
``modified``; an unlinked item of the year is ``new``, an unlinked item of the previous year
``dropped``. Following links back gives the year each recommendation first appeared; per
country the carry-over rate is the share of a year's items linked into the next report.
Measured linking quality: docs/extraction.md ("Recommendations across years").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

#: pairs at least this similar are the same recommendation (chosen on the dev seed, see docs)
LINK_THRESHOLD = 0.35

_STOP = frozenset([
    "a", "an", "and", "or", "the", "of", "to", "in", "on", "for", "with", "by", "from",
    "as", "at", "its", "their", "it", "is", "are", "be", "that", "this", "these", "those",
    "all", "any", "other", "such", "including", "include", "includes", "among", "into",
    "under", "over", "more", "than", "also", "both", "each", "which", "who", "whom",
    "whose", "while", "through", "throughout", "continue", "continued", "efforts", "effort",
    "ensure", "ensuring", "increase", "increased", "strengthen", "improve", "government",
])


def tokens(text: str) -> frozenset[str]:
    """Content words, lower-cased and cut to their first six letters (a crude stem)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return frozenset(w[:6] for w in words if w not in _STOP and len(w) > 2)


def similarity(a: str, b: str) -> float:
    """Dice overlap of content words, raised towards the containment of the shorter item
    (an item with a clause added or cut is still the same recommendation)."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    common = len(ta & tb)
    dice = 2 * common / (len(ta) + len(tb))
    contain = common / min(len(ta), len(tb))
    return round(0.6 * dice + 0.4 * contain, 4)


def _same(a: str, b: str) -> bool:
    norm = lambda s: " ".join(re.findall(r"[a-z0-9]+", s.lower()))  # noqa: E731
    return norm(a) == norm(b)


def link(previous: Sequence[str], current: Sequence[str],
         threshold: float = LINK_THRESHOLD) -> list[dict[str, Any]]:
    """One row per item of both lists: ``{index, previous_index, status, similarity}``
    (1-based indexes; ``dropped`` rows have ``index`` None)."""
    pairs = sorted(((similarity(p, c), i, j) for i, p in enumerate(previous)
                    for j, c in enumerate(current)), reverse=True)
    used_p: set[int] = set()
    used_c: dict[int, tuple[int, float]] = {}
    for sim, i, j in pairs:
        if sim < threshold:
            break
        if i in used_p or j in used_c:
            continue
        used_p.add(i)
        used_c[j] = (i, sim)
    out: list[dict[str, Any]] = []
    for j, text in enumerate(current):
        if j in used_c:
            i, sim = used_c[j]
            status = "repeated" if _same(previous[i], text) else "modified"
            out.append({"index": j + 1, "previous_index": i + 1, "status": status,
                        "similarity": sim})
        else:
            out.append({"index": j + 1, "previous_index": None, "status": "new",
                        "similarity": None})
    for i in range(len(previous)):
        if i not in used_p:
            out.append({"index": None, "previous_index": i + 1, "status": "dropped",
                        "similarity": None})
    return out


def track(by_year: dict[int, list[dict[str, Any]]]) -> dict[str, Any]:
    """Link every pair of consecutive years of one country.

    ``by_year``: year -> that year's items ``{index, text, topics, doc_id, start, end}`` in
    report order (``text`` may be None when the narrative is not at hand: such a year is not
    linked). Returns ``rows`` (one per item and per dropped item), ``pairs`` (per consecutive
    pair: items, carried over, rate) and the summary figures.
    """
    rows: list[dict[str, Any]] = []
    first: dict[tuple[int, int], int] = {}
    pairs: list[dict[str, Any]] = []
    years = sorted(by_year)
    for y in years:
        items = by_year[y]
        prev = by_year.get(y - 1)
        linkable = prev is not None and all(x.get("text") for x in prev + items)
        links = link([x["text"] for x in prev], [x["text"] for x in items]) if linkable \
            else [{"index": x["index"], "previous_index": None, "status": "first year" if
                   prev is None else "not linked (text not at hand)", "similarity": None}
                  for x in items]
        by_index = {x["index"]: x for x in items}
        for k, r in enumerate(links):
            item = by_index.get(r["index"]) if r["index"] is not None else None
            if r["status"] == "dropped":
                p = prev[r["previous_index"] - 1]
                rows.append({"year": y, "index": None, "previous_year": y - 1,
                             "previous_index": p["index"], "status": "dropped",
                             "similarity": None, "first_year": first.get((y - 1, p["index"])),
                             "topics": p.get("topics"), "text": p.get("text"),
                             "doc_id": p.get("doc_id")})
                continue
            item = item or items[k]
            if r["previous_index"] is not None:
                p = prev[r["previous_index"] - 1]
                fy = first.get((y - 1, p["index"]), y - 1)
            else:
                fy = y
            first[(y, item["index"])] = fy
            rows.append({"year": y, "index": item["index"], "previous_year": y - 1 if
                         r["previous_index"] is not None else None,
                         "previous_index": prev[r["previous_index"] - 1]["index"]
                         if r["previous_index"] is not None else None,
                         "status": r["status"], "similarity": r["similarity"],
                         "first_year": fy, "topics": item.get("topics"),
                         "text": item.get("text"), "doc_id": item.get("doc_id")})
        if linkable:
            carried = sum(1 for r in links if r["status"] in ("repeated", "modified"))
            pairs.append({"previous_year": y - 1, "year": y, "previous_items": len(prev),
                          "items": len(items), "carried_over": carried,
                          "carry_over_rate": round(carried / len(prev), 3) if prev else None})
    latest = [r for r in rows if years and r["year"] == years[-1] and r["index"] is not None]
    still = [r for r in latest if r["status"] in ("repeated", "modified")]
    oldest = min(still, key=lambda r: (r["first_year"], r["index"])) if still else None
    total_prev = sum(p["previous_items"] for p in pairs)
    return {
        "years": years,
        "rows": rows,
        "pairs": pairs,
        "carry_over_rate": round(sum(p["carried_over"] for p in pairs) / total_prev, 3)
        if total_prev else None,
        "oldest_still_repeated": oldest,
    }


def score_links(truth: Sequence[tuple[str, int, int]], found: Sequence[tuple[str, int, int]]
                ) -> dict[str, float]:
    """Precision, recall and F1 of links ``(pair id, index, previous index)``."""
    t, f = set(truth), set(found)
    tp = len(t & f)
    p = tp / len(f) if f else 1.0
    r = tp / len(t) if t else 1.0
    return {"precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "links": len(t)}


def for_country(con: Any, iso3: str) -> dict[str, Any]:
    """Every year's recommendations of one country from the store, tracked across years."""
    import json

    from tipwatch.analysis.reasons import Texts

    rows = con.execute(
        "SELECT year, doc_id, value, start, \"end\", source FROM facts WHERE iso3 = ? AND "
        "kind = 'recommendation' ORDER BY year, doc_id, start", [iso3]).fetchall()
    docs: dict[int, str] = {}
    for year, doc_id, _v, _s, _e, source in rows:  # one document per year: not the Factbook
        if year not in docs or (docs[year].startswith("factbook:") and source != "factbook"):
            docs[year] = doc_id
    texts = Texts(con, shared=True)
    by_year: dict[int, list[dict[str, Any]]] = {}
    for year, doc_id, value, start, end, _src in rows:
        if docs[year] != doc_id:
            continue
        v = json.loads(value) if isinstance(value, str) else dict(value)
        by_year.setdefault(int(year), []).append({
            "index": int(v.get("index") or len(by_year.get(int(year), [])) + 1),
            "topics": v.get("topics") or [], "doc_id": doc_id, "start": start, "end": end,
            "text": texts.quote(doc_id, start, end, limit=None)})
    out = track(by_year)
    out["iso3"] = iso3
    return out
