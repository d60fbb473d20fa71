"""GraphML and GEXF files (orbitnet.loaders.graph_files)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orbitnet.errors import ValidationError
from orbitnet.loaders.base import Located, Rejected, split
from orbitnet.loaders.graph_files import EDGE_ENDS, read_graph_file
from orbitnet.model import (
    Agreement,
    AgreementKind,
    Contract,
    Country,
    Membership,
    Mission,
    MissionKind,
    MissionStatus,
    Organization,
    Participation,
    Program,
    Role,
    Sector,
    Signature,
)

FIXTURES = Path(__file__).parent / "fixtures" / "graph"
GRAPHML = FIXTURES / "partners.graphml"
GEXF = FIXTURES / "partners.gexf"


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(text)


def problems(items) -> list[tuple[str, int | None, str]]:
    return [
        (i.problem.file, i.problem.line, i.problem.field) for i in items if isinstance(i, Rejected)
    ]


# ---------------------------------------------------------------------------------- fixtures


def test_graphml_fixture():
    good, bad = split(read_graph_file(GRAPHML))
    assert bad == []
    by_id = {getattr(i.record, "id", None): i for i in good}
    nasa = by_id["nasa"].record
    assert isinstance(nasa, Organization)  # the key default: record = organization
    assert nasa.name == "NASA"  # from label
    assert (nasa.sector, nasa.country, nasa.founded) == (Sector.AGENCY, "US", 1958)
    assert nasa.aliases == ("NASA", "National Aeronautics and Space Administration")
    assert by_id["nasa"].line == line_of(GRAPHML, '<node id="nasa">')
    japan = by_id["jp"].record  # the 'id' attribute wins over the XML id
    assert isinstance(japan, Country)
    assert japan.source == "ISO 3166-1"
    assert by_id["jaxa"].record.sector == Sector.AGENCY
    dragon = by_id["crew-dragon-demo-2"].record
    assert (dragon.kind, dragon.launch_year) == (MissionKind.CREW_TRANSPORT, 2020)
    assert dragon.programs == ("commercial-crew", "iss")
    assert isinstance(by_id["iss"].record, Program)
    accords = by_id["artemis-accords"].record
    assert accords.signed == dt.date(2020, 10, 13)

    edges = [i for i in good if not hasattr(i.record, "id")]
    records = [i.record for i in edges]
    assert records == [
        # undirected graph, no record: mission–organization is a participation, either way round
        Participation(
            org="spacex",
            target="crew-dragon-demo-2",
            role=Role.LEAD,
            contribution="Spacecraft and Falcon 9 launch",
        ),
        Participation(org="nasa", target="crew-dragon-demo-2", role=Role.PARTNER),
        Signature(
            signer="nasa",
            agreement="artemis-accords",
            date=dt.date(2020, 10, 13),
            source="https://www.nasa.gov/artemis-accords/",
        ),
        Signature(signer="jp", agreement="artemis-accords", date=dt.date(2020, 10, 13)),
        Contract(
            customer="nasa",
            contractor="spacex",
            year=2014,
            source="https://www.nasa.gov/commercial-crew-program/",
        ),
    ]
    assert [i.line for i in edges] == [
        line_of(GRAPHML, '<edge source="crew-dragon-demo-2"'),
        line_of(GRAPHML, '<edge source="nasa" target="crew-dragon-demo-2"/>'),
        line_of(GRAPHML, '<edge source="nasa" target="artemis-accords"'),
        line_of(GRAPHML, '<edge source="n3"'),
        line_of(GRAPHML, '<edge source="nasa" target="spacex">'),
    ]
    assert all(i.file == str(GRAPHML) for i in good)


def test_gexf_fixture_from_gephi():
    good, bad = split(read_graph_file(GEXF))
    assert bad == []
    records = [i.record for i in good]
    assert records == [
        Organization(id="esa", name="European Space Agency", sector=Sector.INTERGOVERNMENTAL),
        Organization(id="jaxa", name="JAXA", sector=Sector.AGENCY, country="JP"),
        Mission(id="bepicolombo", name="BepiColombo", kind=MissionKind.PLANETARY, launch_year=2018),
        Participation(org="esa", target="bepicolombo", role=Role.LEAD, uncertain=False),
        Participation(org="jaxa", target="bepicolombo", role=Role.MODULE, uncertain=True),
    ]
    assert [i.line for i in good] == [
        line_of(GEXF, '<node id="esa"'),
        line_of(GEXF, '<node id="jaxa"'),
        line_of(GEXF, '<node id="bepicolombo"'),
        line_of(GEXF, '<edge id="0"'),
        line_of(GEXF, '<edge id="1"'),
    ]


# ---------------------------------------------------------------------------------- problems


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_malformed_xml_is_one_problem_at_the_expat_line(tmp_path):
    text = GRAPHML.read_text(encoding="utf-8")
    cut = text.index('    <node id="n4">')
    path = write(tmp_path, "cut.graphml", text[:cut] + "    <node id='broken'\n")
    items = list(read_graph_file(path))
    bad = [i for i in items if isinstance(i, Rejected)]
    assert len(bad) == 1
    assert bad[0].problem.field == "(xml)"
    assert bad[0].problem.file == str(path)
    assert bad[0].problem.line == line_of(path, "<node id='broken'")  # where expat says
    assert "malformed XML" in bad[0].problem.reason
    assert items[-1] is bad[0]
    assert [i.record.id for i in items if isinstance(i, Located)] == ["nasa", "spacex", "jp"]
    assert items[-1].problem.line > line_of(path, '<node id="n3">')


def test_mismatched_tag_line(tmp_path):
    text = GEXF.read_text(encoding="utf-8").replace("</node>", "</nod>", 1)
    path = write(tmp_path, "bad.gexf", text)
    bad = [i for i in read_graph_file(path) if isinstance(i, Rejected)]
    assert [(b.problem.line, b.problem.field) for b in bad] == [(line_of(path, "</nod>"), "(xml)")]
    assert "mismatched tag" in bad[0].problem.reason


GEXF_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <graph defaultedgetype="directed">
    <attributes class="node">
      <attribute id="0" title="record" type="string"/>
      <attribute id="1" title="sector" type="string"/>
      <attribute id="2" title="kind" type="string"/>
      <attribute id="3" title="sectr" type="string"/>
    </attributes>
    <attributes class="edge">
      <attribute id="0" title="record" type="string"/>
      <attribute id="1" title="role" type="string"/>
    </attributes>
"""


