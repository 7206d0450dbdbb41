"""import-placements reproduces the bundled panel; bad files fail cleanly."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from conftest import run_cli
from tipwatch import panel, panel_import
from tipwatch.errors import MalformedInputError, UnknownCountryError
from tipwatch.paths import DATA_DIR

BUNDLED = ("placements.csv", "stated_totals.csv", "sources.yml")


def test_reimport_reproduces_the_bundled_files(shared, tmp_path: Path) -> None:
    res = run_cli(
        "import-placements", str(shared / "data" / "tip_tiers.csv"), "--out", str(tmp_path)
    )
    assert res.returncode == 0, res.stderr
    for name in BUNDLED:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_bundled_panel_matches_the_research_file(shared) -> None:
    src = pd.read_csv(shared / "data" / "tip_tiers.csv", dtype=str, keep_default_na=False)
    mine = panel.load_placements()
    assert len(mine) == len(src)
    a = src.set_index(["iso3", src["year"].astype(int)])["tier"].sort_index()
    b = mine.set_index(["iso3", "year"])["tier"].sort_index()
    assert (a.values == b.values).all() and (a.index == b.index).all()


def test_basis_marks_deduced_rows_and_their_note_says_how() -> None:
    df = panel.load_placements()
    deduced = df[df["basis"] == "deduced"]
    assert set(df["basis"]) == {"read", "deduced"}
    assert deduced["source"].str.match(r"^(deduction_|elimination_)").all()
    assert (
        not df.loc[df["basis"] == "read", "source"].str.match(r"^(deduction_|elimination_)").any()
    )
    assert deduced["note"].str.contains("deduced|elimination", case=False).all()
    assert len(deduced) > 200


def test_every_row_names_a_known_source() -> None:
    sources = panel.load_sources()
    df = panel.load_placements()
    assert set(df["source"]) == set(sources["sources"])
    for sid, entry in sources["sources"].items():
        assert entry["publisher"] and entry["origin"] and entry["licence"], sid
        assert entry["rows"] == int((df["source"] == sid).sum())
    assert len(sources["imported_file"]["sha256"]) == 64


def _write(tmp_path: Path, text: str) -> Path:
    d = tmp_path / "in"
    d.mkdir(exist_ok=True)
    p = d / "tiers.csv"
    p.write_text(text, encoding="utf-8")
    return p


HEADER = "country,iso3,year,tier,source,all_sources,note\n"


@pytest.mark.parametrize(
    "body,exc,words",
    [
        ("Chad,TCD,2010,2WL,x,,\nNiger,NER,2010,2,x,\n", MalformedInputError, "line 3"),
        ("Chad,TCD,2010,2WL,x,,\nNiger,NER,2010,4,x,,\n", MalformedInputError, "tier '4'"),
        ("Chad,TCD,2010,2WL,x,,\nChad,TCD,2010,3,x,,\n", MalformedInputError, "second row"),
        ("Chad,TCD,1999,2,x,,\n", MalformedInputError, "1999"),
        ("Chad,TCD,20x0,2,x,,\n", MalformedInputError, "not a number"),
        ("Narnia,NAR,2010,2,x,,\n", UnknownCountryError, "Narnia"),
        ("Chad,NER,2010,2,x,,\n", MalformedInputError, "resolves to TCD"),
        ('Chad,TCD,2010,2,x,"unterminated,\n', MalformedInputError, "line"),
    ],
)
def test_malformed_rows_are_rejected_with_their_line(tmp_path, body, exc, words) -> None:
    path = _write(tmp_path, HEADER + body)
    out = tmp_path / "out"
    with pytest.raises(exc) as err:
        panel_import.import_placements(path, out)
    assert words in str(err.value)
    assert not out.exists() or not any(out.iterdir())


def test_truncated_research_file_is_rejected_and_nothing_written(shared, tmp_path) -> None:
    raw = (shared / "data" / "tip_tiers.csv").read_bytes()
    path = tmp_path / "tip_tiers.csv"
    path.write_bytes(raw[: len(raw) // 2])  # cut in the middle of a row
    out = tmp_path / "out"
    res = run_cli("import-placements", str(path), "--out", str(out))
    assert res.returncode == 2
    assert "tip_tiers.csv" in res.stderr and "line" in res.stderr
    assert "Traceback" not in res.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02garbage\xff", b"a,b\n1,2\n"])
def test_empty_binary_or_foreign_files_exit_2(tmp_path, content) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    res = run_cli("import-placements", str(path), "--out", str(tmp_path / "out"))
    assert res.returncode == 2, res.stderr
    assert "x.csv" in res.stderr
    assert "Traceback" not in res.stderr


def test_import_into_existing_folder_keeps_old_files_on_failure(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "placements.csv").write_text("old\n")
    path = _write(tmp_path, HEADER + "Chad,TCD,2003,2WL,x,,\n")  # Watch List before 2004
    with pytest.raises(Exception, match="Watch List before 2004"):
        panel_import.import_placements(path, out)
    assert (out / "placements.csv").read_text() == "old\n"


def test_small_valid_file_imports(tmp_path) -> None:
    path = _write(tmp_path, HEADER + "Chad,TCD,2010,2WL,x,,\nBurma,MMR,2010,3,y,,\n")
    report = panel_import.import_placements(path, tmp_path / "out")
    assert report.rows == 2
    with open(tmp_path / "out" / "placements.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["iso3"] for r in rows} == {"TCD", "MMR"}
    assert {r["name"] for r in rows} == {"Chad", "Burma"}
