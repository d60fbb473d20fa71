"""Fault tests: real processes, a real embedded FalkorDB in a private home, real ``kill -9``.

Every CLI call is a subprocess (``python -m orbitnet ...``), as a user would run it. The server
lives in a short private ``ORBITNET_HOME`` under ``/tmp`` (its unix socket path must stay under
100 characters), separate from the session server of ``conftest.py``: these tests kill it.

Each test records what it measured with ``record_property``; ``benchmarks/reliability.py`` runs
this file with ``--junitxml`` and turns those figures into ``RELIABILITY.md``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from orbitnet.cypher import EmbeddedServer, statements
from orbitnet.cypher.falkor import FalkorStore
from orbitnet.errors import QueryTimeoutError
from orbitnet.model import Label, RelType

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
N_ORGS = int(os.environ.get("ORBITNET_FAULT_ORGS", "30000"))
"""Organisations in the crash test's file: one CSV row each, with a mission per three rows."""
N_CONCURRENT = int(os.environ.get("ORBITNET_FAULT_CONCURRENT_ORGS", "9000"))

MAPPING = """\
source: {value: "orbitnet fault tests"}
records:
  - record: organization
    fields: {id: org, name: org_name, sector: sector, country: country}
  - record: mission
    fields: {id: mission, name: mission_name, kind: kind}
  - record: participation
    fields: {org: org, target: mission, role: role}
"""
SECTORS = ("agency", "company", "academic", "intergovernmental", "defense")
COUNTRIES = ("US", "FR", "JP", "IN", "BR", "DE", "CN")
KINDS = ("observatory", "planetary", "lunar", "earth-observation")
ROLES = ("lead", "partner", "instrument", "launch")

DUPLICATE_NODES = "MATCH (n) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN count(*) AS n"
DUPLICATE_RELATIONSHIPS = (
    "MATCH (a)-[r]->(b) WITH a, b, type(r) AS t, r.role AS role, count(*) AS c "
    "WHERE c > 1 RETURN count(*) AS n"
)
COLLABORATIONS = (
    "MATCH (a)-[r:COLLABORATES_WITH]->(b) "
    "RETURN a.id AS a, b.id AS b, r.weight AS weight, r.kind AS kind, r.missions AS missions"
)


# --- helpers ------------------------------------------------------------------------------------


def write_partners(path: Path, lo: int, hi: int) -> Path:
    """Rows ``org-lo`` .. ``org-(hi-1)``; organisation ``i`` takes part in mission ``i // 3``."""
    lines = ["org,org_name,sector,country,mission,mission_name,kind,role"]
    for i in range(lo, hi):
        m = i // 3
        lines.append(
            f"org-{i},Organisation {i},{SECTORS[i % 5]},{COUNTRIES[i % 7]},"
            f"m-{m},Mission {m},{KINDS[m % 4]},{ROLES[i % 4]}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _env(home: Path, graph: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "ORBITNET_"))}
    env.update(
        ORBITNET_HOME=str(home),
        ORBITNET_GRAPH=graph,
        NEO4J_URI="",
        NO_COLOR="1",
        COLUMNS="200",
        PYTHONPATH=str(ROOT),
    )
    return env


def command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "orbitnet", *map(str, args)]


