"""Victim groups named in the narrative (see :mod:`tipwatch.extract.lexical`)."""

from __future__ import annotations

import re

from tipwatch.extract.lexical import compile_table, find_values
from tipwatch.model import Fact, Narrative

KIND = "victim_group"

TABLE = compile_table(
    {
        "men": [r"\bmen\b", r"\bmale\s+(?:victims|adults|workers)"],
        "women": [r"\bwomen\b", r"\bfemale\s+(?:victims|adults|workers)"],
        "children": [
            r"\bchildren\b",
            r"\bchild\s+(?:victims|labou?r|trafficking|sex)",
            r"\bminors\b",
        ],
        "boys": [r"\bboys\b"],
        "girls": [r"\bgirls\b"],
        "adults": [
            r"\badults\b",
            # "adult citizens", "adult male victims", "one adult"
            r"\badult\s+(?:male\s+|female\s+|foreign\s+|sex\s+|labou?r\s+|trafficking\s+){0,2}"
            r"(?:victims?|citizens|nationals|survivors|males|females|men|women|workers)\b",
            r"\b(?:one|an)\s+adult\b(?=\s*(?:[,.;)]|and\b|victim|male|female|man|woman))",
        ],
        "migrants": [
            # not an office or an offence named after them ("migrant smuggling", "migrant
            # counseling centers")
            r"\bmigrants?\b(?!\s+(?:smuggl\w*|counsel\w*|advice|centers?|centres?|services|"
            r"resource))",
            r"\bmigrant\s+workers\b",
            r"\bforeign\s+(?:workers|labou?rers|employees|domestic\s+workers)\b",
            r"\b(?:expatriate|guest|contract)\s+workers\b",
            r"\blabou?r\s+migra\w+",
            r"\b(?:economic|irregular|voluntary|mass)\s+(?:labou?r\s+)?migration\b",
            # "migrating abroad for employment", "who irregularly migrate to the US"
            r"\bmigrat(?:e|es|ed|ing)\s+(?:\w+\s+){0,2}?(?:abroad|overseas)\b",
            r"\b(?:irregularly|illegally)\s+migrat(?:e|es|ed|ing)\b",
            # "migrate willingly to the Gulf for work", "migrate in search of opportunities"
            r"\b(?:men|women|adults|workers|nationals|citizens|people)\s+(?:and\s+\w+\s+)?"
            r"(?:\w+\s+)?migrate\s+(?:\w+\s+){0,7}?(?:for\s+(?:work|employment|jobs)|"
            r"in\s+search\s+of\s+(?:\w+\s+){0,2}?(?:work|employment|jobs|opportunities))\b",
        ],
        "refugees": [r"\brefugees?\b"],
        "asylum_seekers": [
            r"\basylum[- ]seekers?\b",
            r"\basylum\s+(?:protection\s+)?(?:system|procedures?|applicants?|claimants?|"
            r"reception\s+(?:centers?|centres?|facilities))\b",
        ],
        "idps": [r"\binternally\s+displaced", r"\bIDPs?\b", r"\bdisplaced\s+persons\b"],
        "domestic_workers": [
            r"\bdomestic\s+(?:workers?|helpers?|servants?|employees)\b",
            r"\bdomestic\s+(?:work|service|servitude|labou?r)\b",
            r"\bhousehold\s+workers?\b",
            r"\b(?:caregivers|nannies|housekeepers|au\s+pairs)\s+in\s+private\s+(?:homes|households)",
            r"\bmaids?\b",
        ],
        "fishermen": [
            r"\bfishermen\b",
            r"\bfishers?\b",
            r"\bfishing\s+(?:vessels?|boats?|industry|sector|fleets?)\b",
            r"\bfishing\b",
            r"\bfisher(?:y|ies)\b",
        ],
        "agricultural_workers": [
            r"\bagricultur\w*",
            r"\bfarms?\b",
            r"\bplantations?\b",
            r"\bcotton\s+(?:harvest|fields?)",
            r"\bfarmworkers?\b",
        ],
        "construction_workers": [r"\bconstruction\b"],
        "factory_workers": [
            r"\bfactor(?:y|ies)\b",
            r"\bmanufacturing\b",
            r"\bgarment\b",
            r"\btextile",
            r"\b(?:meat|food|fish|seafood|poultry)[- ]processing\b",
            r"\bprocessing\s+plants?\b",
        ],
        "mine_workers": [r"\bmin(?:es|ing)\b", r"\bminers\b", r"\bmine\b", r"\bquarr(?:y|ies)\b"],
        "indigenous": [
            r"\bindigenous\b",
            r"\bAmerindian",
            r"\bFirst\s+Nations\b",
            r"\bAboriginal\b",
        ],
        "lgbtqi": [r"\bLGBT\w*", r"\bLBGT\w*", r"\btransgender\b", r"\bgay\s+men\b"],
        "persons_with_disabilities": [r"\bdisabilit(?:y|ies)\b", r"\bdisabled\b"],
        "stateless": [r"\bstateless", r"\bwithout\s+(?:legal\s+)?(?:nationality|citizenship)\b"],
        "street_children": [
            r"\bstreet\s+children\b",
            r"\bchildren\s+(?:living|working)\s+(?:on|in)\s+the\s+streets?\b",
        ],
        "students": [
            r"\bstudents?\b",
            r"\btalibe\b",
            r"\bpupils\b",
            r"\bschoolchildren\b",
            # pupils of Koranic schools ("boys at Koranic schools are forced to beg")
            r"\b(?:koranic|quranic|qur'anic|qur’anic)\s+schools?\b(?!\s+teachers)",
        ],
    }
)


