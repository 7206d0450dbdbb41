"""State involvement: a government policy or pattern of trafficking, and official complicity.

``state_policy_or_pattern``: "state-sponsored trafficking", "government policy or pattern",
"government-compelled forced labor", forced labour in government programs or by the state
(the authorities mobilizing or compelling people into forced labour).

``official_complicity``: officials complicit in trafficking, corruption that enables it,
bribes. The boilerplate "the government did not report any investigations, prosecutions, or
convictions of government employees complicit in trafficking" says nothing about whether
complicity exists, so it is skipped unless the same sentence states it ("despite reports of
complicity", "allegations", "credible reports", "continued"). Recommendations are not read
(they ask for action, they do not state facts).
"""

from __future__ import annotations

import re

from tipwatch.extract.base import fact, sentences
from tipwatch.model import Fact, Narrative

KIND = "state_involvement"

_POLICY = re.compile(
    r"\bstate[- ]sponsored\s+(?:\w+\s+){0,2}?(?:traffick\w*|forced\s+labou?r|labou?r)|"
    r"\bpolicy\s+or\s+pattern\b|"
    r"\bgovernment[- ](?:compelled|sponsored|organized|imposed|mandated|run|directed)\s+"
    r"forced\s+labou?r|"
    r"\bstate[- ](?:imposed|compelled|organized|mandated)\s+forced\s+labou?r|"
    r"\bforced\s+labou?r\s+(?:in|as\s+part\s+of)\s+(?:government|state)[- ]\w+|"
    r"\b(?:government|state|authorities|officials|military|army|regime)\s+(?:\w+\s+){0,2}?"
    r"(?:continu\w*\s+to\s+)?(?:used?|uses|using|subject\w*|forced|forces|mobiliz\w*|mobilis\w*|"
    r"compel\w*|coerc\w*|conscript\w*)\b[^.;]{0,80}\bforced\s+labou?r|"
    r"\bnational\s+service\b[^.;]{0,80}\bforced\s+labou?r|\bforced\s+labou?r\b[^.;]{0,80}"
    r"\bnational\s+service\b|\b(?:government|state)[- ]run\s+(?:\w+\s+){0,2}(?:labou?r|prison|"
    r"re-education)\s+camps|"
    r"\bforced\s+labou?r\b[^.;]{0,60}\b(?:by|of)\s+the\s+(?:government|state|authorities|regime)\b|"
    r"\bforced\s+labou?r\s+(?:in|at)\s+(?:prison\s+camps|labor\s+camps|re-education)|"
    # the state using children in armed service (a policy or pattern under the law since 2019)
    r"\b(?:government|security\s+forces|military|armed\s+forces|national\s+forces|state)\b"
    r"[^.;]{0,60}\b(?:recruit\w*|used?|uses|using|employ\w*|conscript\w*)\b[^.;]{0,40}"
    r"\b(?:child\s+soldiers|children|boys|girls|minors)\b|"
    r"\bcomplicit\s+in\s+(?:conscripting|recruiting|using)\s+children|"
    r"\b(?:work|jobs?)\s+(?:that\s+)?the\s+government\s+assigns\b|\bgovernment[- ]assigned\s+"
    r"(?:work|jobs?|labou?r)|"
    # state-imposed labour: citizens or public employees made to work in harvests or public
    # works, or the authorities mobilizing them there
    r"\b(?:citizens|civil\s+servants|public[- ]sector\s+(?:employees|workers)|state\s+employees|"
    r"students|schoolchildren|teachers|doctors|nurses|soldiers|conscripts)\s+(?:were\s+|are\s+|"
    r"was\s+|is\s+)?(?:\w+\s+){0,2}?(?:coerced|forced|compelled|mobili[sz]ed|made|required|"
    r"ordered|sent)\s+(?:in)?to\s+(?:\w+\s+){0,3}?(?:labou?r|work|pick|harvest)\w*\b[^.;]{0,60}?"
    r"\b(?:harvests?|public\s+works|fields|state\s+farms?)\b|"
    r"\b(?:authorities|officials|government|state|administrations?|hokimiyats?)\s+(?:\w+\s+){0,3}?"
    r"(?:mobili[sz]|compel|coerc|forc|order)\w*\s+(?:\w+\s+){0,3}?(?:citizens|students|"
    r"children|schoolchildren|teachers|employees|farmers|residents|people|adults|workers)\b"
    r"[^.;]{0,40}?\b(?:harvests?|public\s+works)\b|"
    r"\bforced\s+(?:\w+\s+)?labou?r\s+(?:in|on|for)\s+(?:\w+\s+){0,2}?public\s+works\b",
    re.I,
)
_CHILD = r"(?:child\s+soldiers|children|boys|girls|minors)"
_STATE_FORCES = (
    r"(?:government|state|national|pro-government|government-affiliated)\s+(?:armed\s+)?"
    r"(?:forces|troops|army|military|soldiers)"
)
#: government forces using children named alongside rebels: "boys worked for rebel militias
#: and government forces", "recruitment of children by government forces and rebels"
_STATE_CHILDREN = re.compile(
    r"\b" + _CHILD + r"\b[^.;]{0,80}?\b(?:worked|fought|served|used|recruited|enlisted|"
    r"conscripted|deployed)\b[^.;]{0,20}?\b(?:for|by|with|in|into)\b[^.;]{0,60}?\b"
    + _STATE_FORCES
    + r"\b|\brecruit\w*\s+(?:and\s+use\s+)?(?:\w+\s+){0,2}?of\s+"
    + _CHILD
    + r"\b[^.;]{0,120}?\b(?:by|of)\s+(?:[^.;]{0,60}?\b)?"
    + _STATE_FORCES
    + r"\b",
    re.I,
)
#: children serving in the state's own forces, said even of efforts to end it ("steps to
#: eliminate the use of child soldiers in its armed forces"): the practice exists
_IN_ITS_FORCES = re.compile(
    r"\b" + _CHILD + r"\s+(?:in|within)\s+(?:its|the\s+(?:national|government|state)'?s?)\s+"
    r"(?:own\s+)?(?:armed\s+forces|army|military|security\s+forces)\b",
    re.I,
)
#: the state acting against the practice, not engaging in it
_PREVENTIVE = re.compile(
    r"\b(?:prevent\w*|address\w*|end(?:ing)?|punish\w*|screen\w*|combat\w*|against|investigat\w*|"
    r"action\s+plan|eliminat\w*|prohibit\w*|criminaliz\w*|demobiliz\w*|acknowledged|"
    r"unable\s+to\s+enforce|allegations?|no\s+(?:verified\s+|confirmed\s+)?(?:cases|reports|"
    r"evidence))\b",
    re.I,
)
_COMPLICITY = re.compile(
    r"\bcomplicit\w*|\bcomplicity\b|\bcorrupt\w*|\bbrib\w*|\bofficials?\b[^.;]{0,60}\b(?:facilitat|"
    r"profit|accept\w*\s+(?:bribes|payments))|"
    r"\b(?:police\s+officers?|officials?|officers?|soldiers|military\s+personnel|government\s+"
    r"employees?|guards?)\b[^.;]{0,40}\b(?:engaged\s+in\s+commercial\s+sex|purchas\w*\s+"
    r"commercial\s+sex|sexually\s+exploit\w*|commit\w*\s+(?:\w+\s+)?sexual\s+exploitation|"
    r"forced\s+(?:women|girls|children|idps))|"
    r"\bcollu(?:ded|sion|ding|sive)\b|"
    # warning traffickers or businesses of raids
    r"\b(?:officials?|officers?|police)\b[^.;]{0,30}\b(?:warned|tipped\s+off|alerted|informed)\s+"
    r"(?:\w+\s+){0,3}?(?:of|about|before|ahead\s+of)\s+(?:\w+\s+){0,2}?raids?\b|"
    # officials taking part in trafficking: convicted or charged for it, or exploiting victims
    r"\b(?:convict(?:ed|ing|ion\s+of)|prosecut(?:ed|ing|ion\s+of)|charg(?:ed|ing)|"
    r"arrest(?:ed|ing|\s+of)|sentenc(?:ed|ing)|indict(?:ed|ing))\s+"
    r"(?:(?:a|an|the|two|three|four|five|several|retired|former|senior|local|one|some)\s+)*"
    r"(?:police|border|customs|immigration|military|army|government|labou?r)?\s*"
    r"(?:officials?|officers?|colonels?|majors?|captains?|lieutenants?|sergeants?|"
    r"commanders?|inspectors?|guards?|"
    r"soldiers?|policem[ae]n)\b(?!['’])(?![^.;]{0,30}\bcomplicit)|"
    r"\b(?:sold|trafficked|prostituted)\b[^.;]{0,40}\bby\s+"
    r"(?:\w+\s+){0,2}?(?:officials|police(?:\s+officers)?|officers|soldiers|guards)\b|"
    r"\b(?:police|cadets|officers|officials|soldiers)\b[^.;]{0,30}\bsold\s+into\s+(?:prostitution|"
    r"forced|sex)",
    re.I,
)
#: corruption said only to hamper the state's work against trafficking, not to enable it
_HAMPERS = re.compile(
    r"\bcorrupt\w*\s+(?:\w+\s+){0,4}?(?:imped|hamper|hinder|undermin|obstruct|limit|inhibit|"
    r"weaken|slow|affect|complicat)\w*\s+(?:\w+\s+){0,3}?(?:anti[- ]trafficking|law\s+"
    r"enforcement|efforts|prosecutions?|investigations?|endeavou?rs|cases|the\s+(?:government|"
    r"judiciary|courts))",
    re.I,
)
_BOILERPLATE = re.compile(
    r"\b(?:did\s+not\s+report|no\s+reports?\s+of|has\s+never\s+reported|did\s+not\s+initiate|"
    r"no\s+known|there\s+were\s+no)\b"
    r"[^.]{0,120}\b(?:investigations?|prosecutions?|convictions?)\b",
    re.I,
)
_STATED = re.compile(
    r"\bdespite\b|\ballegation|\breports?\s+(?:of|that)\b|\bcredible\b|\bcontinued\b|\bconcern|"
    r"\breportedly\b|\bendemic\b|\bwidespread\b|\bpervasive\b|\bremained\b|\bfacilitat",
    re.I,
)
_NEGATED = re.compile(
    r"\b(?:anti[- ]|(?:counter\w*|combat\w*|fight\w*|prevent\w*|against)\s+(?:\w+\s+){0,3}?)"
    r"corruption\b",
    re.I,
)


