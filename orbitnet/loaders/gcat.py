"""Load Jonathan McDowell's General Catalog of Artificial Space Objects (GCAT).

GCAT (https://planet4589.org/space/gcat/, CC-BY) is two tab-separated tables that matter here:
``orgs.tsv``, the organisations (and places and states) behind space objects, and ``satcat.tsv``
(or an extract of it), one row per object with its ``Owner`` and ``Manufacturer`` org codes.
:func:`read_gcat` turns them into records:

* every **payload** row (``Type`` starting with ``P``) becomes a :class:`~orbitnet.model.Mission`
  ``gcat-<jcat>`` (``gcat-s00002``) of kind ``spacecraft``, status ``completed``;
* every ``Owner`` code of a payload becomes a :class:`~orbitnet.model.Participation` with role
  ``operations``, every ``Manufacturer`` code one with role ``contractor`` (an organisation that is
  both gets both); several codes joined by ``/`` give several participations, and a code ending in
  ``?`` gives ``uncertain=True``;
* the organisations those codes name become :class:`~orbitnet.model.Organization` records
  ``gcat-<code>``, together with their ``Parent`` chain.

Which ``orgs.tsv`` rows become organisations
    Only the codes named as Owner or Manufacturer of a payload in the satcat file, plus the
    organisations above them through ``Parent``. The ~3,850-row table also lists launch sites,
    provinces, states (``Type`` ``CY``/``CYP``) and celestial bodies (``AP``), and thousands of
    organisations that own only rocket stages in a given extract; loading them all would add
    thousands of isolated nodes. A parent chain stops at a place or state row (the state is already
    the organisation's ``country``), at a code the ``aliases`` map to a curated node, and at a code
    that is not in the table. A state row that is itself named as an owner (``CSSR``) is an
    organisation like any other.

Ids
    ``aliases[code]`` when the caller maps the code to a curated organisation (no Organization
    record is yielded for it then: the curated node stays as curated, only its id is used in
    edges); otherwise ``gcat-`` + :func:`~orbitnet.model.slugify` of the code. Codes that slugify
    to the same text (``A.B`` and ``A B``), or to nothing, keep the plain slug for the
    alphabetically first code and get ``-`` + six hex digits of the code's SHA-1 for the others,
    so ids never depend on row order; so does a code shaped like a JCAT number (a letter and five
    or more digits), which would otherwise share an id with a mission (the pipeline checks ids
    across labels). No code in the 2025 release is affected.

Sector (``Class``)
    ``B`` business → ``company``, ``C`` civil government → ``agency``, ``A`` academic/non-profit
    → ``academic``, ``D`` defence → ``defense``; any row whose ``Type`` includes ``IGO`` (ESA,
    EUMETSAT, INTELSAT, NATO, ...) → ``intergovernmental`` whatever its class. The 2025 release
    has no other class value; an empty or unknown class gets the same guess as a code missing
    from the table (below).

Codes missing from ``orgs.tsv``
    load as an organisation with only a code: ``name`` = the code, ``aliases`` = (code,), no
    country, and a ``source`` that says the sector is a guess. The model needs a sector, so it is
    guessed from what the code does in the satcat file, using what the known codes of the 2025
    release show: a code named as Owner of some payload → ``academic`` (the largest class among
    owner codes, 39 %, and 47 % among rarely named ones — university cubesats); any other code
    (manufacturer only) → ``company`` (79 % of the 186 manufacturer-only codes are class B).
    ``academic`` is also the neutral choice for the derived collaboration kinds, which treat
    academic organisations like organisations of unknown sector (non-company), so a wrong guess
    never turns a government partnership into a ``public-private`` one.

Country (``StateCode``)
    GCAT state codes are not ISO 3166 (``F`` France, ``D`` Germany, ``J`` Japan, ``UK`` United
    Kingdom, ``I-ESA`` ESA, ...). :data:`STATE_TO_ISO` maps every state code used in the 2025
    ``orgs.tsv`` to ISO 3166-1 alpha-2, built from the table's own ``CY``/``CYP`` rows (their
    ``Name`` column gives the country): provinces and home nations map to their sovereign state
    (``CN-SC`` → CN, ``SCOT`` → GB, ``UAE DB`` → AE), territories with their own ISO code keep it
    (``GU`` Guam, ``BM`` Bermuda, ``HK``). Codes with no ISO equivalent give ``country=None``:
    the Soviet Union (``SU``), Czechoslovakia, the GDR and the German Reich, the Kyrgyz SSR, the
    Netherlands Antilles, Antarctic claims, the Panama Canal Zone, the Pacific trust territory,
    intergovernmental codes (``I-...``), ``EARTH``, ``LUNA`` and ``X`` (unknown). Beware of codes
    that look ISO but are not: GCAT ``NI`` is Northern Ireland (ISO NI is Nicaragua). A code not
    in the table gives ``None``.

Other fields
    ``name`` = ``Name`` (``ShortName`` when empty); ``aliases`` = the code (always), then
    ``ShortName``, ``ShortEName``, ``EName`` and ``UName`` (native script) when they differ from the
    name, so other sources can merge onto the node; ``founded`` = the year of ``TStart`` when it has
    one in the model's range 1900–2100 (older founding years, ``1841``, are left out). Mission
    ``launch_year`` from ``LDate``, ``end_year`` from ``DDate`` (a trailing ``?`` ignored); the
    ``name`` is ``Name``, else ``PLName``, else the JCAT number. GCAT's TeX-like escapes in names
    (``f\\"{u}r``) are kept as written.

Problems
    Every record and problem carries the physical (1-based) line of its file. A row with the wrong
    number of tab-separated fields, or a launch/decay date without a year, is
    :class:`~orbitnet.loaders.base.Rejected` with the GCAT column as the field; a rejected payload
    yields neither its mission nor its participations. A missing header or column is one problem at
    the header line, and that file is not read further.

Output order: the organisations first (``orgs.tsv`` order, then the missing codes), then each
mission followed by its participations. The satcat file is read twice (first to learn which codes
are used, then to yield the missions), so memory stays proportional to ``orgs.tsv``, not to the
catalogue.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from orbitnet.errors import Problem
from orbitnet.loaders.base import Item, Located, Rejected, validate
from orbitnet.model import Mission, Organization, Participation, Role, Sector, slugify

__all__ = [
    "CLASS_TO_SECTOR",
    "ORGS_SOURCE",
    "SATCAT_SOURCE",
    "STATE_TO_ISO",
    "gcat_org_id",
    "read_gcat",
]

ORGS_SOURCE = "GCAT orgs.tsv (McDowell, https://planet4589.org/space/gcat/)"
SATCAT_SOURCE = "GCAT satcat.tsv (McDowell, https://planet4589.org/space/gcat/)"

CLASS_TO_SECTOR: dict[str, Sector] = {
    "B": Sector.COMPANY,
    "C": Sector.AGENCY,
    "A": Sector.ACADEMIC,
    "D": Sector.DEFENSE,
}
"""GCAT ``Class`` → sector (``IGO`` rows are intergovernmental whatever their class)."""

# GCAT state code -> ISO 3166-1 alpha-2, or None where no ISO code fits. Built from the CY/CYP rows
# of orgs.tsv (2025 Apr 14); the comment is the row's Name (or EName) column.
STATE_TO_ISO: dict[str, str | None] = {
    # sovereign states whose GCAT code is not their ISO code
    "B": "BE",  # Royaume de Belgique
    "D": "DE",  # Bundesrepublik Deutschland
    "E": "ES",  # Reino de Espana
    "F": "FR",  # Republique Francaise
    "I": "IT",  # Repubblica Italiana
    "J": "JP",  # Nippon-koku
    "L": "LU",  # Grand Duche de Luxembourg
    "N": "NO",  # Kongeriket Norge
    "P": "PT",  # Republica Portuguesa
    "S": "SE",  # Konungariket Sverige
    "T": "TH",  # Ratcha Anachak Thai
    "UK": "GB",  # United Kingdom of Great Britain and Northern Ireland
    "UAE": "AE",  # Al-Imarat al-'Arabiya al-Muttahida
    "PAR": "PA",  # Republica de Panama
    "MYM": "MM",  # Pyidaunzu Thanmada Myama Nainngandaw (Myanmar)
    "ZR": "CD",  # Republique du Zaire (now DR Congo)
    "COLP": "CD",  # Republique du Congo (Leopoldville)
    "BGN": "BG",  # Narodna Republika B'lgariya (same state, ISO BG since 1974)
    "PLRL": "PL",  # Polska Rzeczpospolita Ludowa (same state, ISO PL since 1974)
    # territories with an ISO code of their own
    "BVI": "VG",  # British Virgin Islands
    "CYM": "KY",  # Cayman Islands
    "GUF": "GF",  # Guyane (DOM)
    "GRD": "GD",  # Grenada
    "KORS": "CW",  # Korsou (Curacao)
    "KORSA": "CW",  # Curacao, terr. in Nederlandse Antillen
    "MOCN": "MO",  # Macau SAR
    "HKUK": "HK",  # Hong Kong Crown Colony
    "BBUK": "BB",  # Barbados, British self governing colony
    "AGUK": "AG",  # Antigua colony
    "UM67": "UM",  # Johnston Atoll, US Minor Outlying Islands
    "UM79": "UM",  # Wake Island, US Minor Outlying Islands
    # provinces and home nations -> their sovereign state
    "ENG": "GB",
    "SCOT": "GB",
    "CYMRU": "GB",
    "NI": "GB",  # Northern Ireland -- NOT ISO NI (Nicaragua)
    "ANDU": "ES",  # Junta de Andalucia
    "ESCN": "ES",  # Islas Canarias
    "ARV": "AR",  # Provincia de Tierra del Fuego, Antartida e Islas del Atlantico Sur
    "ADG": "RU",  # Respublika Adygeya
    "BASH": "RU",  # Respublika Bashkortostan
    "DAG": "RU",  # Respublika Dagestan
    "TUVA": "RU",  # Tyva Respublika
    "UAE AD": "AE",  # Abu Dhabi
    "UAE DB": "AE",  # Dubai
    "UAE SH": "AE",  # Sharjah
    # no ISO 3166-1 equivalent
    "SU": None,  # Soyuz Sovetskikh Sotsialisticheskikh Respublik
    "CSSR": None,  # Ceskoslovenska socialisticka republica
    "CSFR": None,  # Ceska a Slovenska federativni republica
    "DD": None,  # Deutsche Demokratische Republik
    "DR": None,  # Deutsches Reich
    "DX": None,  # Deutschland (occupied)
    "KGSR": None,  # Kyrgyz SSR
    "ANTN": None,  # Nederlandse Antillen (ISO AN withdrawn)
    "AAT": None,  # Australian Antarctic Territory
    "BAT": None,  # British Antarctic Territory
    "DML": None,  # Dronning Maud Land
    "NZRD": None,  # Ross Dependency
    "PCZ": None,  # Panama Canal Zone
    "TTPI": None,  # Trust Territory of the Pacific Islands
    "EARTH": None,
    "LUNA": None,
    "X": None,  # UNKNOWN
}
# Codes of the CY rows that are already ISO 3166-1 alpha-2 codes for the same country (checked
# against each row's Name; ``AQ`` is Antarctica, ``GU`` Guam, ``PR`` Puerto Rico, ``TF`` the French
# southern lands, ``CD`` the DR Congo).
_SAME_AS_ISO = str.split(
    "AF AG AM AO AQ AR AT AU AZ BB BD BG BH BM BO BR BS BT BW BY CA CD CH CI CK CL CM CN CO "
    "CR CU CZ DJ DK DZ EC EE EG ET FI GE GH GI GL GR GT GU HK HR HU ID IE IL IN IQ IR IS JO "
    "KE KG KH KI KP KR KW KZ LA LB LK LT LV LY MA MC MD MH MN MR MT MU MV MX MY NG NL NP NZ "
    "OM PE PG PH PK PL PR PW PY QA RO RU RW SA SD SG SH SI SK SN SR SY TC TF TJ TM TN TO TR "
    "TW UA UG US UY UZ VA VE VN YE ZA ZW"
)
STATE_TO_ISO.update((code, code) for code in _SAME_AS_ISO)
_PROVINCE = re.compile(r"^(CN|IN)-[A-Z0-9]+$")  # CN-SC, IN-KA: Chinese and Indian provinces

_JCAT_LIKE = re.compile(r"^[a-z]\d{5,}$")  # would look like a mission id (gcat-s00002)
_PLACE_TYPES = frozenset({"CY", "CYP", "AP"})
_YEAR = re.compile(r"^(\d{4})(?!\d)")
_ORG_COLUMNS = ("Code", "StateCode", "Type", "Class", "TStart", "ShortName", "Name", "Parent")
_ORG_OPTIONAL = ("ShortEName", "EName", "UName")
_SAT_COLUMNS = ("JCAT", "Type", "Name", "PLName", "LDate", "DDate", "Owner", "Manufacturer")
_MISSION_FIELD_COLUMN = {
    "id": "JCAT",
    "name": "Name",
    "launch_year": "LDate",
    "end_year": "DDate",
}


def state_to_iso(code: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a GCAT state code, or ``None``.

    >>> state_to_iso("F"), state_to_iso("UK"), state_to_iso("SU"), state_to_iso("CN-SC")
    ('FR', 'GB', None, 'CN')
    """
    if code in STATE_TO_ISO:
        return STATE_TO_ISO[code]
    match = _PROVINCE.match(code)
    return match.group(1) if match else None


