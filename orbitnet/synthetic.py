"""Synthetic partnership networks for benchmarks: a CSV file and its YAML mapping.

:func:`generate` writes ``partners.csv`` (one row per participation: organisation id, name,
sector and country; mission id, name, kind and launch year; role) and ``partners.mapping.yaml``
for orbitnet's CSV loader, so the output loads with::

    orbitnet load out/partners.csv --mapping out/partners.mapping.yaml

The network is built to look like the real one, at any size:

* **Missions over time.** Launch years run from 1960 to 2025 and grow over time (the chance of a
  year grows by 4.5 % a year, so 2025 has about 18 times the missions of 1960). Missions are
  generated in launch order.
* **Mission sizes.** Mostly small: 90 % have 2–6 participants (2 is the commonest), 8 % have
  7–15, and 2 % are large multilateral undertakings of 16 up to 80 participants, with a
  power-law tail (ISS- or Artemis-Accords-like).
* **Heavy-tailed participation.** Each participant slot either brings in a new organisation (at
  the rate that makes exactly ``orgs`` organisations appear) or picks an existing one, mostly by
  preferential attachment (with probability proportional to its participations so far) and
  sometimes uniformly. That is a Yule–Simon process: a few early organisations become hubs and
  the participation counts follow a power law (exponent about 2.5 with the default sizes).
* **Sectors like the curated data.** Agencies 40 %, companies 33 %, academic 14 %,
  intergovernmental 8 %, defence 5 %; the first 2 % of organisations (the future hubs) are
  mostly agencies and intergovernmental bodies. Countries are Zipf-distributed (the US first);
  intergovernmental bodies have none.
* **Roles** follow the sector: the first participant of a mission leads it, companies are mostly
  contractors or launch providers, academic partners bring instruments or science.

Everything is drawn from one :class:`random.Random` seeded with ``seed``, so the same arguments
always give byte-identical files.

Examples
--------
>>> import tempfile
>>> files = generate(50, 30, seed=1, out_dir=tempfile.mkdtemp())
>>> files.orgs, files.missions, files.csv.name, files.mapping.name
(50, 30, 'partners.csv', 'partners.mapping.yaml')
"""

from __future__ import annotations

import bisect
import csv
import math
import os
import random
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

__all__ = [
    "COLUMNS",
    "GeneratedFiles",
    "default_missions",
    "generate",
    "mapping_text",
]

COLUMNS = (
    "org",
    "org_name",
    "sector",
    "country",
    "mission",
    "mission_name",
    "kind",
    "launch_year",
    "role",
)
"""The CSV header, in order."""

FIRST_YEAR, LAST_YEAR = 1960, 2025
YEAR_GROWTH = 0.045
"""Yearly growth rate of the number of missions."""
UNIFORM_PICK = 0.2
"""Share of existing-organisation picks made uniformly instead of by preferential attachment."""
MAX_SIZE = 80
"""The largest number of participants in one mission."""
MISSIONS_PER_ORG = 0.7
"""Missions per organisation in :func:`default_missions`: about 10 collaboration edges per
organisation (1.07 million edges for 100,000 organisations with seed 0)."""

_SMALL = ((2, 38), (3, 26), (4, 17), (5, 11), (6, 8))
_MEDIUM = tuple((k, 16 - k) for k in range(7, 16))
_SIZE_CLASSES = ((0.90, _SMALL), (0.99, _MEDIUM))  # cumulative; the rest are large

_SECTORS = (
    ("agency", 40),
    ("company", 33),
    ("academic", 14),
    ("intergovernmental", 8),
    ("defense", 5),
)
_HUB_SECTORS = (
    ("agency", 60),
    ("intergovernmental", 20),
    ("company", 15),
    ("academic", 5),
)
_COUNTRIES = (
    "US", "CN", "RU", "FR", "DE", "JP", "IN", "GB", "IT", "CA", "KR", "ES", "BR", "IL", "AE",
    "NL", "BE", "SE", "NO", "CH", "AU", "AT", "DK", "FI", "PL", "CZ", "UA", "TR", "SA", "ID",
    "MX", "AR", "ZA", "NG", "EG", "TH", "VN", "SG", "NZ", "LU",
)  # fmt: skip
_KINDS = (
    ("earth-observation", 23),
    ("planetary", 20),
    ("communications", 14),
    ("lunar", 10),
    ("observatory", 9),
    ("technology", 7),
    ("navigation", 4),
    ("crew-transport", 4),
    ("cargo", 4),
    ("heliophysics", 3),
    ("solar", 2),
)
_LARGE_KINDS = (
    ("station", 35),
    ("earth-observation", 20),
    ("observatory", 15),
    ("lunar", 15),
    ("navigation", 10),
    ("planetary", 5),
)
_ROLES = {
    "agency": (("partner", 35), ("instrument", 20), ("operations", 15), ("launch", 15),
               ("funding", 10), ("module", 5)),
    "company": (("contractor", 50), ("launch", 20), ("module", 12), ("instrument", 10),
                ("operations", 8)),
    "academic": (("instrument", 45), ("science", 40), ("partner", 15)),
    "intergovernmental": (("partner", 40), ("module", 20), ("launch", 15), ("funding", 15),
                          ("operations", 10)),
    "defense": (("operations", 40), ("launch", 30), ("partner", 30)),
}  # fmt: skip
_NAME_STEMS = (
    "Astra", "Orion", "Vega", "Nova", "Sol", "Luna", "Terra", "Aether", "Helios", "Zenith",
    "Polar", "Stellar", "Cosmo", "Apex", "Kepler", "Lyra", "Atlas", "Titan", "Boreal", "Meridian",
    "Corona", "Equinox", "Horizon", "Pulsar", "Quasar", "Nebula", "Aurora", "Comet", "Vector",
    "Summit",
)  # fmt: skip
_SECTOR_NAMES = {
    "agency": ("Space Agency", "National Space Office", "Space Research Centre"),
    "company": ("Aerospace", "Space Systems", "Launch Services", "Orbital", "Dynamics"),
    "academic": ("University", "Institute of Technology", "Space Science Laboratory"),
    "intergovernmental": ("Space Organisation", "Satellite Consortium", "Space Union"),
    "defense": ("Space Command", "Defence Space Agency"),
}
_MISSION_STEMS = (
    "Pathfinder", "Voyager", "Sentinel", "Explorer", "Mariner", "Pioneer", "Surveyor", "Odyssey",
    "Discovery", "Endeavour", "Horizon", "Beacon", "Lantern", "Compass", "Falcon", "Condor",
    "Ibis", "Heron", "Kestrel", "Osprey",
)  # fmt: skip


