"""SHACL validation of graphs against the contract in docs/graph.md."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from newsgraph import validate as validate_module
from newsgraph.errors import OntologyError
from newsgraph.namespaces import ID, NG
from newsgraph.validate import ValidationReport, Violation, validate_graph

PREFIXES = """\
@prefix ng:     <https://w3id.org/newsgraph/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix wd:     <http://www.wikidata.org/entity/> .
@prefix official: <https://w3id.org/newsgraph/id/official/> .
@prefix org:      <https://w3id.org/newsgraph/id/org/> .
@prefix tech:     <https://w3id.org/newsgraph/id/tech/> .
@prefix visit:    <https://w3id.org/newsgraph/id/visit/> .
@prefix evidence: <https://w3id.org/newsgraph/id/evidence/> .
@prefix article:  <https://w3id.org/newsgraph/id/article/> .
"""

# One visit, one worksOn fact, their evidence and the article: docs/graph.md in miniature.
GOOD = PREFIXES + """
official:li-qiang a ng:Official ;
    rdfs:label "Li Qiang"@en ;
    skos:altLabel "Premier Li Qiang"@en ;
    schema:jobTitle "Premier of the State Council"@en ;
    ng:visited org:baidu .

org:baidu a ng:Organization, ng:Company ;
    rdfs:label "Baidu"@en ;
    skos:altLabel "Baidu Company"@en ;
    ng:worksOn tech:large-models ;
    owl:sameAs wd:Q14772 .

tech:large-models a ng:Technology, skos:Concept ;
    skos:prefLabel "large models"@en ;
    rdfs:label "large models"@en ;
    skos:broader tech:artificial-intelligence ;
    skos:inScheme <https://w3id.org/newsgraph/id/scheme/technologies> .

tech:artificial-intelligence a ng:Technology, skos:Concept ;
    skos:prefLabel "artificial intelligence"@en ;
    skos:inScheme <https://w3id.org/newsgraph/id/scheme/technologies> .

visit:li-qiang--baidu--2024-03-13 a ng:Visit ;
    ng:visitor official:li-qiang ;
    ng:site org:baidu ;
    ng:date "2024-03-13"^^xsd:date ;
    ng:siteDetail "Yizhuang office area"@en ;
    prov:wasDerivedFrom article:d00 ;
    ng:evidence evidence:v1 ;
    ng:supportCount 1 .

evidence:v1 a ng:Evidence ;
    rdf:subject official:li-qiang ;
    rdf:predicate ng:visited ;
    rdf:object org:baidu ;
    prov:wasDerivedFrom article:d00 ;
    ng:sentence "Li Qiang then went to the Yizhuang office area of Baidu Company." ;
    ng:charStart 812 ;
    ng:charEnd 877 ;
    ng:rule "visit.went-to" ;
    ng:confidence 0.9 .

evidence:w1 a ng:Evidence ;
    rdf:subject org:baidu ;
    rdf:predicate ng:worksOn ;
    rdf:object tech:large-models ;
    prov:wasDerivedFrom article:d00 ;
    ng:sentence "Baidu showed its large model products." ;
    ng:charStart 878 ;
    ng:charEnd 916 ;
    ng:rule "worksOn.showed" ;
    ng:confidence 0.75 .

article:d00 a ng:Article ;
    schema:headline "Li Qiang conducted research in Beijing" ;
    schema:datePublished "2024-03-14"^^xsd:date ;
    schema:publisher "CCTV" ;
    schema:inLanguage "en" ;
    ng:contentHash "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" ;
    ng:sourceFile "d00-seed-li-qiang-beijing.txt" .
