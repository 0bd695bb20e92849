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
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from newsgraph.model import Article, Evidence, PartialDate
from newsgraph.namespaces import ID, ID_BASE, KIND_SEGMENTS, NG, SCHEMA, TECH_SCHEME, WD, entity_iri
from newsgraph.resolve import Entity, Resolution, Visit
from newsgraph.turtle import HEADER, Statements, block, iri_text, literal_text, statement_lines

__all__ = ["ENTITIES_GRAPH", "GraphText", "Layout", "Previous", "article_iri", "date_literal", "graph_text",
           "to_dataset", "to_quads"]

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
    signature adds the articles that report the visit, and ``entities`` for
    each entity's blocks in the union and the entities graph, whose signature
    is what the entity shows (label, aliases, type ...) and its ``ng:visited``
    or ``ng:worksOn`` statements.
    """

    articles: dict[str, tuple]
    visits: dict[str, tuple] = field(default_factory=dict)     # visit node -> signature, Turtle range, statements
    entities: dict[str, tuple] = field(default_factory=dict)   # entity node -> signature, Turtle and TriG ranges,
                                                               # statements


@dataclass(frozen=True)
class GraphText:
    """A graph ready to write: the union as Turtle, the named graphs as TriG, and how many distinct triples.

    Each file is kept as its pieces, in order, and written piece by piece:
    joining a graph of thousands of articles into one buffer first costs
    about as much as writing it.
    """

    turtle_pieces: list[bytes | memoryview]
    trig_pieces: list[bytes | memoryview]
    triples: int
    layout: Layout
    copied: int = 0   # articles whose blocks came from the last build's files

    @property
    def turtle(self) -> bytes:
        return b"".join(self.turtle_pieces)

    @property
    def trig(self) -> bytes:
        return b"".join(self.trig_pieces)

    def write(self, turtle: Path, trig: Path) -> None:
        for path, pieces in ((turtle, self.turtle_pieces), (trig, self.trig_pieces)):
            with path.open("wb") as out:
                out.writelines(pieces)


@dataclass(frozen=True)
class Previous:
    """The files of the last build and their layout, for ``graph_text`` to copy unchanged articles from."""

    turtle: memoryview
    trig: memoryview
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
    organizations) go to the union as one block per subject, in ``blocks``
    (with what the entities graph says of it, in ``entity_blocks``); an
    article's own subjects (the article, its evidence) are kept apart in
    ``own``, because the union lists them in runs per article. Blocks the
    last build wrote from the same signature are copied from its files;
    nothing is kept for the graphs of articles in ``copied``.
    """

    def __init__(self, copied: set[str], previous: Previous | None) -> None:
        self.copied_keys = copied                                # article keys
        self.copied = {_node("article", key) for key in copied}  # their graph names
        self.previous = previous
        self.blocks: dict[str, bytes | memoryview] = {}          # union: subject -> block
        self.entity_blocks: dict[str, bytes | memoryview] = {}   # entities graph: subject -> block
        self.counts: dict[str, int] = {}                         # union: subject -> statements in its block
        self.visits: dict[str, tuple] = {}                       # visit node -> signature
        self.entities: dict[str, tuple] = {}                     # entity node -> signature
        self.named: dict[str, Statements] = {}
        self.own: dict[str, dict[str, tuple[list[str], int]]] = defaultdict(dict)   # graph -> subject -> lines, count

    def add_own(self, graph: str, subject: str, predicate: str, obj: str) -> None:
        """A statement of one graph; the union gets it with its subject's block."""
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

    def shared(self, subject: str, pairs: set[tuple[str, str]]) -> None:
        """The union's block of a subject several graphs speak of."""
        self.blocks[subject] = block(subject, statement_lines(pairs)).encode()
        self.counts[subject] = len(pairs)


