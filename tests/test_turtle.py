"""The Turtle and TriG writer behind graph files and exports: newsgraph.turtle."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from newsgraph.errors import NewsgraphError
from newsgraph.export import export_graph
from newsgraph.namespaces import XSD
from newsgraph.pipeline import build_graph
from newsgraph.turtle import HEADER, Statements, iri_text, literal_text, statement_lines, trig_document, turtle_document

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"


def test_iri_text_prefers_the_longest_namespace_and_falls_back_to_full_iris() -> None:
    assert iri_text("https://w3id.org/newsgraph/id/org/baidu") == "org:baidu"
    assert iri_text("https://w3id.org/newsgraph/id/graph/entities") == "<https://w3id.org/newsgraph/id/graph/entities>"
    assert iri_text("https://w3id.org/newsgraph/id/org/a.b.") == "<https://w3id.org/newsgraph/id/org/a.b.>"
    assert iri_text("https://example.org/x") == "<https://example.org/x>"
    with pytest.raises(NewsgraphError, match="cannot write the IRI"):
        iri_text("https://example.org/a b")


@pytest.mark.parametrize("value", ['say "hi"', "back\\slash", "two\nlines\r\n", "tab\there", "中文 – ü", ""])
def test_literals_read_back_unchanged(value: str) -> None:
    graph = Statements()
    graph.add("org:x", iri_text("http://www.w3.org/2000/01/rdf-schema#label"), literal_text(value, "en"))
    graph.add("org:x", iri_text("http://www.w3.org/2000/01/rdf-schema#comment"), literal_text(value))
    text = turtle_document(graph).decode("utf-8")
    parsed = Graph().parse(data=text, format="turtle")
    assert {str(o) for o in parsed.objects()} == {value}
    assert {q.object.value for q in ox.parse(text, format=ox.RdfFormat.TURTLE)} == {value}


def test_numbers_are_bare_only_in_turtle_number_syntax() -> None:
    assert literal_text("42", datatype=str(XSD.integer)) == "42"
    assert literal_text("0.85", datatype=str(XSD.decimal)) == "0.85"
    assert literal_text("1.", datatype=str(XSD.decimal)) == '"1."^^xsd:decimal'
    assert literal_text("2024-03-13", datatype=str(XSD.date)) == '"2024-03-13"^^xsd:date'
    assert literal_text("x", datatype=str(XSD.string)) == '"x"'
    graph = Graph().parse(data=HEADER + f"org:x ng:n {literal_text('1.', datatype=str(XSD.decimal))} .", format="turtle")
    assert list(graph.objects()) == [Literal("1.", datatype=XSD.decimal)]


def test_statements_group_by_subject_type_first_and_merge_repeats() -> None:
    graph = Statements()
    for s, p, o in [("org:b", "rdfs:label", '"B"@en'), ("org:a", "ng:worksOn", "tech:y"), ("org:a", "a", "ng:Company"),
                    ("org:a", "ng:worksOn", "tech:x"), ("org:a", "ng:worksOn", "tech:x")]:
        graph.add(s, p, o)
    assert len(graph) == 4
    assert graph.render() == 'org:a a ng:Company ;\n\tng:worksOn tech:x, tech:y .\norg:b rdfs:label "B"@en .\n'
    assert statement_lines([("ng:worksOn", "tech:x"), ("a", "ng:Company")]) == ["a ng:Company", "ng:worksOn tech:x"]


def test_trig_puts_the_default_graph_first_then_named_graphs_by_name() -> None:
    default, first, second = Statements(), Statements(), Statements()
    default.add("org:a", "a", "ng:Company")
    first.add("org:b", "a", "ng:Company")
    second.add("org:c", "a", "ng:Company")
    text = trig_document({"article:z": first, None: default, "article:m": second, "article:empty": Statements()})
    body = text.decode("utf-8")[len(HEADER):]
    assert body == ("org:a a ng:Company .\narticle:m {\n\torg:c a ng:Company .\n}\n"
                    "article:z {\n\torg:b a ng:Company .\n}\n")
    assert len(list(ox.parse(text, format=ox.RdfFormat.TRIG))) == 3


def test_a_built_graph_exports_to_its_own_bytes(tmp_path: Path) -> None:
    """The build writes text directly; reading it back and exporting must give the same file."""
    build_graph([EXAMPLES], tmp_path / "g", html=False)
    for fmt, name in (("ttl", "graph.ttl"), ("trig", "graph.trig")):
        out = io.BytesIO()
        export_graph(tmp_path / "g", fmt, out)
        assert out.getvalue() == (tmp_path / "g" / name).read_bytes(), fmt
    union = Graph().parse(tmp_path / "g" / "graph.ttl")
    assert (URIRef("https://w3id.org/newsgraph/id/official/li-qiang"), None, None) in union
