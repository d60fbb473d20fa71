"""Rendering for the CLI: rich tables for people, ``--json`` and ``--csv`` for scripts.

Colour is off when the output is not a terminal or when ``NO_COLOR`` is set (rich honours both).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@cache
def console() -> Console:
    from rich.console import Console

    return Console(soft_wrap=False)


@cache
def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


def note(message: str) -> None:
    """A one-line message for people, on stderr (never mixed into --json/--csv output)."""
    err_console().print(message, markup=False, highlight=False)


def pick_format(as_json: bool, as_csv: bool) -> Format:
    if as_json and as_csv:
        import typer

        raise typer.BadParameter("choose one of --json and --csv")
    return Format.json if as_json else Format.csv if as_csv else Format.table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def dump_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def emit_rows(
    rows: Sequence[Mapping[str, Any]],
    fmt: Format,
    *,
    title: str | None = None,
    columns: Iterable[str] | None = None,
) -> None:
    """Print records as a table, JSON array or CSV with a header (keys in a stable order)."""
    keys = list(columns) if columns is not None else _keys(rows)
    if fmt is Format.json:
        dump_json([{k: row.get(k) for k in keys} for row in rows])
        return
    if fmt is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(keys)
        for row in rows:
            writer.writerow(
                [
                    json.dumps(v, ensure_ascii=False)
                    if isinstance(v, list | dict)
                    else ("" if v is None else v)
                    for v in (row.get(k) for k in keys)
                ]
            )
        return
    from rich.table import Table
    from rich.text import Text

    # Text() keeps data literal: a name with [brackets] is never read as rich markup.
    table = Table(title=Text(title) if title else None, show_lines=False, title_justify="left")
    for key in keys:
        table.add_column(Text(key), overflow="fold")
    for row in rows:
        table.add_row(*(Text(_cell(row.get(k))) for k in keys))
    console().print(table)
    if not rows:
        note("(no rows)")


def _keys(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    keys: list[str] = []
    for row in rows:
        for key in row:
            if key not in keys:
                keys.append(key)
    return keys


def progress_factory() -> Any:
    """A progress-bar factory for the loaders: ``factory(description, total)`` -> advance."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console(),
        transient=True,
    )

    def factory(description: str, total: int | None) -> Any:
        if not progress.live.is_started:
            progress.start()
        task = progress.add_task(description, total=total)
        return lambda n: progress.advance(task, n)

    factory.stop = progress.stop  # type: ignore[attr-defined]
    return factory


@contextmanager
def working(message: str) -> Iterator[None]:
    """A spinner on stderr while a long computation runs (only on a terminal)."""
    console = err_console()
    if not console.is_terminal:
        yield
        return
    with console.status(message, spinner="dots"):
        yield
