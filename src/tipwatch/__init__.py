"""tipwatch: the Trafficking in Persons Report tier system as open, reproducible data and tools."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "load_placements"]


def load_placements():  # noqa: ANN201 - pandas is imported lazily
    """Return the bundled placement panel as a pandas DataFrame (one row per country-year)."""
    from tipwatch.panel import load_placements as _load

    return _load()
