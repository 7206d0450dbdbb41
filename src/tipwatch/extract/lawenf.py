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

from tipwatch.extract.base import NUMBER, fact, parse_number
from tipwatch.extract.lexical import SentenceIndex, lowered
from tipwatch.model import Fact, Narrative

KIND = "le_count"

_ADJ = (
    r"(?:(?:new|newly|suspected|alleged|potential|possible|presumed|additional|total|"
    r"sex|labou?r|forced|trafficking|human|child|adult|individual|criminal|separate|"
    r"cases|of|related|confirmed|foreign|domestic|and|or|in|involving|for|reported|registered|"
    r"identified|official|distinct|labor-trafficking|sex-trafficking|concluded|completed|"
    r"ongoing|pending|active|initiated|finalized|federal|state|criminal|judicial|officially|"
    r"formally|recogni[sz]ed|certified|verified|final|-)\s+){0,6}"
)
_PEOPLE = (
    r"(?:suspects?|defendants?|traffickers?|individuals?|persons?|people|perpetrators?|"
    r"offenders?|alleged\s+traffickers|accused|(?:\w+\s+)?(?:nationals?|citizens?|foreigners?))"
)
#: a figure with no noun, closing its clause ("prosecuted six traffickers and convicted five")
_BARE = (
    r"(?=\s*(?:[,;.]|and\b|compared\b|\(|for\b|in\s+(?:19|20)\d\d|"
    r"of\s+(?:\w+\s+){0,2}?(?:trafficking|crimes|offen[cs]es|charges)\b))"
)
_CASES = r"(?:cases?|investigations?|prosecutions?|convictions?|" + _PEOPLE + ")"
_QUANT = (
    r"(?:(?:at\s+least|a\s+total\s+of|approximately|about|over|more\s+than|nearly|"
    r"an\s+estimated|only|just)\s+)?"
)
_N = (
    _QUANT
    + r"\b(?P<n>"
    + NUMBER
    + r")\b(?:\s+(?:of|out\s+of)\s+(?:the\s+|these\s+)?"
    + NUMBER
    + r"\b)?"
)

