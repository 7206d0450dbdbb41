"""The panel learns from the narratives the user ingested.

The tier line of each corpus narrative is a placement read from that document:

* no panel row for that country-year: the row is added (basis ``read``, source = the
  document, evidence = its URL or path, note "read from the user's corpus");
* the panel agrees (or holds "Tier 1 or 2" and the document says 1 or 2): the document is
  added to the row's ``all_sources``;
* the panel disagrees: the bundled value stays and the pair is listed in ``conflicts``.

Transition phrases constrain the previous report (:func:`implied_previous`): "remained on Tier
2 Watch List for the third consecutive year" puts the two reports before on the Watch List,
"was upgraded to Tier 2 Watch List" means Tier 3 the year before, "was downgraded to Tier 2"
means Tier 1, "downgraded to Tier 2 Watch List" Tier 1 or 2, and a waiver "from an otherwise
required downgrade" means the Watch List in both previous reports. A gap such a phrase decides
is filled as ``deduced`` with the phrase and the rule in the note; a contradiction is a
conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tipwatch.tiers import RANKED, TIER_LABELS, TIER_RANK

WAIVER_RULE = ("22 U.S.C. 7107(b)(2)(D): a waiver is granted only from the downgrade required "
               "after two consecutive reports on the Watch List")
REMAINED_RULE = "'remained' keeps the tier of the previous report"
CONSECUTIVE_RULE = "'for the Nth consecutive year' puts the N-1 previous reports on the same tier"
UPGRADE_RULE = "an upgrade comes from a worse tier; only Tier 3 is worse than the Watch List"
DOWNGRADE_RULE = "a downgrade comes from a better tier"

_WAIVER_DOWNGRADE = re.compile(
    r"waiver[^.;]{0,160}?otherwise\s+required\s+downgrade", re.I)


@dataclass(frozen=True)
class Implied:
    year: int
    allowed: frozenset[str]  # tiers the previous report may hold
    fill: str | None  # the tier to fill a gap with when the phrase decides it
    phrase: str
    rule: str


def doc_tier(meta: dict[str, Any], statements: list[dict[str, Any]]) -> tuple[str | None, str]:
    """The tier a document's tier line states, and where it was read."""
    from tipwatch.ingest.text import tier_code

    if meta.get("tier") in TIER_LABELS:
        return str(meta["tier"]), "tier line"
    header = str(meta.get("tier_header") or "")
    code = tier_code(header) if header else None
    if code is None and header:
        from tipwatch.extract.tier import tier_code as loose

        code = loose(header)
    if code:
        return code, "tier line"
    for s in statements:
        v = _value(s)
        if v.get("tier") in TIER_LABELS:
            return str(v["tier"]), "tier statement"
    return None, ""


def _value(fact: dict[str, Any]) -> dict[str, Any]:
    import json

    v = fact.get("value")
    if isinstance(v, str) and v.startswith("{"):
        try:
            v = json.loads(v)
        except ValueError:
            return {}
    return v if isinstance(v, dict) else {}


def implied_previous(year: int, tier: str, statement: dict[str, Any] | None, quote: str,
                     intro: str) -> list[Implied]:
    """What the document's transition phrases say about the reports before ``year``."""
    out: list[Implied] = []
    v = statement or {}
    movement = v.get("movement")
    said = v.get("tier") or tier
    ranked = list(RANKED)
    if movement == "remained" and said in ranked:
        n = v.get("consecutive_years") or 2
        rule = CONSECUTIVE_RULE if v.get("consecutive_years") else REMAINED_RULE
        for k in range(1, max(2, int(n))):
            out.append(Implied(year - k, frozenset({said}), said, quote, rule))
    elif movement == "upgraded" and said in ranked:
        worse = frozenset(t for t in ranked if TIER_RANK[t] > TIER_RANK[said])
        fill = next(iter(worse)) if len(worse) == 1 else None
        out.append(Implied(year - 1, worse, fill, quote, UPGRADE_RULE))
    elif movement == "downgraded" and said in ranked:
        better = frozenset(t for t in ranked if TIER_RANK[t] < TIER_RANK[said])
        fill = next(iter(better)) if len(better) == 1 else (
            "1or2" if better == {"1", "2"} else None)
        out.append(Implied(year - 1, better | ({"1or2"} if "1" in better and "2" in better
                                                else frozenset()), fill, quote, DOWNGRADE_RULE))
    m = _WAIVER_DOWNGRADE.search(intro or "")
    if m and said == "2WL":
        for k in (1, 2):
            if not any(i.year == year - k for i in out):
                out.append(Implied(year - k, frozenset({"2WL"}), "2WL",
                                   " ".join(m.group(0).split()), WAIVER_RULE))
    return [i for i in out if i.allowed]


