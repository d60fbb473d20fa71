"""The ``orbitnet`` command: global options, error handling and the command groups.

Each command parses its options, makes one call into :class:`orbitnet.api.Orbitnet` and renders
the answer. Errors become one line on stderr and an exit code: 0 ok, 1 runtime error, 2 usage
error, 130 interrupted.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from orbitnet import __version__
from orbitnet.errors import OrbitnetError


def _flags_show_no_type() -> None:
    """Show no value type beside flags in ``--help``.

    Recent typer releases print a type such as ``<bool>`` beside every option, flags included,
    which reads as if ``--json`` took a value; flags take none, so they show none, as in click.
    """
    from typer import core

    shown = getattr(core.TyperOption, "display_type_rich", None)
    if shown is None or getattr(shown, "orbitnet_flags", False):
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        return None if self.is_flag else shown(self, ctx)

    display_type_rich.orbitnet_flags = True  # type: ignore[attr-defined]
    core.TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_show_no_type()


class OrbitnetGroup(TyperGroup):
    """Turns orbitnet errors and Ctrl-C into one line and an exit code, with no traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except OrbitnetError as exc:
            from orbitnet.cli.output import note

            note(f"error: {exc}")
            for problem in getattr(exc, "problems", [])[:200]:
                note(f"  {problem}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            from orbitnet.cli.output import note

            note("interrupted")
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=OrbitnetGroup,
    name="orbitnet",
    help="Map the partnerships behind space exploration: load, measure, query and draw them.",
    no_args_is_help=True,
    epilog="Example: orbitnet load && orbitnet rank --top 10 && orbitnet map --open",
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"orbitnet {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    neo4j_uri: Annotated[
        str | None,
        typer.Option(
            "--neo4j-uri",
            help="Use Neo4j at this URI (bolt://, neo4j://, neo4j+s://).",
            envvar="NEO4J_URI",
            show_envvar=True,
        ),
    ] = None,
    neo4j_user: Annotated[
        str | None, typer.Option("--neo4j-user", envvar="NEO4J_USER", help="Neo4j user name.")
    ] = None,
    neo4j_password: Annotated[
        str | None,
        typer.Option(
            "--neo4j-password",
            envvar="NEO4J_PASSWORD",
            show_default=False,
            help="Neo4j password (prefer the NEO4J_PASSWORD variable or .env).",
        ),
    ] = None,
    neo4j_database: Annotated[
        str | None,
        typer.Option("--neo4j-database", envvar="NEO4J_DATABASE", help="Neo4j database name."),
    ] = None,
    home: Annotated[
        str | None,
        typer.Option(
            "--home",
            envvar="ORBITNET_HOME",
            help="Data folder of the embedded FalkorDB (default: your user data dir).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Without Neo4j settings orbitnet starts and uses its embedded FalkorDB."""
    ctx.obj = {
        "neo4j_uri": neo4j_uri,
        "neo4j_user": neo4j_user,
        "neo4j_password": neo4j_password,
        "neo4j_database": neo4j_database,
        "home": home,
    }


def session(ctx: typer.Context) -> Any:
    """The :class:`~orbitnet.api.Orbitnet` for this invocation (store opened on first use)."""
    from orbitnet.api import Orbitnet
    from orbitnet.cli.output import note
    from orbitnet.config import Settings

    root_ctx = ctx.find_root()
    cached = root_ctx.meta.get("orbitnet.session")
    if cached is not None:
        return cached
    settings = Settings.load(**(root_ctx.obj or {}))

    def started(server: Any) -> None:
        note(f"Started the embedded FalkorDB (data in {server.home}).")

    net = Orbitnet(settings, on_start=started)
    root_ctx.meta["orbitnet.session"] = net
    root_ctx.call_on_close(net.close)
    return net


def _register() -> None:
    from orbitnet.cli import analysis, bench, data, db, interop, maps, query

    for module in (data, query, analysis, maps, interop):
        module.register(app)
    app.add_typer(db.app, name="db", rich_help_panel="Neo4j Browser and tools")
    app.add_typer(bench.app, name="bench", rich_help_panel="Neo4j Browser and tools")


_register()


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="orbitnet")
    except KeyboardInterrupt:  # pragma: no cover - outside a command
        sys.stderr.write("interrupted\n")
        sys.exit(130)
