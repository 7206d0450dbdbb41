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
    r"(?:work|jobs?|labou?r)",
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
    r"forced\s+(?:women|girls|children|idps))",
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