MEASURES: dict[str, list[re.Pattern[str]]] = {
    "investigations": [
        re.compile(
            r"\b(?:investigat(?:ed|ing|ion\s+of|ions\s+of|ions\s+into)|initiat(?:ed|ing)|opened|"
            r"conduct(?:ed|ing)|launch(?:ed|ing))\s+(?:and\s+(?:prosecut|indict|convict)\w*\s+)?"
            r"(?:a\s+total\s+of\s+)?"
            + _N
            + r"\s+"
            + _ADJ
            + r"(?:investigations?|cases?|offen[cs]es|crimes|"
            + _PEOPLE
            + r")\b",
            re.I,
        ),
        re.compile(_N + r"\s+" + _ADJ + r"investigations?\b", re.I),
        # "investigating a potential trafficking case": one investigation
        re.compile(
            r"\binvestigat(?:ed|ing)\s+(?P<n>a|an|one)\s+(?:single\s+)?(?:potential|suspected|"
            r"possible|alleged)\s+(?:\w+\s+){0,2}?case\b",
            re.I,
        ),
        # "police identified 551 sex and labor traffickers", "registered 67 crimes under ..."
        re.compile(
            r"\b(?:police|investigators|law\s+enforcement)\s+(?:\w+\s+){0,2}?identified\s+"
            + _N
            + r"\s+"
            + _ADJ
            + r"(?:traffickers|suspects|perpetrators|offenders)\b",
            re.I,
        ),
        re.compile(
            r"\b(?:registered|recorded)\s+"
            + _N
            + r"\s+"
            + _ADJ
            + r"(?:crimes|offen[cs]es|cases)\b",
            re.I,
        ),
    ],
    "prosecutions": [
        re.compile(
            r"\b(?:prosecut(?:ed|ing|ion\s+of|ions\s+of|ions\s+against)|initiat(?:ed|ing)\s+"
            r"(?:the\s+)?prosecutions?\s+(?:of|against)|indict(?:ed|ing)|charg(?:ed|ing))\s+"
            r"(?:a\s+total\s+of\s+)?" + _N + r"\s+" + _ADJ + _CASES + r"\b",
            re.I,
        ),
        re.compile(_N + r"\s+" + _ADJ + r"prosecutions?\b", re.I),
        re.compile(r"\bprosecuted\s+" + _N + _BARE, re.I),
        re.compile(
            r"\b(?:began|started|opened|initiated|launched)\s+(?:criminal\s+)?prosecutions?\s+"
            r"(?:in|of|against)\s+" + _N + r"\s+" + _ADJ + _CASES + r"\b",
            re.I,
        ),
    ],
    "convictions": [
        re.compile(
            r"\b(?:convict(?:ed|ing|ions?\s+of)|sentenc(?:ed|ing))\s+(?:a\s+total\s+of\s+)?"
            + _N
            + r"\s+"
            + _ADJ
            + _CASES
            + r"\b",
            re.I,
        ),
        re.compile(_N + r"\s+" + _ADJ + r"convictions?\b", re.I),
        re.compile(r"\bconvicted\s+" + _N + _BARE, re.I),
    ],
    "victims_identified": [
        re.compile(
            r"\b(?:identif(?:ied|ying)|identification\s+of|certified|recogniz(?:ed|ing))\s+"
            r"(?:and\s+(?:assist|refer|protect|support|certif|repatriat|shelter)\w*\s+"
            r"(?:to\s+(?:[\w-]+\s+){0,2}?(?:services|care|shelters?)\s+)?)?"
            r"(?:a\s+total\s+of\s+|at\s+least\s+)?"
            + _N
            + r"\s+"
            + _ADJ
            + r"(?:victims?|survivors|children|women|men|girls|boys|persons|people|individuals|"
            r"adults|workers|migrants)\b",
            re.I,
        ),
        re.compile(_N + r"\s+" + _ADJ + r"victims\s+(?:were|had\s+been)\s+identified", re.I),
        # "of the 131 confirmed and potential victims the government identified"
        re.compile(
            r"\bof\s+the\s+" + _N + r"\s+" + _ADJ + r"victims\s+(?:that\s+|whom\s+)?(?:the\s+"
            r"government|authorities|officials|police)\s+identified",
            re.I,
        ),
        re.compile(r"\bidentif(?:ied|ying)\s+" + _N + r"\s*\((?=[^()]{0,80}\bvictims\b)", re.I),
    ],
}
_SECTIONS = {
    "investigations": ("prosecution",),
    "prosecutions": ("prosecution",),
    "convictions": ("prosecution",),
    "victims_identified": ("protection",),
}
_PRIOR = re.compile(
    r"(?:[^.;()]|\([^()]{0,200}\)){0,160}?\(?\s*(?:compared\s+(?:with|to)|versus|vs\.?|"
    r"up\s+from|down\s+from|from)\s+"
    r"(?P<n>" + NUMBER + r")\b(?P<rest>[^);.]{0,60})",
    re.I,
)
_YEAR_IN = re.compile(
    r"\b(?:in|during)\s+((?:fiscal\s+year\s+|FY\s*)?(?:19|20)\d\d(?:[-–]\d{2,4})?)\b", re.I
)
_CONTINUED = re.compile(r"\b(?:continued|continuing|ongoing|pending)\b")
_LAW_REF = re.compile(r"\bunder\s+(?:the\s+)?(?:section|article|art\.)s?\s+([\d][\w.-]*)")
_PARENS = re.compile(r"\([^()]*\)")
_COMPARED = re.compile(
    r"\b(?:compared\s+(?:with|to)|in\s+comparison\s+(?:with|to)|versus|vs\.|up\s+from|down\s+from|"
    r"an?\s+(?:increase|decrease)"
    r"\s+from|(?:in|during)\s+the\s+previous\s+(?:reporting\s+)?(?:period|year))\b",
    re.I,
)


