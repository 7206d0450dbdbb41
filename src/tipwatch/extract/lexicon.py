"""Country names, aliases and demonyms as one compiled matcher (``data/demonyms.csv``).

The table holds facts only: ``iso3, term, kind, ambiguous`` where ``kind`` is ``name``,
``alias``, ``demonym``, ``iso2``, ``ambiguous`` (a bare name such as "Congo" or "Korea" that
does not say which country) or ``region`` (a place name that contains a country name but is not
that country, e.g. "Niger Delta", "Gulf of Guinea", "Central American"). Ambiguous and region
terms are matched so that they *consume* the text and hide the country name inside them.
The matcher is a regular expression built as a trie, so one pass over a text finds every term,
leftmost and longest first.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from re import Pattern
from typing import NamedTuple

from tipwatch.extract.patterns import compile_pattern, patterns
from tipwatch.extract.trie import trie_regex
from tipwatch.paths import DATA_DIR

_P = patterns("lexicon")

LEXICON_CSV = DATA_DIR / "demonyms.csv"


class Mention(NamedTuple):
    start: int
    end: int
    iso3: str  # "" for ambiguous and region terms
    kind: str  # name, alias, demonym, ambiguous, region
    term: str


@dataclass(frozen=True)
class Lexicon:
    terms: dict[str, tuple[str, str]]  # term -> (iso3, kind)
    pattern: Pattern[str]
    by_iso2: dict[str, str]
    names: dict[str, str]  # iso3 -> display name
    folded: dict[str, str]  # folded name/alias -> iso3

    def find(self, text: str) -> Iterator[Mention]:
        """Every country, ambiguous or region term in ``text`` (leftmost, longest)."""
        terms = self.terms
        # the PDF parse turned dashes and quotes into "Š", "ﬁ", "ﬂ" ("the UAE, and OmanŠin
        # search of work"): read as spaces (same length, so offsets hold)
        for ch in _GARBLED:
            if ch in text:
                text = text.replace(ch, " ")
        for m in self.pattern.finditer(text):
            term = m.group(0)
            base = term
            if base not in terms and base.endswith("s"):
                base = base[:-1]
            iso3, kind = terms.get(base, ("", "region"))
            yield Mention(m.start(), m.end(), iso3, kind, term)

    def resolve(self, name: str) -> str | None:
        """ISO3 for a name, alias or code, ignoring case, accents and punctuation."""
        key = fold(name)
        if len(key) == 3 and key.upper() in self.names:
            return key.upper()
        found = self.folded.get(key)
        if found is None and "," in name:  # "KOREA, REPUBLIC OF" -> "REPUBLIC OF KOREA"
            head, _, tail = name.partition(",")
            found = self.folded.get(fold(f"{tail} {head}"))
        if found is None:
            found = _table_lookup(name)
        return found


_GARBLED = ("Š", "ﬁ", "ﬂ")


def fold(name: str) -> str:
    """Lower case, no accents, punctuation as spaces, "the"/"st"/"saint" normalized."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("’", "'").replace("&", " and ")
    text = _P["lexicon.non_word"].sub(" ", text).replace("'", "")
    words = [w for w in text.split() if w != "the"]
    words = ["saint" if w == "st" else w for w in words]
    return " ".join(words)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon from ``data/demonyms.csv`` (cached)."""
    terms: dict[str, tuple[str, str]] = {}
    by_iso2: dict[str, str] = {}
    names: dict[str, str] = {}
    folded: dict[str, str] = {}
    with open(LEXICON_CSV, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            iso3, term, kind = row["iso3"], row["term"], row["kind"]
            if kind == "iso2":
                by_iso2[term] = iso3
                continue
            terms[term] = (iso3, kind)
            if iso3 and kind in ("name", "alias"):
                folded.setdefault(fold(term), iso3)
    # display names: the shortest name of each entity (not its official name), else an alias
    for kind_wanted in ("name", "alias"):
        found: dict[str, str] = {}
        for term, (iso3, kind) in terms.items():
            wanted = iso3 and kind == kind_wanted and iso3 not in names
            if wanted and (iso3 not in found or len(term) < len(found[iso3])):
                found[iso3] = term
        names.update(found)
    _prefer_short_names(names)
    # greedy trie: at each position the longest term wins; demonyms may take a plural "s"
    core = trie_regex(sorted(terms))
    # a compound of ownership or origin still names the country ("Chinese-owned")
    compound = _P.rule("lexicon.compound").source
    pattern = compile_pattern(r"(?<![\w’'-])(?:" + core + r")s?(?![\w’]|-(?!" + compound + r"))")
    return Lexicon(terms=terms, pattern=pattern, by_iso2=by_iso2, names=names, folded=folded)


_SHORT = {
    "BOL": "Bolivia",
    "IRN": "Iran",
    "KOR": "South Korea",
    "PRK": "North Korea",
    "LAO": "Laos",
    "MDA": "Moldova",
    "RUS": "Russia",
    "SYR": "Syria",
    "TWN": "Taiwan",
    "TZA": "Tanzania",
    "VEN": "Venezuela",
    "VNM": "Vietnam",
    "MMR": "Burma",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "FSM": "Micronesia",
    "GBR": "United Kingdom",
    "USA": "United States",
    "CIV": "Cote d'Ivoire",
    "BRN": "Brunei",
    "XKX": "Kosovo",
    "SXM": "Sint Maarten",
    "CUW": "Curacao",
    "GMB": "The Gambia",
    "BHS": "The Bahamas",
    "TUR": "Turkey",
    "CZE": "Czech Republic",
    "MKD": "North Macedonia",
    "SWZ": "Eswatini",
}


def _prefer_short_names(names: dict[str, str]) -> None:
    names.update(_SHORT)


def _table_lookup(name: str) -> str | None:
    """The project's country table, when it is installed."""
    try:
        from tipwatch import countries

        found = countries.lookup(name)
    except Exception:  # noqa: BLE001 - the table is optional here
        return None
    return found.iso3 if found else None


def country_name(iso3: str) -> str:
    """Display name for an ISO3 code (the country table's name when available)."""
    try:
        from tipwatch import countries  # the project's identity table

        return countries.get(iso3).name
    except Exception:  # noqa: BLE001 - the table may not know every historical code
        return lexicon().names.get(iso3, iso3)
