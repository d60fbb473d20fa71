"""The Cypher both backends share must be Neo4j's: lint it with Neo4j's own Cypher front end.

Every named query (``orbitnet/cypher/queries/*.cypher``) and every generated statement
(:func:`orbitnet.cypher.statements.lintable`) goes through ``lintCypherQuery`` of the npm package
``@neo4j-cypher/language-support`` (parser and semantic analysis of Neo4j, offline), in one
``node tools/cypher-lint/lint.mjs`` run for the session. Each query may use only the parameters
it declares, and only Neo4j's built-in functions and procedures; diagnostics of severity Error
fail, warnings do not. A few deliberately wrong queries prove the linter can still fail.

The fixture runs ``npm ci`` in ``tools/cypher-lint`` when the pinned package is not installed.
Without ``node``/``npm`` the tests are skipped, unless ``CI`` is set: then they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from importlib.resources import files
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import pytest

from orbitnet.cypher.queries import all_queries
from orbitnet.cypher.statements import lintable

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "cypher-lint"
PACKAGE = "@neo4j-cypher/language-support"
QUERY_DIR = files("orbitnet.cypher") / "queries"


class Case(NamedTuple):
    name: str
    query: str
    params: tuple[str, ...]
    origin: str  # where the text comes from, for messages
    line_offset: int = 0  # lines before the query text in ``origin``


class Broken(NamedTuple):
    name: str
    query: str
    expected: str  # part of the error message the linter must give


def _named_query_cases() -> list[Case]:
    cases = []
    for query in all_queries().values():
        source = (QUERY_DIR / query.filename).read_text(encoding="utf-8")
        start = source.find(query.text)
        offset = source.count("\n", 0, start) if start >= 0 else 0
        origin = f"orbitnet/cypher/queries/{query.filename}"
        cases.append(Case(query.name, query.text, tuple(query.params), origin, offset))
    return cases


def _statement_cases() -> list[Case]:
    return [
        Case(name, text, tuple(params), "orbitnet/cypher/statements.py")
        for name, text, params in lintable()
    ]


CASES = _named_query_cases() + _statement_cases()

# Each must be an error, or the check could not fail; each proves one part of the set-up works.
BROKEN = [
    Broken("broken:syntax", "MATCH (n RETURN n", "Invalid input 'RETURN'"),
    Broken("broken:undefined-variable", "MATCH (n) RETURN m", "Variable `m` not defined"),
    Broken(
        "broken:undeclared-parameter",
        "MATCH (n) WHERE n.id = $id RETURN n",
        "Parameter $id is not defined",
    ),
    Broken(
        "broken:falkordb-function",
        "MATCH (n) RETURN vecf32([1.0, 2.0]) AS v",
        "Function vecf32 is not present",
    ),
    Broken(
        "broken:falkordb-procedure",
        "CALL db.idx.fulltext.queryNodes('Organization', 'esa') YIELD node RETURN node",
        "Procedure db.idx.fulltext.queryNodes is not present",
    ),
    Broken("broken:arity", "RETURN toLower('A', 'B') AS x", "Too many parameters"),
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def _unavailable(reason: str) -> NoReturn:
    if _in_ci():
        pytest.fail(f"{reason}; CI is set, so the Neo4j Cypher lint may not be skipped")
    pytest.skip(reason)


def _version(manifest: Path, key: list[str]) -> str | None:
    try:
        data: Any = json.loads(manifest.read_text(encoding="utf-8"))
        for part in key:
            data = data[part]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return data if isinstance(data, str) else None


def _ensure_installed(npm: str) -> None:
    """``npm ci`` unless node_modules holds the version package-lock.json pins."""
    locked = _version(
        TOOL / "package-lock.json", ["packages", f"node_modules/{PACKAGE}", "version"]
    )
    assert locked, f"{TOOL / 'package-lock.json'} does not pin {PACKAGE}"
    installed = _version(TOOL / "node_modules" / PACKAGE / "package.json", ["version"])
    if installed == locked:
        return
    try:
        proc = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=TOOL,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"npm ci in {TOOL} took more than 10 minutes")
    if proc.returncode != 0:
        pytest.fail(f"npm ci in {TOOL} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")


@pytest.fixture(scope="session")
def lint_results() -> dict[str, dict[str, Any]]:
    """Name -> ``{errors, warnings}`` for every case and broken query, from one node run."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _unavailable("node and npm are needed to lint Cypher with Neo4j's front end")
    _ensure_installed(npm)
    payload = [{"name": c.name, "query": c.query, "params": list(c.params)} for c in CASES]
    payload += [{"name": b.name, "query": b.query, "params": []} for b in BROKEN]
    proc = subprocess.run(
        [node, str(TOOL / "lint.mjs")],
        input=json.dumps(payload),
        cwd=TOOL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"lint.mjs failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    results = {r["name"]: r for r in json.loads(proc.stdout)}
    missing = [p["name"] for p in payload if p["name"] not in results]
    assert not missing, f"lint.mjs gave no result for {missing}"
    return results


def test_every_query_file_is_linted() -> None:
    on_disk = {e.name for e in QUERY_DIR.iterdir() if e.name.endswith(".cypher")}
    linted = {q.filename for q in all_queries().values()}
    assert on_disk == linted, "two .cypher files share a '// name:', so one would not be linted"


def test_names_are_unique() -> None:
    counts = Counter([c.name for c in CASES] + [b.name for b in BROKEN])
    assert not [name for name, n in counts.items() if n > 1], counts


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_neo4j_accepts(case: Case, lint_results: dict[str, dict[str, Any]]) -> None:
    errors = lint_results[case.name]["errors"]
    report = "\n".join(
        f"  {case.origin}:{e['line'] + case.line_offset}:{e['column']}: {e['message']}"
        for e in errors
    )
    assert not errors, f"Neo4j's Cypher front end rejects {case.name!r}:\n{report}\n{case.query}"


@pytest.mark.parametrize("broken", BROKEN, ids=[b.name for b in BROKEN])
def test_linter_flags_broken_query(broken: Broken, lint_results: dict[str, dict[str, Any]]) -> None:
    messages = [e["message"] for e in lint_results[broken.name]["errors"]]
    assert any(broken.expected in m for m in messages), (
        f"expected an error containing {broken.expected!r} for {broken.query!r}, got {messages}"
    )
