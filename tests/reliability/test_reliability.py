"""Hostile input at the command line: one line, exit 2, no traceback, bounded memory, nothing
half-written; killed commands leave nothing behind after the next start; a full disk is the
user's error, not ours. Every case runs the real ``tipwatch`` in a subprocess."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, run_cli

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "sample_report.txt"

#: Runs the CLI and reports its peak resident memory (kB) on the last line of stderr: the
#: VmHWM of its own address space (getrusage's ru_maxrss would carry over the high-water mark
#: of the forking test process, which grows past 500 MB in a full run).
MEASURED = (
    "import re, sys\nfrom tipwatch.cli import main\nrc = main(sys.argv[1:])\n"
    "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
    "print(f'maxrss {hwm}', file=sys.stderr)\n"
    "sys.exit(rc)\n"
)


def one_line(res: subprocess.CompletedProcess[str], *words: str) -> str:
    """Assert exit 2 with exactly one line on stderr naming ``words``; return the line."""
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert "Traceback" not in res.stdout + res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def measured(*args: str, env: dict[str, str] | None = None) -> tuple[
        subprocess.CompletedProcess[str], float]:
    """Run the CLI; returns the result (without the memory line) and the peak RSS in MB."""
    res = subprocess.run([sys.executable, "-c", MEASURED, *args], capture_output=True,
                         text=True, cwd=REPO, env=env, timeout=300)
    *rest, last = res.stderr.strip().splitlines()
    assert last.startswith("maxrss "), res.stderr
    res.stderr = "\n".join(rest) + "\n"
    return res, int(last.split()[1]) / 1024


@pytest.fixture()
def env(tmp_path: Path, store_db: Path) -> dict[str, str]:
    return {**os.environ, "TIPWATCH_DB": str(store_db),
            "TIPWATCH_CORPUS": str(tmp_path / "corpus.duckdb")}


# --------------------------------------------------------------------------- markup, years


@pytest.mark.parametrize("args,shown", [
    (["country", "[/]"], "'[/]'"),
    (["country", "[bold]x"], "'[bold]x'"),
    (["audit", "--country", "[/]"], "'[/]'"),
    (["cited-by", "[red]Narnia[/red]"], "[red]Narnia[/red]"),
    (["tiers", "--year", "[/]"], "'[/]'"),
    (["ingest", "[/]nofile.txt"], "[/]nofile.txt"),
    (["assess", "[bold]nofile.yaml"], "[bold]nofile.yaml"),
])
def test_markup_in_input_is_shown_as_typed(env, args, shown) -> None:
    one_line(run_cli(*args, env=env), shown)


@pytest.mark.parametrize("args", [
    ["ingest", str(SAMPLE), "--year", "1850"],
    ["ingest", str(SAMPLE), "--year", "99999"],
    ["extract", "--year", "1850"],
    ["cited-by", "Chad", "--year", "3000"],
    ["tiers", "--year", "1850"],
    ["law", "--year", "1850"],
])
def test_every_year_option_gives_the_panel_message(env, args) -> None:
    year = args[args.index("--year") + 1]
    one_line(run_cli(*args, env=env), f"report year {year} is outside the panel (2001–2025)")
    assert not Path(env["TIPWATCH_CORPUS"]).exists()  # nothing stored


# --------------------------------------------------------------------------- special files, size


@pytest.mark.parametrize("verb", ["assess", "ingest", "import-placements"])
def test_a_named_pipe_is_refused_without_waiting(env, tmp_path, verb) -> None:
    fifo = tmp_path / "input.yaml"
    os.mkfifo(fifo)
    start = time.monotonic()
    res = run_cli(verb, str(fifo), env=env)  # would block forever if the pipe were opened
    one_line(res, str(fifo), "named pipe")
    assert time.monotonic() - start < 60


def test_a_device_or_socket_is_refused(env, tmp_path) -> None:
    import socket

    one_line(run_cli("assess", "/dev/zero", env=env), "/dev/zero", "device")
    one_line(run_cli("ingest", "/dev/zero", env=env), "/dev/zero", "device")
    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(path))
        one_line(run_cli("assess", str(path), env=env), str(path), "socket")


@pytest.mark.parametrize("verb,name,size,limit", [
    ("assess", "big.yaml", 1024 * 1024 + 1, "1 MB"),
    ("ingest", "big.txt", 8 * 1024 * 1024 + 1, "8 MB"),
    ("ingest", "big.pdf", 64 * 1024 * 1024 + 1, "64 MB"),
    ("import-placements", "big.csv", 4 * 1024 * 1024 + 1, "4 MB"),
])
def test_inputs_over_their_limit_are_refused_before_reading(env, tmp_path, verb, name, size,
                                                            limit) -> None:
    big = tmp_path / name
    with open(big, "wb") as fh:  # sparse: costs no disk
        fh.truncate(size)
    res, rss = measured(verb, str(big), env=env)
    one_line(res, str(big), f"over the {limit} limit")
    assert rss < 500


def test_the_342_byte_alias_bomb_is_refused_in_bounded_memory(env, tmp_path) -> None:
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(rows) + "\n")
    assert bomb.stat().st_size == 342  # 9**9 "lol"s once expanded
    res, rss = measured("assess", str(bomb), env=env)
    one_line(res, str(bomb), "aliases are expanded")
    assert rss < 500


@pytest.mark.parametrize("name,text", [
    ("deep.json", "[" * 100_000 + "]" * 100_000),
    ("deep.yaml", "country: Chad\nx: " + "[" * 5000 + "]" * 5000 + "\n"),
    ("deep2.yaml", "country: Chad\n" + "".join("  " * i + f"k{i}:\n" for i in range(200))
     + "  " * 200 + "v: 1\n"),
])
def test_deep_nesting_is_refused(env, tmp_path, name, text) -> None:
    path = tmp_path / name
    path.write_text(text)
    one_line(run_cli("assess", str(path), env=env), str(path), "nesting too deep")


def test_deep_json_corpus_file_is_refused(env, tmp_path) -> None:
    path = tmp_path / "normal_cases.json"  # the 2018 set's name: read as JSON
    path.write_text("[" * 50_000 + "]" * 50_000)
    one_line(run_cli("ingest", str(path), env=env), str(path), "nesting too deep")
    assert not Path(env["TIPWATCH_CORPUS"]).exists()


def test_an_assessment_at_the_size_limit_stays_in_bounded_memory(env, tmp_path) -> None:
    notes = "".join(f"    - note {i} on prosecutions and convictions in the period\n"
                    for i in range(15000))
    text = ("country: Malaysia\nreport_year: 2024\nfully_complies: false\n"
            "significant_efforts: true\nhistory: {2022: '3', 2023: '2WL'}\n"
            "evidence:\n  b1:\n" + notes)
    path = tmp_path / "big.yaml"
    path.write_text(text[: 1024 * 1024 - 100].rsplit("\n", 1)[0] + "\n")
    assert 900_000 < path.stat().st_size <= 1024 * 1024
    res, rss = measured("assess", str(path), "--format", "json", env=env)
    assert res.returncode == 0, res.stderr
    assert rss < 500


# --------------------------------------------------------------------------- damaged store


def test_a_truncated_or_corrupt_store_is_named_damaged(env, tmp_path, store_db) -> None:
    data = store_db.read_bytes()
    truncated = tmp_path / "truncated.duckdb"
    truncated.write_bytes(data[: len(data) - 300_000])
    corrupt = tmp_path / "corrupt.duckdb"
    flipped = bytearray(data)
    for i in range(20_000, len(flipped), 4096):
        flipped[i] ^= 0xFF
    corrupt.write_bytes(bytes(flipped))
    for bad in (truncated, corrupt):
        msg = f"store file {bad} is damaged: rebuild it with `tipwatch build`"
        one_line(run_cli("tiers", "--year", "2015", "--db", str(bad), env=env), msg)
        one_line(run_cli("serve", "--port", "8", "--db", str(bad), env=env), msg)


def test_a_file_that_is_not_a_store_is_named_and_never_replaced(env, tmp_path) -> None:
    table = tmp_path / "suppliers.csv"
    table.write_bytes(b"country\nViet Nam\nBurma\n")
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    one_line(run_cli("tiers", "--year", "2015", "--db", str(table), env=env),
             str(table), "not a DuckDB file")
    one_line(run_cli("country", "Chad", "--db", str(empty), env=env), "an empty file")
    # a build replaces a store, never another file the user keeps at that path
    one_line(run_cli("build", "--db", str(table), env=env), str(table), "refusing to replace")
    assert table.read_bytes() == b"country\nViet Nam\nBurma\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.duckdb", "suppliers.csv"]


def test_a_conflicts_year_outside_the_panel_is_refused(env) -> None:
    one_line(run_cli("conflicts", "--year", "3000", env=env), "3000", "outside the panel")


# --------------------------------------------------------------------------- kills, leftovers


def _kill_when(args: list[str], ready, env: dict[str, str], timeout: float = 240) -> None:
    """Start ``tipwatch args``; SIGKILL it as soon as ``ready()`` is true (it must become so)."""
    proc = subprocess.Popen([sys.executable, "-m", "tipwatch.cli", *args], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while not ready():
            assert proc.poll() is None, "finished before it could be killed mid-write"
            assert time.monotonic() < deadline, "never reached the point to kill it"
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def _temps(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}."))


def test_a_killed_build_leaves_nothing_after_the_next_start(env, tmp_path, store_db) -> None:
    db = tmp_path / "tw.duckdb"
    shutil.copy(store_db, db)
    before = db.read_bytes()
    _kill_when(["build", "--db", str(db)], lambda: _temps(tmp_path, db.name), env)
    assert _temps(tmp_path, db.name)  # the killed build's temporary store is there ...
    assert db.read_bytes() == before  # ... and the old store untouched
    res = run_cli("tiers", "--year", "2015", "--db", str(db), env=env)  # the next start
    assert res.returncode == 0, res.stderr
    assert _temps(tmp_path, db.name) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tw.duckdb"]


def test_a_killed_export_leaves_nothing_after_the_next_start(env, tmp_path) -> None:
    out = tmp_path / "export"
    _kill_when(["export", "--out", str(out)], lambda: _temps(tmp_path, "export"), env)
    res = run_cli("export", "--out", str(out), "--format", "csv", env=env)
    assert res.returncode == 0, res.stderr
    assert _temps(tmp_path, "export") == []
    assert sorted(p.name for p in out.iterdir()) == ["datapackage.json", "tip_tiers.csv"]


def test_a_killed_report_never_leaves_a_folder_in_the_served_path(env, tmp_path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    # killed while it writes: the HTML's temporary folder, or the PDF after the HTML is in place
    _kill_when(["report", "--out", str(out)],
               lambda: _temps(tmp_path, "report") or (out / "index.html").exists(), env)
    # whatever it had written, no temporary folder is inside the served folder
    assert not [p.name for p in out.iterdir() if p.is_dir()]
    legacy = out / ".tipwatch-abcd1234"  # what earlier versions left inside the folder
    legacy.mkdir()
    (legacy / "index.html").write_text("half")
    os.utime(legacy, (time.time() - 60, time.time() - 60))
    res = run_cli("report", "--out", str(out), "--no-pdf", env=env)
    assert res.returncode == 0, res.stderr
    assert _temps(tmp_path, "report") == []
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "report.json"]


def test_a_killed_ingest_leaves_the_corpus_whole(env, tmp_path, shared) -> None:
    corpus = Path(env["TIPWATCH_CORPUS"])
    folder = shared / "data" / "narratives" / "tip2018_teomotun"
    _kill_when(["ingest", str(folder)], lambda: corpus.exists(), env)
    res = run_cli("ingest", str(SAMPLE), env=env)  # the next start
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.duckdb"]  # no .wal
    con = duckdb.connect(str(corpus), read_only=True)
    try:
        sources = dict(con.execute("SELECT source, count(*) FROM narratives GROUP BY 1")
                       .fetchall())
    finally:
        con.close()
    assert sources.pop("txt") == 2
    assert sources in ({}, {"tip2018": 0}) or sum(sources.values()) > 150  # all or nothing


def test_stale_temporaries_of_dead_processes_are_swept_others_kept(env, tmp_path,
                                                                     store_db) -> None:
    db = tmp_path / "tw.duckdb"
    shutil.copy(store_db, db)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = [f".tw.duckdb.tw{dead}-abcd1234.duckdb", f".tw.duckdb.tw{dead}-abcd1234.duckdb.wal"]
    live = f".tw.duckdb.tw{os.getpid()}-abcd1234.duckdb"  # a writer that is still running
    kept = [live, ".tw.duckdb.notours", "notes.txt", f".other.duckdb.tw{dead}-abcd1234.duckdb"]
    for name in stale + kept:
        (tmp_path / name).write_text("x")
    res = run_cli("tiers", "--year", "2015", "--db", str(db), env=env)
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "tw.duckdb"])


# --------------------------------------------------------------------------- full disk


@pytest.fixture()
def small_disk(tmp_path: Path):  # noqa: ANN201
    """A 600 kB tmpfs (needs root and a kernel that lets this container mount)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mnt)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {res.stderr.strip() or res.returncode}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.mark.parametrize("args,target", [
    (["build", "--db", "{d}/tw.duckdb"], "{d}/tw.duckdb"),
    (["export", "--out", "{d}/export"], "{d}/export"),
    (["report", "--out", "{d}/report", "--no-pdf"], "{d}/report"),
])
def test_a_full_disk_is_one_line_and_leaves_nothing(env, small_disk, args, target) -> None:
    args = [a.format(d=small_disk) for a in args]
    one_line(run_cli(*args, env=env), f"disk full writing {target.format(d=small_disk)}")
    leftovers = [p.name for p in small_disk.rglob("*") if p.is_file()]
    assert leftovers == []


