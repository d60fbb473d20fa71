"""The synthetic network generator: deterministic, heavy-tailed, realistic, and loadable."""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from orbitnet.cli import app as orbitnet_app
from orbitnet.cli import bench
from orbitnet.cypher.store import Store
from orbitnet.loaders.base import Rejected
from orbitnet.loaders.csv_mapping import read_mapped_csv
from orbitnet.loaders.pipeline import load_items
from orbitnet.synthetic import COLUMNS, default_missions, generate
from tests.conftest import cli_env

runner = CliRunner()


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    files = generate(5000, seed=7, out_dir=tmp_path_factory.mktemp("synthetic"))
    return rows_of(files.csv)


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    a = generate(300, 200, seed=3, out_dir=tmp_path / "a")
    b = generate(300, 200, seed=3, out_dir=tmp_path / "b")
    c = generate(300, 200, seed=4, out_dir=tmp_path / "c")
    assert a.csv.read_bytes() == b.csv.read_bytes()
    assert a.mapping.read_bytes() == b.mapping.read_bytes()
    assert a.csv.read_bytes() != c.csv.read_bytes()
    assert (a.orgs, a.missions) == (300, 200)


def test_counts_and_header(tmp_path: Path) -> None:
    files = generate(1000, seed=0, out_dir=tmp_path)
    rows = rows_of(files.csv)
    assert tuple(rows[0]) == COLUMNS
    assert len({r["org"] for r in rows}) == files.orgs == 1000
    assert len({r["mission"] for r in rows}) == files.missions == default_missions(1000) == 700
    assert len(rows) == files.rows
    # every participant of a mission is a different organisation, and exactly one leads it
    by_mission: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_mission.setdefault(row["mission"], []).append(row)
    for members in by_mission.values():
        assert len({m["org"] for m in members}) == len(members) >= 2
        assert [m["role"] for m in members].count("lead") == 1


def test_too_few_missions_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="use at least"):
        generate(1000, 10, seed=0, out_dir=tmp_path)
    with pytest.raises(ValueError, match="at least 2"):
        generate(1, seed=0, out_dir=tmp_path)


def test_participation_counts_are_heavy_tailed(network: list[dict[str, str]]) -> None:
    counts = sorted(Counter(r["org"] for r in network).values(), reverse=True)
    total = sum(counts)
    median = counts[len(counts) // 2]
    assert median <= 2
    assert counts[0] >= 50 * median  # hubs
    top = counts[: len(counts) // 100]  # the top 1 % of organisations
    assert sum(top) / total > 0.12
    # a power law: the share of organisations with at least x participations falls like
    # x^-(alpha - 1); the Hill estimate of alpha over the tail lies in the usual 2-3.5
    tail = [c for c in counts if c >= 5]
    alpha = 1 + len(tail) / sum(math.log(c / 4.5) for c in tail)
    assert 2.0 < alpha < 3.5, alpha


def test_mission_sizes_years_and_sectors_are_realistic(network: list[dict[str, str]]) -> None:
    sizes = Counter(Counter(r["mission"] for r in network).values())
    missions = sum(sizes.values())
    assert sum(v for k, v in sizes.items() if 2 <= k <= 6) / missions > 0.85
    assert sizes[2] == max(sizes.values())  # pairs are the commonest
    assert any(k >= 16 for k in sizes)  # a few large multilateral undertakings
    years = Counter(int(r["launch_year"]) for r in {r["mission"]: r for r in network}.values())
    assert min(years) >= 1960 and max(years) <= 2025
    early = sum(v for y, v in years.items() if y < 1980)
    late = sum(v for y, v in years.items() if y >= 2005)
    assert late > 4 * early  # cooperation grows over time
    orgs = {r["org"]: r for r in network}.values()
    sectors = Counter(r["sector"] for r in orgs)
    assert set(sectors) == {"agency", "company", "academic", "intergovernmental", "defense"}
    share = {s: n / len(orgs) for s, n in sectors.items()}
    assert 0.3 < share["agency"] < 0.5 and 0.25 < share["company"] < 0.4
    assert all(r["country"] == "" for r in orgs if r["sector"] == "intergovernmental")
    assert Counter(r["country"] for r in orgs).most_common(1)[0][0] == "US"


def test_loads_through_the_csv_loader_without_rejects(tmp_path: Path, falkor_store: Store) -> None:
    files = generate(400, seed=11, out_dir=tmp_path)
    items = list(read_mapped_csv(files.csv, files.mapping))
    assert not [i for i in items if isinstance(i, Rejected)]
    summary = load_items(falkor_store, items, strict=True)
    assert summary.rejected == 0
    assert summary.nodes["Organization"]["created"] == 400
    assert summary.nodes["Mission"]["created"] == files.missions
    assert summary.relationships["PARTICIPATES_IN"]["created"] == files.rows
    assert summary.collaborations > 400
    sources = falkor_store.read("MATCH (o:Organization) RETURN DISTINCT o.source AS source")
    assert [r["source"] for r in sources] == [
        "synthetic: orbitnet bench generate --orgs 400 --missions 280 --seed 11"
    ]


def test_cli_generate_then_load(tmp_path: Path, orbitnet_home: Path) -> None:
    root = typer.Typer()
    root.add_typer(bench.app, name="bench")  # registered the same way by orbitnet.cli.app
    out = tmp_path / "out"
    result = runner.invoke(
        root, ["bench", "generate", "--orgs", "300", "--seed", "2", "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    made = json.loads(result.stdout)
    assert made["orgs"] == 300 and made["missions"] == 210 and made["rows"] > 600
    env = cli_env(orbitnet_home, "synthetic")
    csv_file, mapping = out / "partners.csv", out / "partners.mapping.yaml"
    loaded = runner.invoke(
        orbitnet_app, ["load", str(csv_file), "--mapping", str(mapping), "--json"], env=env
    )
    assert loaded.exit_code == 0, loaded.output
    summary = json.loads(loaded.stdout)
    assert summary["rejected"] == 0
    assert (
        summary["nodes"]["Organization"]["created"] + summary["nodes"]["Organization"]["updated"]
        == 300
    )


def test_cli_generate_refuses_too_few_missions(tmp_path: Path) -> None:
    root = typer.Typer()
    root.add_typer(bench.app, name="bench")
    result = runner.invoke(
        root, ["bench", "generate", "--orgs", "1000", "--missions", "5", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "use at least" in result.output
