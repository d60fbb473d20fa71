"""Named queries: the ``.cypher`` files in ``orbitnet/cypher/queries``.

Each file starts with a header of ``//`` comments::

    // name: partners
    // description: Partners of one organisation, strongest first
    // params: org, limit=20
    // example: org="nasa"

``params`` lists the parameter names, with an optional default after ``=`` (read as JSON, so
``20`` is a number and ``"x"`` a string); an optional ``example`` line gives sample values for
the required ones (used by the Neo4j Browser favourites). The rest of the file is the query,
written in the Cypher that Neo4j 5 and FalkorDB share.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from orbitnet.errors import ConfigError, NotFoundError, QueryError

_MISSING = object()


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    params: tuple[str, ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=dict)
    examples: Mapping[str, Any] = field(default_factory=dict)
    """Example values for required parameters (``// example: org="nasa"``), for favourites."""
    filename: str = ""

    def bind(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The parameters to send: ``values`` over the defaults; unknown or missing ones refused."""
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter {', '.join(unknown)}; "
                f"it takes {', '.join(self.params) or 'none'}"
            )
        bound = {**self.defaults, **values}
        missing = [p for p in self.params if p not in bound]
        if missing:
            raise QueryError(
                f"query {self.name!r} needs --param {missing[0]}=VALUE "
                f"(parameters: {', '.join(self.params)})"
            )
        return bound


def parse_value(text: str) -> Any:
    """A ``--param`` value: JSON when it parses (``20``, ``true``, ``["a"]``), else the string."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_query_file(filename: str, source: str) -> NamedQuery:
    header: dict[str, str] = {}
    body: list[str] = []
    in_header = True
    for line in source.splitlines():
        stripped = line.strip()
        if in_header and stripped.startswith("//"):
            key, sep, value = stripped[2:].partition(":")
            if sep:
                header[key.strip().lower()] = value.strip()
            continue
        in_header = False
        body.append(line)
    text = "\n".join(body).strip()
    if "name" not in header or "description" not in header:
        raise ConfigError(f"{filename}: the header must give '// name:' and '// description:'")
    params: list[str] = []
    defaults: dict[str, Any] = {}
    for item in filter(None, (p.strip() for p in header.get("params", "").split(","))):
        name, sep, default = item.partition("=")
        name = name.strip()
        params.append(name)
        if sep:
            defaults[name] = parse_value(default.strip())
    examples: dict[str, Any] = {}
    for item in filter(None, (p.strip() for p in header.get("example", "").split(","))):
        name, _, value = item.partition("=")
        examples[name.strip()] = parse_value(value.strip())
    return NamedQuery(
        name=header["name"],
        description=header["description"],
        text=text,
        params=tuple(params),
        defaults=defaults,
        examples=examples,
        filename=filename,
    )


@cache
def all_queries() -> dict[str, NamedQuery]:
    """Every named query, by name."""
    folder = files("orbitnet.cypher") / "queries"
    found: dict[str, NamedQuery] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            query = parse_query_file(entry.name, entry.read_text(encoding="utf-8"))
            found[query.name] = query
    return found


def get_query(name: str) -> NamedQuery:
    queries = all_queries()
    try:
        return queries[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, list(queries), n=3)
        raise NotFoundError(f"no named query {name!r}; see 'orbitnet queries'", close) from None
