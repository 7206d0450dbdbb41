"""Effort facts: what the narrative's opening paragraph says the government did or failed to do.

Reads the intro (report pages, 2018 narratives) or the tier rating (Factbook); a text without
sections is read whole. Each clause (sentence or semicolon clause, split again at "but",
"however", "although", "while") that names a topic gives one fact per topic:
``{pillar, topic, polarity}`` with pillar ``prosecution`` / ``protection`` / ``prevention``,
polarity ``effort`` (something done) or ``failing`` (not done, too little, or harm done, such
as penalizing victims). One more fact per narrative, topic ``overall``, says whether efforts
overall are called increasing (``increasing`` true / false) and whether the government is
"making significant efforts". Every pattern is in :data:`TOPICS` and the cue lists below;
conventions and measured quality: docs/extraction.md ("Effort facts").
"""

from __future__ import annotations

import re

from tipwatch.extract.base import fact, sentences
from tipwatch.model import Fact, Narrative

KIND = "effort"

#: a law-enforcement word about victims ("prosecuting trafficking victims") is not the topic
_NOT_OF_VICTIMS = (r"(?![\s,]+(?:them\b|(?:\w+[\s,]+){0,3}?(?:potential\s+)?(?:trafficking\s+)?"
                   r"victims))")

#: topic -> (pillar, pattern over the lower-cased clause)
TOPICS: dict[str, tuple[str, re.Pattern[str]]] = {
    name: (pillar, re.compile(pattern))
    for name, (pillar, pattern) in {
        "investigations": ("prosecution", r"\binvestigat\w*+" + _NOT_OF_VICTIMS),
        "prosecutions": ("prosecution", r"\b(?:prosecut\w*+|court proceedings|courtroom|"
                         r"litigation|court cases|legal action|backlog\s+of\s+(?:\w+\s+){0,2}?"
                         r"cases|under non-trafficking statutes|lesser (?:charges|crimes|"
                         r"offen[cs]es))"
                         + _NOT_OF_VICTIMS),
        "convictions": ("prosecution", r"\b(?:convict\w*+|sentenc\w*+|punish(?:ed|es|ing)?\b|"
                        r"punishments?\s+for\s+(?:trafficking|traffickers|the crime)|"
                        r"hold\w*\s+(?:\w+\s+){0,2}?accountable)" + _NOT_OF_VICTIMS),
        "legislation": ("prosecution", r"\b(?:legislati\w*|penal code|criminal code|"
                        r"trafficking law\s+(?:\w+\s+){0,2}?(?:includ|allow|lack|provid|prescrib|"
                        r"requir|conform)\w*|criminaliz\w*|amend\w*|enact\w*|implementing "
                        r"regulations|(?:enhanc|increas|rais|strengthen)\w*\s+(?:the\s+)?"
                        r"penalties|laws?\s+(?:regulating|governing|to\s+regulate))"),
        "official_complicity": ("prosecution", r"\b(?:complicit\w*|complicity|corrupt\w*|"
                                r"officials\s+(?:allegedly\s+)?(?:involved|implicated)\s+in)"),
        "training": ("prosecution", r"\btrain(?:ed|ing|s)?\b(?!\s+cent)|\bworkshops?\b"),
        "victim_identification": ("protection", r"\bidentif\w*\s+(?:\w+\s+){0,4}?(?:victims?|"
                                  r"cases)|victim identification|\bscreen\w*|\bidentif\w*\s+"
                                  r"or\s+\w+\s+(?:\w+\s+){0,2}victims|referral mechanism|"
                                  r"national referral|\bidentification\s+(?:efforts|procedures|"
                                  r"measures|mechanisms?|protocols|and referral)|proactive "
                                  r"identification|identification,?\s+(?:and\s+)?(?:referral|"
                                  r"service|assistance|protection)|"
                                  r"\brefer(?:ral|red|ring)?\s+(?:or\s+\w+\s+)?"
                                  r"(?:\w+\s+){0,2}?victims"),
        "shelters_services": ("protection", r"\b(?:shelters?|protection services|services|"
                              r"assistance|care\b|rehabilitat\w*|reintegrat\w*|"
                              r"(?:protect|assist)\w*\s+(?:\w+\s+){0,3}?victims?|repatriat\w*|"
                              r"protective (?:provisions|services)|service provision|"
                              r"provision of services|"
                              r"identify\s+or\s+assist|restitution|compensation|"
                              r"re(?:fl|ft)ection period|support\s+for\s+victims|"
                              r"victim\s+support)"),
        "non_penalization": ("protection", r"\b(?:penali[sz]\w*\s+(?:\w+\s+){0,4}?victims|"
                             r"victims\s+(?:\w+\s+){0,6}?penali[sz]\w*|non-penali\w*|"
                             r"penali[sz]ation|"
                             r"(?:arrest|detain|deport|punish|prosecut|jail|imprison)\w*[\s,]+"
                             r"(?:\w+[\s,]+){0,4}?(?:potential\s+)?(?:trafficking\s+)?"
                             r"(?:victims|migrants)|subjected\s+to\s+(?:criminal\s+)?(?:penalties|"
                             r"detention|deportation|arrest)|"
                             r"unlawful acts|crimes\s+(?:\w+\s+){0,2}?committed\s+as\s+a\s+"
                             r"(?:direct\s+)?result)"),
        "national_action_plan": ("prevention", r"\b(?:national action plan|action plan|"
                                 r"national plan|national strategy)"),
        "awareness": ("prevention", r"\b(?:awareness[- ](?:raising|campaigns?|events?|"
                      r"activities|programs?|efforts)|rais\w*\s+(?:\w+\s+)?awareness|public "
                      r"awareness|campaigns?|hotlines?|outreach)\b"),
        "labour_recruitment": ("prevention", r"\b(?:labou?r\s+recruit\w*|recruitment\s+"
                               r"(?:fees?|agenc\w*|practices|firms)|recruiters?|employment "
                               r"agenc\w*|recruitment agencies|kafala|sponsorship system|"
                               r"overseas employment|licensed (?:recruitment )?(?:companies|"
                               r"agencies)|migrant worker protections?|illegal recruit\w*|"
                               r"recruiting (?:practices|fees)|recruitment (?:costs|compan\w*)|"
                               r"unscrupulous recruit\w*|(?:protect\w*|prevent\w*\s+(?:\w+\s+)"
                               r"{0,2}?trafficking\s+of)\s+(?:\w+\s+){0,2}?migrant workers)"),
    }.items()
}

