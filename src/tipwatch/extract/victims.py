"""Victim groups named in the narrative (see :mod:`tipwatch.extract.lexical`)."""

from __future__ import annotations

from tipwatch.extract.engine import Doc
from tipwatch.extract.lexical import find_values
from tipwatch.extract.patterns import patterns
from tipwatch.model import Fact, Narrative

KIND = "victim_group"

_P = patterns("victim_group")
RULES = _P.with_value()


#: sections that describe the government's work rather than who is exploited
EXCLUDED = ("recommendations", "prevention")


_SEX = _P["victim_group.sex"]
_LABOUR = _P["victim_group.labour"]
_GOVERNMENT_WORK = _P["victim_group.government_work"]
_EXPLOITED = _P["victim_group.exploited"]


def _near_mines_for_sex(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """Sex trafficking in a mining area ("near gold mines", "in the informal mining sector",
    "at mining camps"): the miners are not the victims named."""
    sa, sb = sent
    if not _SEX.search(low, sa, sb) or _LABOUR.search(low, sa, sb):
        return False
    near = _P["victim_group.near_before"].search(low[sa:start])
    area = _P["victim_group.area_after"].match(low[end : end + 25])
    return bool(near or area)


#: buyers of commercial sex, not victims: "exploited in prostitution with foreign men working
#: on construction projects", "demand from construction workers", "clients included miners"
_CLIENTS_BEFORE = _P["victim_group.clients_before"]


def _clients(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """The group named as buyers of commercial sex, not as victims."""
    sa = max(low.rfind(";", sent[0], start), low.rfind(",", sent[0], start), sent[0])
    if _CLIENTS_BEFORE.search(low, sa, start) is not None:
        return True
    # "... in sex trafficking by crews of docked vessels, or with foreign construction workers"
    return bool(_OR_WITH.search(low, sa, start)) and bool(_SEX.search(low, sent[0], sa))


_OR_WITH = _P["victim_group.or_with"]


#: a group named among those served or protected ("safe houses for trafficking victims,
#: asylum-seekers, and migrants", "protections for foreign victims and stateless persons")
_PROVIDED_FOR = _P["victim_group.provided_for"]


def _provided_for(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    head = low[sent[0] : start]
    m = _PROVIDED_FOR.search(head)
    return m is not None and not _HARM_BEFORE.search(head, m.start())


def _not_as_people(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """Students named as an audience of training or in a visa category, not as victims."""
    sa, sb = sent
    if _P["victim_group.visa_after"].match(low, end):
        return True
    return bool(_GOVERNMENT_WORK.search(low, sa, sb)) and not _EXPLOITED.search(low, sa, sb)


_SERVICES = _P["victim_group.services"]
_IDENTIFIED = _P["victim_group.identified"]


def _services_only(low: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """Adults named in a description of services or penalties ("shelters for adult victims",
    "penalties for offenses involving adult victims"), not as victims found."""
    sa, sb = sent
    negations = list(_NOT_FOUND.finditer(low, sa, start))
    if negations and not _HARM_BEFORE.search(low, negations[-1].end(), start):
        return True
    return bool(_SERVICES.search(low, sa, sb)) and not _IDENTIFIED.search(low, sa, start)


_HARM_BEFORE = _P["victim_group.harm_before"]
#: a statement of none, of a lack, or of the law: adults are not named as victims found
_NOT_FOUND = _P["victim_group.not_found"]


_AT_RISK = _P["victim_group.at_risk"]
_HARMED = _P["victim_group.harmed"]


_POLICY = _P["victim_group.policy"]


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


def extract(n: Narrative, doc: Doc | None = None) -> list[Fact]:
    doc = doc or Doc(n)
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
    found = find_values(n, KIND, RULES, exclude_sections=EXCLUDED, vetoes=vetoes, doc=doc)
    # the prevention section describes the government's work, but a sentence there may still
    # say who is vulnerable ("the stateless population was vulnerable to trafficking")
    other = tuple(k for k in n.spans if k != "prevention")
    if "prevention" in n.spans:
        seen = {f.value for f in found}
        at_risk = {
            **{r.value or "": _not_at_risk for r in RULES},
            **{v: _both(_not_at_risk, veto) for v, veto in vetoes.items()},
        }
        at_risk = {v: _both(veto, _government_work) for v, veto in at_risk.items()}
        extra = find_values(n, KIND, RULES, exclude_sections=other, vetoes=at_risk, doc=doc)
        found += [f for f in extra if f.value not in seen]
    return found


def _both(a, b):
    return lambda *args: a(*args) or b(*args)
