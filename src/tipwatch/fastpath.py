"""The ``tipwatch`` console entry: the two commonest calls answered without typer or duckdb.

``import typer`` alone costs about 5 bare interpreter starts and ``import duckdb`` about 15, so
this entry answers, byte for byte as the full CLI (:func:`tipwatch.cli.main`) would:

* ``tipwatch`` and ``tipwatch --help``: the help text stored in ``data/cli_help.txt``
  (regenerate it with ``python scripts/make_cli_help.py``; a test compares it with typer's);
* ``tipwatch tiers [--year Y] [--tier T] [--region R] [--format F] [--db PATH]``: from the
  tiers cache written beside the store by its build (:mod:`tipwatch.store.tiers_cache`).

Everything else, and every case of doubt (an unusual spelling of an option, a terminal narrower
than the stored help, a missing, stale or damaged cache, a value the cache does not know, an
error to report), goes to the full CLI unchanged. ``TIPWATCH_FASTPATH=0`` turns the fast path
off. Imports: :mod:`os`, :mod:`sys`, :mod:`marshal`, :mod:`zlib`; :mod:`textwrap` for tables.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # importing typing for the flag alone costs the fast path 4 ms
if TYPE_CHECKING:
    from collections.abc import Sequence

HELP_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "cli_help.txt")
#: ``click`` wraps help to ``min(terminal columns, 80) - 2``: the stored text is the one for 80
#: columns or more.
HELP_COLUMNS = 80
PROGRAM = "tipwatch"

#: The options of ``tipwatch tiers`` (long and short names) and what they set.
_TIERS_OPTIONS = {
    "--year": "year", "-y": "year",
    "--tier": "tier", "-t": "tier",
    "--region": "region", "-r": "region",
    "--format": "fmt", "-f": "fmt",
    "--db": "db",
}
_FORMATS = ("table", "csv", "json")


def terminal_columns() -> int:
    """The width :func:`shutil.get_terminal_size` reports (``COLUMNS``, else the terminal on
    stdout, else 80), without importing :mod:`shutil`."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns


def program_name() -> str | None:
    """The name click shows in ``Usage:`` when run as a script; None for ``python -m``."""
    main_module = sys.modules.get("__main__")
    if getattr(main_module, "__package__", None) not in (None, ""):
        return None
    return os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else None


def db_path(explicit: str | None) -> str:
    """:func:`tipwatch.paths.db_path` as a string, without importing :mod:`pathlib`."""
    if explicit:
        return explicit
    return os.environ.get("TIPWATCH_DB") or os.path.join("var", "tipwatch.duckdb")


def help_output(args: Sequence[str]) -> tuple[str, int] | None:
    """The help text and exit code of ``tipwatch`` / ``tipwatch --help``, or None."""
    if list(args) not in ([], ["--help"]):
        return None
    if terminal_columns() < HELP_COLUMNS or program_name() != PROGRAM:
        return None
    with open(HELP_FILE, encoding="utf-8") as fh:
        text = fh.read()
    if not text.isascii():  # click would write it through its own encoding rules
        return None
    return text, 0 if args else 2  # no arguments: click shows the help as a usage error


def parse_tiers(args: Sequence[str]) -> dict[str, str] | None:
    """The options of a ``tiers`` call, or None for anything but ``--opt value``,
    ``--opt=value`` and ``-o value`` once each (click reads more forms: those go to it)."""
    seen: dict[str, str] = {}
    i = 0
    while i < len(args):
        token = args[i]
        if token.startswith("--") and "=" in token:
            name, value = token.split("=", 1)
            i += 1
        elif i + 1 < len(args):
            name, value = token, args[i + 1]
            i += 2
        else:
            return None
        key = _TIERS_OPTIONS.get(name)
        if key is None or key in seen or value.startswith("-"):
            return None
        seen[key] = value
    return seen


