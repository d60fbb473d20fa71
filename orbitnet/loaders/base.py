"""What every loader yields: validated records with their place in the file, or problems.

A loader is a function ``read_xxx(path, ...) -> Iterator[Item]``. It never writes: the records go
to the store through :func:`orbitnet.loaders.pipeline.load_items`, which checks references, writes
in batches and recomputes the derived collaboration edges.
"""

from __future__ import annotations

import unicodedata
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

_PREVIEW_ITEMS = 500
_PREVIEW_DEPTH = 8
_PREVIEW_TEXT = 2000


def bounded(value: Any) -> Any:
    """A JSON-ready copy of a raw value, cut to at most a few hundred items, eight levels and
    2,000 characters a string.

    Raw input is shown back in rejects files and messages; YAML anchors can make a 300-byte
    file hold a billion strings, or a mapping that contains itself, so it is never serialised
    whole.

    >>> bounded({"a": ["x" * 3000]})["a"][0][-1]
    '…'
    """
    budget = [_PREVIEW_ITEMS]

    def cut(text: str) -> str:
        return text if len(text) <= _PREVIEW_TEXT else text[:_PREVIEW_TEXT] + "…"

    def walk(item: Any, depth: int) -> Any:
        budget[0] -= 1
        if item is None or isinstance(item, bool | int | float):
            return item
        if isinstance(item, str):
            return cut(item)
        if depth >= _PREVIEW_DEPTH or budget[0] <= 0:
            return "…"
        if isinstance(item, Mapping):
            out: dict[str, Any] = {}
            for key, sub in item.items():
                if budget[0] <= 0:
                    out["…"] = "…"
                    break
                out[cut(str(key))] = walk(sub, depth + 1)
            return out
        if isinstance(item, list | tuple | set | frozenset):
            seq: list[Any] = []
            for sub in item:
                if budget[0] <= 0:
                    seq.append("…")
                    break
                seq.append(walk(sub, depth + 1))
            return seq
        return cut(str(item))

    return walk(value, 0)


def one_line(text: str) -> str:
    """``text`` as it is, or its ``repr`` if it holds a line break, another control character or
    a lone surrogate, so that a key or cell from a hostile file cannot break a message into
    lines or make it unprintable.

    >>> one_line("sector"), one_line("a\\nb")
    ('sector', "'a\\\\nb'")
    """
    if any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") for c in text):
        return repr(text)
    return text


def yaml_failure(exc: Exception, text: str) -> tuple[int | None, str]:
    """Where and why PyYAML could not read ``text``: ``(line or None, one-line reason)``.

    Covers its syntax errors (with the line of the problem, or of a character YAML does not
    allow), nesting too deep for the parser (``RecursionError``) and its constructors' own
    failures on values they cannot build: a date such as 2020-02-30 (``ValueError``),
    ``!!timestamp x`` (``AttributeError``), ``!!bool x``...
    """
    import yaml

    if isinstance(exc, yaml.YAMLError):
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
            line = text[: exc.position].count("\n") + 1
        # str(exc) adds an indented "in <unicode string>" line: keep the first one
        reason = (str(getattr(exc, "problem", None) or exc).strip().splitlines() or ["?"])[0]
        return line, reason
    if isinstance(exc, RecursionError):
        return None, "nested too deeply"
    return None, f"a value cannot be read: {one_line(str(exc) or type(exc).__name__)}"


def validate(
    model: type[R], data: Mapping[str, Any], *, file: str, line: int | None, prefix: str = ""
) -> R | list[Problem]:
    """Build ``model`` from ``data``; on failure, one :class:`Problem` per bad field."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(one_line(str(p)) for p in error["loc"]) or "(row)"
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
