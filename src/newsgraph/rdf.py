"""The mapping to the ontology: resolved records → the graph, as Turtle and TriG text.

One named graph per article holds what that article supports (its metadata,
the visits and worksOn facts it reports, their evidence); the graph
``id:graph/entities`` holds what belongs to no single article (canonical
labels, types, aliases, Wikidata links, the technology scheme). The union of
all graphs is ``graph.ttl``. See ``docs/graph.md`` for the shape.

Statements are made as text (:mod:`newsgraph.turtle`), never as term objects:
a graph of thousands of articles has hundreds of thousands of statements, and
formatting each once is the cheapest way to write them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from newsgraph.model import Article, Evidence, PartialDate
from newsgraph.namespaces import ID, ID_BASE, KIND_SEGMENTS, NG, SCHEMA, TECH_SCHEME, WD, entity_iri
from newsgraph.resolve import Entity, Resolution, Visit
from newsgraph.turtle import HEADER, Statements, block, iri_text, literal_text, statement_lines

__all__ = ["GraphText", "Layout", "Previous", "graph_text", "to_quads", "to_dataset", "article_iri", "date_literal", "ENTITIES_GRAPH"]

ENTITIES_GRAPH = URIRef(ID + "graph/entities")
ORG_CLASSES = {
    "company": NG.Company,
    "research_institute": NG.ResearchInstitute,
    "university": NG.University,
    "government_body": NG.GovernmentBody,
    "industrial_zone": NG.IndustrialZone,
}
# Every term the mapping writes, as Turtle text, formatted once.
_T = {name: iri_text(term) for name, term in {
    "label": RDFS.label, "alt": SKOS.altLabel, "pref": SKOS.prefLabel, "broader": SKOS.broader,
    "in_scheme": SKOS.inScheme, "concept": SKOS.Concept, "scheme": SKOS.ConceptScheme, "same_as": OWL.sameAs,
    "derived": PROV.wasDerivedFrom, "subject": RDF.subject, "predicate": RDF.predicate, "object": RDF.object,
    "job_title": SCHEMA.jobTitle, "headline": SCHEMA.headline, "published": SCHEMA.datePublished,
    "publisher": SCHEMA.publisher, "url": SCHEMA.url, "language": SCHEMA.inLanguage,
    "tech_scheme": TECH_SCHEME, "entities": ENTITIES_GRAPH,
}.items()}
_NG = {name: iri_text(getattr(NG, name)) for name in (
    "Official", "Organization", "Technology", "Visit", "Article", "Evidence", "visited", "worksOn", "visitor", "site",
    "date", "siteDetail", "evidence", "sentence", "charStart", "charEnd", "rule", "confidence", "contentHash",
    "sourceFile", "supportCount", "parentOrganization")}
_ORG_CLASSES = {kind: iri_text(term) for kind, term in ORG_CLASSES.items()}
_XSD = {name: str(getattr(XSD, name)) for name in (
    "date", "gYearMonth", "gMonthDay", "gYear", "gMonth", "anyURI", "decimal")}
_VISITED, _WORKS_ON = str(NG.visited), str(NG.worksOn)


@dataclass(frozen=True)
class Layout:
    """Where each article's blocks sit in a graph's files, and what they were made from.

    ``articles`` maps an article key to (signature, TriG graph range, Turtle
    range of the article node, Turtle range of its evidence, statements in
    those two). A later build whose article has the same signature copies the
    bytes instead of writing them again. The signature holds what an
    article's graph depends on beyond the article itself: the visits it
    reports (key, official, site, date, details) and the worksOn pairs.
    ``visits`` does the same for the union's block of each visit node, whose
    signature adds the articles that report the visit.
    """

    articles: dict[str, tuple]
    visits: dict[str, tuple] = field(default_factory=dict)   # visit node -> (signature, Turtle range, statements)


@dataclass(frozen=True)
class GraphText:
    """A graph ready to write: the union as Turtle, the named graphs as TriG, and how many distinct triples."""

    turtle: bytes
    trig: bytes
    triples: int
    layout: Layout
    copied: int = 0   # articles whose blocks came from the last build's files


@dataclass(frozen=True)
class Previous:
    """The files of the last build and their layout, for ``graph_text`` to copy unchanged articles from."""

    turtle: bytes
    trig: bytes
    layout: Layout


def article_iri(key: str) -> URIRef:
    """The IRI of an article, which is also the name of its graph in TriG."""
    return entity_iri("article", key)


def _iri(kind: str, key: str) -> str:
    return ID_BASE + KIND_SEGMENTS[kind] + "/" + key   # entity_iri, without building an rdflib term


def _node(kind: str, key: str) -> str:
    return iri_text(_iri(kind, key))


class _Node:
    """An entity's IRI and its Turtle text."""

    __slots__ = ("iri", "text")

    def __init__(self, kind: str, key: str) -> None:
        self.iri = _iri(kind, key)
        self.text = iri_text(self.iri)


