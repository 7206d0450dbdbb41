"""The user's corpus in the store: every ingested year beside the bundled facts and panel.

Two store build steps (see :data:`tipwatch.store.BUILD_STEPS`):

* :func:`merge_placements` (after the panel, before the audit): the tier line of each ingested
  narrative is a placement read from that document; it fills a gap, joins an agreeing row's
  sources or is listed as a conflict (``corpus_placements``, ``conflicts``); transition phrases
  constrain the previous report (:mod:`tipwatch.store.panel_learn`). ``years`` is recounted.
* :func:`merge_facts` (after the bundled facts): the corpus documents' facts replace bundled
  facts of the same document, effort facts are read from their texts
  (:mod:`tipwatch.extract.efforts`), and ``flows`` / ``cited_by`` are derived again.

``corpus_info`` records which corpus state the store was built from (path, sha256, size,
mtime, documents); ``corpus_skipped`` lists documents left out because their country or year
cannot be resolved. A file that is not a readable corpus fails the build with one line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tipwatch.errors import MalformedInputError
from tipwatch.store.frames import insert_frame

#: the corpus file of the build in progress (None: the default resolution, False: no corpus)
CORPUS: ContextVar[str | os.PathLike[str] | bool | None] = ContextVar(
    "tipwatch_build_corpus", default=None
)

FIRST_YEAR, LAST_YEAR = 2001, 2100


@dataclass
class CorpusDoc:
    doc_id: str
    iso3: str
    year: int
    source: str
    origin: str
    meta: dict[str, Any]
    text: str
    spans: dict[str, tuple[int, int]]

    @property
    def evidence(self) -> str:
        """The document's URL when it was fetched, else the file it was read from."""
        for key in ("url", "source_url"):
            if self.meta.get(key):
                return str(self.meta[key])
        return self.origin


@dataclass
class Corpus:
    path: Path
    state: dict[str, Any]
    docs: list[CorpusDoc] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)


def corpus_file() -> Path | None:
    """The corpus of this build: ``--corpus`` > ``$TIPWATCH_CORPUS`` > ``var/corpus.duckdb``."""
    from tipwatch.store.corpus import corpus_path

    chosen = CORPUS.get()
    if chosen is False:
        return None
    explicit = chosen not in (None, True)
    path = corpus_path(chosen if explicit else None)  # type: ignore[arg-type]
    if explicit and not path.exists():
        raise MalformedInputError(f"--corpus {path}: no such file")
    return path if path.exists() else None


def file_state(path: Path) -> dict[str, Any]:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    st = path.stat()
    return {
        "path": str(path.resolve()),
        "sha256": h.hexdigest(),
        "size": st.st_size,
        "mtime": dt.datetime.fromtimestamp(st.st_mtime, dt.UTC).replace(microsecond=0)
        .isoformat(),
    }


def read_corpus(path: Path, known_iso3: set[str]) -> Corpus:
    """Every document of the corpus file with its facts; unresolvable documents are skipped."""
    import duckdb

    state = file_state(path)
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MalformedInputError(
            f"corpus {path} cannot be read ({first}); store left as it was") from None
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        if not {"narratives", "facts"} <= tables:
            raise MalformedInputError(
                f"corpus {path} has no narratives/facts tables (not a tipwatch corpus); "
                "store left as it was")
        try:
            rows = con.execute(
                "SELECT doc_id, iso3, year, source, origin, meta, text, spans FROM narratives "
                "ORDER BY doc_id").fetchall()
            cur = con.execute("SELECT * FROM facts ORDER BY doc_id, kind, start")
            cols = [d[0] for d in cur.description]
            facts = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        except duckdb.Error as exc:
            raise MalformedInputError(
                f"corpus {path} cannot be read ({str(exc).splitlines()[0]}); "
                "store left as it was") from exc
    finally:
        con.close()
    corpus = Corpus(path=path, state={**state, "documents": len(rows)})
    for doc_id, iso3, year, source, origin, meta, text, spans in rows:
        why = _unresolved(iso3, year, known_iso3)
        if why:
            corpus.skipped.append({"doc_id": doc_id, "iso3": iso3, "year": year, "reason": why})
            continue
        try:
            meta_d = json.loads(meta or "{}")
            span_d = {k: (int(v[0]), int(v[1])) for k, v in json.loads(spans or "{}").items()}
        except (ValueError, TypeError, IndexError) as exc:
            corpus.skipped.append({"doc_id": doc_id, "iso3": iso3, "year": year,
                                   "reason": f"unreadable meta or spans ({exc})"})
            continue
        corpus.docs.append(CorpusDoc(doc_id, iso3, int(year), source or "", origin or "",
                                     meta_d if isinstance(meta_d, dict) else {}, text or "",
                                     span_d))
    kept = {d.doc_id for d in corpus.docs}
    corpus.facts = [f for f in facts if f.get("doc_id") in kept]
    return corpus


