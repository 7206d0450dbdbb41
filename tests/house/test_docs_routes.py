"""docs/api.md lists exactly the routes the explorer application has.

A documented route is a table row of docs/api.md whose first cell is `` `METHOD /path` ``; the
application's routes are read from ``app.routes`` (``app_routes``). Path parameters compare by
position (docs may write ``{iso3}`` where the code says ``{ident}``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_routes import routes, shape

from conftest import REPO

DOC = REPO / "docs" / "api.md"
ROW = re.compile(r"^\|\s*`(GET|POST|PUT|PATCH|DELETE) (/[^`\s]*)`\s*\|")


def documented(text: str) -> set[tuple[str, str]]:
    return {(m.group(1), shape(m.group(2)))
            for line in text.splitlines() if (m := ROW.match(line))}


def served(app) -> set[tuple[str, str]]:  # noqa: ANN001 - a FastAPI application
    return {(method, shape(path)) for method, path in routes(app.routes)}


def _difference(docs: set, code: set) -> str:
    missing = sorted(code - docs)
    extra = sorted(docs - code)
    return (f"routes the app has that {DOC.name} does not list: {missing}; "
            f"listed in {DOC.name} but not served: {extra}")


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report")
    (path / "index.html").write_text("<!doctype html><title>report</title>", encoding="utf-8")
    return path


def test_rows_are_read() -> None:
    text = ("| route | what |\n|---|---|\n| `GET /api/countries/{iso3}` | x |\n"
            "| `POST /api/risk` | body |\nsee `GET /api/years` in the text\n| `/plain` | no |\n")
    assert documented(text) == {("GET", "/api/countries/{}"), ("POST", "/api/risk")}


def test_docs_list_exactly_the_routes_served(api_store: Path, report_dir: Path) -> None:
    from tipwatch.api.app import create_app

    docs = documented(DOC.read_text(encoding="utf-8"))
    with_report = served(create_app(api_store, report_dir=report_dir))
    assert len(with_report) > 25 and ("POST", "/api/risk") in with_report
    assert docs == with_report, _difference(docs, with_report)
    # without a report folder, /report/ is one page that says how to write one
    without = served(create_app(api_store))
    assert without == (with_report - {("GET", "/report/{}")}) | {("GET", "/report/")}
