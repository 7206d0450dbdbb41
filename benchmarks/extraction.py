"""Extraction benchmark: quality against the labelled dev set, and throughput on one core.

Prints, per fact kind, precision, recall and F1 over the labelled development set
(``tests/devset/*.yaml``, labels written by reading the text), the agreement of the 2018 tier
statements with the panel, the most common errors, and the ingest + extract throughput over the
whole 2018 narrative set plus every Factbook text (narratives/s, MB/s, total seconds).

    .venv/bin/python benchmarks/extraction.py [--json] [--errors N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

from tipwatch.extract.evaluation import (
    KINDS,
    TARGETS,
    Label,
    factbook_archive_texts,
    load_labels,
    match_documents,
    panel_tiers,
    score,
    tier_agreement,
)

DEVSET = Path(__file__).resolve().parent.parent / "tests" / "devset"
SPEED_TARGET_S = 10.0


def _one_core() -> str:
    """Pin this process to one CPU so the figures are single-core figures."""
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return "not pinned (no sched_setaffinity)"


def _batches(labels: list[Label]) -> dict[str, list[Label]]:
    """Labels grouped by their ``batch`` field (labels without one form the "dev" batch)."""
    out: dict[str, list[Label]] = {}
    for lb in labels:
        out.setdefault(lb.batch or "dev", []).append(lb)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--errors", type=int, default=6, help="errors listed per kind")
    args = parser.parse_args(argv)

    pinned = _one_core()
    from tipwatch.extract import extract
    from tipwatch.ingest import load_factbook, load_tip2018

    # ---- throughput: ingest + extract everything
    t0 = time.perf_counter()
    narratives = list(load_tip2018()) + list(load_factbook())
    t1 = time.perf_counter()
    facts_by_doc = {n.doc_id: list(extract(n)) for n in narratives}
    t2 = time.perf_counter()
    n_docs = len(narratives)
    n_bytes = sum(len((n.text or "").encode("utf-8")) for n in narratives)
    n_facts = sum(len(f) for f in facts_by_doc.values())
    total = t2 - t0
    speed = {
        "cpu": pinned,
        "narratives": n_docs,
        "tip2018": sum(1 for n in narratives if n.doc_id.startswith("tip2018:")),
        "factbook": sum(1 for n in narratives if n.doc_id.startswith("factbook:")),
        "megabytes": round(n_bytes / 1e6, 3),
        "facts": n_facts,
        "ingest_s": round(t1 - t0, 3),
        "extract_s": round(t2 - t1, 3),
        "total_s": round(total, 3),
        "narratives_per_s": round(n_docs / total, 1) if total else None,
        "mb_per_s": round(n_bytes / 1e6 / total, 3) if total else None,
        "target_s": SPEED_TARGET_S,
        "meets_target": total <= SPEED_TARGET_S,
    }

    # ---- quality: the labelled development set
    labels = load_labels(DEVSET)
    doc_map = match_documents(labels, narratives, factbook_archive_texts())
    facts = [f for d in doc_map.values() if d for f in facts_by_doc.get(d, [])]
    ev = score(labels, facts, doc_map)

    # ---- directed flows (their own labels) and the policy-or-pattern finding (official lists)
    from tipwatch.extract.evaluation import finding_check
    from tipwatch.extract.evaluation.flows import load_flow_labels, score_flows
    from tipwatch.paths import shared_dir

    flow_labels = load_flow_labels(DEVSET / "flows")
    flow_facts = [f for lb in flow_labels for f in facts_by_doc.get(lb.doc, [])]
    flow_scores = {}
    for name in sorted({lb.batch for lb in flow_labels}):
        part = [lb for lb in flow_labels if lb.batch == name]
        flow_scores[name] = (len(part), score_flows(part, flow_facts)[0])
    from tipwatch.extract.evaluation.lawenf import load_lawenf_labels, score_lawenf

    le_labels = load_lawenf_labels(DEVSET / "lawenf")
    le_score = score_lawenf(le_labels, [f for lb in le_labels for f in facts_by_doc[lb.doc]])[0]
    lists_csv = shared_dir() / "data" / "policy_or_pattern" / "lists.csv"
    findings = finding_check([f for fs in facts_by_doc.values() for f in fs], lists_csv)

    # ---- 2018 tier statements against the panel
    tip = [n for n in narratives if n.doc_id.startswith("tip2018:")]
    tier_facts = [f for n in tip for f in facts_by_doc[n.doc_id] if f.kind == "tier_statement"]
    agree, mismatches = tier_agreement(
        tier_facts, panel_tiers(), [(n.doc_id, n.country, 2018) for n in tip]
    )

    if args.json:
        out = {
            "devset": {"labels": len(labels), "matched": sum(1 for d in doc_map.values() if d)},
            "scores": {k: s.as_dict() for k, s in ev.scores.items()},
            "targets": TARGETS,
            "failures": ev.failures(),
            "by_corpus": {
                prefix[:-1]: {
                    k: v.as_dict()
                    for k, v in score(
                        [lb for lb in labels if lb.doc.startswith(prefix)], facts, doc_map
                    ).scores.items()
                }
                for prefix in ("tip2018:", "factbook:")
            },
            "by_batch": {
                name: {k: v.as_dict() for k, v in score(part, facts, doc_map).scores.items()}
                for name, part in _batches(labels).items()
            },
            "missing_docs": ev.missing_docs,
            "directed_flows": {k: {"docs": n, **s.as_dict()} for k, (n, s) in flow_scores.items()},
            "policy_or_pattern_finding": findings,
            "le_count_holdout": {"docs": len(le_labels), **le_score.as_dict()},
            "tier_agreement": {
                "agree": agree,
                "of": len(tip),
                "mismatches": [m.__dict__ for m in mismatches],
            },
            "speed": speed,
        }
        print(json.dumps(out, indent=2, default=str))
        return 0

    matched = sum(1 for d in doc_map.values() if d)
    remapped = {k: v for k, v in doc_map.items() if v and v != k}
    print(f"== dev set: {len(labels)} labelled narratives, {matched} found in the engine's corpus")
    if remapped:
        print("   matched by content (engine numbers the report year differently):")
        for k, v in sorted(remapped.items()):
            print(f"     {k} -> {v}")
    print()
    print(ev.table())
    print()
    print("== F1 by corpus")
    for prefix in ("tip2018:", "factbook:"):
        part = [lb for lb in labels if lb.doc.startswith(prefix)]
        sub = score(part, facts, doc_map)
        cells = "  ".join(f"{k} {sub.scores[k].f1:.3f}" for k in TARGETS)
        print(f"   {prefix[:-1]:<9} ({len(part)} docs): {cells}")
    print()
    print("== P/R/F1 by label batch (holdout batches were labelled after the engine was tuned)")
    for name, part in _batches(labels).items():
        sub = score(part, facts, doc_map)
        print(f"   {name} ({len(part)} docs)")
        for kind in KINDS:
            k = sub.scores[kind]
            print(f"     {kind:<18}{k.precision:>7.3f}{k.recall:>7.3f}{k.f1:>7.3f}")
    print()
    print("== directed flows (tests/devset/flows, trafficking profile; target P 0.95, R 0.90)")
    for name, (n, s) in flow_scores.items():
        print(f"   {name} ({n} docs): P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f}")
    print(
        f"== law-enforcement counts, tests/devset/lawenf ({len(le_labels)} docs, target F1 0.90): "
        f"P {le_score.precision:.3f} R {le_score.recall:.3f} F1 {le_score.f1:.3f}"
    )
    print(
        f"== policy-or-pattern findings vs the official lists ({findings['years'][0]}-"
        f"{findings['years'][-1]}): {findings['on_list']} of {findings['findings']} listed, "
        f"precision {findings['precision']}"
    )
    print()
    print(f"== 2018 tier statements vs panel: {agree} of {len(tip)} agree")
    for m in mismatches:
        print(f"   {m.iso3}: extracted {m.extracted!r}, panel {m.panel!r}")
    print()
    print("== most common errors per kind")
    for kind in ev.scores:
        errs = [e for e in ev.errors if e.kind == kind]
        if not errs:
            continue
        common = Counter((e.error.replace("false_", ""), str(e.value)) for e in errs)
        top = ", ".join(f"{err} {val} x{n}" for (err, val), n in common.most_common(args.errors))
        print(f"   {kind}: {top}")
        worst = Counter(e.doc for e in errs).most_common(3)
        print(f"      worst docs: {', '.join(f'{d} ({n})' for d, n in worst)}")
    print()
    print(f"== throughput ({pinned})")
    print(
        f"   {n_docs} narratives ({speed['tip2018']} tip2018 + {speed['factbook']} factbook), "
        f"{speed['megabytes']} MB, {n_facts} facts"
    )
    print(
        f"   ingest {speed['ingest_s']} s + extract {speed['extract_s']} s = "
        f"{speed['total_s']} s (target <= {SPEED_TARGET_S} s: "
        f"{'ok' if speed['meets_target'] else 'MISS'})"
    )
    print(f"   {speed['narratives_per_s']} narratives/s, {speed['mb_per_s']} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
