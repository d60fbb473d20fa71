"""The CSV/TSV loader driven by a YAML mapping (orbitnet.loaders.csv_mapping)."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orbitnet.errors import ValidationError
from orbitnet.loaders.base import Located, Rejected, split
from orbitnet.loaders.csv_mapping import MappingError, load_mapping, read_mapped_csv
from orbitnet.model import Mission, Organization, Participation, Role, Sector

FIXTURES = Path(__file__).parent / "fixtures" / "csv"
PARTNERS = FIXTURES / "partners.csv"
MAPPING = FIXTURES / "partners.mapping.yaml"

ORG_MAPPING = """\
source: source
records:
  - record: organization
    fields:
      id: {column: id, transform: slug}
      name: name
      sector: sector
      country: country
      founded: {column: founded, transform: int}
      aliases: {column: aliases, split: "|"}
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def records(items) -> list:
    return [i.record for i in items]


# --------------------------------------------------------------------------------- the fixture


def test_fixture_partners():
    good, bad = split(read_mapped_csv(PARTNERS, MAPPING))
    assert bad == []
    orgs = [i.record for i in good if isinstance(i.record, Organization)]
    missions = [i.record for i in good if isinstance(i.record, Mission)]
    parts = [i.record for i in good if isinstance(i.record, Participation)]
    # repeated partners are yielded once
    assert [o.id for o in orgs] == ["nasa", "esa", "csa", "isro", "jaxa", "cnes"]
    assert [m.id for m in missions] == ["jwst", "nisar", "bepicolombo"]
    assert len(parts) == 7  # every row but CNES's, which has no mission
    esa = orgs[1]
    assert esa.sector == Sector.INTERGOVERNMENTAL
    assert esa.country is None  # empty cell: field left out
    assert orgs[2].aliases == ("CSA", "ASC")
    assert orgs[4].aliases == ("JAXA", "宇宙航空研究開発機構")
    assert orgs[5].name == "Centre national d’études spatiales"
    webb = missions[0]
    assert (webb.kind, webb.launch_year) == ("observatory", 2021)
    assert webb.source == "https://science.nasa.gov/mission/webb/"
    jaxa = next(p for p in parts if p.org == "jaxa")
    assert jaxa.role == Role.MODULE
    assert jaxa.contribution == 'Mio, the "Mercury Magnetospheric Orbiter"'
    assert jaxa.source == "partners.csv line 10"  # empty source cell: file and line


def test_multiline_record_reports_its_start_line():
    good, _ = split(read_mapped_csv(PARTNERS, MAPPING))
    lines = {
        (
            type(i.record).__name__,
            getattr(i.record, "org", None),
            i.record.target
            if isinstance(i.record, Participation)
            else getattr(i.record, "id", None),
        ): i.line
        for i in good
    }
    assert lines[("Participation", "nasa", "nisar")] == 5  # the record spans lines 5-7
    assert lines[("Participation", "isro", "nisar")] == 8
    assert lines[("Organization", None, "cnes")] == 11
    assert all(i.file == str(PARTNERS) for i in good)


def test_load_mapping_returns_checked_mapping():
    mapping = load_mapping(MAPPING)
    assert [r.record for r in mapping.records] == ["organization", "mission", "participation"]
    assert mapping.delimiter == ","
    assert mapping.source is not None
    assert mapping.source.column == "source"
    assert mapping.records[0].fields["name"].column == "org_name"  # shorthand
    assert mapping.line_of(("records", 1, "fields", "id")) == 15


# ------------------------------------------------------------------------- delimiters, encodings


def partners_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(PARTNERS.read_text(encoding="utf-8"), newline="")))


def mapping_without_delimiter(tmp_path: Path) -> Path:
    text = MAPPING.read_text(encoding="utf-8").replace('delimiter: ","\n', "")
    return write(tmp_path / "m.yaml", text)


def comparable(items) -> list:
    return [i.record.model_copy(update={"source": None}) for i in items]


