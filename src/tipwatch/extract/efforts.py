"""Effort facts: what the narrative's opening paragraph says the government did or failed to do.

Reads the intro (report pages, 2018 narratives) or the tier rating (Factbook); a text without
sections is read whole. Each clause (sentence or semicolon clause, split again at "but",
"however", "although", "while"; a concession inside a sentence ends at its comma) that names a
topic gives one fact per topic:
``{pillar, topic, polarity}`` with pillar ``prosecution`` / ``protection`` / ``prevention``,
polarity ``effort`` (something done) or ``failing`` (not done, too little, or harm done, such
as penalizing victims). One more fact per narrative, topic ``overall``, says whether efforts
overall are called increasing (``increasing`` true / false) and whether the government is
"making significant efforts". Every pattern is a rule of ``data/patterns/effort.yaml``;
conventions and measured quality: docs/extraction.md ("Effort facts").
"""

from __future__ import annotations

import re

from tipwatch.extract.base import fact, sentences
from tipwatch.extract.engine import lowered
from tipwatch.extract.patterns import patterns
from tipwatch.model import Fact, Narrative

KIND = "effort"

#: topic -> pillar; each topic's pattern is the rule ``effort.topic.<topic>``
PILLARS: dict[str, str] = {
    "investigations": "prosecution", "prosecutions": "prosecution", "convictions": "prosecution",
    "legislation": "prosecution", "official_complicity": "prosecution", "training": "prosecution",
    "victim_identification": "protection", "shelters_services": "protection",
    "non_penalization": "protection", "national_action_plan": "prevention",
    "awareness": "prevention", "labour_recruitment": "prevention",
}

P = patterns(KIND)

#: topic -> (pillar, pattern over the lower-cased clause)
TOPICS: dict[str, tuple[str, re.Pattern[str]]] = {
    name: (pillar, P[f"effort.topic.{name}"]) for name, pillar in PILLARS.items()
}
_FAILING = P["effort.failing"]
_PENALIZED = P["effort.penalized"]
_PROTECTS = P["effort.protects"]
_PROTECTS_DENIED = P["effort.protects_denied"]
_SPLIT = P["effort.split"]
_CONCESSIVE = P["effort.concessive"]
_SIGNIFICANT_NOT = P["effort.significant_not"]
_SIGNIFICANT = P["effort.significant"]
_NOT_INCREASING = P["effort.not_increasing"]
_INCREASING = P["effort.increasing"]
_BOILERPLATE = P["effort.boilerplate"]
_AGAINST_COMPLICITY = P["effort.against_complicity"]
_PILLAR_LIST = P["effort.pillar_list"]
_REFERRAL = P["effort.referral"]
_IDENTIFIED_NOUN = P["effort.identified_noun"]
_VICTIM_TRAINING = P["effort.victim_training"]
_TRAINING_LIST = P["effort.training_list"]
_TRAINING_PURPOSE = P["effort.training_purpose"]
_ENFORCED_LAW = P["effort.enforced_law"]
_REPORTED_NUMBER = P["effort.reported_number"]
_LAW_PURPOSE = P["effort.law_purpose"]
_KNOWLEDGE_OF = P["effort.knowledge_of"]
_BUSINESS_COMPLICIT = P["effort.business_complicit"]
_SINCE_LAW = P["effort.since_law"]
_UNDONE_HARM = P["effort.undone_harm"]
_PARTICIPATION = P["effort.participation"]
_LAW_NAME = P["effort.law_name"]
_AWARENESS_TRAINING = P["effort.awareness_training"]
_CONCESSION_ASIDE = P["effort.concession_aside"]
_INFINITIVE_CONTINUED = P["effort.infinitive_continued"]
_DATA_AFTER = P["effort.data_after"]
_REPORTED_BACKGROUND = P["effort.reported_background"]
#: read before a legislation match: a law enforced ("enforced trafficking legislation
#: unevenly"), officials' knowledge of laws, a law named to date something ("since the law was
#: amended")
_NOT_LEGISLATION = (_ENFORCED_LAW, _KNOWLEDGE_OF, _SINCE_LAW)
#: topics whose verbs also name what is done to victims (arrested and prosecuted victims)
_LAW_ENFORCEMENT = ("investigations", "prosecutions", "convictions")


