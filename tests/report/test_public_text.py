"""Readers never see the development folders: research paths become document names."""

from __future__ import annotations

import json
import urllib.request

from tipwatch.public import has_dev_path, public_source, public_text, source_url


def test_research_paths_become_document_names() -> None:
    text = "flag in ../shared/data/tip_tiers.csv column flag_text_policy_or_pattern"
    assert public_text(text) == (
        "flag in the tipwatch placement panel (tip_tiers.csv) column flag_text_policy_or_pattern")
    assert public_text("see ../shared/data/gapfill/evidence/evidence_log.jsonl") == \
        "see the tipwatch evidence log"
    assert public_text("from ../../shared/data/secondary/routes.csv;") == \
        "from the tipwatch research file routes.csv;"
    assert public_text("opened /work/wt/x/var/tipwatch.duckdb") == "opened a tipwatch working file"
    for before in ("../shared/data/PROVENANCE.md §8.3", "/work/shared/data/tip_tiers.csv"):
        assert has_dev_path(before) and not has_dev_path(public_text(before))


def test_text_without_paths_is_unchanged() -> None:
    for text in ("Tier 2 Watch List", "https://www.state.gov/reports/2023", "sharedx/y", ""):
        assert public_text(text) == text


def test_sources_get_a_web_address_from_their_origin() -> None:
    assert source_url("github.com/MilkMp/Archive@b998f60:data/fields/ and github.com/x/y") == \
        "https://github.com/MilkMp/Archive"
    assert source_url("https://www.everycrsreport.com/reports/R44953.html") == \
        "https://www.everycrsreport.com/reports/R44953.html"
    assert source_url("see the row's evidence and ../shared/data/x.jsonl") is None
    row = public_source({"id": "d", "publisher": "p", "origin": "../shared/data/PROVENANCE.md"})
    assert row["url"] is None and row["origin"] == "the tipwatch data provenance notes"


def test_api_answers_show_no_development_folder(explorer_url: str) -> None:
    for path in ("/api/meta", "/api/audit?year=2023", "/api/tiers?year=2023",
                 "/api/countries/CHN"):
        with urllib.request.urlopen(explorer_url + path, timeout=60) as res:
            body = res.read().decode("utf-8")
        json.loads(body)
        assert "shared/" not in body and "/work/" not in body, path
    with urllib.request.urlopen(explorer_url + "/api/meta", timeout=60) as res:
        sources = json.loads(res.read())["data"]["sources"]
    assert any((s.get("url") or "").startswith("https://") for s in sources)
