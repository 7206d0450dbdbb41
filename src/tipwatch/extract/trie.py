"""Word lists as one regular expression: a trie, so one pass finds the longest word at each
position (the engine's trigger scan and the lexicon use it)."""

from __future__ import annotations

import re


def trie_regex(words: list[str]) -> str:
    """An alternation of ``words`` as a trie (one pass finds the longest at each position)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        if list(node) == [""]:
            return ""
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return build(trie) or "(?!x)x"
