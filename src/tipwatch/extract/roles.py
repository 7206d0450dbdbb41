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

from tipwatch.extract.base import fact
from tipwatch.extract.engine import Doc
from tipwatch.extract.patterns import Rule, patterns
from tipwatch.model import Fact, Narrative

KIND = "role"
_P = patterns(KIND)

_COUNTRY_ROLE = _P["role.country_role"]
_ROLE_WORDS = _P["role.role_words"]
_TRANSIT = _P["role.transit"]
#: victims exploited in the country for a time before moving on: "arriving in X for a few
#: months before being exploited in other countries"
_BEFORE_ONWARD = _P["role.before_onward"]
_FOREIGN_IN = _P["role.foreign_in"]
_DOMESTIC_IN = _P["role.domestic_in"]
_FROM_ABROAD = _P["role.from_abroad"]
_INTERNAL = _P["role.internal"]
_SCOPE_SKIP = ("recommendations", "tier", "tier_rating")
_ROLE_NOUN = _P["role.role_noun"]
_EXPLOIT = _P["role.exploit"]


def extract(n: Narrative, doc: Doc | None = None) -> list[Fact]:
    """The roles the narrative gives its country, each with the id of the rule that read it."""
    doc = doc or Doc(n)
    text = doc.low  # the rules of this kind read the lower-cased text
    found: dict[str, tuple[int, int, str]] = {}

    def add(role: str, a: int, b: int, rule: str) -> None:
        if role not in found:
            found[role] = (a, b, "role." + rule)

    for section, (a, b) in n.spans.items():
        if section in _SCOPE_SKIP:
            continue
        for m in doc.matches(_R_COUNTRY_ROLE, a, b):
            words = m.group("body") + (m.group("tail") or "") + " " + (m.group("more") or "")
            for w in _ROLE_WORDS.finditer(words):
                role = w.group(1).lower()
                add("source" if role == "origin" else role, m.start(), m.end(), "country_role")
        for rule, role in _SIMPLE:
            for m in doc.matches(rule, a, b):
                name = rule.id.split(".", 1)[1]
                add(role if role else m.group("role").lower(), m.start(), m.end(), name)
                if not role and m.group("role2"):
                    add(m.group("role2").lower(), m.start(), m.end(), name)
        if section in _GOVERNMENT_WORK:
            continue  # what the government did, not where trafficking happens
        for sa, sb in doc.sentences_with(_R_EXPLOIT, a, b):
            if not _EXPLOIT.search(text, sa, sb):
                continue
            m = doc.search(_R_FOREIGN, sa, sb)
            if m:
                add("destination", m.start(), m.end(), "foreign")
            own = own_nationals(n, sa, sb, doc)
            foreign = doc.search(_R_FOREIGN_CUE, sa, sb) is not None
            if own is not None and _ALONGSIDE.match(text, own[1], min(sb, own[1] + 30)):
                foreign = False  # "Thai and migrant children": own nationals among the victims
            at_risk_only = _RISK_ONLY.search(text, sa, sb) and not doc.search(_R_ACTUAL, sa, sb)
            if own is not None and doc.search(_R_VICTIMS, sa, sb) and not at_risk_only:
                abroad = doc.search(_R_ABROAD, sa, sb) or _abroad_named(n, sa, sb, doc)
                place = in_own_country(doc, sa, sb)
                if place and not foreign:
                    add("internal", own[0], own[1], place)
                if doc.search(_R_INTERNALLY, sa, sb):
                    add("internal", own[0], own[1], "internally")  # "... abroad, and internally"
                if abroad:
                    add("source", own[0], own[1], "abroad")
                family = doc.search(_R_FAMILY, sa, own[0]) and not abroad
                home = (
                    ("destination_for" if doc.search(_R_DESTINATION_FOR, sa, sb) else "")
                    or ("home_move" if _HOME_MOVE.search(text, sa, sb) else "")
                    or ("family" if family else "")
                )
                if home:
                    add("internal", own[0], own[1], home)  # own nationals exploited at home
                elif (
                    not abroad
                    and not foreign
                    and not _foreign_named(n, sa, sb, doc)
                    and (_PROBLEM.search(text, sa, sb) or _LOCAL_PLACE.search(text, sa, sb))
                ):
                    # "sex trafficking of Thai children remains a significant problem",
                    # "<Demonym> children are exploited as vendors in the eastern provinces"
                    add("internal", own[0], own[1], "problem")
            w = _within_own_name(doc, sa, sb)
            if w:
                add("internal", w[0], w[1], w[2])  # "... and within Belarus"
            if not foreign and not doc.search(_R_ABROAD, sa, sb):
                # exploitation "within <the country>" or of "its nationals", no foreigners in view
                w = _within_own(doc, sa, sb)
                if w is None:
                    its = doc.search(_R_ITS_NATIONALS, sa, sb)
                    w = (its.start(), its.end(), "its_nationals") if its else None
                if w and not _foreign_named(n, sa, sb, doc):
                    add("internal", w[0], w[1], w[2])
            t = _through_own(doc, sa, sb)
            if t:
                add("transit", t[0], t[1], t[2])
        for m in doc.matches(_P.rule("role.rural_urban"), a, b):
            sa, sb = _clause(text, a, b, m.start())
            if _RISK_ONLY.search(text, sa, sb) and not doc.search(_R_ACTUAL, sa, sb):
                continue  # "... from rural areas, are vulnerable to exploitation in urban centers"
            add("internal", m.start(), m.end(), "rural_urban")
        if section not in _GOVERNMENT_WORK:
            for sa, sb in doc.sentences_with(_R_HOME_MOVE, a, b):
                if not _HOME_MOVE.search(text, sa, sb):
                    continue
                own = own_nationals(n, sa, sb, doc)
                if _RISK_ONLY.search(text, sa, sb) and not doc.search(_R_ACTUAL, sa, sb):
                    continue
                if own is not None:
                    # "<Demonym> children are transported to the capital from other islands"
                    add("internal", own[0], own[1], "home_move")
    return [
        fact(n, KIND, role, a, b, rule_id=rid)
        for role, (a, b, rid) in sorted(found.items(), key=lambda kv: kv[1])
    ]


