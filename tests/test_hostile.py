"""Hostile input: fuzzed files for every loader, write and admin statements sent through
``orbitnet query``, and names built to be mistaken for code.

What a loader may do with any input (the contract the fuzz tests check)
    Reading a file (consuming the iterator a ``read_*`` function returns) either yields only
    :class:`~orbitnet.loaders.base.Located` and :class:`~orbitnet.loaders.base.Rejected` items,
    or raises an :class:`~orbitnet.errors.OrbitnetError` (a mapping or header that makes the whole
    file unreadable). Nothing else: no ``KeyError``, ``UnicodeError``, ``RecursionError``, yaml,
    csv or expat exception, no hang. Every message is one line; every problem names the file,
    a line that is ``None`` or at least 1, a field and a reason; every ``raw`` value can be
    written to a rejects file.

What strict loading may do with those items
    :func:`~orbitnet.loaders.pipeline.load_items` either writes everything (no item was
    rejected and every reference resolves) or raises
    :class:`~orbitnet.errors.InvalidDataError` with at least one problem, and then the store
    holds no node and no relationship. A rejected item always means the second.

Each test records what it measured with ``record_property``; ``benchmarks/reliability.py`` runs
this file with ``--junitxml`` and turns the figures into ``RELIABILITY.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from orbitnet.cli import app
from orbitnet.cypher import EmbeddedServer
from orbitnet.cypher.falkor import FalkorStore
from orbitnet.cypher.store import Store
from orbitnet.errors import InvalidDataError, OrbitnetError
from orbitnet.loaders.base import Item, Located, Rejected, bounded
from orbitnet.loaders.csv_mapping import read_mapped_csv
from orbitnet.loaders.curated import read_dataset
from orbitnet.loaders.gcat import read_gcat
from orbitnet.loaders.graph_files import read_graph_file
from orbitnet.loaders.pipeline import load_items, write_rejects
from tests.conftest import cli_env

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = int(os.environ.get("ORBITNET_FUZZ_EXAMPLES", "150"))
"""Hypothesis examples per fuzz test (each one is also loaded into the real store)."""
SLOW_EXAMPLE = 20.0
"""Seconds one example may take, reading and loading; more is a hang (a YAML bomb, say)."""

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- text that tends to break things -----------------------------------------------------------

NASTY = [
    "",
    " ",
    "\t",
    "\n",
    "\r\n",
    "'",
    '"',
    "`",
    "\\",
    "\\'",
    '\\"',
    "$x",
    "${x}",
    "{0}",
    "{{",
    "}}",
    "' OR 1=1 --",
    "'}) MATCH (n) DETACH DELETE n //",
    '"}) DETACH DELETE n //',
    "*/",
    "/*",
    "//",
    "<script>alert(1)</script>",
    "&amp;",
    "&#0;",
    "]]>",
    "<!--",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\x07",
    "\u202e",
    "\ufeff",
    "\ud800",
    "\udcff",
    "\U0001f680",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "Ⅽ",
    "ｆｕｌｌ",
    "e\u0301",
    "9" * 40,
    "x" * 3000,
    "-1",
    "0",
    "1e400",
    "NaN",
    "inf",
    "true",
    "null",
    "~",
    "2020-13-45",
    "|",
    "a|b",
    ",",
    ";",
    "#",
    "---",
    "...",
    "- x",
    ": x",
    "&a",
    "*a",
    "!!binary",
    "?",
    "/",
    "S00001",
    "1957 Oct  4",
    "*",
]
TEXT = st.one_of(st.sampled_from(NASTY), st.text(max_size=20))
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    TEXT,
    st.dates(),
    st.binary(max_size=6),
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=5,
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"])


@st.composite
def mutated(draw: st.DrawFn, text: str, structural: list[str]) -> str:
    """``text`` with up to three cuts, insertions, deletions or repeats."""
    pieces = st.sampled_from(structural) | st.sampled_from(NASTY)
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 40)))
        op = draw(st.sampled_from(["cut", "insert", "delete", "repeat"]))
        if op == "cut":
            text = text[:i]
        elif op == "insert":
            text = text[:i] + draw(pieces) + text[i:]
        elif op == "delete":
            text = text[:i] + text[j:]
        else:
            text = text[:j] + text[i:j] + text[j:]
    return text


def encoded(text: str, encoding: str) -> bytes:
    errors = "surrogatepass" if encoding.startswith("utf-8") else "replace"
    return text.encode(encoding, errors)


def content(plausible: st.SearchStrategy[str], structural: list[str]) -> st.SearchStrategy[bytes]:
    """Random bytes, random text, or plausible text, perhaps broken, in some encoding."""
    broken = plausible.flatmap(lambda t: mutated(t, structural))
    text = st.one_of(st.text(max_size=200), plausible, plausible, broken, broken)
    as_bytes = st.builds(encoded, text, ENCODINGS)
    return st.one_of(st.binary(max_size=200), as_bytes, as_bytes, as_bytes)


# --- the contract -------------------------------------------------------------------------------


class Tally:
    """Counts what the fuzzed examples did, for the report."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def record(self, record_property: Callable[[str, object], None]) -> None:
        record_property("examples", self.counts["examples"])
        keys = ("only records", "some rejected", "orbitnet error", "written", "refused", "empty")
        for key in keys:
            record_property(key.replace(" ", "_"), self.counts[key])


