"""The real CLI, through typer's CliRunner, on the curated dataset in the embedded FalkorDB."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orbitnet.cli import app
from tests.conftest import cli_env

runner = CliRunner()


@pytest.fixture(scope="module")
def env(orbitnet_home: Path) -> dict[str, str]:
    environment = cli_env(orbitnet_home, "cli")
    result = runner.invoke(app, ["load"], env=environment)
    assert result.exit_code == 0, result.output
    return environment


def invoke(env: dict[str, str], *args: str) -> object:
    return runner.invoke(app, list(args), env=env)


def test_stats_json_has_stable_keys(env) -> None:
    result = invoke(env, "stats", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"labels", "relationships", "partnerships"}
    assert data["labels"]["Organization"] >= 50
    assert data["relationships"]["PARTICIPATES_IN"] >= 300
    assert set(data["partnerships"]) <= {
        "bilateral",
        "multilateral",
        "public-private",
        "commercial",
    }


def test_load_twice_keeps_counts(env) -> None:
    before = json.loads(invoke(env, "stats", "--json").stdout)
    result = invoke(env, "load", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert all(v["created"] == 0 for v in summary["nodes"].values())
    assert all(v["created"] == 0 for v in summary["relationships"].values())
    assert json.loads(invoke(env, "stats", "--json").stdout) == before


def test_missing_input_files_are_one_line(env, tmp_path: Path) -> None:
    table = tmp_path / "partners.csv"
    table.write_text("org,mission\n", encoding="utf-8")
    for args, message in [
        (["load", str(tmp_path / "nowhere.csv")], "no such file or folder"),
        (["load", str(table), "--mapping", str(tmp_path / "nowhere.yaml")], "no such mapping"),
    ]:
        result = invoke(env, *args)
        assert result.exit_code != 0
        assert message in result.stderr and "nowhere" in result.stderr, result.output
        assert "Traceback" not in result.output


def test_query_table_json_csv(env) -> None:
    q = "MATCH (o:Organization {id: $id}) RETURN o.name AS name, o.country AS country"
    table = invoke(env, "query", q, "--param", "id=nasa")
    assert table.exit_code == 0, table.output
    assert "National Aeronautics and Space Administration" in table.stdout
    as_json = json.loads(invoke(env, "query", q, "-p", "id=nasa", "--json").stdout)
    assert as_json == [{"name": "National Aeronautics and Space Administration", "country": "US"}]
    rows = list(csv.reader(io.StringIO(invoke(env, "query", q, "-p", "id=nasa", "--csv").stdout)))
    assert rows == [["name", "country"], ["National Aeronautics and Space Administration", "US"]]


def test_query_refuses_writes_with_exit_1(env) -> None:
    result = invoke(env, "query", "MATCH (n:Organization) DETACH DELETE n")
    assert result.exit_code == 1
    assert "refused" in result.stderr and "Traceback" not in result.output
    assert json.loads(invoke(env, "stats", "--json").stdout)["labels"]["Organization"] > 0


def test_query_syntax_error_and_missing_param(env) -> None:
    result = invoke(env, "query", "MATCH (n RETURN n")
    assert result.exit_code == 1 and "syntax" in result.stderr.lower()
    result = invoke(env, "query", "MATCH (n {id: $x}) RETURN n")
    assert result.exit_code == 1 and "--param" in result.stderr


def test_bad_param_is_usage_error(env) -> None:
    result = invoke(env, "query", "RETURN 1", "--param", "novalue")
    assert result.exit_code == 2


def test_queries_and_run(env) -> None:
    listed = json.loads(invoke(env, "queries", "--json").stdout)
    names = {q["name"] for q in listed}
    assert {"partners", "agreement-signatories", "counts-by-label"} <= names
    result = invoke(env, "run", "agreement-signatories", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    first = [r["id"] for r in rows if r["date"] == "2020-10-13"]
    assert sorted(first) == ["ae", "au", "ca", "gb", "it", "jp", "lu", "us"]
    missing = invoke(env, "run", "partners")
    assert missing.exit_code == 1 and "--param org" in missing.stderr
    unknown = invoke(env, "run", "partner")
    assert unknown.exit_code == 1 and "partners" in unknown.stderr


def test_db_status_and_path(env, orbitnet_home: Path) -> None:
    status = json.loads(invoke(env, "db", "status", "--json").stdout)
    assert status["running"] is True
    assert invoke(env, "db", "path").stdout.strip() == str(orbitnet_home / "falkordb")
    assert invoke(env, "db", "start").exit_code == 0


def test_neo4j_unreachable_is_one_line(env) -> None:
    result = invoke(
        {**env, "NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "s3cret-pw"}, "stats"
    )
    assert result.exit_code == 1
    assert "docker compose up -d" in result.stderr
    assert "s3cret-pw" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_neo4j_scheme_is_usage_error(env) -> None:
    result = invoke({**env, "NEO4J_URI": "http://localhost:7474"}, "stats")
    assert result.exit_code == 2 and "NEO4J_URI" in result.stderr


def test_version_and_module_help() -> None:
    from orbitnet import __version__

    assert runner.invoke(app, ["--version"]).stdout.strip() == f"orbitnet {__version__}"
    done = subprocess.run(
        [sys.executable, "-m", "orbitnet", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0 and "partners" in done.stdout


def test_analytics_commands(env) -> None:
    rank = json.loads(invoke(env, "rank", "--by", "pagerank", "--top", "3", "--json").stdout)
    assert rank["metric"] == "pagerank" and len(rank["rows"]) == 3
    assert invoke(env, "rank", "--by", "nonsense").exit_code == 2
    comms = json.loads(invoke(env, "communities", "--json").stdout)
    assert comms["modularity"] > 0 and comms["communities"][0]["community"] == 0
    partners = json.loads(invoke(env, "partners", "nasa", "--kind", "public-private",
                                 "--json").stdout)
    assert {r["kind"] for r in partners["rows"]} == {"public-private"}
    path = json.loads(invoke(env, "path", "CNSA", "NASA", "--json").stdout)
    assert path["source"] == "cnsa" and path["target"] == "nasa" and path["hops"]
    ego = json.loads(invoke(env, "ego", "ESA", "--hops", "2", "--json").stdout)
    assert ego["center"] == "esa" and any(n["hops"] == 2 for n in ego["nodes"])
    timeline = list(csv.DictReader(io.StringIO(invoke(env, "timeline", "--csv").stdout)))
    assert timeline[0]["year"] and int(timeline[-1]["edges"]) > 0
    whatif = json.loads(invoke(env, "whatif", "--remove", "roscosmos", "--json").stdout)
    assert whatif["removed"] == ["roscosmos"]
    table = invoke(env, "whatif", "--remove", "roscosmos")
    assert table.exit_code == 0 and "global_efficiency" in table.stdout


def test_unknown_name_suggests(env) -> None:
    result = invoke(env, "partners", "Roscosmoss")
    assert result.exit_code == 1
    assert "did you mean" in result.stderr and "roscosmos" in result.stderr


def test_analyze_write_then_top_brokers(env) -> None:
    result = invoke(env, "analyze", "--write")
    assert result.exit_code == 0, result.output
    top = json.loads(invoke(env, "run", "top-brokers", "--json").stdout)
    assert top[0]["id"] == "nasa"
    sized = json.loads(invoke(env, "query", "MATCH (o:Organization) WHERE o.display_size IS NULL "
                              "RETURN count(o) AS n", "--json").stdout)
    assert sized == [{"n": 0}]


def test_map_command_writes_offline_html(env, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    result = invoke(env, "map", "--out", str(out), "--focus", "ESA", "--hops", "1")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "European Space Agency" in html and "https://cdn" not in html
    assert invoke(env, "map", "--out", str(out), "--color-by", "mood").exit_code == 2


def test_browser_url_style_and_favourites(env, tmp_path: Path) -> None:
    from urllib.parse import parse_qs, urlsplit

    result = invoke(env, "browser", "MATCH (o:Agency) RETURN o")
    assert result.exit_code == 0
    url = result.stdout.strip()
    assert url.startswith("http://localhost:7474/browser/?cmd=edit&arg=")
    assert parse_qs(urlsplit(url).query)["arg"] == ["MATCH (o:Agency) RETURN o"]
    remote = invoke({**env, "NEO4J_URI": "bolt://db.example.org:7687"}, "browser", "RETURN 1")
    assert remote.stdout.startswith("http://db.example.org:7474/browser/")
    style, favs = tmp_path / "o.grass", tmp_path / "f.zip"
    assert invoke(env, "browser", "--style", str(style), "--favourites", str(favs)).exit_code == 0
    grass = style.read_text()
    assert "node.Agency {" in grass and "diameter: '{display_size}';" in grass
    import zipfile

    names = zipfile.ZipFile(favs).namelist()
    assert "orbitnet/partners.cypher" in names
    assert not any("projection-" in n for n in names)


def test_doctor(env) -> None:
    result = invoke(env, "doctor", "--json")
    assert result.exit_code == 0, result.output
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["connection"]["ok"] and "FalkorDB" in checks["connection"]["detail"]
    assert checks["data"]["ok"]
    broken = invoke({**env, "NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "pw-secret"},
                    "doctor", "--json")
    assert broken.exit_code == 1
    failed = {c["name"]: c for c in json.loads(broken.stdout)}["connection"]
    assert not failed["ok"] and "docker compose up -d" in failed["hint"]
    assert "pw-secret" not in broken.output


def test_help_has_an_example_for_every_command_and_flags_take_no_value() -> None:
    import typer.main

    from orbitnet.cli.app import app as root

    group = typer.main.get_command(root)
    subgroups = ("db", "bench")
    names = [n for n in group.commands if n not in subgroups] + [
        f"{g} {n}" for g in subgroups for n in group.commands[g].commands
    ]
    for name in names:
        result = runner.invoke(root, [*name.split(), "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, name
        body = result.stdout.split("\n", 2)[-1]  # past the Usage line
        assert "Example" in body, f"no example in 'orbitnet {name} --help'"
        assert f"orbitnet {name}" in body.split("Example", 1)[1], name
        assert "<bool>" not in body, f"a flag shows a value type in 'orbitnet {name} --help'"


@pytest.mark.parametrize("name", ["g.graphml", "g.gexf", "g.cyjs", "g.cypher", "neo4j-import"])
def test_export_then_load_round_trips(env, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    args = ["export", str(out), "--json"] + (["--format", "neo4j-csv"] if "." not in name else [])
    result = invoke(env, *args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["nodes"]["Organization"] >= 100
    if name.endswith(".cypher"):
        return  # replayed statement by statement in tests/test_export.py
    before = json.loads(invoke(env, "stats", "--json").stdout)
    fmt = {"g.cyjs": "cytoscape"}.get(name)
    copy = {**env, "ORBITNET_GRAPH": f"copy-{name.replace('.', '-')}"}
    loaded = invoke(copy, "load", str(out), *(["--format", fmt] if fmt else []), "--json")
    assert loaded.exit_code == 0, loaded.output
    after = json.loads(invoke(copy, "stats", "--json").stdout)
    assert after["labels"] == before["labels"]
    assert after["relationships"] == before["relationships"]
    for kind, value in before["partnerships"].items():
        assert after["partnerships"][kind]["count"] == value["count"]
        assert after["partnerships"][kind]["weight"] == pytest.approx(value["weight"])


def test_only_filter_restricts_to_named_organisations(env) -> None:
    result = invoke(env, "rank", "--by", "degree", "--only", "NASA", "--only", "European Space "
                    "Agency", "--only", "jaxa", "--json")
    assert result.exit_code == 0, result.output
    assert {r["id"] for r in json.loads(result.stdout)["rows"]} == {"nasa", "esa", "jaxa"}


def test_no_colour_when_piped_or_no_color(env) -> None:
    piped = subprocess.run([sys.executable, "-m", "orbitnet", "queries"], capture_output=True,
                           text=True, timeout=60, env={**os.environ, **env})
    assert piped.returncode == 0
    assert "\x1b[" not in piped.stdout + piped.stderr
    forced = runner.invoke(app, ["queries"], env={**env, "NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" not in forced.stdout
