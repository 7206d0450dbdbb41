"""Benchmark: `tipwatch build` with a corpus of two report years against the bundled build.

Writes the two-year test corpus (tests/years_corpus.py: 17 narratives from the 2018 texts)
into a temporary folder, ingests it, and times the build with and without the corpus (median
of 3 each, same run). Exits 1 when merging the corpus adds more than 5 s or more than the
bundled build itself. Run: ``.venv/bin/python benchmarks/years.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from tipwatch.store import build as store  # noqa: E402

TARGET_EXTRA_S = 5.0


def _median(fn, n: int = 3) -> float:  # noqa: ANN001
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    import years_corpus
    from tipwatch.extract import extract
    from tipwatch.ingest import load_path_report
    from tipwatch.store import corpus as local

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        written = years_corpus.write_reports(tmp)
        con = local.connect(tmp / "corpus.duckdb")
        n_docs = 0
        for path in written.files.values():
            res = load_path_report(path)
            facts = [f for n in res.narratives for f in extract(n)]
            n_docs += local.store_document(con, res.narratives, facts, origin=path.name)
        con.close()
        bare = _median(lambda: store.build(tmp / "bare.duckdb", corpus=False))
        merged = _median(lambda: store.build(tmp / "merged.duckdb", corpus=tmp / "corpus.duckdb"))
    extra = merged - bare
    print(f"build without corpus: {bare:.2f} s (median of 3)")
    print(f"build with a corpus of {n_docs} narratives (2 report years): {merged:.2f} s")
    print(f"merging the corpus adds {extra:.2f} s (target < {TARGET_EXTRA_S:.0f} s and < the "
          "bundled build)")
    return 0 if extra < TARGET_EXTRA_S and extra < bare else 1


if __name__ == "__main__":
    sys.exit(main())
