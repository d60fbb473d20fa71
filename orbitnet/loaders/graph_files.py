"""Load GraphML and GEXF files (Gephi, Cytoscape, yEd, NetworkX) as orbitnet records.

:func:`read_graph_file` reads ``.graphml`` and ``.gexf`` files with a streaming XML parser (expat),
so every record and problem carries the line of its ``<node>`` or ``<edge>`` element. The
convention, which orbitnet's exporter writes too (so export → load round-trips):

Nodes
    The node attribute ``record`` (``organization``, ``country``, ``mission``, ``program``,
    ``agreement``) picks the model; a node without it is an ``organization`` and then needs a
    ``sector``. Other attributes whose names are fields of that model fill them in (an attribute
    named like a field but for its case, ``Sector``, counts too). The record id is the ``id``
    attribute if there is one, else the XML node id. ``name`` falls back to ``label`` (GEXF's
    ``label`` XML attribute or a GraphML ``label`` key, as Gephi writes them).

Edges
    The edge attribute ``record`` picks the relationship, and the edge's source and target become
    its two ends: ``participation`` org → target, ``signature`` signer → agreement, ``membership``
    country → org, ``contract`` customer → contractor. Without ``record`` the kind is told from the
    two nodes, when the file defines them: organization → mission or program is a participation,
    organization or country → agreement a signature, country → organization a membership (in an
    undirected graph either way round). A participation's ``role`` is ``partner`` when absent.
    Edge ends name XML node ids; they become the record ids of those nodes, and an end that is not
    a node of the file is taken as the id of a node already in the database.

Values
    List fields (``aliases``, ``programs``) are ``|``-joined strings. Typed attributes (GraphML
    ``attr.type``, GEXF ``type``: boolean, int, long, float, double) are converted; an empty value
    is no value; key and attribute defaults apply. Attributes that are not fields of the model
    (layout, colours, sizes, computed metrics such as degree or modularity class) are ignored,
    except a name within a typo of a field (``sectr``), which is a problem, so a misspelling never
    silently drops data.

Problems
    A bad value is :class:`~orbitnet.loaders.base.Rejected` with the file, the element's line and
    the attribute; malformed XML is one problem at the line expat reports, and reading stops there
    (the records before it have been yielded). DTD entity declarations are refused (no entity
    expansion attacks).

Edges normally follow the nodes and are yielded as they are read; an edge that comes before one
of its nodes waits until the end of the file.
"""

from __future__ import annotations

import difflib
import functools
import os
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from pydantic import BaseModel

from orbitnet.errors import Problem, ValidationError
from orbitnet.loaders.base import Item, Located, Rejected, one_line, validate
from orbitnet.model import (
    Agreement,
    AnyRecord,
    Contract,
    Country,
    Membership,
    Mission,
    Organization,
    Participation,
    Program,
    Signature,
)

__all__ = ["EDGE_ENDS", "EDGE_MODELS", "NODE_MODELS", "read_graph_file"]

NODE_MODELS: dict[str, type[BaseModel]] = {
    "organization": Organization,
    "country": Country,
    "mission": Mission,
    "program": Program,
    "agreement": Agreement,
}
EDGE_MODELS: dict[str, type[BaseModel]] = {
    "participation": Participation,
    "signature": Signature,
    "membership": Membership,
    "contract": Contract,
}
EDGE_ENDS: dict[str, tuple[str, str]] = {
    "participation": ("org", "target"),
    "signature": ("signer", "agreement"),
    "membership": ("country", "org"),
    "contract": ("customer", "contractor"),
}
"""The model fields an edge's source and target fill in."""

_INFERRED: dict[tuple[str, str], str] = {
    ("organization", "mission"): "participation",
    ("organization", "program"): "participation",
    ("organization", "agreement"): "signature",
    ("country", "agreement"): "signature",
    ("country", "organization"): "membership",
}
_CHUNK = 1 << 16


@dataclass(frozen=True)
class _FieldKind:
    is_list: bool  # a tuple in the model: written as a "|"-joined string
    is_text: bool  # accepts text as it is (str, enums, slugs): typed attribute values not applied