_R_EXPLOIT = (_P.rule("role.exploit"),)
_R_HOME_MOVE = (_P.rule("role.home_move"),)
_R_COUNTRY_ROLE = _P.rule("role.country_role")
#: (rule, role or "" for the pattern's own group); each is read only where its triggers occur
_SIMPLE: list[tuple[Rule, str]] = [
    (_P.rule("role.transit"), "transit"),
    (_P.rule("role.before_onward"), "transit"),
    (_P.rule("role.foreign_in"), "destination"),
    (_P.rule("role.domestic_in"), "internal"),
    (_P.rule("role.from_abroad"), "source"),
    (_P.rule("role.internal"), "internal"),
    (_P.rule("role.role_noun"), ""),
]


# the rules below are read through ``doc.search``, only where one of their triggers occurs
# (``gate: true`` puts them in the engine's trigger index): the same first match, no scan
#: own nationals exploited by their families: "relatives exploited <Demonym> children"
_R_FAMILY = _P.rule("role.family")
_R_VICTIMS = _P.rule("role.victims")
_R_FOREIGN = _P.rule("role.foreign")
_R_ABROAD = _P.rule("role.abroad")
#: victims "from <the country>" ("women and girls from Montenegro"), not perpetrators
_R_FROM = _P.rule("role.from")
_R_DESTINATION_FOR = _P.rule("role.destination_for")
_R_ACTUAL = _P.rule("role.actual")
_R_INTERNALLY = _P.rule("role.internally")
_R_ITS_NATIONALS = _P.rule("role.its_nationals")
_R_FOREIGN_CUE = _P.rule("role.foreign_cue")