def _lower_pattern(pat: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pat.pattern.lower().replace("(?p<", "(?P<"))


_LOWER = {k: [_lower_pattern(p) for p in v] for k, v in MEASURES.items()}
_SUBSET = re.compile(r"\b(?:sex|labou?r|forced\s+labou?r|child)\b", re.I)
_OFFICIALS = re.compile(r"\bofficials?\b|\bcomplicit", re.I)


def extract(n: Narrative) -> list[Fact]:
    text = n.text
    low = lowered(text)
    out: list[Fact] = []
    sectioned = any(k in n.spans for k in ("prosecution", "protection"))
    for measure, pats in MEASURES.items():
        if sectioned:
            scopes = [n.spans[s] for s in _SECTIONS[measure] if s in n.spans]
        else:
            scopes = [span for k, span in n.spans.items() if k != "recommendations"]
            scopes = scopes or [(0, len(text))]
        out.extend(_first_figure(n, low, measure, pats, scopes))
    return out


def _first_figure(
    n: Narrative, low: str, measure: str, pats: list[re.Pattern[str]], scopes: list[tuple[int, int]]
) -> list[Fact]:
    text = n.text
    for a, b in scopes:
        hits = [m for pat in _LOWER[measure] for m in pat.finditer(low, a, b)]
        recent = _latest_year(low, a, b)
        hits = [
            m
            for m in hits
            if not _OFFICIALS.search(low, m.start(), m.end() + 30)
            and not _earlier(n, text, m, recent, _not_available(low, a, b))
            and not _continued(low, a, m)
            and not _year_as_date(low, m)
            and not _attributed(low, a, m)
            and not _ANY_CRIME.match(low, m.end())
        ]
        if not hits:
            continue
        hits.sort(key=lambda m: m.start())
        sents = SentenceIndex(text, [(a, b)])
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
        facts = []
        for m, ca, cb in chosen:
            value = parse_number(m.group("n"))
            if value is None or value == 0:
                continue
            prior = _prior(low, m.end(), cb, measure)
            period = _period(text, m, ca, cb)
            v = _value(measure, value, period, prior)
            facts.append(fact(n, KIND, v, m.start(), m.end(), note=note))
        if facts:
            return facts
    return []


#: "initiated or continued seven prosecutions": the period's figure, not only ongoing cases
_NEW_OR_CONTINUED = re.compile(
    r"\b(?:initiat\w*|began|begun|opened|started|launched|conducted)\s+(?:or|and)\s+continued\b"
)
#: a four-digit year after a preposition of time reads as a date, never as a count
_DATE_BEFORE = re.compile(
    r"\b(?:since|in|during|from|until|till|through|by|before|after|of|between|and|to|year|"
    r"fiscal\s+year|fy)\s*$"
)
#: a figure given by someone other than the government ("international organizations
#: reported that ...", "media reports indicate that ..."): not a government figure
_ATTRIBUTED = re.compile(
    r"\b(?:international\s+organi[sz]ations?|(?:an?|the)\s+(?:international\s+)?organi[sz]ation|"
    r"media|press|ngos?|civil\s+society|observers|journalists)\b(?:\s+\w+){0,3}?\s+"
    r"(?:reported|reports?|indicated?|indicates|stated|noted|claimed|estimated|said)\b"
)


#: "120 criminal cases for any crime": not a trafficking figure
_ANY_CRIME = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:for|of|involving)\s+(?:any|all)\s+(?:\w+\s+)?"
    r"(?:crimes?|offen[cs]es)\b"
)


def _continued(low: str, a: int, m: re.Match[str]) -> bool:
    """An ongoing case, not a figure of the period ("continued prosecuting four cases")."""
    window = low[max(a, m.start() - 40) : m.start() + 1]
    if not _CONTINUED.search(low, max(a, m.start() - 25), m.start() + 1):
        return False
    return _NEW_OR_CONTINUED.search(window) is None


