"""Law-enforcement counts: investigations, prosecutions, convictions, victims identified.

Reads the PROSECUTION section (investigations, prosecutions, convictions) and the PROTECTION
section (victims identified); texts without sections (Factbook, unsectioned pages) are read
whole. The headline figure of a measure is its first statement in the section; later figures
of the same measure are sub-figures or details and are not reported. When the figure is split
by form ("12 sex trafficking cases and 3 labor trafficking cases") each part is reported with
the note ``subset``; no total is invented. ``prior_value`` is the figure in the parenthesis or
clause that follows ("compared with 20 in 2016"). ``period`` is "reporting period" unless the
sentence names a year ("in 2017").

A statement of none ("did not convict any traffickers", often limited to one article of the
code) is not a figure and gives no fact; neither does "did not report". Ongoing cases
("continued prosecuting four cases from the previous period") are not the period's figure.
When the first figure is given under one article or section of the code and later sentences
give the same measure under other articles, with no total, each is reported as a ``subset``.
"""

from __future__ import annotations

import re

from tipwatch.extract import lawenf_bodies as lb
from tipwatch.extract import lawenf_filters as lf
from tipwatch.extract.base import fact, parse_number
from tipwatch.extract.engine import Doc
from tipwatch.extract.patterns import Rule, patterns
from tipwatch.model import Fact, Narrative

KIND = "le_count"

_P = patterns(KIND)
#: measure -> its headline rules (matched against the lower-cased text)
MEASURES: dict[str, list[Rule]] = {}
for _rule in _P.with_value():
    MEASURES.setdefault(_rule.value or "", []).append(_rule)
_SECTIONS = {
    "investigations": ("prosecution",),
    "prosecutions": ("prosecution",),
    "convictions": ("prosecution",),
    "victims_identified": ("protection",),
}
_PRIOR = _P["le_count.prior"]
_YEAR_IN = _P["le_count.year_in"]
_LAW_REF = _P["le_count.law_ref"]
_PARENS = _P["le_count.parens"]
_SUBSET = _P["le_count.subset"]
_OFFICIALS = _P["le_count.officials"]
#: "120 criminal cases for any crime": not a trafficking figure
_ANY_CRIME = _P["le_count.any_crime"]
_YEAR = _P["le_count.year"]
_ALSO = _P["le_count.also"]
_AFTER_CUT = _P["le_count.after_cut"]
_AFTER_LINK = _P["le_count.after_link"]
_PERIOD_CUT = _P["le_count.period_cut"]


def extract(n: Narrative, doc: Doc | None = None) -> list[Fact]:
    doc = doc or Doc(n)
    text = n.text
    out: list[Fact] = []
    sectioned = any(k in n.spans for k in ("prosecution", "protection"))
    for measure, pats in MEASURES.items():
        if sectioned:
            scopes = [n.spans[s] for s in _SECTIONS[measure] if s in n.spans]
        else:
            scopes = [span for k, span in n.spans.items() if k != "recommendations"]
            scopes = scopes or [(0, len(text))]
        out.extend(_first_figure(doc, measure, pats, scopes))
    return out


def _first_figure(
    doc: Doc, measure: str, rules: list[Rule], scopes: list[tuple[int, int]]
) -> list[Fact]:
    n, text, low = doc.n, doc.text, doc.low
    for a, b in scopes:
        rule_of: dict[int, str] = {}
        hits = []
        for rule in rules:
            for m in doc.matches(rule, a, b):
                hits.append(m)
                rule_of.setdefault(id(m), rule.id)
        if not hits:
            continue
        recent = lf.latest_year(low, a, b)
        unavailable = lf.not_available(low, a, b)
        hits = [
            m
            for m in hits
            if not _OFFICIALS.search(low, m.start(), m.end() + 30)
            and not lf.earlier(n, text, m, recent, unavailable)
            and not lf.continued(low, a, m)
            and not lf.year_as_date(low, m)
            and not lf.attributed(low, a, m)
            and not _ANY_CRIME.match(low, m.end())
            and not lf.not_a_count(doc, m)
        ]
        if not hits:
            continue
        hits.sort(key=lambda m: (m.start(), -m.end()))
        sents = doc
        sa, sb = sents.around(hits[0].start())
        same = [m for m in hits if sa <= m.start() < sb]
        first = same[0]
        subset_hits = [m for m in same if _SUBSET.search(m.group(0))]
        chosen = [(first, sa, sb)]
        note = None
        if _SUBSET.search(first.group(0)) and len(subset_hits) > 1:
            chosen = [(m, sa, sb) for m in _dedupe(subset_hits)]
            note = "subset"
        law = _LAW_REF.search(low, sa, sb)
        if law is not None:
            # figures given per article or section of the code, with no total: each is a subset
            seen_refs = {law.group(1)}
            for m in hits:
                ma, mb = sents.around(m.start())
                if ma <= sa:
                    continue
                ref = _LAW_REF.search(low, ma, mb)
                if ref is None or ref.group(1) in seen_refs:
                    continue
                if any(ca == ma for _m, ca, _cb in chosen):
                    continue
                seen_refs.add(ref.group(1))
                chosen.append((m, ma, mb))
            if len(chosen) > 1:
                note = "subset"
        if len(chosen) == 1:
            # separate figures per form with no total ("prosecuted 90 defendants for sex
            # trafficking ... prosecuted 19 labor traffickers"): each is a subset
            other = _other_form(low, first, hits, sb)
            if other is not None:
                chosen.append((other, *sents.around(other.start())))
                note = "subset"
        if len(chosen) == 1 and measure == "victims_identified":
            # a second agency's own figure, with no total ("The Ministry of X (MX) reported
            # ... 96 victims ... The Y Institute (YI) identified seven girls"): both are listed
            second = _other_agency(text, sents, sa, hits)
            if second is not None:
                chosen.append(second)
                note = "agency"
        if len(chosen) == 1:
            # one figure per named body (agency, level of government) with no total: all listed
            bodies = lb.other_bodies(doc, sa, first, hits)
            if bodies:
                chosen.extend(bodies)
                note = "agency"
        facts = []
        for m, ca, cb in chosen:
            prior = _prior(low, m.end(), cb, measure)
            period = _period(text, m, ca, cb)
            figures = lf.figures(low, m)
            part = "subset" if len(figures) > 1 else note
            for i, value in enumerate(figures):
                # the comparison that follows belongs to the first of two listed parts
                v = _value(measure, value, period, prior if i == 0 else None)
                rule_id = rule_of[id(m)]
                facts.append(fact(n, KIND, v, m.start(), m.end(), note=part, rule_id=rule_id))
        if facts:
            return facts
    return []