def own_nationals(n: Narrative, a: int, b: int, doc: Doc | None = None) -> tuple[int, int] | None:
    """Span of a demonym of the narrative's own country in ``text[a:b]`` (e.g. "Romanian"),
    or of "from <the country>" ("women and girls from Montenegro"). The country's names and
    demonyms are the lexicon's mentions of it (a demonym that begins the name, "Saudi" in
    "Saudi Arabia", is read as the name)."""
    doc = doc or Doc(n)
    for m in doc.own_mentions(a, b):
        if m.kind == "demonym":
            return (m.start, m.end)
    m = doc.search(_R_FROM, a, b)
    while m:
        name = doc.own_name_at(m.end())
        if name is not None:
            return (m.start(), name.end)
        m = doc.search(_R_FROM, m.end(), b)
    return None


def _before_name(
    doc: Doc, a: int, b: int, rules: tuple[str, ...], after_ok: bool = True
) -> tuple[int, int, str] | None:
    """(start, end, rule name) of the first mention of the country's own name in ``[a, b)``
    that one of ``rules`` (patterns ending at the name) precedes."""
    for m in doc.own_mentions(a, b):
        if m.kind not in ("name", "alias"):
            continue
        head = doc.text[max(a, m.start - 300) : m.start]
        for rid in rules:
            hit = _P[rid].search(head)
            if hit is not None:
                if not after_ok and _P["role.capital_after"].match(doc.text, m.end, b):
                    continue
                return (m.start - len(head) + hit.start(), m.end, rid.split(".", 1)[1])
    return None


def _clause(text: str, a: int, b: int, offset: int) -> tuple[int, int]:
    """The clause (between "." or ";") around ``offset`` within ``text[a:b]``."""
    start = max(text.rfind(".", a, offset), text.rfind(";", a, offset), a - 1) + 1
    ends = [i for i in (text.find(".", offset, b), text.find(";", offset, b)) if i >= 0]
    return start, (min(ends) if ends else b)


def in_own_country(doc: Doc, a: int, b: int) -> str:
    """The name of the rule by which the clause places the exploitation in the country ("in
    Moldova", "within the country", "in Russia and Moldova", "domestically"), or ""."""
    if _P["role.in_country"].search(doc.text, a, b):
        return "in_country"
    found = _before_name(doc, a, b, ("role.in_own_before", "role.in_own_list_before"))
    return found[2] if found else ""


def _within_own_name(doc: Doc, a: int, b: int) -> tuple[int, int, str] | None:
    """ "within <the country's name>" said outright (not "within the X Trade Zone")."""
    return _before_name(doc, a, b, ("role.within_before",), after_ok=False)


def _within_own(doc: Doc, a: int, b: int) -> tuple[int, int, str] | None:
    found = _before_name(doc, a, b, ("role.around_before",))
    hit = _P["role.country_areas"].search(doc.text, a, b)
    if hit and (found is None or hit.start() < found[0]):
        return (hit.start(), hit.end(), "country_areas")
    return found


def _through_own(doc: Doc, a: int, b: int) -> tuple[int, int, str] | None:
    return _before_name(doc, a, b, ("role.transit_before", "role.moved_through_before"))


def _abroad_named(n: Narrative, a: int, b: int, doc: Doc) -> bool:
    """The clause sends the country's nationals to another named country ("in Turkey")."""
    text = n.text
    before_pat = _P["role.in_to_before"]
    for m in doc.mentions_in(a, b):
        if (
            m.iso3
            and m.iso3 != n.country
            and before_pat.search(text[max(a, m.start - 40) : m.start])
        ):
            return True
    return False


_GOVERNMENT_WORK = ("prosecution", "protection", "prevention", "government_efforts")
_HOME_MOVE = _P["role.home_move"]
#: own nationals named alongside foreign victims: "Thai and migrant children"
_ALONGSIDE = _P["role.alongside"]
_RISK_ONLY = _P["role.risk_only"]
_PROBLEM = _P["role.problem"]
_LOCAL_PLACE = _P["role.local_place"]


def _foreign_named(n: Narrative, a: int, b: int, doc: Doc) -> bool:
    """The clause names another country (or its people): not about internal trafficking."""
    return any(m.iso3 and m.iso3 != n.country for m in doc.mentions_in(a, b))
