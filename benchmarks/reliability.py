"""Run the fault and hostile-input scenarios and write ``RELIABILITY.md``.

Run: ``python benchmarks/reliability.py [--fuzz-examples 150] [--orgs 30000]``.

The scenarios are the tests in ``tests/test_faults.py`` (real processes, a real embedded
FalkorDB, real ``kill -9``) and ``tests/test_hostile.py`` (Hypothesis-fuzzed loaders, write and
admin statements through ``orbitnet query``, names that look like code). This script runs them
with pytest, reads the figures each test records (``record_property``, in the JUnit XML report)
and turns them into a Markdown report: each scenario, what was done, what was measured, and
whether it passed. It exits with 1 if any scenario failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "RELIABILITY.md"
TEST_FILES = ("tests/test_faults.py", "tests/test_hostile.py")


@dataclass
class Case:
    name: str
    seconds: float
    outcome: str  # passed, failed, skipped
    message: str = ""
    props: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome == "passed"

    @property
    def mark(self) -> str:
        return {"passed": "pass", "failed": "**FAIL**", "skipped": "skipped"}[self.outcome]

    def get(self, key: str, default: str = "–") -> str:
        return self.props.get(key, default)

    def counts(self, key: str) -> dict[str, int]:
        try:
            counts: dict[str, int] = json.loads(self.props.get(key, "{}"))
            return counts
        except json.JSONDecodeError:
            return {}


# --- running ------------------------------------------------------------------------------------


def run_tests(report: Path, fuzz_examples: int | None, orgs: int | None) -> int:
    env = dict(os.environ)
    if fuzz_examples is not None:
        env["ORBITNET_FUZZ_EXAMPLES"] = str(fuzz_examples)
    if orgs is not None:
        env["ORBITNET_FAULT_ORGS"] = str(orgs)
    command = [
        sys.executable,
        "-m",
        "pytest",
        *TEST_FILES,
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "junit_family=legacy",
        f"--junitxml={report}",
    ]
    print("$", " ".join(command[2:]), flush=True)
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def read_report(report: Path) -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for testcase in ET.parse(report).iter("testcase"):
        outcome, message = "passed", ""
        for tag in ("failure", "error"):
            found = testcase.find(tag)
            if found is not None:
                outcome = "failed"
                message = (found.get("message") or found.text or "").strip().splitlines()[0]
        if testcase.find("skipped") is not None:
            outcome = "skipped"
        props = {p.get("name", ""): p.get("value", "") for p in testcase.iter("property")}
        name = testcase.get("name", "")
        cases[name] = Case(name, float(testcase.get("time", 0)), outcome, message, props)
    return cases


def server_version() -> str:
    from orbitnet.cypher import EmbeddedServer
    from orbitnet.cypher.falkor import FalkorStore

    home = Path(tempfile.mkdtemp(prefix="onr-", dir="/tmp"))
    server = EmbeddedServer(home)
    try:
        server.start()
        with FalkorStore(unix_socket_path=str(server.socket), graph="version") as store:
            return str(store.info()["server"])
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


# --- writing ------------------------------------------------------------------------------------


def _counts_line(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in counts.items()) or "empty"


def section(
    lines: list[str], case: Case | None, title: str, done: str, measured: list[str]
) -> None:
    lines.append(f"### {title}")
    lines.append("")
    if case is None:
        lines += ["Not run.", ""]
        return
    lines.append(f"Result: {case.mark} ({case.seconds:.1f} s, `{case.name}`)")
    lines.append("")
    lines.append(f"What was done: {done}")
    lines.append("")
    lines.append("What was measured:")
    lines.append("")
    lines += [f"- {m}" for m in measured]
    if case.message:
        lines.append(f"- failure: `{case.message}`")
    lines.append("")


def faults(lines: list[str], cases: dict[str, Case]) -> None:
    lines += ["## Faults", ""]
    c = cases.get("test_kill_9_during_a_large_load")
    if c is not None:
        rows = int(c.get("rows", "0") or 0)
        section(
            lines,
            c,
            "kill -9 of the server in the middle of a large load",
            f"a generated CSV of {rows:,} organisations (one mission per three, one "
            "participation each) was loaded with `orbitnet load FILE --mapping MAPPING` in a "
            "subprocess, first into a graph of its own (the clean reference), then into a "
            "second graph with `--batch-size 1000`; when a tenth of the organisations were "
            "written, the server got SIGKILL (pid from its pid file). Then `orbitnet stats` "
            "(which must restart the server) and the same load again. (Before orbitnet had "
            "FalkorDB log writes as effects, `EFFECTS_THRESHOLD 0`, the restart replayed each "
            "batch's MERGE without its index and was still loading after 5 minutes.)",
            [
                f"clean load: {c.get('clean_load_s')} s; counts "
                f"{_counts_line(c.counts('expected'))}",
                f"organisations written when killed: {c.get('organizations_at_kill')}; found "
                f"after the restart: {c.get('organizations_after_restart')} (nothing "
                "acknowledged was lost)",
                f"the load exited with 1, {c.get('load_failed_after_kill_s')} s after the kill, "
                f"printing one line: `{c.get('load_error')}`",
                f"the next command restarted the server and answered in {c.get('recovery_s')} s "
                f"(append-only file replayed); it saw {_counts_line(c.counts('after_crash'))}",
                f"loading again took {c.get('reload_s')} s and gave "
                f"{_counts_line(c.counts('after_reload'))}: equal to the clean load, "
                "partnerships (COLLABORATES_WITH with weights and kinds) included",
                f"duplicate ids: {c.get('duplicate_nodes')}; duplicate relationships: "
                f"{c.get('duplicate_relationships')}; the clean graph was intact after the crash",
            ],
        )
    c = cases.get("test_concurrent_loaders_leave_no_duplicates")
    if c is not None:
        section(
            lines,
            c,
            "Concurrent loaders",
            f"three `orbitnet load` subprocesses at once into one graph "
            f"(`--batch-size 500`): the same {c.get('rows_per_loader')}-row file twice and a "
            "file overlapping it by half (it shares organisations and splits a mission); "
            "compared with one clean load of their union.",
            [
                f"all three exited with 0 in {c.get('concurrent_s')} s",
                f"counts {_counts_line(c.counts('got'))}; clean load of the union "
                f"{_counts_line(c.counts('expected'))}; partnerships identical",
                f"duplicate ids: {c.get('duplicate_nodes')}; duplicate relationships: "
                f"{c.get('duplicate_relationships')}",
            ],
        )
    c = cases.get("test_concurrent_relationship_merges_do_not_duplicate")
    if c is not None:
        section(
            lines,
            c,
            "Two writers MERGE the same relationships at the same moment",
            f"two store clients sent the same {int(c.get('rows', '0') or 0):,}-row relationship "
            "`UNWIND ... MERGE` at once (released by a barrier), three times. Before orbitnet's "
            "per-graph write lock, FalkorDB ran both and each created every relationship "
            "(double the edges on the first try).",
            [f"relationships after each try: {c.get('edges_after_each_try')}"],
        )
    c = cases.get("test_lock_of_a_killed_writer_is_taken_over")
    if c is not None:
        section(
            lines,
            c,
            "A writer killed while it holds the write lock",
            "a subprocess took the graph's write lock and got SIGKILL; then another client "
            "wrote to the graph.",
            [f"the next write waited {c.get('takeover_s')} s for the lock (taken over at once)"],
        )
    c = cases.get("test_runaway_query_is_stopped_and_the_server_stays_up")
    if c is not None:
        section(
            lines,
            c,
            "Runaway query",
            '`orbitnet query "MATCH p=()-[*]-() RETURN p" --timeout 1` on the curated '
            "graph, then an ordinary query.",
            [
                f"the server stopped the query after {c.get('stopped_after_s')} s (limit "
                f"{c.get('query_timeout_s')} s); the whole command took {c.get('command_s')} s",
                f"exit 1 with one line: `{c.get('error')}`",
                f"the next query answered from the same server (pid unchanged: "
                f"{c.get('server_pid_unchanged')})",
            ],
        )
    c = cases.get("test_next_command_restarts_a_crashed_server")
    if c is not None:
        section(
            lines,
            c,
            "The next command restarts a crashed server",
            "the curated dataset was loaded, the server got SIGKILL while idle, then "
            "`orbitnet stats` ran.",
            [
                f"`orbitnet stats` exited with 0 in {c.get('restart_command_s')} s and said: "
                f"`{c.get('note')}`",
                f"the counts equalled those before the crash ({c.get('organizations')} "
                "organisations)",
            ],
        )
    c = cases.get("test_a_busy_server_is_not_killed_by_the_next_command")
    if c is not None:
        section(
            lines,
            c,
            "A busy server is not mistaken for a hung one",
            f"the server's main thread was kept busy for {c.get('busy_s')} s (as by a large "
            "delete: 3 s for 260k nodes), and `orbitnet stats` ran meanwhile. Before the fix, "
            "a start-up check that got no PING answer in 0.5 s sent SIGKILL to the server.",
            [
                f"`orbitnet stats` waited {c.get('command_waited_s')} s and answered from the "
                "same server (pid unchanged, no restart)"
            ],
        )


FUZZ_TESTS = [
    ("test_fuzz_curated_folders", "curated YAML folder (`read_dataset`)"),
    ("test_fuzz_csv_files", "CSV file with a fixed mapping (`read_mapped_csv`)"),
    ("test_fuzz_csv_mappings", "mapping file with a fixed CSV (`read_mapped_csv`)"),
    ("test_fuzz_gcat_files", "GCAT orgs.tsv + satcat.tsv (`read_gcat`)"),
    ("test_fuzz_graph_files[graphml]", "GraphML (`read_graph_file`)"),
    ("test_fuzz_graph_files[gexf]", "GEXF (`read_graph_file`)"),
]


def hostile(lines: list[str], cases: dict[str, Case]) -> None:
    lines += ["## Hostile input", "", "### Fuzzed loaders", ""]
    lines += [
        "Hypothesis generated, for every loader, random bytes, random text, and plausible files "
        "(valid records, CSV rows, TSV rows or XML elements with values replaced by hostile "
        "text: quotes, Cypher and HTML fragments, NUL and other control characters, lone "
        "surrogates, huge numbers, nested values) that were then perhaps cut, spliced or "
        "repeated, in UTF-8, UTF-8 with BOM, Latin-1 or UTF-16. Each example was read and then "
        "loaded in strict mode into the real embedded FalkorDB.",
        "",
        "Allowed: reading yields only `Located`/`Rejected` items, or raises an "
        "`OrbitnetError` for a file that cannot be read at all; every message is one printable "
        "line; every problem has a file, a line (none or ≥ 1), a field and a reason; every "
        "rejected row can be written to a rejects file; no example takes 20 s. Strict loading "
        "writes everything, or raises `InvalidDataError` and leaves the store with no node and "
        "no relationship; any rejected row means the second.",
        "",
        "| loader | result | examples | read: only records | read: some rows rejected "
        "| read: orbitnet error | strict load: written | strict load: refused, store empty "
        "| nothing to load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total = 0
    for name, title in FUZZ_TESTS:
        c = cases.get(name)
        if c is None:
            lines.append(f"| {title} | not run | | | | | | | |")
            continue
        total += int(c.get("examples", "0") or 0)
        lines.append(
            f"| {title} | {c.mark} | {c.get('examples')} | {c.get('only_records')} | "
            f"{c.get('some_rejected')} | {c.get('orbitnet_error')} | {c.get('written')} | "
            f"{c.get('refused')} | {c.get('empty')} |"
        )
    lines += ["", f"{total:,} fuzzed examples in all.", ""]
    failed = [cases[n] for n, _ in FUZZ_TESTS if n in cases and not cases[n].ok]
    for c in failed:
        lines += [f"- `{c.name}` failed: `{c.message}`"]
    if failed:
        lines.append("")

    lines += [
        "### YAML and XML bombs",
        "",
        "| input | result | seconds | first problem |",
        "|---|---|---:|---|",
    ]
    for name, c in sorted(cases.items()):
        if name.startswith("test_yaml_bombs_are_rejected_quickly["):
            label = name.split("[", 1)[1].rstrip("]")
            problem = c.get("problem")
            lines.append(f"| {label} | {c.mark} | {c.get('seconds')} | `{problem}` |")
    c = cases.get("test_xml_entity_tricks_are_refused")
    if c is not None:
        lines.append(
            f"| XML billion laughs and an external entity (`file:///etc/passwd`) | {c.mark} "
            "| < 2 | entity declarations refused |"
        )
    lines.append("")

    c = cases.get("test_thirty_write_and_admin_statements_are_refused")
    kinds = (
        ", ".join(f"{k[6:]} {v}" for k, v in sorted(c.props.items()) if k.startswith("kind: "))
        if c is not None
        else ""
    )
    section(
        lines,
        c,
        "Thirty write and admin statements through `orbitnet query`",
        "CREATE, MERGE, DELETE, DETACH DELETE, SET, REMOVE (properties and labels), CREATE and "
        "DROP INDEX in both syntaxes, full-text index procedures, LOAD CSV (a file, a URL, and "
        "one spelt `lOaD /* x */ cSv`), FOREACH with CREATE, CALL { CREATE } and CALL { SET }, "
        "mixed-case keywords, keywords split by block and line comments, homoglyphs (Roman "
        "numeral Ⅽ, Cyrillic Е, full-width letters), two statements joined by `;`, and "
        "GRAPH.DELETE written as query text; each sent with the CLI to the curated graph.",
        [
            f"refused: {c.get('refused') if c else '–'}/{c.get('statements') if c else '30'}, "
            "each with exit 1 and one line on stderr, nothing on stdout",
            f"messages by kind: {kinds}",
            "nodes, relationships, indexes, constraints and the graph list were identical "
            f"before and after: {c.get('data_unchanged') if c else '–'}",
        ],
    )
    c = cases.get("test_undecodable_query_text_is_refused")
    section(
        lines,
        c,
        "Query text and parameters that are not UTF-8",
        "a query and a `--param` value holding a byte that is not UTF-8 (a lone surrogate "
        "in Python), as a shell passes it.",
        ["exit 1 with one line saying the text is not valid UTF-8 (it was a traceback before)"],
    )
    c = cases.get("test_hostile_names_are_stored_verbatim")
    section(
        lines,
        c,
        "Names that look like code",
        "organisations, aliases, a mission and contributions named with quotes, backticks, "
        "backslashes, Cypher fragments (`'}) MATCH (n) DETACH DELETE n //`, `CREATE (...)`), "
        "parameter syntax, comments, HTML and script tags, tabs and line breaks, control "
        "characters and unusual Unicode, loaded from a curated-format folder.",
        [
            f"{c.get('stored_verbatim') if c else '–'} of {c.get('names') if c else '–'} names "
            "read back verbatim, as names, aliases and contributions",
            "no node added or removed (nothing was executed); a name works as a `$parameter`",
        ],
    )
    c = cases.get("test_nul_is_rejected_with_file_line_and_field")
    section(
        lines,
        c,
        "NUL characters",
        "a curated-format record and a CSV cell holding NUL.",
        [
            "rejected at validation with `file:line: field: contains a NUL character (U+0000) "
            "at position N, which the database cannot store; remove it`",
            "strict loading wrote nothing",
        ],
    )


KNOWN_LIMITS = """\
## Known limits

