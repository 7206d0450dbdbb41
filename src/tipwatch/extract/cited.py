"""Cited countries: every other country a narrative names, with the direction where stated.

Names, aliases and unambiguous demonyms come from :mod:`tipwatch.extract.lexicon` (one pass of
a compiled trie). Ambiguous names ("Congo", "Korea", "Congolese", "Dominican") and region
names ("Niger Delta", "Central American") are recognised and *not* reported. The narrative's
own country is never reported. One fact per mention; the bundle and ``cited-by`` group them.

Direction, read in the mention's clause:

* ``from``: "victims from A, B and C", "Nigerian women" (a demonym before a victim noun) -
  victims from the cited country exploited in the narrative's country;
* ``to``: "to / into A", or "in A" when the clause is about the country's own nationals
  abroad ("Filipino workers are exploited in A", "... abroad");
* ``via``: "through / via A", "transit A";
* both ``from`` and ``to`` (two facts for one mention): "back and forth between the country
  and A";
* otherwise no direction.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tipwatch.extract.base import fact
from tipwatch.extract.engine import Doc
from tipwatch.extract.patterns import patterns
from tipwatch.extract.roles import own_nationals
from tipwatch.model import Fact, Narrative

KIND = "cited_country"
_P = patterns(KIND)

_PREP = _P["cited_country.prep"]
_LIST_GAP = _P["cited_country.list_gap"]
_VICTIM_NOUN = _P["cited_country.victim_noun"]
_RETURNED = _P["cited_country.returned"]
_NOT_A_FLOW = _P["cited_country.not_a_flow"]
_ABROAD = _P["cited_country.abroad"]
_LANG_BEFORE = _P["cited_country.lang_before"]
_LANG_AFTER = _P["cited_country.lang_after"]
_GROUP_LIST = _P["cited_country.group_list"]
_DESTINATION_NAMED = _P["cited_country.destination_named"]
_FOLLOWED_BY = _P["cited_country.followed_by"]
_PERPETRATOR = _P["cited_country.perpetrator"]
_VULNERABLE = _P["cited_country.vulnerable"]
_EXPLOITED = _P["cited_country.exploited"]
_REGION_LIST = _P["cited_country.region_list"]
_BACK_AND_FORTH = _P["cited_country.back_and_forth"]
_COMPATRIOTS = _P["cited_country.compatriots"]
_REGION_ADJ = _P["cited_country.region_adjective"]
_PERPETRATOR_AFTER = _P["cited_country.perpetrator_after"]
_REGION_IN_LIST = _P["cited_country.region_in_list"]
_PLACE_LIST = _P["cited_country.place_list"]
_DEMONYM_EXPLOITED = _P["cited_country.demonym_exploited"]
_AND_LOCAL = _P["cited_country.and_local"]
_PERPETRATOR_SUBJECT = _P["cited_country.perpetrator_subject"]
_SOURCE_NAMED = _P["cited_country.source_named"]
_GROUP_DEMONYMS = _P["cited_country.group_demonyms"]
_EXPLOITED_ABROAD = _P["cited_country.exploited_abroad"]
_FOREIGN_VICTIMS = _P["cited_country.foreign_victims"]
_TRANSIT_CUE = _P["cited_country.transit_cue"]
_VICTIMS_SHARE = _P["cited_country.victims_share"]
_NAME_VICTIM_NOUN = _P["cited_country.name_victim_noun"]
_RECRUITED_IN = _P["cited_country.recruited_in"]
_TOP_ORIGINS = _P["cited_country.top_origins"]
_DESTINATIONS_LISTED = _P["cited_country.destinations_listed"]
_CONTROLLED_BY = _P["cited_country.controlled_by"]
_DEMAND_AFTER = _P["cited_country.demand_after"]
_TRAVEL = _P["cited_country.travel"]
#: an ambiguous or regional demonym ("Korean", "Dominican", "Central American") is no fact of
#: its own but keeps a list of demonyms together
_DEMONYM_KINDS = ("demonym", "region")
#: rules that read the direction after the mention and give it to the whole list before it
_NAMED_AFTER = ("cited_country.destination_named", "cited_country.source_named",
                "cited_country.demonym_exploited")
#: internal direction of "back and forth between": one ``from`` and one ``to`` fact
_BOTH = "both"
_PERPETRATOR_ID = "cited_country.perpetrator"
_DEMAND_ID = "cited_country.demand_after"


def extract(n: Narrative, doc: Doc | None = None) -> list[Fact]:
    doc = doc or Doc(n)
    text = n.text
    own = n.country
    out: list[Fact] = []
    for a, b in _scan_spans(n):
        for sa, sb in doc.sentences(a, b):
            mentions = doc.mentions_in(sa, sb)
            if not mentions:
                continue
            # the clause is about the country's own nationals (a demonym, "women from <it>")
            about_own_abroad = own_nationals(n, sa, sb, doc) is not None
            about_own_abroad = about_own_abroad or _ABROAD.search(text, sa, sb) is not None
            # a group said only to be vulnerable: the mention is kept, with no direction
            vulnerable = bool(_VULNERABLE.search(text, sa, sb))
            exploited = vulnerable and bool(_EXPLOITED.search(text, sa, sb))
            vulnerable_only = vulnerable and not exploited
            chain: list[int] = []  # facts of the current list of countries (indexes into out)
            run: list[int] = []  # facts of the current list, with a direction or without
            transit_own = False  # the sentence has people moved through the country itself
            prev_end = sa
            prev_dir: str | None = None
            prev_lang = False
            listed = _demonym_lists(text, mentions, sb)
            perpetrators = _controlled_lists(text, mentions, sa)
            for i, m in enumerate(mentions):
                start, end = m.start, m.end
                direction = None
                rule = "cited_country.mention"
                gap = text[prev_end:start]
                # a language, not a country: "campaigns in Estonian and Russian", "calls in
                # French and Creole", "speaking Portuguese"
                lang = m.kind == "demonym" and bool(_LANG_AFTER.match(text, end, sb))
                lang = lang and (
                    bool(_LANG_BEFORE.search(text, max(sa, start - 30), start))
                    or (prev_lang and prev_end > sa and bool(_LIST_GAP.match(gap)))
                )
                prev_lang = lang
                if lang:
                    prev_end, prev_dir = m.end, None
                    continue
                in_list = prev_end > sa and bool(_LIST_GAP.match(gap))
                if not in_list:
                    run = []
                # a demonym before its own victim noun starts a new group ("... in the Netherlands,
                # and Thai and Chinese women in forced prostitution")
                own_group = m.kind == "demonym" and (i in listed or _victim_noun(text, end, sb))
                if in_list and prev_dir and not own_group:
                    direction = prev_dir  # same list as the previous country
                    rule = "cited_country.list_gap"
                elif prev_end > sa and prev_dir and _FOLLOWED_BY.search(gap):
                    direction = prev_dir  # "A is the primary destination, followed by B"
                    rule = "cited_country.followed_by"
                else:
                    p = _PREP.search(text, max(sa, start - 60), start)
                    # "in West Africa, the Middle East, the US": regions earlier in the list
                    p = p or _REGION_IN_LIST.search(text, max(sa, start - 120), start)
                    # "to Puntland, Djibouti": place names earlier in the list
                    p = p or _PLACE_LIST.search(text, max(sa, start - 80), start)
                    g = None if p else _GROUP_LIST.search(text, max(sa, start - 120), start)
                    r = None if p or g else _REGION_LIST.search(text, max(sa, start - 120), start)
                    if g:  # "from surrounding countries - primarily A, B"
                        direction = _direction(g.group(1).lower(), about_own_abroad or (
                            _abroad_in(g, text, sa, sb, mentions, own, transit_own)))
                        rule = "cited_country.group_list"
                    elif r:  # "from Central and Eastern Europe - particularly A, B"
                        direction = _direction(r.group(1).lower(), about_own_abroad or (
                            _abroad_in(r, text, sa, sb, mentions, own, transit_own)))
                        rule = "cited_country.region_list"
                    elif _BACK_AND_FORTH.search(text, max(sa, start - 120), start):
                        direction = _BOTH  # "back and forth between the country and A, B"
                        rule = "cited_country.back_and_forth"
                    elif _DESTINATION_NAMED.match(text, end, sb):
                        direction = "to"  # "A is the primary destination"
                        rule = "cited_country.destination_named"
                    elif _TOP_ORIGINS.search(text, max(sa, start - 200), start):
                        direction = "from"  # "the top three countries of origin were A, B"
                        rule = "cited_country.top_origins"
                    elif _DESTINATIONS_LISTED.search(text, max(sa, start - 120), start):
                        direction = "to"  # "the main destinations being Europe (primarily A)"
                        rule = "cited_country.destinations_listed"
                    elif _SOURCE_NAMED.match(text, end, sb):
                        direction = "from"  # "A, B and C are also sources of victims"
                        rule = "cited_country.source_named"
                    elif m.kind in _DEMONYM_KINDS and _GROUP_DEMONYMS.search(
                            text, max(sa, start - 40), start):
                        direction = "from"  # "women and girls, mostly A and B"
                        rule = "cited_country.group_demonyms"
                    if p:
                        prep = p.group(1).lower()
                        abroad = about_own_abroad or transit_own or (
                            prep == "in" and m.kind != "demonym"  # "in Syrian refugee camps"
                            and _exploited_abroad(text, sa, p.start(), sb, mentions, own))
                        direction = _direction(prep, abroad)
                        rule = "cited_country.prep"
                        if prep == "in" and not about_own_abroad and _RECRUITED_IN.search(
                                text, max(sa, start - 60), start):
                            direction = "from"  # "victims had been recruited in A"
                            rule = "cited_country.recruited_in"
                        verb = text[max(sa, p.start() - 40) : p.start()]
                        if direction == "from" and _RETURNED.search(verb):
                            direction = "to"  # nationals repatriated from where they were exploited
                            rule = "cited_country.returned"
                        elif _NOT_A_FLOW.search(verb):
                            direction = None
                            rule = "cited_country.not_a_flow"
                        elif direction == "from" and _PERPETRATOR.search(verb):
                            direction = None  # "suspects from A": perpetrators, not victims
                            rule = "cited_country.perpetrator"
                    if m.kind == "demonym" and direction is None and _victim_noun(text, end, sb):
                        direction = "from"
                        rule = "cited_country.victim_noun"
                    elif m.kind == "demonym" and direction is None and i in listed:
                        direction = "from"  # "Thai, Filipino, and Vietnamese men and women"
                        rule = "cited_country.demonym_list"
                    elif m.kind == "demonym" and direction is None and _VICTIMS_SHARE.match(
                            text, end, sb):
                        direction = "from"  # "Syrians make up the largest number of victims"
                        rule = "cited_country.victims_share"
                    elif m.kind == "name" and direction is None and _NAME_VICTIM_NOUN.match(
                            text, end, sb):
                        direction = "from"  # "Taiwan women and men were subjected to"
                        rule = "cited_country.name_victim_noun"
                    elif m.kind in _DEMONYM_KINDS and direction is None and \
                            _DEMONYM_EXPLOITED.match(text, end, sb):
                        direction = "from"  # "Moldovans, Russians, and Vietnamese are exploited"
                        rule = "cited_country.demonym_exploited"
                    elif direction is None and _COMPATRIOTS.match(text, end, sb):
                        direction = "from"  # "nationals, including A, subject their compatriots"
                        rule = "cited_country.compatriots"
                if i in perpetrators:
                    direction, rule = None, "cited_country.controlled_by"
                elif direction == "from" and _PERPETRATOR_SUBJECT.search(
                        text, max(_clause_start(text, sa, start), start - 200), start):
                    direction, rule = None, _PERPETRATOR_ID  # "sex tourists are A-ian nationals"
                note = None
                if (
                    vulnerable_only or (exploited and _vulnerable_next(text, end, sb))
                ):
                    # a group said only to be vulnerable: no flow, whether or not a direction
                    # was read (docs/extraction.md, "Facts": vulnerability is recorded one way)
                    direction, note, rule = None, "vulnerable", "cited_country.vulnerable"
                if rule in _NAMED_AFTER and direction is not None:
                    # the direction named after the list belongs to every country of it
                    for k in run:
                        if out[k].direction is None and out[k].note is None:
                            out[k] = replace(out[k], direction=direction, rule_id=rule)
                if rule != "cited_country.list_gap":
                    chain = []
                prev_end, prev_dir = m.end, direction
                if m.iso3 == own and direction == "via":
                    # "migrants who transit <it> become victims on arrival in A": A is where
                    # people moved through the country are exploited
                    transit_own = True
                if m.iso3 and m.iso3 != own:
                    for d in ("from", "to") if direction == _BOTH else (direction,):
                        chain.append(len(out))
                        run.append(len(out))
                        out.append(
                            fact(n, KIND, m.iso3, start, end, direction=d, note=note, rule_id=rule)
                        )
                if (
                    direction == "from"
                    and _PERPETRATOR_AFTER.match(text, end, sb)
                    and not _COMPATRIOTS.match(text, end, sb)
                ):
                    # "individuals from the Gulf, including A and B, purchase ...": buyers (but
                    # "..., subject their compatriots": victims of the same nationality)
                    for k in chain:
                        out[k] = replace(out[k], direction=None, rule_id=_PERPETRATOR_ID)
                    chain, prev_dir = [], None
                elif (
                    direction == "to"
                    and chain
                    and _demand_after(text, end, sb, mentions[i + 1 :])
                    and _TRAVEL.search(text, _clause_start(text, sa, start), out[chain[0]].start)
                ):
                    # "some nationals travel to A, B and C to solicit prostitution": where
                    # buyers go (sex tourism), not where victims are taken
                    for k in chain:
                        out[k] = replace(out[k], direction=None, rule_id=_DEMAND_ID)
                    chain, prev_dir = [], None
    return out


def _clause_start(text: str, sa: int, at: int) -> int:
    """Where the semicolon clause holding ``at`` begins (within the sentence from ``sa``)."""
    return max(sa, text.rfind(";", sa, at) + 1)


def _demand_after(text: str, end: int, sb: int, later: list) -> bool:
    """Buyers' purpose right after this mention, the list's last country ("... and C to solicit
    prostitution"): no other country named in between."""
    d = _DEMAND_AFTER.match(text, end, sb)
    return d is not None and not any(x.start < d.end() for x in later)


def _exploited_abroad(text: str, sa: int, at: int, sb: int, mentions: list, own: str) -> bool:
    """"in A" names where people are exploited: the clause before it says people are exploited
    and its victims are not another country's (no foreign demonym or "foreign" before, unless
    the sentence has people moved through the country)."""
    if not _EXPLOITED_ABROAD.search(text, sa, at):
        return False
    if _TRANSIT_CUE.search(text, sa, sb):
        return True
    if _FOREIGN_VICTIMS.search(text, sa, at):
        return False
    return not any(m.kind == "demonym" and m.iso3 and m.iso3 != own and m.start < at
                   for m in mentions)


def _abroad_in(p: re.Match[str], text: str, sa: int, sb: int, mentions: list, own: str,
               transit_own: bool) -> bool:
    """A group or region "in" which people are exploited abroad (as for a country after
    "in", :func:`_exploited_abroad`)."""
    return p.group(1).lower() == "in" and (
        transit_own or _exploited_abroad(text, sa, p.start(), sb, mentions, own))


def _vulnerable_next(text: str, end: int, sb: int) -> bool:
    """In a sentence that says both, the first cue after the mention says the group is only
    vulnerable ("A and B immigrants may be vulnerable ..., and C women are subjected ...")."""
    v = _VULNERABLE.search(text, end, sb)
    if not v:
        return False
    e = _EXPLOITED.search(text, end, sb)
    return e is None or v.start() < e.start()


def _victim_noun(text: str, end: int, sb: int) -> bool:
    """A victim noun right after a demonym, or after a listed region adjective ("Colombian and
    Middle Eastern men")."""
    if _VICTIM_NOUN.match(text, end, min(sb, end + 30)):
        return True
    also = _AND_LOCAL.match(text, end, sb)  # "Chinese, Malaysian, and local men"
    if also and _VICTIM_NOUN.match(text, also.end() - 1, min(sb, also.end() + 30)):
        return True
    adj = _REGION_ADJ.match(text, end, min(sb, end + 40))
    return bool(adj) and bool(_VICTIM_NOUN.match(text, adj.end() - 1, min(sb, adj.end() + 30)))


def _direction(prep: str, about_own_abroad: bool) -> str | None:
    if prep == "from":
        return "from"
    if prep in ("to", "into", "toward", "towards"):
        return "to"
    if prep == "in" or prep.endswith(" borders of"):
        return "to" if about_own_abroad else None
    if prep.startswith("transit") or prep in ("through", "via", "across"):
        return "via"
    return None


def _scan_spans(n: Narrative) -> list[tuple[int, int]]:
    if not n.spans:
        return [(0, len(n.text))]
    return [span for section, span in n.spans.items() if section != "tier"]


def _controlled_lists(text: str, mentions: list, sa: int) -> set[int]:
    """Indexes of the mentions in a list that follows "controlled by" / "run by": the
    perpetrators' nationalities, not victims'."""
    out: set[int] = set()
    on = False
    for i, m in enumerate(mentions):
        if i == 0 or not _LIST_GAP.match(text[mentions[i - 1].end : m.start]):
            on = _CONTROLLED_BY.search(text, max(sa, m.start - 40), m.start) is not None
        if on:
            out.add(i)
    return out


def _demonym_lists(text: str, mentions: list, sb: int) -> set[int]:
    """Indexes of demonyms in a list whose last demonym is followed by a victim noun
    ("Ukrainian, Moldovan, and Thai men and women"): each names victims from its country."""
    out: set[int] = set()
    run: list[int] = []
    for i, m in enumerate(mentions):
        if m.kind not in _DEMONYM_KINDS:
            run = []
            continue
        if run and not _LIST_GAP.match(text[mentions[run[-1]].end : m.start]):
            run = []
        run.append(i)
        if len(run) > 1 and _victim_noun(text, m.end, sb):
            out.update(run[:-1])
    return out
