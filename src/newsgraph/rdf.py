"""The mapping to the ontology: resolved records → an RDF dataset.

One named graph per article holds what that article supports (its metadata,
the visits and worksOn facts it reports, their evidence); the graph
``id:graph/entities`` holds what belongs to no single article (canonical
labels, types, aliases, Wikidata links, the technology scheme). The union of
all graphs is ``graph.ttl``. See ``docs/graph.md`` for the shape.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from newsgraph.model import Article, Evidence, PartialDate
from newsgraph.namespaces import ID, NG, SCHEMA, TECH_SCHEME, WD, entity_iri
from newsgraph.resolve import Entity, Resolution

__all__ = ["to_quads", "to_dataset", "article_iri", "date_literal", "ENTITIES_GRAPH"]


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(str(value))


ENTITIES_GRAPH = URIRef(ID + "graph/entities")
_ENTITIES = _iri(ENTITIES_GRAPH)
ORG_CLASSES = {
    "company": NG.Company,
    "research_institute": NG.ResearchInstitute,
    "university": NG.University,
    "government_body": NG.GovernmentBody,
    "industrial_zone": NG.IndustrialZone,
}
# The terms used on every fact, converted once.
_T = {name: _iri(term) for name, term in {
    "type": RDF.type, "label": RDFS.label, "alt": SKOS.altLabel, "pref": SKOS.prefLabel, "broader": SKOS.broader,
    "in_scheme": SKOS.inScheme, "concept": SKOS.Concept, "scheme": SKOS.ConceptScheme, "same_as": OWL.sameAs,
    "derived": PROV.wasDerivedFrom, "subject": RDF.subject, "predicate": RDF.predicate, "object": RDF.object,
    "job_title": SCHEMA.jobTitle, "headline": SCHEMA.headline, "published": SCHEMA.datePublished,
    "publisher": SCHEMA.publisher, "url": SCHEMA.url, "language": SCHEMA.inLanguage,
}.items()}
_NG = {name: _iri(getattr(NG, name)) for name in (
    "Official", "Organization", "Technology", "Visit", "Article", "Evidence", "visited", "worksOn", "visitor", "site",
    "date", "siteDetail", "evidence", "sentence", "charStart", "charEnd", "rule", "confidence", "contentHash",
    "sourceFile", "supportCount", "parentOrganization")}
_XSD = {name: _iri(getattr(XSD, name)) for name in (
    "date", "gYearMonth", "gMonthDay", "gYear", "gMonth", "integer", "decimal", "anyURI")}


def article_iri(key: str) -> URIRef:
    """The IRI of an article, which is also the name of its graph in TriG."""
    return entity_iri("article", key)


def _article_node(key: str) -> ox.NamedNode:
    return _iri(entity_iri("article", key))


def _entity(kind: str, key: str) -> ox.NamedNode:
    return _iri(entity_iri(kind, key))


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def date_literal(date: PartialDate) -> ox.Literal:
    """``xsd:date`` when the day is known, else the partial XSD type that says exactly what is known."""
    y, m, d = date.year, date.month, date.day
    kind = ("date" if y and m and d else "gYearMonth" if y and m else "gMonthDay" if m and d
            else "gYear" if y else "gMonth")
    return ox.Literal(date.isoformat(), datatype=_XSD[kind])


def to_quads(resolution: Resolution) -> list[ox.Quad]:
    """The graph of a resolution as quads; the same resolution always gives the same quads.

    Built with pyoxigraph terms rather than an rdflib graph: building and
    writing a graph of thousands of articles is several times faster.
    """
    quads: set[ox.Quad] = set()
    add = quads.add
    for article in resolution.articles:
        _article(add, article)
    for entity in resolution.entities:
        _entity_description(add, entity)
    if any(e.kind == "technology" for e in resolution.entities):
        scheme = _iri(TECH_SCHEME)
        add(ox.Quad(scheme, _T["type"], _T["scheme"], _ENTITIES))
        add(ox.Quad(scheme, _T["label"], _en("newsgraph technologies"), _ENTITIES))
    written: set[ox.NamedNode] = set()
    for visit in resolution.visits:
        node = _entity("visit", visit.key)
        official = _entity("official", visit.official)
        org = _entity("organization", visit.organization)
        add(ox.Quad(node, _NG["supportCount"], ox.Literal(str(len(visit.articles)), datatype=_XSD["integer"]),
                    _ENTITIES))
        for evidence in visit.evidence:
            graph = _article_node(evidence.article)
            add(ox.Quad(node, _T["type"], _NG["Visit"], graph))
            add(ox.Quad(node, _NG["visitor"], official, graph))
            add(ox.Quad(node, _NG["site"], org, graph))
            if visit.date is not None:
                add(ox.Quad(node, _NG["date"], date_literal(visit.date), graph))
            for detail in visit.site_details:
                add(ox.Quad(node, _NG["siteDetail"], _en(detail), graph))
            add(ox.Quad(node, _T["derived"], graph, graph))
            add(ox.Quad(official, _NG["visited"], org, graph))
            add(ox.Quad(node, _NG["evidence"], _evidence(add, written, evidence, official, _NG["visited"], org), graph))
    for works in resolution.works:
        org = _entity("organization", works.organization)
        tech = _entity("technology", works.technology)
        for evidence in works.evidence:
            add(ox.Quad(org, _NG["worksOn"], tech, _article_node(evidence.article)))
            _evidence(add, written, evidence, org, _NG["worksOn"], tech)
    return list(quads)


def to_dataset(resolution: Resolution) -> Dataset:
    """The same graph as an rdflib ``Dataset`` (default graph = union), for code that works with rdflib."""
    from newsgraph.store import to_rdflib_dataset

    return to_rdflib_dataset(to_quads(resolution))


def _article(add, article: Article) -> None:
    node = _article_node(article.key)
    for predicate, value in (
        (_T["type"], _NG["Article"]),
        (_NG["contentHash"], ox.Literal(article.content_hash)),
        (_NG["sourceFile"], ox.Literal(article.path)),
        (_T["headline"], ox.Literal(article.title) if article.title else None),
        (_T["published"], ox.Literal(article.published.isoformat(), datatype=_XSD["date"]) if article.published else None),
        (_T["publisher"], ox.Literal(article.source) if article.source else None),
        (_T["url"], ox.Literal(article.url, datatype=_XSD["anyURI"]) if article.url else None),
        (_T["language"], ox.Literal(article.language) if article.language else None),
    ):
        if value is not None:
            add(ox.Quad(node, predicate, value, node))


def _entity_description(add, entity: Entity) -> None:
    node = _entity(entity.kind, entity.key)
    label = _en(entity.label)
    g = _ENTITIES
    if entity.kind == "official":
        add(ox.Quad(node, _T["type"], _NG["Official"], g))
        for title in entity.titles:
            add(ox.Quad(node, _T["job_title"], _en(title), g))
    elif entity.kind == "organization":
        add(ox.Quad(node, _T["type"], _NG["Organization"], g))
        add(ox.Quad(node, _T["type"], _iri(ORG_CLASSES.get(entity.org_type or "company", NG.Company)), g))
        if entity.parent:
            add(ox.Quad(node, _NG["parentOrganization"], _entity("organization", entity.parent), g))
    else:
        add(ox.Quad(node, _T["type"], _NG["Technology"], g))
        add(ox.Quad(node, _T["type"], _T["concept"], g))
        add(ox.Quad(node, _T["pref"], label, g))
        add(ox.Quad(node, _T["in_scheme"], _iri(TECH_SCHEME), g))
        for key in entity.broader:
            add(ox.Quad(node, _T["broader"], _entity("technology", key), g))
    add(ox.Quad(node, _T["label"], label, g))
    for alias in entity.aliases:
        if alias != entity.label:
            add(ox.Quad(node, _T["alt"], _en(alias), g))
    if entity.wikidata:
        add(ox.Quad(node, _T["same_as"], _iri(WD + entity.wikidata), g))


def _evidence(add, written: set, evidence: Evidence, subject: ox.NamedNode, predicate: ox.NamedNode,
              obj: ox.NamedNode) -> ox.NamedNode:
    digest = hashlib.sha256("|".join(
        [evidence.article, subject.value, predicate.value, obj.value, str(evidence.start), str(evidence.end)]
    ).encode()).hexdigest()[:16]
    node = _entity("evidence", digest)
    if node in written:
        return node   # the same sentence read twice for one fact: keep the first reading
    written.add(node)
    g = _article_node(evidence.article)
    add(ox.Quad(node, _T["type"], _NG["Evidence"], g))
    add(ox.Quad(node, _T["subject"], subject, g))
    add(ox.Quad(node, _T["predicate"], predicate, g))
    add(ox.Quad(node, _T["object"], obj, g))
    add(ox.Quad(node, _T["derived"], g, g))
    add(ox.Quad(node, _NG["sentence"], ox.Literal(evidence.sentence), g))
    add(ox.Quad(node, _NG["charStart"], ox.Literal(str(evidence.start), datatype=_XSD["integer"]), g))
    add(ox.Quad(node, _NG["charEnd"], ox.Literal(str(evidence.end), datatype=_XSD["integer"]), g))
    add(ox.Quad(node, _NG["rule"], ox.Literal(evidence.rule), g))
    confidence = str(Decimal(str(round(evidence.confidence, 2))))
    add(ox.Quad(node, _NG["confidence"], ox.Literal(confidence, datatype=_XSD["decimal"]), g))
    return node