#: sections that describe the government's work rather than who is exploited
EXCLUDED = ("recommendations", "prevention")


_SEX = re.compile(r"\bsex\w*|\bprostitut\w*|\bcommercial\s+sex")
_LABOUR = re.compile(r"\blabou?r\w*|\bforced\s+to\s+work|\bbondage|\bminers\b|\bworkers?\b")
_GOVERNMENT_WORK = re.compile(
    r"\b(?:training\s+(?:among|for|of|to|on)|trained|awareness|campaigns?|seminars?|workshops?|"
    r"curricul\w*)\b"
)
_EXPLOITED = re.compile(
    r"\bvulnerab\w*|\bat\s+(?:high\s+|increased\s+|elevated\s+)?risk\b|\bvictims?\b|"
    r"\bsubjected\b|\bexploit\w*|\btrafficked\b|\bforced\b"
)


def _near_mines_for_sex(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """Sex trafficking in a mining area ("near gold mines", "in the informal mining sector",
    "at mining camps"): the miners are not the victims named."""
    sa, sb = sent
    if not _SEX.search(low, sa, sb) or _LABOUR.search(low, sa, sb):
        return False
    near = re.search(
        r"\b(?:near|around|close\s+to|vicinity\s+of)\s+(?:\w+\s+){0,2}$", low[sa:start]
    )
    area = re.match(
        r"[\w ]{0,12}?\b(?:areas?|towns?|regions?|zones?|communit\w+|camps?|sites?|"
        r"sectors?)\b",
        low[end : end + 25],
    )
    return bool(near or area)


#: buyers of commercial sex, not victims: "exploited in prostitution with foreign men working
#: on construction projects", "demand from construction workers", "clients included miners"
_CLIENTS_BEFORE = re.compile(
    r"(?:\b(?:prostitut\w*|commercial\s+sex(?:\s+acts)?|sex\s+trafficking|sexual\s+exploitation|"
    r"sexually\s+exploited)\s+(?:(?!and\b|or\b)\w+\s+){0,2}?(?:with|by|for|to)\b|\b(?:clients|customers|"
    r"patrons|buyers|demand\s+(?:from|by|of))\b)(?:\s+[\w-]+){0,6}?\s*$"
)


def _clients(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """The group named as buyers of commercial sex, not as victims."""
    sa = max(low.rfind(";", sent[0], start), low.rfind(",", sent[0], start), sent[0])
    if _CLIENTS_BEFORE.search(low, sa, start) is not None:
        return True
    # "... in sex trafficking by crews of docked vessels, or with foreign construction workers"
    return bool(_OR_WITH.search(low, sa, start)) and bool(_SEX.search(low, sent[0], sa))


_OR_WITH = re.compile(r"\b(?:or|and)\s+with\s+(?:[\w-]+\s+){0,3}$")


#: a group named among those served or protected ("safe houses for trafficking victims,
#: asylum-seekers, and migrants", "protections for foreign victims and stateless persons")
_PROVIDED_FOR = re.compile(
    r"\b(?:shelters?|safe\s+houses?|accommodation|protections?|services|assistance|care|"
    r"facilities|centers?|centres?)\s+for\b[^.;]{0,80}$"
)


def _provided_for(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    head = low[sent[0] : start]
    m = _PROVIDED_FOR.search(head)
    return m is not None and not _HARM_BEFORE.search(head, m.start())


def _not_as_people(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """Students named as an audience of training or in a visa category, not as victims."""
    sa, sb = sent
    if re.match(
        r"[\s,]+(?:(?:and|or|intern|exchange|program|tourist|work)[\s,]+)*visas?", low[end:]
    ):
        return True
    return bool(_GOVERNMENT_WORK.search(low, sa, sb)) and not _EXPLOITED.search(low, sa, sb)


_SERVICES = re.compile(
    r"\b(?:shelters?|centers?|centres?|accommodat\w*|housed|housing|services|assistance|care|"
    r"penalt(?:y|ies)|"
    r"imprisonment|sentences?)\b"
)
_IDENTIFIED = re.compile(
    r"\bvulnerab\w*|\bidentif\w*|\bexploit\w*|\bsubjected\b|\bforced\b|\brecruit\w*"
)


def _services_only(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """Adults named in a description of services or penalties ("shelters for adult victims",
    "penalties for offenses involving adult victims"), not as victims found."""
    sa, sb = sent
    negations = list(_NOT_FOUND.finditer(low, sa, start))
    if negations and not _HARM_BEFORE.search(low, negations[-1].end(), start):
        return True
    return bool(_SERVICES.search(low, sa, sb)) and not _IDENTIFIED.search(low, sa, start)


_HARM_BEFORE = re.compile(
    r"\bvulnerab\w*|\bexploit\w*|\bsubjected\b|\bforced\b|\brecruit\w*|\bcoerc\w*"
)
#: a statement of none, of a lack, or of the law: adults are not named as victims found
_NOT_FOUND = re.compile(
    r"\b(?:no|not|never|lack\w*|law|article|section|criminaliz\w*|permits?|residency|"
    r"programs?|facilities)\b"
)


_AT_RISK = re.compile(r"\bvulnerab\w*|\bat\s+(?:high\s+|increased\s+|elevated\s+)?risk\b")
_HARMED = re.compile(
    r"\bvulnerab\w*|\brisks?\b|\bvictims?\b|\bsubjected\b|\bexploit\w*|\btrafficked\b|"
    r"\bforced?\b|\bcoerc\w*|\brecruit\w*|\babuse[sd]?\b|\bservitude\b|\bprostitut\w*|"
    r"\bbondage\b|\bsold\b"
)


_POLICY = re.compile(
    r"\b(?:train\w*|educat\w*|campaigns?|awareness|seminars?|workshops?|polic(?:y|ies)|"
    r"prohibit\w*|regulat\w*|shelters?|centers?|centres?|programs?|services|granted|mapped)\b"
)


def _government_work(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """In a prevention section: the group as the audience or object of the government's work."""
    return bool(_POLICY.search(low, sent[0], start))


def _not_at_risk(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """A prevention sentence that does not say the group is vulnerable or at risk."""
    sa, sb = sent
    return not _AT_RISK.search(low, sa, sb)


def _mentioned_only(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """A group named in a sentence that says nothing of harm or risk ("the influx of migrants
    strained resources"): mentioned, not named as victims or at risk."""
    a = low.rfind(". ", 0, start) + 1
    b = low.find(". ", end)
    return not _HARMED.search(low, a, b if b >= 0 else len(low))


class _ProperName:
    """A group word that is part of a name ("Federal Office for Migration and Refugees")."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __call__(self, low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
        word = self.text[start:end]
        if not word[:1].isupper() or word.isupper() or start <= sent[0]:
            return False
        before = self.text[max(sent[0], start - 30) : start].split()
        return bool(before) and (before[-1][:1].isupper() or before[-1] in ("and", "for", "of"))


def extract(n: Narrative) -> list[Fact]:
    proper = _ProperName(n.text)
    vetoes = {
        "mine_workers": _both(_near_mines_for_sex, _clients),
        "students": _not_as_people,
        "migrants": _both(proper, _mentioned_only),
        "refugees": _both(proper, _mentioned_only),
        "asylum_seekers": _both(proper, _provided_for),
        "stateless": _provided_for,
        "adults": _services_only,
        "men": _clients,
        "construction_workers": _clients,
        "fishermen": _clients,
        "factory_workers": _clients,
        "agricultural_workers": _clients,
    }
    found = find_values(n, KIND, TABLE, exclude_sections=EXCLUDED, vetoes=vetoes)
    # the prevention section describes the government's work, but a sentence there may still
    # say who is vulnerable ("the stateless population was vulnerable to trafficking")
    other = tuple(k for k in n.spans if k != "prevention")
    if "prevention" in n.spans:
        seen = {f.value for f in found}
        at_risk = {
            **{v: _not_at_risk for v, _p, _t in TABLE},
            **{v: _both(_not_at_risk, veto) for v, veto in vetoes.items()},
        }
        at_risk = {v: _both(veto, _government_work) for v, veto in at_risk.items()}
        extra = find_values(n, KIND, TABLE, exclude_sections=other, vetoes=at_risk)
        found += [f for f in extra if f.value not in seen]
    return found


def _both(a, b):
    return lambda *args: a(*args) or b(*args)