def _en(text: str) -> str:
    return literal_text(text, "en")


def date_literal(date: PartialDate) -> str:
    """``xsd:date`` when the day is known, else the partial XSD type that says exactly what is known."""
    y, m, d = date.year, date.month, date.day
    kind = ("date" if y and m and d else "gYearMonth" if y and m else "gMonthDay" if m and d
            else "gYear" if y else "gMonth")
    return literal_text(date.isoformat(), datatype=_XSD[kind])


class _Graphs:
    """The graphs being written: one per article, the entities graph, and the union.

    Statements about a subject that several articles share (visits, officials,
    organizations) are collected in ``shared`` for the union; an article's own
    subjects (the article, its evidence) are kept apart in ``own``, because
    the union lists them in runs per article that a later build can copy.
    Nothing is kept for the graphs of articles in ``copied``.
    """

    def __init__(self, copied: set[str], previous: Previous | None) -> None:
        self.copied = copied
        self.previous = previous
        self.shared = Statements()
        self.reused: dict[str, bytes] = {}          # union blocks copied from the last build
        self.visits: dict[str, tuple[tuple, int]] = {}   # visit node -> signature, statements in its block
        self.named: dict[str, Statements] = {}
        self.own: dict[str, dict[str, tuple[list[str], int]]] = defaultdict(dict)   # graph -> subject -> lines, count

    def add(self, graph: str, subject: str, predicate: str, obj: str) -> None:
        if graph not in self.copied:
            statements = self.named.get(graph)
            if statements is None:
                statements = self.named[graph] = Statements()
            statements.add(subject, predicate, obj)
        self.shared.add(subject, predicate, obj)

    def add_own(self, graph: str, subject: str, predicate: str, obj: str) -> None:
        """A statement of one graph that the union gets another way."""
        if graph not in self.copied:
            statements = self.named.get(graph)
            if statements is None:
                statements = self.named[graph] = Statements()
            statements.add(subject, predicate, obj)

    def describe(self, graph: str, subject: str, lines: list[str], count: int) -> None:
        statements = self.named.get(graph)
        if statements is None:
            statements = self.named[graph] = Statements()
        statements.describe(subject, lines, count)
        self.own[graph][subject] = (lines, count)


def graph_text(resolution: Resolution, previous: Previous | None = None) -> GraphText:
    """The graph of a resolution; the same resolution always gives the same bytes.

    TriG holds the entities graph (its name sorts first), then one graph per
    article by name. An article whose graph ``previous`` wrote from the same
    signature is copied from there.
    """
    signatures = _signatures(resolution)
    old = previous.layout.articles if previous is not None else {}
    copied = {key for key, signature in signatures.items() if key in old and old[key][0] == signature}
    graphs = _Graphs({_node("article", key) for key in copied}, previous)
    add = graphs.add
    for article in resolution.articles:
        if article.key not in copied:
            _article(graphs, article)
    entities = _T["entities"]
    for entity in resolution.entities:
        _entity_description(add, entity)
    if any(e.kind == "technology" for e in resolution.entities):
        add(entities, _T["tech_scheme"], "a", _T["scheme"])
        add(entities, _T["tech_scheme"], _T["label"], _en("newsgraph technologies"))
    written: set[str] = set()
    for visit in resolution.visits:
        _visit(graphs, written, visit)
    for works in resolution.works:
        org = _Node("organization", works.organization)
        tech = _Node("technology", works.technology)
        graphs.shared.add(org.text, _NG["worksOn"], tech.text)
        for evidence in works.evidence:
            graph = _node("article", evidence.article)
            if graph not in graphs.copied:
                graphs.add_own(graph, org.text, _NG["worksOn"], tech.text)
                _evidence(graphs, written, evidence, org, _WORKS_ON, tech)
    return _assemble(resolution, graphs, signatures, copied, previous)


