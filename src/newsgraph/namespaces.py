"""Every IRI and prefix newsgraph writes, declared once.

``NG`` is a closed namespace: a typo such as ``NG.Organisation`` raises
instead of silently minting a new term. A test checks that every term
declared here is defined in ``ontology/newsgraph.ttl``.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "NG", "ID", "SCHEMA", "WD", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD",
    "PREFIXES", "bind_prefixes", "entity_iri", "TECH_SCHEME",
]

ONTOLOGY_IRI = "https://w3id.org/newsgraph/ontology"
ID_BASE = "https://w3id.org/newsgraph/id/"


class NG(DefinedNamespace):
    """The newsgraph ontology (``ontology/newsgraph.ttl``)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    Official: URIRef
    Organization: URIRef
    Company: URIRef
    ResearchInstitute: URIRef
    University: URIRef
    GovernmentBody: URIRef
    IndustrialZone: URIRef
    Technology: URIRef
    Visit: URIRef
    Article: URIRef
    Evidence: URIRef
    # relations of the graph contract
    visited: URIRef
    worksOn: URIRef
    visitor: URIRef
    site: URIRef
    date: URIRef
    # detail and provenance
    siteDetail: URIRef
    evidence: URIRef
    sentence: URIRef
    charStart: URIRef
    charEnd: URIRef
    rule: URIRef
    confidence: URIRef
    contentHash: URIRef
    sourceFile: URIRef
    supportCount: URIRef
    parentOrganization: URIRef


ID = Namespace(ID_BASE)
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
TECH_SCHEME = URIRef(ID_BASE + "scheme/technologies")

PREFIXES: dict[str, Namespace | str] = {
    "ng": NG._NS,
    "id": ID,
    "official": Namespace(ID_BASE + "official/"),
    "org": Namespace(ID_BASE + "org/"),
    "tech": Namespace(ID_BASE + "tech/"),
    "visit": Namespace(ID_BASE + "visit/"),
    "article": Namespace(ID_BASE + "article/"),
    "evidence": Namespace(ID_BASE + "evidence/"),
    "schema": SCHEMA,
    "prov": PROV,
    "skos": SKOS,
    "rdfs": RDFS,
    "rdf": RDF,
    "owl": OWL,
    "xsd": XSD,
    "wd": WD,
}

# The path segment of each kind of entity: ``id/org/baidu``.
KIND_SEGMENTS = {
    "official": "official",
    "organization": "org",
    "technology": "tech",
    "visit": "visit",
    "article": "article",
    "evidence": "evidence",
}


def entity_iri(kind: str, key: str) -> URIRef:
    """The stable IRI of an entity: ``entity_iri("organization", "baidu")``.

    ``key`` must already be a slug (see ``newsgraph.text.slugify``).
    """
    return URIRef(ID_BASE + KIND_SEGMENTS[kind] + "/" + key)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes, replacing rdflib's defaults, so output is stable."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph
