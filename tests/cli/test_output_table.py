"""The CLI's own text tables: every cell shown, wrapped at spaces, within the terminal width."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from tipwatch.output import table_text
from tipwatch.text_table import _cell_lines


def test_table_fits_the_width_and_keeps_every_word() -> None:
    rows = [{"country": "Bosnia and Herzegovina", "tier_label": "Tier 2 Watch List",
             "detail": "on the Watch List for the second consecutive report year " * 3},
            {"country": "Chad", "tier_label": "Tier 3", "detail": None}]
    text = table_text(rows, ["country", "tier_label", "detail"], title="Title", caption="cap",
                      width=60)
    lines = text.splitlines()
    assert lines[0].strip() == "Title" and lines[-1].strip() == "cap"
    assert max(len(line) for line in lines) <= 60
    assert "┃ country" in lines[2] and "tier " in lines[2]  # friendly header for tier_label
    body = " ".join(line.strip("│ ") for line in lines if line.startswith("│"))
    for word in ("Bosnia", "Herzegovina", "Watch", "consecutive", "Chad", "Tier 3"):
        assert word in body
    # rows stay in their columns: every body line has the same three separators
    assert {line.count("│") for line in lines if line.startswith("│")} == {4}


def test_a_word_longer_than_its_column_ends_in_an_ellipsis() -> None:
    text = table_text([{"a": "x" * 50, "b": "y"}], ["a", "b"], width=30)
    assert "…" in text and max(len(line) for line in text.splitlines()) <= 30


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab \t\n\r\x0b\x0c-é…\u00a0\u2003")),
                    max_size=30),
       width=st.integers(min_value=1, max_value=40))
def test_a_cell_that_fits_is_what_textwrap_makes_of_it(text: str, width: int) -> None:
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
    expected = [line if len(line) <= width else line[: width - 1] + "…" for line in lines]
    assert _cell_lines(text, width) == expected