def _visit(graphs: _Graphs, written: set[str], visit: Visit) -> None:
    """A visit node in each graph of an article that reports it, and in the union with all its evidence."""
    node = _node("visit", visit.key)
    official = _Node("official", visit.official)
    org = _Node("organization", visit.organization)
    articles = visit.articles
    support = str(len(articles))
    graphs.add_own(_T["entities"], node, _NG["supportCount"], support)
    graphs.shared.add(official.text, _NG["visited"], org.text)
    date = date_literal(visit.date) if visit.date is not None else None
    signature = (visit.official, visit.organization, date, visit.site_details, articles)
    previous = graphs.previous
    if previous is not None and previous.layout.visits.get(node, (None,))[0] == signature and all(
            _node("article", article) in graphs.copied for article in articles):
        _, start, end, count = previous.layout.visits[node]
        graphs.reused[node] = previous.turtle[start:end]   # the same reports of the same visit
        graphs.visits[node] = (signature, count)
        return
    details = [_en(detail) for detail in visit.site_details]
    pairs = [("a", _NG["Visit"]), (_NG["visitor"], official.text), (_NG["site"], org.text),
             (_NG["supportCount"], support)]
    pairs += [(_NG["siteDetail"], detail) for detail in details]
    if date is not None:
        pairs.append((_NG["date"], date))
    for evidence in visit.evidence:
        graph = _node("article", evidence.article)
        link = _evidence(graphs, written, evidence, official, _VISITED, org)
        pairs += [(_T["derived"], graph), (_NG["evidence"], link)]
        if graph in graphs.copied:
            continue
        add = graphs.add_own
        add(graph, node, "a", _NG["Visit"])
        add(graph, node, _NG["visitor"], official.text)
        add(graph, node, _NG["site"], org.text)
        if date is not None:
            add(graph, node, _NG["date"], date)
        for detail in details:
            add(graph, node, _NG["siteDetail"], detail)
        add(graph, node, _T["derived"], graph)
        add(graph, official.text, _NG["visited"], org.text)
        add(graph, node, _NG["evidence"], link)
    unique = set(pairs)
    graphs.shared.describe(node, statement_lines(unique), len(unique))
    graphs.visits[node] = (signature, len(unique))


def _signatures(resolution: Resolution) -> dict[str, tuple]:
    """What each article's graph is made from, beyond the article: see ``Layout``."""
    visits: dict[str, list[tuple]] = defaultdict(list)
    for visit in resolution.visits:
        date = visit.date.isoformat() if visit.date is not None else None
        item = (visit.key, visit.official, visit.organization, date, visit.site_details)
        for article in visit.articles:
            visits[article].append(item)
    works: dict[str, list[tuple]] = defaultdict(list)
    for fact in resolution.works:
        for article in {e.article for e in fact.evidence}:
            works[article].append((fact.organization, fact.technology))
    return {a.key: (a.content_hash, tuple(visits.get(a.key, ())), tuple(works.get(a.key, ())))
            for a in resolution.articles}


def _assemble(resolution: Resolution, graphs: _Graphs, signatures: dict[str, tuple], copied: set[str],
              previous: Previous | None) -> GraphText:
    """Both files as bytes, article by article, noting where each article's blocks went."""
    old = previous.layout.articles if previous is not None else {}
    header = HEADER.encode()
    trig = [header]
    entities = graphs.named.pop(_T["entities"], None)
    if entities is not None:
        trig.append(f"{_T['entities']} {{\n{entities.render(chr(9))}}}\n".encode())
    offset = sum(map(len, trig))
    # The union sorts subjects by name. Each article's node, and the run of its evidence nodes, go in as
    # one piece: evidence IRIs start with the article's key and an underscore, which no key holds, so a
    # run sorts where its first subject would.
    shared = graphs.shared
    pieces: list[tuple[str, bytes]] = [
        (subject, block(subject, statement_lines(pairs)).encode()) for subject, pairs in shared.subjects.items()]
    pieces += [(subject, block(subject, lines).encode()) for subject, lines in shared.described.items()]
    pieces += graphs.reused.items()
    count = len(graphs.shared) + sum(graphs.visits[node][1] for node in graphs.reused)
    placed: dict[str, tuple] = {}
    for article in resolution.articles:
        key, name = article.key, _node("article", article.key)
        if key in copied:
            _, start, end, node_start, node_end, run_start, run_end, own = old[key]
            text = previous.trig[start:end]
            node, run = previous.turtle[node_start:node_end], previous.turtle[run_start:run_end]
        else:
            text = f"{name} {{\n{graphs.named[name].render(chr(9))}}}\n".encode()
            subjects = graphs.own[name]
            own = sum(n for _, n in subjects.values())
            node = block(name, subjects.pop(name)[0]).encode()
            run = "".join(block(subject, subjects[subject][0]) for subject in sorted(subjects)).encode()
        trig.append(text)
        placed[key] = (offset, offset + len(text), own)
        offset += len(text)
        pieces += [(name, node), (_node("evidence", f"{key}_"), run)]
        count += own
    pieces.sort(key=lambda piece: piece[0])
    turtle = [header]
    offset = len(header)
    where: dict[str, tuple[int, int]] = {}
    for subject, text in pieces:
        where[subject] = (offset, offset + len(text))
        turtle.append(text)
        offset += len(text)
    articles = {}
    for article in resolution.articles:
        key = article.key
        start, end, own = placed[key]
        articles[key] = (signatures[key], start, end, *where[_node("article", key)], *where[_node("evidence", f"{key}_")],
                         own)
    visits = {node: (signature, *where[node], statements) for node, (signature, statements) in graphs.visits.items()}
    return GraphText(b"".join(turtle), b"".join(trig), count, Layout(articles, visits), len(copied))