def orbitnet(
    home: Path, graph: str, *args: str | Path, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run one ``orbitnet`` command in a subprocess (cwd = the home, so no stray ``.env``)."""
    return subprocess.run(
        command(*args),
        env=_env(home, graph),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def spawn(home: Path, graph: str, *args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(*args),
        env=_env(home, graph),
        cwd=home,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def one_line_error(stdout: str, stderr: str) -> str:
    """The single ``error:`` line of a failed command; no traceback anywhere."""
    assert "Traceback" not in stdout + stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    return errors[0]


def stats(home: Path, graph: str) -> dict[str, Any]:
    result = orbitnet(home, graph, "stats", "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def read(home: Path, graph: str, query: str) -> list[dict[str, Any]]:
    server = EmbeddedServer(home)
    with FalkorStore(unix_socket_path=str(server.socket), graph=graph) as store:
        return store.read(query)


def duplicates(home: Path, graph: str) -> tuple[int, int]:
    nodes = read(home, graph, DUPLICATE_NODES)[0]["n"]
    rels = read(home, graph, DUPLICATE_RELATIONSHIPS)[0]["n"]
    return nodes, rels


def collaborations(home: Path, graph: str) -> set[tuple[Any, ...]]:
    rows = read(home, graph, COLLABORATIONS)
    return {(r["a"], r["b"], r["weight"], r["kind"], str(r["missions"])) for r in rows}


def count_organizations(client: redis.Redis, graph: str) -> int:
    """Organisations in ``graph`` now, read straight from the server (0 if it does not exist)."""
    try:
        reply = client.execute_command(
            "GRAPH.RO_QUERY", graph, "MATCH (n:Organization) RETURN count(n)"
        )
    except redis.ResponseError:
        return 0
    return int(reply[1][0][0])


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def home() -> Iterator[Path]:
    """A private, short orbitnet home (the server is started by the first command)."""
    path = Path(tempfile.mkdtemp(prefix="onf-", dir="/tmp"))
    yield path
    EmbeddedServer(path).stop()
    if not os.environ.get("ORBITNET_FAULT_KEEP"):
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def data(home: Path) -> dict[str, Path]:
    folder = home / "data"
    folder.mkdir()
    (folder / "partners.yaml").write_text(MAPPING, encoding="utf-8")
    half = N_CONCURRENT // 2 + 1  # not a multiple of 3: the files share half a mission
    return {
        "mapping": folder / "partners.yaml",
        "big": write_partners(folder / "big.csv", 0, N_ORGS),
        "a": write_partners(folder / "a.csv", 0, N_CONCURRENT),
        "b": write_partners(folder / "b.csv", half, half + N_CONCURRENT),
        "union": write_partners(folder / "union.csv", 0, half + N_CONCURRENT),
    }


# --- scenarios ----------------------------------------------------------------------------------


def test_kill_9_during_a_large_load(home: Path, data: dict[str, Path], record_property) -> None:
    """kill -9 the server while a load writes; the load fails cleanly, the next command
    restarts the server, and loading again gives exactly the counts of a clean load."""
    load = ("load", data["big"], "--mapping", data["mapping"], "--json")

    began = time.perf_counter()
    clean = orbitnet(home, "clean", *load)
    clean_seconds = time.perf_counter() - began
    assert clean.returncode == 0, clean.stderr
    expected = stats(home, "clean")
    assert expected["labels"]["Organization"] == N_ORGS

    server = EmbeddedServer(home)
    pid = server.status().pid
    assert pid is not None
    client = redis.Redis(unix_socket_path=str(server.socket))
    loader = spawn(home, "crash", *load, "--batch-size", "1000")
    try:
        wait_until(
            lambda: (
                count_organizations(client, "crash") >= N_ORGS // 10 or loader.poll() is not None
            ),
            timeout=300,
            what="the load to start writing",
        )
        assert loader.poll() is None, "the load finished before it could be interrupted"
        seen_at_kill = count_organizations(client, "crash")
        os.kill(pid, signal.SIGKILL)
        killed_at = time.perf_counter()
        stdout, stderr = loader.communicate(timeout=300)
    finally:
        client.close()
        if loader.poll() is None:
            loader.kill()
    failed_after = time.perf_counter() - killed_at
    assert loader.returncode == 1, stderr
    error = one_line_error(stdout, stderr)
    assert "FalkorDB" in error and "connection" in error, error
    assert not server.status().running and server.status().stale

    began = time.perf_counter()
    after_crash = orbitnet(home, "crash", "stats", "--json")
    recovery_seconds = time.perf_counter() - began
    assert after_crash.returncode == 0, after_crash.stderr
    assert "Started the embedded FalkorDB" in after_crash.stderr
    partial = json.loads(after_crash.stdout)
    kept = partial["labels"].get("Organization", 0)
    assert kept >= seen_at_kill, "writes acknowledged before the crash were lost"
    assert partial != expected, "the kill came too late to interrupt the load"
    assert stats(home, "clean") == expected, "the finished load did not survive the crash"

    began = time.perf_counter()
    again = orbitnet(home, "crash", *load)
    reload_seconds = time.perf_counter() - began
    assert again.returncode == 0, again.stderr
    final = stats(home, "crash")
    assert final == expected
    assert duplicates(home, "crash") == (0, 0)
    assert collaborations(home, "crash") == collaborations(home, "clean")

    record_property("rows", N_ORGS)
    record_property("clean_load_s", round(clean_seconds, 2))
    record_property("organizations_at_kill", seen_at_kill)
    record_property("organizations_after_restart", kept)
    record_property("load_failed_after_kill_s", round(failed_after, 2))
    record_property("load_error", error)
    record_property("recovery_s", round(recovery_seconds, 2))
    record_property("reload_s", round(reload_seconds, 2))
    record_property("expected", json.dumps(_brief(expected)))
    record_property("after_crash", json.dumps(_brief(partial)))
    record_property("after_reload", json.dumps(_brief(final)))
    record_property("duplicate_nodes", 0)
    record_property("duplicate_relationships", 0)


def _brief(data: dict[str, Any]) -> dict[str, int]:
    out = {k: v for k, v in data["labels"].items() if k in ("Organization", "Mission")}
    out.update(data["relationships"])
    return out


def test_concurrent_loaders_leave_no_duplicates(
    home: Path, data: dict[str, Path], record_property
) -> None:
    """Three loads at once into one graph (the same file twice, and an overlapping one) end
    like one clean load of their union: same counts, same partnerships, no duplicates."""
    mapping = ("--mapping", data["mapping"], "--json")
    reference = orbitnet(home, "conc-ref", "load", data["union"], *mapping)
    assert reference.returncode == 0, reference.stderr
    expected = stats(home, "conc-ref")

    began = time.perf_counter()
    loaders = [
        spawn(home, "conc", "load", data[name], *mapping, "--batch-size", "500")
        for name in ("a", "a", "b")
    ]
    outputs = [p.communicate(timeout=600) for p in loaders]
    seconds = time.perf_counter() - began
    for process, (_, stderr) in zip(loaders, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr

    got = stats(home, "conc")
    assert got == expected
    dup_nodes, dup_rels = duplicates(home, "conc")
    assert (dup_nodes, dup_rels) == (0, 0)
    assert collaborations(home, "conc") == collaborations(home, "conc-ref")

    record_property("loaders", 3)
    record_property("rows_per_loader", N_CONCURRENT)
    record_property("concurrent_s", round(seconds, 2))
    record_property("expected", json.dumps(_brief(expected)))
    record_property("got", json.dumps(_brief(got)))
    record_property("duplicate_nodes", dup_nodes)
    record_property("duplicate_relationships", dup_rels)


def test_concurrent_relationship_merges_do_not_duplicate(home: Path, record_property) -> None:
    """Two clients MERGE the same 40,000 relationships at the same moment, three times.

    Without orbitnet's write lock FalkorDB runs both queries at once and each creates every
    relationship (100,000 edges for 50,000 rows in the first try when this was found)."""
    orbitnet(home, "merge-race", "db", "start")
    server = EmbeddedServer(home)
    n = 40_000
    stores = [FalkorStore(unix_socket_path=str(server.socket), graph="merge-race") for _ in "ab"]
    try:
        stores[0].clear()
        stores[0].execute(
            "UNWIND range(0, $n) AS i CREATE (:Organization {id: 'o' + toString(i)})", {"n": n}
        )
        rows = [{"src": f"o{i}", "dst": f"o{i + 1}", "props": {"w": 1.0}} for i in range(n)]
        query = statements.upsert_edges(
            RelType.COLLABORATES_WITH, Label.ORGANIZATION, Label.ORGANIZATION
        )
        counts = []
        for _ in range(3):
            stores[0].execute("MATCH ()-[r:COLLABORATES_WITH]->() DELETE r")
            barrier = threading.Barrier(2)

            def merge(store: FalkorStore, barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                store.execute(query, {"rows": rows})

            threads = [threading.Thread(target=merge, args=(s,)) for s in stores]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            counts.append(
                stores[0].read("MATCH ()-[r:COLLABORATES_WITH]->() RETURN count(r) AS n")[0]["n"]
            )
    finally:
        for store in stores:
            store.close()
    assert counts == [n, n, n]
    record_property("rows", n)
    record_property("edges_after_each_try", json.dumps(counts))


def test_lock_of_a_killed_writer_is_taken_over(home: Path, record_property) -> None:
    """A writer killed while it holds the write lock does not block the next one."""
    orbitnet(home, "lock", "db", "start")
    server = EmbeddedServer(home)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from orbitnet.cypher.falkor import FalkorStore\n"
            f"store = FalkorStore(unix_socket_path={str(server.socket)!r}, graph='lock')\n"
            "with store.write_lock():\n"
            "    print('held', flush=True)\n"
            "    time.sleep(120)\n",
        ],
        env=_env(home, "lock"),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        with FalkorStore(unix_socket_path=str(server.socket), graph="lock") as store:
            began = time.perf_counter()
            store.execute("CREATE (:Program {id: 'after-the-crash'})")
            waited = time.perf_counter() - began
    finally:
        if holder.poll() is None:
            holder.kill()
    assert waited < 5
    record_property("takeover_s", round(waited, 3))


def test_runaway_query_is_stopped_and_the_server_stays_up(home: Path, record_property) -> None:
    """``MATCH p=()-[*]-() RETURN p`` on the curated graph is stopped at ``--timeout 1`` with one
    clear line, and the same server answers the next query."""
    loaded = orbitnet(home, "runaway", "load", "--json")
    assert loaded.returncode == 0, loaded.stderr
    server = EmbeddedServer(home)
    pid = server.status().pid

    began = time.perf_counter()
    runaway = orbitnet(home, "runaway", "query", "MATCH p=()-[*]-() RETURN p", "--timeout", "1")
    command_seconds = time.perf_counter() - began
    assert runaway.returncode == 1
    error = one_line_error(runaway.stdout, runaway.stderr)
    assert "time limit" in error, error
    assert command_seconds < 15

    # The server's own stopping time, without the CLI's start-up.
    with FalkorStore(unix_socket_path=str(server.socket), graph="runaway") as store:
        began = time.perf_counter()
        with pytest.raises(QueryTimeoutError, match="time limit"):
            store.read("MATCH p=()-[*]-() RETURN p", timeout=1)
        stopped_after = time.perf_counter() - began
    assert stopped_after < 5

    follow = orbitnet(
        home, "runaway", "query", "MATCH (o:Organization) RETURN count(o) AS n", "--json"
    )
    assert follow.returncode == 0, follow.stderr
    assert json.loads(follow.stdout)[0]["n"] > 50
    assert "Started the embedded FalkorDB" not in follow.stderr
    assert server.status().pid == pid, "the server was restarted"

    record_property("query_timeout_s", 1)
    record_property("stopped_after_s", round(stopped_after, 2))
    record_property("command_s", round(command_seconds, 2))
    record_property("error", error)
    record_property("server_pid_unchanged", True)


def test_next_command_restarts_a_crashed_server(home: Path, record_property) -> None:
    """kill -9 with no command running; ``orbitnet stats`` starts the server again, says so,
    and the data is all there."""
    loaded = orbitnet(home, "restart", "load", "--json")
    assert loaded.returncode == 0, loaded.stderr
    before = stats(home, "restart")
    time.sleep(1.2)  # appendfsync everysec: let the last second reach the disk
    server = EmbeddedServer(home)
    pid = server.status().pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not server.status().running, 10, "the server to die")
    assert server.status().stale

    began = time.perf_counter()
    after = orbitnet(home, "restart", "stats", "--json")
    seconds = time.perf_counter() - began
    assert after.returncode == 0, after.stderr
    assert "Started the embedded FalkorDB" in after.stderr
    assert "Traceback" not in after.stderr
    assert json.loads(after.stdout) == before
    assert server.status().running and server.status().pid != pid

    record_property("restart_command_s", round(seconds, 2))
    record_property("note", after.stderr.strip().splitlines()[0])
    record_property("organizations", before["labels"]["Organization"])


def test_a_busy_server_is_not_killed_by_the_next_command(home: Path, record_property) -> None:
    """A server whose main thread is busy for 3 s (as during a large delete) is waited for,
    never mistaken for a hung one and killed by the next command's start-up check."""
    orbitnet(home, "busy", "db", "start")
    server = EmbeddedServer(home)
    pid = server.status().pid
    # os.clock() is the server's CPU time; redis.call('TIME') stands still inside a script.
    busy = "local s = os.clock() while os.clock() - s < tonumber(ARGV[1]) do end return 1"
    client = redis.Redis(unix_socket_path=str(server.socket))
    thread = threading.Thread(target=client.eval, args=(busy, 0, "3"))
    thread.start()
    try:
        time.sleep(0.3)
        began = time.perf_counter()
        result = orbitnet(home, "busy", "stats", "--json")
        waited = time.perf_counter() - began
    finally:
        thread.join()
        client.close()
    assert result.returncode == 0, result.stderr
    assert waited > 2, "the command did not meet the busy server"
    assert "Started the embedded FalkorDB" not in result.stderr
    assert server.status().pid == pid
    record_property("busy_s", 3)
    record_property("command_waited_s", round(waited, 2))
