"""The curated dataset shipped in ``orbitnet/loaders/data`` (and folders in the same format).

A dataset folder holds one YAML file per record type, each a list of mappings::

    organizations.yaml  countries.yaml  programs.yaml  missions.yaml  agreements.yaml
    participations.yaml  signatures.yaml  memberships.yaml  contracts.yaml

Every record carries a ``source``. Problems name the file, the line of the record and the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import yaml

from orbitnet.errors import Problem
from orbitnet.loaders.base import Item, Rejected, bounded, located_or_rejected, yaml_failure
from orbitnet.model import (
    Agreement,
    Contract,
    Country,
    Membership,
    Mission,
    Organization,
    Participation,
    Program,
    Signature,
)

FILES: dict[str, type[Any]] = {
    "countries.yaml": Country,
    "organizations.yaml": Organization,
    "programs.yaml": Program,
    "missions.yaml": Mission,
    "agreements.yaml": Agreement,
    "participations.yaml": Participation,
    "signatures.yaml": Signature,
    "memberships.yaml": Membership,
    "contracts.yaml": Contract,
}
"""File name to record type, nodes before relationships."""

_LINE = "__line__"
_FIELD_LINES = "__field_lines__"


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers the line each mapping starts on."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[_LINE] = node.start_mark.line + 1
        mapping[_FIELD_LINES] = {
            key.value: key.start_mark.line + 1 for key, _ in node.value if hasattr(key, "value")
        }
        return mapping


def _read_file(path: Path, model: type[Any], display: str) -> Iterator[Item]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        yield Rejected(Problem(display, line, "(file)", "not UTF-8 text"))
        return
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except Exception as exc:
        where, reason = yaml_failure(exc, text)
        yield Rejected(Problem(display, where, "(file)", f"YAML: {reason}"))
        return
    if data is None:
        return
    if not isinstance(data, list):
        yield Rejected(Problem(display, 1, "(file)", "expected a list of records"))
        return
    for entry in data:
        if not isinstance(entry, dict):
            yield Rejected(
                Problem(display, None, "(record)", "expected a mapping"),
                json.dumps(bounded(entry), ensure_ascii=False),
            )
            continue
        line = entry.pop(_LINE, None)
        field_lines = entry.pop(_FIELD_LINES, {})
        for item in located_or_rejected(model, entry, file=display, line=line):
            if isinstance(item, Rejected):
                # Point at the line of the offending field when there is one.
                top = item.problem.field.split(".")[0]
                if top in field_lines:
                    item = Rejected(replace(item.problem, line=field_lines[top]), item.raw)
            yield item


def read_dataset(folder: Path) -> Iterator[Item]:
    """Read every known file in ``folder`` (missing files are simply absent record types)."""
    folder = Path(folder)
    for name, model in FILES.items():
        path = folder / name
        if path.exists():
            yield from _read_file(path, model, str(path))


def read_curated() -> Iterator[Item]:
    """The dataset that ships with orbitnet; problems name files as ``orbitnet/loaders/data/…``."""
    resource = files("orbitnet.loaders") / "data"
    with as_file(resource) as folder:
        for name, model in FILES.items():
            path = Path(folder) / name
            if path.exists():
                yield from _read_file(path, model, f"orbitnet/loaders/data/{name}")