def gcat_org_id(code: str) -> str:
    """The plain orbitnet id of a GCAT org code: ``gcat-`` + its slug.

    >>> gcat_org_id("I-ESA"), gcat_org_id("UAE AD")
    ('gcat-i-esa', 'gcat-uae-ad')
    """
    slug = slugify(code)
    return f"gcat-{slug}" if slug else f"gcat-{_digest(code)}"


def _digest(code: str) -> str:
    return hashlib.sha1(code.encode("utf-8")).hexdigest()[:6]


class _Ids:
    """Code → id, with the aliases and the collision rule of the module docstring."""

    def __init__(self, codes: Iterable[str], aliases: Mapping[str, str]) -> None:
        self.aliases = aliases
        self._ids: dict[str, str] = {}
        self._taken: set[str] = set()
        for code in sorted(set(codes)):
            self._assign(code)

    def _assign(self, code: str) -> str:
        plain = gcat_org_id(code)
        clash = plain in self._taken or not slugify(code) or _JCAT_LIKE.match(slugify(code))
        new = f"{plain}-{_digest(code)}" if clash else plain
        self._ids[code] = new
        self._taken.add(new)
        return new

    def __call__(self, code: str) -> str:
        if code in self.aliases:
            return self.aliases[code]
        known = self._ids.get(code)
        return known if known is not None else self._assign(code)