def _accepts_text(annotation: object) -> bool:
    if annotation is str or (isinstance(annotation, type) and issubclass(annotation, str)):
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _accepts_text(typing.get_args(annotation)[0])
    if origin is typing.Literal:
        return True
    return any(_accepts_text(a) for a in typing.get_args(annotation) if a is not type(None))


def _fields(model: type[BaseModel]) -> dict[str, _FieldKind]:
    out = {}
    for name, info in model.model_fields.items():
        if name == "record":
            continue
        annotation = info.annotation
        options = [annotation, *typing.get_args(annotation)]
        is_list = any(typing.get_origin(a) is tuple for a in options)
        out[name] = _FieldKind(is_list, not is_list and _accepts_text(annotation))
    return out


_MODEL_FIELDS = {name: _fields(model) for name, model in {**NODE_MODELS, **EDGE_MODELS}.items()}


def read_graph_file(path: str | os.PathLike[str]) -> Iterator[Item]:
    """Yield the records of a ``.graphml`` or ``.gexf`` file (see the module docstring).

    Raises
    ------
    orbitnet.errors.ValidationError
        For a file name that ends in neither ``.graphml`` nor ``.gexf``.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.DiGraph()
    >>> G.add_node("nasa", record="organization", name="NASA", sector="agency")
    >>> G.add_node("jwst", record="mission", name="JWST", kind="observatory")
    >>> G.add_edge("nasa", "jwst", role="lead")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "webb.graphml"
    >>> nx.write_graphml(G, path)
    >>> [type(item.record).__name__ for item in read_graph_file(path)]
    ['Organization', 'Mission', 'Participation']
    """
    file = str(path)
    suffix = Path(file).suffix.lower()
    if suffix not in (".graphml", ".gexf"):
        raise ValidationError(
            Problem(file, None, "(file)", "a graph file ends in .graphml or .gexf")
        )
    return _Reader(file, gexf=suffix == ".gexf").items()


# ------------------------------------------------------------------------------------- parsing


