"""Loading graph files and build directories: newsgraph.store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef

from newsgraph.errors import InputError
from newsgraph.store import load_graph, load_store, read_quads, to_rdflib_dataset

TTL = """\
@prefix ng: <https://w3id.org/newsgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <https://w3id.org/newsgraph/id/org/> .

org:baidu a ng:Organization, ng:Company ;
    rdfs:label "Baidu"@en .
"""

TRIG = """\
@prefix ng: <https://w3id.org/newsgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix off: <https://w3id.org/newsgraph/id/official/> .
@prefix org: <https://w3id.org/newsgraph/id/org/> .
@prefix art: <https://w3id.org/newsgraph/id/article/> .

<https://w3id.org/newsgraph/id/graph/reference> {
    off:li-qiang a ng:Official ; rdfs:label "Li Qiang"@en .
    org:baidu a ng:Organization, ng:Company ; rdfs:label "Baidu"@en .
}
art:d00 { off:li-qiang ng:visited org:baidu . }
"""

BAIDU = URIRef("https://w3id.org/newsgraph/id/org/baidu")
D00 = "https://w3id.org/newsgraph/id/article/d00"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_store_load_turtle(tmp_path: Path) -> None:
    store = load_store(_write(tmp_path / "g.ttl", TTL))
    assert len(store) == 3


def test_store_load_trig_keeps_named_graphs_and_unions_them_in_the_default_graph(tmp_path: Path) -> None:
    store = load_store(_write(tmp_path / "g.trig", TRIG))
    assert set(store.named_graphs()) == {ox.NamedNode(D00), ox.NamedNode("https://w3id.org/newsgraph/id/graph/reference")}
    assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(D00)))) == 1
    assert len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 6


def test_store_load_ntriples_and_nquads(tmp_path: Path) -> None:
    quads = read_quads(_write(tmp_path / "g.trig", TRIG))
    assert len(quads) == 6
    nq = tmp_path / "g.nq"
    ox.serialize(quads, nq, ox.RdfFormat.N_QUADS)
    nt = tmp_path / "g.nt"
    ox.serialize([q.triple for q in quads], nt, ox.RdfFormat.N_TRIPLES)
    assert read_quads(nq) == quads
    assert len(load_store(nt)) == 6


def test_store_load_jsonld(tmp_path: Path) -> None:
    Dataset().parse(data=TTL, format="turtle").serialize(tmp_path / "g.jsonld", format="json-ld")
    assert len(load_store(tmp_path / "g.jsonld")) == 3


def test_store_build_directory_prefers_trig(tmp_path: Path) -> None:
    _write(tmp_path / "graph.ttl", TTL)
    _write(tmp_path / "graph.trig", TRIG)
    store = load_store(tmp_path)
    assert ox.NamedNode(D00) in set(store.named_graphs())


def test_store_build_directory_falls_back_to_turtle(tmp_path: Path) -> None:
    _write(tmp_path / "graph.ttl", TTL)
    assert len(load_store(tmp_path)) == 3


def test_store_load_graph_gives_rdflib_dataset_with_union(tmp_path: Path) -> None:
    dataset = load_graph(_write(tmp_path / "g.trig", TRIG))
    assert isinstance(dataset, Dataset)
    assert (BAIDU, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Baidu", lang="en")) in dataset
    assert len(list(dataset.triples((None, None, None)))) == 6
    assert len(dataset.graph(URIRef(D00))) == 1


def test_store_missing_file_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.ttl: no such file"):
        load_store(tmp_path / "nope.ttl")


def test_store_empty_directory_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no graph file in this directory; expected one of graph.trig"):
        load_store(tmp_path)


def test_store_unknown_suffix_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown graph file type '\.txt'"):
        load_store(_write(tmp_path / "g.txt", TTL))


def test_store_broken_turtle_names_file_and_line(tmp_path: Path) -> None:
    broken = _write(tmp_path / "broken.ttl", TTL.replace('"Baidu"@en .', '"Baidu"@en\norg:x a ng:Company .'))
    with pytest.raises(InputError) as error:
        load_store(broken)
    message = str(error.value)
    assert message.startswith(f"{broken}: line 7")
    assert "\n" not in message


def test_store_not_utf8_is_input_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ttl"
    path.write_bytes(TTL.replace("Baidu", "Ba\xefdu").encode("latin-1"))
    with pytest.raises(InputError, match="latin1.ttl: line 6.*UTF-8"):
        load_graph(path)


def test_store_to_rdflib_dataset_takes_triples_and_quads(tmp_path: Path) -> None:
    quads = read_quads(_write(tmp_path / "g.trig", TRIG))
    from_quads = to_rdflib_dataset(quads)
    from_triples = to_rdflib_dataset(q.triple for q in quads)
    assert len(from_quads.graph(URIRef(D00))) == 1
    assert len(list(from_triples.triples((None, None, None)))) == len(list(from_quads.triples((None, None, None))))


def test_store_triple_index_reads_like_an_rdflib_graph(tmp_path: Path) -> None:
    from rdflib import Graph, URIRef

    from newsgraph.store import TripleIndex

    path = tmp_path / "g.ttl"
    path.write_text("""
        @prefix ng: <https://w3id.org/newsgraph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/newsgraph/id/official/a> a ng:Official ; rdfs:label "A"@en ;
            ng:visited <https://w3id.org/newsgraph/id/org/b> .
        <https://w3id.org/newsgraph/id/org/b> a ng:Organization ; rdfs:label "B"@en , "Bee"@en .
    """, encoding="utf-8")
    graph = Graph().parse(path)
    index = TripleIndex(read_quads(path))
    assert len(index) == len(graph)
    assert set(index) == set(graph)
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    org = URIRef("https://w3id.org/newsgraph/id/org/b")
    assert set(index.objects(org, label)) == set(graph.objects(org, label))
    official = URIRef("https://w3id.org/newsgraph/ontology#Official")
    rdf_type = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert set(index.subjects(rdf_type, official)) == set(graph.subjects(rdf_type, official))
    assert set(index.triples((None, label, None))) == set(graph.triples((None, label, None)))