def consume(read: Callable[[], Iterable[Item]], tally: Tally) -> list[Item]:
    """Read a file and check the loader contract of the module docstring."""
    tally.counts["examples"] += 1
    error: OrbitnetError | None = None
    try:
        items = list(read())
    except OrbitnetError as exc:
        error = exc
    if error is not None:
        assert str(error) and "\n" not in str(error), repr(str(error))
        str(error).encode("utf-8")  # printable on a UTF-8 terminal
        tally.counts["orbitnet error"] += 1
        return []
    for item in items:
        assert isinstance(item, Located | Rejected), item
        if isinstance(item, Rejected):
            problem = item.problem
            assert problem.file and problem.field and problem.reason, problem
            assert problem.line is None or problem.line >= 1, problem
            assert "\n" not in str(problem), repr(str(problem))
            str(problem).encode("utf-8")
            json.dumps(bounded(item.raw), ensure_ascii=False)
    rejected = [i for i in items if isinstance(i, Rejected)]
    tally.counts["some rejected" if rejected else "only records"] += 1
    if rejected:
        with tempfile.TemporaryDirectory() as folder:
            write_rejects(Path(folder) / "rejects.jsonl", rejected)
    return items


def store_is_empty(store: Store) -> bool:
    nodes = store.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    rels = store.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return nodes == 0 and rels == 0


def load_strictly(store: Store, items: list[Item], tally: Tally) -> None:
    """Strict loading writes all or nothing (see the module docstring)."""
    if not items:
        tally.counts["empty"] += 1  # an unreadable file, or one without records
        return
    store.clear()
    refused: InvalidDataError | None = None
    try:
        load_items(store, items)
    except InvalidDataError as exc:
        refused = exc
    if refused is not None:
        assert refused.problems
        assert store_is_empty(store), "strict mode wrote part of a bad load"
        tally.counts["refused"] += 1
        return
    assert not any(isinstance(i, Rejected) for i in items), "strict mode wrote a bad load"
    tally.counts["written"] += 1


def read_then_load(store: Store, read: Callable[[], Iterable[Item]], tally: Tally) -> None:
    """One fuzz example: read (no crash) then load strictly (all or nothing), in good time."""
    began = time.perf_counter()
    load_strictly(store, consume(read, tally), tally)
    assert time.perf_counter() - began < SLOW_EXAMPLE


# --- curated YAML folders -----------------------------------------------------------------------

