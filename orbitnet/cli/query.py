"""``orbitnet query``, ``orbitnet run`` and ``orbitnet queries``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from orbitnet.cli.app import session
from orbitnet.cli.output import emit_rows, pick_format

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV.")]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--param", "-p", help="A parameter as key=value (value read as JSON if it parses)."
    ),
]
TimeoutOpt = Annotated[
    float, typer.Option("--timeout", min=0.001, help="Stop the query after this many seconds.")
]


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Queries")(query)
    app.command(rich_help_panel="Queries")(run)
    app.command(rich_help_panel="Queries")(queries)


def parse_params(items: list[str] | None) -> dict[str, Any]:
    from orbitnet.cypher.queries import parse_value

    params: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(
                f"{item!r}: a parameter looks like key=value", param_hint="--param"
            )
        params[key.strip()] = parse_value(value)
    return params


def query(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="A read-only Cypher query.")],
    param: ParamOpt = None,
    timeout: TimeoutOpt = 30.0,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Run a read-only Cypher query; any write is refused.

    Examples:
      orbitnet query "MATCH (o:Organization {id: \\$id})--(m:Mission) RETURN m.name" -p id=nasa
      orbitnet query "MATCH (n:Agency) RETURN n.name AS name LIMIT 5" --csv
    """
    fmt = pick_format(as_json, as_csv)
    rows = session(ctx).query(text, parse_params(param), timeout=timeout)
    emit_rows(rows, fmt)


def run(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A named query (see 'orbitnet queries').")],
    param: ParamOpt = None,
    timeout: TimeoutOpt = 30.0,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Run a named query.

    Example: orbitnet run partners -p org=esa -p kind=bilateral
    """
    fmt = pick_format(as_json, as_csv)
    rows = session(ctx).run(name, parse_params(param), timeout=timeout)
    emit_rows(rows, fmt, title=name)


def queries(as_json: JsonOpt = False, as_csv: CsvOpt = False) -> None:
    """List the named queries with their parameters.

    Example: orbitnet queries
    """
    from orbitnet.api import Orbitnet

    rows = [
        {
            "name": q.name,
            "description": q.description,
            "params": ", ".join(f"{p}={q.defaults[p]}" if p in q.defaults else p for p in q.params),
        }
        for q in Orbitnet.queries()
    ]
    emit_rows(rows, pick_format(as_json, as_csv), title="Named queries")