def _agrees(panel_tier: str, tiers: frozenset[str] | set[str]) -> bool:
    if panel_tier in tiers:
        return True
    # a document that says 1 or 2 narrows a known "Tier 1 or 2"
    return panel_tier == "1or2" and bool(set(tiers) & {"1", "2"})


CONFLICT_COLUMNS = ("iso3", "name", "year", "kind", "panel_tier", "panel_source", "corpus_tier",
                    "doc_id", "evidence", "phrase", "rule", "note")
LEARNED_COLUMNS = ("iso3", "year", "doc_id", "tier", "read_from", "outcome", "evidence", "note")


def create_tables(con: Any) -> None:
    con.execute("CREATE OR REPLACE TABLE conflicts (" + ", ".join(
        f"{c} {'INTEGER' if c == 'year' else 'VARCHAR'}" for c in CONFLICT_COLUMNS) + ")")
    con.execute("CREATE OR REPLACE TABLE corpus_placements (" + ", ".join(
        f"{c} {'INTEGER' if c == 'year' else 'VARCHAR'}" for c in LEARNED_COLUMNS) + ")")


def learn(con: Any, docs: list[Any], statements: dict[str, list[dict[str, Any]]],
          corpus_label: str) -> dict[str, int]:
    """Apply the corpus placements to the store's ``placements``; recount ``years``."""
    cur = con.execute("SELECT iso3, name, year, tier, source, all_sources, note FROM placements")
    panel = {(r[0], int(r[2])): {"name": r[1], "tier": r[3], "source": r[4], "all_sources": r[5],
                                 "note": r[6]} for r in cur.fetchall()}
    names = dict(con.execute("SELECT iso3, name FROM countries").fetchall())
    added: dict[tuple[str, int], dict[str, Any]] = {}
    agree: dict[tuple[str, int], list[str]] = {}
    conflicts: list[dict[str, Any]] = []
    learned: list[dict[str, Any]] = []
    # 1. placements read from the documents' tier lines (all documents of a country-year)
    by_key: dict[tuple[str, int], list[tuple[Any, str, str]]] = {}
    for d in docs:
        tier, where = doc_tier(d.meta, statements.get(d.doc_id, []))
        if tier is None:
            learned.append({"iso3": d.iso3, "year": d.year, "doc_id": d.doc_id, "tier": None,
                            "read_from": "", "outcome": "no tier line", "evidence": d.evidence,
                            "note": ""})
            continue
        by_key.setdefault((d.iso3, d.year), []).append((d, tier, where))
    for key, found in sorted(by_key.items()):
        tiers = {t for _, t, _ in found}
        for d, tier, where in found:
            rec = {"iso3": key[0], "year": key[1], "doc_id": d.doc_id, "tier": tier,
                   "read_from": where, "evidence": d.evidence, "note": ""}
            row = panel.get(key)
            if row is not None:
                if _agrees(row["tier"], {tier}):
                    rec["outcome"] = "agrees"
                    agree.setdefault(key, []).append(f"{d.doc_id}={tier}")
                else:
                    rec["outcome"] = "conflict"
                    conflicts.append(_conflict(key, names, "placement", row, tier, d, "", "",
                                               "the bundled value stays"))
            elif len(tiers) > 1:
                rec["outcome"] = "conflict"
                conflicts.append(_conflict(key, names, "documents disagree", None, tier, d, "",
                                           "", "corpus documents give " + "/".join(sorted(tiers))
                                           + "; no placement filled"))
            else:
                rec["outcome"] = "filled" if key not in added else "agrees"
                if key not in added:
                    added[key] = _row(key, names, tier, d, "read",
                                      f"read from the user's corpus ({corpus_label}), "
                                      f"{where} of {d.doc_id}")
                else:
                    agree.setdefault(key, []).append(f"{d.doc_id}={tier}")
            learned.append(rec)
    # 2. what transition phrases say about the previous reports
    for d in docs:
        sts = statements.get(d.doc_id, [])
        tier, _ = doc_tier(d.meta, sts)
        if tier is None or not sts:
            continue
        st = sts[0]
        quote = " ".join(d.text[int(st["start"]):int(st["end"])].split())
        intro = d.text[slice(*d.spans["intro"])] if "intro" in d.spans else \
            d.text[slice(*d.spans["tier_rating"])] if "tier_rating" in d.spans else d.text
        for imp in implied_previous(d.year, tier, _value(st), quote, intro):
            key = (d.iso3, imp.year)
            row = panel.get(key) or added.get(key)
            allowed = "/".join(sorted(imp.allowed))
            if row is not None:
                if _agrees(row["tier"], imp.allowed) or (row["tier"] == "1or2"
                                                          and "1or2" in imp.allowed):
                    continue
                conflicts.append(_conflict(key, names, "transition", row, allowed, d,
                                           imp.phrase, imp.rule,
                                           f"{d.doc_id} ({d.year}) implies {allowed} for "
                                           f"{imp.year}; the panel value stays"))
                learned.append({"iso3": key[0], "year": imp.year, "doc_id": d.doc_id,
                                "tier": allowed, "read_from": "transition phrase",
                                "outcome": "conflict", "evidence": d.evidence,
                                "note": imp.phrase})
            elif imp.fill is not None:
                note = (f"deduced from the user's corpus ({corpus_label}): {d.doc_id} says "
                        f"'{imp.phrase}'; rule: {imp.rule}")
                added[key] = _row(key, names, imp.fill, d, "deduced", note)
                learned.append({"iso3": key[0], "year": imp.year, "doc_id": d.doc_id,
                                "tier": imp.fill, "read_from": "transition phrase",
                                "outcome": "deduced", "evidence": d.evidence, "note": note})
    _write(con, added, agree, conflicts, learned)
    return {"filled": sum(1 for r in added.values() if r["basis"] == "read"),
            "deduced": sum(1 for r in added.values() if r["basis"] == "deduced"),
            "agree": sum(len(v) for v in agree.values()), "conflicts": len(conflicts)}