@dataclass
class _Header:
    line: int
    index: dict[str, int]
    width: int


@dataclass
class _OrgRow:
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class _Payload:
    line: int
    jcat: str
    values: dict[str, str]
    launch_year: int | None
    end_year: int | None
    owners: list[tuple[str, bool]] = field(default_factory=list)
    makers: list[tuple[str, bool]] = field(default_factory=list)


def read_gcat(
    orgs_path: str | os.PathLike[str],
    satcat_path: str | os.PathLike[str],
    *,
    aliases: Mapping[str, str] | None = None,
) -> Iterator[Item]:
    """Yield the organisations, payload missions and participations of a GCAT extract.

    Parameters
    ----------
    orgs_path
        GCAT ``orgs.tsv``.
    satcat_path
        GCAT ``satcat.tsv`` or an extract with the same columns; only payload rows are used.
    aliases
        GCAT org code (as written in ``orgs.tsv`` ``Code``, case-sensitive) → id of an existing
        orbitnet organisation. Those codes yield no Organization; edges use the given id.

    Examples
    --------
    >>> from orbitnet.loaders.base import split
    >>> good, bad = split(read_gcat("orgs.tsv", "satcat.tsv", aliases={"NASA": "nasa"}))
    ... # doctest: +SKIP
    """
    alias_map: Mapping[str, str] = aliases if aliases is not None else {}
    orgs_file, sat_file = str(orgs_path), str(satcat_path)

    orgs: dict[str, _OrgRow] = {}
    for item in _read_orgs(orgs_file):
        if isinstance(item, Rejected):
            yield item
        else:
            orgs.setdefault(item.get("Code"), item)

    # Pass 1: which codes the payloads name, and in which role (for missing codes' sectors).
    owner_codes: dict[str, int] = {}
    maker_codes: dict[str, int] = {}
    for payload in _read_payloads(sat_file):
        if isinstance(payload, _Payload):
            for code, _ in payload.owners:
                owner_codes.setdefault(code, payload.line)
            for code, _ in payload.makers:
                maker_codes.setdefault(code, payload.line)
    referenced = owner_codes.keys() | maker_codes.keys()

    emitted = _with_parents(referenced, orgs, alias_map)
    ids = _Ids(set(orgs) | referenced, alias_map)

    for code, row in orgs.items():
        if code in emitted and code not in alias_map:
            guess = Sector.ACADEMIC if code in owner_codes else Sector.COMPANY
            yield from _organization(row, code, ids, orgs, emitted, guess, orgs_file)

    missing = sorted(
        (code for code in referenced if code not in orgs and code not in alias_map),
        key=lambda c: (min(owner_codes.get(c, 1 << 62), maker_codes.get(c, 1 << 62)), c),
    )
    for code in missing:
        line = min(owner_codes.get(code, 1 << 62), maker_codes.get(code, 1 << 62))
        sector = Sector.ACADEMIC if code in owner_codes else Sector.COMPANY
        data = {
            "id": ids(code),
            "name": code,
            "sector": sector,
            "aliases": (code,),
            "source": f"{SATCAT_SOURCE}: code {code} is not in orgs.tsv; sector guessed "
            f"from its role ({'owner' if code in owner_codes else 'manufacturer only'})",
        }
        yield from _validated(Organization, data, sat_file, line, {"id": "Owner", "name": "Owner"})

    # Pass 2: the missions and their participations.
    for payload in _read_payloads(sat_file):
        if isinstance(payload, Rejected):
            yield payload
            continue
        yield from _mission(payload, ids, sat_file)


