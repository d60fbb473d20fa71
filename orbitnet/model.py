"""The vocabulary of the partnership graph.

Every label, relationship type, role and partnership kind that reaches the database comes from the
enums in this module; nothing a user types ever becomes a label or a relationship type. Records are
pydantic models with ``extra="forbid"`` so that a misspelt field is an error, not a silent loss.

Node records carry a stable ``id`` (a lower-case slug such as ``nasa`` or ``artemis-accords``) and
relationship records name their two ends by id.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"
_SLUG_RE = re.compile(SLUG_PATTERN)
_NON_SLUG = re.compile(r"[^a-z0-9]+")

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Year = Annotated[int, Field(ge=1900, le=2100)]
FoundingYear = Annotated[int, Field(ge=1000, le=2100)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


def slugify(text: str) -> str:
    """Turn a name or code into an id slug: ``"Chang'e 4"`` -> ``"change-4"``.

    >>> slugify("ExoMars 2016 / TGO")
    'exomars-2016-tgo'
    """
    lowered = text.strip().lower().replace("'", "").replace("\u2019", "")
    return _NON_SLUG.sub("-", lowered).strip("-")


def is_slug(text: str) -> bool:
    return bool(_SLUG_RE.match(text))


class Label(StrEnum):
    """Node labels. ``Organization`` nodes carry exactly one sector label besides."""

    ORGANIZATION = "Organization"
    AGENCY = "Agency"
    COMPANY = "Company"
    INTERGOVERNMENTAL = "Intergovernmental"
    ACADEMIC = "Academic"
    DEFENSE = "Defense"
    COUNTRY = "Country"
    MISSION = "Mission"
    PROGRAM = "Program"
    AGREEMENT = "Agreement"


class Sector(StrEnum):
    """The sector of an organisation; each maps to one extra node label."""

    AGENCY = "agency"
    COMPANY = "company"
    INTERGOVERNMENTAL = "intergovernmental"
    ACADEMIC = "academic"
    DEFENSE = "defense"

    @property
    def label(self) -> Label:
        return Label(self.value.capitalize())


GOVERNMENT_SECTORS = frozenset({Sector.AGENCY, Sector.INTERGOVERNMENTAL, Sector.DEFENSE})
NODE_LABELS = (Label.ORGANIZATION, Label.COUNTRY, Label.MISSION, Label.PROGRAM, Label.AGREEMENT)
"""The labels that own an ``id`` (each gets a uniqueness constraint)."""


class RelType(StrEnum):
    PARTICIPATES_IN = "PARTICIPATES_IN"
    PART_OF = "PART_OF"
    SIGNED = "SIGNED"
    BASED_IN = "BASED_IN"
    MEMBER_OF = "MEMBER_OF"
    CONTRACTS = "CONTRACTS"
    COLLABORATES_WITH = "COLLABORATES_WITH"


class Role(StrEnum):
    """What an organisation does on a mission or programme."""

    LEAD = "lead"
    PARTNER = "partner"
    INSTRUMENT = "instrument"
    MODULE = "module"
    LAUNCH = "launch"
    CONTRACTOR = "contractor"
    OPERATIONS = "operations"
    FUNDING = "funding"
    SCIENCE = "science"


class PartnershipKind(StrEnum):
    """The kind of a derived ``COLLABORATES_WITH`` edge (see DESIGN.md)."""

    BILATERAL = "bilateral"
    MULTILATERAL = "multilateral"
    PUBLIC_PRIVATE = "public-private"
    COMMERCIAL = "commercial"


class AgreementKind(StrEnum):
    BILATERAL = "bilateral"
    MULTILATERAL = "multilateral"
    FRAMEWORK = "framework"
    CONTRACT = "contract"


class MissionKind(StrEnum):
    STATION = "station"
    OBSERVATORY = "observatory"
    PLANETARY = "planetary"
    LUNAR = "lunar"
    EARTH_OBSERVATION = "earth-observation"
    CREW_TRANSPORT = "crew-transport"
    CARGO = "cargo"
    TECHNOLOGY = "technology"
    SOLAR = "solar"
    HELIOPHYSICS = "heliophysics"
    COMMUNICATIONS = "communications"
    NAVIGATION = "navigation"
    SPACECRAFT = "spacecraft"
    """A catalogue payload whose purpose is not known (GCAT)."""


class MissionStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        """Refuse the NUL character in any text: FalkorDB cannot store it (its parameter header
        ends there), and it only ever comes from binary files or broken exports. Other control
        characters are kept as written (the exporters escape them where a format cannot)."""
        for text in value if isinstance(value, tuple) else (value,):
            if isinstance(text, str) and (position := text.find("\x00")) >= 0:
                raise PydanticCustomError(
                    "nul_character",
                    "contains a NUL character (U+0000) at position {position}, which the "
                    "database cannot store; remove it",
                    {"position": position + 1},
                )
        return value


class _Node(_Record):
    id: Slug
    name: Text
    source: Text | None = None

    def properties(self) -> dict[str, object]:
        """Properties as stored: ``None`` left out, enums as values, dates as ISO text."""
        out: dict[str, object] = {}
        for key, value in self.model_dump(mode="json", exclude_none=True).items():
            if key in self._structural_fields:
                continue
            out[key] = value
        return out

    _structural_fields: ClassVar[frozenset[str]] = frozenset()


class Organization(_Node):
    record: Literal["organization"] = "organization"
    sector: Sector
    country: CountryCode | None = None
    founded: FoundingYear | None = None
    aliases: tuple[str, ...] = ()
    parent: Slug | None = None
    """Id of the parent organisation (stored as a ``PART_OF`` relationship)."""
    url: str | None = None

    _structural_fields: ClassVar[frozenset[str]] = frozenset({"record", "parent"})

    @field_validator("aliases", mode="before")
    @classmethod
    def _aliases(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(a for a in (p.strip() for p in value.split("|")) if a)
        return value

    @property
    def labels(self) -> tuple[Label, Label]:
        return (Label.ORGANIZATION, self.sector.label)


class Country(_Node):
    record: Literal["country"] = "country"
    id: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]

    _structural_fields: ClassVar[frozenset[str]] = frozenset({"record"})


class Mission(_Node):
    record: Literal["mission"] = "mission"
    kind: MissionKind
    launch_year: Year | None = None
    end_year: Year | None = None
    destination: str | None = None
    status: MissionStatus | None = None
    programs: tuple[Slug, ...] = ()
    """Ids of programmes this mission is part of (stored as ``PART_OF``)."""
    uncertain: bool | None = None

    _structural_fields: ClassVar[frozenset[str]] = frozenset({"record", "programs"})


class Program(_Node):
    record: Literal["program"] = "program"
    start_year: Year | None = None
    end_year: Year | None = None
    status: MissionStatus | None = None

    _structural_fields: ClassVar[frozenset[str]] = frozenset({"record"})


class Agreement(_Node):
    record: Literal["agreement"] = "agreement"
    kind: AgreementKind
    signed: dt.date | None = None
    program: Slug | None = None
    """The programme this agreement governs, if any."""

    _structural_fields: ClassVar[frozenset[str]] = frozenset({"record"})


class Participation(_Record):
    """``(Organization)-[:PARTICIPATES_IN]->(Mission|Program)``."""

    record: Literal["participation"] = "participation"
    org: Slug
    target: Slug
    role: Role
    contribution: str | None = None
    source: Text | None = None
    uncertain: bool | None = None


class Signature(_Record):
    """``(Organization|Country)-[:SIGNED]->(Agreement)``; the signer is an org or country id."""

    record: Literal["signature"] = "signature"
    signer: Slug
    agreement: Slug
    date: dt.date | None = None
    source: Text | None = None


class Membership(_Record):
    """``(Country)-[:MEMBER_OF]->(Organization)``, e.g. ESA member states."""

    record: Literal["membership"] = "membership"
    country: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
    org: Slug
    since: Year | None = None
    source: Text | None = None


class Contract(_Record):
    """``(Organization)-[:CONTRACTS]->(Organization)``: a government customer and its contractor."""

    record: Literal["contract"] = "contract"
    customer: Slug
    contractor: Slug
    program: Slug | None = None
    year: Year | None = None
    value: str | None = None
    source: Text | None = None


NodeRecord = Organization | Country | Mission | Program | Agreement
EdgeRecord = Participation | Signature | Membership | Contract
AnyRecord = NodeRecord | EdgeRecord

NODE_RECORD_LABEL: dict[type[_Node], Label] = {
    Organization: Label.ORGANIZATION,
    Country: Label.COUNTRY,
    Mission: Label.MISSION,
    Program: Label.PROGRAM,
    Agreement: Label.AGREEMENT,
}


def node_labels(record: NodeRecord) -> tuple[Label, ...]:
    """All labels of a node record, the id-owning label first."""
    if isinstance(record, Organization):
        return record.labels
    return (NODE_RECORD_LABEL[type(record)],)
