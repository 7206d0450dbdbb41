"""Which law-enforcement hits are figures of the reporting period, and their numbers.

Used by ``extract/lawenf.py``: a hit is dropped when it is an earlier period's figure, an
ongoing case, a year read as a count, a figure of someone other than the government, a count
before a singular noun, a cumulative figure, or one whose sentence doubts the cases were
trafficking. ``figures`` reads the number(s) of a hit: one, two listed parts, or persons listed
by nationality (summed).
"""

from __future__ import annotations

import re

from tipwatch.extract.base import parse_number
from tipwatch.extract.engine import Doc
from tipwatch.extract.patterns import patterns
from tipwatch.model import Narrative

_P = patterns("le_count")
_YEAR_IN = _P["le_count.year_in"]
_CONTINUED = _P["le_count.continued"]
_PARENS = _P["le_count.parens"]
_COMPARED = _P["le_count.compared"]
_CLAUSE_LINK = _P["le_count.clause_link"]
#: "initiated or continued seven prosecutions": the period's figure, not only ongoing cases
_NEW_OR_CONTINUED = _P["le_count.new_or_continued"]
#: a four-digit year after a preposition of time reads as a date, never as a count
_DATE_BEFORE = _P["le_count.date_before"]
#: a figure given by someone other than the government ("international organizations
#: reported that ...", "media reports indicate that ..."): not a government figure
_ATTRIBUTED = _P["le_count.attributed"]
#: "120 criminal cases for any crime": not a trafficking figure
_ANY_CRIME = _P["le_count.any_crime"]
_YEAR = _P["le_count.year"]
_TAIL_CUT = _P["le_count.tail_cut"]
_FIRST_YEAR = _P["le_count.first_year"]


_MORE_NATIONALS = _P["le_count.more_nationals"]
_SINGULAR = _P["le_count.singular"]
_PERSONS = ("national", "nationals", "citizen", "citizens", "foreigner", "foreigners")
_SINCE = _P["le_count.since"]
_DOUBTFUL = _P["le_count.doubtful"]


def count(word: str) -> int | None:
    """A figure's number; "its first conviction" is one."""
    return 1 if word.lower() == "first" else parse_number(word)


def figures(low: str, m: re.Match[str]) -> list[int]:
    """The figures of one hit (zero dropped): one, or two joined by "and" with no total
    (groups ``n`` and ``n2``: both listed), or persons listed by nationality ("one X national
    and one Y national": summed, the measure counts persons)."""
    first = count(m.group("n"))
    if first is None:
        return []
    if "n2" in m.re.groupindex and m.group("n2"):
        second = count(m.group("n2"))
        return [x for x in (first, second) if x]
    if m.group(0).lower().endswith(_PERSONS):
        end = m.end()
        while (more := _MORE_NATIONALS.match(low, end)) is not None:
            first += parse_number(more.group("n")) or 0
            end = more.end()
    return [first] if first else []


def not_a_count(doc: Doc, m: re.Match[str]) -> bool:
    """Not a figure of the period: two or more before a singular noun ("the 2016
    investigation"), a cumulative figure ("... convictions nationwide since the law was
    enacted"), or one whose sentence doubts the cases were trafficking."""
    value = count(m.group("n"))
    if value is not None and value >= 2 and _SINGULAR.search(m.group(0).lower()):
        return True
    if m.group("n").lower() != "first" and _SINCE.match(doc.low, m.end()):
        return True
    sa, sb = doc.around(m.start())
    return _DOUBTFUL.search(doc.low, m.end(), sb) is not None


def continued(low: str, a: int, m: re.Match[str]) -> bool:
    """An ongoing case, not a figure of the period ("continued prosecuting four cases")."""
    window = low[max(a, m.start() - 40) : m.start() + 1]
    if not _CONTINUED.search(low, max(a, m.start() - 25), m.start() + 1):
        return False
    return _NEW_OR_CONTINUED.search(window) is None


def year_as_date(low: str, m: re.Match[str]) -> bool:
    """ "the fewest victims since 2019 and investigations decreased": 2019 is a date."""
    word = m.group("n")
    if not _YEAR.fullmatch(word):
        return False
    return _DATE_BEFORE.search(low, max(0, m.start("n") - 20), m.start("n")) is not None


def attributed(low: str, a: int, m: re.Match[str]) -> bool:
    """The figure's sentence attributes it to an international organization, NGOs or the
    media, not to the government."""
    start = max(a, m.start() - 200)
    cut = max(low.rfind(". ", start, m.start()), low.rfind(".", start, m.start()))
    head = low[cut + 1 if cut >= 0 else start : m.start()]
    hit = _ATTRIBUTED.search(head)
    # "according to government websites and media reports", "information authorities
    # provided, augmented by NGO reports": the government's own figure
    return hit is not None and not _GOVERNMENT.search(head, 0, hit.start())


_GOVERNMENT = _P["le_count.government"]


def earlier(
    n: Narrative,
    text: str,
    m: re.Match[str],
    recent: int | None = None,
    unavailable: int | None = None,
) -> bool:
    """A figure of an earlier period: after "compared with" in its clause, said to be of the
    previous period, or dated two or more years before the report ("in 2016" in the 2018
    report) unless the text calls that year the most recent with statistics (``recent``), or
    dated before a year whose figures the text says are not available (``unavailable``)."""
    start = max(0, m.start() - 200)
    clause_start = max(text.rfind(".", start, m.start()), text.rfind(";", start, m.start()))
    before = _PARENS.sub(" ", text[max(start, clause_start + 1) : m.start()])
    # a comparison before a new coordinated clause (", and it obtained ...") is another figure's
    links = list(_CLAUSE_LINK.finditer(before))
    if _COMPARED.search(before, links[-1].end() if links else 0):
        return True
    tail = text[m.end() : min(len(text), m.end() + 60)]
    if _PREVIOUS_TAIL.match(_TAIL_CUT.split(tail, maxsplit=1)[0]):
        return True
    tail = _TAIL_CUT.split(tail[:40], maxsplit=1)[0]
    y = _YEAR_IN.search(tail)
    if y:
        year = _FIRST_YEAR.match(y.group(1))
        if year and int(year.group(1)) <= n.year - 2 and int(year.group(1)) != recent:
            return True
    y = y or _HEAD_YEAR.match(before)
    if y and unavailable is not None:
        year = _FIRST_YEAR.match(y.group(1))
        if year and int(year.group(1)) < unavailable:
            return True
    return False


#: "... reported during the previous reporting period"
_PREVIOUS_TAIL = _P["le_count.previous_tail"]
#: a clause that opens with its year: "In 2016, the government identified ..."
_HEAD_YEAR = _P["le_count.head_year"]
_RECENT = _P["le_count.recent"]
_UNAVAILABLE = _P["le_count.unavailable"]


def latest_year(low: str, a: int, b: int) -> int | None:
    """The year the section calls the most recent one with statistics."""
    m = _RECENT.search(low, a, b)
    return int(m.group(1) or m.group(2)) if m else None


def not_available(low: str, a: int, b: int) -> int | None:
    """A year whose figures the section says are not available."""
    m = _UNAVAILABLE.search(low, a, b)
    return int(m.group(1) or m.group(2)) if m else None
