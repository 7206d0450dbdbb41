"""Roles of the country: source, transit, destination, internal.

Two phrasings are read:

* the classic "X is a source, transit, and destination country for ..." (also "country of
  origin", "to a lesser extent, a transit country", "transit point");
* the newer "traffickers exploit domestic and foreign victims in X, and traffickers exploit
  victims from X abroad": foreign victims in X -> destination, victims from X abroad ->
  source, domestic victims in X -> internal.

``internal`` is also read from explicit statements: "internal trafficking", "trafficking is
internal", "trafficked internally", "within the country", "from rural to urban areas".
"""

from __future__ import annotations

import re

from tipwatch.extract.base import fact, sentences
from tipwatch.extract.lexicon import lexicon
from tipwatch.model import Fact, Narrative

KIND = "role"

_COUNTRY_ROLE = re.compile(
    r"\b(?:is|are|was|remains|serves\s+as|as|becoming|become|also)\b(?P<body>[^.;:]{0,160}?)"
    r"\bcountr(?:y|ies)\b(?P<tail>\s+of\s+(?:origin|transit|destination)(?:\s*(?:,|and|or)\s*"
    r"(?:origin|transit|destination|,|\s|and|or|to\s+a\s+(?:much\s+)?(?:lesser|greater)\s+extent|"
    r"a\s+)*)?)?"
    # a second conjunct: "... a source country and, to a lesser extent, a destination country"
    r"(?P<more>[^.;:]{0,120}?\b(?:and|or)\b,?\s*(?:to\s+a\s+(?:much\s+)?(?:lesser|greater)\s+"
    r"extent,?\s*)?(?:also\s+)?(?:an?\s+)?(?:(?:source|origin|transit|destination)\W+(?:and\s+|or\s+)?)+"
    r"(?:countr(?:y|ies)|point|hub)\b)?",
    re.I,
)
_ROLE_WORDS = re.compile(r"\b(source|origin|transit|destination)\b", re.I)
_TRANSIT = re.compile(
    r"\btransit\s+(?:point|hub|route|country|countries|zone|area)s?\b|\bas\s+a\s+transit\b|"
    r"\btransited\s+through\b|\btransit\s+(?:through|via)\b",
    re.I,
)
#: victims exploited in the country for a time before moving on: "arriving in X for a few
#: months before being exploited in other countries"
_BEFORE_ONWARD = re.compile(
    r"\b(?:arriv\w+|stay\w*|exploited|held)\s+in\s+[^.;]{0,60}?\bbefore\s+(?:being\s+)?"
    r"(?:exploited|moved|moving|taken|transported|trafficked|sent)\s+(?:on\s+)?(?:\w+\s+){0,2}?"
    r"(?:to|in|into)\s+(?:other|another|third|neighbou?ring|onward)\b",
    re.I,
)
#: own nationals exploited by their families: "relatives exploited <Demonym> children"
_FAMILY = re.compile(
    r"\b(?:family\s+members|relatives|parents|families|guardians)\b[^.;]{0,100}?\b(?:exploit\w*|"
    r"subject\w*|sell|sold|forc\w*|prostitut\w*)\b",
    re.I,
)
_FOREIGN_IN = re.compile(r"\bexploit\w*\s+(?:domestic\s+and\s+)?foreign\s+victims\s+in\b", re.I)
_DOMESTIC_IN = re.compile(r"\bexploit\w*\s+domestic(?:\s+and\s+foreign)?\s+victims\s+in\b", re.I)
_FROM_ABROAD = re.compile(
    r"\b(?:exploit\w*|trafficked?)\s+(?:victims|nationals|citizens|\w+\s+victims)\s+from\s+[^.;]{1,60}?"
    r"\babroad\b|\bvictims\s+from\s+[^.;]{1,60}?\babroad\b",
    re.I,
)
_INTERNAL = re.compile(
    r"\binternal(?:ly)?\s+(?:\w+\s+){0,2}traffick\w*|\b(?:trafficking|problem|exploitation)\s+"
    r"(?:is|was|remains|occurs)\s+(?:\w+\s+){0,2}(?:internal|domestic)(?:ly)?\b|"
    r"\binternal\s+(?:labor|sex|child)\s+trafficking|\bdomestic\s+trafficking\b|"
    r"\bdomestic\s+victims\b|\bwithin\s+(?:the\s+)?(?:country|its\s+borders)\b|"
    r"\binternal\s+(?:\w+\s+)?victims\b|\btrafficking\s+(?:is|was|remains)\s+(?:primarily\s+|mostly\s+"
    r"|largely\s+)?(?:internal|domestic)\b|\btrafficked\s+internally\b|\binternal\s+(?:sex|labor)\s+"
    r"trafficking\b|\bwithin\s+the\s+country\b|\bfrom\s+rural\s+(?:to|areas\s+to)\s+urban\b|"
    r"\bmost\s+trafficking\s+(?:is|occurs)\s+(?:internal|within)|"
    r"\btraffick\w*\s+of\s+[^.;]{0,60}?\binternally\b",
    re.I,
)
_SCOPE_SKIP = ("recommendations", "tier", "tier_rating")
_ROLE_NOUN = re.compile(
    r"\b(?:is|was|as|remains|also|serves\s+as)\s+(?:\w+\s+){0,3}?(?:a|an)\s+(?:\w+\s+){0,2}?"
    r"(?P<role>source|transit|destination)\b(?!\s+(?:of\s+)?(?:for\s+)?(?:funding|information))"
    # a second role joined to the first: "a transit point and destination for women"
    r"(?:\s+(?:point|hub|country)?\s*(?:and|or)\s+(?:an?\s+)?(?P<role2>source|transit|destination)\b"
    r"(?!\s+(?:of\s+)?(?:for\s+)?(?:funding|information)))?",
    re.I,
)
_VICTIMS = re.compile(
    r"\b(?:victims?|women|men|children|girls|boys|workers|migrants|nationals|citizens|laborers|"
    r"adults|persons|people|minors)\b",
    re.I,
)
_EXPLOIT = re.compile(
    r"\b(?:exploit\w*|subjected|forced|trafficked|trafficking|servitude|bondage|prostitution)\b",
    re.I,
)
_FOREIGN = re.compile(
    r"\bforeign\s+(?:victims|nationals|workers|women|men|children|girls|boys|migrants|laborers)\b",
    re.I,
)