def _year_as_date(low: str, m: re.Match[str]) -> bool:
    """ "the fewest victims since 2019 and investigations decreased": 2019 is a date."""
    word = m.group("n")
    if not re.fullmatch(r"(?:19|20)\d\d", word):
        return False
    return _DATE_BEFORE.search(low, max(0, m.start("n") - 20), m.start("n")) is not None


def _attributed(low: str, a: int, m: re.Match[str]) -> bool:
    """The figure's sentence attributes it to an international organization, NGOs or the
    media, not to the government."""
    start = max(a, m.start() - 200)
    cut = max(low.rfind(". ", start, m.start()), low.rfind(".", start, m.start()))
    head = low[cut + 1 if cut >= 0 else start : m.start()]
    hit = _ATTRIBUTED.search(head)
    # "according to government websites and media reports", "information authorities
    # provided, augmented by NGO reports": the government's own figure
    return hit is not None and not _GOVERNMENT.search(head, 0, hit.start())


_GOVERNMENT = re.compile(r"\b(?:government|authorities|ministry|police)\b")
#: a sentence whose subject is an agency named with its acronym: "The Family Institute (FI)"
_AGENCY = re.compile(
    r"\s*(?:The\s+)?(?:[A-Z][\w'’-]*\s+(?:(?:of|for|and|on|the)\s+)*){1,8}\((?P<acr>[A-Z]{2,8})\)"
)


def _other_agency(
    text: str, sents: SentenceIndex, sa: int, hits: list[re.Match[str]]
) -> tuple[re.Match[str], int, int] | None:
    """The first later figure whose sentence opens with another agency than the headline's
    sentence, both named with their acronyms, and whose verb is "identified"."""
    head = _AGENCY.match(text, sa)
    if head is None:
        return None
    for m in hits:
        ma, mb = sents.around(m.start())
        if ma <= sa:
            continue
        other = _AGENCY.match(text, ma)
        if other is None or other.group("acr") == head.group("acr"):
            continue
        if not re.fullmatch(r"\s*(?:also\s+)?", text[other.end() : m.start()]):
            continue
        if not m.group(0).lower().startswith("identif"):
            continue
        return m, ma, mb
    return None