def _unresolved(iso3: Any, year: Any, known: set[str]) -> str:
    if not iso3 or str(iso3) not in known:
        return f"country {iso3!r} is not in the country table"
    try:
        y = int(year)
    except (TypeError, ValueError):
        return f"year {year!r} is not a report year"
    if not FIRST_YEAR <= y <= LAST_YEAR:
        return f"year {y} is outside the TIP reports ({FIRST_YEAR} on)"
    return ""


# ------------------------------------------------------------------ the build steps

_LOADED: ContextVar[Corpus | None] = ContextVar("tipwatch_loaded_corpus", default=None)


def _corpus_for(con: Any) -> Corpus | None:
    loaded = _LOADED.get()
    path = corpus_file()
    if path is None:
        return None
    if loaded is not None and loaded.path == path:
        return loaded
    known = {r[0] for r in con.execute("SELECT iso3 FROM countries").fetchall()}
    corpus = read_corpus(path, known)
    _LOADED.set(corpus)
    return corpus


def merge_placements(con: Any) -> None:
    """Store step: placements read from the corpus narratives; conflicts; years recounted."""
    from tipwatch.store import panel_learn

    corpus = _corpus_for(con)
    _write_info(con, corpus)
    panel_learn.create_tables(con)
    if corpus is None or not corpus.docs:
        return
    facts_by_doc: dict[str, list[dict[str, Any]]] = {}
    for f in corpus.facts:
        if f.get("kind") == "tier_statement":
            facts_by_doc.setdefault(f["doc_id"], []).append(f)
    panel_learn.learn(con, corpus.docs, facts_by_doc, corpus_label=str(corpus.path))


def merge_facts(con: Any) -> None:
    """Store step: the corpus documents' facts (and their effort facts) in ``facts``."""
    from tipwatch.extract import bundle, efforts
    from tipwatch.extract.lexicon import country_name as _name
    from tipwatch.store.steps.facts import save_derived

    corpus = _corpus_for(con)
    if corpus is None:
        _LOADED.set(None)
        return
    try:
        docs = {d.doc_id: d for d in corpus.docs}
        rows = [dict(f) for f in corpus.facts if f.get("kind") != efforts.KIND]
        for d in corpus.docs:
            rows.extend(bundle.fact_rows(efforts.extract(_narrative(d)), {d.doc_id: d.source}))
        for r in rows:
            d = docs[r["doc_id"]]
            r["country"] = _name(d.iso3)
            r["source_file"] = d.evidence or r.get("source_file") or ""
            r["source_sha256"] = r.get("source_sha256") or ""
        if docs:
            con.execute("DELETE FROM facts WHERE list_contains(?, doc_id)", [list(docs)])
        if rows:
            insert_frame(con, "facts", list(bundle.FACT_COLUMNS),
                         [[r.get(c) for c in bundle.FACT_COLUMNS] for r in rows])
        save_derived(con)
        _register_sources(con, corpus)
        con.execute("UPDATE corpus_info SET facts = ?", [len(rows)])
    finally:
        _LOADED.set(None)


