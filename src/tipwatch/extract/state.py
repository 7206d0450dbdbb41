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

from tipwatch.extract.base import fact
from tipwatch.extract.engine import Doc
from tipwatch.extract.patterns import patterns
from tipwatch.model import Fact, Narrative

KIND = "state_involvement"
_P = patterns(KIND)

_POLICY = _P["state_involvement.policy"]
_STATE_CHILDREN = _P["state_involvement.state_children"]
#: children serving in the state's own forces, said even of efforts to end it ("steps to
#: eliminate the use of child soldiers in its armed forces"): the practice exists
_IN_ITS_FORCES = _P["state_involvement.in_its_forces"]
#: the state acting against the practice, not engaging in it
_PREVENTIVE = _P["state_involvement.preventive"]
_COMPLICITY = _P["state_involvement.complicity"]
#: corruption said only to hamper the state's work against trafficking, not to enable it
_HAMPERS = _P["state_involvement.hampers"]
_BOILERPLATE = _P["state_involvement.boilerplate"]
_STATED = _P["state_involvement.stated"]
_NEGATED = _P["state_involvement.negated"]


_R_FINDING = _P.rule("state_involvement.finding")
_FINDING_NEGATED = _P["state_involvement.finding_negated"]
_R_POLICY = _P.rule("state_involvement.policy")
_R_IN_ITS_FORCES = _P.rule("state_involvement.in_its_forces")
_R_STATE_CHILDREN = _P.rule("state_involvement.state_children")
_R_COMPLICITY = _P.rule("state_involvement.complicity")
#: the rules that open a sentence to reading (the last one: complicity)
_GATED = (_R_POLICY, _R_IN_ITS_FORCES, _R_STATE_CHILDREN, _R_COMPLICITY)


def extract(n: Narrative, doc: Doc | None = None) -> list[Fact]:
    doc = doc or Doc(n)
    text = doc.low  # every rule of this kind reads the lower-cased text
    out: list[Fact] = []
    policy: tuple[int, int, str] | None = None
    complicity: tuple[int, int, str] | None = None
    for section, (a, b) in n.spans.items():
        if section in ("recommendations", "tier"):
            continue
        if policy is not None and complicity is not None:
            break
        wanted = _GATED if policy is None else _GATED[-1:]
        for sa, sb in doc.sentences_with(wanted, a, b):
            if policy is None:
                for m in doc.matches(_R_POLICY, sa, sb):
                    if not _PREVENTIVE.search(text, max(sa, m.start() - 50), m.end()):
                        policy = (m.start(), m.end(), "state_involvement.policy")
                        break
            if policy is None:
                m = doc.search(_R_IN_ITS_FORCES, sa, sb)
                rule = "state_involvement.in_its_forces"
                if m is None:
                    m = doc.search(_R_STATE_CHILDREN, sa, sb)
                    rule = "state_involvement.state_children"
                    if m and _PREVENTIVE.search(text, max(sa, m.start() - 50), m.end()):
                        m = None
                if m is not None:
                    policy = (m.start(), m.end(), rule)
            if complicity is None:
                m = doc.search(_R_COMPLICITY, sa, sb)
                if m and _hampers_only(text, sa, sb):
                    m = None
                if m and not _NEGATED.fullmatch(text, max(sa, m.start() - 5), m.end()):
                    boiler = _BOILERPLATE.search(text, sa, sb)
                    stated = boiler is None or _STATED.search(text, sa, sb)
                    policy_here = _POLICY.search(text, sa, sb) is not None
                    if stated and not policy_here and not _only_anti_corruption(text, sa, sb):
                        complicity = (m.start(), m.end(), "state_involvement.complicity")
    finding = _finding(doc)
    if finding:
        out.append(fact(n, KIND, "policy_or_pattern_finding", *finding, rule_id=_R_FINDING.id))
    if policy:
        a, b, rid = policy
        out.append(fact(n, KIND, "state_policy_or_pattern", a, b, rule_id=rid))
    if complicity:
        a, b, rid = complicity
        out.append(fact(n, KIND, "official_complicity", a, b, rule_id=rid))
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


def _finding(doc: Doc) -> tuple[int, int] | None:
    """The Department's finding of a government policy or pattern, where the text states it
    (in any section but the recommendations, the tier placement included)."""
    low = doc.low
    for section, (a, b) in doc.n.spans.items() or [("", (0, len(doc.text)))]:
        if section == "recommendations":
            continue
        for m in doc.matches(_R_FINDING, a, b):
            sa, _sb = doc.around(m.start())
            if not _FINDING_NEGATED.search(low, max(sa, m.start() - 60), m.start()):
                return (m.start(), m.end())
    return None
