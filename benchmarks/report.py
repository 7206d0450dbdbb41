"""Annual report build time: HTML, and the PDF by the one-piece and the parallel renderer.

    .venv/bin/python benchmarks/report.py [--db var/tipwatch.duckdb] [--year latest] [--rounds 1]

Both PDF renderers work on the same HTML in the same run, alternating when ``--rounds`` > 1,
so a busy machine slows both alike. The one-piece render is what the report did before (one
WeasyPrint document, 17 s for 2023 on the reference machine, 2 cores); the target is the
parallel renderer at most 10 s there, i.e. at most 10/17 of the one-piece time measured here.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFERENCE_S, TARGET_S = 17.0, 10.0  # one-piece and target PDF seconds on the reference machine


def one_piece(html: str, out: Path, base_url: str) -> int:
    """The renderer the report used before: one WeasyPrint document, CSS page footer."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url).render()
    document.write_pdf(out)
    return len(document.pages)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=None, help="store (default: var/tipwatch.duckdb)")
    ap.add_argument("--year", default="latest")
    ap.add_argument("--rounds", type=int, default=1, help="alternating rounds (median)")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from tipwatch.paths import db_path
    from tipwatch.progress import quiet
    from tipwatch.report import builder, pdf
    from tipwatch.store import build as store
    from tipwatch.store import explore as data

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = db_path(args.db)
        if not db.exists():
            db = tmp / "tipwatch.duckdb"
            store.build(db)
        t = time.perf_counter()
        con = store.connect(db)
        with data.known_schema(data.read_schema(con)):
            context = builder.collect(con, args.year)
        con.close()
        html = builder.render_html(context)
        t_html = time.perf_counter() - t
        year = context["year"]
        old_s, new_s, old_cpu, new_cpu, pages = [], [], [], [], {}
        for _ in range(args.rounds):
            t, c = time.perf_counter(), time.process_time()
            pages["one-piece"] = one_piece(html, tmp / "old.pdf", str(tmp))
            old_s.append(time.perf_counter() - t)
            old_cpu.append(time.process_time() - c)
            t, c = time.perf_counter(), time.process_time()
            pages["parallel"] = pdf.write_pdf(html, tmp / "new.pdf", str(tmp),
                                              builder.footer(year), quiet,
                                              title=builder.report_title(year))
            new_s.append(time.perf_counter() - t)
            # the longest path on an idle machine: the slowest part, plus what this process
            # did besides rendering its own part (splitting, joining)
            own = time.process_time() - c
            new_cpu.append(max(pdf.last_cpu_seconds) + own - pdf.last_cpu_seconds[0])
        size_html = len(html.encode("utf-8")) / 1e6
        size_pdf = (tmp / "new.pdf").stat().st_size / 1e6
    old, new = statistics.median(old_s), statistics.median(new_s)
    ratio, target_ratio = new / old, TARGET_S / REFERENCE_S
    ok = ratio <= target_ratio and pages["one-piece"] == pages["parallel"]
    print(f"report {year}: {len(context['countries'])} country pages, "
          f"{pdf.workers()} render processes, median of {args.rounds}")
    print(f"store + HTML         {t_html:6.1f} s  ({size_html:.1f} MB)")
    print(f"PDF one-piece (old)  {old:6.1f} s  ({pages['one-piece']} pages)")
    print(f"PDF parallel (new)   {new:6.1f} s  ({pages['parallel']} pages, {size_pdf:.1f} MB)")
    cpu_old, cpu_new = statistics.median(old_cpu), statistics.median(new_cpu)
    print(f"CPU: one-piece {cpu_old:.1f} s; parallel, longest part + split + join "
          f"{cpu_new:.1f} s (ratio {cpu_new / cpu_old:.2f}: what an idle machine would show)")
    print(f"parallel / one-piece {ratio:6.2f}    (target <= {target_ratio:.2f} = "
          f"{TARGET_S:.0f} s / {REFERENCE_S:.0f} s on the reference machine: "
          f"{'met' if ok else 'NOT met'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
