"""Report texts of two consecutive years, written at test time from the 2018 narratives.

Nothing here is report text: the narratives are read from ``../shared`` when a test runs and
written into its ``tmp_path``. Each country's 2018 narrative becomes the narrative of
``YEAR1`` and ``YEAR2`` with the years shifted, the tier line and placement phrase replaced
(:data:`SCENARIO`), the law-enforcement counts replaced by sentences this file writes (with a
prior-year figure that matches, or on purpose does not match, the previous year), and the
second year's recommendations edited (:func:`edit_recommendations`), so that the truth of
every placement, figure and recommendation link is known.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from tipwatch.ingest.csvrows import read_rows
from tipwatch.ingest.tip2018 import load_tip2018
from tipwatch.paths import shared_dir

YEAR1, YEAR2 = 2025, 2026

#: iso3 -> ((tier, phrase) in YEAR1 or None, (tier, phrase) in YEAR2 or None)
SCENARIO: dict[str, tuple[tuple[str, str] | None, tuple[str, str] | None]] = {
    "GHA": (("2", "remained on Tier 2"), ("2", "remained on Tier 2")),
    "ECU": (("2", "remained on Tier 2"), ("2WL", "was downgraded to Tier 2 Watch List")),
    "PER": (("2", "remained on Tier 2"), ("2", "remained on Tier 2")),
    "CIV": (("2WL", "was downgraded to Tier 2 Watch List"),
            ("2WL", "remained on Tier 2 Watch List for the second consecutive year")),
    "AFG": (("3", "remained on Tier 3"), ("3", "remained on Tier 3")),
    "COL": (("1", "remained on Tier 1"), ("1", "remained on Tier 1")),
    "BTN": (None, ("2WL", "was upgraded to Tier 2 Watch List")),
    "ZMB": (None, ("2", "was downgraded to Tier 2")),
    "TUR": (None, ("2WL", "remained on Tier 2 Watch List for the third consecutive year")),
    "BOL": (None, ("2WL", "was upgraded to Tier 2 Watch List")),
    "GIN": (None, ("2WL", "remained on Tier 2 Watch List for the second consecutive year")),
}
WAIVER = {"GIN"}
#: what the store must make of it (the panel holds no 2025 row for the gap countries)
EXPECT_FILLED = {("GHA", YEAR1), ("ECU", YEAR1), ("PER", YEAR1), ("CIV", YEAR1)} | {
    (iso3, YEAR2) for iso3 in SCENARIO}
EXPECT_DEDUCED = {("BTN", YEAR1): "3", ("ZMB", YEAR1): "1", ("TUR", YEAR1): "2WL",
                  ("GIN", YEAR1): "2WL"}
EXPECT_CONFLICTS = {("COL", YEAR1, "placement"), ("COL", YEAR1, "transition"),
                    ("TUR", YEAR1 - 1, "transition"), ("BOL", YEAR1, "transition"),
                    ("GIN", YEAR1 - 1, "transition")}
#: the prior-year figure YEAR2 quotes for investigations is wrong on purpose here
PRIOR_MISMATCH = {"ECU"}

TIER_HEAD = {"1": "TIER 1", "2": "TIER 2", "2WL": "TIER 2 WATCH LIST", "3": "TIER 3"}


@dataclass
class Written:
    files: dict[int, Path]
    counts: dict[tuple[str, int], dict[str, int]] = field(default_factory=dict)
    #: iso3 -> list of (index in YEAR2, index in YEAR1 or None, "repeated"/"modified"/"new")
    links: dict[str, list[tuple[int, int | None, str]]] = field(default_factory=dict)
    dropped: dict[str, list[int]] = field(default_factory=dict)


def _rows() -> dict[str, dict[str, str]]:
    path = shared_dir() / "data" / "narratives" / "tip2018_teomotun" / \
        "tip2018_country_narratives_flat.csv"
    return {r["iso3"]: r for r in read_rows(path, {"iso3"}, "the 2018 flat CSV")}


def _shift(text: str, year: int) -> str:
    return re.sub(r"\b(2016|2017|2018)\b", lambda m: str(year - (2018 - int(m.group(1)))), text)


def _placement(n, phrase: str, year: int) -> str:
    """The intro with its placement phrase (as the tier extractor finds it) replaced."""
    from tipwatch.extract import tier

    a, b = n.spans["intro"]
    found = tier.extract(n)
    if found and a <= found[0].start < b:
        f = found[0]
        intro = n.text[a:f.start] + phrase + n.text[f.end:b]
    else:
        intro = n.text[a:b] + f" Therefore the country {phrase}."
    return _shift(intro, year)


def split_recommendations(text: str) -> list[str]:
    parts = [p.strip(" .\n") for p in re.split(r";\s*", text) if p.strip(" .\n")]
    return [re.sub(r"^and\s+", "", p) for p in parts if len(p) >= 8]


_SYNONYMS = {"increase": "expand", "victims": "survivors", "traffickers": "perpetrators",
             "officials": "authorities", "implement": "carry out", "prosecute": "try",
             "investigate": "look into", "provide": "offer", "adequate": "sufficient",
             "develop": "draft", "including": "notably", "vigorously": "robustly",
             "identify": "detect", "train": "instruct", "ensure": "make sure",
             "law": "statute", "funding": "resources", "formal": "written"}


def _reword(s: str, rng: random.Random) -> str:
    """Synonyms for common words and the second half of the item rewritten."""
    words = [_SYNONYMS.get(w.lower(), w) for w in s.split()]
    half = len(words) // 2
    return " ".join(words[:half]) + " and " + rng.choice(
        ["track the results publicly", "allocate dedicated staff to this work",
         "report on progress each year", "involve civil society in doing so"])


_EDITS = (
    lambda s, r: s + ", including in rural areas and border regions",
    lambda s, r: re.sub(r"^(\w+)", lambda m: {"increase": "Significantly increase",
                                             "train": "Continue to train"}.get(
        m.group(1).lower(), "Prioritize efforts to " + m.group(1).lower()), s, count=1),
    lambda s, r: " ".join(w for i, w in enumerate(s.split()) if i % 7 != 3),
    lambda s, r: s.split(",")[0] + " and report on the results" if "," in s else
    s + " and report on the results",
    _reword,
)


def edit_recommendations(iso3: str, recs: list[str], others: list[str],
                         rng: random.Random, hard: bool = False
                         ) -> tuple[list[str], list[tuple[int, int | None, str]], list[int]]:
    """The next year's list: most repeated, some modified, one or two dropped, one or two new
    (taken from another country's list; with ``hard``, the other country's item most like a
    dropped one, and rewordings among the modifications), in a shuffled order."""
    from tipwatch.extract.recommendations import topics_of

    edits = _EDITS if hard else _EDITS[:4]
    items: list[tuple[str, int | None, str]] = []
    dropped: list[int] = []
    n_drop = 1 if len(recs) < 6 else 2
    drop = set(rng.sample(range(len(recs)), n_drop)) if len(recs) > 2 else set()
    for i, r in enumerate(recs):
        if i in drop:
            dropped.append(i + 1)
            continue
        if rng.random() < 0.35:
            edit = rng.choice(edits)
            items.append((edit(r, rng), i + 1, "modified"))
        else:
            items.append((r, i + 1, "repeated"))
    n_new = 2 if len(recs) >= 6 else 1
    if hard and dropped:  # a new item on the same subject as a dropped one
        extras = []
        for d in dropped[:n_new]:
            want = set(topics_of(recs[d - 1]))
            same = [o for o in others if want & set(topics_of(o)) and o not in recs]
            extras.append(rng.choice(same or others))
    else:
        extras = rng.sample(others, n_new)
    for extra in extras:
        items.append((extra, None, "new"))
    head, tail = items[:2], items[2:]
    rng.shuffle(tail)
    items = head + tail
    links = [(k + 1, prev, how) for k, (_, prev, how) in enumerate(items)]
    return [t for t, _, _ in items], links, dropped


def link_pairs(n_countries: int, seed: int, hard: bool = True
               ) -> list[tuple[str, list[str], list[str], list[tuple[int, int | None, str]]]]:
    """Labelled country pairs of consecutive years: (iso3, year-1 items, year items, truth)."""
    rows = _rows()
    lists = {i: split_recommendations(r.get("recommendations") or "") for i, r in rows.items()}
    isos = sorted(i for i, v in lists.items() if len(v) >= 4)
    rng = random.Random(seed)
    out = []
    for iso3 in rng.sample(isos, n_countries):
        others = [x for j in isos if j != iso3 for x in lists[j]]
        new, links, _ = edit_recommendations(iso3, lists[iso3], others, rng, hard=hard)
        out.append((iso3, lists[iso3], new, links))
    return out


def write_reports(tmp: Path, iso3s: list[str] | None = None, seed: int = 11) -> Written:
    """Write ``report_YEAR1.txt`` and ``report_YEAR2.txt`` into ``tmp``."""
    rows = _rows()
    narr = {n.country: n for n in load_tip2018()}
    rng = random.Random(seed)
    chosen = iso3s or list(SCENARIO)
    pool = [r for iso3, row in rows.items() if iso3 not in chosen
            for r in split_recommendations(row.get("recommendations") or "")]
    out = Written(files={})
    texts = {YEAR1: [f"{YEAR1} Trafficking in Persons Report", ""],
             YEAR2: [f"{YEAR2} Trafficking in Persons Report", ""]}
    for k, iso3 in enumerate(chosen):
        row, n = rows[iso3], narr[iso3]
        scen = SCENARIO.get(iso3, (("2", "remained on Tier 2"), ("2", "remained on Tier 2")))
        recs1 = split_recommendations(row.get("recommendations") or "")
        recs2, links, dropped = edit_recommendations(iso3, recs1, pool, rng)
        out.links[iso3], out.dropped[iso3] = links, dropped
        inv1, pro1, con1, vic1 = 30 + k, 12 + k, 5 + k, 100 + 3 * k
        inv2, pro2, con2, vic2 = inv1 + 7, pro1 + 2, con1 + 1, vic1 + 20
        quoted = inv1 + 4 if iso3 in PRIOR_MISMATCH else inv1
        for year, spec, recs, counts, prior in (
            (YEAR1, scen[0], recs1, (inv1, pro1, con1, vic1), None),
            (YEAR2, scen[1], recs2, (inv2, pro2, con2, vic2), (quoted, pro1, con1, vic1)),
        ):
            if spec is None:
                continue
            tier, phrase = spec
            out.counts[(iso3, year)] = dict(zip(
                ("investigations", "prosecutions", "convictions", "victims_identified"), counts,
                strict=True))
            intro = _placement(n, phrase, year)
            if iso3 in WAIVER and year == YEAR2:
                intro += (" The government was granted a waiver from an otherwise required "
                          "downgrade to Tier 3 because it has a written plan.")
            before = (f" (compared with {prior[0]} in {year - 1})" if prior else "")
            pros = (f"The government investigated {counts[0]} cases{before}, prosecuted "
                    f"{counts[1]} defendants and convicted {counts[2]} traffickers.")
            vic_before = f" (compared with {prior[3]} in {year - 1})" if prior else ""
            prot = (f"Authorities identified {counts[3]} victims{vic_before}. "
                    + _shift(n.sections.get("protection", ""), year).replace("\n", " "))
            texts[year] += [
                f"{row['report_name']}: {TIER_HEAD[tier]}",
                intro.replace("\n", " "),
                "PRIORITIZED RECOMMENDATIONS:",
                "; ".join(recs) + ".",
                "PROSECUTION",
                pros,
                "PROTECTION",
                prot,
                "PREVENTION",
                _shift(n.sections.get("prevention", ""), year).replace("\n", " "),
                "TRAFFICKING PROFILE",
                _shift(n.sections.get("profile", ""), year).replace("\n", " "),
                "",
            ]
    for year, lines in texts.items():
        path = tmp / f"report_{year}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out.files[year] = path
    return out


def build_store(tmp: Path) -> dict:
    """Write both years, `tipwatch ingest` them and `tipwatch build`, as a user would."""
    import os

    from conftest import run_cli

    written = write_reports(tmp)
    env = dict(os.environ)
    env["TIPWATCH_CORPUS"] = str(tmp / "corpus.duckdb")
    env["TIPWATCH_DB"] = str(tmp / "store.duckdb")
    r = run_cli("ingest", str(written.files[YEAR1]), str(written.files[YEAR2]), env=env)
    assert r.returncode == 0, r.stderr
    r = run_cli("build", env=env)
    assert r.returncode == 0, r.stderr
    return {"tmp": tmp, "env": env, "written": written, "build_out": r.stdout}
