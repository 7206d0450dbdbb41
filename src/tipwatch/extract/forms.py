"""Forms of exploitation named in the narrative (see :mod:`tipwatch.extract.lexical`)."""

from __future__ import annotations

from tipwatch.extract.engine import Doc
from tipwatch.extract.lexical import find_values
from tipwatch.extract.patterns import patterns
from tipwatch.model import Fact, Narrative

KIND = "form"

_P = patterns("form")
RULES = _P.with_value()


#: a sentence about the government's work (prevention, training, campaigns)
_GOVERNMENT_WORK = _P["form.government_work"]
#: ... that still says the practice occurs
_OCCURS = _P["form.occurs"]
_NAMED_DOMESTIC = _P["form.named_domestic"]
_VULNERABLE = _P["form.vulnerable"]


def _prevention_only(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """Sex tourism named only as a target of the government's work ("campaigns to prevent
    child sex tourism", "did not address child sex tourism"), not as found in the country."""
    sa, sb = sent
    return bool(_GOVERNMENT_WORK.search(low, sa, sb)) and not _OCCURS.search(low, sa, sb)


def _only_vulnerable(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """Domestic work named in a clause about who is vulnerable, not who is forced (the form
    named outright, "vulnerable to domestic servitude", still counts)."""
    if _NAMED_DOMESTIC.match(low, start, end):
        return False
    if _prevention_only(low, start, end, sent):
        return True
    sa, _sb = sent
    clause = max(low.rfind(";", sa, start), low.rfind(":", sa, start), sa)
    return bool(_VULNERABLE.search(low, clause, start))


#: a sentence about the law: what it criminalizes and its penalties
_LAW = _P["form.law"]
#: ... that also says the practice occurs
_HAPPENS = _P["form.happens"]


def _law_only(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """A form named only as an offence in the law ("section 118 criminalized debt bondage",
    "penalties for debt bondage were not sufficiently stringent"), not as occurring."""
    sa, sb = sent
    return bool(_LAW.search(low, sa, sb)) and not _HAPPENS.search(low, sa, sb)


VETOES = {
    "sex_tourism": _prevention_only,
    "domestic_servitude": _only_vulnerable,
    "debt_bondage": _law_only,
}


def extract(n: Narrative, doc: Doc | None = None) -> list[Fact]:
    return find_values(n, KIND, RULES, vetoes=VETOES, doc=doc)