def _scope(n: Narrative) -> tuple[int, int]:
    for name in ("intro", "tier_rating"):
        if name in n.spans:
            return n.spans[name]
    return 0, len(n.text)




def polarity(topic: str, clause: str) -> str:
    """``effort`` or ``failing`` for one topic in one lower-cased clause."""
    # a harm ended or a condition removed is not a failing ("ceased the recruitment of ...")
    clause = _UNDONE_HARM.sub(" ", clause)
    if topic == "official_complicity" and not _AGAINST_COMPLICITY.search(clause):
        return "failing"
    if topic == "non_penalization":
        if _PROTECTS.search(clause) and not _PROTECTS_DENIED.search(clause):
            return "effort"
        if _PENALIZED.search(clause) or _FAILING.search(clause):
            return "failing"
        return "effort"
    return "failing" if _FAILING.search(clause) else "effort"


def _parts(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out, pos = [], a
    if _CONCESSIVE.match(text[a:a + 9]):
        # "Despite the lack of efforts, it did X", "Although it identified victims, …" (or
        # "… victims - 152 of whom … - it prosecuted …": the concession ends at a dash too)
        comma = min((i for i in (text.find(",", a, b), *(text.find(d, a, b) for d in
                                                        (" - ", " – ", " — "))) if i > 0),
                    default=-1)
        if comma > 0 and _CONCESSION_ASIDE.match(text, comma + 1, b):
            # "despite some progress, most notably in identifying victims, it did not ...": the
            # aside belongs to the concession
            nxt = text.find(",", comma + 1, b)
            comma = nxt if nxt > 0 else comma
        if comma > 0:
            out.append((a, comma))
            pos = comma + 1
    for m in _SPLIT.finditer(text, a, b):
        if m.start() < pos:
            continue  # inside a concessive clause already cut below
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
        if _CONCESSIVE.match(m.group(0).strip(", ") + " "):
            # "… and while it increased X, there were limited Y": the concession ends at its comma
            comma = text.find(",", pos, b)
            if comma > pos:
                out.append((pos, comma))
                pos = comma + 1
    if b > pos:
        out.append((pos, b))
    return out


def extract(n: Narrative) -> list[Fact]:
    a, b = _scope(n)
    text = n.text
    # lower case with the same offsets; page headers glued into the text ("248JORDANnot") and
    # the PDF's dashes read as spaces (tipwatch.extract.engine.lowered)
    low = lowered(text)
    out: list[Fact] = []
    seen: set[tuple[str, str]] = set()
    carried: str | None = None  # the finding's polarity, for the clauses that continue it
    for sa, sb in sentences(text, a, b):
        for pa, pb in _parts(text, sa, sb):
            clause = _PILLAR_LIST.sub(" ", low[pa:pb])
            if _REPORTED_BACKGROUND.match(clause):
                # "Despite reports that gangs compelled children ...": the situation, not a
                # government act; only complicity is a topic there ("despite reports of
                # officials complicit in trafficking, ...")
                _topics(n, clause, None, pa, pb, seen, out, only=("official_complicity",))
                continue
            forced = None
            if carried and _INFINITIVE_CONTINUED.match(clause):
                # "... failure to provide evidence of increasing efforts, particularly to
                # investigate ...; to address complicity ...; and to identify victims"
                forced = carried
            carried = forced  # the list may go on in the next clause too
            if _BOILERPLATE.search(clause) and "efforts" in clause and "increas" in clause:
                # the overall finding (reported below); the areas it names after it are topics
                # ("failed to show evidence of increasing efforts ... in the areas of
                # prosecutions and victim protection": failings of those topics)
                finding = _NOT_INCREASING.search(clause) or _INCREASING.search(clause)
                if finding is None:
                    continue
                if finding.re is _NOT_INCREASING:
                    forced = carried = "failing"
                # what the clause says before the finding is read on its own ("has yet to
                # prosecute a case ..., has not shown evidence of increased efforts, and ...")
                _topics(n, clause[: finding.start()], None, pa, pb, seen, out)
                clause = clause[finding.end() :]
            _topics(n, clause, forced, pa, pb, seen, out)
    overall = _overall(n, a, b)
    if overall is not None:
        out.append(overall)
    return out


def _topics(n: Narrative, clause: str, forced: str | None, pa: int, pb: int,
            seen: set[tuple[str, str]], out: list[Fact],
            only: tuple[str, ...] | None = None) -> None:
    """One fact per topic the lower-cased clause names (once per topic and polarity)."""
    found = {t: m for t, (_, p) in TOPICS.items()
             if (only is None or t in only) and (m := _match(t, p, clause))}
    trained = found.get("training")
    for topic, (pillar, _pattern) in TOPICS.items():
        m = found.get(topic)
        if not m:
            continue
        if trained and topic != "training" and _trained_on(clause, trained, m):
            continue  # the subject of a training is not a topic of its own
        pol = forced or polarity(topic, clause)
        key = (topic, pol)
        if key in seen:
            continue
        seen.add(key)
        value = {"pillar": pillar, "topic": topic, "polarity": pol}
        out.append(fact(n, KIND, value, pa, pb, rule_id=f"effort.topic.{topic}"))


def _trained_on(clause: str, trained: re.Match[str], m: re.Match[str]) -> bool:
    """``m`` names what officials were trained on ("trained police on victim identification")."""
    if m.start() < trained.end():
        return False
    gap = clause[trained.end():m.start()]
    if _TRAINING_PURPOSE.search(gap) and not _TRAINING_LIST.search(gap):
        return True  # "training for prosecutors to investigate cases"
    at = gap.find(" on ")
    return at >= 0 and not _TRAINING_LIST.search(gap[at:])


def _match(topic: str, pattern: re.Pattern[str], clause: str) -> re.Match[str] | None:
    if topic == "shelters_services":
        clause = _REFERRAL.sub("referral", clause)
    harm: list[tuple[int, int]] = []
    if topic in _LAW_ENFORCEMENT:
        harm = [h.span() for h in TOPICS["non_penalization"][1].finditer(clause)]
    for m in pattern.finditer(clause):
        if any(a <= m.start() < b for a, b in harm):
            continue  # "victims were arrested and prosecuted": penalization, not prosecution
        if topic in _LAW_ENFORCEMENT and _PARTICIPATION.search(clause[max(0, m.start() - 80):
                                                                     m.start()]):
            continue  # "participation in law enforcement investigations": the victims' part
        if topic == "shelters_services" and _LAW_NAME.match(clause[m.end():m.end() + 80]):
            continue  # "the Child Care and Protection Bill": a law's name, not a service
        aware = _AWARENESS_TRAINING.search(clause, max(0, m.start() - 12)) \
            if topic == "training" else None
        if aware and aware.start() <= m.start():
            continue  # awareness training for workers or the public (awareness)
        if _REPORTED_NUMBER.search(clause[: m.start()]):
            continue  # "did not report the number of prosecutions": data, not the topic
        if topic == "victim_identification" and m.group(0).startswith("identified") and \
                _IDENTIFIED_NOUN.search(clause[: m.start()]):
            continue
        if topic == "training" and _VICTIM_TRAINING.search(clause[: m.start()]):
            continue  # training given to victims is a service, not training of officials
        if _DATA_AFTER.match(clause[m.end():m.end() + 60]):
            continue  # "victim identification data" is reporting, not identifying
        if topic == "legislation" and any(v.search(clause[: m.start()])
                                          for v in _NOT_LEGISLATION):
            continue  # a law enforced, known or named as a date is not legislation done
        before = clause[max(0, m.start() - 160) : m.start()]
        if topic == "official_complicity" and _BUSINESS_COMPLICIT.search(before):
            continue  # "recruitment firms that may have been complicit": not officials
        if topic != "legislation" and _LAW_PURPOSE.search(before):
            continue  # "an amendment designed to enhance efforts to prosecute": the law's aim
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
    rule = ("effort.not_increasing" if neg else "effort.increasing" if pos
            else "effort.significant_not" if sig_not else "effort.significant")
    return fact(n, KIND, value, m.start(), m.end(), rule_id=rule)