@dataclass(frozen=True)
class GeneratedFiles:
    """What :func:`generate` wrote.

    Attributes
    ----------
    csv, mapping : Path
        The CSV file and its YAML mapping.
    orgs, missions, rows : int
        Organisations, missions and participation rows written.
    seed : int
        The seed used.
    """

    csv: Path
    mapping: Path
    orgs: int
    missions: int
    rows: int
    seed: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "csv": str(self.csv),
            "mapping": str(self.mapping),
            "orgs": self.orgs,
            "missions": self.missions,
            "rows": self.rows,
            "seed": self.seed,
        }


class _Choice:
    """Weighted choice from a fixed table, one ``random()`` call per draw."""

    def __init__(self, table: tuple[tuple[Any, float], ...]) -> None:
        self.values = [v for v, _ in table]
        total = sum(w for _, w in table)
        self.cum = [c / total for c in accumulate(w for _, w in table)]

    def __call__(self, rng: random.Random) -> Any:
        return self.values[min(bisect.bisect_right(self.cum, rng.random()), len(self.cum) - 1)]


_SMALL_CHOICE = _Choice(_SMALL)
_MEDIUM_CHOICE = _Choice(_MEDIUM)
_SECTOR_CHOICE = _Choice(_SECTORS)
_HUB_CHOICE = _Choice(_HUB_SECTORS)
_KIND_CHOICE = _Choice(_KINDS)
_LARGE_KIND_CHOICE = _Choice(_LARGE_KINDS)
_ROLE_CHOICE = {sector: _Choice(table) for sector, table in _ROLES.items()}
_COUNTRY_CHOICE = _Choice(tuple((c, 1 / (i + 1)) for i, c in enumerate(_COUNTRIES)))  # Zipf
_YEAR_CHOICE = _Choice(
    tuple((y, math.exp(YEAR_GROWTH * (y - FIRST_YEAR))) for y in range(FIRST_YEAR, LAST_YEAR + 1))
)


def _mission_size(rng: random.Random, cap: int) -> int:
    u = rng.random()
    if u < _SIZE_CLASSES[0][0]:
        k = int(_SMALL_CHOICE(rng))
    elif u < _SIZE_CLASSES[1][0]:
        k = int(_MEDIUM_CHOICE(rng))
    else:  # Pareto tail from 16 up: P(K >= k) ~ (16 / k) ** 1.5
        k = min(MAX_SIZE, int(16 / (1.0 - rng.random()) ** (1 / 1.5)))
    return max(2, min(k, cap))


def default_missions(orgs: int) -> int:
    """Missions giving about ten collaboration edges per organisation.

    Measured on the generator's own output: 0.7 missions per organisation give 11.2k edges for
    1k organisations, 95.6k for 10k and 1.07M for 100k (seed 0); ``benchmarks/bench_scale.py``
    prints the figures of each run.

    Examples
    --------
    >>> default_missions(100_000)
    70000
    """
    return max(1, round(MISSIONS_PER_ORG * orgs))


def mapping_text(seed: int, orgs: int, missions: int) -> str:
    """The YAML mapping for the generated CSV (it names the generator as the source)."""
    return f"""\
# Mapping for partners.csv, written by 'orbitnet bench generate' (synthetic data).
# Load with: orbitnet load partners.csv --mapping partners.mapping.yaml
delimiter: ","
source: {{value: "synthetic: orbitnet bench generate --orgs {orgs} --missions {missions} \
--seed {seed}"}}
records:
  - record: organization
    fields:
      id: {{column: org, transform: slug}}
      name: org_name
      sector: {{column: sector, transform: lower}}
      country: {{column: country, transform: upper}}

  - record: mission
    fields:
      id: {{column: mission, transform: slug}}
      name: mission_name
      kind: kind
      launch_year: {{column: launch_year, transform: int}}

  - record: participation
    fields:
      org: {{column: org, transform: slug}}
      target: {{column: mission, transform: slug}}
      role: {{column: role, transform: lower}}
"""


