"""CLI start-up stays light: the heavy libraries are imported by the commands that use them.

Behaviour, not timing (the timing is ``benchmarks/startup.py``): each check runs a fresh
interpreter and looks at ``sys.modules`` after the import or the command.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

#: never imported by ``import tipwatch.cli`` nor by ``--help``
HEAVY = ("pandas", "pyarrow", "numpy", "duckdb", "fastapi", "uvicorn", "weasyprint",
         "sklearn", "httpx", "pdfplumber", "altair", "jinja2", "yaml")

_PROBE = """
import json, sys
{body}
print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))
"""


def _modules_after(body: str, env_extra: dict[str, str] | None = None) -> set[str]:
    import os

    env = {**os.environ, "TIPWATCH_PROGRESS": "0", **(env_extra or {})}
    res = subprocess.run([sys.executable, "-c", _PROBE.format(body=body)], cwd=REPO,
                         capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    return set(json.loads(res.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_imports_no_heavy_library() -> None:
    loaded = _modules_after("import tipwatch.cli")
    assert "tipwatch" in loaded and "typer" in loaded  # the probe did import the CLI
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_help_imports_no_heavy_library_nor_rich() -> None:
    body = (
        "import contextlib, io\n"
        "from tipwatch.cli import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    rc = main(['--help'])\n"
        "assert rc == 0 and 'tiers' in buf.getvalue(), buf.getvalue()\n"
    )
    loaded = _modules_after(body)
    assert not loaded & {*HEAVY, "rich"}, sorted(loaded & {*HEAVY, "rich"})


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_tiers_needs_neither_pandas_nor_rich_tables(store_db: Path, fmt: str) -> None:
    body = (
        "import contextlib, io\n"
        "from tipwatch.cli import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        f"    rc = main(['tiers', '--year', '2023', '--format', '{fmt}', '--db', r'{store_db}'])\n"
        "assert rc == 0 and 'Albania' in buf.getvalue(), buf.getvalue()[-500:]\n"
    )
    loaded = _modules_after(body)
    assert "duckdb" in loaded  # it did read the store
    assert not loaded & {"pandas", "pyarrow", "numpy", "fastapi", "weasyprint", "sklearn",
                         "rich"}, sorted(loaded)
