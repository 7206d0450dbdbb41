"""Every era's layout read without loss: the 2018 narratives rendered as a 2020 page with
glued recommendations, a text copy of a PDF parse with running heads glued mid-sentence, a
single-column PDF (running heads "65AFGHANISTAN", mixed-case headings) and a two-column PDF
(profile first, capital headings, the tier-ranking chart), each compared with the facts of
the clean text; and the title-line, heading and repair rules one by one.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import run_cli
from layout_render import (
    KINDS,
    agreement,
    clean_facts,
    pdf_html,
    stategov,
    text_copy,
)
from tipwatch.extract import extract
from tipwatch.ingest import load_path_report, load_tip2018
from tipwatch.ingest.html import parse_html
from tipwatch.ingest.layout import fix_ligatures, split_recommendations, strip_running_headers
from tipwatch.ingest.pdf import _join
from tipwatch.ingest.text import parse_report_text
from tipwatch.store import corpus as local

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def narratives(shared):
    return load_tip2018()


@pytest.fixture(scope="module")
def clean(narratives):
    return clean_facts(narratives)


def _check(clean, got, subset=None):
    ref = {k: v for k, v in clean.items() if subset is None or k in subset}
    assert set(got) == set(ref)
    scores = agreement(ref, got)
    print({k: round(v, 4) for k, v in scores.items()})
    for kind in KINDS:
        assert scores[kind] >= 0.98, (kind, scores[kind])
    for iso3, facts in ref.items():
        want = [f.value for f in facts if f.kind == "tier_statement"]
        assert want == [f.value for f in got[iso3] if f.kind == "tier_statement"], iso3
    return scores


def test_2020_page_with_recommendations_glued_together(narratives, clean):
    got = {}
    for n in narratives:
        (m,) = parse_html(stategov(n, 2020, ""), year=2018, origin=n.country).narratives
        got[m.country] = extract(m)
    _check(clean, got)


def test_text_copy_with_running_heads_glued_mid_sentence(narratives, clean):
    text = text_copy(narratives)
    assert re.search(r" \d{2,3}[A-Z]{4,}[a-z]", text)  # "the 65AFGHANISTANmore"
    result = parse_report_text(text, "txt", year=2018, origin="copy.txt")
    assert result.repairs["running_headers"] >= 187
    for n in result.narratives:
        assert not re.search(r"\d{2,3}" + re.escape(n.name) + r"[a-z]", n.text), n.doc_id
    _check(clean, {n.country: extract(n) for n in result.narratives})


@pytest.fixture(scope="module")
def pdf_subset(narratives):
    return narratives[::12]  # 16 narratives, every region and tier


@pytest.mark.parametrize("two_column", [False, True], ids=["single-column", "two-column"])
def test_report_pdf_layouts(pdf_subset, clean, tmp_path, two_column):
    from weasyprint import HTML

    pdf = tmp_path / "report.pdf"
    HTML(string=pdf_html(pdf_subset, two_column)).write_pdf(pdf)
    db = tmp_path / "corpus.duckdb"
    res = run_cli("ingest", str(pdf), "--year", "2018", "--format", "json", "--corpus", str(db))
    assert res.returncode == 0, res.stderr[-1500:]
    (report,) = json.loads(res.stdout)
    assert report["status"] == "stored" and len(report["doc_ids"]) == len(pdf_subset)
    assert not [w for w in report["warnings"] if "not split" in w or "no tier" in w]
    for doc_id, sections in report["sections"].items():
        assert {"recommendations", "prosecution", "protection", "prevention"} <= set(sections) or (
            "government_efforts" in sections
        ), doc_id
        assert "profile" in sections, doc_id
    con = local.connect(db)
    try:
        got = {}
        for doc_id in report["doc_ids"]:
            n = local.narrative(con, doc_id)
            assert "TIER RANKING" not in n.text and "2008 2009 2010" not in n.text
            got[n.country] = extract(n)
    finally:
        con.close()
    _check(clean, got, subset={n.country for n in pdf_subset})


# --------------------------------------------------------------------------- rules one by one

BODY = (
    "The Government of Kosovo does not fully meet the minimum standards for the elimination of "
    "trafficking but is making significant efforts to do so; therefore Kosovo remained on "
    "Tier 2.\n{rec}\nIncrease prosecutions of traffickers; train judges.\nPROSECUTION\n"
    "The government convicted four traffickers.\nPROTECTION\nThe government identified 30 "
    "victims.\nPREVENTION\nThe government ran a campaign.\nTRAFFICKING PROFILE\nKosovo is a "
    "source country for women subjected to sex trafficking in Albania.\n"
)


@pytest.mark.parametrize(
    ("title", "tier"),
    [
        ("KOSOVO (Tier 2)", "2"),
        ("KOSOVO: Tier 2", "2"),
        ("KOSOVO: TIER 2 WATCH LIST", "2WL"),
        ("Kosovo (Tier 2 Watch List)", "2WL"),
        ("CURAÇAO: Tier 2†", "2"),
        ("CURAÇAO: Tier 2 WATCH LIST†", "2WL"),
        ("COTE D’IVOIRE: Tier 2", "2"),
        ("Cote d'Ivoire (Tier 3)", "3"),
        ("MICRONESIA, FEDERATED STATES OF: Tier 2", "2"),
        ("Congo, Democratic Republic of the (Tier 2 Watch List)", "2WL"),
        ("SPECIAL CASE: LIBYA", "special"),
        ("Libya (Special Case)", "special"),
    ],
)
@pytest.mark.parametrize("rec", ["PRIORITIZED RECOMMENDATIONS", "PRIORITIZED RECOMMENDATIONS:",
                                 "Recommendations for Kosovo:", "RECOMMENDATIONS FOR KOSOVO:"])
def test_title_line_and_recommendation_heading_variants(title, tier, rec):
    text = f"{title}\n" + BODY.format(rec=rec)
    (n,) = parse_report_text(text, "txt", year=2019).narratives
    assert n.meta["tier"] == tier
    assert list(n.spans) == ["intro", "recommendations", "prosecution", "protection",
                             "prevention", "profile"]
    assert n.sections["recommendations"] == "Increase prosecutions of traffickers; train judges."


def test_run_in_recommendations_and_mixed_case_headings_before_2017():
    text = (
        "KOSOVO (Tier 2)\nKosovo is a source country for women subjected to sex trafficking.\n"
        "The Government of Kosovo does not fully comply with the minimum standards for the "
        "elimination of trafficking; however, it is making significant efforts to do so.\n"
        "Recommendations for Kosovo: Increase prosecutions; train judges; and fund shelters.\n"
        "Prosecution\nThe government convicted four traffickers.\nProtection\nShelters.\n"
        "Prevention\nA campaign.\n"
    )
    (n,) = parse_report_text(text, "txt", year=2009).narratives
    assert list(n.spans) == ["profile", "intro", "recommendations", "prosecution",
                             "protection", "prevention"]
    assert n.sections["profile"].startswith("Kosovo is a source country")
    assert [f.value["index"] for f in extract(n) if f.kind == "recommendation"] == [1, 2, 3]


def test_bullets_and_glued_items_are_one_recommendation_each():
    assert split_recommendations("Increase funding. • Train police. • Adopt the 2019-2021 NAP.") \
        == ["Increase funding.", "Train police.", "Adopt the 2019-2021 NAP."]
    assert split_recommendations("Raise prison terms.Provide shelters (NPA).Amend the U.S.-style "
                                 "law.") == ["Raise prison terms.", "Provide shelters (NPA).",
                                             "Amend the U.S.-style law."]


def test_running_heads_are_removed_only_where_they_name_a_country():
    out, n = strip_running_headers("the 65AFGHANISTANmore than 460ZIMBABWE\nvictims in 2017.")
    assert (out, n) == ("the more than\nvictims in 2017.", 2)
    same = "In 2017 officials seized 25 kg; UNSCR 1325 and 3MW of power."
    assert strip_running_headers(same) == (same, 0)


def test_ft_is_read_as_fl_only_where_the_word_list_says_so():
    text = "armed conftict, Conftating, ftows, inftuence; left, after, shift, theft, aircraft, soft"
    fixed, n = fix_ligatures(text)
    assert fixed == ("armed conflict, Conflating, flows, influence; left, after, shift, theft, "
                     "aircraft, soft")
    assert n == 4


def test_line_end_hyphens_keep_suspended_hyphens():
    assert _join("the government-", "owned shelter") == "the government-owned shelter"
    assert _join("for mid-", "to high-level officials") == "for mid- to high-level officials"


def test_page_chrome_is_not_narrative_text(narratives):
    n = next(x for x in narratives if x.country == "BOL")
    (m,) = parse_html(stategov(n, 2019, " • "), year=2019).narratives
    for chrome in ("official website", "Share", "Privacy", "site map", "tracking", "Home"):
        assert chrome not in m.text


def test_a_corrupt_pdf_is_refused_in_one_line_and_the_corpus_keeps_its_documents(tmp_path):
    db = tmp_path / "corpus.duckdb"
    good = tmp_path / "good.txt"
    good.write_text("2019 Trafficking in Persons Report\nKOSOVO: Tier 2\n" +
                    BODY.format(rec="PRIORITIZED RECOMMENDATIONS"), encoding="utf-8")
    assert run_cli("ingest", str(good), "--corpus", str(db)).returncode == 0
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    res = run_cli("ingest", str(bad), "--corpus", str(db))
    assert res.returncode == 2
    assert "bad.pdf" in res.stderr and "Traceback" not in res.stderr
    con = local.connect(db)
    try:
        assert local.narrative(con, "txt:2019:XKX") is not None
    finally:
        con.close()


def test_report_flags_what_looks_lost(tmp_path):
    text = ("2019 Trafficking in Persons Report\nKOSOVO\nPROSECUTION\nThe government convicted "
            "four traffickers.\nPRIORITIZED RECOMMENDATIONS\n" + "Increase prosecutions of "
            "traffickers and fund shelters and train judges " * 12 + "\n")
    f = tmp_path / "flat.txt"
    f.write_text(text, encoding="utf-8")
    result = load_path_report(f)
    from tipwatch.ingest.report import document_report

    facts = [x for n in result.narratives for x in extract(n)]
    rep = document_report(str(f), result.narratives, facts, result.warnings)
    joined = " | ".join(rep.warnings)
    assert "no tier line" in joined and "fewer than 3 sections" in joined
    assert "recommendations not split" in joined


def test_ingest_report_as_table_and_json_counts_a_refused_document(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("2019 Trafficking in Persons Report\nKOSOVO: Tier 2\n" +
                    BODY.format(rec="PRIORITIZED RECOMMENDATIONS"), encoding="utf-8")
    odd = tmp_path / "odd.html"
    odd.write_text("<html><body><p>An unknown layout.</p></body></html>", encoding="utf-8")
    db = tmp_path / "corpus.duckdb"
    res = run_cli("ingest", str(good), "--report", "--corpus", str(db))
    assert res.returncode == 0, res.stderr
    assert "Ingest report" in res.stdout and "stored" in res.stdout and "txt:2019:XKX" in res.stdout
    res = run_cli("ingest", str(good), str(odd), "--format", "json", "--corpus", str(db))
    assert res.returncode == 2
    rows = json.loads(res.stdout)
    assert [r["status"] for r in rows] == ["stored", "unrecognised"]
    assert rows[0]["facts"]["recommendation"] == 2 and rows[0]["sections"]["txt:2019:XKX"] == [
        "intro", "recommendations", "prosecution", "protection", "prevention", "profile"]
    assert "odd.html" in rows[1]["warnings"][0]
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        (sha, size, status), = con.execute(
            "SELECT sha256, bytes, status FROM sources WHERE path = ?", [str(good)]).fetchall()
        (odd_status,), = con.execute(
            "SELECT status FROM sources WHERE path = ?", [str(odd)]).fetchall()
    finally:
        con.close()
    import hashlib

    assert sha == hashlib.sha256(good.read_bytes()).hexdigest() and size == good.stat().st_size
    assert status == "stored" and odd_status == "unrecognised"
