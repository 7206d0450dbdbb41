"""The fast CLI entry (``tipwatch.fastpath``) prints exactly what the typer CLI prints.

The typer path is forced with ``TIPWATCH_FASTPATH=0``. Both run as real processes over a real
store; the fast one under ``python -X importtime``, whose report shows that typer, click and
duckdb were never imported. The large matrix (every report year, format, tier and region)
compares the fast answer, computed in this process, with typer's, from one process that calls
``tipwatch.cli.main`` for each argument list.
"""

from __future__ import annotations

import json
import marshal
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from conftest import REPO
from tipwatch import fastpath
from tipwatch.paths import db_path
from tipwatch.store import tiers_cache

SCRIPT = Path(sys.executable).parent / "tipwatch"
#: never imported when the fast path answers
NOT_IMPORTED = {"typer", "click", "duckdb", "rich", "pandas", "pyarrow", "numpy", "yaml",
                "pydantic", "pathlib"}
TIERS = ("1", "2", "2WL", "3", "special", "1or2")
REGIONS = ("AF", "EAP", "EUR", "NEA", "SCA", "WHA")


def _env(**extra: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("COLUMNS", "TIPWATCH_DB", "TIPWATCH_FASTPATH")}
    env["TIPWATCH_PROGRESS"] = "0"
    for key, value in extra.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args: list[str], fast: bool, cwd: Path = REPO, **env: str | None
        ) -> tuple[str, str, int, set[str]]:
    """stdout, stderr, exit code and imported top-level modules of ``tipwatch ARGS``."""
    assert SCRIPT.exists(), f"console script missing at {SCRIPT}: run `make install`"
    if fast:
        cmd = [sys.executable, "-X", "importtime", str(SCRIPT), *args]
        res = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=300,
                             env=_env(**env))
        lines = res.stderr.splitlines(keepends=True)
        imported = {line.split("|")[-1].strip().split(".")[0]
                    for line in lines if line.startswith("import time:")}
        stderr = "".join(line for line in lines if not line.startswith("import time:"))
        return res.stdout, stderr, res.returncode, imported
    res = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd,
                         timeout=300, env=_env(TIPWATCH_FASTPATH="0", **env))
    return res.stdout, res.stderr, res.returncode, set()


def same(args: list[str], cwd: Path = REPO, **env: str | None
         ) -> tuple[str, str, int, set[str]]:
    """Assert the fast entry and typer print the same; returns the fast one's run."""
    fast = run(args, True, cwd, **env)
    out_s, err_s, rc_s, _ = run(args, False, cwd, **env)
    assert (fast[2], fast[1]) == (rc_s, err_s), args
    assert fast[0] == out_s, args
    return fast


_BATCH = """
import contextlib, io, json, sys
from tipwatch.cli import main
out = []
for args in json.load(sys.stdin):
    o, e = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(o), contextlib.redirect_stderr(e):
        rc = main(args)
    out.append([o.getvalue(), e.getvalue(), rc])
print(json.dumps(out))
"""


def typer_answers(argvs: list[list[str]], columns: str) -> list[list]:
    """``[stdout, stderr, exit code]`` of the typer CLI for each argument list (one process)."""
    res = subprocess.run([sys.executable, "-c", _BATCH], input=json.dumps(argvs),
                         capture_output=True, text=True, cwd=REPO, timeout=600,
                         env=_env(COLUMNS=columns, TIPWATCH_FASTPATH="0"))
    assert res.returncode == 0, res.stderr[-2000:]
    return json.loads(res.stdout)


def _years(store: Path) -> list[int]:
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT year FROM years ORDER BY year").fetchall()]
    finally:
        con.close()


# ------------------------------------------------------------------------------------- help


def test_stored_help_is_what_typer_prints() -> None:
    """Adding or redescribing a command without `scripts/make_cli_help.py` fails here."""
    out, err, rc, _ = run(["--help"], False, COLUMNS="80")
    assert rc == 0 and err == ""
    assert Path(fastpath.HELP_FILE).read_text(encoding="utf-8") == out
    assert "tiers" in out and "Usage: tipwatch" in out


@pytest.mark.parametrize("columns", ["80", "100", "250", None])
@pytest.mark.parametrize("args", [["--help"], []])
def test_help_is_typers_without_importing_typer(args: list[str], columns: str | None) -> None:
    imported = same(args, COLUMNS=columns)[3]
    assert not imported & NOT_IMPORTED, sorted(imported & NOT_IMPORTED)


@pytest.mark.parametrize("args", [["--help"], [], ["-h"], ["tiers", "--help"],
                                  ["--help", "tiers"]])
def test_narrow_terminal_and_other_help_calls_go_to_typer(args: list[str]) -> None:
    assert "typer" in same(args, COLUMNS="60")[3]  # click wraps to 58 columns: typer answers
    if args != ["--help"] and args:
        assert "typer" in same(args, COLUMNS="100")[3]


