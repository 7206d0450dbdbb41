"""Build step ``corpus_placements``: placements read from the user's corpus, conflicts, years.

The corpus is read once per build (:mod:`tipwatch.store.corpus_merge`); no corpus: the step
writes its tables empty (or leaves them as the earlier steps wrote them).
"""

from __future__ import annotations

from typing import Any

from tipwatch.store.steps import Step


def run(con: Any) -> None:
    from tipwatch.store.corpus_merge import merge_placements

    merge_placements(con)


STEP = Step(
    name="corpus_placements",
    inputs=("corpus", "table:countries", "table:placements", "table:years"),
    outputs=("corpus_info", "corpus_skipped", "corpus_placements", "conflicts", "placements",
             "years"),
    run=run,
)
