"""What users read of the 2018 set: the PDF parse's punctuation letters put back, offsets kept."""

from __future__ import annotations

import json
import os

from conftest import run_cli
from tipwatch.ingest.tip2018 import load_tip2018, readable


def test_readable_puts_the_punctuation_back_one_for_one():
    nars = load_tip2018()
    garbled = [n for n in nars if "Š" in n.text]
    assert len(garbled) > 100
    for n in garbled:
        fixed = readable(n.text)
        assert len(fixed) == len(n.text)
        assert "Š" not in fixed and "ﬁ" not in fixed and "ﬂ" not in fixed
    n = next(n for n in nars if "ﬁ" in n.text and "ﬂ" in n.text)
    i = n.text.index("ﬁ")
    j = n.text.index("ﬂ", i)
    assert readable(n.text)[i] == "“" and readable(n.text)[j] == "”"
    assert readable("Šumava ﬁlm") == "—umava “lm"  # a text of the set, not any text


def test_quotes_and_recommendations_of_2018_read_clean(store_db):
    env = {**os.environ, "TIPWATCH_DB": str(store_db)}
    recs = run_cli("recommendations", "Nigeria", "--format", "json", env=env)
    assert recs.returncode == 0, recs.stderr
    texts = [r["text"] for r in json.loads(recs.stdout)["rows"] if r.get("text")]
    assert texts and not any("Š" in t for t in texts)
    assert any("traffickers—including" in t for t in texts)  # "traffickersŠincluding" parsed
    facts = run_cli("extract", "--year", "2018", "--country", "Nigeria", "--kind",
                    "recommendation", "-f", "json", env=env)
    assert facts.returncode == 0, facts.stderr
    rows = json.loads(facts.stdout)
    quotes = [r["quote"] for r in rows if r["quote"]]
    assert quotes and not any("Š" in q or "ﬁ" in q or "ﬂ" in q for q in quotes)
    assert any("—" in q for q in quotes)
    assert all(len(r["quote"]) == r["end"] - r["start"] for r in rows if r["quote"])
