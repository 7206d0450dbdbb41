"""The per-document ingest report: what was read from each document, and what looks wrong.

One :class:`DocReport` per document (a file, or a fetched page): its status (``stored``,
``unrecognised`` — stored with a warning, ``refused``, ``not_found``, ``failed``), the
sections found, the facts per kind and warnings. A narrative is flagged when it has no tier
line, no sections, fewer than 3 sections, or a recommendations section that did not split
into several recommendations.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from tipwatch.model import Fact, Narrative

COLUMNS = ("document", "doc_id", "status", "sections", "facts", "warnings")


@dataclass
class DocReport:
    document: str  # path or URL
    status: str
    doc_ids: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)  # doc_id -> section names
    facts: dict[str, int] = field(default_factory=dict)  # kind -> count (all narratives)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def row(self) -> dict[str, Any]:
        """One line for the table view."""
        return {
            "document": self.document,
            "doc_id": ", ".join(self.doc_ids) if len(self.doc_ids) <= 3
            else f"{len(self.doc_ids)} narratives",
            "status": self.status,
            "sections": _sections_text(self.sections),
            "facts": " ".join(f"{k}={v}" for k, v in sorted(self.facts.items())) or "-",
            "warnings": "; ".join(self.warnings) or "-",
        }


def _sections_text(sections: dict[str, list[str]]) -> str:
    if not sections:
        return "-"
    if len(sections) == 1:
        return ", ".join(next(iter(sections.values()))) or "(none)"
    counts = Counter(len(v) for v in sections.values())
    return " ".join(f"{n} narratives × {k} sections" for k, n in sorted(counts.items()))


def narrative_warnings(n: Narrative, facts: list[Fact]) -> list[str]:
    """What looks lost in one narrative (see the module doc)."""
    out: list[str] = []
    named = [s for s in n.spans if s not in ("intro", "tier")]
    if not n.meta.get("tier"):
        out.append(f"{n.doc_id}: no tier line")
    if not n.spans or not named:
        out.append(f"{n.doc_id}: no sections")
    elif len(named) < 3:
        out.append(f"{n.doc_id}: fewer than 3 sections ({', '.join(named)})")
    if "recommendations" in n.spans:
        a, b = n.spans["recommendations"]
        recs = sum(1 for f in facts if f.kind == "recommendation" and f.doc_id == n.doc_id)
        if recs <= 1 and b - a > 400:
            out.append(f"{n.doc_id}: recommendations not split ({b - a} characters, {recs} item)")
    return out


def document_report(
    document: str, narratives: list[Narrative], facts: list[Fact], warnings: list[str],
    status: str = "stored",
) -> DocReport:
    rep = DocReport(document=document, status=status, warnings=list(warnings))
    for n in narratives:
        rep.doc_ids.append(n.doc_id)
        rep.sections[n.doc_id] = list(n.spans)
        rep.warnings.extend(narrative_warnings(n, facts))
    rep.facts = dict(Counter(f.kind for f in facts))
    return rep
