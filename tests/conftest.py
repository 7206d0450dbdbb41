"""Shared fixtures: a real DuckDB store built once per test session from the bundled data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tipwatch.paths import shared_dir
from tipwatch.store import build as store

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a store built from the bundled data (read-only use, please)."""
    path = tmp_path_factory.mktemp("store") / "tipwatch.duckdb"
    store.build(path, corpus=False)  # the bundled data only, whatever corpus the machine has
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    """The research folder (``../shared``); the tests need it, as CI has it."""
    path = shared_dir()
    assert (path / "data" / "tip_tiers.csv").exists(), f"research folder missing at {path}"
    return path


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``tipwatch`` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "tipwatch.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )


# --------------------------------------------------------------------------- explorer fixtures


def free_port() -> int:
    """A free TCP port on loopback."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    """Poll ``url`` until it answers (or fail, with the server's output when it died)."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise AssertionError(f"server exited with {proc.returncode}: {out}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"server at {url} did not answer within {timeout} s")


@pytest.fixture(scope="session")
def explorer_url(store_db: Path) -> str:
    """Base URL of a real ``tipwatch serve`` (uvicorn) on loopback over the test store."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tipwatch.cli", "serve", "--port", str(port),
         "--db", str(store_db)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/api", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots and other test artefacts (git-ignored)."""
    path = REPO / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


class MissingTool:
    """Stands in for a tool whose system package is missing: any use fails the test, saying so."""

    def __init__(self, packages: list[str]) -> None:
        self.message = (
            f"missing system packages: {' '.join(packages)} (`make install` installs them as "
            f"root; otherwise: sudo apt-get install {' '.join(packages)})"
        )

    def __getattr__(self, name: str):  # noqa: ANN204
        pytest.fail(self.message, pytrace=False)


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - selenium WebDriver
    """Real headless Chromium (Debian's chromium + chromedriver). Fails, never skips."""
    import shutil

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    missing = [pkg for pkg, path in (("chromium", binary), ("chromium-driver", driver_path))
               if not Path(path).exists()]
    if missing:
        # Each browser test then fails (not errors) with the one line that says how to fix it.
        yield MissingTool(missing)
        return
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1400,1000"):
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def years_store(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A store built with a corpus of two consecutive years (tests/years_corpus.py)."""
    from years_corpus import build_store

    return build_store(tmp_path_factory.mktemp("years"))


# --------------------------------------------------------------------------- in-process explorer


@pytest.fixture(scope="session")
def api_store(store_db: Path) -> Path:
    """The store the in-process API tests read: the project's own full build into tmp_path
    (about 1 s once per session, shared with :func:`store_db`); answers over a few countries
    are tested on :func:`small_store`."""
    return store_db


def in_process_client(db: Path):  # noqa: ANN201 - fastapi.testclient.TestClient
    """A client of ``create_app(db)`` called in-process (no socket); use it as a context
    manager, so the application's start-up and shut-down run."""
    import warnings

    with warnings.catch_warnings():  # starlette's notice about the httpx it calls through
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        from fastapi.testclient import TestClient

    from tipwatch.api.app import create_app

    return TestClient(create_app(db))


@pytest.fixture(scope="session")
def api_client(api_store: Path):  # noqa: ANN201 - fastapi.testclient.TestClient
    """The explorer application over :func:`api_store`, called in-process (no socket).

    For tests of what the API answers; what only a real server shows (binding, workers, HEAD
    over the wire, shedding, the browser) stays with :func:`explorer_url`.
    """
    with in_process_client(api_store) as client:
        yield client


#: the countries of the small store: every region, a special case's neighbourhood, a state
#: policy-or-pattern government, and the countries most cited across the narratives
SMALL_COUNTRIES = ("NGA", "GHA", "PRK", "CHN", "MYS", "THA", "MMR", "RUS", "USA", "MEX", "FRA",
                   "SAU")


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of :data:`SMALL_COUNTRIES` only, built in code by the project's own build."""
    path = tmp_path_factory.mktemp("small") / "tipwatch.duckdb"
    store.build(path, corpus=False, countries=SMALL_COUNTRIES)
    return path


@pytest.fixture(scope="session")
def small_client(small_store: Path):  # noqa: ANN201 - fastapi.testclient.TestClient
    """The explorer application over :func:`small_store`, called in-process."""
    with in_process_client(small_store) as client:
        yield client