@pytest.mark.parametrize(
    ("name", "delimiter", "encoding"),
    [
        ("partners.tsv", "\t", "utf-8-sig"),
        ("partners.csv", ";", "utf-8"),
        ("partners.txt", "|", "utf-8-sig"),
        ("partners.csv", "\t", "utf-8"),
    ],
)
def test_delimiters_are_sniffed_and_bom_is_ignored(tmp_path, name, delimiter, encoding):
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(partners_rows())
    path = write(tmp_path / name, out.getvalue(), encoding)
    good, bad = split(read_mapped_csv(path, mapping_without_delimiter(tmp_path)))
    assert bad == []
    expected = split(read_mapped_csv(PARTNERS, MAPPING))[0]
    assert comparable(good) == comparable(expected)
    assert [i.line for i in good] == [i.line for i in expected]


def test_delimiter_named_in_mapping(tmp_path):
    out = io.StringIO(newline="")
    csv.writer(out, delimiter="\t").writerows(partners_rows())
    path = write(tmp_path / "p.csv", out.getvalue())
    mapping = write(
        tmp_path / "m.yaml",
        MAPPING.read_text(encoding="utf-8").replace('delimiter: ","', "delimiter: tab"),
    )
    good, bad = split(read_mapped_csv(path, mapping))
    assert bad == []
    assert len(good) == 16


def test_not_utf8_is_one_problem_with_its_line(tmp_path):
    text = PARTNERS.read_text(encoding="utf-8").replace("’", "'")
    data = text.encode("utf-8").replace(b"Indian Space", "Indian Späce".encode("latin-1"))
    path = tmp_path / "latin.csv"
    path.write_bytes(data)
    items = list(read_mapped_csv(path, MAPPING))
    bad = [i for i in items if isinstance(i, Rejected)]
    assert len(bad) == 1
    problem = bad[0].problem
    assert (problem.file, problem.line, problem.field) == (str(path), 8, "(file)")
    assert "not UTF-8 at line 8" in problem.reason
    assert items[-1] is bad[0]  # reading stops there
    assert all(i.line < 8 for i in items if isinstance(i, Located))


def test_truncated_file_unterminated_quote(tmp_path):
    text = PARTNERS.read_text(encoding="utf-8")
    cut = text.index("GPS, solid-state")  # inside the quoted, multi-line contribution
    path = write(tmp_path / "cut.csv", text[:cut])
    good, bad = split(read_mapped_csv(path, MAPPING))
    assert len(bad) == 1
    problem = bad[0].problem
    assert (problem.file, problem.line, problem.field) == (str(path), 5, "(row)")
    assert "unterminated quoted field" in problem.reason
    assert {i.line for i in good} == {2, 3, 4}


def test_malformed_quote_mid_file_is_one_problem_and_reading_goes_on(tmp_path):
    text = PARTNERS.read_text(encoding="utf-8").replace(
        '"S-band radar, spacecraft bus and GSLV launch"', '"S-band radar"x'
    )
    path = write(tmp_path / "q.csv", text)
    good, bad = split(read_mapped_csv(path, MAPPING))
    assert [(b.problem.line, b.problem.field) for b in bad] == [(8, "(row)")]
    assert "malformed CSV" in bad[0].problem.reason
    assert any(i.line == 9 for i in good)


def test_wrong_number_of_cells(tmp_path):
    text = PARTNERS.read_text(encoding="utf-8").replace(",FGS/NIRISS,", ",FGS,NIRISS,")
    path = write(tmp_path / "cells.csv", text)
    good, bad = split(read_mapped_csv(path, MAPPING))
    assert [(b.problem.file, b.problem.line, b.problem.field) for b in bad] == [
        (str(path), 4, "(row)")
    ]
    assert "13 cells but the header has 12 columns" in bad[0].problem.reason
    assert not any(i.line == 4 for i in good)


def test_missing_column_names_the_column_and_the_mapping_line(tmp_path):
    mapping = write(
        tmp_path / "m.yaml", MAPPING.read_text(encoding="utf-8").replace("org_name", "org_nam")
    )
    items = read_mapped_csv(PARTNERS, mapping)
    with pytest.raises(MappingError) as info:
        next(items)
    problem = info.value.problem
    assert isinstance(info.value, ValidationError)
    assert problem.file == str(mapping)
    assert problem.line == 8
    assert problem.field == "records[0].fields.name.column"
    assert "'org_nam' is not in partners.csv" in problem.reason
    assert "did you mean 'org_name'" in problem.reason
    assert str(mapping) + ":8:" in str(info.value)


