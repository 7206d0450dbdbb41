"""Law-enforcement labels (tests/devset/lawenf): schema and the scorer on facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tipwatch.errors import MalformedInputError
from tipwatch.extract.evaluation.lawenf import load_lawenf_labels, score_lawenf
from tipwatch.model import Fact

LAWENF = Path(__file__).resolve().parents[1] / "devset" / "lawenf"


def test_labels_are_valid_and_name_real_documents() -> None:
    from tipwatch.ingest import load_tip2018

    labels = load_lawenf_labels(LAWENF)
    assert len(labels) >= 6
    docs = {n.doc_id for n in load_tip2018()}
    for lb in labels:
        assert lb.doc in docs
        assert (LAWENF / (lb.doc.replace(":", "_") + ".yaml")).exists()
    assert sum(len(lb.pairs()) for lb in labels) >= 10


def test_a_bad_label_is_refused_with_its_file_name(tmp_path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "doc: tip2018:BWA\ncountry: BWA\nyear: 2018\nlabelled_by: reading the text\n"
        "batch: b\nscope: prosecution and protection\nle_counts: {arrests: 3}\n",
        encoding="utf-8",
    )
    with pytest.raises(MalformedInputError, match="bad.yaml: bad law-enforcement label"):
        load_lawenf_labels(tmp_path)


def test_scorer_compares_measure_and_figure(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text(
        "doc: tip2018:BWA\ncountry: BWA\nyear: 2018\nlabelled_by: reading the text\n"
        "batch: b\nscope: prosecution and protection\n"
        "le_counts: {investigations: 6, victims_identified: [3, 6]}\n",
        encoding="utf-8",
    )

    def le(measure: str, n: int) -> Fact:
        value = {"measure": measure, "value": n, "period": "reporting period", "prior_value": None}
        return Fact(
            "tip2018:BWA", "Botswana", "BWA", 2018, "le_count", value, "prosecution", 0, 1, "x"
        )

    score, errors = score_lawenf(
        load_lawenf_labels(tmp_path), [le("investigations", 6), le("prosecutions", 8)]
    )
    assert (score.tp, score.fp, score.fn) == (1, 1, 2)
    assert ("tip2018:BWA", ("prosecutions", 8), "false_positive") in errors