#: a clause that reports something not done, too little, or harm done
_FAILING = re.compile(
    r"\b(?:not|no|never|neither|nor|failed|fails?|lack\w*|without|insufficient\w*|"
    r"inadequate\w*|decreas\w*|declin\w*|fewer|weak\w*|limited|remained\s+low|ceased|stopped|hamper\w*|"
    r"hinder\w*|imped\w*|remained\s+(?:a\s+)?(?:concern|problem|serious)|unable|yet\s+to|"
    r"challenges?|lesser|zero|deficien\w*|prevented\s+(?:\w+\s+){0,3}?from|(?<!a\s)few|"
    r"allow\w*\s+(?:for\s+)?(?:alleged\s+)?traffickers|rather\s+than|instead\s+of|"
    r"protracted|delays?|depleted|"
    r"only\s+(?:one|two|three|a\s+few|\d+)|denied|refused|reduced|closed)\b"
)
#: harm done to victims: penalized, arrested, detained, deported (a failing unless negated)
_PENALIZED = re.compile(
    r"\b(?:penaliz\w*|penalis\w*|arrest\w*|detain\w*|deport\w*|punish\w*|jail\w*|imprison\w*|"
    r"fined)\b")
_PROTECTS = re.compile(r"\b(?:not\s+(?:be\s+)?(?:penaliz|punish|arrest|detain|deport)\w*|"
                       r"(?:protect|shield|exempt)\w*\s+(?:\w+\s+){0,3}from)")
_SPLIT = re.compile(
    r",?\s+(?:but|however|although|though|while|whereas|despite)\b,?\s*|,\s+yet\s+|,\s+and\s+(?=(?:the\s+)?"
    r"(?:government|authorities|officials|it|police)\b)", re.I)
_SIGNIFICANT_NOT = re.compile(r"\bnot\s+making\s+significant\s+efforts", re.I)
_SIGNIFICANT = re.compile(r"\bmaking\s+significant\s+efforts", re.I)
_NOT_INCREASING = re.compile(
    r"(?:did|does|has|have)\s+not\s+(?:\w+\s+){0,2}?(?:demonstrat|show|provide)\w*\s+(?:\w+\s+)"
    r"{0,2}?(?:evidence\s+of\s+)?(?:overall\s+)?increas(?:ing|ed)\s+efforts|"
    r"\black\s+of\s+(?:\w+\s+)?evidence\s+of\s+increas(?:ing|ed)\s+efforts|"
    r"\bnot\s+demonstrat\w*\s+(?:overall\s+)?increasing\s+efforts", re.I)
_INCREASING = re.compile(
    r"(?:demonstrat|show)\w*\s+(?:\w+\s+){0,2}?(?:overall\s+)?increasing\s+efforts", re.I)
#: clauses that only state the standard or the placement, not an effort
_BOILERPLATE = re.compile(r"minimum standards|tier\s+(?:1|2|3)|watch list|special case", re.I)


def _scope(n: Narrative) -> tuple[int, int]:
    for name in ("intro", "tier_rating"):
        if name in n.spans:
            return n.spans[name]
    return 0, len(n.text)


