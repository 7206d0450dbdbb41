"""Quality of the effort facts against the labelled development set (tests/devset_efforts).

:func:`score` extracts the intro of each labelled 2018 narrative (or the tier rating of a
labelled Factbook text) with
:mod:`tipwatch.extract.efforts` and with a baseline (the same topic words, polarity "failing"
whenever the sentence holds "not" or "no"), and reports precision, recall and F1 per pillar.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

PILLARS = ("prosecution", "protection", "prevention")


def load_labels(path: Path) -> list[dict[str, Any]]:
    import yaml

    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def items_of(facts: list[Any]) -> set[str]:
    out = set()
    for f in facts:
        v = f.value
        if v.get("topic") != "overall":
            out.add(f"{v['pillar']}/{v['topic']}/{v['polarity']}")
    return out


def baseline(n: Any) -> set[str]:
    """The same topic words; polarity from "not"/"no" anywhere in the sentence."""
    from tipwatch.extract import efforts
    from tipwatch.extract.base import sentences

    a, b = efforts._scope(n)
    out = set()
    for sa, sb in sentences(n.text, a, b):
        s = n.text[sa:sb].lower()
        pol = "failing" if re.search(r"\b(?:not|no)\b", s) else "effort"
        for topic, (pillar, pattern) in efforts.TOPICS.items():
            if pattern.search(s):
                out.add(f"{pillar}/{topic}/{pol}")
    return out


def intro_sha256(n: Any) -> str:
    """The SHA-256 of a narrative's intro as the effort rules read it (whitespace collapsed)."""
    from tipwatch.extract import efforts

    a, b = efforts._scope(n)
    return hashlib.sha256(" ".join(n.text[a:b].split()).encode("utf-8")).hexdigest()


def load_texts(folder: Path, labels: list[dict[str, Any]]) -> dict[str, Any]:
    """Narratives of labelled ``web:<year>:<ISO3>`` entries from ``<ISO3>_<year>.txt`` files.

    The texts of such batches are report pages a user fetches (the repository holds no report
    text); each file is read by the project's text reader (``load_path(..., "txt")``) and must
    hold the intro whose SHA-256 the label records, so that a score is always of the text that
    was labelled. Raises :class:`MalformedInputError` naming the file otherwise.
    """
    from tipwatch.errors import MalformedInputError
    from tipwatch.ingest import load_path

    out: dict[str, Any] = {}
    for e in labels:
        kind, year, iso3 = e["doc_id"].split(":")
        if kind != "web":
            continue
        path = Path(folder) / f"{iso3}_{year}.txt"
        if not path.is_file():
            raise MalformedInputError(f"{path}: missing (the text of {e['doc_id']})")
        found = [n for n in load_path(path, "txt", year=int(year)) if n.country == iso3]
        if len(found) != 1:
            raise MalformedInputError(f"{path}: no single narrative of {iso3} {year} in it")
        n = found[0]
        want = e.get("sha256")
        if want and intro_sha256(n) != want:
            raise MalformedInputError(f"{path}: intro differs from the labelled text "
                                      f"(sha256 {intro_sha256(n)[:12]}, label {want[:12]})")
        out[e["doc_id"]] = n
    return out


def score(labels: list[dict[str, Any]], batch: str,
          system: Callable[[Any], set[str]] | None = None,
          narratives: dict[str, Any] | None = None) -> dict[str, Any]:
    """Per-pillar precision/recall/F1 and overall-finding accuracy on one batch.

    ``narratives`` adds documents that are not bundled (e.g. :func:`load_texts`).
    """
    from tipwatch.extract import efforts
    from tipwatch.ingest import load_factbook, load_tip2018

    docs = [e for e in labels if e["batch"] == batch]
    extra = narratives or {}
    narratives = dict(extra)
    if any(e["doc_id"].startswith("tip2018:") for e in docs):
        narratives.update((n.doc_id, n) for n in load_tip2018())
    if any(e["doc_id"].startswith("factbook:") for e in docs):
        narratives.update((n.doc_id, n) for n in load_factbook())
    system = system or (lambda n: items_of(efforts.extract(n)))
    tp = dict.fromkeys(PILLARS, 0)
    fp = dict.fromkeys(PILLARS, 0)
    fn = dict.fromkeys(PILLARS, 0)
    errors: list[tuple[str, str, str]] = []
    overall_ok = overall_n = 0
    for e in docs:
        n = narratives[e["doc_id"]]
        gold = set(e["efforts"])
        got = system(n)
        for item in got | gold:
            pillar = item.split("/")[0]
            if item in got and item in gold:
                tp[pillar] += 1
            elif item in got:
                fp[pillar] += 1
                errors.append((e["doc_id"], "false positive", item))
            else:
                fn[pillar] += 1
                errors.append((e["doc_id"], "missed", item))
        over = next((f.value for f in efforts.extract(n) if f.value.get("topic") == "overall"),
                    {})
        overall_n += 1
        overall_ok += over.get("increasing") == e["overall"]["increasing"]
    per = {}
    for p in PILLARS:
        prec = tp[p] / (tp[p] + fp[p]) if tp[p] + fp[p] else 1.0
        rec = tp[p] / (tp[p] + fn[p]) if tp[p] + fn[p] else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[p] = {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3),
                  "labelled": tp[p] + fn[p], "found": tp[p] + fp[p]}
    return {"batch": batch, "narratives": len(docs), "pillars": per,
            "overall_accuracy": round(overall_ok / overall_n, 3) if overall_n else None,
            "errors": errors}
