"""The explorer: FastAPI app (JSON/CSV API, web pages, downloads) over the store."""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(db_path=None, **kwargs):  # noqa: ANN001, ANN003, ANN201 - lazy import
    """Build the FastAPI application over the store at ``db_path``; see :mod:`.app`."""
    from tipwatch.api.app import create_app as _create

    return _create(db_path, **kwargs)