def test_bad_enum_value(tmp_path):
    text = PARTNERS.read_text(encoding="utf-8").replace(
        "Canadian Space Agency,agency", "Canadian Space Agency,space agency"
    )
    path = write(tmp_path / "enum.csv", text)
    good, bad = split(read_mapped_csv(path, MAPPING))
    assert [(b.problem.file, b.problem.line, b.problem.field) for b in bad] == [
        (str(path), 4, "sector")
    ]
    assert "organization.sector" in bad[0].problem.reason
    assert "'agency'" in bad[0].problem.reason
    assert "csa" not in {getattr(i.record, "id", None) for i in good}
    assert any(isinstance(i.record, Participation) and i.record.org == "csa" for i in good)
    assert bad[0].raw["sector"] == "space agency"


def test_bad_int_and_empty_required_cell(tmp_path):
    text = PARTNERS.read_text(encoding="utf-8").replace(",2021,instrument", ",20x1,instrument")
    text = text.replace("isro,Indian Space Research Organisation,", "isro,  ,")
    path = write(tmp_path / "int.csv", text)
    _, bad = split(read_mapped_csv(path, MAPPING))
    found = {(b.problem.line, b.problem.field): b.problem.reason for b in bad}
    assert "'20x1' is not a whole number" in found[(4, "launch_year")]
    assert found[(8, "org_name")] == "the cell is empty, but organization.name is required"


def test_empty_and_header_only_files(tmp_path):
    empty = write(tmp_path / "empty.csv", "")
    with pytest.raises(ValidationError, match="empty"):
        list(read_mapped_csv(empty, MAPPING))
    header = PARTNERS.read_text(encoding="utf-8").splitlines()[0] + "\n"
    assert list(read_mapped_csv(write(tmp_path / "h.csv", header), MAPPING)) == []


# ------------------------------------------------------------------------------ mapping problems


def mapping_problem(tmp_path: Path, text: str):
    path = write(tmp_path / "bad.yaml", text)
    with pytest.raises(MappingError) as info:
        load_mapping(path)
    return info.value


BASE = """\
records:
  - record: organization
    fields:
      id: {column: org, transform: slug}
      name: org_name
      sector: sector
"""


def test_mapping_unknown_field_with_suggestion(tmp_path):
    error = mapping_problem(tmp_path, BASE + "      contry: country\n")
    assert (error.problem.line, error.problem.field) == (7, "records[0].fields.contry")
    assert "did you mean 'country'" in error.problem.reason


def test_mapping_required_field_not_mapped(tmp_path):
    error = mapping_problem(tmp_path, BASE.replace("      sector: sector\n", ""))
    assert error.problem.line == 3
    assert "needs the field 'sector'" in error.problem.reason


def test_mapping_unknown_record_and_transform_and_key(tmp_path):
    text = BASE.replace("record: organization", "record: organisation").replace(
        "transform: slug", "transform: slugify"
    )
    error = mapping_problem(tmp_path, text + "  - record: mission\n    feilds: {}\n")
    reasons = {(p.line, p.field): p.reason for p in error.problems}
    assert (2, "records[0].record") in reasons
    assert (4, "records[0].fields.id.transform[0]") in reasons
    assert "did you mean 'fields'" in reasons[(8, "records[1].feilds")]
    assert "and 3 more problems" in str(error) or len(error.problems) >= 3


def test_mapping_bad_constant_and_two_sources(tmp_path):
    text = BASE + "      country: {value: France}\n      founded: {column: y, value: 1961}\n"
    error = mapping_problem(tmp_path, text)
    reasons = {(p.line, p.field): p.reason for p in error.problems}
    assert (
        "constant 'France' is not a valid country"
        in reasons[(7, "records[0].fields.country.value")]
    )
    assert "exactly one of" in reasons[(8, "records[0].fields.founded")]