def test_sweep_removes_earlier_versions_names_only_when_older_than_this_process(
        tmp_path: Path) -> None:
    from tipwatch.atomic import PROCESS_START, sweep_stale

    out = tmp_path / "report"
    out.mkdir()
    old, new = PROCESS_START - 60, time.time() + 5
    names = {".tw.duckdb.abcd1234.duckdb": old, ".tw.duckdb.abcd1234.duckdb.wal": old,
             ".tw.duckdb.efgh5678.duckdb": new, ".tw.duckdb.abcd1234.txt": old}
    for name, mtime in names.items():
        (tmp_path / name).write_text("x")
        os.utime(tmp_path / name, (mtime, mtime))
    (out / ".tipwatch-abcd1234").mkdir()
    os.utime(out / ".tipwatch-abcd1234", (old, old))
    (out / ".tipwatch-efgh5678").mkdir()  # written after this process started: in use
    (out / "index.html").write_text("kept")
    removed = sweep_stale(tmp_path, ["tw.duckdb"], inside=out)
    assert sorted(p.name for p in removed) == [
        ".tipwatch-abcd1234", ".tw.duckdb.abcd1234.duckdb", ".tw.duckdb.abcd1234.duckdb.wal"]
    assert sorted(p.name for p in out.iterdir()) == [".tipwatch-efgh5678", "index.html"]
    assert (tmp_path / ".tw.duckdb.efgh5678.duckdb").exists()
    assert (tmp_path / ".tw.duckdb.abcd1234.txt").exists()