VALID_RECORDS: dict[str, list[dict[str, Any]]] = {
    "countries.yaml": [{"id": "us", "name": "United States", "source": "ISO 3166-1"}],
    "organizations.yaml": [
        {
            "id": "org-a",
            "name": "Org A",
            "sector": "agency",
            "country": "US",
            "founded": 1990,
            "aliases": ["A", "AA"],
            "source": "https://example.org/a",
        },
        {"id": "org-b", "name": "Org B", "sector": "company", "source": "https://example.org/b"},
    ],
    "programs.yaml": [{"id": "prog-a", "name": "Program A", "start_year": 2000, "source": "s"}],
    "missions.yaml": [
        {
            "id": "m-a",
            "name": "Mission A",
            "kind": "lunar",
            "launch_year": 2010,
            "programs": ["prog-a"],
            "source": "s",
        }
    ],
    "agreements.yaml": [
        {
            "id": "ag-a",
            "name": "Accord",
            "kind": "bilateral",
            "signed": dt.date(2020, 1, 1),
            "program": "prog-a",
            "source": "s",
        }
    ],
    "participations.yaml": [
        {
            "org": "org-a",
            "target": "m-a",
            "role": "lead",
            "contribution": "a camera",
            "source": "s",
        },
        {"org": "org-b", "target": "m-a", "role": "launch", "source": "s"},
    ],
    "signatures.yaml": [
        {"signer": "org-a", "agreement": "ag-a", "date": dt.date(2020, 1, 2), "source": "s"},
        {"signer": "us", "agreement": "ag-a", "source": "s"},
    ],
    "memberships.yaml": [{"country": "us", "org": "org-a", "since": 1990, "source": "s"}],
    "contracts.yaml": [
        {"customer": "org-a", "contractor": "org-b", "program": "prog-a", "year": 2011}
    ],
}
YAML_PIECES = [":", "- ", "\n  ", "\n- ", "[", "]", "{", "}", "&a ", "*a", "? ", "<<: *a",
               "!!python/name:os ", "!!binary ", "'", '"', "|", ">", "%YAML 1.1\n",
               "\t", " 2020-02-30", " 0000-01-01", " !!timestamp x", " !!int x"]  # fmt: skip


@st.composite
def mutated_record(draw: st.DrawFn, record: Any) -> Any:
    if not isinstance(record, dict):
        return record
    record = dict(record)
    for _ in range(draw(st.integers(0, 2))):
        op = draw(st.sampled_from(["text", "text", "value", "drop", "extra", "replace"]))
        key = draw(st.sampled_from(sorted(record))) if record else None
        texts = sorted(k for k in ("name", "source", "contribution") if k in record)
        if op == "text" and texts:  # usually still valid: hostile text where text belongs
            record[draw(st.sampled_from(texts))] = draw(TEXT)
        elif op == "value" and key is not None:
            record[key] = draw(VALUE)
        elif op == "drop" and key is not None:
            del record[key]
        elif op == "extra":
            record[draw(TEXT)] = draw(VALUE)
        elif op == "replace":
            return draw(VALUE)
    return record


@st.composite
def curated_folder(draw: st.DrawFn) -> dict[str, bytes]:
    every = st.just(set(VALID_RECORDS))  # all files: references resolve, loads get written
    some = st.sets(st.sampled_from(sorted(VALID_RECORDS)), min_size=1, max_size=9)
    names = draw(every | some)
    records = {name: list(VALID_RECORDS[name]) for name in sorted(names)}
    for _ in range(draw(st.integers(0, 3))):  # a few records changed, the rest as they were
        name = draw(st.sampled_from(sorted(records)))
        i = draw(st.integers(0, len(records[name]) - 1))
        records[name][i] = draw(mutated_record(records[name][i]))
    files: dict[str, bytes] = {}
    for name, rows in records.items():
        text = yaml.safe_dump(rows, allow_unicode=True, sort_keys=False)
        files[name] = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):  # one file as bytes, random text, or broken YAML
        name = draw(st.sampled_from(sorted(files)))
        text = files[name].decode("utf-8", "surrogatepass")
        files[name] = draw(content(st.just(text), YAML_PIECES))
    return files


def test_fuzz_curated_folders(falkor_store: Store, tmp_path: Path, record_property) -> None:
    tally = Tally()

    @FUZZ
    @given(files=curated_folder())
    def run(files: dict[str, bytes]) -> None:
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        for name, data in files.items():
            (folder / name).write_bytes(data)
        read_then_load(falkor_store, lambda: read_dataset(folder), tally)

    run()
    tally.record(record_property)