def test_mapping_yaml_syntax_and_duplicate_keys(tmp_path):
    error = mapping_problem(tmp_path, BASE + "      country: {column: country\n")
    assert error.problem.field == "(yaml)"
    assert error.problem.line is not None
    error = mapping_problem(tmp_path, BASE + "      name: other\n")
    assert (error.problem.line, error.problem.field) == (7, "records[0].fields.name")
    assert error.problem.reason == "duplicate key"


def test_mapping_bad_template_and_delimiter(tmp_path):
    error = mapping_problem(tmp_path, "delimiter: ';;'\n" + BASE)
    assert (error.problem.line, error.problem.field) == (1, "delimiter")
    assert "one character" in error.problem.reason
    error = mapping_problem(tmp_path, BASE.replace("name: org_name", "name: {template: '{org'}"))
    assert (error.problem.line, error.problem.field) == (5, "records[0].fields.name.template")
    assert "unmatched '{'" in error.problem.reason


# --------------------------------------------------------------------- templates and constants


def test_template_value_default_and_skip(tmp_path):
    path = write(
        tmp_path / "c.csv",
        "customer,contractor,year,program\nNASA,SpaceX,2014,Commercial Crew\n"
        "NASA,Boeing,,\nESA, ,2020,\n",
    )
    mapping = write(
        tmp_path / "c.yaml",
        """\
records:
  - record: agreement
    fields:
      id: {template: "{customer}-{contractor}-{{contract}}", transform: slug}
      name: {template: "{customer} contract with {contractor}"}
      kind: {value: contract}
      program: {column: program, transform: slug}
  - record: contract
    fields:
      customer: {column: customer, transform: slug}
      contractor: {column: contractor, transform: slug, skip_if_empty: true}
      year: {column: year, default: 2011}
      source: {value: "Hand-made example"}
""",
    )
    good, bad = split(read_mapped_csv(path, mapping))
    assert [(b.problem.line, b.problem.field) for b in bad] == [
        (4, "agreement.id"),
        (4, "agreement.name"),
    ]
    assert "a column of its template '{customer}-{contractor}-{{contract}}' is empty" in (
        bad[0].problem.reason
    )
    recs = records(good)
    assert recs[0].id == "nasa-spacex-contract"
    assert recs[0].name == "NASA contract with SpaceX"
    assert recs[0].program == "commercial-crew"
    assert recs[0].source == "c.csv line 2"
    assert recs[1].customer == "nasa"
    assert recs[1].year == 2014
    assert recs[1].source == "Hand-made example"
    assert recs[3].year == 2011  # default for the empty cell
    assert [type(r).__name__ for r in recs] == ["Agreement", "Contract", "Agreement", "Contract"]


# ---------------------------------------------------------------------------------- round trip

AWKWARD = ['"', ",", "\n", "\r\n", "`", "``", ";", "\t", "é", "宇宙", "🚀", "'", '""', " ", "\\"]
_text = st.lists(
    st.one_of(
        st.sampled_from(AWKWARD),
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=6),
    ),
    min_size=1,
    max_size=8,
).map("".join)
NAMES = _text.filter(lambda s: s.strip())
ALIASES = NAMES.filter(lambda s: "|" not in s)
COUNTRIES = st.sampled_from(["US", "FR", "IN", "JP", "BR"])


