"""Neo4j Browser sessions: prefilled query URLs, a GraSS style and the named queries as favourites.

>>> browser_url("MATCH (n) RETURN n LIMIT 5", base="http://localhost:7474/browser/")
'http://localhost:7474/browser/?cmd=edit&arg=MATCH%20%28n%29%20RETURN%20n%20LIMIT%205'
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from orbitnet.model import Label, RelType

DEFAULT_BROWSER = "http://localhost:7474/browser/"
DEFAULT_QUERY = (
    "MATCH (a:Organization)-[r:COLLABORATES_WITH]-(b:Organization)\n"
    "WHERE a.betweenness IS NOT NULL\n"
    "RETURN a, r, b\n"
    "ORDER BY a.betweenness DESC\n"
    "LIMIT 150"
)

# Colours per label: sectors match the map's palette (Okabe-Ito, readable by colour-blind users).
LABEL_COLOURS: dict[Label, str] = {
    Label.AGENCY: "#0072B2",
    Label.COMPANY: "#E69F00",
    Label.INTERGOVERNMENTAL: "#009E73",
    Label.ACADEMIC: "#CC79A7",
    Label.DEFENSE: "#D55E00",
    Label.ORGANIZATION: "#56B4E9",
    Label.COUNTRY: "#999999",
    Label.MISSION: "#F0E442",
    Label.PROGRAM: "#7F3C8D",
    Label.AGREEMENT: "#332288",
}
REL_COLOURS: dict[RelType, str] = {
    RelType.COLLABORATES_WITH: "#4C72B0",
    RelType.PARTICIPATES_IN: "#A5ABB6",
    RelType.SIGNED: "#332288",
    RelType.MEMBER_OF: "#999999",
    RelType.CONTRACTS: "#E69F00",
    RelType.PART_OF: "#A5ABB6",
    RelType.BASED_IN: "#CCCCCC",
}
ORG_LABELS = frozenset(
    {
        Label.ORGANIZATION,
        Label.AGENCY,
        Label.COMPANY,
        Label.INTERGOVERNMENTAL,
        Label.ACADEMIC,
        Label.DEFENSE,
    }
)
SIZE_PROPERTY = "display_size"
"""Node property (pixels) written by ``orbitnet analyze --write`` from betweenness."""
MIN_SIZE, MAX_SIZE = 30.0, 90.0


def browser_base(neo4j_uri: str | None, override: str | None = None) -> str:
    """The Browser address for a Bolt URI: same host, port 7474 (or ``override``)."""
    if override:
        return override if override.endswith("/") else override + "/"
    if not neo4j_uri:
        return DEFAULT_BROWSER
    host = urlsplit(neo4j_uri).hostname or "localhost"
    if host.endswith(".databases.neo4j.io"):
        return "https://console.neo4j.io/"
    return f"http://{host}:7474/browser/"


def browser_url(query: str | None = None, *, base: str = DEFAULT_BROWSER) -> str:
    """A Neo4j Browser URL that opens with ``query`` in the editor (``?cmd=edit&arg=...``)."""
    return f"{base}?cmd=edit&arg={quote(query or DEFAULT_QUERY, safe='')}"


def display_sizes(betweenness: dict[Any, float]) -> dict[Any, float]:
    """Node diameters in pixels, area proportional to betweenness (as on the maps)."""
    top = max(betweenness.values(), default=0.0) or 1.0
    return {
        n: round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * (max(b, 0.0) / top) ** 0.5, 1)
        for n, b in betweenness.items()
    }


def _text_colour(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#FFFFFF"


def grass_style() -> str:
    """A Graph Style Sheet for Neo4j Browser (``:style`` or drag the file onto Browser).

    Each label gets a colour; organisations show their ``name`` and are sized by
    ``display_size``, which ``orbitnet analyze --write`` derives from betweenness.
    """
    lines = [
        "/* orbitnet style for Neo4j Browser: colours per label, organisations sized by",
        "   betweenness (run 'orbitnet analyze --write' first). */",
        "node {",
        "  diameter: 40px;",
        "  color: #A5ABB6;",
        "  border-color: #9AA1AC;",
        "  border-width: 2px;",
        "  text-color-internal: #FFFFFF;",
        "  font-size: 10px;",
        "  caption: '{name}';",
        "}",
        "relationship {",
        "  color: #A5ABB6;",
        "  shaft-width: 1px;",
        "  font-size: 8px;",
        "  padding: 3px;",
        "  text-color-external: #000000;",
        "  text-color-internal: #FFFFFF;",
        "  caption: '<type>';",
        "}",
    ]
    for label, colour in LABEL_COLOURS.items():
        lines += [
            f"node.{label.value} {{",
            f"  color: {colour};",
            f"  border-color: {colour};",
            f"  text-color-internal: {_text_colour(colour)};",
            "  caption: '{name}';",
        ]
        if label in ORG_LABELS:
            lines.append(f"  diameter: '{{{SIZE_PROPERTY}}}';")
        lines.append("}")
    for rel, colour in REL_COLOURS.items():
        width = "3px" if rel == RelType.COLLABORATES_WITH else "1px"
        lines += [
            f"relationship.{rel.value} {{",
            f"  color: {colour};",
            f"  shaft-width: {width};",
            "  caption: '<type>';",
            "}",
        ]
    return "\n".join(lines) + "\n"


def _cypher_literal(value: Any) -> str:
    """A parameter value as Cypher literal text for a ``:param`` line (JSON is close enough for
    numbers, booleans and null; strings are single-quoted with escapes)."""
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
        return f"'{escaped}'"
    return json.dumps(value)


def favourites_zip(path: Path) -> Path:
    """The named queries as a zip of ``.cypher`` files, for Browser's Favorites > Import.

    Each favourite sets its parameters with ``:param`` (defaults, or the query's example
    values) and then runs the query, so it works as it is and is easy to edit.
    """
    from orbitnet.cypher.queries import all_queries

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for query in all_queries().values():
            if query.name.startswith(("projection-", "export-")):
                continue  # plumbing for orbitnet itself, not for people
            values = {**query.examples, **query.defaults}
            lines = [f"// orbitnet: {query.name}: {query.description}"]
            lines += [f":param {p} => {_cypher_literal(values.get(p))};" for p in query.params]
            lines.append(query.text.rstrip().rstrip(";") + ";")
            archive.writestr(f"orbitnet/{query.name}.cypher", "\n".join(lines) + "\n")
    return path
