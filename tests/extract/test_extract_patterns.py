"""The pattern data (data/patterns/<kind>.yaml): ids, descriptions, examples as tests, triggers.

Every rule's examples must match and its counter-examples must not; every rule the engine
gates by its triggers must never match where none of its triggers is (checked on the real
narratives of ../shared); no pattern is compiled outside the loader and the engine; every fact
carries the id of a rule that exists.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tipwatch.errors import DataCheckError
from tipwatch.extract import extract
from tipwatch.extract.engine import Doc, lowered
from tipwatch.extract.lexicon import lexicon
from tipwatch.extract.patterns import Rule, pattern_kinds, patterns

EXTRACT_DIR = Path(__file__).resolve().parents[2] / "src" / "tipwatch" / "extract"
ALL_RULES: list[Rule] = [r for k in pattern_kinds() for r in patterns(k)]


def _ids(rules: list[Rule]) -> list[str]:
    return [r.id for r in rules]


def test_every_kind_has_a_pattern_file_and_rules_are_well_formed() -> None:
    from tipwatch.extract import KINDS

    assert set(KINDS) <= set(pattern_kinds())
    seen: set[str] = set()
    for rule in ALL_RULES:
        assert rule.id.startswith(rule.kind + "."), rule.id
        assert rule.id not in seen, rule.id
        seen.add(rule.id)
        assert rule.description and "\n" not in rule.description.strip(), rule.id
        assert rule.examples, f"{rule.id} has no example"
        assert rule.counter_examples, f"{rule.id} has no counter-example"


def _tries(rule: Rule, phrase: str) -> bool:
    if rule.lexicon:
        return any(m.iso3 for m in lexicon().find(phrase))
    text = phrase.lower() if rule.lower else phrase
    if rule.test == "match":
        return rule.regex.match(text) is not None
    if rule.test == "fullmatch":
        return rule.regex.fullmatch(text) is not None
    return rule.regex.search(text) is not None


@pytest.mark.parametrize("rule", ALL_RULES, ids=_ids(ALL_RULES))
def test_examples_match_and_counter_examples_do_not(rule: Rule) -> None:
    for phrase in rule.examples:
        assert _tries(rule, phrase), f"{rule.id} should match {phrase!r}"
    for phrase in rule.counter_examples:
        assert not _tries(rule, phrase), f"{rule.id} should not match {phrase!r}"


def test_a_bad_pattern_file_is_refused_with_its_name(tmp_path, monkeypatch) -> None:
    from tipwatch.extract import patterns as mod

    (tmp_path / "broken.yaml").write_text(
        "kind: broken\nrules:\n- id: broken.one\n  description: x\n  pattern: '(unclosed'\n",
        encoding="utf-8",
    )
    (tmp_path / "dup.yaml").write_text(
        "kind: dup\nrules:\n"
        "- {id: dup.a, description: x, pattern: 'a'}\n"
        "- {id: dup.a, description: y, pattern: 'b'}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(mod, "PATTERN_DIR", tmp_path)
    mod.patterns.cache_clear()
    try:
        with pytest.raises(DataCheckError, match="broken.yaml: rule broken.one does not compile"):
            mod.patterns("broken")
        with pytest.raises(DataCheckError, match="duplicate rule id dup.a"):
            mod.patterns("dup")
        with pytest.raises(DataCheckError, match="pattern file missing"):
            mod.patterns("nothing")
    finally:
        mod.patterns.cache_clear()


def test_no_pattern_is_compiled_outside_the_loader_and_the_engine() -> None:
    allowed = {"patterns.py", "engine.py"}
    call = re.compile(r"\bre\.(?:compile|search|match|fullmatch|finditer|findall|sub|split)\(")
    offenders = [
        p.name
        for p in sorted(EXTRACT_DIR.glob("*.py"))
        if p.name not in allowed and call.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.fixture(scope="module")
def corpus() -> list:
    from tipwatch.ingest import load_factbook, load_tip2018

    return list(load_tip2018()) + list(load_factbook())


def test_gated_rules_never_match_where_none_of_their_triggers_is(corpus) -> None:
    """The engine skips a rule where none of its triggers occurs; on the real narratives, no
    match of any gated rule is lost that way (anchored: every match begins at a trigger;
    otherwise a trigger occurs in the match's sentence)."""
    gated = [r for r in ALL_RULES if r.indexed and r.triggers]
    assert len(gated) > 40
    lost: list[str] = []
    for n in corpus:
        doc = Doc(n)
        target_low = lowered(n.text)
        for rule in gated:
            target = target_low if rule.lower else n.text
            positions = doc.positions(rule)
            starts = set(positions)
            for m in rule.regex.finditer(target):
                sa, sb = doc.around(m.start())
                found = (
                    m.start() in starts if rule.anchored else any(sa <= p < sb for p in positions)
                )
                if not found:
                    lost.append(f"{rule.id} {n.doc_id}:{m.start()}")
    assert lost == []


def test_every_fact_names_a_rule_of_its_kind(corpus) -> None:
    known = {r.id for r in ALL_RULES}
    facts = [f for n in corpus[::7] for f in extract(n)]
    assert len(facts) > 1000
    for f in facts:
        assert f.rule_id in known, (f.kind, f.rule_id)
        assert f.rule_id.startswith(f.kind + "."), (f.kind, f.rule_id)
