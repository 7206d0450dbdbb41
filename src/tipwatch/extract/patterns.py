"""The pattern data: every rule of the extractors, loaded from ``data/patterns/<kind>.yaml``.

A pattern file holds ``fragments`` (named pieces of regular expressions, written ``<<NAME>>``
inside a pattern and expanded when it is loaded) and ``rules``. A rule has

* ``id`` (``<kind>.<name>``, unique; the id of the rule that made a fact is stored with it),
* ``description`` (one line: what the rule reads, or what it leaves out),
* ``pattern`` (a regular expression; or ``patterns``, alternatives one a line) and
  ``flags`` (``i`` for ignore-case; without it the pattern is matched against the
  lower-cased text and must be written in lower case, unless ``case: as_is`` says it reads
  the text as written),
* ``value`` (keyword rules: the value it gives),
* ``triggers`` (literal word starts, one of which begins every match; the engine evaluates a
  rule only where one of its triggers occurs; ``anchored: false`` when they occur inside the
  match rather than at its start),
* in a file with ``ignorecase_as_lower: true``, ``flags: i`` rules are compiled in lower case
  and read the lower-cased text (same matches, much faster than ignoring case),
* ``examples`` and ``counter_examples``: phrases written for the project that the pattern must
  and must not match (``tests/extract/test_extract_patterns.py`` runs them all; ``test: match``
  for a rule the code applies at a position rather than searches),
* ``source: lexicon`` for a rule whose matches are the lexicon's (country names, aliases and
  demonyms of ``data/demonyms.csv``, one trie): its examples must name a country and its
  counter-examples must not,
* ``gate: true`` puts the rule's triggers in the engine's trigger index (keyword rules, with
  a ``value``, are always in it), so that the engine can skip sentences where none occurs.

This module and :mod:`tipwatch.extract.engine` are the only places that compile patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from tipwatch.errors import DataCheckError
from tipwatch.paths import DATA_DIR

PATTERN_DIR = DATA_DIR / "patterns"
_FRAGMENT = re.compile(r"<<([A-Z_0-9]+)>>")
_LITERAL = re.compile(r"[a-z0-9 '-]*")
_NEVER = re.compile(r"(?!x)x")
#: the C YAML parser when PyYAML has it (the same safe loading, several times faster)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    description: str
    source: str  # the pattern with its fragments expanded
    flags: int
    value: str | None
    triggers: tuple[str, ...] | None  # None: evaluated everywhere
    anchored: bool  # every match begins with one of the triggers
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    as_is: bool = False  # matched against the text as written (not lower-cased)
    indexed: bool = False  # its triggers are in the engine's trigger index
    regex: re.Pattern[str] = field(default=_NEVER, compare=False)
    lower: bool = True  # matched against the lower-cased text
    test: str = "search"  # how examples are tried: search, match or fullmatch (as the code uses it)
    lexicon: bool = False  # matches come from the lexicon (data/demonyms.csv), not a pattern


class Patterns:
    """The rules of one kind, by id (``P["form.begging"]`` is the compiled pattern)."""

    def __init__(self, kind: str, rules: dict[str, Rule]) -> None:
        self.kind = kind
        self.rules = rules

    def __getitem__(self, rule_id: str) -> re.Pattern[str]:
        return self.rule(rule_id).regex

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise DataCheckError(f"no rule {rule_id!r} in patterns/{self.kind}.yaml") from None

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules.values())

    def with_value(self) -> list[Rule]:
        """The keyword rules (those that give a value), in file order."""
        return [r for r in self.rules.values() if r.value is not None]


def compile_pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """The one place where a pattern is compiled (cached)."""
    return _compile(source, flags)


@lru_cache(maxsize=4096)
def _compile(source: str, flags: int) -> re.Pattern[str]:
    return re.compile(source, flags)


def literal_start(pattern: str) -> str:
    """The literal text every match of ``pattern`` begins with (lower case), or ""."""
    p = pattern[2:] if pattern.startswith("\\b") else pattern
    m = _LITERAL.match(p)
    lit = m.group(0) if m else ""
    rest = p[len(lit) :]
    if rest[:1] in ("?", "*", "{") and lit:
        lit = lit[:-1]  # a quantifier after the literal makes its last character optional
    return lit.split(" ")[0] if " " in lit else lit


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) of every character outside escapes and classes."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        else:
            depth += (ch == "(") - (ch == ")")
            yield i, ch, depth
        i += 1


def _alternatives(pattern: str) -> list[str]:
    """Top-level alternatives of ``pattern`` (split on ``|`` outside groups and classes)."""
    out, start = [], 0
    for i, ch, depth in _structure(pattern):
        if ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


def _derive_triggers(source: str) -> tuple[str, ...] | None:
    """Triggers of a lower-case pattern whose every alternative starts with a literal word
    (or with a group of alternatives that each do)."""
    found: list[str] = []
    for alt in _alternatives(source):
        starts = _starts(alt)
        if starts is None:
            return None
        found.extend(starts)
    return tuple(dict.fromkeys(found))


def _starts(alt: str) -> list[str] | None:
    while alt.startswith(("(?<!", "(?<=")):  # a lookbehind does not move the match start
        end = _group_end(alt)
        if end < 0:
            return None
        alt = alt[end + 1 :]
    body = alt[2:] if alt.startswith("\\b") else alt
    if body.startswith("(?:"):
        depth, i = 0, 0
        while i < len(body):
            ch = body[i]
            if ch == "\\":
                i += 2
                continue
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0:
                break
            i += 1
        if body[i + 1 : i + 2] in ("?", "*", "{"):
            return None  # an optional group: the match may begin after it
        inner = _derive_triggers(body[3:i])
        if inner is None:
            return None
        return list(inner)
    lit = literal_start(alt)
    return [lit] if len(lit) >= 3 else None


_WORD_START = re.compile(r"\\b([a-z0-9]+)")


def search_form(source: str) -> str:
    """``source`` with each leading ``\\b`` moved behind the literal word start it guards.

    ``\\bforced\\s+labou?r`` becomes ``forced(?<!\\w{7})\\s+labou?r``: the same matches (the
    lookbehind, after the literal's 6 word characters, fails exactly when the character before
    the literal is a word character, i.e. when ``\\b`` would), but the pattern now begins with a
    literal, so the regular-expression engine skips to the places where that literal (or, with
    alternatives, one of their first letters) occurs instead of trying every position. A group
    of alternatives after ``\\b`` gets the ``\\b`` distributed into it first (``\\b(?:a|b)x`` is
    ``(?:\\ba|\\bb)x``), and an optional one with what follows it (``\\b(?:a\\s+)?x`` is
    ``\\ba\\s+x|\\bx``, same order of preference) when that holds no capturing group. Only
    patterns whose alternatives then begin with at most two different letters are rewritten:
    with more, the engine would try almost every position anyway.
    """
    alts = [_fast_alternative(alt) for alt in _alternatives(source)]
    firsts: set[str] = set()
    for _text, letters in alts:
        if letters is None:
            return source
        firsts |= letters
    if len(firsts) > _FAST_LETTERS or (len(alts) > 1 and any(t[:1] == "(" for t, _l in alts)):
        return source  # the engine skips ahead only to a literal or to a set of first letters
    return "|".join(text for text, _letters in alts)


#: rewrite only patterns whose alternatives begin with at most this many different letters
_FAST_LETTERS = 2
_CAPTURE = re.compile(r"(?<!\\)\((?!\?)|\(\?P<")


def _fast_alternative(alt: str) -> tuple[str, set[str] | None]:
    """(the alternative in search form, the letters it can begin with; None: left as is)."""
    m = _WORD_START.match(alt)
    if m:
        run, rest = m.group(1), alt[m.end() :]
        if rest[:1] in ("?", "*", "+", "{"):  # a quantifier makes the last letter optional
            run, rest = run[:-1], run[-1:] + rest
        if not run:
            return alt, None
        return f"{run}(?<!\\w{{{len(run) + 1}}}){rest}", {run[0]}
    if not alt.startswith("\\b(?:"):
        return alt, None
    body = alt[2:]
    end = _group_end(body)
    if end < 0:
        return alt, None
    inner, rest = _alternatives(body[3:end]), body[end + 1 :]
    if rest[:1] in ("*", "+", "{") or rest[:2] == "??":
        return alt, None
    if rest[:1] == "?":  # optional: each alternative followed by the rest, then the rest alone
        rest = rest[1:]
        if _CAPTURE.search(rest):
            return alt, None
        parts = [_fast_alternative("\\b" + a + rest) for a in [*inner, ""]]
        suffix = ""
    else:
        parts = [_fast_alternative("\\b" + a) for a in inner]
        suffix = rest
    letters: set[str] = set()
    for text, first in parts:
        if first is None or text[:1] == "(":
            return alt, None
        letters |= first
    return "(?:" + "|".join(text for text, _first in parts) + ")" + suffix, letters


def _group_end(text: str) -> int:
    """Index of the parenthesis that closes the group opening ``text`` (-1 if none)."""
    return next((i for i, ch, depth in _structure(text) if ch == ")" and depth == 0), -1)


def _expand(text: str, fragments: dict[str, str], where: str) -> str:
    for _ in range(10):
        new = _FRAGMENT.sub(lambda m: _fragment(fragments, m.group(1), where), text)
        if new == text:
            return new
        text = new
    raise DataCheckError(f"{where}: fragments nest too deeply")


def _fragment(fragments: dict[str, str], name: str, where: str) -> str:
    if name not in fragments:
        raise DataCheckError(f"{where}: unknown fragment <<{name}>>")
    return fragments[name]


def lower_source(source: str) -> str:
    """A pattern in lower case, keeping escapes (``\\W``, ``\\S``) and group names."""
    out, i = [], 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            out.append(source[i : i + 2])
            i += 2
            continue
        if source.startswith("(?P<", i):
            j = source.index(">", i)
            out.append(source[i : j + 1])
            i = j + 1
            continue
        out.append(ch.lower())
        i += 1
    return "".join(out)


def _rule(
    kind: str, raw: dict[str, Any], fragments: dict[str, str], where: str, lower_i: bool = False
) -> Rule:
    for key in ("id", "description"):
        if not raw.get(key):
            raise DataCheckError(f"{where}: a rule without {key!r}")
    if raw.get("patterns"):  # alternatives, one a line
        raw = {**raw, "pattern": "|".join(str(p) for p in raw["patterns"])}
    if raw.get("source") == "lexicon":  # the lexicon's single pass finds what this rule reads
        raw = {**raw, "pattern": "(?!x)x", "triggers": [], "lexicon": True}
    if not raw.get("pattern"):
        raise DataCheckError(f"{where}: rule {raw['id']} has no pattern")
    rid = str(raw["id"])
    if not rid.startswith(kind + "."):
        raise DataCheckError(f"{where}: rule id {rid!r} must start with {kind!r}.")
    flags = re.I if "i" in str(raw.get("flags", "")) else 0
    source = _expand(str(raw["pattern"]), fragments, f"{where} {rid}")
    if flags and lower_i:
        # an ignore-case rule of a file that reads the lower-cased text: compiled in lower
        # case (much faster than re.I, and its triggers can be derived)
        source, flags = lower_source(source), 0
    triggers: tuple[str, ...] | None
    if raw.get("triggers") is not None:
        triggers = tuple(str(t).lower() for t in raw["triggers"]) or None
        anchored = bool(raw.get("anchored", True))
    else:
        triggers = None if flags else _derive_triggers(source)
        anchored = triggers is not None
    try:
        regex = compile_pattern(search_form(source), flags)
    except re.error as exc:
        raise DataCheckError(f"{where}: rule {rid} does not compile: {exc}") from exc
    return Rule(
        id=rid,
        kind=kind,
        description=str(raw["description"]),
        source=source,
        flags=flags,
        value=None if raw.get("value") is None else str(raw["value"]),
        triggers=triggers,
        anchored=anchored,
        examples=tuple(str(x) for x in raw.get("examples") or ()),
        counter_examples=tuple(str(x) for x in raw.get("counter_examples") or ()),
        as_is=raw.get("case") == "as_is",
        regex=regex,
        lower=not flags and raw.get("case") != "as_is",
        test=str(raw.get("test", "search")),
        lexicon=bool(raw.get("lexicon")),
        indexed=triggers is not None
        and (raw.get("value") is not None or "triggers" in raw or bool(raw.get("gate"))),
    )


@lru_cache(maxsize=32)
def patterns(kind: str) -> Patterns:
    """The rules of ``kind`` from ``data/patterns/<kind>.yaml`` (cached)."""
    path = PATTERN_DIR / f"{kind}.yaml"
    if not path.exists():
        raise DataCheckError(f"pattern file missing: {path}")
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_LOADER) or {}
    fragments = {str(k): str(v) for k, v in (data.get("fragments") or {}).items()}
    rules: dict[str, Rule] = {}
    for raw in data.get("rules") or ():
        rule = _rule(kind, raw, fragments, path.name, bool(data.get("ignorecase_as_lower")))
        if rule.id in rules:
            raise DataCheckError(f"{path.name}: duplicate rule id {rule.id}")
        rules[rule.id] = rule
    return Patterns(kind, rules)


def pattern_kinds() -> list[str]:
    """The kinds that have a pattern file."""
    return sorted(p.stem for p in PATTERN_DIR.glob("*.yaml"))
