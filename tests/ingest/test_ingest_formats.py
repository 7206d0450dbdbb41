"""Report files a user downloads (text, HTML, PDF) and bad input, on fixtures this project wrote.

The fixture texts are written here in the report's structure (country heading, tier line,
section headings); they are not copied from any report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tipwatch.errors import MalformedInputError
from tipwatch.ingest import detect_format, load_path, load_path_report

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
SAMPLE = FIXTURES / "sample_report.txt"

HTML_PAGE = """<!doctype html>
<html><head><title>2031 Trafficking in Persons Report: Georgia</title>
<style>p {color: black}</style></head>
<body>
<nav><a href="/">Home</a></nav>
<h1>Georgia</h1>
<p><strong>TIER 1</strong></p>
<p>The Government of Georgia fully meets the minimum standards for the elimination of trafficking.
The government continued to demonstrate serious and sustained efforts; therefore Georgia remained
on Tier 1.</p>
<h3>Prioritized Recommendations:</h3>
<ul><li>Increase labor inspections in tourism;</li><li>train police on indicators.</li></ul>
<h3>Prosecution</h3>
<p>The government investigated 12 cases and prosecuted 7 defendants.</p>
<h3>Protection</h3>
<p>The government identified 30 victims.</p>
<h3>Prevention</h3>
<p>The government funded campaigns.</p>
<h3>Trafficking Profile</h3>
<p>Georgia is a source, transit, and destination country for women and girls subjected to sex
trafficking; Georgian women are exploited in Turkey and the United Arab Emirates.</p>
</body></html>
"""


def test_text_report_splits_countries_sections_and_skips_unknown_names():
    result = load_path_report(SAMPLE)
    ids = [n.doc_id for n in result.narratives]
    assert ids == ["txt:2031:MDA", "txt:2031:TCD"]
    assert len(result.warnings) == 1 and "FREEDONIA" in result.warnings[0]
    assert "does not know" in result.warnings[0]
    mda = result.narratives[0]
    assert mda.meta["tier"] == "2WL"
    assert set(mda.spans) == {
        "intro",
        "recommendations",
        "prosecution",
        "protection",
        "prevention",
        "profile",
    }
    assert mda.sections["protection"].startswith("Authorities identified 120")
    # the running page header "MOLDOVA" is not a new narrative and not section text
    assert "MOLDOVA" not in mda.sections["prosecution"] + mda.sections["protection"]
    tcd = result.narratives[1]
    assert tcd.meta["tier"] == "3" and tcd.sections["tier"] == "TIER 3"
    for n in result.narratives:
        for name, (a, b) in n.spans.items():
            assert n.text[a:b] == n.sections[name]


def test_year_comes_from_the_caller_when_the_text_has_none(tmp_path):
    body = SAMPLE.read_text(encoding="utf-8").replace("2031 Trafficking in Persons Report", "")
    f = tmp_path / "no_year.txt"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(MalformedInputError, match="report year"):
        load_path(f)
    assert {n.year for n in load_path(f, year=2030)} == {2030}


def test_html_country_page(tmp_path):
    page = tmp_path / "georgia.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    assert detect_format(page) == "html"
    (n,) = load_path(page)
    assert n.doc_id == "html:2031:GEO" and n.meta["tier"] == "1"
    assert n.sections["prosecution"].startswith("The government investigated 12 cases")
    assert "Increase labor inspections" in n.sections["recommendations"]
    assert "Georgian women are exploited in Turkey" in n.sections["profile"]


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory) -> Path:
    from weasyprint import HTML

    body = "".join(
        f"<p>{line}</p>" if line.strip() else "" for line in SAMPLE.read_text().splitlines()
    )
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    HTML(string=f"<html><body style='font-size:9pt'>{body}</body></html>").write_pdf(path)
    return path


def test_pdf_report(report_pdf):
    assert detect_format(report_pdf) == "pdf"
    result = load_path_report(report_pdf)
    assert [n.doc_id for n in result.narratives] == ["pdf:2031:MDA", "pdf:2031:TCD"]
    mda = result.narratives[0]
    assert "investigated 41 cases" in mda.sections["prosecution"]
    assert "Moldova is a source" in mda.sections["profile"]


def test_truncated_pdf_is_refused(report_pdf, tmp_path):
    data = report_pdf.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(MalformedInputError, match="truncated PDF"):
        load_path(cut)


@pytest.mark.parametrize(
    ("name", "content", "fmt", "message"),
    [
        ("empty.txt", b"", "auto", "empty file"),
        ("blank.html", b"   \n\n", "html", "empty file"),
        ("garbage.bin", bytes(range(256)) * 8, "auto", "binary"),
        ("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", "pdf", "PDF"),
        ("nopdf.pdf", b"hello, this is not a PDF", "pdf", "not a PDF"),
        (
            "nosections.html",
            b"<html><body><h1>Welcome</h1><p>News.</p></body></html>",
            "auto",
            "no country narrative",
        ),
        ("latin1.txt", "caf\xe9".encode("latin-1"), "txt", "not UTF-8"),
    ],
)
def test_bad_input_gets_one_clear_error(tmp_path, name, content, fmt, message):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(MalformedInputError, match=message) as info:
        load_path(f, fmt)
    assert name in str(info.value)  # the message says where
    assert "\n" not in str(info.value)


def test_missing_path_and_unknown_format(tmp_path):
    with pytest.raises(MalformedInputError, match="no such file"):
        load_path(tmp_path / "nothing.html")
    with pytest.raises(MalformedInputError, match="unknown format"):
        load_path(SAMPLE, "docx")


HTML_BOLD_PAGE = """<html><head><title>Algeria</title></head><body>
<h1>2031 Trafficking in Persons Report: Algeria</h1>
<p>Algeria (Tier 3)</p>
<p>The Government of Algeria does not fully meet the minimum standards and is not making
significant efforts to do so; therefore Algeria remained on Tier 3.</p>
<p><strong>Prosecution</strong></p>
<p>The government investigated 6 cases.</p>
<p><b>Trafficking Profile</b></p>
<p>Algeria is a transit and destination country for men from Mali.</p>
</body></html>"""


def test_html_with_mixed_case_heading_and_bold_section_titles(tmp_path):
    page = tmp_path / "algeria.html"
    page.write_text(HTML_BOLD_PAGE, encoding="utf-8")
    (n,) = load_path(page)
    assert n.doc_id == "html:2031:DZA" and n.meta["tier"] == "3"
    assert n.sections["prosecution"] == "The government investigated 6 cases."
    assert n.sections["profile"].startswith("Algeria is a transit")


def test_two_column_pdf_is_read_column_by_column(tmp_path):
    from weasyprint import HTML

    left = " ".join(f"Left sentence number {i} about prosecution work." for i in range(40))
    right = " ".join(f"Right sentence number {i} about the profile." for i in range(40))
    html = (
        "<html><head><style>@page { size: A4; margin: 1.5cm } body { column-count: 2; "
        "column-gap: 1cm; font-size: 9pt }</style></head><body>"
        "<p>2031 Trafficking in Persons Report</p><p>MOLDOVA: TIER 2</p>"
        "<p>The Government of Moldova remained on Tier 2.</p><p>PROSECUTION</p>"
        f"<p>{left}</p><p>TRAFFICKING PROFILE</p><p>{right}</p></body></html>"
    )
    path = tmp_path / "two_columns.pdf"
    HTML(string=html).write_pdf(path)
    (n,) = load_path(path)
    prosecution = n.sections["prosecution"]
    assert "Left sentence number 39" in prosecution and "Right sentence" not in prosecution
    assert "Right sentence number 0 " in n.sections["profile"]


def test_html_page_named_only_in_its_title(tmp_path):
    page = tmp_path / "chad.html"
    page.write_text(
        "<html><head><title>Chad - 2031 Trafficking in Persons Report</title></head><body>"
        "<p>TIER 2 WATCH LIST</p><p>The Government of Chad remained on Tier 2 Watch List.</p>"
        "<h3>Prosecution</h3><p>The government convicted one trafficker.</p></body></html>",
        encoding="utf-8",
    )
    (n,) = load_path(page)
    assert n.doc_id == "html:2031:TCD" and n.meta["tier"] == "2WL"
    assert n.sections["prosecution"] == "The government convicted one trafficker."
    assert n.sections["intro"] == "The Government of Chad remained on Tier 2 Watch List."


def test_unreadable_file(tmp_path):
    import os

    f = tmp_path / "locked.txt"
    f.write_text("2031 Trafficking in Persons Report\nCHAD\nTIER 3\n", encoding="utf-8")
    f.chmod(0)
    if os.access(f, os.R_OK):  # running as root: permissions are not enforced
        f = tmp_path  # a folder where a file is expected fails the same way
    with pytest.raises(MalformedInputError, match="cannot read|is a folder"):
        load_path(f, "txt")


def test_a_page_title_and_heading_on_one_line(tmp_path):
    """Pages that reproduce the report may print the title and the heading as one line."""
    f = tmp_path / "gtm.txt"
    f.write_text(
        "2031 Trafficking in Persons Report: Guatemala (Tier 2)\n\n"
        "The Government of Guatemala does not fully meet the minimum standards for the "
        "elimination of trafficking but is making significant efforts to do so.\n",
        encoding="utf-8")
    (n,) = load_path(f)
    assert (n.country, n.year, n.meta["tier"]) == ("GTM", 2031, "2")
    assert n.sections["intro"].startswith("The Government of Guatemala")
