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

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from newsgraph.model import Article, Evidence, PartialDate
from newsgraph.namespaces import ID, NG, SCHEMA, TECH_SCHEME, WD, bind_prefixes, entity_iri
from newsgraph.resolve import Entity, Resolution

__all__ = ["to_dataset", "article_iri", "date_literal", "ENTITIES_GRAPH"]

ENTITIES_GRAPH = URIRef(ID + "graph/entities")
ORG_CLASSES = {
    "company": NG.Company,
    "research_institute": NG.ResearchInstitute,
    "university": NG.University,
    "government_body": NG.GovernmentBody,
    "industrial_zone": NG.IndustrialZone,
}
_PREDICATES = {"visited": NG.visited, "worksOn": NG.worksOn}


def article_iri(key: str) -> URIRef:
    return entity_iri("article", key)


def date_literal(date: PartialDate) -> Literal:
    """``xsd:date`` when the day is known, else the partial XSD type that says exactly what is known."""
    y, m, d = date.year, date.month, date.day
    if y and m and d:
        return Literal(date.isoformat(), datatype=XSD.date)
    if y and m:
        return Literal(date.isoformat(), datatype=XSD.gYearMonth)
    if m and d:
        return Literal(date.isoformat(), datatype=XSD.gMonthDay)
    if y:
        return Literal(date.isoformat(), datatype=XSD.gYear)
    return Literal(date.isoformat(), datatype=XSD.gMonth)


def to_dataset(resolution: Resolution) -> Dataset:
    """Build the dataset for a resolution; the same resolution always gives the same triples."""
    dataset = bind_prefixes(Dataset())
    entities = bind_prefixes(dataset.graph(ENTITIES_GRAPH))
    graphs: dict[str, Graph] = {}
    for article in resolution.articles:
        graph = bind_prefixes(dataset.graph(article_iri(article.key)))
        graphs[article.key] = graph
        _article(graph, article)
    for entity in resolution.entities:
        _entity(entities, entity)
    if any(e.kind == "technology" for e in resolution.entities):
        entities.add((TECH_SCHEME, RDF.type, SKOS.ConceptScheme))
        entities.add((TECH_SCHEME, RDFS.label, Literal("newsgraph technologies", lang="en")))
    for visit in resolution.visits:
        node = entity_iri("visit", visit.key)
        official = entity_iri("official", visit.official)
        org = entity_iri("organization", visit.organization)
        entities.add((node, NG.supportCount, Literal(len(visit.articles))))
        for evidence in visit.evidence:
            graph = graphs[evidence.article]
            graph.add((node, RDF.type, NG.Visit))
            graph.add((node, NG.visitor, official))
            graph.add((node, NG.site, org))
            if visit.date is not None:
                graph.add((node, NG.date, date_literal(visit.date)))
            for detail in visit.site_details:
                graph.add((node, NG.siteDetail, Literal(detail, lang="en")))
            graph.add((node, PROV.wasDerivedFrom, article_iri(evidence.article)))
            graph.add((official, NG.visited, org))
            graph.add((node, NG.evidence, _evidence(graph, evidence, official, NG.visited, org)))
    for works in resolution.works:
        org = entity_iri("organization", works.organization)
        tech = entity_iri("technology", works.technology)
        for evidence in works.evidence:
            graph = graphs[evidence.article]
            graph.add((org, NG.worksOn, tech))
            _evidence(graph, evidence, org, NG.worksOn, tech)
    return dataset


def _article(graph: Graph, article: Article) -> None:
    node = article_iri(article.key)
    graph.add((node, RDF.type, NG.Article))
    graph.add((node, NG.contentHash, Literal(article.content_hash)))
    graph.add((node, NG.sourceFile, Literal(article.path)))
    if article.title:
        graph.add((node, SCHEMA.headline, Literal(article.title)))
    if article.published:
        graph.add((node, SCHEMA.datePublished, Literal(article.published.isoformat(), datatype=XSD.date)))
    if article.source:
        graph.add((node, SCHEMA.publisher, Literal(article.source)))
    if article.url:
        graph.add((node, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI)))
    if article.language:
        graph.add((node, SCHEMA.inLanguage, Literal(article.language)))


def _entity(graph: Graph, entity: Entity) -> None:
    node = entity_iri(entity.kind, entity.key)
    label = Literal(entity.label, lang="en")
    if entity.kind == "official":
        graph.add((node, RDF.type, NG.Official))
        for title in entity.titles:
            graph.add((node, SCHEMA.jobTitle, Literal(title, lang="en")))
    elif entity.kind == "organization":
        graph.add((node, RDF.type, NG.Organization))
        graph.add((node, RDF.type, ORG_CLASSES.get(entity.org_type or "company", NG.Company)))
        if entity.parent:
            graph.add((node, NG.parentOrganization, entity_iri("organization", entity.parent)))
    else:
        graph.add((node, RDF.type, NG.Technology))
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.prefLabel, label))
        graph.add((node, SKOS.inScheme, TECH_SCHEME))
        for key in entity.broader:
            graph.add((node, SKOS.broader, entity_iri("technology", key)))
    graph.add((node, RDFS.label, label))
    for alias in entity.aliases:
        if alias != entity.label:
            graph.add((node, SKOS.altLabel, Literal(alias, lang="en")))
    if entity.wikidata:
        graph.add((node, OWL.sameAs, WD[entity.wikidata]))


def _evidence(graph: Graph, evidence: Evidence, subject: URIRef, predicate: URIRef, obj: URIRef) -> URIRef:
    digest = hashlib.sha256("|".join(
        [evidence.article, str(subject), str(predicate), str(obj), str(evidence.start), str(evidence.end)]
    ).encode()).hexdigest()[:16]
    node = entity_iri("evidence", digest)
    if (node, RDF.type, NG.Evidence) in graph:
        return node   # the same sentence read twice for one fact: keep the first reading
    graph.add((node, RDF.type, NG.Evidence))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, predicate))
    graph.add((node, RDF.object, obj))
    graph.add((node, PROV.wasDerivedFrom, article_iri(evidence.article)))
    graph.add((node, NG.sentence, Literal(evidence.sentence)))
    graph.add((node, NG.charStart, Literal(evidence.start)))
    graph.add((node, NG.charEnd, Literal(evidence.end)))
    graph.add((node, NG.rule, Literal(evidence.rule)))
    graph.add((node, NG.confidence, Literal(Decimal(str(round(evidence.confidence, 2))))))
    return node
