"""One exception type per failure kind; the CLI and API turn them into one-line messages.

Exit codes: 2 = bad input (the user can fix it), 1 = internal failure.
"""

from __future__ import annotations


class TipwatchError(Exception):
    """Base class. ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class BadInputError(TipwatchError):
    """Something the user gave us is wrong: exit code 2."""

    exit_code = 2


class UnknownCountryError(BadInputError):
    """A country name that the identity table does not know."""

    def __init__(self, name: str, suggestions: list[str] | None = None, where: str = "") -> None:
        self.name = name
        self.suggestions = suggestions or []
        msg = f"unknown country {name!r}"
        if where:
            msg += f" ({where})"
        if self.suggestions:
            msg += "; did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)


class UnknownYearError(BadInputError):
    """A report year outside the panel or outside the law's range."""


class MalformedInputError(BadInputError):
    """A file that cannot be read as what it claims to be (says what and where)."""


class NotWritableError(BadInputError):
    """An output path that cannot be written."""


class DataCheckError(TipwatchError):
    """The bundled data failed one of its checks (a defect in the data, not the user's input)."""


class InternalError(TipwatchError):
    """A bug or an environment failure."""


class NestingTooDeepError(MalformedInputError):
    """YAML or JSON nested deeper than :data:`tipwatch.limits.MAX_DEPTH`."""


class DiskFullError(BadInputError):
    """No space left on the device while writing an output (the user can free space)."""

    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"disk full writing {path}")


class StoreDamagedError(BadInputError):
    """The store file is truncated or corrupt."""

    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"store file {path} is damaged: rebuild it with `tipwatch build`")