def _earlier(
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
    if _COMPARED.search(before):
        return True
    tail = text[m.end() : min(len(text), m.end() + 60)]
    if _PREVIOUS_TAIL.match(re.split(r"[(;,]|compared|versus|from", tail, maxsplit=1)[0]):
        return True
    tail = re.split(r"[(;,]|compared|versus|from", tail[:40], maxsplit=1)[0]
    y = _YEAR_IN.search(tail)
    if y:
        year = re.match(r"\D*((?:19|20)\d\d)", y.group(1))
        if year and int(year.group(1)) <= n.year - 2 and int(year.group(1)) != recent:
            return True
    y = y or _HEAD_YEAR.match(before)
    if y and unavailable is not None:
        year = re.match(r"\D*((?:19|20)\d\d)", y.group(1))
        if year and int(year.group(1)) < unavailable:
            return True
    return False


#: "... reported during the previous reporting period"
_PREVIOUS_TAIL = re.compile(
    r"\s*(?:[\w-]+\s+){0,4}?(?:in|during|from|of)\s+the\s+(?:previous|prior|preceding|last)\s+"
    r"(?:reporting\s+)?(?:period|year)",
    re.I,
)
#: a clause that opens with its year: "In 2016, the government identified ..."
_HEAD_YEAR = re.compile(r"\s*(?:in|during)\s+((?:fiscal\s+year\s+|FY\s*)?(?:19|20)\d\d)\b,", re.I)
_RECENT = re.compile(
    r"\b((?:19|20)\d\d),?\s+(?:which\s+was\s+|the\s+)?(?:most\s+recent|latest)\b|"
    r"\b(?:most\s+recent|latest)\s+(?:\w+\s+){0,4}?(?:for|from|in|of)\s+((?:19|20)\d\d)\b"
)
_UNAVAILABLE = re.compile(
    r"\b(?:not|un)\s*available\s+(?:for|in)\s+((?:19|20)\d\d)\b|"
    r"\bno\s+(?:data|statistics|information)\s+(?:\w+\s+){0,3}?(?:for|in)\s+((?:19|20)\d\d)\b"
)


def _latest_year(low: str, a: int, b: int) -> int | None:
    """The year the section calls the most recent one with statistics."""
    m = _RECENT.search(low, a, b)
    return int(m.group(1) or m.group(2)) if m else None


def _not_available(low: str, a: int, b: int) -> int | None:
    """A year whose figures the section says are not available."""
    m = _UNAVAILABLE.search(low, a, b)
    return int(m.group(1) or m.group(2)) if m else None


_SEX = re.compile(r"\bsex(?:ual)?\b|\bprostitution\b|sex-trafficking")
_LABOR = re.compile(r"\blabou?r\b|\bforced\s+labou?r\b|labor-trafficking")
_TOTAL = re.compile(r"\b(?:total|combined|overall|altogether|in\s+all)\b")


def _form_of(low: str, m: re.Match[str]) -> str | None:
    """ "sex" or "labor" when the figure is for one form only (in its phrase or a "for sex
    trafficking" right after it), else ``None``."""
    after = re.split(r"[.;,(]|\bcompared\b", low[m.end() : m.end() + 40], maxsplit=1)[0]
    after = after if re.match(r"\s*(?:for|of|involving|related\s+to|under)\b", after) else ""
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


_FILL = (
    r"(?:(?:sex|labou?r|trafficking|child|forced|new|human|potential|suspected|alleged|adult|"
    r"separate|total|such|cases\s+of)\s+){0,3}"
)
_MEASURE_NOUN = {
    "investigations": re.compile(r"\s*" + _FILL + r"(?:investigations?|cases?|suspects?)\b"),
    "prosecutions": re.compile(r"\s*" + _FILL + r"(?:prosecutions?|defendants?|suspects?)\b"),
    "convictions": re.compile(r"\s*" + _FILL + r"(?:convictions?|traffickers?|offenders?)\b"),
    "victims_identified": re.compile(r"\s*" + _FILL + r"(?:victims?)\b"),
}
_ANY_NOUN = re.compile(
    r"^\s*" + _FILL + r"(?:investigations?|prosecutions?|convictions?|victims?|cases?|"
    r"suspects?|defendants?|traffickers?|offenders?)\b"
)
_PAREN_PRIOR = re.compile(
    r"[^.;()]{0,60}?\(\s*(?P<n>" + NUMBER + r")\s+(?:\w+\s+){0,3}?(?:in|during)\s+"
    r"(?:(?:19|20)\d\d|the\s+previous)",
    re.I,
)
_NUM = re.compile(r"\b(" + NUMBER + r")\b")


def _prior(text: str, end: int, sb: int, measure: str = "") -> int | None:
    """The earlier figure of the same measure in the comparison that follows the hit."""
    m = _PRIOR.match(text, end, min(sb + 1, end + 160)) or _PAREN_PRIOR.match(
        text, end, min(sb + 1, end + 80)
    )
    if not m:
        return None
    if re.fullmatch(r"(?:19|20)\d\d", m.group("n")):
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
    cut = re.split(r"[(,;]|compared|versus|from|the\s+same|similar", tail, maxsplit=1)[0]
    y = _YEAR_IN.search(cut)
    if y:
        return y.group(1)
    head = _PARENS.sub(lambda p: " " * len(p.group(0)), text[sa : m.start()])
    y = _YEAR_IN.search(head)
    if y and "compared" not in head[y.start() :]:
        return y.group(1)
    return "reporting period"
