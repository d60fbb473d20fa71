"""Network questions: rank, communities, partners, path, ego, timeline, whatif, analyze."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from orbitnet.cli.app import session
from orbitnet.cli.output import dump_json, emit_rows, note, pick_format, working

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV.")]
YearsOpt = Annotated[
    str | None, typer.Option("--years", help="Only undertakings in these years, e.g. 1998:2010.")
]
KindOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        help="Partnership kind: bilateral, multilateral, public-private, commercial (repeatable).",
    ),
]
SectorOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--sector", help="agency, company, intergovernmental, academic, defense (repeatable)."
    ),
]
CountryOpt = Annotated[
    list[str] | None, typer.Option("--country", help="ISO country code, e.g. US (repeatable).")
]
OnlyOpt = Annotated[
    list[str] | None,
    typer.Option("--only", help="Only these organisations (id, name or alias; repeatable)."),
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed for Louvain and sampling.")]


def brief(items: list[str], fmt: Any, n: int = 3) -> list[str]:
    """A long list shortened for a table (scripts get every item)."""
    if fmt.value != "table" or len(items) <= n:
        return items
    return [*items[:n], f"… +{len(items) - n} more"]


def register(app: typer.Typer) -> None:
    for command in (rank, communities, partners, path, ego, timeline, whatif, analyze):
        app.command(rich_help_panel="Network analysis")(command)


def filters(
    years: str | None,
    kind: list[str] | None,
    sector: list[str] | None,
    country: list[str] | None,
    only: list[str] | None = None,
) -> Any:
    from orbitnet.api import Filters, parse_year_range

    return Filters(
        years=parse_year_range(years) if years else None,
        kinds=kind or None,
        sectors=sector or None,
        countries=country or None,
        nodes=only or None,
    )


def rank(
    ctx: typer.Context,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="Metric: betweenness, pagerank, degree, "
            "weighted_degree, closeness, eigenvector, constraint, ...",
        ),
    ] = "betweenness",
    top: Annotated[int, typer.Option("--top", min=1, help="How many to list.")] = 10,
    years: YearsOpt = None,
    kind: KindOpt = None,
    sector: SectorOpt = None,
    country: CountryOpt = None,
    only: OnlyOpt = None,
    seed: SeedOpt = 0,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Rank organisations by a network metric (the brokers, by default).

    Example: orbitnet rank --by betweenness --top 10
    """
    fmt = pick_format(as_json, as_csv)
    with working("Computing metrics…"):
        result = session(ctx).rank(
            by=by, top=top, filters=filters(years, kind, sector, country, only), seed=seed
        )
    if as_json:
        dump_json(result)
        return
    emit_rows(result["rows"], fmt, title=f"Top {top} by {by}")
    s = result["summary"]
    if fmt.value == "table" and by == "betweenness" and not s.get("betweenness_exact", True):
        note(f"betweenness sampled with k={s.get('betweenness_k')} pivots")


