"""Deterministic serialisation: the same triples give the same bytes, whatever their order.

Turtle and TriG are written by :mod:`newsgraph.turtle`, the writer behind
the build's own files; N-Triples and N-Quads are sorted by their lines and
written by pyoxigraph. Blank nodes, never expected, get canonical labels
(RDFC-1.0). ``benchmarks/RESULTS-store.md`` compares the writers.

>>> write_turtle(graph, Path("graph.ttl"))                 # doctest: +SKIP
>>> export_graph(Path("graphs/example"), "gexf", sys.stdout)  # doctest: +SKIP
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO, TextIO

import networkx as nx
import pyoxigraph as ox
from networkx.readwrite.gexf import GEXFWriter
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from newsgraph.errors import InputError, NewsgraphError
from newsgraph.namespaces import NG, PREFIXES, RDF, RDFS, SKOS
from newsgraph.store import read_quads, store_from_quads, to_rdflib_dataset
from newsgraph.turtle import Statements, predicate_text, term_text, trig_document, turtle_document

__all__ = ["EXPORT_FORMATS", "write_turtle", "write_trig", "export_graph"]

Output = Path | TextIO | BinaryIO
# What the writers accept: an rdflib graph or dataset, or an iterable of
# rdflib (s, p, o[, g]) tuples or of pyoxigraph triples or quads
# (``read_quads``, a ``pyoxigraph.Dataset``).
Source = Graph | Iterable[tuple[Node, ...] | ox.Triple | ox.Quad]
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal

_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_RDF_TYPE = ox.NamedNode(str(RDF.type))


class _Converter:
    """rdflib terms -> pyoxigraph terms, each distinct term converted once."""

    def __init__(self) -> None:
        # IRIs are keyed by their plain string: hashing a str is cheaper than an rdflib term.
        self._terms: dict[object, OxTerm] = {}
        self._blank: dict[str, ox.BlankNode] = {}

    def __call__(self, term: Node) -> OxTerm:
        key = str(term) if type(term) is URIRef else term
        try:
            return self._terms[key]
        except KeyError:
            converted = self._terms[key] = self._convert(term)
            return converted

    def _convert(self, term: Node) -> OxTerm:
        try:
            if isinstance(term, URIRef):
                return ox.NamedNode(str(term))
            if isinstance(term, BNode):  # rdflib ids may not be valid Turtle labels: relabel
                return self._blank.setdefault(str(term), ox.BlankNode())
            if isinstance(term, Literal):
                if term.language:  # pyoxigraph writes language tags in lower case
                    return ox.Literal(str(term), language=term.language)
                datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
                return ox.Literal(str(term), datatype=datatype)
        except ValueError as error:
            raise InputError(f"cannot serialise the term {term.n3()}: {error}") from None
        raise InputError(f"cannot serialise {term!r}: not an IRI, blank node or literal")

    def graph_name(self, term: Node | Graph) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
        identifier = term.identifier if isinstance(term, Graph) else term
        if identifier == DATASET_DEFAULT_GRAPH_ID:
            return ox.DefaultGraph()
        return self(identifier)


def _triples(source: Source) -> set[ox.Triple]:
    """The distinct triples of ``source``, all graphs merged."""
    if isinstance(source, Graph) and source.context_aware:
        source = source.quads((None, None, None, None))
    convert = _Converter()
    triples: set[ox.Triple] = set()
    for item in source:
        if isinstance(item, ox.Quad):
            triples.add(item.triple)
        elif isinstance(item, ox.Triple):
            triples.add(item)
        else:
            triples.add(ox.Triple(convert(item[0]), convert(item[1]), convert(item[2])))
    return triples


def _quads(source: Source) -> set[ox.Quad]:
    """The distinct quads of ``source``; triples go to the default graph."""
    if isinstance(source, Graph):
        source = source.quads((None, None, None, None)) if source.context_aware else iter(source)
    convert = _Converter()
    quads: set[ox.Quad] = set()
    for item in source:
        if isinstance(item, ox.Quad):
            quads.add(item)
        elif isinstance(item, ox.Triple):
            quads.add(ox.Quad(item.subject, item.predicate, item.object))
        else:
            graph = convert.graph_name(item[3]) if len(item) == 4 else ox.DefaultGraph()
            quads.add(ox.Quad(convert(item[0]), convert(item[1]), convert(item[2]), graph))
    return quads


def _canonical_quads(quads: set[ox.Quad]) -> set[ox.Quad]:
    """Blank nodes, if any, relabelled canonically (RDFC-1.0), so their labels do not depend on parsing."""
    blank = ox.BlankNode
    if not any(type(q.subject) is blank or type(q.object) is blank or type(q.graph_name) is blank for q in quads):
        return quads
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def _sorted_triples(source: Source) -> list[ox.Triple]:
    """Distinct triples, all graphs merged, by subject, predicate (``rdf:type`` first) and object.

    ``str(triple)`` is its N-Triples line; each term's token ends where no
    IRI or label character can, so ordering lines orders (s, p, o).
    """
    triples = _triples(source)
    if any(type(t.subject) is ox.BlankNode or type(t.object) is ox.BlankNode for t in triples):
        triples = {q.triple for q in _canonical_quads({ox.Quad(t.subject, t.predicate, t.object) for t in triples})}
    return sorted(triples, key=lambda t: (str(t.subject), t.predicate != _RDF_TYPE, str(t)))


def _sorted_quads(source: Source) -> list[ox.Quad]:
    """Distinct quads by graph (default first, then by name), subject, predicate (``rdf:type`` first), object."""
    default = ox.DefaultGraph()
    return sorted(
        _canonical_quads(_quads(source)),
        key=lambda q: (q.graph_name != default, str(q.graph_name), str(q.subject), q.predicate != _RDF_TYPE, str(q)),
    )


def _write(data: bytes, out: Output) -> None:
    if isinstance(out, Path):
        out.write_bytes(data)
    elif isinstance(out, io.TextIOBase):
        out.write(data.decode("utf-8"))
    else:
        out.write(data)


def write_turtle(triples_or_graph: Source, out: Output) -> int:
    """Write Turtle, byte-identical for the same set of triples in any order; return how many triples.

    Named graphs are merged. All of ``namespaces.PREFIXES`` are declared;
    IRIs that are not valid prefixed names are written in full. The text is
    :mod:`newsgraph.turtle`'s, so exporting a built graph gives its own bytes.

    >>> g = Graph(); g.add((ID["org/baidu"], RDF.type, NG.Company))   # doctest: +SKIP
    >>> write_turtle(g, sys.stdout)                                   # doctest: +SKIP
    @prefix article: <https://w3id.org/newsgraph/id/article/> .
    ...
    org:baidu a ng:Company .
    """
    triples = _triples(triples_or_graph)
    if any(type(t.subject) is ox.BlankNode or type(t.object) is ox.BlankNode for t in triples):
        triples = {q.triple for q in _canonical_quads({ox.Quad(t.subject, t.predicate, t.object) for t in triples})}
    statements = Statements()
    for t in triples:
        statements.add(term_text(t.subject), predicate_text(t.predicate.value), term_text(t.object))
    _write(turtle_document(statements), out)
    return len(triples)


def write_trig(dataset: Source, out: Output) -> None:
    """Write TriG, byte-identical for the same set of quads in any order.

    The default graph comes first, then one block per named graph, sorted by
    name. Give it the quads of a file (``store.read_quads``), not a
    ``load_store`` store, whose default graph repeats the union.

    >>> write_trig(load_graph(Path("graphs/example")), Path("copy.trig"))   # doctest: +SKIP
    """
    graphs: dict[str | None, Statements] = {}
    for q in _canonical_quads(_quads(dataset)):
        name = None if type(q.graph_name) is ox.DefaultGraph else term_text(q.graph_name)
        statements = graphs.get(name)
        if statements is None:
            statements = graphs[name] = Statements()
        statements.add(term_text(q.subject), predicate_text(q.predicate.value), term_text(q.object))
    _write(trig_document(graphs), out)


def _write_ntriples(source: Source, out: Output) -> None:
    _write(ox.serialize(_sorted_triples(source), format=ox.RdfFormat.N_TRIPLES), out)


def _write_nquads(source: Source, out: Output) -> None:
    _write(ox.serialize(_sorted_quads(source), format=ox.RdfFormat.N_QUADS), out)


def _write_jsonld(source: Source, out: Output) -> None:
    """JSON-LD with a compact ``@context`` of the project prefixes, one ``@graph`` per named graph."""
    dataset = to_rdflib_dataset(_sorted_quads(source))
    text = dataset.serialize(format="json-ld", context=_PREFIXES, sort_keys=True, indent=2)
    _write(text.encode("utf-8"), out)


# The entities of the network export, and the relations between them.
_ENTITY_TYPES = (NG.Official, NG.Organization, NG.Company, NG.ResearchInstitute, NG.University,
                 NG.GovernmentBody, NG.IndustrialZone, NG.Technology)

_NODE_QUERY = f"""
SELECT ?entity ?type ?label WHERE {{
  ?entity a ?type .
  VALUES ?type {{ {" ".join(f"<{iri}>" for iri in _ENTITY_TYPES)} }}
  OPTIONAL {{ ?entity <{RDFS.label}>|<{SKOS.prefLabel}> ?label }}
}}
"""

_EDGE_QUERY = f"""
SELECT ?source ?relation ?target ?date WHERE {{
  {{ ?source <{NG.visited}> ?target . BIND("visited" AS ?relation)
    OPTIONAL {{ ?visit <{NG.visitor}> ?source ; <{NG.site}> ?target ; <{NG.date}> ?date }} }}
  UNION {{ ?source <{NG.worksOn}> ?target . BIND("worksOn" AS ?relation) }}
  UNION {{ ?source <{SKOS.broader}> ?target . BIND("broader" AS ?relation) }}
}}
"""

# The more specific class names the node: a Company is also an Organization.
_GENERAL_TYPES = ("Organization",)


def _network(store: ox.Store) -> nx.DiGraph:
    """Entities as nodes (label, type), ng:visited / ng:worksOn / skos:broader as edges."""
    types: dict[str, set[str]] = {}
    labels: dict[str, set[str]] = {}
    for row in store.query(_NODE_QUERY):
        entity = row["entity"].value
        types.setdefault(entity, set()).add(row["type"].value.rsplit("#", 1)[-1])
        if row["label"] is not None:
            labels.setdefault(entity, set()).add(row["label"].value)
    edges: dict[tuple[str, str, str], set[str]] = {}
    for row in store.query(_EDGE_QUERY):
        dates = edges.setdefault((row["source"].value, row["target"].value, row["relation"].value), set())
        if row["date"] is not None:
            dates.add(row["date"].value)
    network = nx.DiGraph()
    for entity in sorted(types.keys() | {node for edge in edges for node in edge[:2]}):
        names = sorted(types.get(entity, ()))
        specific = [name for name in names if name not in _GENERAL_TYPES] or names
        network.add_node(entity, label=min(labels.get(entity, {entity})), type=" ".join(specific))
    for (source, target, relation), dates in sorted(edges.items()):
        attributes = {"relation": relation}
        if dates:
            attributes |= {"dates": " ".join(sorted(dates)), "visits": len(dates)}
        network.add_edge(source, target, **attributes)
    return network


_XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"


def _write_graphml(source: Source, out: Output) -> None:
    lines = nx.generate_graphml(_network(_as_store(source)), encoding="utf-8")
    text = _XML_DECLARATION + "\n".join(lines) + "\n"
    _write(text.encode("utf-8"), out)


def _write_gexf(source: Source, out: Output) -> None:
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate")  # today's date would make the output differ day to day
    writer.add_graph(_network(_as_store(source)))
    _write((_XML_DECLARATION + str(writer).rstrip("\n") + "\n").encode("utf-8"), out)


def _as_store(source: Source) -> ox.Store:
    return store_from_quads(_quads(source))


_WRITERS: dict[str, Callable[[Source, Output], None]] = {
    "ttl": write_turtle,
    "trig": write_trig,
    "nt": _write_ntriples,
    "nq": _write_nquads,
    "jsonld": _write_jsonld,
    "graphml": _write_graphml,
    "gexf": _write_gexf,
}
EXPORT_FORMATS = tuple(_WRITERS)


def export_graph(source: Path, fmt: str, out: TextIO | BinaryIO) -> None:
    """Export a graph file or build directory to ``fmt``, one of ``EXPORT_FORMATS``.

    ttl, trig, nt, nq and jsonld carry every triple (nt and ttl merge the named
    graphs); graphml and gexf give the entity network for Gephi, yEd or
    networkx: nodes with ``label`` and ``type``, edges with ``relation``
    (visited, worksOn, broader) and, for visits, their ``dates``.

    >>> export_graph(Path("graphs/example"), "graphml", sys.stdout)   # doctest: +SKIP
    <?xml version='1.0' encoding='utf-8'?>
    <graphml ...
    """
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise NewsgraphError(f"unknown export format {fmt!r}; valid formats: {', '.join(EXPORT_FORMATS)}")
    writer(read_quads(source), out)
