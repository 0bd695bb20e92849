"""Where the graph lives: a graph file or build directory loaded into memory.

pyoxigraph parses and queries (fast, with good error positions); rdflib is
offered for the code that needs it (rendering, SHACL, JSON-LD). A graph is
loaded into memory: parsing 200k triples takes under a second (see
``benchmarks/RESULTS-store.md``), so no on-disk store is kept.

>>> store = load_store(Path("graphs/example"))        # doctest: +SKIP
>>> len(store)                                         # doctest: +SKIP
1234
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from newsgraph.errors import InputError
from newsgraph.namespaces import bind_prefixes

__all__ = ["GRAPH_FORMATS", "load_store", "load_graph", "read_quads", "store_from_quads", "to_rdflib_dataset",
           "TripleIndex"]

# File suffix -> pyoxigraph format of the graph files newsgraph reads.
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    ".trig": ox.RdfFormat.TRIG,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
}

# In a build directory, the files tried in order: TriG keeps one named graph per article.
_BUILD_FILES = ("graph.trig", "graph.ttl", "graph.nq", "graph.nt")

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _graph_file(path: Path) -> Path:
    """The graph file behind ``path``: the file itself or the best file of a build directory."""
    if path.is_dir():
        for name in _BUILD_FILES:
            if (path / name).is_file():
                return path / name
        raise InputError(f"{path}: no graph file in this directory; expected one of {', '.join(_BUILD_FILES)}")
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.suffix.lower() not in GRAPH_FORMATS:
        raise InputError(
            f"{path}: unknown graph file type {path.suffix or '(none)'!r}; "
            f"expected one of {', '.join(GRAPH_FORMATS)} or a build directory"
        )
    return path


@contextmanager
def _reading(file: Path) -> Iterator[None]:
    """Turn parser and I/O errors into ``InputError`` naming the file and the line."""
    try:
        yield
    except SyntaxError as error:
        message = (error.msg or str(error)).removeprefix("Parser error at ")
        raise InputError(f"{file}: {message}") from None
    except OSError as error:
        raise InputError(f"{file}: cannot read: {error.strerror or error}") from None


def read_quads(path: Path) -> list[ox.Quad]:
    """Parse a graph file or build directory into pyoxigraph quads.

    Raises ``InputError`` naming the file and the problem, with its line.

    >>> read_quads(Path("graphs/example/graph.trig"))[0].graph_name   # doctest: +SKIP
    <NamedNode value=https://w3id.org/newsgraph/id/article/d00-seed-li-qiang-beijing>
    """
    file = _graph_file(Path(path))
    with _reading(file):
        return list(ox.parse(path=file, format=GRAPH_FORMATS[file.suffix.lower()]))


# pyoxigraph's ``use_default_graph_as_union`` repeats a triple once per graph holding
# it, which breaks counts; the union (a set) is copied into the default graph instead.
_COPY_UNION = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def store_from_quads(quads: Iterable[ox.Quad]) -> ox.Store:
    """An in-memory store of ``quads`` whose default graph is the union of all graphs.

    Named graphs are kept for provenance (``GRAPH ?article { ... }``).

    >>> store = store_from_quads(read_quads(Path("graph.trig")))   # doctest: +SKIP
    """
    store = ox.Store()
    store.bulk_extend(quads)
    store.update(_COPY_UNION)
    return store


def load_store(path: Path) -> ox.Store:
    """Load a graph file (.trig .ttl .nq .nt .jsonld) or build directory into an in-memory store.

    A build directory's ``graph.trig`` is preferred: it keeps one named graph
    per article. The default graph holds the union of all graphs, so plain
    queries see every fact; ``GRAPH ?g`` reaches one article's facts.

    >>> store = load_store(Path("graphs/example"))    # doctest: +SKIP
    >>> store.named_graphs()                          # doctest: +SKIP
    """
    file = _graph_file(Path(path))
    store = ox.Store()
    with _reading(file):
        store.bulk_load(path=file, format=GRAPH_FORMATS[file.suffix.lower()])
    store.update(_COPY_UNION)
    return store


def _rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:  # rdflib keeps simple literals untyped
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def to_rdflib_dataset(statements: Iterable[ox.Quad | ox.Triple]) -> Dataset:
    """An rdflib ``Dataset`` (default graph = union of all graphs) of pyoxigraph quads or triples, in order.

    Triples go to the default graph.

    >>> ds = to_rdflib_dataset(read_quads(Path("graph.trig")))                    # doctest: +SKIP
    >>> ds = to_rdflib_dataset(run_query(store, "CONSTRUCT WHERE {?s ?p ?o}").triples)  # doctest: +SKIP
    """
    dataset = bind_prefixes(Dataset(default_union=True))
    terms: dict[object, Node] = {}
    graphs: dict[object, Graph] = {}

    def convert(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        node = terms.get(term)
        if node is None:
            node = terms[term] = _rdflib_term(term)
        return node

    def graph(name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> Graph:
        context = graphs.get(name)
        if context is None:
            identifier = DATASET_DEFAULT_GRAPH_ID if isinstance(name, ox.DefaultGraph) else convert(name)
            context = graphs[name] = dataset.graph(identifier)
        return context

    default = ox.DefaultGraph()
    dataset.addN(
        (convert(s.subject), convert(s.predicate), convert(s.object),
         graph(s.graph_name if isinstance(s, ox.Quad) else default))
        for s in statements
    )
    return dataset


def load_graph(path: Path) -> Dataset:
    """Load a graph file or build directory as an rdflib ``Dataset``.

    Named graphs (one per article in TriG) are kept; iterating the dataset's
    triples gives their union.

    >>> ds = load_graph(Path("graphs/example"))   # doctest: +SKIP
    >>> ds.serialize(format="json-ld")             # doctest: +SKIP
    """
    return to_rdflib_dataset(read_quads(path))


class TripleIndex:
    """A read-only view of a graph's distinct triples, indexed by predicate, read as rdflib terms.

    Readers that scan a graph one predicate at a time (the HTML explorer) need
    only ``triples``, ``subjects`` and ``objects``. Filling an rdflib store with
    every triple first costs several times what they then read (measured:
    5.2 s against 0.6 s for 217,000 triples). Terms are turned into rdflib
    terms one predicate at a time, only for the predicates that are read.

    >>> index = TripleIndex(read_quads(Path("graphs/example")))              # doctest: +SKIP
    >>> render_html(index, Path("page.html"))                                # doctest: +SKIP
    """

    def __init__(self, statements: Iterable[ox.Quad | ox.Triple]) -> None:
        raw: dict[str, set[tuple[ox.NamedNode | ox.BlankNode, ox.Term]]] = {}
        for st in statements:
            raw.setdefault(st.predicate.value, set()).add((st.subject, st.object))
        self._raw = raw
        self._read: dict[str, list[tuple[Node, Node]]] = {}
        self._terms: dict[object, Node] = {}
        self._by_subject: dict[tuple[Node, str], list[Node]] = {}
        self._by_object: dict[str, dict[Node, list[Node]]] = {}

    def _pairs(self, predicate: str) -> list[tuple[Node, Node]]:
        pairs = self._read.get(predicate)
        if pairs is None:
            convert = self._convert
            pairs = self._read[predicate] = [(convert(s), convert(o)) for s, o in self._raw.get(predicate, ())]
            for s, o in pairs:
                self._by_subject.setdefault((s, predicate), []).append(o)
        return pairs

    def _convert(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        node = self._terms.get(term)
        if node is None:
            node = self._terms[term] = _rdflib_term(term)
        return node

    def __len__(self) -> int:
        return sum(len(pairs) for pairs in self._raw.values())

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        return self.triples((None, None, None))

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[tuple[Node, Node, Node]]:
        s, p, o = pattern
        for predicate in ([str(p)] if p is not None else sorted(self._raw)):
            node = URIRef(predicate)
            if s is not None:
                self._pairs(predicate)
                pairs = [(s, obj) for obj in self._by_subject.get((s, predicate), ())]
            elif o is not None:
                pairs = [(subject, o) for subject in self._subjects_of(predicate).get(o, ())]
            else:
                pairs = self._pairs(predicate)
            for subject, obj in pairs:
                if o is None or obj == o:
                    yield subject, node, obj

    def _subjects_of(self, predicate: str) -> dict[Node, list[Node]]:
        index = self._by_object.get(predicate)
        if index is None:
            index = self._by_object[predicate] = {}
            for subject, obj in self._pairs(predicate):
                index.setdefault(obj, []).append(subject)
        return index

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Iterator[Node]:  # noqa: A002
        for s, _, _ in self.triples((None, predicate, object)):
            yield s

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        if subject is not None and predicate is not None:
            self._pairs(str(predicate))
            yield from self._by_subject.get((subject, str(predicate)), ())
            return
        for _, _, o in self.triples((subject, predicate, None)):
            yield o