Found while building these scenarios and measured once on this machine; not re-run by this
script (the first one takes the server down on purpose).

- `range()` with a huge bound. FalkorDB builds the whole list before its time limit or its
  per-query memory cap (`QUERY_MEM_CAPACITY`, which orbitnet now sets to 2 GiB) is checked:
  `UNWIND range(1, 10000000000) AS x RETURN count(x)` grew the server to 24 GB until the
  kernel's OOM killer stopped it (the next command restarts it, data intact), and
  `range(1, 500000000)` was refused only after reaching 8.3 GB. Queries that grow row by row
  (`UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN collect(a)`) are stopped
  at their time limit.
- The write lock serialises orbitnet's own writers on the embedded FalkorDB (and any FalkorDB
  reached by orbitnet); other programs writing to the same graph are not serialised. On Neo4j,
  relationship MERGE takes locks itself; the derived-edge recomputation of two concurrent
  loads is not serialised there.
- `LOAD CSV` is refused on FalkorDB by reading the query plan. On Neo4j, `orbitnet query` runs
  in a READ transaction, which Neo4j allows to `LOAD CSV ... RETURN`; restrict it in Neo4j's
  own settings (`dbms.security.allow_csv_import_from_file_urls`, `server.directories.import`).
- Durability is that of `appendfsync everysec`: a crash of the server process loses nothing it
  acknowledged (as measured above), a power cut can lose the last second.