def test_node_without_record_needs_a_sector(tmp_path):
    path = write(
        tmp_path,
        "g.gexf",
        GEXF_HEAD + '<nodes>\n<node id="acme" label="Acme"/>\n</nodes></graph></gexf>',
    )
    items = list(read_graph_file(path))
    assert problems(items) == [(str(path), 15, "sector")]
    assert "is an organization" in items[0].problem.reason


def test_misspelt_attribute_is_a_problem_not_silence(tmp_path):
    node = (
        '<node id="acme" label="Acme"><attvalues><attvalue for="3" value="company"/>'
        '<attvalue for="1" value="company"/></attvalues></node>'
    )
    path = write(tmp_path, "g.gexf", GEXF_HEAD + f"<nodes>\n{node}\n</nodes></graph></gexf>")
    items = list(read_graph_file(path))
    assert problems(items) == [(str(path), 15, "sectr")]
    assert "did you mean 'sector'" in items[0].problem.reason


def test_bad_enum_and_unknown_records(tmp_path):
    body = """<nodes>
<node id="acme" label="Acme"><attvalues><attvalue for="1" value="startup"/></attvalues></node>
<node id="x" label="X"><attvalues><attvalue for="0" value="rocket"/></attvalues></node>
<node id="esa" label="ESA"><attvalues><attvalue for="1" value="intergovernmental"/>
</attvalues></node>
<node id="nasa" label="NASA"><attvalues><attvalue for="1" value="agency"/></attvalues></node>
<node id="m" label="M"><attvalues><attvalue for="0" value="mission"/>
<attvalue for="2" value="lunar"/></attvalues></node>
</nodes>
<edges>
<edge source="esa" target="nasa"/>
<edge source="esa" target="m"><attvalues><attvalue for="1" value="boss"/></attvalues></edge>
<edge source="esa" target="m"><attvalues><attvalue for="0" value="friendship"/></attvalues></edge>
</edges></graph></gexf>"""
    path = write(tmp_path, "g.gexf", GEXF_HEAD + body)
    items = list(read_graph_file(path))
    assert problems(items) == [
        (str(path), 15, "sector"),
        (str(path), 16, "record"),
        (str(path), 24, "record"),
        (str(path), 25, "role"),
        (str(path), 26, "record"),
    ]
    reasons = [i.problem.reason for i in items if isinstance(i, Rejected)]
    assert "'agency'" in reasons[0]
    assert "unknown node record 'rocket'" in reasons[1]
    assert "organization → organization" in reasons[2]
    assert "'partner'" in reasons[3]
    assert "unknown edge record 'friendship'" in reasons[4]
    assert [i.record.id for i in items if isinstance(i, Located)] == ["esa", "nasa", "m"]


