"""The labelled development set: every label file is valid and consistent with the corpus."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from tipwatch.errors import MalformedInputError
from tipwatch.extract.evaluation import Label, factbook_archive_texts, load_labels, panel_tiers
from tipwatch.paths import shared_dir

DEVSET = Path(__file__).resolve().parents[1] / "devset"
NARRATIVES = shared_dir() / "data" / "narratives" / "tip2018_teomotun"

LABELS = load_labels(DEVSET)


def _rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_devset_size_and_mix() -> None:
    tip = [lb for lb in LABELS if lb.doc.startswith("tip2018:")]
    fb = [lb for lb in LABELS if lb.doc.startswith("factbook:")]
    assert len(LABELS) >= 30
    assert len(tip) >= 18
    assert len(fb) >= 12
    # Factbook labels span old and new editions, 2006-2025.
    assert min(lb.year for lb in fb) <= 2008
    assert max(lb.year for lb in fb) >= 2022
    assert len({lb.doc for lb in LABELS}) == len(LABELS)


def test_every_yaml_file_is_a_label() -> None:
    files = sorted(DEVSET.glob("*.yaml"))
    assert len(files) == len(LABELS)
    for path, label in zip(files, LABELS, strict=True):
        assert path.stem == label.doc.replace(":", "_")
        assert label.labelled_by == "reading the text"


def test_labels_hold_no_report_sentences() -> None:
    """Facts only: no field but `notes` carries free text, and notes stay short."""
    for path in DEVSET.glob("*.yaml"):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, value in raw.items():
            if key in {"notes", "labelled_by", "doc", "country", "tier"}:
                continue
            assert not isinstance(value, str) or len(value) < 40, (path.name, key)
        assert len(raw.get("notes", "")) < 1200, path.name


def test_tip2018_labels_name_documents_in_the_corpus() -> None:
    iso3s = {r["iso3"] for r in _rows(NARRATIVES / "tip2018_country_narratives_flat.csv")}
    for label in LABELS:
        if label.doc.startswith("tip2018:"):
            assert label.country in iso3s, label.doc


def _years(text: str) -> set[str]:
    """Report years a Factbook text states: "(YYYY)" tags and the year in the report URL."""
    tags = set(re.findall(r"\((20\d\d)\)", text))
    return tags | set(re.findall(r"/(20\d\d)-trafficking-in-persons-report/", text))


def test_factbook_labels_name_rows_in_the_archive() -> None:
    texts = factbook_archive_texts()
    for label in LABELS:
        if label.doc.startswith("factbook:"):
            text = texts.get((label.edition, label.country), "")
            assert text.strip(), label.doc
            # The report year is the one the text itself states: a "(YYYY)" tag or the report
            # URL; texts without either are from editions that equal their report year.
            tags = _years(text)
            if tags:
                assert tags == {str(label.year)}, (label.doc, tags)
            else:
                assert label.edition == label.year, label.doc
            # Stale editions repeat a report year: the label reads the earliest edition.
            earlier = [
                ed
                for (ed, iso3), other in texts.items()
                if iso3 == label.country and ed < (label.edition or 0) and _years(other) == tags
            ]
            assert not (tags and earlier), (label.doc, "read edition", min(earlier or [0]))


def test_every_label_states_its_tier() -> None:
    for label in LABELS:
        assert label.tier is not None, label.doc
        assert label.tier_statement is not None, label.doc
        assert label.recommendations is not None, label.doc
        if label.tier == "special":
            assert label.tier_statement.movement is None, label.doc
        if label.tier_statement.waiver:
            assert label.tier == "2WL", label.doc


def test_labelled_tiers_agree_with_the_panel() -> None:
    panel = panel_tiers()
    for label in LABELS:
        if label.doc.startswith("tip2018:") and label.tier is not None:
            assert panel.get((label.country, 2018)) == label.tier, label.doc


def test_label_model_rejects_bad_labels() -> None:
    good = yaml.safe_load((DEVSET / "tip2018_PRK.yaml").read_text(encoding="utf-8"))
    Label.model_validate(good)
    bad_cases = [
        {"roles": ["source", "exporter"]},  # not in the vocabulary
        {"forms": ["forced_labor", "forced_labor"]},  # repeated
        {"cited_countries": ["RUS", "CHN"]},  # not sorted
        {"cited_countries": ["CHN", "PRK"]},  # own country
        {"cited_countries": ["China"]},  # not ISO3
        {"le_counts": {"arrests": 3}},  # unknown measure
        {"le_counts": {"prosecutions": -1}},
        {"labelled_by": "running the extractor"},
        {"doc": "tip2018:NGA"},  # doc and country disagree
        {"year": 2017},  # a tip2018 document is the 2018 report
        {"tier": "4"},
        {"surprise": 1},  # unknown key
    ]
    for change in bad_cases:
        with pytest.raises(ValueError):
            Label.model_validate({**good, **change})


def test_factbook_label_needs_its_edition() -> None:
    base = {
        "doc": "factbook:2011:PRK",
        "country": "PRK",
        "year": 2011,
        "labelled_by": "reading the text",
        "roles": ["source"],
        "forms": [],
        "victim_groups": [],
        "cited_countries": [],
        "state_policy_or_pattern": False,
        "official_complicity": False,
    }
    with pytest.raises(ValueError):
        Label.model_validate(base)
    assert Label.model_validate({**base, "edition": 2011}).edition == 2011
    with pytest.raises(ValueError):
        Label.model_validate({**base, "edition": 2011, "year": 2012})


def test_load_labels_reports_the_bad_file(tmp_path: Path) -> None:
    good = (DEVSET / "tip2018_PRK.yaml").read_text(encoding="utf-8")
    (tmp_path / "tip2018_PRK.yaml").write_text(good, encoding="utf-8")
    assert len(load_labels(tmp_path)) == 1
    (tmp_path / "tip2018_TON.yaml").write_text("doc: [unclosed\n", encoding="utf-8")
    with pytest.raises(MalformedInputError, match="tip2018_TON.yaml"):
        load_labels(tmp_path)
    (tmp_path / "tip2018_TON.yaml").write_text(good, encoding="utf-8")  # wrong file name
    with pytest.raises(MalformedInputError, match="does not match"):
        load_labels(tmp_path)
    (tmp_path / "tip2018_TON.yaml").unlink()
    (tmp_path / "tip2018_PRK.yaml").write_text(
        good.replace("roles: [source, internal]", "roles: [exporter]"), encoding="utf-8"
    )
    with pytest.raises(MalformedInputError, match="roles"):
        load_labels(tmp_path)
    with pytest.raises(MalformedInputError, match="no label files"):
        load_labels(tmp_path / "empty")
