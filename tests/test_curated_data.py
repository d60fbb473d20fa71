"""Checks on the curated dataset shipped in ``orbitnet/loaders/data`` (no database needed).

Every record must validate against the model, carry a source, and point only at ids that exist;
the dataset must also meet the minimum coverage the project promises.
"""

from __future__ import annotations

import collections
import datetime as dt
import importlib.resources
from functools import cache
from importlib.resources.abc import Traversable
from typing import Any

import pytest
import yaml

from orbitnet.model import (
    Agreement,
    Contract,
    Country,
    Membership,
    Mission,
    Organization,
    Participation,
    Program,
    Sector,
    Signature,
)

FILES = {
    "organizations.yaml": Organization,
    "countries.yaml": Country,
    "programs.yaml": Program,
    "missions.yaml": Mission,
    "agreements.yaml": Agreement,
    "participations.yaml": Participation,
    "signatures.yaml": Signature,
    "memberships.yaml": Membership,
    "contracts.yaml": Contract,
}
NODE_FILES = (
    "organizations.yaml",
    "countries.yaml",
    "programs.yaml",
    "missions.yaml",
    "agreements.yaml",
)
FIRST_YEAR, LAST_YEAR = 1957, 2030


def _data_dir() -> Traversable:
    return importlib.resources.files("orbitnet.loaders") / "data"


@cache
def raw(name: str) -> list[dict[str, Any]]:
    items = yaml.safe_load((_data_dir() / name).read_text(encoding="utf-8"))
    assert isinstance(items, list), f"{name} must hold a list of mappings"
    return items


@cache
def records(name: str) -> tuple[Any, ...]:
    model = FILES[name]
    return tuple(model(**item) for item in raw(name))


def ids(name: str) -> set[str]:
    return {r.id for r in records(name)}


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_record_validates(name: str) -> None:
    items = raw(name)
    assert items, f"{name} is empty"
    for item in items:
        assert isinstance(item, dict), f"{name}: {item!r} is not a mapping"
        FILES[name](**item)  # raises on unknown fields or bad values


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_record_has_a_source(name: str) -> None:
    for rec in records(name):
        assert rec.source, f"{name}: {rec!r} has no source"
        assert rec.source.strip(), f"{name}: {rec!r} has a blank source"


def test_node_ids_unique_across_files() -> None:
    seen: dict[str, str] = {}
    for name in NODE_FILES:
        for rec in records(name):
            assert rec.id not in seen, f"id {rec.id!r} in {name} already used in {seen[rec.id]}"
            seen[rec.id] = name


def test_no_organisation_id_looks_like_a_country() -> None:
    for org in records("organizations.yaml"):
        assert len(org.id) != 2, org.id


def test_no_dangling_references() -> None:
    orgs, countries = ids("organizations.yaml"), ids("countries.yaml")
    programs, missions = ids("programs.yaml"), ids("missions.yaml")
    agreements = ids("agreements.yaml")
    for org in records("organizations.yaml"):
        if org.parent:
            assert org.parent in orgs, f"{org.id}: unknown parent {org.parent}"
        if org.country:
            assert org.country.lower() in countries, f"{org.id}: country {org.country} missing"
    for mission in records("missions.yaml"):
        for program in mission.programs:
            assert program in programs, f"{mission.id}: unknown programme {program}"
    for agreement in records("agreements.yaml"):
        if agreement.program:
            assert agreement.program in programs, f"{agreement.id}: unknown programme"
    for p in records("participations.yaml"):
        assert p.org in orgs, f"participation: unknown org {p.org}"
        assert p.target in missions | programs, f"participation: unknown target {p.target}"
    for s in records("signatures.yaml"):
        assert s.signer in orgs | countries, f"signature: unknown signer {s.signer}"
        assert s.agreement in agreements, f"signature: unknown agreement {s.agreement}"
    for m in records("memberships.yaml"):
        assert m.country in countries, f"membership: unknown country {m.country}"
        assert m.org in orgs, f"membership: unknown org {m.org}"
    for c in records("contracts.yaml"):
        assert c.customer in orgs, f"contract: unknown customer {c.customer}"
        assert c.contractor in orgs, f"contract: unknown contractor {c.contractor}"
        if c.program:
            assert c.program in programs, f"contract: unknown programme {c.program}"


def test_no_duplicate_edges() -> None:
    for name, key in (
        ("participations.yaml", lambda r: (r.org, r.target, r.role)),
        ("signatures.yaml", lambda r: (r.signer, r.agreement)),
        ("memberships.yaml", lambda r: (r.country, r.org)),
    ):
        counts = collections.Counter(key(r) for r in records(name))
        assert not [k for k, n in counts.items() if n > 1], name


def test_dates_plausible() -> None:
    today = dt.date.today()
    for org in records("organizations.yaml"):
        if org.founded is not None:
            assert 1800 <= org.founded <= LAST_YEAR, org.id
    for mission in records("missions.yaml"):
        for year in (mission.launch_year, mission.end_year):
            assert year is None or FIRST_YEAR <= year <= LAST_YEAR, mission.id
        if mission.launch_year and mission.end_year:
            assert mission.end_year >= mission.launch_year, mission.id
    for program in records("programs.yaml"):
        for year in (program.start_year, program.end_year):
            assert year is None or FIRST_YEAR <= year <= LAST_YEAR, program.id
        if program.start_year and program.end_year:
            assert program.end_year >= program.start_year, program.id
    for agreement in records("agreements.yaml"):
        if agreement.signed:
            assert dt.date(FIRST_YEAR, 1, 1) <= agreement.signed <= today, agreement.id
    for s in records("signatures.yaml"):
        if s.date:
            assert dt.date(FIRST_YEAR, 1, 1) <= s.date <= today, (s.signer, s.agreement)
    for m in records("memberships.yaml"):
        assert m.since is None or FIRST_YEAR <= m.since <= LAST_YEAR, (m.country, m.org)
    for c in records("contracts.yaml"):
        assert c.year is None or FIRST_YEAR <= c.year <= LAST_YEAR, (c.customer, c.contractor)


def test_minimum_counts() -> None:
    sectors = collections.Counter(o.sector for o in records("organizations.yaml"))
    assert sectors[Sector.AGENCY] >= 30
    assert sectors[Sector.COMPANY] >= 20
    assert sectors[Sector.INTERGOVERNMENTAL] >= 8
    assert len(records("missions.yaml")) + len(records("programs.yaml")) >= 60
    assert len(records("participations.yaml")) >= 300


def test_missions_span_1975_to_present() -> None:
    years = [m.launch_year for m in records("missions.yaml") if m.launch_year]
    assert min(years) <= 1975
    assert max(years) >= dt.date.today().year - 2


def test_iss_iga_signers() -> None:
    signers = {s.signer for s in records("signatures.yaml") if s.agreement == "iss-iga-1998"}
    assert {"us", "ca", "jp", "ru"} <= signers


def test_artemis_accords_founding_signatories() -> None:
    founders = {
        s.signer
        for s in records("signatures.yaml")
        if s.agreement == "artemis-accords" and s.date == dt.date(2020, 10, 13)
    }
    assert founders == {"au", "ca", "it", "jp", "lu", "ae", "gb", "us"}


def test_artemis_accords_signers_are_countries() -> None:
    countries = ids("countries.yaml")
    for s in records("signatures.yaml"):
        if s.agreement == "artemis-accords":
            assert s.signer in countries, s
            assert s.date is not None, s


def test_esa_membership() -> None:
    members = {m.country for m in records("memberships.yaml") if m.org == "esa"}
    assert {"fr", "de", "it"} <= members