def test_edges_before_nodes_and_ends_outside_the_file(tmp_path):
    text = """<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="r" for="all" attr.name="record" attr.type="string"/>
  <key id="s" for="node" attr.name="sector" attr.type="string"/>
  <key id="i" for="node" attr.name="id" attr.type="string"/>
  <key id="k" for="node" attr.name="kind" attr.type="string"/>
  <graph edgedefault="directed">
    <edge source="a" target="m"/>
    <edge source="a" target="iss"><data key="r">participation</data></edge>
    <node id="a"><data key="i">cnes</data><data key="s">agency</data>
      <data key="label">CNES</data></node>
    <node id="m"><data key="r">mission</data><data key="k">planetary</data>
      <data key="label">M</data></node>
  </graph>
</graphml>"""
    path = write(tmp_path, "late.graphml", text)
    good, bad = split(read_graph_file(path))
    assert bad == []
    assert [type(i.record).__name__ for i in good] == [
        "Organization",
        "Mission",
        "Participation",
        "Participation",
    ]
    assert good[0].record.name == "CNES"  # a 'label' data key with no declared key
    assert good[2].record == Participation(org="cnes", target="m", role=Role.PARTNER)
    assert good[2].line == 8
    assert good[3].record == Participation(org="cnes", target="iss", role=Role.PARTNER)


def test_duplicate_node_id(tmp_path):
    body = (
        '<nodes>\n<node id="a" label="A"><attvalues><attvalue for="1" value="agency"/>'
        '</attvalues></node>\n<node id="a" label="A2"/>\n</nodes></graph></gexf>'
    )
    path = write(tmp_path, "d.gexf", GEXF_HEAD + body)
    items = list(read_graph_file(path))
    assert problems(items) == [(str(path), 16, "id")]
    assert "already used on line 15" in items[1].problem.reason


def test_entities_are_refused(tmp_path):
    text = """<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph/></graphml>"""
    path = write(tmp_path, "e.graphml", text)
    items = list(read_graph_file(path))
    assert problems(items) == [(str(path), 2, "(xml)")]
    assert "entities are not allowed" in items[0].problem.reason


def test_wrong_root_and_wrong_extension(tmp_path):
    path = write(tmp_path, "x.gexf", GRAPHML.read_text(encoding="utf-8"))
    items = list(read_graph_file(path))
    assert [i.problem.reason for i in items] == ["the root element is <graphml>, not <gexf>"]
    with pytest.raises(ValidationError, match=r"\.graphml or \.gexf"):
        read_graph_file(tmp_path / "x.xml")


def test_not_utf8_without_declaration(tmp_path):
    path = tmp_path / "latin.graphml"
    text = GRAPHML.read_text(encoding="utf-8").replace("SpaceX", "Späce X")
    path.write_bytes(text.encode("latin-1"))
    items = list(read_graph_file(path))
    bad = [i for i in items if isinstance(i, Rejected)]
    assert [(b.problem.line, b.problem.field) for b in bad] == [
        (line_of(GRAPHML, "SpaceX</data>"), "(xml)")
    ]


# ------------------------------------------------------------------------ round trips (networkx)

_xml_char = st.characters(
    exclude_categories=("Cs",),
    exclude_characters="\r\ufffe\uffff" + "".join(chr(c) for c in range(0x20) if c not in (9, 10)),
)
AWKWARD = ['"', "'", "<", ">", "&", "`", "\n", "\t", "|", ",", "é", "宇宙", "🚀", "&amp;", "]]>"]
TEXT = (
    st.lists(
        st.one_of(st.sampled_from(AWKWARD), st.text(_xml_char, max_size=5)), min_size=1, max_size=6
    )
    .map("".join)
    .filter(lambda s: s.strip())
)
ALIAS = TEXT.filter(lambda s: "|" not in s)
YEAR = st.integers(1900, 2100)
DATE = st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31))