def graph_text(resolution: Resolution, previous: Previous | None = None) -> GraphText:
    """The graph of a resolution; the same resolution always gives the same bytes.

    TriG holds the entities graph (its name sorts first), then one graph per
    article by name. Whatever ``previous`` wrote from the same signature (an
    article's graph, a visit's or an entity's block) is copied from there.
    """
    signatures = _signatures(resolution)
    old = previous.layout.articles if previous is not None else {}
    copied = {key for key, signature in signatures.items() if key in old and old[key][0] == signature}
    graphs = _Graphs(copied, previous)
    for article in resolution.articles:
        if article.key not in copied:
            _article(graphs, article)
    shortcuts = _shortcuts(resolution)
    for entity in resolution.entities:
        node = _node(entity.kind, entity.key)
        _entity(graphs, node, entity, shortcuts.pop(node, set()))
    for subject, pairs in shortcuts.items():   # never expected: a fact about an entity resolution does not know
        graphs.shared(subject, pairs)
    if any(e.kind == "technology" for e in resolution.entities):
        scheme = {("a", _T["scheme"]), (_T["label"], _en("newsgraph technologies"))}
        graphs.shared(_T["tech_scheme"], scheme)
        graphs.entity_blocks[_T["tech_scheme"]] = block(_T["tech_scheme"], statement_lines(scheme), "\t").encode()
    written: set[str] = set()
    for visit in resolution.visits:
        _visit(graphs, written, visit)
    for works in resolution.works:
        if graphs.copied_keys.issuperset(works.articles):
            continue   # every article that says so is copied whole
        org = _Node("organization", works.organization)
        tech = _Node("technology", works.technology)
        for evidence in works.evidence:
            graph = _node("article", evidence.article)
            if graph not in graphs.copied:
                graphs.add_own(graph, org.text, _NG["worksOn"], tech.text)
                _evidence(graphs, written, evidence, org, _WORKS_ON, tech)
    return _assemble(resolution, graphs, signatures, copied, previous)


def _shortcuts(resolution: Resolution) -> dict[str, set[tuple[str, str]]]:
    """The direct ``ng:visited`` and ``ng:worksOn`` statements, by subject."""
    shortcuts: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for visit in resolution.visits:
        shortcuts[_node("official", visit.official)].add((_NG["visited"], _node("organization", visit.organization)))
    for works in resolution.works:
        org, tech = _node("organization", works.organization), _node("technology", works.technology)
        shortcuts[org].add((_NG["worksOn"], tech))
    return shortcuts


def _entity(graphs: _Graphs, node: str, entity: Entity, shortcuts: set[tuple[str, str]]) -> None:
    """An entity's block in the entities graph, and in the union with its direct statements."""
    signature = (entity.label, entity.aliases, entity.org_type, entity.titles, entity.wikidata, entity.parent,
                 entity.broader, tuple(sorted(shortcuts)))
    graphs.entities[node] = signature
    previous = graphs.previous
    if previous is not None:
        found = previous.layout.entities.get(node)
        if found is not None and found[0] == signature:
            _, start, end, trig_start, trig_end, count = found
            graphs.blocks[node] = previous.turtle[start:end]
            graphs.entity_blocks[node] = previous.trig[trig_start:trig_end]
            graphs.counts[node] = count
            return
    pairs = set(_entity_pairs(node, entity))
    graphs.entity_blocks[node] = block(node, statement_lines(pairs), "\t").encode()
    graphs.shared(node, pairs | shortcuts)


def _visit(graphs: _Graphs, written: set[str], visit: Visit) -> None:
    """A visit node in each graph of an article that reports it, and in the union with all its evidence."""
    node = _node("visit", visit.key)
    articles = visit.articles
    support = str(len(articles))
    graphs.entity_blocks[node] = f"\t{node} {_NG['supportCount']} {support} .\n".encode()
    date = visit.date
    signature = (visit.official, visit.organization, (date.year, date.month, date.day) if date else None,
                 visit.site_details, articles)
    graphs.visits[node] = signature
    previous = graphs.previous
    if previous is not None and graphs.copied_keys.issuperset(articles):
        found = previous.layout.visits.get(node)
        if found is not None and found[0] == signature:
            _, start, end, count = found
            graphs.blocks[node] = previous.turtle[start:end]   # the same reports of the same visit (a view)
            graphs.counts[node] = count
            return
    official = _Node("official", visit.official)
    org = _Node("organization", visit.organization)
    date_text = date_literal(date) if date is not None else None
    details = [_en(detail) for detail in visit.site_details]
    pairs = [("a", _NG["Visit"]), (_NG["visitor"], official.text), (_NG["site"], org.text),
             (_NG["supportCount"], support)]
    pairs += [(_NG["siteDetail"], detail) for detail in details]
    if date_text is not None:
        pairs.append((_NG["date"], date_text))
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
        if date_text is not None:
            add(graph, node, _NG["date"], date_text)
        for detail in details:
            add(graph, node, _NG["siteDetail"], detail)
        add(graph, node, _T["derived"], graph)
        add(graph, official.text, _NG["visited"], org.text)
        add(graph, node, _NG["evidence"], link)
    graphs.shared(node, set(pairs))


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
        for article in fact.articles:
            works[article].append((fact.organization, fact.technology))
    return {a.key: (a.content_hash, tuple(visits.get(a.key, ())), tuple(works.get(a.key, ())))
            for a in resolution.articles}


