"""Deterministic serialisation and export formats: newsgraph.export."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from newsgraph.errors import NewsgraphError
from newsgraph.export import EXPORT_FORMATS, export_graph, write_trig, write_turtle
from newsgraph.namespaces import ID, NG, PREFIXES, RDF, RDFS, SKOS, XSD

TRIG = """\
@prefix ng: <https://w3id.org/newsgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix off: <https://w3id.org/newsgraph/id/official/> .
@prefix org: <https://w3id.org/newsgraph/id/org/> .
@prefix tech: <https://w3id.org/newsgraph/id/tech/> .
@prefix visit: <https://w3id.org/newsgraph/id/visit/> .
@prefix art: <https://w3id.org/newsgraph/id/article/> .

<https://w3id.org/newsgraph/id/graph/reference> {
    off:li-qiang a ng:Official ; rdfs:label "Li Qiang"@en .
    org:baidu a ng:Organization, ng:Company ; rdfs:label "Baidu"@en .
    tech:large-models a ng:Technology, skos:Concept ; skos:prefLabel "large models"@en ;
        skos:broader tech:artificial-intelligence .
    tech:artificial-intelligence a ng:Technology, skos:Concept ; skos:prefLabel "artificial intelligence"@en .
}
art:d00 {
    off:li-qiang ng:visited org:baidu .
    org:baidu ng:worksOn tech:large-models .
    visit:li-qiang--baidu--2024-03-13 a ng:Visit ; ng:visitor off:li-qiang ; ng:site org:baidu ;
        ng:date "2024-03-13"^^xsd:date ; prov:wasDerivedFrom art:d00 .
}
art:d01 {
    off:li-qiang ng:visited org:baidu .
    visit:li-qiang--baidu--2024-05-02 a ng:Visit ; ng:visitor off:li-qiang ; ng:site org:baidu ;
        ng:date "2024-05-02"^^xsd:date ; prov:wasDerivedFrom art:d01 .
}
"""

LI_QIANG = ID["official/li-qiang"]
BAIDU = ID["org/baidu"]


def _dataset(text: str = TRIG) -> Dataset:
    return Dataset().parse(data=text, format="trig")


def _union(dataset: Dataset) -> Graph:
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def _turtle(source: object) -> str:
    out = io.StringIO()
    write_turtle(source, out)
    return out.getvalue()


@pytest.fixture
def graph_file(tmp_path: Path) -> Path:
    path = tmp_path / "graph.trig"
    path.write_text(TRIG, encoding="utf-8")
    return path


# --- write_turtle / write_trig ---------------------------------------------------------------


def test_write_turtle_parses_back_isomorphic_with_rdflib_and_pyoxigraph() -> None:
    union = _union(_dataset())
    text = _turtle(union)
    assert isomorphic(Graph().parse(data=text, format="turtle"), union)
    assert len(list(ox.parse(text, format=ox.RdfFormat.TURTLE))) == len(union)


def test_write_turtle_groups_sorts_and_uses_prefixed_names() -> None:
    text = _turtle(_union(_dataset()))
    lines = text.splitlines()
    prefixes = [line for line in lines if line.startswith("@prefix ")]
    assert len(prefixes) == len(PREFIXES) and lines[: len(prefixes)] == prefixes == sorted(prefixes)
    assert lines[len(prefixes)] == ""
    statements = lines[len(prefixes) + 1:]
    assert not any("<https://w3id.org/newsgraph/" in line for line in statements)
    subjects = [line.split()[0] for line in statements if not line[0].isspace()]
    assert subjects == sorted(subjects) and len(set(subjects)) == len(subjects) == 6
    assert [_expand(s, prefixes) for s in subjects].count(str(LI_QIANG)) == 1
    li_qiang = statements[subjects.index("off:li-qiang" if "off:" in text else "official:li-qiang")]
    assert li_qiang == "official:li-qiang a ng:Official ;"


def test_write_turtle_writes_iris_in_full_where_a_prefixed_name_would_need_escapes() -> None:
    graph = Graph()
    graph.add((ID["graph/reference"], RDF.type, NG.Article))
    text = _turtle(graph)
    assert "<https://w3id.org/newsgraph/id/graph/reference> a ng:Article .\n" in text
    assert isomorphic(Graph().parse(data=text, format="turtle"), graph)
    assert len(list(ox.parse(text, format=ox.RdfFormat.TURTLE))) == 1


def _expand(name: str, prefix_lines: list[str]) -> str:
    """A prefixed name (or <IRI>) of the output, as the full IRI."""
    namespaces = {line.split()[1]: line.split()[2][1:-1] for line in prefix_lines}
    prefix, _, local = name.partition(":")
    return namespaces[prefix + ":"] + local.replace("\\", "")


def test_write_turtle_same_bytes_for_any_insertion_order() -> None:
    triples = list(_union(_dataset()))
    expected = _turtle(triples)
    for seed in range(5):
        random.Random(seed).shuffle(triples)
        graph = Graph()
        for triple in triples:
            graph.add(triple)
        assert _turtle(graph) == expected


def test_write_turtle_to_path_and_binary_stream(tmp_path: Path) -> None:
    union = _union(_dataset())
    write_turtle(union, tmp_path / "g.ttl")
    binary = io.BytesIO()
    write_turtle(union, binary)
    assert (tmp_path / "g.ttl").read_bytes() == binary.getvalue() == _turtle(union).encode("utf-8")


def test_write_turtle_iri_ending_with_dot_is_written_in_full() -> None:
    graph = Graph()
    graph.add((ID["org/inc."], RDFS.label, Literal("Inc.")))
    text = _turtle(graph)
    assert "<https://w3id.org/newsgraph/id/org/inc.>" in text
    assert isomorphic(Graph().parse(data=text, format="turtle"), graph)


def test_write_turtle_blank_nodes_get_stable_labels() -> None:
    def graph() -> Graph:
        g = Graph()
        node = BNode()
        g.add((LI_QIANG, NG.evidence, node))
        g.add((node, RDFS.label, Literal("a blank")))
        return g

    first, second = _turtle(graph()), _turtle(graph())
    assert first == second
    assert isomorphic(Graph().parse(data=first, format="turtle"), graph())


def test_write_trig_keeps_graphs_and_is_order_independent() -> None:
    dataset = _dataset()
    out = io.StringIO()
    write_trig(dataset, out)
    text = out.getvalue()
    back = Dataset().parse(data=text, format="trig")
    assert {g.identifier for g in back.graphs() if len(g)} == {g.identifier for g in dataset.graphs() if len(g)}
    for g in dataset.graphs():
        assert isomorphic(back.graph(g.identifier), g)
    quads = list(dataset.quads((None, None, None, None)))
    random.Random(3).shuffle(quads)
    shuffled = io.StringIO()
    write_trig(quads, shuffled)
    assert shuffled.getvalue() == text
    graph_lines = [line for line in text.splitlines() if line.endswith("{")]
    assert [line.split()[0] for line in graph_lines] == [   # by their text: full IRIs ('<') first
        "<https://w3id.org/newsgraph/id/graph/reference>", "article:d00", "article:d01"]


def test_write_trig_same_bytes_from_rdflib_and_pyoxigraph_datasets() -> None:
    from_rdflib, from_pyoxigraph = io.BytesIO(), io.BytesIO()
    write_trig(_dataset(), from_rdflib)
    write_trig(ox.Dataset(ox.parse(TRIG, format=ox.RdfFormat.TRIG)), from_pyoxigraph)
    assert from_rdflib.getvalue() == from_pyoxigraph.getvalue()


# A random graph: IRIs from the id: namespace (with '/', '.', '~', '#' ...), literals with quotes,
# backslashes, newlines, unicode, language tags (lower case: pyoxigraph normalises the case,
# rdflib compares it) and datatypes (ill-typed forms only for xsd:anyURI: rdflib logs the others).
_iris = st.builds(
    lambda path: URIRef(str(ID) + path),
    st.text(alphabet="abxyz09-_./~:!$&'()*+,;=?@é·", min_size=1, max_size=12),
)
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_literals = st.one_of(
    st.builds(Literal, _text),
    st.builds(lambda t, lang: Literal(t, lang=lang), _text, st.sampled_from(["en", "zh", "zh-hans", "en-gb"])),
    st.builds(lambda i: Literal(i), st.integers()),
    st.builds(lambda d: Literal(d.isoformat(), datatype=XSD.date), st.dates()),
    st.builds(lambda d: Literal(str(d), datatype=XSD.decimal), st.decimals(allow_nan=False, allow_infinity=False)),
    st.builds(lambda t: Literal(t, datatype=XSD.anyURI), _text),
)
_predicates = st.sampled_from([RDF.type, RDFS.label, SKOS.altLabel, NG.visited, NG.sentence, NG.confidence])
_triples = st.lists(st.tuples(_iris, _predicates, st.one_of(_iris, _literals)), max_size=25)


@settings(max_examples=150, deadline=None)
@given(_triples)
def test_write_turtle_round_trips_random_triples(triples: list[tuple[URIRef, URIRef, object]]) -> None:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    text = _turtle(graph)
    assert isomorphic(Graph().parse(data=text, format="turtle"), graph)
    assert _turtle(list(reversed(triples))) == text


# --- export_graph ----------------------------------------------------------------------------


def _export(source: Path, fmt: str) -> str:
    out = io.StringIO()
    export_graph(source, fmt, out)
    return out.getvalue()


@pytest.mark.parametrize("fmt, rdflib_format", [
    ("ttl", "turtle"), ("trig", "trig"), ("nt", "nt"), ("nq", "nquads"), ("jsonld", "json-ld"),
])
def test_export_rdf_formats_parse_back(graph_file: Path, fmt: str, rdflib_format: str) -> None:
    text = _export(graph_file, fmt)
    expected = _dataset()
    back = Dataset().parse(data=text, format=rdflib_format)
    assert isomorphic(_union(back), _union(expected))
    if fmt in ("trig", "nq", "jsonld"):
        assert isomorphic(back.graph(ID["article/d01"]), expected.graph(ID["article/d01"]))
    assert _export(graph_file, fmt) == text


def test_export_jsonld_compact_context(graph_file: Path) -> None:
    document = json.loads(_export(graph_file, "jsonld"))
    assert document["@context"]["ng"] == str(NG._NS)
    assert "ng:visited" in json.dumps(document)


def test_export_graphml_network(graph_file: Path) -> None:
    network = nx.read_graphml(io.StringIO(_export(graph_file, "graphml")))
    assert network.nodes[str(LI_QIANG)] == {"label": "Li Qiang", "type": "Official"}
    assert network.nodes[str(BAIDU)]["type"] == "Company"
    assert network.nodes[str(ID["tech/large-models"])] == {"label": "large models", "type": "Technology"}
    visit = network.edges[str(LI_QIANG), str(BAIDU)]
    assert visit == {"relation": "visited", "dates": "2024-03-13 2024-05-02", "visits": 2}
    assert network.edges[str(BAIDU), str(ID["tech/large-models"])]["relation"] == "worksOn"
    assert network.edges[str(ID["tech/large-models"]), str(ID["tech/artificial-intelligence"])]["relation"] == "broader"
    assert network.number_of_edges() == 3


def test_export_gexf_network_is_stable(graph_file: Path) -> None:
    text = _export(graph_file, "gexf")
    assert "lastmodifieddate" not in text
    network = nx.read_gexf(io.StringIO(text))
    assert network.nodes[str(LI_QIANG)]["label"] == "Li Qiang"
    assert network.number_of_nodes() == 4 and network.number_of_edges() == 3
    assert _export(graph_file, "gexf") == text


def test_export_same_bytes_from_differently_ordered_files(graph_file: Path, tmp_path: Path) -> None:
    lines = _export(graph_file, "nq").splitlines()
    random.Random(7).shuffle(lines)
    other = tmp_path / "shuffled.nq"
    other.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for fmt in EXPORT_FORMATS:
        assert _export(other, fmt) == _export(graph_file, fmt), fmt


def test_export_binary_stream(graph_file: Path) -> None:
    out = io.BytesIO()
    export_graph(graph_file, "graphml", out)
    assert out.getvalue().decode("utf-8") == _export(graph_file, "graphml")


def test_export_unknown_format_lists_valid(graph_file: Path) -> None:
    with pytest.raises(NewsgraphError, match="unknown export format 'rdfxml'; valid formats: ttl, trig, nt, nq, jsonld"):
        export_graph(graph_file, "rdfxml", io.StringIO())