def _row(key: tuple[str, int], names: dict[str, str], tier: str, d: Any, basis: str,
         note: str) -> dict[str, Any]:
    return {"iso3": key[0], "name": names.get(key[0], key[0]), "country": names.get(key[0]),
            "year": key[1], "tier": tier, "source": d.doc_id, "basis": basis,
            "evidence": d.evidence, "all_sources": f"{d.doc_id}={tier}", "note": note}


def _conflict(key: tuple[str, int], names: dict[str, str], kind: str, row: dict | None,
              corpus_tier: str, d: Any, phrase: str, rule: str, note: str) -> dict[str, Any]:
    return {"iso3": key[0], "name": names.get(key[0], key[0]), "year": key[1], "kind": kind,
            "panel_tier": row["tier"] if row else None,
            "panel_source": row["source"] if row else None, "corpus_tier": corpus_tier,
            "doc_id": d.doc_id, "evidence": d.evidence, "phrase": phrase, "rule": rule,
            "note": note}


def _write(con: Any, added: dict, agree: dict, conflicts: list, learned: list) -> None:
    for (iso3, year), extra in agree.items():
        con.execute(
            "UPDATE placements SET all_sources = concat_ws('; ', nullif(all_sources, ''), ?) "
            "WHERE iso3 = ? AND year = ?", ["; ".join(extra), iso3, year])
    from tipwatch.store.frames import insert_frame

    cols = ["iso3", "name", "country", "year", "tier", "source", "basis", "evidence",
            "all_sources", "note"]
    if added:
        insert_frame(con, "placements", cols, [[r[c] for c in cols] for r in added.values()])
    if conflicts:
        insert_frame(con, "conflicts", list(CONFLICT_COLUMNS),
                     [[c[k] for k in CONFLICT_COLUMNS] for c in conflicts])
    if learned:
        insert_frame(con, "corpus_placements", list(LEARNED_COLUMNS),
                     [[r.get(k) for k in LEARNED_COLUMNS] for r in learned])
    if added:
        recount_years(con)


def recount_years(con: Any) -> None:
    """``years`` again from the merged placements (coverage recounts)."""
    from tipwatch.coverage import year_status

    placements = con.execute("SELECT iso3, year, tier, basis FROM placements").df()
    stated = con.execute("SELECT year, category, stated, source FROM stated_totals").df()
    years = year_status(placements, stated)
    no_totals = ~years["year"].isin(set(stated["year"])) & (years["n_placements"] > 0)
    years.loc[no_totals, "status"] = "partial"  # nothing to tell it is complete
    years.loc[no_totals, "reason"] = "no totals stated for this report year: completeness unknown"
    con.register("yr_df", years)
    con.execute("CREATE OR REPLACE TABLE years AS SELECT * FROM yr_df ORDER BY year")
    con.unregister("yr_df")
    con.execute("UPDATE build_info SET placements = (SELECT count(*) FROM placements)")