def extract(n: Narrative) -> list[Fact]:
    text = n.text
    found: dict[str, tuple[int, int]] = {}

    def add(role: str, a: int, b: int) -> None:
        if role not in found:
            found[role] = (a, b)

    for section, (a, b) in n.spans.items():
        if section in _SCOPE_SKIP:
            continue
        low = text[a:b].lower()
        has_country = "countr" in low
        for m in _COUNTRY_ROLE.finditer(text, a, b) if has_country else ():
            words = m.group("body") + (m.group("tail") or "") + " " + (m.group("more") or "")
            for w in _ROLE_WORDS.finditer(words):
                role = w.group(1).lower()
                add("source" if role == "origin" else role, m.start(), m.end())
        for pat, role, needles in _SIMPLE:
            if any(w in low for w in needles):
                for m in pat.finditer(text, a, b):
                    add(role if role else m.group("role").lower(), m.start(), m.end())
                    if not role and m.group("role2"):
                        add(m.group("role2").lower(), m.start(), m.end())
        if section in _GOVERNMENT_WORK:
            continue  # what the government did, not where trafficking happens
        for sa, sb in sentences(text, a, b):
            if not _EXPLOIT.search(text, sa, sb):
                continue
            m = _FOREIGN.search(text, sa, sb)
            if m:
                add("destination", m.start(), m.end())
            own = own_nationals(n, sa, sb)
            foreign = _FOREIGN_CUE.search(text, sa, sb) is not None
            if own is not None and _ALONGSIDE.match(text, own[1], min(sb, own[1] + 30)):
                foreign = False  # "Thai and migrant children": own nationals among the victims
            at_risk_only = _RISK_ONLY.search(text, sa, sb) and not _ACTUAL.search(text, sa, sb)
            if own is not None and _VICTIMS.search(text, sa, sb) and not at_risk_only:
                abroad = _ABROAD.search(text, sa, sb) or _abroad_named(n, sa, sb)
                if in_own_country(n, sa, sb) and not foreign:
                    add("internal", own[0], own[1])
                if _INTERNALLY.search(text, sa, sb):
                    add("internal", own[0], own[1])  # "... abroad, and internally in bars"
                if abroad:
                    add("source", own[0], own[1])
                family = _FAMILY.search(text, sa, own[0]) and not abroad
                if (
                    _DESTINATION_FOR.search(text, sa, sb)
                    or _HOME_MOVE.search(text, sa, sb)
                    or family
                ):
                    add("internal", own[0], own[1])  # own nationals exploited at home
                elif (
                    not abroad
                    and not foreign
                    and not _foreign_named(n, sa, sb)
                    and (_PROBLEM.search(text, sa, sb) or _LOCAL_PLACE.search(text, sa, sb))
                ):
                    # "sex trafficking of Thai children remains a significant problem",
                    # "<Demonym> children are exploited as vendors in the eastern provinces"
                    add("internal", own[0], own[1])
            w = _within_own_name(n).search(text, sa, sb)
            if w:
                add("internal", w.start(), w.end())  # "... and within Belarus"
            if not foreign and not _ABROAD.search(text, sa, sb):
                # exploitation "within <the country>" or of "its nationals", no foreigners in view
                w = _within_own(n).search(text, sa, sb) or _ITS_NATIONALS.search(text, sa, sb)
                if w and not _foreign_named(n, sa, sb):
                    add("internal", w.start(), w.end())
            t = _through_own(n).search(text, sa, sb)
            if t:
                add("transit", t.start(), t.end())
        for m in _RURAL_URBAN.finditer(text, a, b):
            sa, sb = _clause(text, a, b, m.start())
            if _RISK_ONLY.search(text, sa, sb) and not _ACTUAL.search(text, sa, sb):
                continue  # "... from rural areas, are vulnerable to exploitation in urban centers"
            add("internal", m.start(), m.end())
        if section not in _GOVERNMENT_WORK:
            for sa, sb in sentences(text, a, b):
                own = own_nationals(n, sa, sb)
                if _RISK_ONLY.search(text, sa, sb) and not _ACTUAL.search(text, sa, sb):
                    continue
                if own is not None and _HOME_MOVE.search(text, sa, sb):
                    # "<Demonym> children are transported to the capital from other islands"
                    add("internal", own[0], own[1])
    return [
        fact(n, KIND, role, a, b) for role, (a, b) in sorted(found.items(), key=lambda kv: kv[1])
    ]


