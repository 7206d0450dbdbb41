"""The PDF rendered in parallel parts equals the one-piece render: pages, text, links, footer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tipwatch.report import builder, pdf
from tipwatch.store import explore as data
from tipwatch.store.build import connect

YEAR = 2001  # the smallest complete year: two renders stay quick


@pytest.fixture(scope="module")
def html(store_db: Path) -> str:
    con = connect(store_db)
    try:
        with data.known_schema(data.read_schema(con)):
            return builder.render_html(builder.collect(con, YEAR))
    finally:
        con.close()


@pytest.fixture(scope="module")
def rendered(html: str, tmp_path_factory: pytest.TempPathFactory) -> dict[int, PdfReader]:
    folder = tmp_path_factory.mktemp("pdf")
    lines: list[str] = []
    out = {}
    for parts in (1, 3):
        target = folder / f"parts-{parts}.pdf"
        pages = pdf.write_pdf(html, target, base_url=str(folder), footer=builder.footer(YEAR),
                              report=lines.append, parts=parts, title=builder.report_title(YEAR))
        out[parts] = PdfReader(target)
        assert pages == len(out[parts].pages)
    # one line per part and one for the join, each with its page count
    assert sum(1 for line in lines if re.search(r"PDF part \d/3: \d+ pages", line)) == 3
    assert not list(folder.glob(".*parts"))  # the part files are gone
    return out


def _body(page) -> str:  # noqa: ANN001 - a pypdf page
    text = " ".join((page.extract_text() or "").split())
    return re.sub(r"tipwatch — an independent reading of the \d{4} TIP Report — page \d+ of \d+",
                  "", text).strip()


def test_split_cuts_at_country_pages_and_keeps_every_anchor(html: str) -> None:
    docs = pdf.split_html(html, 3)
    assert len(docs) == 3
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    owned = [own for _, own in docs]
    assert set().union(*owned) == ids and sum(map(len, owned)) == len(ids)  # each id once
    for doc, _own in docs:
        assert set(re.findall(r'\bid="([^"]+)"', doc)) == ids  # the others as placeholders
        assert "content: none" in doc  # parts render without the footer
    assert docs[1][0].split("<body>", 1)[1].lstrip().startswith(
        '<section class="countries-continued"><article class="country"')


def test_parallel_parts_give_the_same_pages_and_text(rendered: dict[int, PdfReader]) -> None:
    one, three = rendered[1], rendered[3]
    assert len(one.pages) == len(three.pages) > 80
    for i, (a, b) in enumerate(zip(one.pages, three.pages, strict=True)):
        assert _body(a) == _body(b), f"page {i + 1} differs"


def test_every_page_has_its_footer_and_the_pdf_its_title(rendered: dict[int, PdfReader]) -> None:
    for reader in rendered.values():
        n = len(reader.pages)
        for i, page in enumerate(reader.pages, start=1):
            text = " ".join((page.extract_text() or "").split())
            assert (f"tipwatch — an independent reading of the {YEAR} TIP Report — "
                    f"page {i} of {n}") in text
        assert reader.metadata.title == builder.report_title(YEAR)


def test_links_across_parts_land_on_the_country_page(rendered: dict[int, PdfReader]) -> None:
    for reader in rendered.values():
        dests = reader.named_destinations
        checked = 0
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                annot = annot.get_object()
                if "/Dest" not in annot:
                    continue
                name = str(annot["/Dest"])
                assert name in dests, name
                if name.startswith("c-"):
                    target = reader.pages[reader.get_destination_page_number(dests[name])]
                    assert name[2:] in (target.extract_text() or ""), name
                    checked += 1
        assert checked >= 2 * 80  # tier lists and region tables link every country
