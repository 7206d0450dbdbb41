"""Limits on what tipwatch reads, as data, and the checks that enforce them.

Every input a user hands over is checked before it is opened: it must be a regular file (a
named pipe, device or socket is refused without opening it, so nothing blocks), no larger than
the limit of its kind, and structured text (YAML/JSON) is bounded in nesting depth, in aliases
and in its size once aliases are expanded. Each refusal is one line (exit 2) naming the file and
the limit. The figures are documented in the README ("Limits").
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from tipwatch.errors import MalformedInputError, NestingTooDeepError

MB = 1024 * 1024

#: Maximum size in bytes of one input, by kind. Peak memory of the CLI grows with the input
#: (about 150 MB for Python and its libraries, then roughly linear): measured on the real files
#: (the 0.6 MB research panel: 181 MB; the 2.9 MB 2018 set: 243 MB; the 1.3 MB Factbook CSV:
#: 229 MB) and on report text (8 MB, 96 narratives, 68,051 facts: 338 MB; 16 MB: 450 MB), each
#: limit is set so that one input at the limit stays under 500 MB.
MAX_BYTES: dict[str, int] = {
    "assessment": 1 * MB,  # one country's findings: a few kB
    "placement CSV": 4 * MB,  # the research panel is 0.6 MB
    "text": 8 * MB,  # an ingested .txt or .html file, or the text of a PDF
    "pdf": 64 * MB,  # an ingested report PDF (read page by page, its text <= "text")
    "corpus CSV": 4 * MB,  # the 2018 flat CSV / Factbook archive (2.9 MB / 1.3 MB)
    "corpus JSON": 4 * MB,  # the 2018 JSON set (2.9 MB)
    "API body": 64 * 1024,  # the API is read-only: GET/HEAD carry no body
}

#: Most country narratives read from one report file (html, pdf, txt): a whole report has
#: about 190; the bound keeps the facts of one file (held until it is stored) small.
MAX_NARRATIVES = 400
#: Warnings printed per ingested file (the rest are counted).
MAX_WARNINGS = 20

#: Deepest nesting of mappings/sequences accepted in YAML or JSON (an assessment needs 3).
MAX_DEPTH = 32
#: Most aliases (``*name``) accepted in one YAML document.
MAX_ALIASES = 100
#: Most nodes (scalars and collections) in one YAML document once aliases are expanded.
MAX_NODES = 100_000


def _limit_text(n: int) -> str:
    return f"{n // MB} MB" if n >= MB else f"{n // 1024} kB"


def check_input_file(path: str | os.PathLike[str], kind: str) -> int:
    """Refuse anything but a regular file within the size limit of ``kind``; returns its size.

    Uses ``os.stat`` only (never ``open``), so a named pipe is refused instead of waited on.
    """
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise MalformedInputError(f"{p}: no such file") from None
    except OSError as exc:
        raise MalformedInputError(f"{p}: cannot read ({exc.strerror or exc})") from None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise MalformedInputError(f"{p}: is a folder, not a file")
    if not stat.S_ISREG(mode):
        what = (
            "a named pipe" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "not a regular file"
        )
        raise MalformedInputError(f"{p}: is {what}; only regular files are read")
    limit = MAX_BYTES[kind]
    if st.st_size > limit:
        raise MalformedInputError(
            f"{p}: {st.st_size:,} bytes, over the {_limit_text(limit)} limit for "
            f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
        )
    return st.st_size


def check_not_special(path: str | os.PathLike[str], what: str) -> None:
    """An existing path must be a regular file (for files we open, such as a store)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise MalformedInputError(f"{what} {path} is not a regular file")


# --- structured text -----------------------------------------------------------------------

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


def check_json_depth(text: str, source: str, limit: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` before parsing it (the parser recurses)."""
    depth = 0
    for m in _BRACKET.finditer(_JSON_STRING.sub('""', text)):
        if m.group() in "[{":
            depth += 1
            if depth > limit:
                raise NestingTooDeepError(
                    f"{source}: nesting too deep (more than {limit} levels)"
                )
        else:
            depth -= 1


def check_yaml(text: str, source: str) -> None:
    """Refuse YAML (or JSON) that nests too deep, uses too many aliases or expands too far.

    Walks the event stream (the parser keeps its own stack, so this never recurses) and keeps,
    for every anchor, the size and depth of what it stands for: an alias counts as the whole
    structure it repeats, so a nested-alias "bomb" is refused after reading a few hundred bytes.
    """
    import yaml

    stack: list[list] = []  # [anchor, nodes, depth below]
    anchors: dict[str, tuple[int, int]] = {}
    aliases = total = 0

    def add(nodes: int, depth: int, anchor: str | None) -> None:
        nonlocal total
        if anchor:
            anchors[anchor] = (nodes, depth)
        if stack:
            stack[-1][1] += nodes
            stack[-1][2] = max(stack[-1][2], depth + 1)
        else:
            total += nodes
        if total + sum(s[1] for s in stack) > MAX_NODES:
            raise MalformedInputError(
                f"{source}: more than {MAX_NODES} values once aliases are expanded"
            )
        if len(stack) + depth > MAX_DEPTH:
            raise NestingTooDeepError(
                f"{source}: nesting too deep (more than {MAX_DEPTH} levels)"
            )

    try:
        for ev in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(ev, yaml.CollectionStartEvent):
                stack.append([ev.anchor, 1, 0])
                if len(stack) > MAX_DEPTH:
                    raise NestingTooDeepError(
                        f"{source}: nesting too deep (more than {MAX_DEPTH} levels)"
                    )
            elif isinstance(ev, yaml.CollectionEndEvent):
                anchor, nodes, depth = stack.pop()
                add(nodes, depth, anchor)
            elif isinstance(ev, yaml.ScalarEvent):
                add(1, 0, ev.anchor)
            elif isinstance(ev, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise MalformedInputError(f"{source}: more than {MAX_ALIASES} aliases")
                nodes, depth = anchors.get(ev.anchor, (1, 0))
                add(nodes, depth, None)
    except yaml.YAMLError:
        return  # the loader reports syntax errors with their position