_GOVERNMENT = _P["le_count.government"]
#: a sentence whose subject is an agency named with its acronym: "The Family Institute (FI)"
_AGENCY = _P["le_count.agency"]
_ACRONYMS = _P["le_count.acronym"]


def _other_agency(
    text: str, sents: Doc, sa: int, hits: list[re.Match[str]]
) -> tuple[re.Match[str], int, int] | None:
    """The first later figure whose sentence opens with an agency named with its acronym that
    the headline's sentence does not name, and whose verb is "identified"."""
    head = _ACRONYMS.findall(text, sa, sents.around(sa)[1])
    for m in hits:
        ma, mb = sents.around(m.start())
        if ma <= sa:
            continue
        other = _AGENCY.match(text, ma)
        if other is None or other.group("acr") in head:
            continue
        if not _ALSO.fullmatch(text[other.end() : m.start()]):
            continue
        if not m.group(0).lower().startswith("identif"):
            continue
        return m, ma, mb
    return None


_SEX = _P["le_count.sex"]
_LABOR = _P["le_count.labor"]
_TOTAL = _P["le_count.total"]


def _form_of(low: str, m: re.Match[str]) -> str | None:
    """ "sex" or "labor" when the figure is for one form only (in its phrase or a "for sex
    trafficking" right after it), else ``None``."""
    after = _AFTER_CUT.split(low[m.end() : m.end() + 40], maxsplit=1)[0]
    after = after if _AFTER_LINK.match(after) else ""
    phrase = m.group(0) + " " + after
    sex, labor = bool(_SEX.search(phrase)), bool(_LABOR.search(phrase))
    if sex == labor:
        return None
    return "sex" if sex else "labor"


def _other_form(
    low: str, first: re.Match[str], hits: list[re.Match[str]], sb: int
) -> re.Match[str] | None:
    """The first later figure of the same measure for the other form, when the headline is for
    one form only and no total is stated in between."""
    form = _form_of(low, first)
    if form is None:
        return None
    for m in hits:
        if m.start() < sb:
            continue
        if _TOTAL.search(m.group(0)):
            return None
        other = _form_of(low, m)
        if other is None:
            return None  # a figure for both forms: the total
        if other != form:
            return m
    return None


def _dedupe(hits: list[re.Match[str]]) -> list[re.Match[str]]:
    out: list[re.Match[str]] = []
    for m in hits:
        if not any(
            o.start() <= m.start() < o.end() or m.start() <= o.start() < m.end() for o in out
        ):
            out.append(m)
    return out


def _value(measure: str, value: int, period: str, prior: int | None) -> dict:
    return {"measure": measure, "value": value, "period": period, "prior_value": prior}


_MEASURE_NOUN = {m: _P[f"le_count.noun.{m}"] for m in MEASURES}
_ANY_NOUN = _P["le_count.any_noun"]
_PAREN_PRIOR = _P["le_count.paren_prior"]
_NUM = _P["le_count.num"]


def _prior(text: str, end: int, sb: int, measure: str = "") -> int | None:
    """The earlier figure of the same measure in the comparison that follows the hit."""
    m = _PRIOR.match(text, end, min(sb + 1, end + 160)) or _PAREN_PRIOR.match(
        text, end, min(sb + 1, end + 80)
    )
    if not m:
        return None
    if _YEAR.fullmatch(m.group("n")):
        return None  # "a decrease from 2013": a year, not a figure
    first = parse_number(m.group("n"))
    stop = min(sb, m.end("n") + 160)
    after_first = text[m.end("n") : stop]
    if not measure or not _ANY_NOUN.match(after_first):
        return first  # "compared with 20 in 2016": the same measure
    if _MEASURE_NOUN[measure].match(after_first):
        return first
    for k in _NUM.finditer(text, m.end("n"), stop):
        if _MEASURE_NOUN[measure].match(text, k.end(), stop):
            return parse_number(k.group(1))
    return None


def _period(text: str, m: re.Match[str], sa: int, sb: int) -> str:
    # a year named right after the figure's phrase, before any comparison
    tail = text[m.end() : min(sb, m.end() + 40)]
    cut = _PERIOD_CUT.split(tail, maxsplit=1)[0]
    y = _YEAR_IN.search(cut)
    if y:
        return y.group(1)
    head = _PARENS.sub(lambda p: " " * len(p.group(0)), text[sa : m.start()])
    y = _YEAR_IN.search(head)
    # a year after a comparison in the head is the comparison's ("compared with 10 in 2015, and")
    if y and "compared" not in head[: y.start()]:
        return y.group(1)
    return "reporting period"