def extract(n: Narrative) -> list[Fact]:
    text = n.text
    out: list[Fact] = []
    policy: tuple[int, int] | None = None
    complicity: tuple[int, int] | None = None
    for section, (a, b) in n.spans.items():
        if section in ("recommendations", "tier"):
            continue
        for sa, sb in sentences(text, a, b):
            if policy is None:
                for m in _POLICY.finditer(text, sa, sb):
                    if not _PREVENTIVE.search(text, max(sa, m.start() - 50), m.end()):
                        policy = (m.start(), m.end())
                        break
            if policy is None:
                m = _IN_ITS_FORCES.search(text, sa, sb)
                if m is None:
                    m = _STATE_CHILDREN.search(text, sa, sb)
                    if m and _PREVENTIVE.search(text, max(sa, m.start() - 50), m.end()):
                        m = None
                if m is not None:
                    policy = (m.start(), m.end())
            if complicity is None:
                m = _COMPLICITY.search(text, sa, sb)
                if m and _hampers_only(text, sa, sb):
                    m = None
                if m and not _NEGATED.fullmatch(text, max(sa, m.start() - 5), m.end()):
                    boiler = _BOILERPLATE.search(text, sa, sb)
                    stated = boiler is None or _STATED.search(text, sa, sb)
                    policy_here = _POLICY.search(text, sa, sb) is not None
                    if stated and not policy_here and not _only_anti_corruption(text, sa, sb):
                        complicity = (m.start(), m.end())
    if policy:
        out.append(fact(n, KIND, "state_policy_or_pattern", *policy))
    if complicity:
        out.append(fact(n, KIND, "official_complicity", *complicity))
    return out


def _only_anti_corruption(text: str, a: int, b: int) -> bool:
    """True when every corruption word in the sentence is the object of fighting it
    ("anti-corruption", "Program on Countering Crime and Corruption")."""
    hits = list(_COMPLICITY.finditer(text, a, b))

    def negated(h: re.Match[str]) -> bool:
        return any(
            n.end() >= h.start() for n in _NEGATED.finditer(text, max(a, h.start() - 50), h.end())
        )

    return bool(hits) and all(negated(h) for h in hits)


def _hampers_only(text: str, a: int, b: int) -> bool:
    """True when every complicity word in the sentence is corruption said to hamper the work
    against trafficking ("corruption continued to impede anti-trafficking efforts")."""
    hits = list(_COMPLICITY.finditer(text, a, b))
    spans = [(h.start(), h.end()) for h in _HAMPERS.finditer(text, a, b)]
    return bool(spans) and all(any(s <= h.start() < e for s, e in spans) for h in hits)