# ------------------------------------------------------------------------------------ tiers


def test_the_build_writes_a_current_tiers_cache(store_db: Path) -> None:
    cache = Path(tiers_cache.cache_path(str(store_db)))
    assert cache.is_file()
    found = tiers_cache.read(str(store_db), "2023")
    assert found is not None and found[0] == 2023
    assert found[2]["info"]["year"] == 2023 and len(found[2]["tier"]) > 100


def _matrix(store: Path, years: list[int]) -> list[list[str]]:
    db = ["--db", str(store)]
    argvs = [["tiers", "--year", str(y), "--format", f, *db]
             for y in years for f in ("table", "csv", "json")]
    argvs += [["tiers", *db], ["tiers", "-y", "latest", *db], ["tiers", "--year=newest", *db],
              ["tiers", "-y", "LATEST", "-f", "json", *db], ["tiers", "--tier", "", *db]]
    for f in ("table", "csv", "json"):
        argvs += [["tiers", "-y", "2023", "--tier", t, "-f", f, *db] for t in TIERS]
        argvs += [["tiers", "-y", "2019", "--region", r, "--format", f, *db] for r in REGIONS]
    spellings = ["2wl", "Tier 2 Watch List", "t3", "tier1", "watchlist", "Special Case", "wl"]
    argvs += [["tiers", "-t", s, "--db", str(store)] for s in spellings]
    argvs += [["tiers", "-y", "2010", "-r", r, "-t", t, "-f", "csv", *db]
              for r in ("af", "Eur", "WHA") for t in ("2", "2WL", "3")]
    argvs += [["tiers", "-y", "2005", "-r", "EAP", "-t", "special", *db],  # no placement
              ["tiers", "-y", "2003", "--region=sca", "-f", "json", *db]]
    return argvs


