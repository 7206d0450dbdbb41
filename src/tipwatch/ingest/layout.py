"""Layout repairs applied to a report text before it is split into narratives.

Every era prints the same narrative differently; these functions turn each into the one line
structure :func:`tipwatch.ingest.text.parse_report_text` reads (one block per line):

* :func:`strip_running_headers`: PDF page headers where the page number is glued to a
  country name ("65AFGHANISTAN", even mid-word: "the 65AFGHANISTANmore") are removed; only
  capitals that name a country in the country table count.
* :func:`split_run_in`: a run-in heading at the start of a line ("Recommendations for
  Kosovo: Increase ...", "PROSECUTIONThe government ...") becomes its own line.
* :func:`split_recommendations`: inside the recommendations, items joined by " • " or glued
  with no space ("...prison terms.Provide ...") become one line each, so one recommendation
  is one line and one fact.
* :func:`drop_chart_labels`: the "<COUNTRY> TIER RANKING BY YEAR" chart of the 2015 PDF and
  its axis labels.
* :func:`fix_ligatures`: the PDF glyph defect that prints "fl" as "ft" ("conftict"), repaired
  only where the word list says the "fl" spelling is a word.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tipwatch.ingest.sections import canonical

_NAME_NUMBER = re.compile(r"(?<![\w-])([A-Z][A-Z ,.'’()\-]*[A-Z])\d{1,3}(?=\d{1,3}[A-Z]|\s|$)")
_CAPS_RUN = re.compile(r"(?:(?<=\x00)|(?<!\d))(\d{1,3})([A-Z][A-Z ,.'’()\-]*[A-Z.)])")
_RUN_IN = re.compile(
    r"^(?P<h>(?:PRIORITIZED\s+)?RECOMMENDATIONS(?:\s+FOR\s+[^:]{2,60})?:)\s*(?P<rest>\S.*)$",
    re.I,
)
_GLUED_HEAD = re.compile(
    r"^(?P<h>PROSECUTIONS?|PROTECTION|PREVENTION|TRAFFICKING\s+PROFILE|GOVERNMENT\s+EFFORTS|"
    r"PRIORITIZED\s+RECOMMENDATIONS)(?P<rest>[A-Z][a-z].*)$"
)
_BULLET = re.compile(r"\s*[•·▪●]\s*")
# an item glued to the next: "terms.Provide", "(NPA).Accede", "271-A.Through" (two word
# characters, then "." and a capital letter beginning a word); "U.S." and "e.g." have a dot
# two characters before and are not cut
_GLUED_ITEM = re.compile(
    r"(?<=[\w)\]”\"\-][\w)\]”\"][.;])(?=[A-Z][a-z])|(?<=[a-z)][.;])(?=\d{1,3}[A-Z]{3})"
)
_CHART_TITLE = re.compile(r"TIER\s+RANKING\s+BY\s+YEAR\s*$", re.I)
_AXIS = re.compile(r"^(?:\s*(?:1|2|3|2WL|2\s?WL|(?:19|20)\d\d)\s*)+$")
_UNDERSCORES = re.compile(r"^_{5,}$")


def _country_caps(candidate: str) -> bool:
    from tipwatch.extract.lexicon import lexicon

    name = candidate.strip(" ,.-")
    return len(name) >= 4 and lexicon().resolve(name) is not None


def strip_running_headers(text: str) -> tuple[str, int]:
    """Remove page-number + country-name headers; returns the text and how many went."""
    removed = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal removed
        run = m.group(2)
        # the capitals may have taken the first letter of the next word ("...STANThe")
        for cut in range(len(run), max(3, len(run) - 3), -1):
            if _country_caps(run[:cut]):
                removed += 1
                return "\x00" + run[cut:]
        return m.group(0)

    def repl_after(m: re.Match[str]) -> str:  # "CAMBODIA125": the name, then the number
        nonlocal removed
        if _country_caps(m.group(1)):
            removed += 1
            return "\x00"
        return m.group(0)

    out = _NAME_NUMBER.sub(repl_after, text)
    out = _CAPS_RUN.sub(repl, out)
    if not removed:
        return text, 0
    # the header stood between two words, or on a line of its own
    out = re.sub(r"[ \t]*\x00[ \t]*(?=\n|$)", "", out)
    out = re.sub(r"(?<=\w-)\x00+(?=\w)", "", out)  # "child-127CAMBODIAfriendly"
    out = re.sub(r"(?<=\S)[ \t]*\x00+[ \t]*(?=\S)", " ", out)
    out = out.replace("\x00", "")
    out = re.sub(r"\n[ \t]*\n(?=[a-z])", "\n", out)
    return out, removed


def split_run_in(line: str) -> list[str]:
    """A line that starts with a run-in heading -> [heading, rest]; otherwise [line]."""
    m = _RUN_IN.match(line)
    if m and canonical(m.group("h").rstrip(":")) == "recommendations":
        return [m.group("h"), m.group("rest")]
    m = _GLUED_HEAD.match(line)
    if m:
        return [m.group("h"), m.group("rest")]
    return [line]


def split_recommendations(line: str) -> list[str]:
    """One recommendations line -> its items (bullets, or items glued with no space)."""
    parts = [p for p in _BULLET.split(line) if p.strip()] if _BULLET.search(line) else [line]
    out: list[str] = []
    for p in parts:
        out.extend(s for s in _GLUED_ITEM.split(p) if s.strip())
    # a page head glued after the last item ("...for victims.259KOSOVO") is not an item
    return [p.strip() for p in out if strip_running_headers(p)[0].strip(" .;")]


_CHART = re.compile(
    r"(?:[A-Z][A-Z ,.'’()\-]*?\s+)?TIER\s+RANKING\s+BY\s+YEAR"
    r"(?:\s+(?:1|2|3|2\s?WL|(?:19|20)\d\d)\b)*\s*"
)


def drop_chart_labels(lines: list[str]) -> tuple[list[str], int]:
    """Drop "<COUNTRY> TIER RANKING BY YEAR" and its axis labels (on the same line when a
    PDF reader joined them, or on the lines right after it)."""
    out: list[str] = []
    dropped = 0
    in_chart = False
    for line in lines:
        if _CHART_TITLE.search(line) or "TIER RANKING BY YEAR" in line.upper():
            rest = _CHART.sub("", line).strip()
            dropped += 1
            in_chart = not rest
            if rest:
                out.append(rest)
            continue
        if in_chart and _AXIS.match(line):
            dropped += 1
            continue
        in_chart = False
        out.append(line)
    return out, dropped


def normalise_lines(text: str, pdf_like: bool) -> tuple[str, dict[str, int]]:
    """Every repair above over a whole report text; returns the text and repair counts."""
    stats = {"running_headers": 0, "chart_labels": 0, "ligatures": 0, "split_items": 0}
    if pdf_like:
        text, stats["running_headers"] = strip_running_headers(text)
    lines = text.splitlines()
    if pdf_like:
        lines, stats["chart_labels"] = drop_chart_labels(lines)
    out: list[str] = []
    in_recs = False
    for raw in lines:
        if _UNDERSCORES.match(raw.strip()):
            continue
        for line in split_run_in(raw):
            head = canonical(line.strip().rstrip(":"))
            if head is not None and len(line.strip()) < 90:
                in_recs = head == "recommendations"
                out.append(line)
                continue
            if in_recs and line.strip():
                items = split_recommendations(line)
                stats["split_items"] += len(items) - 1
                out.extend(items)
            else:
                out.append(line)
    text = "\n".join(out) + ("\n" if out else "")
    if pdf_like:
        text, stats["ligatures"] = fix_ligatures(text)
    return text, stats


# --------------------------------------------------------------------------- ligatures

#: words of report prose spelled with "fl" (stems; a word matches when it starts with one,
#: after an optional prefix). Only a token that is not itself an English "-ft" word is changed.
FL_STEMS: tuple[str, ...] = (
    "flict", "flat", "fled", "flee", "fleet", "flex", "flow", "fluen", "flux", "flight",
    "flag", "flaw", "flect", "flood", "floor", "flourish", "flower", "flu", "fly", "flier",
    "flyer", "float", "flock", "flash", "flesh", "flame", "flam", "flip", "flirt", "fleece",
    "flank", "flare", "flair", "flung", "flick", "flinch",
)
_PREFIXES = ("", "con", "in", "re", "de", "af", "out", "over", "under", "up", "self", "trans",
             "pro", "ef")
_FT_WORD = re.compile(r"\b[A-Za-z]*ft[A-Za-z]*\b")
#: genuine words with "ft" (never changed)
_FT_TEXT = (
    "after afterwards aft left lift lifted lifting shift shifted shifts shifting gift gifts "
    "soft softer draft drafted drafting drafts theft thefts craft crafts aircraft crafted "
    "swift often fifty fifteen fifth fiftieth loft raft rafts deft tuft weft hefty lefty "
    "sift uplift uplifted airlift thrift thrifty nifty rift rifts drift drifted adrift"
)
FT_WORDS = frozenset(_FT_TEXT.split())


@lru_cache(maxsize=4096)
def _fl_word(word: str) -> bool:
    low = word.lower()
    for prefix in _PREFIXES:
        if low.startswith(prefix) and any(low[len(prefix):].startswith(s) for s in FL_STEMS):
            return True
    # "leaflet", "pamphlet", "inflict", "afflict" and the like
    return bool(re.search(r"(?:leaflet|pamphlet|afflict|inflict|conflat|reflect|influen)", low))


def fix_ligatures(text: str) -> tuple[str, int]:
    """Replace "ft" by "fl" in tokens where only the "fl" spelling is a word ("conftict")."""
    fixed = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal fixed
        word = m.group(0)
        if word.lower() in FT_WORDS:
            return word
        for i in [k for k in range(len(word) - 1) if word[k : k + 2].lower() == "ft"]:
            fl = ("F" if word[i].isupper() else "f") + ("L" if word[i + 1].isupper() else "l")
            cand = word[:i] + fl + word[i + 2 :]
            if _fl_word(cand):
                fixed += 1
                return cand
        return word

    return _FT_WORD.sub(repl, text), fixed
