"""Identity check of the extraction engine: every fact of the 815 benchmark texts, exactly.

Extracts the 2018 narratives and every Factbook text (the set ``benchmarks/engine.py`` reads)
and writes one line per fact (kind, value, direction, section, span, rule id, note), or
compares them with a file written earlier and prints the first differences:

    .venv/bin/python scripts/facts_identity.py write /tmp/facts.before.jsonl
    .venv/bin/python scripts/facts_identity.py check /tmp/facts.before.jsonl

Exit 0 when identical, 1 when a fact differs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tipwatch.extract import extract
from tipwatch.ingest import load_factbook, load_tip2018


def fact_lines() -> list[str]:
    out: list[str] = []
    for n in [*load_tip2018(), *load_factbook()]:
        for f in extract(n):
            row = [
                f.doc_id, f.kind, f.value, f.direction, f.section, f.start, f.end,
                f.rule_id, f.note, f.country, f.iso3, f.year, f.extractor_version,
            ]
            out.append(json.dumps(row, sort_keys=True, ensure_ascii=False))
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("write", "check"):
        print(__doc__.strip().splitlines()[-4], file=sys.stderr)
        return 2
    mode, path = argv[0], Path(argv[1])
    lines = fact_lines()
    if mode == "write":
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} facts written to {path}")
        return 0
    before = path.read_text(encoding="utf-8").splitlines()
    if before == lines:
        print(f"identical: {len(lines)} facts")
        return 0
    removed = [x for x in before if x not in set(lines)]
    added = [x for x in lines if x not in set(before)]
    print(f"DIFFER: {len(before)} before, {len(lines)} now; {len(removed)} gone, {len(added)} new")
    for x in removed[:10]:
        print("  -", x[:300])
    for x in added[:10]:
        print("  +", x[:300])
    if not removed and not added:
        print("  same facts, different order")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