def _narrative(d: CorpusDoc):  # noqa: ANN202 - tipwatch.model.Narrative
    from tipwatch.model import Narrative

    return Narrative(doc_id=d.doc_id, country=d.iso3, year=d.year, source=d.source,
                     text=d.text, spans=d.spans, origin=d.origin, meta=d.meta)


def _write_info(con: Any, corpus: Corpus | None) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE corpus_info (path VARCHAR, sha256 VARCHAR, size BIGINT, "
        "mtime VARCHAR, documents INTEGER, merged INTEGER, skipped INTEGER, facts INTEGER, "
        "years VARCHAR)")
    con.execute(
        "CREATE OR REPLACE TABLE corpus_skipped (doc_id VARCHAR, iso3 VARCHAR, year VARCHAR, "
        "reason VARCHAR)")
    if corpus is None:
        return
    s = corpus.state
    years = sorted({d.year for d in corpus.docs})
    con.execute("INSERT INTO corpus_info VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
                [s["path"], s["sha256"], s["size"], s["mtime"], s["documents"],
                 len(corpus.docs), len(corpus.skipped), ",".join(map(str, years))])
    if corpus.skipped:
        con.executemany("INSERT INTO corpus_skipped VALUES (?, ?, ?, ?)",
                        [[k["doc_id"], k["iso3"], str(k["year"]), k["reason"]]
                         for k in corpus.skipped])


def _register_sources(con: Any, corpus: Corpus) -> None:
    """One ``sources`` row per corpus document (the placements and facts name it)."""
    has = con.execute("SELECT count(*) FROM information_schema.tables "
                      "WHERE table_name = 'sources'").fetchone()[0]
    if not has:
        return
    present = {r[0] for r in con.execute("SELECT id FROM sources").fetchall()}
    rows = [
        [d.doc_id, "the user's local corpus (tipwatch ingest)", d.evidence,
         "as published; TIP Reports are U.S. government works (public domain)", "corpus",
         "read", 1, json.dumps({str(corpus.path): corpus.state["sha256"]})]
        for d in corpus.docs if d.doc_id not in present
    ]
    if rows:
        con.executemany("INSERT INTO sources (id, publisher, origin, licence, kind, basis, rows, "
                        "sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


# ------------------------------------------------------------------ corpus state of a store


def built_state(con: Any) -> dict[str, Any] | None:
    """The corpus state recorded in an open store (None: built without a corpus)."""
    try:
        row = con.execute("SELECT path, sha256, size, mtime, documents, merged, skipped, facts, "
                          "years FROM corpus_info").fetchone()
    except Exception:  # noqa: BLE001 - a store built before this table existed
        return None
    if row is None:
        return None
    keys = ("path", "sha256", "size", "mtime", "documents", "merged", "skipped", "facts", "years")
    return dict(zip(keys, row, strict=True))


def state_change(before: dict[str, Any] | None, path: Path | None) -> str:
    """One line saying how the corpus differs from the state a store was built from ('' = same).
    """
    if path is None:
        return "" if before is None else f"the corpus {before['path']} is gone"
    now = file_state(path)
    if before is None:
        return f"corpus {path} is new since the last build"
    if before["sha256"] != now["sha256"]:
        return (f"corpus {path} changed since the last build (sha256 {before['sha256'][:12]}… "
                f"-> {now['sha256'][:12]}…, {before['size']} -> {now['size']} bytes)")
    return ""


def previous_state(db: Path) -> tuple[bool, dict[str, Any] | None]:
    """(store exists, its recorded corpus state) for the store at ``db``."""
    import duckdb

    if not db.exists():
        return False, None
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return False, None
    try:
        return True, built_state(con)
    finally:
        con.close()