def _assemble(resolution: Resolution, graphs: _Graphs, signatures: dict[str, tuple], copied: set[str],
              previous: Previous | None) -> GraphText:
    """Both files as pieces, in order, noting where each reusable block went."""
    old = previous.layout.articles if previous is not None else {}
    header = HEADER.encode()
    trig: list[bytes | memoryview] = [header]
    offset = len(header)
    placed: dict[str, tuple[int, int]] = {}   # TriG ranges of entity blocks and article graphs
    if graphs.entity_blocks:
        opening = f"{_T['entities']} {{\n".encode()
        trig.append(opening)
        offset += len(opening)
        for subject, text in sorted(graphs.entity_blocks.items(), key=lambda item: item[0]):
            trig.append(text)
            placed[subject] = (offset, offset + len(text))
            offset += len(text)
        trig.append(b"}\n")
        offset += 2
    # The union sorts subjects by name. Each article's node, and the run of its evidence nodes, go in as
    # one piece: evidence IRIs start with the article's key and an underscore, which no key holds, so a
    # run sorts where its first subject would.
    pieces: list[tuple[str, bytes | memoryview]] = list(graphs.blocks.items())
    count = sum(graphs.counts.values())
    owned: dict[str, int] = {}
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
        placed[key] = (offset, offset + len(text))
        offset += len(text)
        pieces += [(name, node), (_node("evidence", f"{key}_"), run)]
        owned[key] = own
        count += own
    pieces.sort(key=lambda piece: piece[0])
    turtle: list[bytes | memoryview] = [header]
    offset = len(header)
    where: dict[str, tuple[int, int]] = {}
    for subject, text in pieces:
        where[subject] = (offset, offset + len(text))
        turtle.append(text)
        offset += len(text)
    articles = {key: (signatures[key], *placed[key], *where[_node("article", key)],
                      *where[_node("evidence", f"{key}_")], owned[key]) for key in owned}
    visits = {node: (signature, *where[node], graphs.counts[node]) for node, signature in graphs.visits.items()}
    entities = {node: (signature, *where[node], *placed[node], graphs.counts[node])
                for node, signature in graphs.entities.items()}
    return GraphText(turtle, trig, count, Layout(articles, visits, entities), len(copied))


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


def _entity_pairs(node: str, entity: Entity) -> list[tuple[str, str]]:
    """What the entities graph says of an entity: types, labels, aliases, links."""
    label = _en(entity.label)
    if entity.kind == "official":
        pairs = [("a", _NG["Official"])] + [(_T["job_title"], _en(title)) for title in entity.titles]
    elif entity.kind == "organization":
        kind = _ORG_CLASSES.get(entity.org_type or "company", _ORG_CLASSES["company"])
        pairs = [("a", _NG["Organization"]), ("a", kind)]
        if entity.parent:
            pairs.append((_NG["parentOrganization"], _node("organization", entity.parent)))
    else:
        pairs = [("a", _NG["Technology"]), ("a", _T["concept"]), (_T["pref"], label),
                 (_T["in_scheme"], _T["tech_scheme"])]
        pairs += [(_T["broader"], _node("technology", key)) for key in entity.broader]
    pairs.append((_T["label"], label))
    pairs += [(_T["alt"], _en(alias)) for alias in entity.aliases if alias != entity.label]
    if entity.wikidata:
        pairs.append((_T["same_as"], iri_text(WD + entity.wikidata)))
    return pairs


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
