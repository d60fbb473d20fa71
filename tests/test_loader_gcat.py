"""The GCAT loader against a real excerpt (tests/fixtures/gcat) and the full extract when present.

Expected counts are computed here from the raw files with a deliberately simple, independent parse.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from pathlib import Path

import pytest

from orbitnet.loaders.base import Located, Rejected, split
from orbitnet.loaders.gcat import STATE_TO_ISO, gcat_org_id, read_gcat, state_to_iso
from orbitnet.model import Mission, Organization, Participation, Role, Sector, is_slug

FIXTURES = Path(__file__).parent / "fixtures" / "gcat"
ORGS = FIXTURES / "orgs.tsv"
SATCAT = FIXTURES / "satcat.tsv"
REAL = Path("/work/shared/data/gcat")
REAL_ORGS = REAL / "orgs.tsv"
REAL_SATCAT = REAL / "satcat-decayed-nondebris.tsv"


# ------------------------------------------------------------------ an independent, simple parse


def raw_rows(path: Path) -> list[tuple[int, list[str]]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("#") or not line.strip():
            continue
        rows.append((number, line.split("\t")))
    return rows


def raw_payloads(path: Path) -> list[tuple[int, list[str]]]:
    return [(n, r) for n, r in raw_rows(path) if r[4].strip().startswith("P")]


def mentions(field: str) -> dict[str, bool]:
    """code -> uncertain, for one Owner or Manufacturer cell."""
    out: dict[str, bool] = {}
    for part in field.strip().split("/"):
        if part in ("", "-"):
            continue
        code = part.rstrip("?")
        out[code] = out.get(code, True) and part.endswith("?")
    return out


def expected(path: Path) -> dict[str, object]:
    payloads = raw_payloads(path)
    owners = [mentions(r[14]) for _, r in payloads]
    makers = [mentions(r[16]) for _, r in payloads]
    return {
        "missions": len(payloads),
        "codes": set().union(*owners, *makers),
        "owner_codes": set().union(*owners),
        "operations": sum(len(m) for m in owners),
        "contractor": sum(len(m) for m in makers),
        "uncertain": sum(v for m in owners + makers for v in m.values()),
        "question_marks": sum(r[14].count("?") + r[16].count("?") for _, r in payloads),
    }


def org_table(path: Path) -> dict[str, list[str]]:
    return {r[0].strip(): [f.strip() for f in r] for _, r in raw_rows(path)}


def by_type(items: list[Located]) -> dict[type, list]:
    out: dict[type, list] = {Organization: [], Mission: [], Participation: []}
    for item in items:
        out[type(item.record)].append(item)
    return out


@pytest.fixture(scope="module")
def loaded() -> tuple[list[Located], list[Rejected]]:
    return split(read_gcat(ORGS, SATCAT))


# ------------------------------------------------------------------------------------ the fixture


def test_fixture_loads_without_problems(loaded):
    good, bad = loaded
    assert bad == []
    assert good


def test_one_mission_per_payload_row(loaded):
    good, _ = loaded
    exp = expected(SATCAT)
    missions = by_type(good)[Mission]
    assert len(missions) == exp["missions"] >= 140
    jcats = {r[0] for _, r in raw_payloads(SATCAT)}
    assert {m.record.id for m in missions} == {f"gcat-{j.lower()}" for j in jcats}
    for item in missions:
        m = item.record
        assert m.kind == "spacecraft"
        assert m.status == "completed"
        assert m.uncertain is None
        assert "JCAT" in m.source
        assert "planet4589" in m.source


def test_rocket_stages_are_not_missions(loaded):
    good, _ = loaded
    stages = {r[0].lower() for _, r in raw_rows(SATCAT) if not r[4].strip().startswith("P")}
    assert stages, "the fixture should contain some non-payload rows"
    ids = {i.record.id for i in by_type(good)[Mission]}
    assert not ids & {f"gcat-{s}" for s in stages}


def test_participation_counts_and_roles(loaded):
    good, _ = loaded
    exp = expected(SATCAT)
    parts = [i.record for i in by_type(good)[Participation]]
    roles = Counter(p.role for p in parts)
    assert roles[Role.OPERATIONS] == exp["operations"]
    assert roles[Role.CONTRACTOR] == exp["contractor"]
    assert len(parts) == exp["operations"] + exp["contractor"]


def test_question_marks_become_uncertain(loaded):
    good, _ = loaded
    exp = expected(SATCAT)
    parts = [i.record for i in by_type(good)[Participation]]
    assert exp["question_marks"] >= 20
    assert sum(1 for p in parts if p.uncertain) == exp["uncertain"] == exp["question_marks"]
    assert all(p.uncertain in (True, None) for p in parts)


def test_every_code_has_an_organization(loaded):
    good, _ = loaded
    exp = expected(SATCAT)
    orgs = {i.record.id: i.record for i in by_type(good)[Organization]}
    assert len(exp["codes"]) > 100
    for code in exp["codes"]:
        assert gcat_org_id(code) in orgs, code
    # and every participation points at a yielded org and mission
    missions = {i.record.id for i in by_type(good)[Mission]}
    for item in by_type(good)[Participation]:
        assert item.record.org in orgs
        assert item.record.target in missions


def test_only_referenced_orgs_and_their_parent_chains(loaded):
    good, _ = loaded
    table = org_table(ORGS)
    referenced = {gcat_org_id(c) for c in expected(SATCAT)["codes"]}
    ancestors: set[str] = set()
    for code in expected(SATCAT)["codes"]:
        parent = table.get(code, [""] * 17)[13]
        while parent not in ("", "-") and parent in table:
            if table[parent][3] in ("CY", "CYP", "AP"):
                break
            ancestors.add(gcat_org_id(parent))
            parent = table[parent][13]
    ids = {i.record.id for i in by_type(good)[Organization]}
    assert ids == referenced | ancestors
    assert ids < {gcat_org_id(c) for c in table} | referenced  # not the whole table
    assert len(table) > len(ids - referenced)


def test_missing_codes_load_with_only_a_code(loaded):
    good, _ = loaded
    table = org_table(ORGS)
    exp = expected(SATCAT)
    missing = exp["codes"] - table.keys()
    assert missing == {"RAYM", "ABMA"}
    orgs = {i.record.id: i for i in by_type(good)[Organization]}
    for code in missing:
        item = orgs[gcat_org_id(code)]
        org = item.record
        assert org.name == code
        assert org.aliases == (code,)
        assert org.country is None
        assert org.parent is None
        assert org.founded is None
        assert "not in orgs.tsv" in org.source
        assert item.file == str(SATCAT)
        # the line is the first satcat line that names it
        line = SATCAT.read_text(encoding="utf-8").splitlines()[item.line - 1]
        assert code in line
    # owner → academic, manufacturer only → company (see the module docstring)
    assert orgs["gcat-abma"].record.sector == Sector.ACADEMIC
    assert orgs["gcat-raym"].record.sector == Sector.COMPANY


def test_organization_fields(loaded):
    good, _ = loaded
    orgs = {i.record.id: i for i in by_type(good)[Organization]}
    gsfc = orgs["gcat-gsfc"].record
    assert gsfc.name == "NASA Goddard Space Flight Center"
    assert gsfc.sector == Sector.AGENCY
    assert gsfc.country == "US"
    assert gsfc.founded == 1959
    assert gsfc.parent == "gcat-nasa"
    assert "GSFC" in gsfc.aliases
    assert gsfc.source == "GCAT orgs.tsv (McDowell, https://planet4589.org/space/gcat/)"
    okb1 = orgs["gcat-okb1"].record
    assert okb1.country is None  # SU has no ISO code
    # the line is the orgs.tsv line of that code
    lines = ORGS.read_text(encoding="utf-8").splitlines()
    for item in orgs.values():
        if item.file == str(ORGS):
            assert lines[item.line - 1].split("\t")[0] in item.record.aliases


def test_sectors_follow_class(loaded):
    good, _ = loaded
    table = org_table(ORGS)
    classes = {"A": Sector.ACADEMIC, "B": Sector.COMPANY, "C": Sector.AGENCY, "D": Sector.DEFENSE}
    for item in by_type(good)[Organization]:
        code = item.record.aliases[0]
        if code in table and "IGO" not in table[code][3].split("/"):
            assert item.record.sector == classes[table[code][4]], code


def test_owner_and_manufacturer_gives_two_participations(loaded):
    good, _ = loaded
    parts = [i.record for i in by_type(good)[Participation] if i.record.target == "gcat-s00002"]
    assert {(p.org, p.role) for p in parts} == {
        ("gcat-okb1", Role.OPERATIONS),
        ("gcat-okb1", Role.CONTRACTOR),
    }


def test_joint_codes_and_dash(loaded):
    good, _ = loaded
    parts = [i.record for i in by_type(good)[Participation]]
    explorer = {(p.org, p.role) for p in parts if p.target == "gcat-s00004"}  # ABMA/JPLA, JPLA
    assert explorer == {
        ("gcat-abma", Role.OPERATIONS),
        ("gcat-jpla", Role.OPERATIONS),
        ("gcat-jpla", Role.CONTRACTOR),
    }
    dashed = [p for p in parts if p.target == "gcat-s10904"]  # Manufacturer "-"
    assert [p.role for p in dashed] == [Role.OPERATIONS]


def test_lines_point_at_the_row(loaded):
    good, _ = loaded
    lines = SATCAT.read_text(encoding="utf-8").splitlines()
    for item in good:
        if isinstance(item.record, Mission):
            assert item.file == str(SATCAT)
            jcat = lines[item.line - 1].split("\t")[0]
            assert item.record.id == f"gcat-{jcat.lower()}"
        elif isinstance(item.record, Participation):
            jcat = lines[item.line - 1].split("\t")[0]
            assert item.record.target == f"gcat-{jcat.lower()}"


def test_years():
    good, _ = split(read_gcat(ORGS, SATCAT))
    missions = {i.record.id: i.record for i in good if isinstance(i.record, Mission)}
    sputnik = missions["gcat-s00002"]
    assert (sputnik.name, sputnik.launch_year, sputnik.end_year) == ("1-y ISZ", 1957, 1958)


def test_nodes_come_before_edges():
    seen: set[str] = set()
    for item in read_gcat(ORGS, SATCAT):
        record = item.record
        if isinstance(record, (Organization, Mission)):
            seen.add(record.id)
        else:
            assert record.org in seen
            assert record.target in seen


def test_aliases_replace_gcat_ids():
    aliases = {"OKB1": "energia", "NASA": "nasa", "RAYM": "raytheon"}
    good, bad = split(read_gcat(ORGS, SATCAT, aliases=aliases))
    assert bad == []
    orgs = {i.record.id: i.record for i in good if isinstance(i.record, Organization)}
    assert not {"energia", "nasa", "raytheon", "gcat-okb1", "gcat-nasa", "gcat-raym"} & orgs.keys()
    assert orgs["gcat-gsfc"].parent == "nasa"  # parent through the alias
    parts = [i.record for i in good if isinstance(i.record, Participation)]
    assert {p.org for p in parts if p.target == "gcat-s00002"} == {"energia"}
    assert any(p.org == "raytheon" for p in parts)


# ------------------------------------------------------------------------------------- problems


def copy_fixture(tmp_path: Path) -> tuple[Path, Path]:
    orgs, sat = tmp_path / "orgs.tsv", tmp_path / "satcat.tsv"
    shutil.copy(ORGS, orgs)
    shutil.copy(SATCAT, sat)
    return orgs, sat


def edit_line(path: Path, jcat: str, edit) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.startswith(jcat + "\t"):
            lines[i] = edit(line)
            path.write_text("\n".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(jcat)


def test_wrong_column_count_is_rejected_with_its_line(tmp_path):
    orgs, sat = copy_fixture(tmp_path)
    line = edit_line(sat, "S00090", lambda s: s.replace("\t", " ", 2))
    good, bad = split(read_gcat(orgs, sat))
    assert len(bad) == 1
    problem = bad[0].problem
    assert (problem.file, problem.line, problem.field) == (str(sat), line, "(row)")
    assert "expected 42" in problem.reason
    assert "found 40" in problem.reason
    assert not any(getattr(i.record, "target", None) == "gcat-s00090" for i in good)
    assert "gcat-s00090" not in {i.record.id for i in good if isinstance(i.record, Mission)}


def test_bad_year_is_rejected_naming_the_column(tmp_path):
    orgs, sat = copy_fixture(tmp_path)

    def no_year(line: str) -> str:
        fields = line.split("\t")
        fields[7] = "Oct 1958"
        return "\t".join(fields)

    line = edit_line(sat, "S00004", no_year)
    good, bad = split(read_gcat(orgs, sat))
    assert [(b.problem.file, b.problem.line, b.problem.field) for b in bad] == [
        (str(sat), line, "LDate")
    ]
    assert "Oct 1958" in bad[0].problem.reason
    assert not any(
        getattr(i.record, "target", None) == "gcat-s00004"
        or getattr(i.record, "id", None) == "gcat-s00004"
        for i in good
    )


def test_malformed_orgs_row(tmp_path):
    orgs, sat = copy_fixture(tmp_path)
    lines = orgs.read_text(encoding="utf-8").split("\n")
    number = next(i for i, ln in enumerate(lines) if ln.startswith("GSFC\t"))
    lines[number] = lines[number].rsplit("\t", 3)[0]
    orgs.write_text("\n".join(lines), encoding="utf-8")
    good, bad = split(read_gcat(orgs, sat))
    assert [(b.problem.file, b.problem.line, b.problem.field) for b in bad] == [
        (str(orgs), number + 1, "(row)")
    ]
    gsfc = next(i.record for i in good if getattr(i.record, "id", "") == "gcat-gsfc")
    assert "not in orgs.tsv" in gsfc.source  # still loads, as a code-only organisation


def test_missing_header_column(tmp_path):
    orgs, sat = copy_fixture(tmp_path)
    text = sat.read_text(encoding="utf-8").replace("\tOwner\t", "\tOwnr\t", 1)
    sat.write_text(text, encoding="utf-8")
    good, bad = split(read_gcat(orgs, sat))
    assert [(b.problem.file, b.problem.line, b.problem.field) for b in bad] == [
        (str(sat), 2, "Owner")
    ]
    assert not [i for i in good if isinstance(i.record, Mission)]


def test_attribution_and_comment_lines_are_tolerated(tmp_path):
    orgs, sat = copy_fixture(tmp_path)
    assert sat.read_text(encoding="utf-8").startswith("# McDowell")
    text = sat.read_text(encoding="utf-8").replace(
        "\nS00002", "\n# a comment in the middle\n\nS00002", 1
    )
    sat.write_text(text, encoding="utf-8")
    good, bad = split(read_gcat(orgs, sat))
    assert bad == []
    sputnik = next(i for i in good if getattr(i.record, "id", "") == "gcat-s00002")
    assert sat.read_text(encoding="utf-8").splitlines()[sputnik.line - 1].startswith("S00002\t")


def test_odd_codes_get_unique_valid_ids(tmp_path):
    orgs, sat = copy_fixture(tmp_path)

    def odd_owner(line: str) -> str:
        fields = line.split("\t")
        fields[14] = "A.B/A B?/+++/OKB1"
        return "\t".join(fields)

    edit_line(sat, "S00002", odd_owner)
    good, bad = split(read_gcat(orgs, sat))
    assert bad == []
    parts = [i.record for i in good if getattr(i.record, "target", "") == "gcat-s00002"]
    owners = [p.org for p in parts if p.role == Role.OPERATIONS]
    assert len(owners) == len(set(owners)) == 4
    assert all(is_slug(o) and o.startswith("gcat-") for o in owners)
    assert "gcat-a-b" in owners  # "A B" sorts first and keeps the plain slug
    again = split(read_gcat(orgs, sat))[0]
    assert [i.record for i in again] == [i.record for i in good]  # deterministic


def test_state_codes():
    assert state_to_iso("F") == "FR"
    assert state_to_iso("D") == "DE"
    assert state_to_iso("J") == "JP"
    assert state_to_iso("I") == "IT"
    assert state_to_iso("UK") == "GB"
    assert state_to_iso("NI") == "GB"  # Northern Ireland, not Nicaragua
    assert state_to_iso("SU") is None
    assert state_to_iso("I-ESA") is None
    assert state_to_iso("CN-SC") == "CN"
    assert state_to_iso("nonsense") is None
    assert all(v is None or (len(v) == 2 and v.isupper()) for v in STATE_TO_ISO.values())


# --------------------------------------------------------------------------------- the real data


@pytest.mark.skipif(not REAL_SATCAT.exists(), reason="no GCAT extract in /work/shared/data/gcat")
def test_state_table_covers_the_real_orgs_file():
    codes = {r[2] for r in org_table(REAL_ORGS).values()}
    uncovered = {c for c in codes if c not in STATE_TO_ISO and not c.startswith("I-")}
    assert {c for c in uncovered if state_to_iso(c) is None} == set()


@pytest.mark.slow
@pytest.mark.skipif(not REAL_SATCAT.exists(), reason="no GCAT extract in /work/shared/data/gcat")
def test_real_gcat_extract(capsys):
    start = time.perf_counter()
    good, bad = split(read_gcat(REAL_ORGS, REAL_SATCAT))
    elapsed = time.perf_counter() - start
    assert bad == []
    exp = expected(REAL_SATCAT)
    kinds = Counter(type(i.record).__name__ for i in good)
    assert kinds["Mission"] == exp["missions"] > 6000
    assert kinds["Participation"] == exp["operations"] + exp["contractor"]
    assert sum(1 for i in good if getattr(i.record, "uncertain", None)) == exp["uncertain"] == 76
    assert len(exp["codes"]) <= kinds["Organization"] < len(org_table(REAL_ORGS)) / 2
    with capsys.disabled():
        print(f"\nGCAT real extract: {dict(kinds)} in {elapsed:.2f} s")
    assert elapsed < 30


def test_not_utf8_names_the_line(tmp_path):
    orgs, sat = copy_fixture(tmp_path)
    data = sat.read_bytes().split(b"\n")
    index = next(i for i, ln in enumerate(data) if ln.startswith(b"S00004\t"))
    data[index] = data[index].replace(b"Explorer", "Explörer".encode("latin-1"), 1)
    sat.write_bytes(b"\n".join(data))
    _, bad = split(read_gcat(orgs, sat))
    assert [(b.problem.file, b.problem.line, b.problem.field) for b in bad] == [
        (str(sat), index + 1, "(file)")
    ]
    assert f"not UTF-8 at line {index + 1}" in bad[0].problem.reason