def communities(
    ctx: typer.Context,
    years: YearsOpt = None,
    kind: KindOpt = None,
    sector: SectorOpt = None,
    country: CountryOpt = None,
    only: OnlyOpt = None,
    resolution: Annotated[
        float, typer.Option("--resolution", min=0.01, help="Below 1: fewer, larger communities.")
    ] = 1.0,
    seed: SeedOpt = 0,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Louvain communities of the partnership network, with their modularity.

    Example: orbitnet communities --sector agency --sector intergovernmental --years 1984:2010
    """
    fmt = pick_format(as_json, as_csv)
    with working("Finding communities…"):
        result = session(ctx).communities(
            filters(years, kind, sector, country, only), resolution=resolution, seed=seed
        )
    if as_json:
        dump_json(result)
        return
    emit_rows(result["communities"], fmt, title="Communities")
    if fmt.value == "table" and result["modularity"] is not None:
        note(f"modularity {result['modularity']:.3f}")


def partners(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="An organisation: id, name or alias.")],
    kind: Annotated[str | None, typer.Option("--kind", help="Only this partnership kind.")] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """The partners of one organisation, strongest first.

    Example: orbitnet partners NASA --kind public-private
    """
    fmt = pick_format(as_json, as_csv)
    result = session(ctx).partners(name, kind=kind)
    if as_json:
        dump_json(result)
        return
    rows = [{**r, "missions": brief(r["missions"] or [], fmt)} for r in result["rows"]]
    emit_rows(rows, fmt, title=f"Partners of {result['name']}")


def path(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="From this organisation.")],
    target: Annotated[str, typer.Argument(help="To this organisation.")],
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """The shortest chain of partnerships between two organisations, hop by hop.

    Example: orbitnet path CNSA NASA
    """
    fmt = pick_format(as_json, as_csv)
    result = session(ctx).path(source, target)
    if as_json:
        dump_json(result)
        return
    rows = [
        {
            "hop": i + 1,
            "from": h["source_name"],
            "to": h["target_name"],
            "kind": h["kind"],
            "through": brief(
                [
                    f"{u['name']} ({u['year']})" if u.get("year") else u["name"]
                    for u in h["undertakings"]
                ],
                fmt,
            ),
        }
        for i, h in enumerate(result["hops"])
    ]
    emit_rows(rows, fmt, title=f"{result['source']} → {result['target']}")


def ego(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The organisation at the centre.")],
    hops: Annotated[int, typer.Option("--hops", min=1, max=6, help="How many steps out.")] = 1,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """The ego network of an organisation: everyone within N partnership hops.

    Example: orbitnet ego ESA --hops 2
    """
    import networkx as nx

    fmt = pick_format(as_json, as_csv)
    net = session(ctx)
    G = net.ego(name, hops=hops)
    center = net.resolve(name)
    lengths = nx.single_source_shortest_path_length(G, center)
    rows = sorted(
        (
            {
                "id": n,
                "name": d.get("name"),
                "sector": d.get("sector"),
                "hops": lengths.get(n),
                "partners_in_view": G.degree(n),
            }
            for n, d in G.nodes(data=True)
        ),
        key=lambda r: (r["hops"] if r["hops"] is not None else 99, r["id"]),
    )
    if as_json:
        dump_json(
            {
                "center": center,
                "hops": hops,
                "nodes": rows,
                "edges": [
                    {"source": a, "target": b, "kind": d.get("kind"), "weight": d.get("weight")}
                    for a, b, d in G.edges(data=True)
                ],
            }
        )
        return
    emit_rows(rows, fmt, title=f"Within {hops} hop(s) of {center}")
    if fmt.value == "table":
        note(f"{G.number_of_nodes()} organisations, {G.number_of_edges()} partnerships")


def timeline(
    ctx: typer.Context,
    years: YearsOpt = None,
    seed: SeedOpt = 0,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """How the network grew: one row per year (cumulative).

    Example: orbitnet timeline --years 1975:2025 --csv
    """
    from orbitnet.api import parse_year_range

    fmt = pick_format(as_json, as_csv)
    with working("Building the timeline…"):
        rows = session(ctx).timeline(years=parse_year_range(years) if years else None, seed=seed)
    emit_rows(rows, fmt, title="Timeline")


def whatif(
    ctx: typer.Context,
    remove: Annotated[
        list[str], typer.Option("--remove", "-r", help="An organisation to remove (repeatable).")
    ],
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """What breaks if organisations leave: components, efficiency, lost links.

    Example: orbitnet whatif --remove roscosmos
    """
    fmt = pick_format(as_json, as_csv)
    with working("Removing and measuring…"):
        result = session(ctx).whatif(remove)
    if as_json:
        dump_json(result)
        return
    b, a = result["before"], result["after"]
    rows = [{"measure": k, "before": b[k], "after": a[k]} for k in b]
    rows.append(
        {"measure": "disconnected_pairs", "before": 0, "after": result["disconnected_pairs"]}
    )
    emit_rows(rows, fmt, title=f"Without {', '.join(result['removed'])}")
    if fmt.value == "table":
        lonely = result["single_partner_missions"]
        note(
            f"{len(lonely)} undertakings left with a single partner"
            + (f": {', '.join(lonely[:15])}{' …' if len(lonely) > 15 else ''}" if lonely else "")
        )


def analyze(
    ctx: typer.Context,
    write: Annotated[
        bool, typer.Option("--write", help="Store metrics as node properties.")
    ] = False,
    years: YearsOpt = None,
    kind: KindOpt = None,
    sector: SectorOpt = None,
    country: CountryOpt = None,
    only: OnlyOpt = None,
    seed: SeedOpt = 0,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Compute every metric; --write stores them (betweenness, pagerank, community, ...).

    Example: orbitnet analyze --write
    """
    fmt = pick_format(as_json, as_csv)
    with working("Computing metrics…"):
        result = session(ctx).analyze(
            write=write, filters=filters(years, kind, sector, country, only), seed=seed
        )
    if as_json:
        dump_json(
            {"summary": result["summary"], "written": result["written"], "nodes": result["nodes"]}
        )
        return
    if fmt.value == "csv":
        emit_rows([{"id": n, **v} for n, v in result["nodes"].items()], fmt)
        return
    emit_rows(
        [{"measure": k, "value": v} for k, v in result["summary"].items()],
        fmt,
        title="Network summary",
    )
    if write:
        note(f"wrote metrics on {result['written']} organisations")