"""


def render(cases: dict[str, Case], exit_code: int, args: argparse.Namespace) -> str:
    failed = [c for c in cases.values() if c.outcome == "failed"]
    passed = sum(c.ok for c in cases.values())
    lines = [
        "# Reliability: faults and hostile input",
        "",
        "Generated by `python benchmarks/reliability.py"
        + (f" --fuzz-examples {args.fuzz_examples}" if args.fuzz_examples else "")
        + (f" --orgs {args.orgs}" if args.orgs else "")
        + f"` on {dt.date.today().isoformat()}: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {args.server}; falkordb client "
        f"{version('falkordb')}, redis-py {version('redis')}, Hypothesis {version('hypothesis')}. "
        f"The scenarios are the tests in `{TEST_FILES[0]}` and `{TEST_FILES[1]}`.",
        "",
        f"**{passed} of {len(cases)} checks passed"
        + (f"; {len(failed)} failed" if failed else "")
        + (f" (pytest exit code {exit_code})" if exit_code else "")
        + ".**",
        "",
        "| scenario | result | seconds |",
        "|---|---|---:|",
    ]
    lines += [f"| `{c.name}` | {c.mark} | {c.seconds:.1f} |" for c in cases.values()]
    lines.append("")
    faults(lines, cases)
    hostile(lines, cases)
    lines.append(KNOWN_LIMITS)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz-examples", type=int, help="Hypothesis examples per loader")
    parser.add_argument("--orgs", type=int, help="organisations in the kill -9 load")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write the report")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.xml"
        exit_code = run_tests(report, args.fuzz_examples, args.orgs)
        if not report.exists():
            print("pytest wrote no report", file=sys.stderr)
            return 1
        cases = read_report(report)
    args.server = server_version()
    args.output.write_text(render(cases, exit_code, args), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0 if exit_code == 0 and all(c.outcome != "failed" for c in cases.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