YAML_BOMBS = {
    "deep list": "[" * 5000 + "]" * 5000,
    "deep mapping": "- " + "{a: " * 3000 + "1" + "}" * 3000,
    "a mapping that contains itself": "- &a\n  id: x\n  name: *a\n  sector: agency\n",
    "billion laughs (10^9 strings)": "\n".join(
        ["- &a0 [x, x, x, x, x, x, x, x, x, x]"]
        + [f"- &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    ),
    "python object tag": "- !!python/object/apply:os.system ['echo pwned']\n",
}


@pytest.mark.parametrize("name", sorted(YAML_BOMBS))
def test_yaml_bombs_are_rejected_quickly(
    falkor_store: Store, tmp_path: Path, name: str, record_property
) -> None:
    (tmp_path / "organizations.yaml").write_text(YAML_BOMBS[name], encoding="utf-8")
    began = time.perf_counter()
    items = consume(lambda: read_dataset(tmp_path), Tally())
    assert items and all(isinstance(i, Rejected) for i in items)
    write_rejects(tmp_path / "rejects.jsonl", [i for i in items if isinstance(i, Rejected)])
    assert (tmp_path / "rejects.jsonl").stat().st_size < 100_000
    load_strictly(falkor_store, items, Tally())
    seconds = time.perf_counter() - began
    assert seconds < 5
    record_property("seconds", round(seconds, 3))
    problem = str(items[0].problem).replace(f"{tmp_path}/", "")  # type: ignore[union-attr]
    record_property("problem", problem)


# --- CSV + mapping ------------------------------------------------------------------------------

CSV_MAPPING = """\
source: source
records:
  - record: organization
    fields:
      id: {column: org, transform: slug}
      name: org_name
      sector: {column: sector, transform: [strip, lower]}
      country: {column: country, transform: upper}
      founded: {column: founded, transform: int}
      aliases: {column: aliases, split: "|"}
  - record: mission
    fields:
      id: {column: mission, transform: slug, skip_if_empty: true}
      name: {template: "Mission {mission}"}
      kind: {column: kind, default: spacecraft}
      launch_year: {column: launch_year, transform: int}
  - record: participation
    fields:
      org: {column: org, transform: slug}
      target: {column: mission, transform: slug, skip_if_empty: true}
      role: {column: role, transform: lower, default: partner}
      contribution: contribution
"""
CSV_COLUMNS = [
    "org", "org_name", "sector", "country", "founded", "aliases",
    "mission", "kind", "launch_year", "role", "contribution", "source",
]  # fmt: skip
CSV_ROWS = [
    ["NASA", "NASA", "agency", "us", "1958", "NASA|N", "JWST", "observatory", "2021", "lead",
     "the telescope", "https://example.org"],
    ["ESA", "European Space Agency", "Intergovernmental", "", "", "", "JWST", "observatory",
     "2021", "instrument", 'NIRSpec, "MIRI"', ""],
    ["CNES", "Centre national d’études spatiales", "agency", "fr", "1961", "", "", "", "", "",
     "", ""],
]  # fmt: skip
CSV_PIECES = ['"', ",", "\n", "\r", ";", "\t", '""', '"\n"', "\r\n", "\x00"]


@st.composite
def plausible_csv(draw: st.DrawFn) -> str:
    header = list(CSV_COLUMNS)
    if draw(st.booleans()):
        i = draw(st.integers(0, len(header) - 1))
        header[i] = draw(st.sampled_from(["", header[0], header[i].upper(), header[i] + " "]))
    rows = []
    for row in draw(st.lists(st.sampled_from(CSV_ROWS), min_size=0, max_size=4)):
        row = list(row)
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
            row[draw(st.integers(0, len(row) - 1))] = draw(TEXT)
        if draw(st.integers(0, 9)) == 0:
            row = row[: draw(st.integers(0, len(row)))]
        rows.append(row)
    out = io.StringIO(newline="")
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    writer = csv.writer(out, delimiter=draw(st.sampled_from(",;\t|")), quoting=quoting)  # type: ignore[arg-type]
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def test_fuzz_csv_files(falkor_store: Store, tmp_path: Path, record_property) -> None:
    tally = Tally()
    mapping = tmp_path / "partners.yaml"
    mapping.write_text(CSV_MAPPING, encoding="utf-8")

    @FUZZ
    @given(data=content(plausible_csv(), CSV_PIECES))
    def run(data: bytes) -> None:
        path = Path(tempfile.mkdtemp(dir=tmp_path)) / "partners.csv"
        path.write_bytes(data)
        read_then_load(falkor_store, lambda: read_mapped_csv(path, mapping), tally)

    run()
    tally.record(record_property)


FIELD_SPEC_KEYS = ["column", "value", "template", "transform", "split", "default", "skip_if_empty"]


@st.composite
def plausible_mapping(draw: st.DrawFn) -> str:
    data = yaml.safe_load(CSV_MAPPING)
    for _ in range(draw(st.integers(0, 2))):
        record = draw(st.sampled_from(data["records"]))
        op = draw(st.sampled_from(["benign", "benign", "record", "field", "spec", "top"]))
        if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
            break
        if op == "benign":  # still a valid mapping: another column, transform or default
            field = draw(st.sampled_from(sorted(record["fields"])))
            record["fields"][field] = {
                "column": draw(st.sampled_from(CSV_COLUMNS)),
                "transform": draw(st.sampled_from([[], ["strip"], ["slug"], ["lower", "slug"]])),
                "default": draw(st.sampled_from([None, "x", "partner", "2000"])),
            }
        elif op == "record":
            record["record"] = draw(st.sampled_from(["contract", "country", "nothing"]) | TEXT)
        elif op == "field":
            record["fields"][draw(TEXT | st.sampled_from(["id", "name", "year"]))] = draw(
                TEXT | st.builds(dict, column=st.sampled_from(CSV_COLUMNS))
            )
        elif op == "spec":
            field = draw(st.sampled_from(sorted(record["fields"])))
            spec = record["fields"][field]
            spec = dict(spec) if isinstance(spec, dict) else {"column": spec}
            spec[draw(st.sampled_from(FIELD_SPEC_KEYS) | TEXT)] = draw(
                VALUE | st.sampled_from(["slug", "int", ["slug", "upper"], "{org}", "{", "}{"])
            )
            record["fields"][field] = spec
        else:
            key = draw(st.sampled_from(["delimiter", "source", "records", "extra"]))
            data[key] = draw(VALUE)
            if key == "records":
                break
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_fuzz_csv_mappings(falkor_store: Store, tmp_path: Path, record_property) -> None:
    tally = Tally()
    table = tmp_path / "partners.csv"
    out = io.StringIO(newline="")
    csv.writer(out).writerows([CSV_COLUMNS, *CSV_ROWS])
    table.write_text(out.getvalue(), encoding="utf-8")

    @FUZZ
    @given(data=content(plausible_mapping(), YAML_PIECES))
    def run(data: bytes) -> None:
        mapping = Path(tempfile.mkdtemp(dir=tmp_path)) / "mapping.yaml"
        mapping.write_bytes(data)
        read_then_load(falkor_store, lambda: read_mapped_csv(table, mapping), tally)

    run()
    tally.record(record_property)


# --- GCAT ---------------------------------------------------------------------------------------


def _gcat_excerpt(name: str, rows: int) -> list[str]:
    lines = (FIXTURES / "gcat" / name).read_text(encoding="utf-8").splitlines()
    head = [line for line in lines[:3] if line.startswith("#")]
    body = [line for line in lines if not line.startswith("#")]
    return head + body[:rows]


ORGS_LINES = _gcat_excerpt("orgs.tsv", 12)
SATCAT_LINES = _gcat_excerpt("satcat.tsv", 8)
TSV_PIECES = ["\t", "\n", "#", "?", "/", "-", "*", " ", "\r", "\x00"]


@st.composite
def plausible_tsv(draw: st.DrawFn, lines: list[str]) -> str:
    lines = list(lines)
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        cells = lines[i].split("\t")
        cells[draw(st.integers(0, len(cells) - 1))] = draw(TEXT)
        lines[i] = "\t".join(cells)
    return "\n".join(lines) + "\n"


def test_fuzz_gcat_files(falkor_store: Store, tmp_path: Path, record_property) -> None:
    tally = Tally()

    @FUZZ
    @given(
        orgs=content(plausible_tsv(ORGS_LINES), TSV_PIECES),
        satcat=content(plausible_tsv(SATCAT_LINES), TSV_PIECES),
        aliases=st.dictionaries(TEXT, TEXT, max_size=2),
    )
    def run(orgs: bytes, satcat: bytes, aliases: dict[str, str]) -> None:
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        (folder / "orgs.tsv").write_bytes(orgs)
        (folder / "satcat.tsv").write_bytes(satcat)
        read_then_load(
            falkor_store,
            lambda: read_gcat(folder / "orgs.tsv", folder / "satcat.tsv", aliases=aliases),
            tally,
        )

    run()
    tally.record(record_property)


# --- GraphML and GEXF ---------------------------------------------------------------------------

XML_PIECES = ["<", ">", "</node>", "<node id='x'>", "&", "&amp;", "&#0;", "&#xD800;", "]]>",
              "<![CDATA[", "<!DOCTYPE g [<!ENTITY e 'x'>]>", "&e;", '"', "'", "\x00", "<edge/>",
              '<!DOCTYPE g SYSTEM "file:///etc/passwd">',
              "<data key='r'>mission</data>"]  # fmt: skip
_DATA_VALUE = re.compile(r"(<data key=\"[^\"]+\">)([^<]*)(</data>)")
_ATTR_VALUE = re.compile(
    r"((?:value|label|id|source|target|attr\.name|attr\.type|title|type|for|key|encoding)=)"
    r'("[^"]*")'
)


@st.composite
def plausible_xml(draw: st.DrawFn, text: str) -> str:
    """The fixture with some element texts and attribute values replaced (escaped properly)."""
    for _ in range(draw(st.integers(0, 3))):
        pattern = draw(st.sampled_from([_DATA_VALUE, _ATTR_VALUE]))
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        match = draw(st.sampled_from(matches))
        value = draw(TEXT).replace("\x00", "")
        value = "".join(c for c in value if not 0xD800 <= ord(c) <= 0xDFFF)
        if pattern is _DATA_VALUE:
            new = match.group(1) + escape(value) + match.group(3)
        else:  # line breaks as character references, which XML keeps in attribute values
            new = match.group(1) + quoteattr(value, {"\n": "&#10;", "\r": "&#13;"})
        text = text[: match.start()] + new + text[match.end() :]
    return text


@pytest.mark.parametrize("suffix", ["graphml", "gexf"])
def test_fuzz_graph_files(
    falkor_store: Store, tmp_path: Path, suffix: str, record_property
) -> None:
    tally = Tally()
    fixture = (FIXTURES / "graph" / f"partners.{suffix}").read_text(encoding="utf-8")

    @FUZZ
    @given(data=content(plausible_xml(fixture), XML_PIECES))
    def run(data: bytes) -> None:
        path = Path(tempfile.mkdtemp(dir=tmp_path)) / f"network.{suffix}"
        path.write_bytes(data)
        read_then_load(falkor_store, lambda: read_graph_file(path), tally)

    run()
    tally.record(record_property)


def test_xml_entity_tricks_are_refused(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE graphml ['
        + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
        + ']><graphml><graph><node id="a"><data key="name">&l9;</data></node></graph></graphml>'
    )
    external = (
        '<?xml version="1.0"?><!DOCTYPE graphml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<graphml><graph><node id="a"><data key="name">&x;</data></node></graph></graphml>'
    )
    for name, text in (("laughs", laughs), ("external", external)):
        path = tmp_path / f"{name}.graphml"
        path.write_text(text, encoding="utf-8")
        began = time.perf_counter()
        items = consume(lambda p=path: read_graph_file(p), Tally())  # type: ignore[misc]
        assert time.perf_counter() - began < 2
        assert [type(i) for i in items] == [Rejected]
        assert "entit" in items[0].problem.reason  # type: ignore[union-attr]


# --- write and admin statements through `orbitnet query` ---------------------------------------

REFUSED_STATEMENTS = [
    "CREATE (:Organization {id: 'evil', name: 'Evil'})",
    "MERGE (o:Organization {id: 'evil'}) RETURN o",
    "MATCH (n:Organization {id: 'nasa'}) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Organization) SET n.name = 'pwned'",
    "MATCH (n:Organization) REMOVE n.name",
    "MATCH (n:Organization {id: 'nasa'}) SET n:Evil",
    "MATCH (n:Agency) REMOVE n:Agency",
    "CREATE INDEX FOR (n:Organization) ON (n.name)",
    "CREATE INDEX ON :Mission(name)",
    "DROP INDEX ON :Organization(id)",
    "DROP INDEX FOR (n:Organization) ON (n.id)",
    "CALL db.idx.fulltext.createNodeIndex('Organization', 'name')",
    "CALL db.idx.fulltext.drop('Organization')",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "LOAD CSV WITH HEADERS FROM 'https://example.com/x.csv' AS row "
    "CREATE (:Organization {id: row.id})",
    "lOaD /* x */ cSv FROM 'file:///orgs.csv' AS row RETURN count(row)",
    "FOREACH (i IN range(1, 3) | CREATE (:Organization {id: 'f' + toString(i)}))",
    "MATCH (n:Organization) CALL { CREATE (:Organization {id: 'sub'}) } RETURN count(n)",
    "MATCH (n:Organization) WITH n CALL { WITH n SET n.x = 1 } RETURN count(*)",
    "cReAtE (:Organization {id: 'mixed-case'})",
    "MaTcH (n) DeTaCh DeLeTe n",
    "MATCH (n) /* a comment */ DETACH /* hides */ DELETE n",
    "MATCH (n) // a line comment\nDETACH DELETE n",
    "\u216dREATE (:Organization {id: 'roman-numeral-c'})",
    "CR\u0415ATE (:Organization {id: 'cyrillic-e'})",
    "MATCH (n) \uff24\uff25\uff34\uff21\uff23\uff28 \uff24\uff25\uff2c\uff25\uff34\uff25 n",
    "MATCH (n) RETURN n LIMIT 1; MATCH (n) DETACH DELETE n",
    "GRAPH.DELETE hostile",
    "RETURN 1\nGRAPH.DELETE hostile",
]
REFUSAL = re.compile(r"^error: (refused: |Cypher syntax error |FalkorDB refused the query: )")

runner = CliRunner()


def snapshot(home: Path, graph: str) -> dict[str, Any]:
    """Everything a refused statement could have changed: nodes, relationships, schema."""
    server = EmbeddedServer(home)
    store = FalkorStore(unix_socket_path=str(server.socket), graph=graph)
    try:
        nodes = store.read("MATCH (n) RETURN n ORDER BY n.id")
        rels = store.read(
            "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, r AS r "
            "ORDER BY a, t, b, r.role"
        )
        indexes = store.read("CALL db.indexes() YIELD label, properties RETURN label, properties")
        return {
            "nodes": nodes,
            "relationships": rels,
            "indexes": sorted(json.dumps(i, sort_keys=True) for i in indexes),
            "constraints": sorted(json.dumps(c, sort_keys=True) for c in store.constraints()),
            "graphs": sorted(store._db.list_graphs()),
        }
    finally:
        store.close()


@pytest.fixture(scope="module")
def query_env(orbitnet_home: Path) -> dict[str, str]:
    env = cli_env(orbitnet_home, "hostile")
    result = runner.invoke(app, ["load"], env=env)
    assert result.exit_code == 0, result.output
    return env


def test_thirty_write_and_admin_statements_are_refused(
    orbitnet_home: Path, query_env: dict[str, str], record_property
) -> None:
    assert len(REFUSED_STATEMENTS) == 30
    before = snapshot(orbitnet_home, "hostile")
    assert len(before["nodes"]) > 100
    refused, kinds = 0, Counter[str]()
    for statement in REFUSED_STATEMENTS:
        result = runner.invoke(app, ["query", statement], env=query_env)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.exit_code == 1, (statement, result.output)
        assert "Traceback" not in result.output
        assert result.stdout == "", (statement, result.stdout)
        assert len(lines) == 1 and REFUSAL.match(lines[0]), (statement, lines)
        kinds[REFUSAL.match(lines[0]).group(1).strip(" :")] += 1  # type: ignore[union-attr]
        refused += 1
    assert snapshot(orbitnet_home, "hostile") == before
    follow = runner.invoke(
        app, ["query", "MATCH (n) RETURN count(n) AS n", "--json"], env=query_env
    )
    assert json.loads(follow.stdout) == [{"n": len(before["nodes"])}]
    record_property("statements", len(REFUSED_STATEMENTS))
    record_property("refused", refused)
    for kind, count in sorted(kinds.items()):
        record_property(f"kind: {kind}", count)
    record_property("data_unchanged", True)


def test_undecodable_query_text_is_refused(query_env: dict[str, str]) -> None:
    """A command line holding bytes that are not UTF-8 reaches Python as lone surrogates."""
    for args in (["query", "RETURN '\udcff' AS x"], ["query", "RETURN $x AS x", "-p", "x=\udcff"]):
        result = runner.invoke(app, args, env=query_env)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "not valid UTF-8" in lines[0], lines


# --- names that look like code ------------------------------------------------------------------

HOSTILE_NAMES = [
    'Quote " Double',
    "Quote ' Single",
    "Back`tick` Org",
    "Backslash \\ and \\' and \\\"",
    "'}) MATCH (n) DETACH DELETE n //",
    '"}) MATCH (n) DETACH DELETE n //',
    "x'}) WITH 1 AS x MATCH (n) SET n.name = 'pwned' //",
    "$rows ${name} {0} {{x}}",
    "/* not a comment */ // nor this",
    "<script>alert('orbitnet')</script>",
    "<img src=x onerror=alert(1)> &amp; &lt;",
    "Tab\tand\nnewline\r\nand CRLF",
    "Bell \x07 and escape \x1b[31m red",
    "Unicode: Ⅽ 𝔘 ｆｕｌｌ e\u0301 \u202eRTL \U0001f680",
    "CREATE (:Organization {id: 'injected'})",
]


def test_hostile_names_are_stored_verbatim(
    falkor_store: Store, tmp_path: Path, record_property
) -> None:
    orgs = [
        {"id": f"hostile-{i}", "name": name, "sector": "company", "aliases": [name, "plain"]}
        for i, name in enumerate(HOSTILE_NAMES)
    ]
    mission = {"id": "m-hostile", "name": HOSTILE_NAMES[4], "kind": "lunar"}
    parts = [
        {"org": o["id"], "target": "m-hostile", "role": "partner", "contribution": o["name"]}
        for o in orgs
    ]
    for name, records in (
        ("organizations.yaml", orgs),
        ("missions.yaml", [mission]),
        ("participations.yaml", parts),
    ):
        (tmp_path / name).write_text(yaml.safe_dump(records, allow_unicode=True), "utf-8")
    summary = load_items(falkor_store, read_dataset(tmp_path))
    assert summary.rejected == 0
    stored = falkor_store.read(
        "MATCH (o:Organization) RETURN o.id AS id, o.name AS name, o.aliases AS aliases"
    )
    assert {r["id"]: r["name"] for r in stored} == {o["id"]: o["name"] for o in orgs}
    assert all(r["aliases"] == [HOSTILE_NAMES[int(r["id"][8:])], "plain"] for r in stored)
    contributions = falkor_store.read(
        "MATCH (:Organization)-[p:PARTICIPATES_IN]->(:Mission) RETURN p.contribution AS c"
    )
    assert sorted(r["c"] for r in contributions) == sorted(HOSTILE_NAMES)
    counts = falkor_store.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    assert counts == len(HOSTILE_NAMES) + 1  # nothing was executed: no node added or removed
    found = falkor_store.read(
        "MATCH (o:Organization {name: $name}) RETURN o.id AS id", {"name": HOSTILE_NAMES[4]}
    )
    assert found == [{"id": "hostile-4"}]
    record_property("names", len(HOSTILE_NAMES))
    record_property("stored_verbatim", len(HOSTILE_NAMES))


def test_nul_is_rejected_with_file_line_and_field(falkor_store: Store, tmp_path: Path) -> None:
    (tmp_path / "organizations.yaml").write_text(
        '- id: fine\n  name: Fine\n  sector: agency\n- id: evil\n  name: "Evil\\0Org"\n'
        "  sector: agency\n",
        encoding="utf-8",
    )
    items = list(read_dataset(tmp_path))
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert [str(r.problem) for r in rejected] == [
        f"{tmp_path / 'organizations.yaml'}:5: name: contains a NUL character (U+0000) at "
        "position 5, which the database cannot store; remove it"
    ]
    with pytest.raises(InvalidDataError):
        load_items(falkor_store, items)
    assert store_is_empty(falkor_store)

    table = tmp_path / "nul.csv"
    table.write_bytes(
        b"org,org_name,sector,country,founded,aliases,mission,kind,launch_year,role,"
        b"contribution,source\nnasa,NA\x00SA,agency,US,,,,,,,,\n"
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(CSV_MAPPING, encoding="utf-8")
    problems = [i.problem for i in read_mapped_csv(table, mapping) if isinstance(i, Rejected)]
    assert [(p.line, p.field) for p in problems] == [(2, "org_name")]
    assert "NUL" in problems[0].reason