def optional(strategy):
    return st.one_of(st.none(), strategy)


@st.composite
def graphs(draw):
    ids = iter(
        draw(
            st.lists(
                st.from_regex(r"\A[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?\Z"),
                min_size=12,
                max_size=12,
                unique=True,
            )
        )
    )
    country_ids = draw(
        st.lists(st.from_regex(r"\A[a-z]{2}\Z"), min_size=1, max_size=2, unique=True).filter(
            lambda xs: not any(x in ("ab",) for x in xs)
        )
    )
    orgs = [
        Organization(
            id=next(ids),
            name=draw(TEXT),
            sector=draw(st.sampled_from(list(Sector))),
            country=draw(optional(st.sampled_from(["US", "FR", "JP"]))),
            founded=draw(optional(YEAR)),
            aliases=tuple(draw(st.lists(ALIAS, max_size=3))),
            source=draw(optional(TEXT)),
        )
        for _ in range(draw(st.integers(1, 4)))
    ]
    programs = [Program(id=next(ids), name=draw(TEXT), start_year=draw(optional(YEAR)))]
    missions = [
        Mission(
            id=next(ids),
            name=draw(TEXT),
            kind=draw(st.sampled_from(list(MissionKind))),
            launch_year=draw(optional(YEAR)),
            status=draw(optional(st.sampled_from(list(MissionStatus)))),
            programs=tuple(draw(st.lists(st.just(programs[0].id), max_size=1))),
            uncertain=draw(optional(st.booleans())),
        )
        for _ in range(draw(st.integers(1, 3)))
    ]
    agreements = [
        Agreement(
            id=next(ids),
            name=draw(TEXT),
            kind=draw(st.sampled_from(list(AgreementKind))),
            signed=draw(optional(DATE)),
        )
    ]
    countries = [Country(id=c, name=draw(TEXT)) for c in country_ids]
    org_ids = [o.id for o in orgs]
    edges = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["participation", "signature", "membership", "contract"]))
        if kind == "participation":
            target = draw(st.sampled_from([m.id for m in missions] + [programs[0].id]))
            edges.append(
                Participation(
                    org=draw(st.sampled_from(org_ids)),
                    target=target,
                    role=draw(st.sampled_from(list(Role))),
                    contribution=draw(optional(TEXT)),
                    source=draw(optional(TEXT)),
                    uncertain=draw(optional(st.booleans())),
                )
            )
        elif kind == "signature":
            edges.append(
                Signature(
                    signer=draw(st.sampled_from(org_ids + country_ids)),
                    agreement=agreements[0].id,
                    date=draw(optional(DATE)),
                )
            )
        elif kind == "membership":
            edges.append(
                Membership(
                    country=draw(st.sampled_from(country_ids)),
                    org=draw(st.sampled_from(org_ids)),
                    since=draw(optional(YEAR)),
                )
            )
        else:
            edges.append(
                Contract(
                    customer=draw(st.sampled_from(org_ids)),
                    contractor=draw(st.sampled_from(org_ids)),
                    year=draw(optional(YEAR)),
                    value=draw(optional(TEXT)),
                )
            )
    return [*orgs, *programs, *missions, *agreements, *countries], edges


def attributes(record, skip=()) -> dict:
    """orbitnet's file convention: fields as attributes, lists |-joined, None left out."""
    out = {}
    for key, value in record.model_dump(mode="json", exclude_none=True).items():
        if key in skip:
            continue
        if isinstance(value, list):
            if not value:
                continue
            value = "|".join(value)
        out[key] = value
    return out


def to_networkx(nodes, edges) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for node in nodes:
        graph.add_node(node.id, **attributes(node, skip=("id",)))
    for edge in edges:
        first, second = EDGE_ENDS[edge.record]
        graph.add_edge(
            getattr(edge, first), getattr(edge, second), **attributes(edge, (first, second))
        )
    return graph


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=graphs(), fmt=st.sampled_from(["graphml", "gexf"]))
def test_round_trip_through_networkx(tmp_path, data, fmt):
    nodes, edges = data
    graph = to_networkx(nodes, edges)
    path = tmp_path / f"g.{fmt}"
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, path)
    good, bad = split(read_graph_file(path))
    assert bad == []
    loaded = [i.record for i in good]
    assert loaded[: len(nodes)] == nodes
    assert Counter(loaded[len(nodes) :]) == Counter(edges)