"""

# A plain Namespace: pytest's collector probes module attributes, and rdflib's
# DefinedNamespace XSD warns on the unknown names it asks for.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

LI_QIANG = ID["official/li-qiang"]
BAIDU = ID["org/baidu"]
VISIT = ID["visit/li-qiang--baidu--2024-03-13"]
EVIDENCE = ID["evidence/v1"]
ARTICLE = ID["article/d00"]


@pytest.fixture
def good() -> Graph:
    return Graph().parse(data=GOOD, format="turtle")


def _only_violation(report: ValidationReport) -> Violation:
    assert not report.conforms
    errors = [v for v in report.violations if v.severity == "Violation"]
    assert len(errors) == 1, report.text
    return errors[0]


def test_validate_conforming_graph_passes(good: Graph) -> None:
    report = validate_graph(good)
    assert report.conforms, report.text
    assert report.violations == ()
    assert report.text == "Conforms: no violations."


def test_validate_partial_dates_pass(good: Graph) -> None:
    for date in (
        Literal("--03-13", datatype=XSD.gMonthDay),
        Literal("2024-03", datatype=XSD.gYearMonth),
        Literal("2024", datatype=XSD.gYear),
    ):
        good.set((VISIT, NG.date, date))
        assert validate_graph(good).conforms, date


def test_validate_visit_without_date_passes(good: Graph) -> None:
    good.remove((VISIT, NG.date, None))
    assert validate_graph(good).conforms


def test_validate_visit_without_site(good: Graph) -> None:
    good.remove((VISIT, NG.site, None))
    report = validate_graph(good)
    assert not report.conforms
    by_focus = {(v.focus_node, v.path): v.message for v in report.violations}
    assert "exactly one ng:site" in by_focus[(str(VISIT), "ng:site")]
    # The ng:visited shortcut has lost the visit behind it too.
    assert "No ng:Visit stands behind" in by_focus[(str(LI_QIANG), "ng:visited")]


def test_validate_visit_with_two_sites(good: Graph) -> None:
    good.add((VISIT, NG.site, ID["org/naura"]))
    report = validate_graph(good)
    messages = [v.message for v in report.violations if v.focus_node == str(VISIT)]
    assert any("exactly one ng:site" in m for m in messages)


def test_validate_visited_without_visit(good: Graph) -> None:
    naura = ID["org/naura"]
    good.add((naura, RDF.type, NG.Organization))
    good.add((naura, RDF.type, NG.Company))
    good.add((naura, RDFS.label, Literal("NAURA", lang="en")))
    good.add((LI_QIANG, NG.visited, naura))
    violation = _only_violation(validate_graph(good))
    assert violation.focus_node == str(LI_QIANG)
    assert violation.path == "ng:visited"
    assert violation.value == "org:naura"   # written with the project's prefixes
    assert "No ng:Visit stands behind this ng:visited triple" in violation.message


def test_validate_visited_needs_typed_visit(good: Graph) -> None:
    """A node with visitor and site but no ng:Visit type does not back the shortcut."""
    good.remove((VISIT, RDF.type, NG.Visit))
    report = validate_graph(good)
    assert any("No ng:Visit stands behind" in v.message for v in report.violations)


def test_validate_visit_without_visited(good: Graph) -> None:
    good.remove((LI_QIANG, NG.visited, BAIDU))
    good.remove((EVIDENCE, None, None))
    good.remove((VISIT, NG.evidence, None))
    violation = _only_violation(validate_graph(good))
    assert violation.focus_node == str(LI_QIANG)
    assert violation.path == "ng:visited"
    assert violation.value == "org:baidu"
    assert f"The ng:Visit <{VISIT}> has no matching shortcut" in violation.message


def test_validate_evidence_for_missing_fact(good: Graph) -> None:
    good.remove((BAIDU, NG.worksOn, None))
    violation = _only_violation(validate_graph(good))
    assert violation.focus_node == str(ARTICLE)
    assert violation.value == "evidence:w1"
    assert "supports a fact the graph does not state" in violation.message
    assert f"<{BAIDU}> <{NG.worksOn}> <{ID['tech/large-models']}>" in violation.message


@pytest.mark.parametrize(
    "date",
    [
        Literal("13 March 2024"),  # a plain string
        Literal("2024-03-13T10:00:00", datatype=XSD.dateTime),  # not a date type we allow
        Literal("2024-13-45", datatype=XSD.date),  # ill-formed lexical form
    ],
)
def test_validate_bad_date_datatype(good: Graph, date: Literal) -> None:
    good.set((VISIT, NG.date, date))
    violation = _only_violation(validate_graph(good))
    assert violation.focus_node == str(VISIT)
    assert violation.path == "ng:date"
    assert "ng:date must be a valid xsd:date" in violation.message
    assert "xsd:gMonthDay" in violation.message


def test_validate_two_dates(good: Graph) -> None:
    good.add((VISIT, NG.date, Literal("2024-03-14", datatype=XSD.date)))
    violation = _only_violation(validate_graph(good))
    assert "at most one ng:date" in violation.message


def test_validate_confidence_out_of_range(good: Graph) -> None:
    good.set((EVIDENCE, NG.confidence, Literal(Decimal("1.5"))))
    violation = _only_violation(validate_graph(good))
    assert violation.focus_node == str(EVIDENCE)
    assert violation.path == "ng:confidence"
    assert violation.value == '"1.5"^^xsd:decimal'
    assert "between 0 and 1" in violation.message


def test_validate_confidence_as_float_is_rejected(good: Graph) -> None:
    """Literal(0.9) is xsd:double; the contract says xsd:decimal."""
    good.set((EVIDENCE, NG.confidence, Literal(0.9)))
    violation = _only_violation(validate_graph(good))
    assert violation.path == "ng:confidence"
    assert "xsd:decimal" in violation.message


def test_validate_negative_offset_and_reversed_span(good: Graph) -> None:
    good.set((EVIDENCE, NG.charStart, Literal(-1)))
    good.set((EVIDENCE, NG.charEnd, Literal(-5)))
    report = validate_graph(good)
    messages = " ".join(v.message for v in report.violations)
    assert "ng:charStart" in messages and ">= 0" in messages
    assert "ng:charStart must be smaller than ng:charEnd" in messages


def test_validate_organization_missing_label(good: Graph) -> None:
    good.remove((BAIDU, RDFS.label, None))
    violation = _only_violation(validate_graph(good))
    assert violation.focus_node == str(BAIDU)
    assert violation.path == "rdfs:label"
    assert "exactly one rdfs:label" in violation.message


def test_validate_official_two_labels(good: Graph) -> None:
    good.add((LI_QIANG, RDFS.label, Literal("Premier Li", lang="en")))
    violation = _only_violation(validate_graph(good))
    assert violation.focus_node == str(LI_QIANG)
    assert "skos:altLabel" in violation.message


def test_validate_technology_missing_pref_label(good: Graph) -> None:
    good.remove((ID["tech/artificial-intelligence"], None, Literal("artificial intelligence", lang="en")))
    violation = _only_violation(validate_graph(good))
    assert violation.path == "skos:prefLabel"


def test_validate_requires_explicit_types(good: Graph) -> None:
    """Queries run without inference, so a company must also say it is an ng:Organization."""
    good.remove((BAIDU, RDF.type, NG.Organization))
    violation = _only_violation(validate_graph(good))
    assert violation.focus_node == str(BAIDU)
    assert violation.path == "rdf:type"
    assert "typed ng:Organization" in violation.message


def test_validate_organization_of_unknown_kind_is_a_warning(good: Graph) -> None:
    good.remove((BAIDU, RDF.type, NG.Company))
    report = validate_graph(good)
    assert report.conforms
    assert [v.severity for v in report.violations] == ["Warning"]
    assert report.text.startswith("Conforms: 1 warning.")


def test_validate_blank_node_entity(good: Graph) -> None:
    node = BNode("someone")
    good.add((node, RDF.type, NG.Official))
    good.add((node, RDFS.label, Literal("Someone", lang="en")))
    violation = _only_violation(validate_graph(good))
    assert violation.focus_node == "_:someone"
    assert "never a blank node" in violation.message


def test_validate_article_hash_and_provenance(good: Graph) -> None:
    good.set((ARTICLE, NG.contentHash, Literal("md5:abc")))
    good.remove((VISIT, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None))
    report = validate_graph(good)
    messages = {v.focus_node: v.message for v in report.violations}
    assert "sha256" in messages[str(ARTICLE)]
    assert "at least one prov:wasDerivedFrom" in messages[str(VISIT)]


def test_validate_dataset_is_checked_as_union(good: Graph) -> None:
    """A TriG build splits facts over named graphs; the contract holds for their union."""
    dataset = Dataset()
    visit_graph = dataset.graph(ARTICLE)
    reference = dataset.graph(ID["graph/reference"])
    for triple in good:
        (visit_graph if triple[0] in (VISIT, EVIDENCE) else reference).add(triple)
    assert validate_graph(dataset).conforms
    reference.remove((LI_QIANG, NG.visited, BAIDU))
    report = validate_graph(dataset)
    assert not report.conforms
    assert any("has no matching shortcut" in v.message for v in report.violations)


def test_validate_report_is_sorted_and_deterministic(good: Graph) -> None:
    good.remove((BAIDU, RDFS.label, None))
    good.remove((LI_QIANG, RDFS.label, None))
    good.set((EVIDENCE, NG.confidence, Literal(Decimal("2"))))
    good.remove((BAIDU, RDF.type, NG.Company))
    first = validate_graph(good)
    second = validate_graph(Graph().parse(data=good.serialize(format="nt"), format="nt"))
    assert first == second
    lines = first.text.splitlines()
    assert lines[0] == "Does not conform: 3 violations, 1 warning."
    assert len(lines) == 1 + len(first.violations)
    assert [v.severity for v in first.violations] == ["Violation"] * 3 + ["Warning"]
    errors = first.violations[:3]
    assert list(errors) == sorted(errors, key=lambda v: (v.focus_node, v.path))
    assert lines[1] == str(first.violations[0])
    assert lines[1].startswith(f"Violation: <{EVIDENCE}> ng:confidence")


def test_validate_violation_is_frozen() -> None:
    violation = Violation(focus_node="x", path="", message="m", severity="Violation")
    with pytest.raises(dataclasses.FrozenInstanceError):
        violation.message = "changed"  # type: ignore[misc]


@pytest.fixture
def fake_ontology_dir(tmp_path, monkeypatch):
    """Point the loader at an empty package folder, with the parse caches cleared around the test."""
    (tmp_path / "ontology").mkdir()
    monkeypatch.setattr(validate_module.resources, "files", lambda package: tmp_path)
    validate_module._shapes_graph.cache_clear()
    validate_module._ontology_graph.cache_clear()
    yield tmp_path / "ontology"
    validate_module._shapes_graph.cache_clear()
    validate_module._ontology_graph.cache_clear()


def test_validate_missing_shapes_raise_ontology_error(fake_ontology_dir) -> None:
    with pytest.raises(OntologyError, match="shapes.ttl not found"):
        validate_graph(Graph())


def test_validate_broken_shapes_raise_ontology_error(fake_ontology_dir) -> None:
    (fake_ontology_dir / "shapes.ttl").write_text("ng:Broken a .", encoding="utf-8")
    with pytest.raises(OntologyError, match="shapes.ttl is not valid Turtle"):
        validate_graph(Graph())
