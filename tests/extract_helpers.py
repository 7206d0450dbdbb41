"""Helpers for extractor tests: narratives built from sentences the project writes itself."""

from __future__ import annotations

from tipwatch.extract import extract
from tipwatch.ingest.tip2018 import build_narrative
from tipwatch.model import Narrative


def nar(iso3: str = "MDA", **sections: str) -> Narrative:
    """A 2018-style narrative of ``iso3`` with the given sections (profile, prosecution…)."""
    fields = {
        {"prosecution": "prosecutions", "profile": "trafficking profile"}.get(k, k): v
        for k, v in sections.items()
    }
    return build_narrative(iso3, iso3, fields)


def values(n: Narrative, kind: str) -> list:
    """The values of the facts of one kind extracted from ``n``."""
    return [f.value for f in extract(n, [kind])]