@st.composite
def org_rows(draw):
    ids = draw(
        st.lists(
            st.from_regex(r"\A[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,5})?\Z"),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    rows = []
    for org_id in ids:
        rows.append(
            {
                "id": org_id,
                "name": draw(NAMES),
                "sector": draw(st.sampled_from(list(Sector))).value,
                "country": draw(st.one_of(st.just(""), COUNTRIES)),
                "founded": draw(st.one_of(st.just(""), st.integers(1900, 2100).map(str))),
                "aliases": "|".join(draw(st.lists(ALIASES, max_size=3))),
                "source": draw(NAMES),
            }
        )
    return rows


def expected_org(row: dict[str, str]) -> Organization:
    data = {k: v for k, v in row.items() if v.strip()}
    data["aliases"] = tuple(a for a in row["aliases"].split("|") if a.strip())
    return Organization.model_validate(data)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=org_rows(), delimiter=st.sampled_from([",", ";", "\t"]), bom=st.booleans())
def test_round_trip_awkward_text(tmp_path, rows, delimiter, bom):
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    columns = ["id", "name", "sector", "country", "founded", "aliases", "source"]
    writer.writerow(columns)
    writer.writerows([[row[c] for c in columns] for row in rows])
    path = tmp_path / "orgs.csv"
    path.write_bytes(out.getvalue().encode("utf-8-sig" if bom else "utf-8"))
    mapping = tmp_path / "orgs.yaml"
    mapping.write_text(ORG_MAPPING, encoding="utf-8")
    good, bad = split(read_mapped_csv(path, mapping))
    assert bad == []
    assert records(good) == [expected_org(row) for row in rows]
    # lines: each record's line holds the start of its row
    starts = [i.line for i in good]
    assert starts == sorted(starts)
    assert starts[0] == 2


# --------------------------------------------------------------------------------------- speed


@pytest.mark.slow
def test_100k_rows_is_fast(tmp_path, capsys):
    path = tmp_path / "big.csv"
    lines = [PARTNERS.read_text(encoding="utf-8").splitlines()[0]]
    for n in range(100_000):
        lines.append(
            f"org{n % 5000},Org {n % 5000},company,US,,m{n},Mission {n},cargo,2020,partner,"
            f'"part {n}, with a comma",https://example.org/{n}'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    count = sum(1 for item in read_mapped_csv(path, MAPPING) if isinstance(item, Located))
    elapsed = time.perf_counter() - start
    assert count == 5000 + 100_000 * 2
    with capsys.disabled():
        print(f"\nCSV mapping: 100,000 rows -> {count} records in {elapsed:.2f} s")
    assert elapsed < 60


def test_id_without_slug_transform_gets_a_hint(tmp_path):
    mapping = write(
        tmp_path / "m.yaml",
        MAPPING.read_text(encoding="utf-8").replace(
            "id: {column: org, transform: slug}", "id: org_name"
        ),
    )
    _, bad = split(read_mapped_csv(PARTNERS, mapping))
    assert bad
    assert bad[0].problem.field == "org_name"
    assert "add 'transform: slug'" in bad[0].problem.reason


def test_single_quoted_tab_delimiter(tmp_path):
    out = io.StringIO(newline="")
    csv.writer(out, delimiter="\t").writerows(partners_rows())
    path = write(tmp_path / "p.txt", out.getvalue())
    mapping = write(
        tmp_path / "m.yaml",
        MAPPING.read_text(encoding="utf-8").replace('delimiter: ","', "delimiter: '\\t'"),
    )
    assert load_mapping(mapping).delimiter == "\t"
    good, bad = split(read_mapped_csv(path, mapping))
    assert bad == []
    assert len(good) == 16


def test_a_node_is_yielded_once_and_conflicts_are_rejected(tmp_path):
    text = PARTNERS.read_text(encoding="utf-8")
    # line 9 describes ESA again with another name; line 10's JAXA... is new; add a row filling in
    # ESA's country, which its first row (line 3) left empty
    text = text.replace(
        "esa,European Space Agency,intergovernmental,,ESA,bepicolombo",
        "esa,ESA,intergovernmental,,ESA,bepicolombo",
    )
    text += "esa,,,FR,,,,,,,,\n"
    text += "nasa,,agency,,,,,,,,,\n"  # repeats what it gives: fine
    path = write(tmp_path / "p.csv", text)
    good, bad = split(read_mapped_csv(path, MAPPING))
    found = [(b.problem.line, b.problem.field) for b in bad]
    assert found == [(9, "org_name"), (12, "country")]
    assert "first described on line 3" in bad[0].problem.reason
    assert "'European Space Agency'" in bad[0].problem.reason
    assert "None, here 'FR'" in bad[1].problem.reason
    ids = [i.record.id for i in good if isinstance(i.record, Organization)]
    assert ids == ["nasa", "esa", "csa", "isro", "jaxa", "cnes"]
    # the participation of line 9 is still there
    assert any(getattr(i.record, "target", None) == "bepicolombo" and i.line == 9 for i in good)