@pytest.mark.parametrize("columns", ["100", "80", "300", "40"])
def test_every_year_format_tier_and_region_is_typers(store_db: Path, columns: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    years = _years(store_db)
    assert len(years) >= 25
    argvs = _matrix(store_db, years if columns == "100" else years[-3:])
    expected = typer_answers(argvs, columns)
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.delenv("TIPWATCH_DB", raising=False)
    for args, (out, err, rc) in zip(argvs, expected, strict=True):
        assert (rc, err) == (0, ""), (args, err)
        answer = fastpath.fast(args)
        assert answer is not None, f"the fast path did not answer {args}"
        assert answer == (out, 0), args


@pytest.mark.parametrize("args", [
    ["tiers", "--year", "2023"],
    ["tiers", "--year", "2023", "--format", "json"],
    ["tiers", "-y", "2019", "-f", "csv", "-t", "2wl", "-r", "eur"],
])
def test_tiers_end_to_end_without_typer_or_duckdb(store_db: Path, args: list[str]) -> None:
    imported = same([*args, "--db", str(store_db)], COLUMNS="100")[3]
    assert "tipwatch" in imported and not imported & NOT_IMPORTED, sorted(imported)


def test_the_default_store_and_tipwatch_db(store_db: Path, tmp_path: Path) -> None:
    imported = same(["tiers", "-y", "2023", "-f", "csv"], TIPWATCH_DB=str(store_db))[3]
    assert not imported & NOT_IMPORTED
    (tmp_path / "var").mkdir()  # var/tipwatch.duckdb under the working folder
    shutil.copy2(store_db, tmp_path / "var" / "tipwatch.duckdb")
    tiers_cache.write(tmp_path / "var" / "tipwatch.duckdb")  # the copy is another file
    imported = same(["tiers", "--year", "2011"], cwd=tmp_path)[3]
    assert not imported & NOT_IMPORTED


@pytest.mark.parametrize("args", [
    ["tiers", "--year", "1999"],
    ["tiers", "--year", "2023x"],
    ["tiers", "--year", "abc"],
    ["tiers", "--year", ""],
    ["tiers", "--tier", "4"],
    ["tiers", "--region", "XX"],
    ["tiers", "--format", "xml"],
    ["tiers", "--format", "TABLE"],
    ["tiers", "--colour"],
    ["tiers", "--year"],
    ["tiers", "2023"],
    ["tiers", "-y2023"],
    ["tiers", "--year", "2023", "--year", "2022"],
    ["tiers", "--tier", "-1"],
    ["tier", "--year", "2023"],
])
def test_bad_and_unusual_input_gets_typers_answer(store_db: Path, args: list[str]) -> None:
    out, err, rc, _ = same([*args, "--db", str(store_db)], COLUMNS="100")
    if args[-1] in ("1999", "4", "XX"):
        assert rc == 2 and out == "" and len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err


def test_a_folder_as_store_gets_typers_error(tmp_path: Path) -> None:
    same(["tiers", "--db", str(tmp_path)])


# ----------------------------------------------------------------- stale or damaged cache


@pytest.fixture()
def own_store(store_db: Path, tmp_path: Path) -> Path:
    """A store of our own (a copy of the session's) with a current cache."""
    target = tmp_path / "own.duckdb"
    shutil.copy2(store_db, target)
    assert tiers_cache.write(target) is not None
    assert fastpath.tiers_output(["--db", str(target)]) is not None
    return target


def _falls_back_and_matches(store: Path, args: list[str] | None = None) -> None:
    full = ["tiers", *(args or ["--year", "2023"]), "--db", str(store)]
    assert fastpath.tiers_output(full[1:]) is None
    assert "duckdb" in same(full, COLUMNS="100")[3]  # the store itself was read


def test_a_replaced_store_makes_the_cache_stale(own_store: Path, store_db: Path,
                                                tmp_path: Path) -> None:
    new = tmp_path / "new.duckdb"
    shutil.copy2(store_db, new)
    os.replace(new, own_store)  # what a rebuild does: a new file renamed onto the old name
    _falls_back_and_matches(own_store)
    tiers_cache.write(own_store)  # the next build's cache
    assert fastpath.tiers_output(["--db", str(own_store)]) is not None


def test_a_touched_store_makes_the_cache_stale(own_store: Path) -> None:
    os.utime(own_store)
    _falls_back_and_matches(own_store)


def test_a_deleted_cache(own_store: Path) -> None:
    os.unlink(tiers_cache.cache_path(str(own_store)))
    _falls_back_and_matches(own_store)


@pytest.mark.parametrize("where", ["first line", "header", "block", "truncated", "empty"])
def test_a_damaged_cache_is_not_read(own_store: Path, where: str) -> None:
    cache = Path(tiers_cache.cache_path(str(own_store)))
    data = bytearray(cache.read_bytes())
    body = data.index(b"\n") + 1
    if where == "first line":
        data[5] ^= 0x01
    elif where == "header":
        data[body + 40] ^= 0x01
    elif where == "block":
        data[-200] ^= 0x01  # the newest year's block
    elif where == "truncated":
        data = data[: len(data) - 1000]
    else:
        data = bytearray()
    cache.write_bytes(bytes(data))
    _falls_back_and_matches(own_store, ["--year", "newest", "--format", "json"])


def _rewrite_header(cache: Path, change) -> None:  # noqa: ANN001
    data = cache.read_bytes()
    first, rest = data.split(b"\n", 1)
    parts = first.split()
    size = int(parts[4])
    header = marshal.loads(rest[:size])
    change(header)
    raw = marshal.dumps(header)
    parts[4], parts[5] = str(len(raw)).encode(), str(zlib.crc32(raw)).encode()
    cache.write_bytes(b" ".join(parts) + b"\n" + raw + rest[size:])


def test_a_cache_written_by_other_code_is_not_used(own_store: Path) -> None:
    cache = Path(tiers_cache.cache_path(str(own_store)))

    def older_code(header: dict) -> None:
        path = next(p for p in header["code"] if p.endswith("tiers_view.py"))
        size, mtime = header["code"][path]
        header["code"][path] = (size, mtime - 1)

    _rewrite_header(cache, older_code)
    _falls_back_and_matches(own_store)


def test_a_cache_of_another_python_is_not_used(own_store: Path) -> None:
    cache = Path(tiers_cache.cache_path(str(own_store)))
    data = cache.read_bytes()
    cache.write_bytes(data.replace(b" 3.11 " if b" 3.11 " in data else b" 3.", b" 2.7 ", 1))
    _falls_back_and_matches(own_store)


def test_a_temporary_file_beside_the_store_goes_to_typer_which_sweeps_it(own_store: Path) -> None:
    pid = 4_000_000  # above the kernel's pid_max: no such process
    leftover = own_store.parent / f".{own_store.name}.tw{pid}-abcdefgh.duckdb"
    leftover.write_bytes(b"half a store")
    _falls_back_and_matches(own_store)
    assert not leftover.exists()
    assert fastpath.tiers_output(["--db", str(own_store)]) is not None


# ------------------------------------------------------------------------ the small parts


@pytest.mark.parametrize("columns", [None, "", "abc", "0", "-5", "60", "80", "123"])
def test_terminal_columns_is_shutils(columns: str | None, monkeypatch: pytest.MonkeyPatch
                                     ) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert fastpath.terminal_columns() == shutil.get_terminal_size().columns


@pytest.mark.parametrize("explicit", [None, "", "x.duckdb", "/tmp/a/b.duckdb"])
@pytest.mark.parametrize("env", [None, "", "from/env.duckdb"])
def test_db_path_is_the_projects(explicit: str | None, env: str | None,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    if env is None:
        monkeypatch.delenv("TIPWATCH_DB", raising=False)
    else:
        monkeypatch.setenv("TIPWATCH_DB", env)
    assert Path(fastpath.db_path(explicit)) == db_path(explicit)


@pytest.mark.parametrize("args", [["--help"], ["tiers", "--year", "2023", "-f", "json"]])
def test_a_full_disk_is_typers_one_line(store_db: Path, args: list[str]) -> None:
    assert Path("/dev/full").exists()
    answers = []
    for fast in ("1", "0"):
        with open("/dev/full", "w") as full:
            res = subprocess.run([str(SCRIPT), *args, *(["--db", str(store_db)] if
                                                        args[0] == "tiers" else [])],
                                 stdout=full, stderr=subprocess.PIPE, text=True, cwd=REPO,
                                 timeout=300, env=_env(TIPWATCH_FASTPATH=fast, COLUMNS="100"))
        answers.append((res.returncode, res.stderr))
    assert answers[0] == answers[1]
    assert answers[0] == (2, "error: disk full writing the output\n")


def test_ctrl_c_is_typers_one_word(monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(args: list[str]) -> None:
        raise KeyboardInterrupt  # a fault this process cannot cause at the right moment

    monkeypatch.setattr(fastpath, "fast", interrupted)
    assert fastpath.main(["--help"]) == 130
    assert capsys.readouterr().err == "interrupted\n"


def _on_terminal(args: list[str], columns: int, fast: bool) -> tuple[bytes, str, int, set[str]]:
    """stdout (as the terminal received it), stderr, exit code and imported modules of
    ``tipwatch ARGS`` with its stdout on a real pseudo-terminal ``columns`` wide (no
    ``COLUMNS`` variable); the fast entry runs under ``-X importtime``."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    cmd = [sys.executable, "-X", "importtime", str(SCRIPT)] if fast else [str(SCRIPT)]
    proc = subprocess.Popen([*cmd, *args], stdout=slave, stderr=subprocess.PIPE, cwd=REPO,
                            env=_env(COLUMNS=None, TIPWATCH_FASTPATH="1" if fast else "0"))
    os.close(slave)
    out = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed: the process is done writing
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    lines = (proc.stderr.read().decode() if proc.stderr else "").splitlines(keepends=True)
    imported = {line.split("|")[-1].strip().split(".")[0]
                for line in lines if line.startswith("import time:")}
    err = "".join(line for line in lines if not line.startswith("import time:"))
    return bytes(out), err, proc.wait(timeout=300), imported


@pytest.mark.parametrize("columns", [120, 70])
def test_on_a_real_terminal_the_width_is_the_terminals(store_db: Path, columns: int) -> None:
    for args in (["--help"], ["tiers", "--year", "2023", "--db", str(store_db)]):
        fast, slow = _on_terminal(args, columns, True), _on_terminal(args, columns, False)
        assert fast[:3] == slow[:3], args
        assert fast[2] == 0 and fast[1] == ""
        answered_fast = args[0] == "tiers" or columns >= fastpath.HELP_COLUMNS
        assert bool(fast[3] & {"typer", "duckdb"}) is not answered_fast, sorted(fast[3])
    table = slow[0].decode()
    assert "┏" in table
    widest = max(len(line) for line in table.splitlines())
    assert widest <= columns
    if columns == 70:  # the year's table is wider than that: shrunk to the terminal's width
        assert widest == 70


def test_a_store_another_process_writes_to_goes_to_typer(own_store: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('open', flush=True); time.sleep(120)", str(own_store)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        assert tiers_cache.read(str(own_store), "2023") is not None  # the cache still matches
        assert fastpath.tiers_output(["--db", str(own_store)]) is None  # but the lock is held
        out, err, rc, _ = same(["tiers", "--db", str(own_store)])
        assert rc == 2 and "lock" in err and out == ""
    finally:
        holder.kill()
        holder.wait()


def test_the_analysis_cache_beside_the_store_is_not_a_temporary_file(store_db: Path,
                                                                     tmp_path: Path) -> None:
    # the forecast's cache folder (.NAME.analysis) sits beside the store: the fast path still
    # answers, while a real temporary file of the store (swept by the full command) hands over
    (tmp_path / "var").mkdir()
    target = tmp_path / "var" / "tipwatch.duckdb"
    shutil.copy2(store_db, target)
    tiers_cache.write(target)
    (tmp_path / "var" / ".tipwatch.duckdb.analysis").mkdir()
    imported = same(["tiers", "--year", "2019"], cwd=tmp_path)[3]
    assert not imported & NOT_IMPORTED
    (tmp_path / "var" / ".tipwatch.duckdb.tw1-abcdefgh.duckdb").write_bytes(b"")
    imported = same(["tiers", "--year", "2019"], cwd=tmp_path)[3]
    assert imported & NOT_IMPORTED