def to_quads(resolution: Resolution) -> list[ox.Quad]:
    """The graph of a resolution as pyoxigraph quads, read back from its TriG."""
    return list(ox.parse(graph_text(resolution).trig, format=ox.RdfFormat.TRIG))


def to_dataset(resolution: Resolution) -> Dataset:
    """The same graph as an rdflib ``Dataset`` (default graph = union), for code that works with rdflib."""
    from newsgraph.store import to_rdflib_dataset

    return to_rdflib_dataset(to_quads(resolution))


def _article(graphs: _Graphs, article: Article) -> None:
    node = _node("article", article.key)
    pairs = [(predicate, value) for predicate, value in (
        ("a", _NG["Article"]),
        (_NG["contentHash"], literal_text(article.content_hash)),
        (_NG["sourceFile"], literal_text(article.path)),
        (_T["headline"], literal_text(article.title) if article.title else None),
        (_T["published"], literal_text(article.published.isoformat(), datatype=_XSD["date"])
         if article.published else None),
        (_T["publisher"], literal_text(article.source) if article.source else None),
        (_T["url"], literal_text(article.url, datatype=_XSD["anyURI"]) if article.url else None),
        (_T["language"], literal_text(article.language) if article.language else None),
    ) if value is not None]
    graphs.describe(node, node, statement_lines(pairs), len(pairs))


def _entity_description(add, entity: Entity) -> None:
    node = _node(entity.kind, entity.key)
    label = _en(entity.label)
    g = _T["entities"]
    if entity.kind == "official":
        add(g, node, "a", _NG["Official"])
        for title in entity.titles:
            add(g, node, _T["job_title"], _en(title))
    elif entity.kind == "organization":
        add(g, node, "a", _NG["Organization"])
        add(g, node, "a", _ORG_CLASSES.get(entity.org_type or "company", _ORG_CLASSES["company"]))
        if entity.parent:
            add(g, node, _NG["parentOrganization"], _node("organization", entity.parent))
    else:
        add(g, node, "a", _NG["Technology"])
        add(g, node, "a", _T["concept"])
        add(g, node, _T["pref"], label)
        add(g, node, _T["in_scheme"], _T["tech_scheme"])
        for key in entity.broader:
            add(g, node, _T["broader"], _node("technology", key))
    add(g, node, _T["label"], label)
    for alias in entity.aliases:
        if alias != entity.label:
            add(g, node, _T["alt"], _en(alias))
    if entity.wikidata:
        add(g, node, _T["same_as"], iri_text(WD + entity.wikidata))


@lru_cache(maxsize=1 << 14)
def _evidence_prefix(article: str) -> str | None:
    """``evidence:<article>_``, the start of every evidence node of an article, when it is a prefixed name."""
    text = iri_text(_iri("evidence", f"{article}_0"))
    return text[:-1] if text.startswith("evidence:") else None


def _evidence(graphs: _Graphs, written: set[str], evidence: Evidence, subject: _Node, predicate: str,
              obj: _Node) -> str:
    """The evidence node of one reading of a fact; its IRI hashes the article, the fact and the offsets."""
    digest = hashlib.sha256("|".join(
        [evidence.article, subject.iri, predicate, obj.iri, str(evidence.start), str(evidence.end)]
    ).encode()).hexdigest()[:16]
    g = _node("article", evidence.article)
    prefix = _evidence_prefix(evidence.article)
    node = prefix + digest if prefix else _node("evidence", f"{evidence.article}_{digest}")
    if g in graphs.copied or node in written:
        return node   # copied from the last build, or the same sentence read twice for one fact
    written.add(node)
    confidence = str(Decimal(str(round(evidence.confidence, 2))))
    # the order statement_lines gives (test_turtle.py: a built graph exports to its own bytes)
    lines = [
        f"a {_NG['Evidence']}",
        f"{_NG['charEnd']} {evidence.end}",
        f"{_NG['charStart']} {evidence.start}",
        f"{_NG['confidence']} {literal_text(confidence, datatype=_XSD['decimal'])}",
        f"{_NG['rule']} {literal_text(evidence.rule)}",
        f"{_NG['sentence']} {literal_text(evidence.sentence)}",
        f"{_T['derived']} {g}",
        f"{_T['object']} {obj.text}",
        f"{_T['predicate']} {iri_text(predicate)}",
        f"{_T['subject']} {subject.text}",
    ]
    if g not in graphs.copied:
        graphs.describe(g, node, lines, len(lines))
    return node
