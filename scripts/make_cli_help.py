"""Store the text of ``tipwatch --help`` for the CLI's fast path (``data/cli_help.txt``).

    .venv/bin/python scripts/make_cli_help.py

Run it after adding, removing or redescribing a command: ``tests/cli/test_cli_fastpath.py`` fails
while the stored text differs from what typer prints. The text is typer's own, captured as a
user's terminal of 80 columns or more shows it (click wraps help to at most 78).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from tipwatch.atomic import write_text  # noqa: E402
from tipwatch.fastpath import HELP_COLUMNS, HELP_FILE, PROGRAM  # noqa: E402

#: typer's help, as the console script ``tipwatch`` prints it (``argv[0]`` names the program)
_PRINT_HELP = (f"import sys; sys.argv[0] = {PROGRAM!r}; from tipwatch.cli import main; "
               "sys.exit(main(['--help']))")


def typer_help() -> str:
    """What the full CLI prints for ``tipwatch --help`` at :data:`HELP_COLUMNS` columns."""
    env = {**os.environ, "COLUMNS": str(HELP_COLUMNS), "TIPWATCH_FASTPATH": "0"}
    res = subprocess.run([sys.executable, "-c", _PRINT_HELP], capture_output=True, text=True,
                         env=env, check=True, cwd=REPO)
    return res.stdout


def main() -> int:
    text = typer_help()
    write_text(HELP_FILE, text)
    print(f"wrote {HELP_FILE} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