_ABROAD = re.compile(r"\babroad\b|\boverseas\b", re.I)
#: (pattern, role or "" for the pattern's own group, words one of which must be in the section)
_SIMPLE: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (_TRANSIT, "transit", ("transit",)),
    (_BEFORE_ONWARD, "transit", ("before",)),
    (_FOREIGN_IN, "destination", ("foreign",)),
    (_DOMESTIC_IN, "internal", ("domestic",)),
    (_FROM_ABROAD, "source", ("abroad",)),
    (_INTERNAL, "internal", ("internal", "domestic", "within", "rural")),
    (_ROLE_NOUN, "", ("source", "transit", "destination")),
]
_OWN_CACHE: dict[str, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]] = {}


def _own_patterns(iso3: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(own demonyms as nationals, "in/within <own name>") for a country."""
    if iso3 not in _OWN_CACHE:
        lex = lexicon()
        dem = [t for t, (c, k) in lex.terms.items() if c == iso3 and k == "demonym"]
        names = [t for t, (c, k) in lex.terms.items() if c == iso3 and k in ("name", "alias")]
        dem_re = "|".join(re.escape(t) for t in sorted(dem, key=len, reverse=True)) or "(?!x)x"
        name_re = "|".join(re.escape(t) for t in sorted(names, key=len, reverse=True)) or "(?!x)x"
        _OWN_CACHE[iso3] = (
            re.compile(r"\b(?:" + dem_re + r")s?\b"),
            re.compile(
                r"\b(?:in|within|throughout|across)\s+(?:the\s+)?(?:" + name_re + r")\b"
                r"|\bwithin\s+the\s+country\b|\bdomestically\b"
                # the last of a list of places: "in Russia and Belarus"
                r"|\bin\s+(?:(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*,?\s+){1,12}and\s+"
                r"(?:the\s+)?(?:" + name_re + r")\b"
            ),
            re.compile(r"(?:" + name_re + r")\b"),
        )
    return _OWN_CACHE[iso3]


def own_nationals(n: Narrative, a: int, b: int) -> tuple[int, int] | None:
    """Span of a demonym of the narrative's own country in ``text[a:b]`` (e.g. "Romanian"),
    or of "from <the country>" ("women and girls from Montenegro")."""
    dem, _in, names = _own_patterns(n.country)
    for m in dem.finditer(n.text, a, b):
        if not names.match(n.text, m.start()):  # "Saudi" in "Saudi Arabia" is the name
            return (m.start(), m.end())
    m = _FROM.search(n.text, a, b)
    while m:
        if names.match(n.text, m.end()):
            return (m.start(), names.match(n.text, m.end()).end())
        m = _FROM.search(n.text, m.end(), b)
    return None


def _clause(text: str, a: int, b: int, offset: int) -> tuple[int, int]:
    """The clause (between "." or ";") around ``offset`` within ``text[a:b]``."""
    start = max(text.rfind(".", a, offset), text.rfind(";", a, offset), a - 1) + 1
    ends = [i for i in (text.find(".", offset, b), text.find(";", offset, b)) if i >= 0]
    return start, (min(ends) if ends else b)


#: victims "from <the country>" ("women and girls from Montenegro"), not perpetrators
_FROM = re.compile(
    r"\b(?:women|girls|men|boys|children|victims|nationals|citizens|people|persons|workers)\s+"
    r"(?:[\w-]+\s+){0,3}?from\s+(?:the\s+)?",
    re.I,
)


def in_own_country(n: Narrative, a: int, b: int) -> bool:
    return _own_patterns(n.country)[1].search(n.text, a, b) is not None


_WITHIN_CACHE: dict[str, re.Pattern[str]] = {}


def _within_own_name(n: Narrative) -> re.Pattern[str]:
    """ "within <the country's name>" said outright."""
    if n.country not in _WITHIN_CACHE:
        lex = lexicon()
        names = [t for t, (c, k) in lex.terms.items() if c == n.country and k in ("name", "alias")]
        name_re = "|".join(re.escape(t) for t in sorted(names, key=len, reverse=True)) or "(?!x)x"
        _WITHIN_CACHE[n.country] = re.compile(
            r"\bwithin\s+(?:the\s+)?(?:" + name_re + r")\b(?!\s+[A-Z])"  # not "the X Trade Zone"
        )
    return _WITHIN_CACHE[n.country]


def _abroad_named(n: Narrative, a: int, b: int) -> bool:
    """The clause sends the country's nationals to another named country ("in Turkey")."""
    lex = lexicon()
    text = n.text
    for m in lex.find(text[a:b]):
        if m.iso3 and m.iso3 != n.country:
            before = text[max(a, a + m.start - 40) : a + m.start]
            if re.search(
                r"\b(?:in|to|into)\s+(?:the\s+)?(?:[A-Z][\w.'’-]*,?\s+(?:and\s+)?)*$", before
            ):
                return True
    return False


_GOVERNMENT_WORK = ("prosecution", "protection", "prevention", "government_efforts")
_DESTINATION_FOR = re.compile(r"\bdestination\b", re.I)
_HOME_MOVE = re.compile(
    r"\b(?:to|in)\s+the\s+capital\b|\bfrom\s+(?:other|outer|remote|rural|poorer)\s+"
    r"(?:islands|provinces|regions|areas|villages|states|districts)\b|\bin\s+the\s+country\b",
    re.I,
)
#: own nationals named alongside foreign victims: "Thai and migrant children"
_ALONGSIDE = re.compile(r"\s*(?:and|or)\s+(?:foreign|migrant|immigrant)\b", re.I)
_RISK_ONLY = re.compile(r"\b(?:vulnerab\w*|at\s+risk)\b", re.I)
_ACTUAL = re.compile(
    r"\b(?:subjected|exploited|forced\s+(?:to|into)|trafficked|victims|sold|compelled)\b", re.I
)
_INTERNALLY = re.compile(r"\binternally\b(?!\s+displaced)", re.I)
_PROBLEM = re.compile(
    r"\b(?:remains?|is|are)\s+(?:a\s+)?(?:significant|serious|growing|major)\s+"
    r"problems?\b",
    re.I,
)
_LOCAL_PLACE = re.compile(
    r"\bin\s+(?:the\s+)?(?:\w+\s+){0,2}?(?:provinces|regions|areas|parts|cities|towns|districts)\s+"
    r"of\s+the\s+country\b|\bin\s+the\s+country'?s\s+|\binternally\b(?!\s+displaced)|"
    r"\bdomestically\b|\bin\s+these\s+cities\b",
    re.I,
)
_ITS_NATIONALS = re.compile(
    r"\b(?:its|their)\s+(?:own\s+)?(?:nationals|citizens|people|population)\b", re.I
)
_FOREIGN_CUE = re.compile(r"\bforeign\w*|\bmigrants?\b|\bimmigra\w*|\brefugees?\b", re.I)
_RURAL_URBAN = re.compile(
    r"(?:\bfrom\s+(?:\w+,?\s+){0,3}?rural\s+(?:areas|regions|villages|communities|provinces)\b|"
    r"\brural\s+(?:\w+\s+)?(?:are|were)\s+(?:transported|moved|sent|brought|taken))"
    r"[^.;]{0,80}?\b(?:to|in|into|for\s+work\s+in)\s+(?:\w+\s+){0,2}?(?:cities|urban|towns|"
    r"the\s+capital|tourist)",
    re.I,
)
_PLACE_CACHE: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def _place_patterns(iso3: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    if iso3 not in _PLACE_CACHE:
        lex = lexicon()
        names = [t for t, (c, k) in lex.terms.items() if c == iso3 and k in ("name", "alias")]
        name_re = "|".join(re.escape(t) for t in sorted(names, key=len, reverse=True)) or "(?!x)x"
        _PLACE_CACHE[iso3] = (
            re.compile(
                r"\b(?:within|throughout|across)\s+(?:the\s+)?(?:" + name_re + r")\b|"
                r"\bin\s+the\s+country'?s\s+(?:\w+\s+)?(?:areas|regions|cities|provinces|towns)"
            ),
            re.compile(
                r"\btransit(?:s|ed|ing)?\s+(?:through\s+)?(?:the\s+)?(?:" + name_re + r")\b|"
                r"\b(?:trafficked|moved|transported|smuggled)\s+(?:\w+\s+){0,3}?(?:through|via)"
                r"\s+(?:the\s+)?(?:" + name_re + r")\b"
            ),
        )
    return _PLACE_CACHE[iso3]


def _within_own(n: Narrative) -> re.Pattern[str]:
    return _place_patterns(n.country)[0]


def _through_own(n: Narrative) -> re.Pattern[str]:
    return _place_patterns(n.country)[1]


def _foreign_named(n: Narrative, a: int, b: int) -> bool:
    """The clause names another country (or its people): not about internal trafficking."""
    return any(m.iso3 and m.iso3 != n.country for m in lexicon().find(n.text[a:b]))
