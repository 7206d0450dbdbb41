"""The tiers cache: what ``tipwatch tiers`` prints for every report year, written beside the store.

``tipwatch tiers`` has to open the DuckDB store, and importing duckdb alone costs about 15
bare interpreter starts. So every :func:`tipwatch.store.build.build` ends by writing
``<store>-tiers.cache`` (atomically): for each report year the year's status line and, per
placement, its tier and region codes, its table cells and its CSV and JSON text, all rendered
by the same functions the command uses (:mod:`tipwatch.store.reader`, :mod:`tipwatch.output`).
The fast path (:mod:`tipwatch.fastpath`) answers from it only when it provably describes the
store as it is now:

* the store file is the one the cache was written from: same device, inode, size, mtime and
  ctime (a rebuild, a copy, a ``touch`` or an edit changes one of them);
* the code that decides the output is the code the cache was written with: size and mtime of
  each module in :data:`CODE_MODULES`;
* the Python and :mod:`marshal` versions match, and the header and the year's block pass their
  CRC-32 check (a truncated or damaged cache is refused, never half-read);
* the ``--year``, ``--tier`` and ``--region`` values are spellings the real functions
  (``queries.resolve_year``, ``normalize_tier``, ``normalize_region``) accepted when the cache
  was written, with the result they gave.

Anything else returns ``None`` and the full command answers (and reports any error).

File layout: one ASCII line ``tipwatch-tiers-cache FORMAT MARSHAL PY HEADER_LEN HEADER_CRC``,
the header (marshal), then one marshal block per year at the offsets (from the end of the
header) that the header names.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib

TYPE_CHECKING = False  # importing typing for the flag alone costs the fast path 4 ms
if TYPE_CHECKING:
    from pathlib import Path

    import duckdb

MAGIC = b"tipwatch-tiers-cache"
FORMAT = b"1"
SUFFIX = "-tiers.cache"
#: Modules whose code decides what ``tiers`` prints; the cache records each file's size and
#: mtime, and a cache written by other code is not used.
CODE_MODULES = (
    "tipwatch.store.reader",
    "tipwatch.tiers",
    "tipwatch.countries",
    "tipwatch.output",
    "tipwatch.text_table",
    "tipwatch.tiers_view",
    "tipwatch.store.tiers_cache",
    "tipwatch.fastpath",
    "tipwatch.store.build",
    "tipwatch.paths",
    "tipwatch.cli",
    "tipwatch.commands.panel",
)
_PY = f"{sys.version_info[0]}.{sys.version_info[1]}".encode()


def cache_path(store: str) -> str:
    """Where the cache of the store at ``store`` lives."""
    return store + SUFFIX


def _file_id(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _code_state(files: dict[str, tuple[int, int]]) -> bool:
    """True when every recorded module file still has its recorded size and mtime."""
    for path, (size, mtime) in files.items():
        try:
            st = os.stat(path)
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mtime:
            return False
    return True


# ------------------------------------------------------------------------------------ reading


def read(store: str, year: str) -> tuple[int, dict, dict] | None:
    """``(report year, header, year block)`` for ``--year year`` of the store at ``store``, or
    None when the cache is missing, damaged, stale or does not know that spelling."""
    try:
        st = os.stat(store)
        with open(cache_path(store), "rb") as fh:
            head = fh.readline(200).split()
            if (len(head) != 6 or head[0] != MAGIC or head[1] != FORMAT
                    or head[2] != str(marshal.version).encode() or head[3] != _PY):
                return None
            size, crc = int(head[4]), int(head[5])
            raw = fh.read(size)
            if len(raw) != size or zlib.crc32(raw) != crc:
                return None
            body = fh.tell()
            header = marshal.loads(raw)
            if tuple(header["store"]) != _file_id(st) or not _code_state(header["code"]):
                return None
            y = header["years"].get(year)
            if y is None:
                return None
            offset, length, block_crc = header["blocks"][y]
            fh.seek(body + offset)
            data = fh.read(length)
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None
    if len(data) != length or zlib.crc32(data) != block_crc:
        return None
    try:
        return y, header, marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None


def select(block: dict, tier: str | None, region: str | None) -> list[int]:
    """Positions of the year's placements with tier code ``tier`` and region code ``region``
    (None: any), in the command's order: the ``WHERE p.tier = ? AND c.region = ?`` of
    :func:`tipwatch.store.reader.tiers` over its ordered rows."""
    return [
        i
        for i, (t, r) in enumerate(zip(block["tier"], block["region"], strict=True))
        if (tier is None or t == tier) and (region is None or r == region)
    ]


# ------------------------------------------------------------------------------------ writing


def _spellings(word: str) -> list[str]:
    return [word, word.upper(), word.capitalize()]


def _tier_spellings() -> set[str]:
    from tipwatch.store import reader as queries
    from tipwatch.tiers import TIER_LABELS, TIERS

    words = {*TIERS, *TIER_LABELS.values(), *getattr(queries, "_TIER_ALIASES", {})}
    return {s for w in words for s in (w, w.lower(), w.upper())}


def _accepted(func, spellings: set[str] | list[str]) -> dict:  # noqa: ANN001
    """``{spelling: func(spelling)}`` for every spelling ``func`` accepts."""
    import contextlib

    from tipwatch.errors import BadInputError

    out = {}
    for s in spellings:
        with contextlib.suppress(BadInputError):
            out[s] = func(s)
    return out


def _year_block(con: duckdb.DuckDBPyConnection, y: int) -> dict:
    from tipwatch import tiers_view
    from tipwatch.output import to_csv, to_json
    from tipwatch.store import reader as queries

    info = queries.year_info(con, y)
    rows = queries.tiers(con, y)
    cols = tiers_view.columns("csv", queries.VARIABLES)
    if tiers_view.columns("json", queries.VARIABLES) != cols:  # pragma: no cover - one list
        raise ValueError("csv and json columns differ")
    csv_rows = [to_csv([r], cols).split("\n", 1)[1] for r in rows]
    json_rows = [to_json([r])[2:-2] for r in rows]
    block = {
        "info": info,
        "tier": [r["tier"] for r in rows],
        "region": [r["region"] for r in rows],
        "table": [{c: r.get(c) for c in tiers_view.TABLE_COLUMNS} for r in rows],
        "csv_head": to_csv([], cols),
        "csv": csv_rows,
        "json": json_rows,
    }
    # the pieces put together again must be what the command prints for the whole year
    if block["csv_head"] + "".join(csv_rows) != to_csv(rows, cols):
        raise ValueError(f"{y}: CSV rows do not join into the CSV")
    if join_json(json_rows) != to_json(rows):
        raise ValueError(f"{y}: JSON rows do not join into the JSON")
    return block


def join_json(parts: list[str]) -> str:
    """The JSON list of the rows whose two-space-indented texts are ``parts``."""
    return "[\n" + ",\n".join(parts) + "\n]" if parts else "[]"


def _contents(con: duckdb.DuckDBPyConnection) -> tuple[dict, dict[int, dict]]:
    import contextlib

    from tipwatch import countries
    from tipwatch.errors import BadInputError
    from tipwatch.store import reader as queries

    lo, hi = queries.year_range(con)
    asked = [str(y) for y in range(lo, hi + 1)] + _spellings("latest") + _spellings("newest")
    years = _accepted(lambda s: queries.resolve_year(con, s), asked)
    blocks = {}
    for y in sorted(set(years.values())):
        # a year the years table lacks, or whose rows do not render the same way again
        with contextlib.suppress(BadInputError, ValueError):
            blocks[y] = _year_block(con, y)
    header = {
        "years": {s: y for s, y in years.items() if y in blocks},
        "tiers": _accepted(queries.normalize_tier, _tier_spellings()),
        "regions": _accepted(queries.normalize_region,
                             [s for c in countries.REGIONS for s in _spellings(c.lower())]),
    }
    return header, blocks


def write(store: str | os.PathLike[str]) -> Path | None:
    """Write the cache of the store at ``store``; None (and no cache) when the store changed
    while it was read or a value cannot be cached."""
    import importlib.util
    from pathlib import Path

    import duckdb

    from tipwatch import atomic
    from tipwatch.store.reader import build_id

    target = str(store)
    out = Path(cache_path(target))
    before = _file_id(os.stat(target))
    con = duckdb.connect(target, read_only=True)
    try:
        header, blocks = _contents(con)
        header["build_id"] = build_id(con)
    finally:
        con.close()
    if _file_id(os.stat(target)) != before:
        return None
    header["store"] = before
    header["code"] = {}
    for name in CODE_MODULES:  # found, not imported (the CLI's modules import typer)
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            return None
        st = os.stat(spec.origin)
        header["code"][spec.origin] = (st.st_size, st.st_mtime_ns)
    try:
        data = [(y, marshal.dumps(b)) for y, b in blocks.items()]
        offset = 0  # from the end of the header
        header["blocks"] = {}
        for y, d in data:
            header["blocks"][y] = (offset, len(d), zlib.crc32(d))
            offset += len(d)
        raw = marshal.dumps(header)
    except ValueError:  # a value marshal cannot hold (the store has a new column type)
        return None
    first = b"%s %s %d %s %d %d\n" % (MAGIC, FORMAT, marshal.version, _PY, len(raw),
                                       zlib.crc32(raw))
    with atomic.atomic_path(out, suffix=".tmp") as tmp:
        tmp.write_bytes(first + raw + b"".join(d for _, d in data))
    return out


def write_after_build(store: str | os.PathLike[str]) -> None:
    """The last step of :func:`tipwatch.store.build.build`: write the cache, or remove a stale one
    when it cannot be written (the cache only speeds up; the store is what counts)."""
    try:
        written = write(store)
    except Exception:  # noqa: BLE001 - any failure: the command reads the store instead
        written = None
    if written is None:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(cache_path(str(store)))