# --------------------------------------------------------------------------------------- reading


class _NotUtf8(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def _lines(path: str) -> Iterator[tuple[int, str]]:
    """Physical lines (1-based number, text without the line ending); BOM tolerated."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise _NotUtf8(
                    number, f"not UTF-8 at line {number} (byte 0x{raw[exc.start]:02x})"
                ) from None
            yield number, text.rstrip("\r\n")


def _rows(
    path: str, required: tuple[str, ...]
) -> Iterator[tuple[int, list[str], _Header] | Rejected]:
    """Data rows as stripped fields, with the header they belong to; problems as Rejected."""
    header: _Header | None = None
    try:
        for number, line in _lines(path):
            if line.startswith("#"):
                if header is None:
                    names = [n.strip() for n in line[1:].split("\t")]
                    if len(names) > 1 or (names and names[0] in required):
                        missing = [c for c in required if c not in names]
                        if missing:
                            yield Rejected(
                                Problem(
                                    path,
                                    number,
                                    missing[0],
                                    f"column {missing[0]!r} is not in the header line "
                                    f"({len(names)} columns); is this a GCAT file?",
                                ),
                                line,
                            )
                            return
                        index = {name: i for i, name in reversed(list(enumerate(names)))}
                        header = _Header(number, index, len(names))
                continue
            if not line.strip():
                continue
            if header is None:
                yield Rejected(
                    Problem(
                        path,
                        number,
                        "(header)",
                        "data before the header line: the first '#' line with tab-separated "
                        "column names must come first",
                    ),
                    line,
                )
                return
            fields = line.split("\t")
            if len(fields) != header.width:
                yield Rejected(
                    Problem(
                        path,
                        number,
                        "(row)",
                        f"expected {header.width} tab-separated fields (as in the header at "
                        f"line {header.line}), found {len(fields)}",
                    ),
                    line,
                )
                continue
            yield number, [f.strip() for f in fields], header
    except _NotUtf8 as exc:
        yield Rejected(Problem(path, exc.line, "(file)", exc.reason), None)


def _read_orgs(path: str) -> Iterator[_OrgRow | Rejected]:
    wanted = _ORG_COLUMNS + _ORG_OPTIONAL
    for row in _rows(path, _ORG_COLUMNS):
        if isinstance(row, Rejected):
            yield row
            continue
        number, fields, header = row
        values = {c: _value(fields[header.index[c]]) for c in wanted if c in header.index}
        if not values["Code"]:
            yield Rejected(Problem(path, number, "Code", "empty organisation code"), values)
            continue
        yield _OrgRow(number, values)


def _read_payloads(path: str) -> Iterator[_Payload | Rejected]:
    for row in _rows(path, _SAT_COLUMNS):
        if isinstance(row, Rejected):
            yield row
            continue
        number, fields, header = row
        if not fields[header.index["Type"]].startswith("P"):
            continue
        values = {c: _value(fields[header.index[c]]) for c in _SAT_COLUMNS}
        years: dict[str, int | None] = {}
        bad = False
        for column in ("LDate", "DDate"):
            text = values[column]
            match = _YEAR.match(text)
            if text and match is None:
                yield Rejected(
                    Problem(path, number, column, f"no year in {text!r} (expected '1957 Oct  4')"),
                    values,
                )
                bad = True
            years[column] = int(match.group(1)) if match else None
        if bad:
            continue
        yield _Payload(
            number,
            values["JCAT"],
            values,
            years["LDate"],
            years["DDate"],
            _codes(values["Owner"]),
            _codes(values["Manufacturer"]),
        )


def _value(text: str) -> str:
    return "" if text == "-" else text


def _codes(text: str) -> list[tuple[str, bool]]:
    """``"NRO/CIA?"`` → ``[("NRO", False), ("CIA", True)]``."""
    out: list[tuple[str, bool]] = []
    for part in text.split("/"):
        part = part.strip()
        code = part.rstrip("?").strip()
        if code and code != "-":
            out.append((code, part.endswith("?")))
    return out


# -------------------------------------------------------------------------------------- building


def _is_place(row: _OrgRow) -> bool:
    return any(t in _PLACE_TYPES for t in row.get("Type").split("/"))


def _with_parents(
    referenced: Iterable[str], orgs: Mapping[str, _OrgRow], aliases: Mapping[str, str]
) -> set[str]:
    """The referenced codes plus their parent chains (stopping as the module docstring says)."""
    emitted = set(referenced)
    for code in list(emitted):
        seen = {code}
        parent = orgs[code].get("Parent") if code in orgs and code not in aliases else ""
        while parent and parent not in seen:
            seen.add(parent)
            if parent in aliases:
                break
            row = orgs.get(parent)
            if row is None or _is_place(row):
                break
            emitted.add(parent)
            parent = row.get("Parent")
    return emitted


def _sector(row: _OrgRow, guess: Sector) -> Sector:
    if "IGO" in row.get("Type").split("/"):
        return Sector.INTERGOVERNMENTAL
    return CLASS_TO_SECTOR.get(row.get("Class"), guess)


def _organization(
    row: _OrgRow,
    code: str,
    ids: _Ids,
    orgs: Mapping[str, _OrgRow],
    emitted: set[str],
    guess: Sector,
    file: str,
) -> Iterator[Item]:
    name = row.get("Name") or row.get("ShortName") or code
    aliases: list[str] = [code]  # always recorded, so other sources can merge on it
    for alias in (row.get("ShortName"), row.get("ShortEName"), row.get("EName"), row.get("UName")):
        if alias and alias != name and alias not in aliases:
            aliases.append(alias)
    parent_code = row.get("Parent")
    parent = None
    if (
        parent_code
        and parent_code != code
        and (parent_code in ids.aliases or (parent_code in emitted and parent_code in orgs))
    ):
        parent = ids(parent_code)
    year = _YEAR.match(row.get("TStart"))
    founded = int(year.group(1)) if year and 1900 <= int(year.group(1)) <= 2100 else None
    data: dict[str, Any] = {
        "id": ids(code),
        "name": name,
        "sector": _sector(row, guess),
        "country": state_to_iso(row.get("StateCode")),
        "founded": founded,
        "aliases": tuple(aliases),
        "parent": parent,
        "source": ORGS_SOURCE,
    }
    columns = {"id": "Code", "name": "Name", "country": "StateCode", "parent": "Parent"}
    yield from _validated(Organization, data, file, row.line, columns, raw=row.values)


def _mission(payload: _Payload, ids: _Ids, file: str) -> Iterator[Item]:
    values = payload.values
    mission_id = f"gcat-{slugify(payload.jcat)}" if slugify(payload.jcat) else ""
    data: dict[str, Any] = {
        "id": mission_id,
        "name": values["Name"] or values["PLName"] or payload.jcat,
        "kind": "spacecraft",
        "launch_year": payload.launch_year,
        "end_year": payload.end_year,
        "status": "completed",
        "source": f"{SATCAT_SOURCE}, JCAT {payload.jcat}",
    }
    mission = validate(Mission, data, file=file, line=payload.line)
    if isinstance(mission, list):
        for problem in mission:
            column = _MISSION_FIELD_COLUMN.get(problem.field, problem.field)
            yield Rejected(Problem(problem.file, problem.line, column, problem.reason), values)
        return
    yield Located(mission, file, payload.line)

    source = f"{SATCAT_SOURCE}, JCAT {payload.jcat}"
    for codes, role, column in (
        (payload.owners, Role.OPERATIONS, "Owner"),
        (payload.makers, Role.CONTRACTOR, "Manufacturer"),
    ):
        uncertain: dict[str, bool] = {}
        for code, doubt in codes:
            org = ids(code)
            uncertain[org] = uncertain.get(org, True) and doubt
        for org, doubt in uncertain.items():
            part = {
                "org": org,
                "target": mission.id,
                "role": role,
                "source": source,
                "uncertain": True if doubt else None,
            }
            yield from _validated(
                Participation, part, file, payload.line, {"org": column}, raw=values
            )


def _validated(
    model: type[Any],
    data: Mapping[str, Any],
    file: str,
    line: int,
    columns: Mapping[str, str],
    raw: Mapping[str, Any] | None = None,
) -> Iterator[Item]:
    """Like :func:`~orbitnet.loaders.base.located_or_rejected`, naming GCAT columns in problems."""
    result = validate(model, data, file=file, line=line)
    if isinstance(result, list):
        for problem in result:
            column = columns.get(problem.field, problem.field)
            yield Rejected(
                Problem(file, line, column, problem.reason), raw if raw is not None else dict(data)
            )
    else:
        yield Located(result, file, line)
