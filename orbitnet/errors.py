"""orbitnet's exceptions: one tree, so callers catch what they mean.

::

    OrbitnetError                 anything orbitnet raises on purpose
    ├── ConfigError               bad settings: missing or malformed option, unknown backend
    ├── ConnectionError           no server reachable, wrong credentials, server died
    │   └── ServerStartError      the embedded FalkorDB could not be started
    ├── ValidationError           bad input data; carries file, line and field
    │   └── InvalidDataError      a whole file rejected in strict mode (holds every problem)
    ├── QueryError                the database refused a query (syntax, missing parameter, ...)
    │   ├── WriteRefusedError     a write was sent where only reads are allowed
    │   └── QueryTimeoutError     the query ran past its time limit
    └── NotFoundError             a name that resolves to no node (carries suggestions)

Driver exceptions are wrapped with ``raise ... from``; every message is one line that says what to
do next, and no message ever contains a password.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class OrbitnetError(Exception):
    """Base class of every error orbitnet raises on purpose."""

    exit_code = 1


class ConfigError(OrbitnetError):
    """Settings are missing, malformed or contradictory."""

    exit_code = 2


class ConnectionError(OrbitnetError):  # noqa: A001 - deliberately orbitnet.errors.ConnectionError
    """The database cannot be reached or refused the credentials."""


class ServerStartError(ConnectionError):
    """The embedded FalkorDB server did not start."""


@dataclass(frozen=True)
class Problem:
    """One bad value in an input file: ``file:line: field: reason``."""

    file: str
    line: int | None
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field}: {self.reason}"


class ValidationError(OrbitnetError):
    """Input data that does not fit the model."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class InvalidDataError(OrbitnetError):
    """Strict mode found bad rows; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(
            f"{n} invalid row{'s' if n != 1 else ''}; nothing was written "
            "(fix them, or load with --skip-invalid to write the valid rows)"
        )


class QueryError(OrbitnetError):
    """The database refused a query."""


class WriteRefusedError(QueryError):
    """A write was attempted through the read-only path."""


class QueryTimeoutError(QueryError):
    """A query ran past its time limit and was stopped."""


class NotFoundError(OrbitnetError):
    """A name that matches no node."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        self.suggestions = list(suggestions)
        if self.suggestions:
            message += f" (did you mean {', '.join(self.suggestions)}?)"
        super().__init__(message)
