"""Export (orbitnet.export) and the loaders that read exports back, against a real FalkorDB.

The round trips: load the curated dataset (and stored metrics), snapshot the graph, export,
clear, load the file back with the matching loader (or run the Cypher script), snapshot again:
the two must be equal. The same with names built to break quoting in every format.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orbitnet.api import Orbitnet
from orbitnet.cypher.script import cypher_string, cypher_value, split_statements
from orbitnet.cypher.statements import neo4j_schema
from orbitnet.cypher.store import Store
from orbitnet.errors import ConfigError
from orbitnet.export import FORMATS, export_graph, guess_format, read_graph
from orbitnet.export.graph import metric_names
from orbitnet.loaders.base import Item, Located, Rejected, split
from orbitnet.loaders.curated import read_curated
from orbitnet.loaders.cytoscape import read_cytoscape_json
from orbitnet.loaders.graph_files import read_graph_file
from orbitnet.loaders.neo4j_admin import read_neo4j_admin
from orbitnet.loaders.pipeline import load_items
from orbitnet.model import (
    Agreement,
    Contract,
    Country,
    Label,
    Membership,
    Mission,
    Organization,
    Participation,
    Program,
    RelType,
    Signature,
)

ROOT = Path(__file__).resolve().parents[1]
LINT_TOOL = ROOT / "tools" / "cypher-lint"
METRICS = frozenset(metric_names())

FILE_NAMES = {
    "graphml": "graph.graphml",
    "gexf": "graph.gexf",
    "cytoscape": "graph.cyjs",
    "neo4j-csv": "neo4j-import",
    "cypher": "graph.cypher",
}
READERS: dict[str, Callable[[Path], Iterable[Item]]] = {
    "graphml": read_graph_file,
    "gexf": read_graph_file,
    "cytoscape": read_cytoscape_json,
    "neo4j-csv": read_neo4j_admin,
}


# ------------------------------------------------------------------------------------ helpers


def _norm(value: Any) -> Any:
    """Values as comparable JSON: floats to 12 significant digits (FalkorDB keeps 15), NaN
    as text."""
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else float(f"{value:.12g}")
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def snapshot(store: Store, *, metrics: bool = False) -> tuple[list[str], list[str]]:
    """Every node (labels, properties) and relationship (start, type, end, properties)."""
    nodes = []
    for row in store.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"):
        props = {k: _norm(v) for k, v in row["props"].items() if metrics or k not in METRICS}
        nodes.append(json.dumps([sorted(row["labels"]), props], sort_keys=True))
    rels = []
    query = (
        "MATCH (a)-[r]->(b) RETURN a.id AS a, labels(a) AS la, type(r) AS type, "
        "b.id AS b, labels(b) AS lb, properties(r) AS props"
    )
    for row in store.read(query):
        props = {k: _norm(v) for k, v in row["props"].items()}
        rels.append(
            json.dumps(
                [row["a"], sorted(row["la"]), row["type"], row["b"], sorted(row["lb"]), props],
                sort_keys=True,
            )
        )
    return sorted(nodes), sorted(rels)


def load_back(store: Store, fmt: str, path: Path) -> None:
    items = list(READERS[fmt](path))
    bad = [i for i in items if isinstance(i, Rejected)]
    assert bad == [], [str(b.problem) for b in bad]
    load_items(store, items)


def run_script(store: Store, path: Path) -> int:
    """Run an exported Cypher script statement by statement; returns how many ran."""
    text = path.read_text(encoding="utf-8")
    ran = 0
    for statement in split_statements(text):
        if statement.startswith("CREATE CONSTRAINT") and store.backend == "falkordb":
            continue  # FalkorDB has no CREATE CONSTRAINT; the fixture set the schema up
        store.execute(statement)
        ran += 1
    return ran


def round_trip(store: Store, fmt: str, tmp_path: Path, **options: Any):
    """Export, clear, read back; returns (before, after, summary)."""
    metrics = fmt == "cypher"
    before = snapshot(store, metrics=metrics)
    path = tmp_path / FILE_NAMES[fmt]
    summary = export_graph(store, path, fmt, **options)
    store.clear()
    assert snapshot(store) == ([], [])
    if fmt == "cypher":
        run_script(store, path)
    else:
        load_back(store, fmt, path)
    return before, snapshot(store, metrics=metrics), summary


def _load_curated(store: Store) -> Store:
    load_items(store, read_curated())
    assert Orbitnet(store=store).analyze(write=True)["written"] > 0
    return store


@pytest.fixture
def curated(store: Store) -> Store:
    """The curated dataset with every metric stored (``orbitnet analyze --write``)."""
    return _load_curated(store)


# ---------------------------------------------------------------------- curated round trips


@pytest.mark.parametrize("fmt", FORMATS)
def test_curated_round_trip(curated: Store, fmt: str, tmp_path: Path) -> None:
    before, after, summary = round_trip(curated, fmt, tmp_path)
    assert after == before
    assert summary.format == fmt
    assert summary.warnings == []
    counts = curated.read("MATCH (n:Organization) RETURN count(n) AS n")
    assert summary.nodes["Organization"] == counts[0]["n"] > 100
    assert summary.derived == (fmt not in ("graphml", "gexf"))
    assert ("COLLABORATES_WITH" in summary.relationships) == summary.derived


def test_round_trip_without_metrics_or_derived_edges(curated: Store, tmp_path: Path) -> None:
    path = tmp_path / "plain.cypher"
    summary = export_graph(curated, path, include_derived=False, include_metrics=False)
    assert "COLLABORATES_WITH" not in summary.relationships
    text = path.read_text(encoding="utf-8")
    assert "COLLABORATES_WITH" not in text
    assert "`pagerank`" not in text
    before = snapshot(curated)
    curated.clear()
    run_script(curated, path)
    nodes, rels = before
    assert snapshot(curated) == (nodes, [r for r in rels if '"COLLABORATES_WITH"' not in r])


def test_files_are_standard(curated: Store, tmp_path: Path) -> None:
    """NetworkX (as Gephi and Cytoscape do) reads the XML; Cytoscape.js ids are consistent."""
    import networkx as nx

    record_edges = curated.read(
        "MATCH ()-[r]->() WHERE type(r) IN ['PARTICIPATES_IN', 'SIGNED', 'MEMBER_OF', "
        "'CONTRACTS'] RETURN count(r) AS n"
    )[0]["n"]
    n_nodes = curated.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        export_graph(curated, tmp_path / f"g.{fmt}")
        graph = read(tmp_path / f"g.{fmt}")
        assert (graph.number_of_nodes(), graph.number_of_edges()) == (n_nodes, record_edges)
        assert graph.nodes["nasa"]["record"] == "organization"
    export_graph(curated, tmp_path / "g.json")
    doc = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    nodes = [e["data"]["id"] for e in doc["elements"]["nodes"]]
    edges = [e["data"] for e in doc["elements"]["edges"]]
    assert len(nodes) == n_nodes and len(set(nodes) | {e["id"] for e in edges}) == n_nodes + len(
        edges
    )
    assert all(e["source"] in set(nodes) and e["target"] in set(nodes) for e in edges)


def test_metrics_are_exported(curated: Store, tmp_path: Path) -> None:
    export_graph(curated, tmp_path / "g.json")
    doc = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    nasa = next(n["data"] for n in doc["elements"]["nodes"] if n["data"]["id"] == "nasa")
    assert {"degree", "pagerank", "community"} <= set(nasa)
    export_graph(curated, tmp_path / "g.graphml")
    assert 'attr.name="pagerank" attr.type="double"' in (tmp_path / "g.graphml").read_text()


def test_cypher_script_batches_and_splitting(curated: Store, tmp_path: Path) -> None:
    path = tmp_path / "small-batches.cypher"
    summary = export_graph(curated, path, "cypher", batch_size=50)
    text = path.read_text(encoding="utf-8")
    # The trivial split on ';\n' is the real one: statements end with ';' at a line's end and
    # no other line does (string values never contain a raw line break).
    pieces = [p for p in text.split(";\n") if p.strip()]
    assert len(pieces) == summary.statements == len(split_statements(text))
    for statement in split_statements(text):
        assert statement.count("\n") <= 50 + 6
        assert not any(line.endswith(";") for line in statement.split("\n"))
        assert statement.startswith(("CREATE CONSTRAINT", "UNWIND ["))
    schema = [s for s in split_statements(text) if s.startswith("CREATE CONSTRAINT")]
    assert schema == neo4j_schema()
    before = snapshot(curated, metrics=True)
    curated.clear()
    assert run_script(curated, path) == summary.statements - len(schema)
    assert snapshot(curated, metrics=True) == before


def test_cypher_script_runs_twice_only_into_an_empty_graph(curated: Store, tmp_path: Path) -> None:
    """CREATE, not MERGE: a second run is refused by the uniqueness constraints instead of
    doubling relationships."""
    path = tmp_path / "g.cypher"
    export_graph(curated, path)
    with pytest.raises(Exception, match=r"(?i)constraint|unique|already"):
        run_script(curated, path)


# ----------------------------------------------------------------------------- hostile names

HOSTILE = [
    'O\'Brien "Space" Agency',
    "back\\slash \\' \\n (not a newline) \\\\ \\u0041",
    "`backtick` `) DETACH DELETE n //",
    "'); MATCH (n) DETACH DELETE n; //",
    "line one\nline two\r\nline three\rfour\n;\n",
    'tab\there, comma, "quote"',
    "<script>alert('x')</script> & &amp; ]]> <!-- --> <![CDATA[ x ]]>",
    "Ünïcödé 日本語 🚀 עברית \u2028 \u2029 \u0085 \ufeff ﷽",
    '"; DROP TABLE x; -- \\" ',
    "semi;colon;list",
    "\\",
    "'",
    "$param {map: 1} /* comment */ // comment",
    '""',
]


def hostile_items() -> list[Item]:
    h = HOSTILE
    records = [
        Country(id="zz", name=h[4], source=h[12]),
        Organization(
            id="hostile-org",
            name=h[0],
            sector="agency",
            country="ZZ",
            founded=1990,
            aliases=(h[1], h[3], "a;b", h[7], h[13]),
            url=h[6],
            source=h[8],
        ),
        Organization(
            id="child-org", name=h[7], sector="company", parent="hostile-org", source=h[3]
        ),
        Program(id="prog", name=h[5], source=h[10]),
        Mission(
            id="m1",
            name=h[2],
            kind="lunar",
            destination=h[8],
            programs=("prog",),
            launch_year=2020,
            status="active",
            uncertain=True,
        ),
        Agreement(id="ag", name=h[9], kind="bilateral", signed=dt.date(2001, 2, 3), program="prog"),
        Participation(org="hostile-org", target="m1", role="lead", contribution=h[1], source=h[10]),
        Participation(
            org="child-org", target="m1", role="partner", contribution=h[11], uncertain=True
        ),
        Participation(org="child-org", target="prog", role="funding", contribution=h[6]),
        Signature(signer="hostile-org", agreement="ag", date=dt.date(2001, 2, 3), source=h[3]),
        Signature(signer="zz", agreement="ag", source=h[4]),
        Membership(country="zz", org="hostile-org", since=2000, source=h[6]),
        Contract(
            customer="hostile-org",
            contractor="child-org",
            program="prog",
            year=2021,
            value=h[4],
            source=h[0],
        ),
        Contract(customer="hostile-org", contractor="child-org", value=h[12]),
    ]
    return [Located(r, "hostile", i + 1) for i, r in enumerate(records)]


def _load_hostile(store: Store) -> Store:
    summary = load_items(store, hostile_items())
    assert summary.rejected == 0
    assert summary.collaborations > 0
    names = {r["name"] for r in store.read("MATCH (n) RETURN n.name AS name")}
    assert {HOSTILE[0], HOSTILE[2], HOSTILE[5], HOSTILE[7], HOSTILE[9]} <= names
    return store


@pytest.fixture
def hostile(store: Store) -> Store:
    """Names and values built to break quoting, escaping and splitting."""
    return _load_hostile(store)


@pytest.fixture(params=["curated", "hostile"])
def dataset(request: pytest.FixtureRequest, store: Store) -> Store:
    return _load_curated(store) if request.param == "curated" else _load_hostile(store)


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_names_round_trip(hostile: Store, fmt: str, tmp_path: Path) -> None:
    before, after, summary = round_trip(hostile, fmt, tmp_path)
    assert after == before
    assert summary.warnings == []
    aliases = hostile.read("MATCH (o:Organization {id: 'hostile-org'}) RETURN o.aliases AS a")
    assert aliases[0]["a"] == [HOSTILE[1], HOSTILE[3], "a;b", HOSTILE[7], HOSTILE[13]]


def test_hostile_cypher_script_is_inert_text(hostile: Store, tmp_path: Path) -> None:
    path = tmp_path / "g.cypher"
    export_graph(hostile, path)
    text = path.read_text(encoding="utf-8")
    statements = split_statements(text)
    data_lines = [line for s in statements for line in s.split("\n") if line.startswith("{")]
    assert data_lines, "row lines start with '{'"
    # No line outside the rows holds data, and every row line is one literal map.
    for statement in statements:
        for line in statement.split("\n"):
            if not line.startswith("{"):
                assert re.fullmatch(
                    r"CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \(n:\w+\) REQUIRE n\.id IS UNIQUE"
                    r"|UNWIND \[|\] AS row|CREATE \(n(:\w+)+\)|SET [nr] \+= row(\.props)?"
                    r"|MATCH \([ab]:\w+ \{id: row\.(src|dst)\}\)|CREATE \(a\)-\[r:\w+\]->\(b\)",
                    line,
                ), line
    assert "\n'); MATCH" not in text and "\nMATCH (n) DETACH DELETE" not in text


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_cannot_hold_control_characters(store: Store, fmt: str, tmp_path: Path) -> None:
    load_items(
        store,
        [Located(Program(id="p", name="bell\x07 and nul-ish \x01 text"), "x", 1)],
    )
    summary = export_graph(store, tmp_path / f"g.{fmt}")
    assert any("U+FFFD" in w for w in summary.warnings)
    good, bad = split(read_graph_file(tmp_path / f"g.{fmt}"))
    assert bad == []
    assert good[0].record.name == "bell\ufffd and nul-ish \ufffd text"


@pytest.mark.parametrize("fmt", ["cytoscape", "neo4j-csv", "cypher"])
def test_control_characters_round_trip_elsewhere(store: Store, fmt: str, tmp_path: Path) -> None:
    load_items(store, [Located(Program(id="p", name="bell\x07 \x01 \x1f\x7f text"), "x", 1)])
    before, after, summary = round_trip(store, fmt, tmp_path)
    assert after == before
    assert summary.warnings == []


def test_graphml_warns_about_pipes_in_lists(store: Store, tmp_path: Path) -> None:
    org = Organization(id="o", name="O", sector="company", aliases=("A|B", "C"))
    load_items(store, [Located(org, "x", 1)])
    summary = export_graph(store, tmp_path / "g.graphml")
    assert any("'|'" in w and "o.aliases" in w for w in summary.warnings)


def test_csv_array_delimiter_avoids_values(hostile: Store, tmp_path: Path) -> None:
    export_graph(hostile, tmp_path / "out", "neo4j-csv")
    manifest = json.loads((tmp_path / "out" / "orbitnet-import.json").read_text())
    assert manifest["array_delimiter"] == "|"  # ';' occurs in an alias
    assert manifest["multiline_fields"] is True
    readme = (tmp_path / "out" / "README.txt").read_text()
    assert '--array-delimiter="|"' in readme
    assert "--multiline-fields=true" in readme


# --------------------------------------------------------------------- neo4j-admin headers

_HEADER_TYPES = {
    "int",
    "long",
    "float",
    "double",
    "boolean",
    "byte",
    "short",
    "char",
    "string",
    "point",
    "date",
    "localtime",
    "time",
    "localdatetime",
    "datetime",
    "duration",
}


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, strict=True))


def test_neo4j_admin_files_are_valid(dataset: Store, tmp_path: Path) -> None:
    store = dataset
    folder = tmp_path / "import"
    summary = export_graph(store, folder, "neo4j-csv")
    manifest = json.loads((folder / "orbitnet-import.json").read_text())
    readme = (folder / "README.txt").read_text()
    assert "neo4j-admin database import full neo4j" in readme
    labels = {lbl.value for lbl in Label}
    id_labels = {"Organization", "Country", "Mission", "Program", "Agreement"}
    total_nodes = 0
    for name in manifest["nodes"]:
        assert f"--nodes={name}" in readme
        rows = _csv_rows(folder / name)
        header = rows[0]
        ids = [h for h in header if re.fullmatch(r"id:ID\((\w+)\)", h)]
        assert len(ids) == 1 and ids[0][6:-1] in id_labels, header
        assert header.count(":LABEL") == 1
        names = []
        for field in header:
            if field in (ids[0], ":LABEL"):
                continue
            match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*):(\w+)(\[\])?", field)
            assert match and match[2] in _HEADER_TYPES, field
            names.append(match[1])
        assert len(names) == len(set(names)) and "id" not in names
        label_column = header.index(":LABEL")
        for row in rows[1:]:
            assert len(row) == len(header)
            row_labels = row[label_column].split(manifest["array_delimiter"])
            assert row_labels[0] == ids[0][6:-1] and set(row_labels) <= labels
        total_nodes += len(rows) - 1
    assert total_nodes == sum(summary.nodes.values())
    total_rels = 0
    for name in manifest["relationships"]:
        assert f"--relationships={name}" in readme
        rows = _csv_rows(folder / name)
        header = rows[0]
        assert re.fullmatch(r":START_ID\((\w+)\)", header[0])[1] in id_labels
        assert re.fullmatch(r":END_ID\((\w+)\)", header[1])[1] in id_labels
        assert header[2] == ":TYPE"
        for field in header[3:]:
            match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*):(\w+)(\[\])?", field)
            assert match and match[2] in _HEADER_TYPES, field
        for row in rows[1:]:
            assert len(row) == len(header) and row[2] in {t.value for t in RelType}
        total_rels += len(rows) - 1
    assert total_rels == sum(summary.relationships.values())
    constraints = (folder / "constraints.cypher").read_text()
    assert constraints == "".join(f"{s};\n" for s in neo4j_schema())


def test_neo4j_csv_typed_headers(curated: Store, tmp_path: Path) -> None:
    export_graph(curated, tmp_path / "out", "neo4j-csv")
    missions = _csv_rows(tmp_path / "out" / "nodes-Mission.csv")[0]
    assert "launch_year:int" in missions and "status:string" in missions
    orgs = _csv_rows(tmp_path / "out" / "nodes-Organization.csv")[0]
    assert orgs[:2] == ["id:ID(Organization)", ":LABEL"]
    assert "aliases:string[]" in orgs and "pagerank:double" in orgs
    assert "founded:int" in orgs and "articulation:boolean" in orgs
    collab = _csv_rows(
        tmp_path / "out" / "relationships-COLLABORATES_WITH-Organization-Organization.csv"
    )[0]
    assert collab[:3] == [":START_ID(Organization)", ":END_ID(Organization)", ":TYPE"]
    assert "weight:double" in collab and "missions:string[]" in collab


def test_neo4j_csv_export_replaces_an_earlier_one(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    load_items(store, hostile_items())
    export_graph(store, folder, "neo4j-csv")
    assert (folder / "relationships-CONTRACTS-Organization-Organization.csv").exists()
    store.clear()
    load_items(store, [Located(Program(id="p", name="P"), "x", 1)])
    export_graph(store, folder, "neo4j-csv")
    assert sorted(p.name for p in folder.glob("*.csv")) == ["nodes-Program.csv"]


# --------------------------------------------------------- Neo4j's linter on the script


def _lint(statements: list[str]) -> dict[str, list[dict[str, Any]]]:
    node, npm = shutil.which("node"), shutil.which("npm")
    ci = os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}
    if node is None or not (LINT_TOOL / "node_modules" / "@neo4j-cypher").is_dir():
        if ci:
            pytest.fail("node and tools/cypher-lint/node_modules are needed in CI")
        pytest.skip("Neo4j's Cypher linter is not installed (npm ci in tools/cypher-lint)")
    del npm
    payload = [{"name": f"s{i}", "query": q, "params": []} for i, q in enumerate(statements)]
    proc = subprocess.run(
        [node, str(LINT_TOOL / "lint.mjs")],
        input=json.dumps(payload),
        cwd=LINT_TOOL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {r["name"]: r["errors"] for r in json.loads(proc.stdout)}


def test_neo4j_parses_the_script(dataset: Store, tmp_path: Path) -> None:
    export_graph(dataset, tmp_path / "g.cypher")
    statements = split_statements((tmp_path / "g.cypher").read_text(encoding="utf-8"))
    errors = _lint(statements)
    bad = {name: errs for name, errs in errors.items() if errs}
    assert bad == {}, {n: (statements[int(n[1:])][:300], e) for n, e in bad.items()}


def test_linter_rejects_a_broken_literal() -> None:
    errors = _lint(["RETURN 'it's' AS x", "RETURN " + cypher_string("it's") + " AS x"])
    assert errors["s0"] and not errors["s1"]


# ------------------------------------------------------------- Cypher literals on FalkorDB


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
    # FalkorDB replies with 15 digits (numbers near the largest double come back as inf) and
    # refuses subnormal literals, as it refuses such parameters: it cannot store them.
    number=st.floats(-1e300, 1e300).filter(lambda x: x == 0 or abs(x) > 1e-300)
    | st.integers(-(2**63) + 1, 2**63 - 1),
)
def test_literals_read_back_exactly(falkor_store: Store, text: str, number: float) -> None:
    literal = cypher_value([text, number, True])
    assert "\n" not in literal and "\r" not in literal
    row = falkor_store.read(f"RETURN {literal} AS v")[0]["v"]
    assert row[0] == text
    assert row[2] is True
    if isinstance(number, float):
        assert row[1] == pytest.approx(number, rel=1e-14, abs=0)  # FalkorDB keeps 15 digits
    else:
        assert row[1] == number


def test_non_finite_numbers(falkor_store: Store) -> None:
    value = falkor_store.read(f"RETURN {cypher_value([math.nan, math.inf, -math.inf])} AS v")
    nan, inf, ninf = value[0]["v"]
    assert math.isnan(nan) and inf == math.inf and ninf == -math.inf


# ---------------------------------------------------------------------------------- loaders


def _write_json(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_cytoscape_loader_problems(tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"elements": {\n  "nodes": [\n    {"data": }\n]}}', encoding="utf-8")
    (item,) = list(read_cytoscape_json(bad_json))
    assert isinstance(item, Rejected) and item.problem.line == 3

    doc = {
        "elements": {
            "nodes": [
                {
                    "data": {
                        "id": "nasa",
                        "record": "organization",
                        "name": "NASA",
                        "sector": "agency",
                    }
                },
                {"data": {"id": "x", "record": "spaceship", "name": "X"}},
                {
                    "data": {
                        "id": "jwst",
                        "labels": ["Mission"],
                        "name": "JWST",
                        "kind": "observatory",
                        "lauch_year": 2021,
                    }
                },
                {
                    "data": {
                        "id": "esa",
                        "record": "organization",
                        "name": "ESA",
                        "sector": "intergovernmental",
                    }
                },
            ],
            "edges": [
                {"data": {"id": "e0", "source": "nasa", "target": "jwst", "type": "LIKES"}},
                {"data": {"id": "e1", "source": "nasa", "target": "esa", "type": "PART_OF"}},
                {"data": {"id": "e2", "source": "nasa", "target": "jwst", "type": "PART_OF"}},
                {"data": {"id": "e3", "source": "nasa", "target": "jwst", "role": "lead"}},
            ],
        }
    }
    good, bad = split(read_cytoscape_json(_write_json(tmp_path / "g.json", doc)))
    fields = sorted(b.problem.field for b in bad)
    assert fields == [
        "elements.edges[0].type",
        "elements.edges[2].(relationship)",
        "elements.nodes[1].record",
        "elements.nodes[2].lauch_year",
    ]
    records = {type(i.record).__name__: i.record for i in good}
    assert records["Organization"].id in ("nasa", "esa")
    nasa = next(i.record for i in good if getattr(i.record, "id", "") == "nasa")
    assert nasa.parent == "esa"
    assert records["Participation"].role.value == "lead"  # e3: inferred, role "lead"


def test_cytoscape_loader_escaped_keys_and_flat_elements(tmp_path: Path) -> None:
    doc = [
        {"group": "nodes", "data": {"id": "xl", "record": "country", "name": "Xland"}},
        {
            "group": "nodes",
            "data": {"id": "a1", "record": "agreement", "name": "Accord", "kind": "bilateral"},
        },
        {
            "group": "edges",
            "data": {
                "id": "e",
                "source": "xl",
                "target": "a1",
                "type": "SIGNED",
                "edge_source": "https://example.org",
            },
        },
        {
            "group": "edges",
            "data": {
                "id": "d",
                "source": "xl",
                "target": "a1",
                "type": "COLLABORATES_WITH",
                "weight": 1.0,
            },
        },
    ]
    good, bad = split(read_cytoscape_json(_write_json(tmp_path / "flat.json", doc)))
    assert bad == []
    (signature,) = [i.record for i in good if isinstance(i.record, Signature)]
    assert signature.source == "https://example.org" and signature.signer == "xl"
    assert len(good) == 3


def test_neo4j_admin_loader_problems_have_lines(tmp_path: Path) -> None:
    folder = tmp_path / "admin"
    folder.mkdir()
    (folder / "nodes.csv").write_text(
        "id:ID(Mission),:LABEL,name:string,kind,launch_year:int\n"
        'jwst,Mission,"James Webb\nSpace Telescope",observatory,2021\n'
        "bad,Mission,Bad,lunar,soon\n"
        "x,Spaceship,X,lunar,\n",  # the ID space is a label
        encoding="utf-8",
    )
    (folder / "nodes2.csv").write_text(":ID(Things),:LABEL,name\ny,Spaceship,Y\n", encoding="utf-8")
    (folder / "rels.csv").write_text(
        ":START_ID(Organization),:END_ID(Mission),:TYPE,role\n"
        "nasa,jwst,PARTICIPATES_IN,lead\n"
        "nasa,jwst,ADORES,\n",
        encoding="utf-8",
    )
    (folder / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    items = list(read_neo4j_admin(folder))
    good, bad = split(items)
    problems = sorted((Path(b.problem.file).name, b.problem.line, b.problem.field) for b in bad)
    assert problems == [
        ("nodes.csv", 4, "launch_year"),
        ("nodes2.csv", 2, ":LABEL"),
        ("other.csv", 1, "(header)"),
        ("rels.csv", 3, ":TYPE"),
    ]
    assert {i.record.id for i in good if isinstance(i.record, Mission)} == {"jwst", "x"}
    mission = next(i for i in good if getattr(i.record, "id", "") == "jwst")
    assert mission.record.name == "James Webb\nSpace Telescope" and mission.line == 2
    participation = next(i for i in good if isinstance(i.record, Participation))
    assert participation.line == 2 and participation.record.org == "nasa"


def test_neo4j_admin_loader_generic_id_space(tmp_path: Path) -> None:
    """Files from elsewhere: one ID space for all nodes, labels in :LABEL only."""
    folder = tmp_path / "generic"
    folder.mkdir()
    (folder / "n.csv").write_text(
        ":ID(Node),id,:LABEL,name,sector\n1,nasa,Organization;Agency,NASA,\n2,jwst,Mission,JWST,\n",
        encoding="utf-8",
    )
    (folder / "r.csv").write_text(
        ":START_ID(Node),:END_ID(Node),:TYPE,role\n1,2,PARTICIPATES_IN,lead\n", encoding="utf-8"
    )
    good, bad = split(read_neo4j_admin(folder))
    messages = [str(b.problem) for b in bad]
    assert any("kind" in m for m in messages)  # the mission lacks its kind
    org = next(i.record for i in good if isinstance(i.record, Organization))
    assert org.sector.value == "agency"  # from the Agency label


def test_neo4j_admin_loader_wants_a_folder(tmp_path: Path) -> None:
    from orbitnet.errors import ValidationError

    with pytest.raises(ValidationError):
        list(read_neo4j_admin(tmp_path / "missing"))


# -------------------------------------------------------------------------------------- API


def test_graphml_cannot_hold_derived_edges(store: Store, tmp_path: Path) -> None:
    for fmt in ("graphml", "gexf"):
        with pytest.raises(ConfigError, match="recomputed"):
            export_graph(store, tmp_path / f"g.{fmt}", include_derived=True)
    with pytest.raises(ConfigError, match="unknown export format"):
        export_graph(store, tmp_path / "g.xyz", "pdf")


def test_guess_format(tmp_path: Path) -> None:
    assert [guess_format(tmp_path / n) for n in FILE_NAMES.values()] == list(FILE_NAMES)
    assert guess_format(tmp_path / "g.json") == "cytoscape"
    assert guess_format(tmp_path) == "neo4j-csv"
    with pytest.raises(ConfigError):
        guess_format(tmp_path / "g.pdf")


def test_failed_export_leaves_no_file(store: Store, tmp_path: Path, monkeypatch) -> None:
    from orbitnet.export import cytoscape

    load_items(store, hostile_items())

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(cytoscape, "write_cytoscape", boom)
    with pytest.raises(RuntimeError):
        export_graph(store, tmp_path / "g.json")
    assert list(tmp_path.iterdir()) == []


def test_export_skips_what_is_not_the_model(store: Store, tmp_path: Path) -> None:
    load_items(store, hostile_items())
    store.execute("CREATE (:Alien {id: 'et'})")
    store.execute("MATCH (m:Mission {id: 'm1'}) SET m:Flagship")
    store.execute(
        "MATCH (a:Organization {id: 'hostile-org'}), (b:Mission {id: 'm1'}) "
        "CREATE (a)-[:LIKES]->(b)"
    )
    graph = read_graph(store)
    assert len(graph.skipped) == 2, graph.skipped
    summary = export_graph(store, tmp_path / "g.cypher")
    assert "Alien" not in (tmp_path / "g.cypher").read_text()
    assert "LIKES" not in (tmp_path / "g.cypher").read_text()
    assert sum("not exported" in w for w in summary.warnings) == 2
