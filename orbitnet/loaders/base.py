"""What every loader yields: validated records with their place in the file, or problems.

A loader is a function ``read_xxx(path, ...) -> Iterator[Item]``. It never writes: the records go
to the store through :func:`orbitnet.loaders.pipeline.load_items`, which checks references, writes
in batches and recomputes the derived collaboration edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pydantic

from orbitnet.errors import Problem
from orbitnet.model import AnyRecord

R = TypeVar("R", bound=pydantic.BaseModel)


@dataclass(frozen=True)
class Located:
    """A valid record and where it came from."""

    record: AnyRecord
    file: str
    line: int | None = None


@dataclass(frozen=True)
class Rejected:
    """A row that could not become a record."""

    problem: Problem
    raw: Mapping[str, Any] | str | None = field(default=None, compare=False)


Item = Located | Rejected


def validate(
    model: type[R], data: Mapping[str, Any], *, file: str, line: int | None, prefix: str = ""
) -> R | list[Problem]:
    """Build ``model`` from ``data``; on failure, one :class:`Problem` per bad field."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"]) or "(row)"
            reason = error["msg"]
            if error["type"] == "extra_forbidden":
                reason = "unknown field"
            elif error["type"] == "missing":
                reason = "required field is missing"
            problems.append(Problem(file, line, prefix + where, reason))
        return problems


def located_or_rejected(
    model: type[Any],
    data: Mapping[str, Any],
    *,
    file: str,
    line: int | None,
    raw: Mapping[str, Any] | str | None = None,
) -> Iterator[Item]:
    """Yield one :class:`Located` for valid data, else one :class:`Rejected` per problem."""
    result = validate(model, data, file=file, line=line)
    if isinstance(result, list):
        for problem in result:
            yield Rejected(problem, raw if raw is not None else dict(data))
    else:
        yield Located(result, file, line)


def split(items: Iterable[Item]) -> tuple[list[Located], list[Rejected]]:
    good: list[Located] = []
    bad: list[Rejected] = []
    for item in items:
        (good if isinstance(item, Located) else bad).append(item)  # type: ignore[arg-type]
    return good, bad
