"""Produce the project's outputs into a folder, or compare two such folders file by file.

Usage:
  .venv/bin/python scripts/compare_outputs.py produce OUT
  .venv/bin/python scripts/compare_outputs.py compare BEFORE AFTER

``produce`` runs the CLI of this checkout as a user would: ``build --no-corpus``, ``export
--format all``, ``audit --format json``, ``report --year 2023 --no-pdf`` (HTML only),
``tiers --year 2019``, ``country NGA``, ``cited-by PRK`` (JSON), and a dump of every store
table as CSV. It then writes a corpus of two report years (tests/years_corpus.py, from the
2018 narratives in ../shared), ``ingest``s it, builds with it and writes the same outputs again
under ``corpus/`` (with the corpus file's own tables).

``compare`` ignores only what differs by nature between two builds:
  * ``meta.build_id`` and ``meta.built_at`` (the id hashes every file of the package, so any
    code change changes it; the time stamp is the build's clock);
  * ``build_id`` in ``report.json`` (the same id);
  * in the table dumps: every TIMESTAMP column (``build_info.built_at``, the corpus file's
    ``ingested_at``/``recorded_at``: the clock), ``corpus_info.mtime`` (the corpus file's
    clock) and the corpus file's sha256 wherever it is written (a DuckDB file's bytes differ
    from one ingest to the next, its rows do not);
  * the report's "Generated <time>" line and ``generated`` in ``report.json`` (the clock);
  * the ``<timestamp>`` of the Stata file (the export's clock);
  * the analysis caches beside the store (hidden folders, named by the build id).
Everything else must be byte-identical. The outputs are made in one fixed folder
(:data:`WORK`) and then moved to OUT, so that paths written into notes (the corpus file's)
are the same in every run.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIPWATCH = str(Path(sys.executable).with_name("tipwatch"))
WORK = Path("/tmp/tipwatch-compare-outputs")


def _run(args: list[str], env: dict[str, str], out: Path | None = None) -> None:
    r = subprocess.run([TIPWATCH, *args], env=env, capture_output=True, text=True, check=False)
    if r.returncode != 0:
        raise SystemExit(f"tipwatch {' '.join(args)} failed: {r.stderr.strip()}")
    if out is not None:
        out.write_text(r.stdout)


def _dump(db: Path, out: Path, corpus: Path | None = None) -> None:
    import hashlib

    import duckdb

    sha = hashlib.sha256(corpus.read_bytes()).hexdigest() if corpus else None

    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "ORDER BY table_name").fetchall()]
        for name in names:
            cur = con.execute(f'SELECT * FROM "{name}"')
            cols = [d[0] for d in cur.description]
            rows = cur.fetchall()
            types = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position", [name]).fetchall()
            with (out / f"{name}.csv").open("w", newline="") as f:
                w = csv.writer(f)
                w.writerow([f"{c}:{t}" for c, t in types])
                for row in rows:
                    cells = []
                    for (col, typ), v in zip(types, row, strict=True):
                        text = repr(v)
                        if typ.startswith("TIMESTAMP") or (name, col) == ("corpus_info", "mtime"):
                            text = "<clock>"
                        elif sha:
                            text = text.replace(sha, "<corpus file sha256>")
                        cells.append(text)
                    w.writerow(cells)
            assert len(cols) == len(types)
    finally:
        con.close()


def _outputs(out: Path, env: dict[str, str], build: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    _run(["build", *build], env)
    _run(["export", "--format", "all", "--out", str(out / "export")], env)
    _run(["audit", "--format", "json"], env, out / "audit.json")
    _run(["report", "--year", "2023", "--no-pdf", "--out", str(out / "report")], env)
    _run(["tiers", "--year", "2019", "--format", "json"], env, out / "tiers-2019.json")
    _run(["country", "NGA", "--format", "json"], env, out / "country-NGA.json")
    _run(["cited-by", "PRK", "--format", "json"], env, out / "cited-by-PRK.json")
    corpus = Path(env["TIPWATCH_CORPUS"])
    _dump(Path(env["TIPWATCH_DB"]), out / "tables", corpus if corpus.is_file() else None)


def produce(target: Path) -> None:
    if target.exists():
        raise SystemExit(f"{target} exists; give a new folder")
    shutil.rmtree(WORK, ignore_errors=True)
    out = WORK
    out.mkdir(parents=True)
    env = dict(os.environ, TIPWATCH_PROGRESS="0", TIPWATCH_DB=str(out / "store.duckdb"),
               TIPWATCH_CORPUS=str(out / "no-corpus.duckdb"))
    _outputs(out / "bundled", env, ["--no-corpus"])
    sys.path[:0] = [str(ROOT / "tests")]
    from years_corpus import write_reports

    texts = out / "corpus-texts"
    texts.mkdir(exist_ok=True)
    written = write_reports(texts)
    env = dict(env, TIPWATCH_DB=str(out / "corpus-store.duckdb"),
               TIPWATCH_CORPUS=str(out / "corpus.duckdb"))
    _run(["ingest", *(str(p) for p in written.files.values())], env)
    _outputs(out / "corpus", env, [])
    _dump(out / "corpus.duckdb", out / "corpus" / "corpus-file")
    shutil.move(str(WORK), str(target))


def _normal(rel: str, data: bytes) -> bytes:
    if rel.endswith("tables/meta.csv"):
        return re.sub(rb"\n'(build_id|built_at)',[^\n]*", rb"\n'\1',-", data)
    if rel.endswith(".dta"):
        return re.sub(rb"<timestamp>.*?</timestamp>", b"<timestamp/>", data, flags=re.S)
    if rel.endswith("report/index.html"):
        return re.sub(rb"Generated [0-9T:+-]+ by tipwatch", b"Generated - by tipwatch", data)
    if rel.endswith("report.json"):
        meta = json.loads(data)
        meta.pop("build_id", None)
        meta.pop("generated", None)
        return json.dumps(meta, sort_keys=True).encode()
    return data


def compare(a: Path, b: Path) -> int:
    skip = {".duckdb", ".wal"}

    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*")
                if p.is_file() and p.suffix not in skip and "corpus-texts" not in p.parts
                and not any(part.startswith(".") for part in p.relative_to(root).parts)}

    fa, fb = files(a), files(b)
    only = sorted(fa ^ fb)
    same = differ = 0
    for rel in sorted(fa & fb):
        if _normal(rel, (a / rel).read_bytes()) == _normal(rel, (b / rel).read_bytes()):
            same += 1
        else:
            differ += 1
            print(f"differs: {rel}")
    for rel in only:
        print(f"only in {'before' if rel in fa else 'after'}: {rel}")
    print(f"{len(fa & fb)} files compared, {same} identical, {differ} different, "
          f"{len(only)} in one folder only")
    return 0 if differ == 0 and not only else 1


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "produce":
        produce(Path(argv[1]).resolve())
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
