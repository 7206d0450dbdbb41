"""Directed flows on a labelled batch whose texts the user holds (report pages fetched).

    .venv/bin/python benchmarks/flows.py --labels tests/devset/flows_web --texts DIR [--errors]

``--labels`` is a folder of flow labels (``doc: web:<year>:<ISO3>``, conventions in
``tests/devset/README.md``), ``--texts`` the folder of ``<ISO3>_<year>.txt`` files, each a
narrative's heading and its trafficking profile. Prints precision, recall and F1 of the
directed flows (micro-averaged over document, country and direction) and, with ``--errors``,
every false and missed flow.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tipwatch.errors import MalformedInputError
from tipwatch.extract.evaluation.flows import load_flow_labels, score_flows, text_facts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, required=True)
    ap.add_argument("--texts", type=Path, required=True)
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args(argv)
    try:
        labels = load_flow_labels(args.labels)
        score, errors = score_flows(labels, text_facts(args.texts, labels))
    except MalformedInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    d = score.as_dict()
    print(f"{len(labels)} narratives, {score.tp + score.fn} labelled flows: "
          f"P {d['precision']:.3f} R {d['recall']:.3f} F1 {d['f1']:.3f} "
          f"(tp {score.tp}, fp {score.fp}, fn {score.fn})")
    if args.errors:
        for doc, country, direction, what in errors:
            print(f"  {doc} {country} {direction} {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
