"""What readers see names sources, never the development folders the data was compiled in.

The bundled data keeps its provenance as compiled (some origins and evidence notes point into
the research folder, e.g. ``../shared/data/tip_tiers.csv``). The report, the explorer pages and
the API show these through :func:`public_text`: a research-folder path becomes the name of the
document it points to; and :func:`public_source` gives each source a name, publisher and URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: a path into the research folder or the machine's work tree, up to a delimiter
_DEV_PATH = re.compile(
    r"(?:(?:\.\./)+|/work/\S*?/)?(?<![\w.])shared/(?P<rest>[^\s;,)\"'<>]+)"
    r"|/work/[^\s;,)\"'<>]+"
)
#: the public name of research-folder documents the data refers to
_DOCUMENTS = {
    "data/tip_tiers.csv": "the tipwatch placement panel (tip_tiers.csv)",
    "data/PROVENANCE.md": "the tipwatch data provenance notes",
    "data/gapfill/evidence/evidence_log.jsonl": "the tipwatch evidence log",
    "spec/tip-rules.md": "the tipwatch tier-rules specification",
}
_URLISH = re.compile(r"(?:https?://|(?:www\.)?github\.com/|www\.)[^\s;,)\"'<>]+")


def _name(match: re.Match[str]) -> str:
    rest = match.group("rest")
    if rest is None:
        return "a tipwatch working file"
    rest = rest.rstrip(".:")
    if rest in _DOCUMENTS:
        return _DOCUMENTS[rest]
    return f"the tipwatch research file {rest.rsplit('/', 1)[-1]}"


def has_dev_path(text: str) -> bool:
    """True when ``text`` names a research-folder or work-tree path."""
    return bool(_DEV_PATH.search(text))


def public_text(text: str) -> str:
    """``text`` with research-folder paths replaced by the documents' names."""
    if "shared/" not in text and "/work/" not in text:
        return text
    return _DEV_PATH.sub(_name, text)


def public_value(value: Any) -> Any:
    """:func:`public_text` through strings, lists and dicts (JSON-like values)."""
    if isinstance(value, str):
        return public_text(value)
    if isinstance(value, list):
        return [public_value(v) for v in value]
    if isinstance(value, dict):
        return {k: public_value(v) for k, v in value.items()}
    return value


def source_url(origin: str | None) -> str | None:
    """The first web address in a source's origin (``github.com/...`` gains ``https://``)."""
    if not origin:
        return None
    m = _URLISH.search(origin)
    if not m:
        return None
    url = m.group(0).split("@", 1)[0].rstrip(".:")  # repo@commit:path -> the repository
    return url if url.startswith("http") else "https://" + url


def public_source(row: Mapping[str, Any]) -> dict[str, Any]:
    """A ``sources`` row for readers: id (its name), publisher, URL, licence, origin in words."""
    origin = row.get("origin") or ""
    out = {k: public_value(v) for k, v in row.items()}
    out["url"] = row.get("url") or source_url(origin)
    out["origin"] = public_text(origin) if origin else origin
    return out