class _Refused(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass
class _Attribute:
    name: str
    type: str = "string"
    default: str | None = None


@dataclass
class _Element:
    """A node or edge being read."""

    kind: str  # "node" | "edge"
    line: int
    xml: dict[str, str]
    values: dict[str, str] = field(default_factory=dict)
    directed: bool = True


@dataclass
class _NodeInfo:
    record_id: str
    kind: str | None  # None when the node was rejected
    line: int


class _Reader:
    def __init__(self, file: str, *, gexf: bool) -> None:
        self.file = file
        self.gexf = gexf
        self.out: list[Item] = []
        # GraphML keys / GEXF attributes: (domain, id) -> attribute; domain "node" | "edge" | "all"
        self.attributes: dict[tuple[str, str], _Attribute] = {}
        self.attribute_class = "node"
        self.pending_attribute: _Attribute | None = None
        self.text: list[str] | None = None  # character data being collected
        self.text_target: tuple[str, str] | None = None  # ("default", ...) or ("data", key)
        self.element: _Element | None = None
        self.depth_in_data = 0
        self.directed_default = True
        self.nodes: dict[str, _NodeInfo] = {}
        self.waiting: list[_Element] = []
        self.root_seen = False
        self.schemas: dict[str, tuple[int, dict[str, tuple[str, object]], dict[str, str]]] = {}

    # -- the driver

    def items(self) -> Iterator[Item]:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._chars
        parser.EntityDeclHandler = self._entity
        self.parser = parser
        try:
            with open(self.file, "rb") as handle:
                while True:
                    chunk = handle.read(_CHUNK)
                    parser.Parse(chunk, not chunk)
                    yield from self._drain()
                    if not chunk:
                        break
        except expat.ExpatError as exc:
            yield from self._drain()
            reason = f"malformed XML: {expat.ErrorString(exc.code)} (column {exc.offset + 1})"
            yield Rejected(Problem(self.file, exc.lineno, "(xml)", reason), None)
            return
        except _Refused as exc:
            self.out.clear()
            yield Rejected(Problem(self.file, exc.line, "(xml)", exc.reason), None)
            return
        except (LookupError, ValueError, UnicodeError) as exc:
            # The XML declaration names an encoding Python lacks, or one expat cannot use
            # (encoding="utf-7", "rot13", "TF-8"); after the root element it is a bug.
            if self.root_seen:
                raise
            yield from self._drain()
            reason = f"cannot read the file in the encoding its XML declaration names ({exc})"
            yield Rejected(Problem(self.file, parser.CurrentLineNumber, "(xml)", reason), None)
            return
        if not self.root_seen:
            return
        for element in self.waiting:
            self._edge(element)
        yield from self._drain()

    def _drain(self) -> Iterator[Item]:
        if self.out:
            out, self.out = self.out, []
            yield from out

    # -- expat handlers

    def _entity(self, name: str, *args: object) -> None:
        raise _Refused(
            self.parser.CurrentLineNumber,
            f"entity declaration {name!r}: DTD entities are not allowed in graph files",
        )

    def _start(self, qname: str, attrs: dict[str, str]) -> None:
        name = qname.rsplit(" ", 1)[-1]
        line = self.parser.CurrentLineNumber
        if not self.root_seen:
            self.root_seen = True
            expected = "gexf" if self.gexf else "graphml"
            if name != expected:
                raise _Refused(line, f"the root element is <{name}>, not <{expected}>")
        if self.text is not None:  # markup inside <data> (yEd): keep collecting its text
            self.depth_in_data += 1
            return
        if name == "graph":
            default = attrs.get("defaultedgetype" if self.gexf else "edgedefault", "directed")
            self.directed_default = default != "undirected"
        elif name in ("node", "edge"):
            if self.element is not None and name == "node" and self.element.kind == "node":
                self._node(self.element)  # nested node (GEXF hierarchy / GraphML nested graph)
            self.element = _Element(name, line, dict(attrs))
            if name == "edge":
                flag = attrs.get("type" if self.gexf else "directed")
                self.element.directed = (
                    self.directed_default
                    if flag is None
                    else flag not in ("undirected", "false", "0")
                )
        elif self.gexf:
            self._start_gexf(name, attrs)
        else:
            self._start_graphml(name, attrs)

    def _start_graphml(self, name: str, attrs: dict[str, str]) -> None:
        if name == "key":
            key_id = attrs.get("id", "")
            attribute = _Attribute(
                attrs.get("attr.name") or key_id, attrs.get("attr.type", "string")
            )
            self.attributes[(attrs.get("for", "all"), key_id)] = attribute
            self.pending_attribute = attribute
        elif name == "default" and self.pending_attribute is not None:
            self.text, self.text_target = [], ("default", "")
        elif name == "data" and self.element is not None:
            self.text, self.text_target = [], ("data", attrs.get("key", ""))

    def _start_gexf(self, name: str, attrs: dict[str, str]) -> None:
        if name == "attributes":
            self.attribute_class = attrs.get("class", "node")
        elif name == "attribute":
            attribute = _Attribute(
                attrs.get("title") or attrs.get("id", ""), attrs.get("type", "string")
            )
            self.attributes[(self.attribute_class, attrs.get("id", ""))] = attribute
            self.pending_attribute = attribute
        elif name == "default" and self.pending_attribute is not None:
            self.text, self.text_target = [], ("default", "")
        elif name == "attvalue" and self.element is not None:
            key = attrs.get("for", attrs.get("id", ""))
            attribute = self._attribute(self.element.kind, key)
            if "value" in attrs:
                self.element.values[attribute.name] = attrs["value"]

    def _chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _end(self, qname: str) -> None:
        name = qname.rsplit(" ", 1)[-1]
        if self.text is not None and self.depth_in_data:
            self.depth_in_data -= 1
            return
        if self.text is not None and name in ("data", "default"):
            text = "".join(self.text)
            target = self.text_target
            self.text = self.text_target = None
            if target is not None and target[0] == "default":
                if self.pending_attribute is not None:
                    self.pending_attribute.default = text
            elif target is not None and self.element is not None:
                attribute = self._attribute(self.element.kind, target[1])
                self.element.values[attribute.name] = text
            return
        if name in ("key", "attribute"):
            self.pending_attribute = None
        elif name == "node" and self.element is not None and self.element.kind == "node":
            self._node(self.element)
            self.element = None
        elif name == "edge" and self.element is not None and self.element.kind == "edge":
            element, self.element = self.element, None
            ends = (element.xml.get("source", ""), element.xml.get("target", ""))
            if all(end in self.nodes for end in ends):
                self._edge(element)
            else:
                self.waiting.append(element)

    # -- attributes

    def _attribute(self, kind: str, key: str) -> _Attribute:
        for domain in (kind, "all"):
            found = self.attributes.get((domain, key))
            if found is not None:
                return found
        return _Attribute(key)

    def _schema(self, kind: str) -> tuple[dict[str, tuple[str, object]], dict[str, str]]:
        """Defaults and types of the attributes declared for ``kind`` (cached: keys and
        attributes are declared before the nodes and edges)."""
        cached = self.schemas.get(kind)
        if cached is not None and cached[0] == len(self.attributes):
            return cached[1], cached[2]
        defaults: dict[str, tuple[str, object]] = {}
        types: dict[str, str] = {}
        for (domain, _), attribute in self.attributes.items():
            if domain in (kind, "all"):
                types[attribute.name] = attribute.type
                if attribute.default is not None and attribute.default.strip():
                    default = attribute.default
                    defaults[attribute.name] = (default, _typed(default, attribute.type))
        self.schemas[kind] = (len(self.attributes), defaults, types)
        return defaults, types

    def _values(self, element: _Element) -> dict[str, tuple[str, object]]:
        """The element's attributes by name as (text, typed value); defaults applied, empty
        values dropped."""
        defaults, types = self._schema(element.kind)
        out = dict(defaults)
        for name, text in element.values.items():
            if not text.strip():
                out.pop(name, None)
                continue
            out[name] = (text, _typed(text, types.get(name, "string")))
        return out

    # -- building records

    def _node(self, element: _Element) -> None:
        xml_id = element.xml.get("id", "")
        if xml_id in self.nodes:
            first = self.nodes[xml_id].line
            self._reject(element, "id", f"node id {xml_id!r} is already used on line {first}")
            return
        values = self._values(element)
        kind = values.pop("record", ("organization", None))[0].strip().lower()
        record_id = values.pop("id", (xml_id, None))[0]
        info = _NodeInfo(record_id, None, element.line)
        self.nodes[xml_id] = info
        if kind not in NODE_MODELS:
            hint = f"one of {', '.join(NODE_MODELS)}"
            if kind in EDGE_MODELS:
                hint += f" ({kind} is an edge record)"
            self._reject(element, "record", f"unknown node record {kind!r}; expected {hint}")
            return
        label = values.pop("label", (element.xml.get("label", ""), None))[0]
        data, problems = self._model_data(kind, values, element, f"node {xml_id!r}")
        data["id"] = record_id
        if "name" not in data and label.strip():
            data["name"] = label
        if problems:
            return
        if self._build(NODE_MODELS[kind], data, element, f"node {xml_id!r} ({kind})"):
            info.kind = kind

    def _edge(self, element: _Element) -> None:
        source = element.xml.get("source", "")
        target = element.xml.get("target", "")
        where = f"edge {source!r} → {target!r}"
        values = self._values(element)
        given = values.pop("record", None)
        kind: str | None = None
        if given is not None:
            kind = given[0].strip().lower()
            if kind not in EDGE_MODELS:
                hint = f"one of {', '.join(EDGE_MODELS)}"
                if kind in NODE_MODELS:
                    hint += f" ({kind} is a node record)"
                self._reject(element, "record", f"unknown edge record {kind!r}; expected {hint}")
                return
        else:
            kinds = tuple(self.nodes[e].kind if e in self.nodes else None for e in (source, target))
            kind = _INFERRED.get((kinds[0] or "", kinds[1] or ""))
            if kind is None and not element.directed:
                kind = _INFERRED.get((kinds[1] or "", kinds[0] or ""))
                source, target = target, source
            if kind is None:
                known = " → ".join(k or "?" for k in kinds)
                self._reject(
                    element,
                    "record",
                    f"{where} has no 'record' attribute and its ends ({known}) do not say what "
                    f"it is; add record = {' | '.join(EDGE_MODELS)}",
                )
                return
        data, problems = self._model_data(kind, values, element, where)
        if problems:
            return
        first, second = EDGE_ENDS[kind]
        data[first] = self.nodes[source].record_id if source in self.nodes else source
        data[second] = self.nodes[target].record_id if target in self.nodes else target
        if kind == "participation":
            data.setdefault("role", "partner")
        self._build(EDGE_MODELS[kind], data, element, f"{where} ({kind})")

    def _model_data(
        self, kind: str, values: Mapping[str, tuple[str, object]], element: _Element, where: str
    ) -> tuple[dict[str, Any], bool]:
        fields = _MODEL_FIELDS[kind]
        ends = EDGE_ENDS.get(kind, ())
        by_lower = {f.lower(): f for f in fields}
        data: dict[str, Any] = {"record": kind}
        problems = False
        for name, (text, typed) in values.items():
            field_name = name if name in fields else by_lower.get(name.lower())
            if field_name is None or field_name in ends:
                close = _close_field(kind, name)
                if close is not None:
                    self._reject(
                        element,
                        name,
                        f"{where}: unknown attribute {name!r} (did you mean {close!r}?)",
                    )
                    problems = True
                continue
            kind_of = fields[field_name]
            if kind_of.is_list:
                data[field_name] = tuple(p.strip() for p in text.split("|") if p.strip())
            else:
                data[field_name] = text if kind_of.is_text else typed
        return data, problems

    def _build(
        self, model: type[BaseModel], data: dict[str, Any], element: _Element, where: str
    ) -> bool:
        result = validate(model, data, file=self.file, line=element.line)
        if isinstance(result, list):
            for problem in result:
                reason = problem.reason
                if (
                    reason == "required field is missing"
                    and model is Organization
                    and (problem.field == "sector")
                ):
                    reason += " (a node without a 'record' attribute is an organization)"
                elif problem.field == "id" and "id" in data:
                    reason += (
                        f" (got {data['id']!r}: the id is the node's 'id' attribute, else its "
                        "XML id; ids are lower-case slugs such as 'esa' or 'jwst')"
                    )
                self.out.append(
                    Rejected(
                        Problem(self.file, element.line, problem.field, f"{where}: {reason}"),
                        {**element.xml, **element.values},
                    )
                )
            return False
        self.out.append(Located(typing.cast(AnyRecord, result), self.file, element.line))
        return True

    def _reject(self, element: _Element, field_name: str, reason: str) -> None:
        self.out.append(
            Rejected(
                Problem(self.file, element.line, one_line(field_name), reason),
                {**element.xml, **element.values},
            )
        )


@functools.lru_cache(maxsize=4096)
def _close_field(kind: str, name: str) -> str | None:
    """The field an unknown attribute name is a typo of, if any (``sectr`` → ``sector``)."""
    if name.lower() in ("label", "id"):
        return None
    ends = EDGE_ENDS.get(kind, ())
    close = difflib.get_close_matches(name.lower(), list(_MODEL_FIELDS[kind]), n=1, cutoff=0.85)
    return close[0] if close and close[0] not in ends else None


def _typed(text: str, kind: str) -> object:
    kind = kind.lower()
    try:
        if kind == "boolean":
            lowered = text.strip().lower()
            if lowered in ("true", "1"):
                return True
            if lowered in ("false", "0"):
                return False
        elif kind in ("int", "long", "integer", "short", "byte"):
            return int(text.strip())
        elif kind in ("float", "double"):
            number = float(text.strip())
            return int(number) if number.is_integer() else number
    except ValueError:
        pass
    return text
