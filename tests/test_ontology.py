"""The ontology defines every term the code writes, and only documented terms."""

from __future__ import annotations

from importlib import resources

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from newsgraph.namespaces import NG, ONTOLOGY_IRI

ONTOLOGY = resources.files("newsgraph") / "ontology" / "newsgraph.ttl"

# The kind each NG term must have in OWL: classes start upper-case; these
# properties link to literals, every other lower-case term links to nodes.
DATATYPE_PROPERTIES = {
    "date", "siteDetail", "sentence", "charStart", "charEnd", "rule",
    "confidence", "contentHash", "sourceFile", "supportCount",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(data=ONTOLOGY.read_text(encoding="utf-8"), format="turtle")


def _ng_terms() -> list[str]:
    """The local names declared in the closed ``NG`` namespace class."""
    return sorted(NG.__annotations__)


def _english(graph: Graph, term: URIRef, predicate: URIRef) -> list[Literal]:
    return [
        o for o in graph.objects(term, predicate)
        if isinstance(o, Literal) and o.language == "en" and str(o).strip()
    ]


def test_ontology_parses_with_header(ontology: Graph) -> None:
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionInfo) is not None
    assert ontology.value(header, URIRef("http://purl.org/dc/terms/title")) is not None
    assert ontology.value(header, URIRef("http://purl.org/dc/terms/description")) is not None
    assert ontology.value(header, RDFS.comment) is not None


@pytest.mark.parametrize("name", _ng_terms())
def test_ontology_defines_every_ng_term(ontology: Graph, name: str) -> None:
    term = getattr(NG, name)
    if name[0].isupper():
        expected = OWL.Class
    elif name in DATATYPE_PROPERTIES:
        expected = OWL.DatatypeProperty
    else:
        expected = OWL.ObjectProperty
    assert (term, RDF.type, expected) in ontology, f"{name} is not declared as {expected}"
    assert len(_english(ontology, term, RDFS.label)) == 1, f"{name} needs one English rdfs:label"
    comments = _english(ontology, term, RDFS.comment)
    assert len(comments) == 1 and len(comments[0]) > 40, f"{name} needs an English rdfs:comment that explains it"


def test_ontology_has_no_undeclared_or_undocumented_terms(ontology: Graph) -> None:
    ns = str(NG._NS)
    defined = {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(ns)}
    declared = {getattr(NG, name) for name in _ng_terms()}
    assert defined == declared, "namespaces.NG and newsgraph.ttl disagree"
    undocumented = [
        t for t in defined
        if not _english(ontology, t, RDFS.label) or not _english(ontology, t, RDFS.comment)
    ]
    assert undocumented == []


def test_ontology_uses_only_defined_ng_terms(ontology: Graph) -> None:
    """A typo in the ttl (ng:Organisation as a superclass, say) would mint an undefined term."""
    ns = str(NG._NS)
    defined = set(ontology.subjects(RDF.type, None))
    used = {n for triple in ontology for n in triple if isinstance(n, URIRef) and n.startswith(ns)}
    assert used <= defined


def test_ontology_aligns_with_schema_prov_skos(ontology: Graph) -> None:
    schema = "https://schema.org/"
    prov = "http://www.w3.org/ns/prov#"
    skos = "http://www.w3.org/2004/02/skos/core#"
    expected = [
        (NG.Official, schema + "Person"),
        (NG.Organization, schema + "Organization"),
        (NG.Technology, skos + "Concept"),
        (NG.Visit, schema + "Event"),
        (NG.Article, schema + "NewsArticle"),
        (NG.Article, prov + "Entity"),
        (NG.Evidence, prov + "Entity"),
    ]
    for cls in (NG.Company, NG.ResearchInstitute, NG.University, NG.GovernmentBody, NG.IndustrialZone):
        expected.append((cls, str(NG.Organization)))
    for sub, sup in expected:
        assert (sub, RDFS.subClassOf, URIRef(sup)) in ontology, f"{sub} should be a subclass of {sup}"


def test_ontology_domains_and_ranges_of_contract_relations(ontology: Graph) -> None:
    assert ontology.value(NG.visited, RDFS.domain) == NG.Official
    assert ontology.value(NG.visited, RDFS.range) == NG.Organization
    assert ontology.value(NG.worksOn, RDFS.domain) == NG.Organization
    assert ontology.value(NG.worksOn, RDFS.range) == NG.Technology
    assert ontology.value(NG.visitor, RDFS.range) == NG.Official
    assert ontology.value(NG.site, RDFS.range) == NG.Organization
    assert ontology.value(NG.date, RDFS.range) == RDFS.Literal


def test_ontology_closed_namespace_rejects_typo() -> None:
    with pytest.raises(AttributeError):
        NG.Organisation  # noqa: B018 - the British spelling is not a term
    assert NG.Organization == URIRef(ONTOLOGY_IRI + "#Organization")


def test_ontology_reachable_through_package_symlink() -> None:
    """The package reads the ontology through src/newsgraph/ontology; both files must be there."""
    folder = resources.files("newsgraph") / "ontology"
    assert (folder / "newsgraph.ttl").is_file()
    assert (folder / "shapes.ttl").is_file()