def _temp_name(rest: str) -> bool:
    """True when ``.STORE.`` + ``rest`` is one of the project's temporary names
    (:mod:`tipwatch.atomic`: ``tw<pid>-<8 chars>...`` or an older ``<8 chars>.duckdb``/``.tmp``),
    not a folder of its own beside the store such as the analysis cache."""
    if rest.startswith("tw") and rest[2:].split("-", 1)[0].isdigit():
        return True
    return len(rest) > 8 and rest[8:] in (".duckdb", ".duckdb.wal", ".tmp")


def _store_in_use(store: str) -> bool:
    """True when the full command would act on the store's folder first: a temporary file of
    the store to sweep (:func:`tipwatch.atomic.sweep_stale`), or a write lock held on it."""
    folder = os.path.dirname(store) or "."
    prefix = "." + os.path.basename(store) + "."
    try:
        if any(name.startswith(prefix) and _temp_name(name[len(prefix):])
               for name in os.listdir(folder)):
            return True
        if not os.access(store, os.R_OK):
            return True
        import fcntl

        fd = os.open(store, os.O_RDONLY)
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # what a read-only open takes
            fcntl.lockf(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    except OSError:
        return True
    return False


def tiers_output(args: Sequence[str]) -> str | None:
    """What ``tipwatch tiers ARGS`` prints on stdout (exit 0), or None to ask the full CLI."""
    opts = parse_tiers(args)
    if opts is None or opts.get("fmt", "table") not in _FORMATS:
        return None
    store = db_path(opts.get("db"))
    if _store_in_use(store):
        return None
    from tipwatch.store import tiers_cache

    found = tiers_cache.read(store, opts.get("year", "latest"))
    if found is None:
        return None
    year, header, block = found
    codes = []
    for key, known in (("tier", header["tiers"]), ("region", header["regions"])):
        given = opts.get(key)
        if not given:  # the command filters only on a non-empty value
            codes.append(None)
        elif given in known:
            codes.append(known[given])
        else:
            return None
    keep = tiers_cache.select(block, codes[0], codes[1])
    fmt = opts.get("fmt", "table")
    if fmt == "json":
        return tiers_cache.join_json([block["json"][i] for i in keep]) + "\n"
    if fmt == "csv":
        return block["csv_head"] + "".join(block["csv"][i] for i in keep)
    from tipwatch import tiers_view
    from tipwatch.text_table import table_text

    return table_text([block["table"][i] for i in keep], tiers_view.TABLE_COLUMNS,
                      title=tiers_view.title(year),
                      caption=tiers_view.caption(len(keep), block["info"]),
                      width=terminal_columns())


def fast(args: Sequence[str]) -> tuple[str, int] | None:
    """What to print and the exit code for ``args``, or None when the full CLI must answer.
    Exit code 0 prints on stdout, 2 (help as a usage error) on stderr."""
    if not args or args[0] == "--help":
        return help_output(args)
    if args[0] == "tiers":
        text = tiers_output(args[1:])
        return None if text is None else (text, 0)
    return None


def _write(text: str, code: int) -> int | None:
    """Print the fast answer; None when nothing could be written (the full CLI answers)."""
    stream = sys.stdout if code == 0 else sys.stderr
    try:
        stream.write(text)  # one write: encoded whole before any byte goes out
    except UnicodeEncodeError:
        return None
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a full disk: the full CLI's one line for it
        from tipwatch import cli

        known = cli.known_failure(exc)
        if known is None:
            raise
        cli._err.print(f"[bold red]error:[/] {cli.one_line(known)}", highlight=False,
                       soft_wrap=True)
        return known.exit_code
    return code


def main(argv: list[str] | None = None) -> int:
    """Console entry: the fast answer when there is one, else :func:`tipwatch.cli.main`."""
    args = sys.argv[1:] if argv is None else list(argv)
    if os.environ.get("TIPWATCH_FASTPATH", "1") != "0":
        try:
            try:
                answer = fast(args)
            except Exception:  # noqa: BLE001 - any doubt: the full CLI answers
                answer = None
            code = None if answer is None else _write(*answer)
        except KeyboardInterrupt:  # as the full CLI says it
            from tipwatch.cli import _err

            _err.print("interrupted")
            return 130
        if code is not None:
            return code
    from tipwatch.cli import main as full_main

    return full_main(argv)
