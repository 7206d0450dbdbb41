"""Read a corpus CSV (large text cells) into rows, with one clear error for a bad file."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from tipwatch.errors import MalformedInputError
from tipwatch.limits import check_input_file


def read_rows(path: Path, need: set[str], what: str) -> list[dict[str, str]]:
    """All rows of ``path``; raises :class:`MalformedInputError` naming the file and the problem
    when it cannot be read, is not UTF-8 CSV, or lacks the columns ``need`` (``what`` names the
    file the reader expects, for the message)."""
    check_input_file(path, "corpus CSV")
    csv.field_size_limit(sys.maxsize)
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise MalformedInputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise MalformedInputError(f"{path}: not a UTF-8 CSV file ({exc})") from exc
    if not rows or not need <= set(rows[0]):
        raise MalformedInputError(f"{path}: expected columns {sorted(need)} ({what})")
    return rows