def generate(
    orgs: int,
    missions: int | None = None,
    seed: int = 0,
    out_dir: str | os.PathLike[str] = "out",
) -> GeneratedFiles:
    """Write a synthetic heavy-tailed partnership network as CSV plus YAML mapping.

    Parameters
    ----------
    orgs : int
        Organisations in the network (at least 2); every one of them takes part in at least one
        mission.
    missions : int, optional
        Missions; default :func:`default_missions` (about ten collaboration edges per
        organisation). Their participant slots must be at least ``orgs`` (about 4.6 slots per
        mission on average), else ``ValueError``.
    seed : int
        Seed of the random generator: the same arguments give identical files.
    out_dir : path
        Folder for ``partners.csv`` and ``partners.mapping.yaml`` (created if missing).

    Returns
    -------
    GeneratedFiles
        The two paths and the counts written.

    References
    ----------
    H. A. Simon, "On a class of skew distribution functions", Biometrika 42, 425-440 (1955);
    A.-L. Barabási and R. Albert, "Emergence of scaling in random networks", Science 286, 509-512
    (1999); M. E. J. Newman, "Scientific collaboration networks", Phys. Rev. E 64, 016131 (2001).
    """
    if orgs < 2:
        raise ValueError(f"orgs must be at least 2, got {orgs}")
    if missions is None:
        missions = default_missions(orgs)
    if missions < 1:
        raise ValueError(f"missions must be at least 1, got {missions}")
    rng = random.Random(seed)
    years = sorted(int(_YEAR_CHOICE(rng)) for _ in range(missions))
    sizes = [_mission_size(rng, orgs) for _ in range(missions)]
    slots = sum(sizes)
    if slots < orgs:
        raise ValueError(
            f"{missions} missions give {slots} participations, fewer than the {orgs} "
            f"organisations; use at least {math.ceil(orgs / 4.6 * 1.1)} missions"
        )

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / "partners.csv"
    mapping_path = out / "partners.mapping.yaml"

    hubs = max(2, orgs // 50)
    org_rows: list[tuple[str, str, str, str]] = []  # id, name, sector, country
    urn: list[int] = []  # one entry per participation: preferential attachment
    created = 0
    slot = 0
    rows = 0
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for m, (year, k) in enumerate(zip(years, sizes, strict=True)):
            members: list[int] = []
            chosen: set[int] = set()
            for _ in range(k):
                slot += 1
                due = math.ceil(orgs * slot / slots)  # organisations that should exist by now
                if created < due or len(chosen) >= created:
                    org = created
                    created += 1
                    org_rows.append(_new_org(rng, org, hub=org < hubs))
                else:
                    org = _pick(rng, urn, created, chosen)
                chosen.add(org)
                members.append(org)
            urn.extend(members)
            mission_id = f"m-{m + 1:07d}"
            stem = _MISSION_STEMS[rng.randrange(len(_MISSION_STEMS))]
            mission_name = f"{stem} {m + 1}"
            kind = _LARGE_KIND_CHOICE(rng) if k >= 16 else _KIND_CHOICE(rng)
            for position, org in enumerate(members):
                org_id, name, sector, country = org_rows[org]
                role = "lead" if position == 0 else _ROLE_CHOICE[sector](rng)
                writer.writerow(
                    (org_id, name, sector, country, mission_id, mission_name, kind, year, role)
                )
                rows += 1
    mapping_path.write_text(mapping_text(seed, orgs, missions), encoding="utf-8")
    return GeneratedFiles(csv_path, mapping_path, created, missions, rows, seed)


def _pick(rng: random.Random, urn: list[int], created: int, chosen: set[int]) -> int:
    """An existing organisation not yet in this mission: by participations, sometimes uniform."""
    for _ in range(50):
        if not urn or rng.random() < UNIFORM_PICK:
            org = rng.randrange(created)
        else:
            org = urn[rng.randrange(len(urn))]
        if org not in chosen:
            return org
    free = [o for o in range(created) if o not in chosen]
    return free[rng.randrange(len(free))]


def _new_org(rng: random.Random, index: int, *, hub: bool) -> tuple[str, str, str, str]:
    sector = str(_HUB_CHOICE(rng) if hub else _SECTOR_CHOICE(rng))
    country = "" if sector == "intergovernmental" else str(_COUNTRY_CHOICE(rng))
    stem = _NAME_STEMS[rng.randrange(len(_NAME_STEMS))]
    names = _SECTOR_NAMES[sector]
    name = f"{stem} {names[rng.randrange(len(names))]} {index + 1}"
    return f"org-{index + 1:07d}", name, sector, country