#: an action against complicit officials; without one, complicity is a failing
_AGAINST_COMPLICITY = re.compile(
    r"\b(?:arrest|investigat|prosecut|convict|charg|dismiss|su[s]pend|indict|sentenc)\w*")
#: words naming the three pillars as a list, not a topic
_PILLAR_LIST = re.compile(r"prosecution,\s+protection,?\s+(?:and|or)\s+prevention")
#: "refer them to care" is referral (identification), not a service
_REFERRAL = re.compile(
    r"refer\w*\s+(?:\w+\s+){0,3}?to\s+(?:\w+\s+)?(?:care|services|shelters?)")
#: "to identified victims": a noun phrase, not an identification effort
_IDENTIFIED_NOUN = re.compile(r"\b(?:to|for|of|among|the|all)\s+$")


def polarity(topic: str, clause: str) -> str:
    """``effort`` or ``failing`` for one topic in one lower-cased clause."""
    if topic == "official_complicity" and not _AGAINST_COMPLICITY.search(clause):
        return "failing"
    if topic == "non_penalization":
        if _PROTECTS.search(clause) and not re.search(r"\bno\s+(?:\w+\s+){0,2}assurances?|"
                                                      r"\black\w*|\bfailed|\bdid\s+not\s+"
                                                      r"(?:ensure|protect|screen)", clause):
            return "effort"
        if _PENALIZED.search(clause) or _FAILING.search(clause):
            return "failing"
        return "effort"
    return "failing" if _FAILING.search(clause) else "effort"


def _parts(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out, pos = [], a
    if re.match(r"(?:despite|although|though|while)\s", text[a:a + 9], re.I):
        # "Despite the lack of efforts, it did X", "Although it identified victims, …"
        comma = text.find(",", a, b)
        if comma > 0:
            out.append((a, comma))
            pos = comma + 1
    for m in _SPLIT.finditer(text, a, b):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if b > pos:
        out.append((pos, b))
    return out


def extract(n: Narrative) -> list[Fact]:
    a, b = _scope(n)
    text = n.text
    out: list[Fact] = []
    seen: set[tuple[str, str]] = set()
    for sa, sb in sentences(text, a, b):
        for pa, pb in _parts(text, sa, sb):
            clause = _PILLAR_LIST.sub(" ", text[pa:pb].lower())
            if _BOILERPLATE.search(clause) and "efforts" in clause and "increas" in clause:
                continue  # the overall finding, reported below
            found = {t: m for t, (_, p) in TOPICS.items() if (m := _match(t, p, clause))}
            trained = found.get("training")
            for topic, (pillar, _pattern) in TOPICS.items():
                m = found.get(topic)
                if not m:
                    continue
                if trained and topic != "training" and _trained_on(clause, trained, m):
                    continue  # the subject of a training is not a topic of its own
                pol = polarity(topic, clause)
                key = (topic, pol)
                if key in seen:
                    continue
                seen.add(key)
                value = {"pillar": pillar, "topic": topic, "polarity": pol}
                out.append(fact(n, KIND, value, pa, pb))
    overall = _overall(n, a, b)
    if overall is not None:
        out.append(overall)
    return out


def _trained_on(clause: str, trained: re.Match[str], m: re.Match[str]) -> bool:
    """``m`` names what officials were trained on ("trained police on victim identification")."""
    if m.start() < trained.end():
        return False
    gap = clause[trained.end():m.start()]
    at = gap.find(" on ")
    return at >= 0 and not re.search(r",|\band\s+\w+ed\b", gap[at:])


def _match(topic: str, pattern: re.Pattern[str], clause: str) -> re.Match[str] | None:
    if topic == "shelters_services":
        clause = _REFERRAL.sub("referral", clause)
    for m in pattern.finditer(clause):
        if topic == "victim_identification" and m.group(0).startswith("identified") and \
                _IDENTIFIED_NOUN.search(clause[: m.start()]):
            continue
        if topic == "training" and re.search(r"(?:employment|vocational|job|skills)\s+$",
                                             clause[: m.start()]):
            continue  # training given to victims is a service, not training of officials
        if clause.startswith((" data", " statistics"), m.end()):
            continue  # "victim identification data" is reporting, not identifying
        return m
    return None


def _overall(n: Narrative, a: int, b: int) -> Fact | None:
    text = n.text
    neg = _NOT_INCREASING.search(text, a, b)
    pos = None if neg else _INCREASING.search(text, a, b)
    sig_not = _SIGNIFICANT_NOT.search(text, a, b)
    sig = None if sig_not else _SIGNIFICANT.search(text, a, b)
    m = neg or pos or sig_not or sig
    if m is None:
        return None
    increasing = False if neg else (True if pos else None)
    significant = False if sig_not else (True if sig else None)
    failing = increasing is False or significant is False
    value = {"pillar": "overall", "topic": "overall", "polarity": "failing" if failing
             else "effort", "increasing": increasing, "significant": significant}
    return fact(n, KIND, value, m.start(), m.end())
