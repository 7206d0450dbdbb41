"""Build step ``corpus_facts``: the user's corpus facts, flows and cited-by again, its sources.

The corpus is read once per build (:mod:`tipwatch.store.corpus_merge`); no corpus: the step
writes its tables empty (or leaves them as the earlier steps wrote them).
"""

from __future__ import annotations

from typing import Any

from tipwatch.store.steps import Step


def run(con: Any) -> None:
    from tipwatch.store.corpus_merge import merge_facts

    merge_facts(con)


STEP = Step(
    name="corpus_facts",
    inputs=("corpus", "table:facts", "table:sources", "table:corpus_info"),
    outputs=("facts", "flows", "cited_by", "sources", "corpus_info"),
    run=run,
)
