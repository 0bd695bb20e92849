"""Check a graph against the graph contract (``ontology/shapes.ttl``).

The shapes are the executable form of ``docs/graph.md``: every graph
``newsgraph build`` writes must pass them, and ``newsgraph validate`` runs
them on any graph a user hands in. This module wraps pySHACL so that the rest
of the code sees plain, sorted, hashable records instead of a SHACL results
graph, and so that a broken ontology install surfaces as an ``OntologyError``
the CLI can print in one line.

>>> from rdflib import Graph
>>> validate_graph(Graph()).conforms
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import pyshacl
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from newsgraph.errors import OntologyError
from newsgraph.namespaces import bind_prefixes

__all__ = ["Violation", "ValidationReport", "validate_graph"]

_SHAPES_FILE = "shapes.ttl"
_ONTOLOGY_FILE = "newsgraph.ttl"

# Report order: the problems that make a graph fail come first.
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, as plain strings.

    ``focus_node`` is the node that fails (its full IRI, or ``_:id`` for a
    blank node); ``path`` the property involved, in prefixed form
    (``ng:site``), or ``""`` when the result is about the node itself;
    ``message`` what is wrong and how to fix it; ``severity`` one of
    ``Violation``, ``Warning`` or ``Info``; ``value`` the offending value when
    there is one (N3 form, so a literal shows its datatype), else ``""``.
    """

    focus_node: str
    path: str
    message: str
    severity: str
    value: str = ""

    def __str__(self) -> str:
        where = f"<{self.focus_node}>" if not self.focus_node.startswith("_:") else self.focus_node
        if self.path:
            where += f" {self.path}"
        if self.value:
            where += f" {self.value}"
        return f"{self.severity}: {where}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate_graph`.

    ``conforms`` is true when there are no results of severity ``Violation``
    (warnings, such as an organization of unknown kind, are reported but do
    not fail a build). ``violations`` holds every result, sorted by severity,
    focus node, path, value and message, so two runs on the same graph give
    the same report; ``text`` is the human-readable form, one line per result
    after a summary line.
    """

    conforms: bool
    violations: tuple[Violation, ...]
    text: str


def validate_graph(graph: Graph) -> ValidationReport:
    """Validate ``graph`` against the newsgraph SHACL shapes.

    The graph is checked as it is, without inference, because that is how
    SPARQL users and ``tools/score.py`` read it: the shapes demand the
    explicit types queries rely on. The ontology is passed to pySHACL as the
    ontology graph so that ``sh:targetClass`` and ``sh:class`` follow
    ``rdfs:subClassOf``. A ``Dataset`` (for example a TriG file with one named
    graph per article) is validated as the union of its graphs, since the
    contract is about the whole graph and a visit's facts may be spread over
    several named graphs.

    Raises ``OntologyError`` if the bundled shapes or ontology are missing or
    do not parse.

    Example::

        report = validate_graph(Graph().parse("graphs/example/graph.ttl"))
        if not report.conforms:
            print(report.text)
    """
    shapes = _shapes_graph()
    ontology = _ontology_graph()
    data = _union(graph) if graph.context_aware else graph
    try:
        _, results, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            allow_warnings=True,
            allow_infos=True,
            advanced=False,
        )
    except ReportableRuntimeError as exc:  # pySHACL's base class for shapes it cannot load or run
        raise OntologyError(
            f"the SHACL shapes in {_SHAPES_FILE} could not be applied; fix the file "
            f"(see https://www.w3.org/TR/shacl/) or reinstall newsgraph. pySHACL says: {exc}"
        ) from exc
    violations = _violations(results)
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms=conforms, violations=violations, text=_render(conforms, violations))


def _union(dataset: Graph) -> Graph:
    """Copy the triples of every graph of a dataset (any context-aware graph) into one plain graph.

    pySHACL validates each named graph of a dataset on its own; a visit in
    one article's graph would then lack the ``ng:visited`` triple that lives
    in another, so the contract is checked on the union instead.
    """
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):  # type: ignore[attr-defined]
        union.add((s, p, o))
    return union


@functools.cache
def _shapes_graph() -> Graph:
    """The parsed shapes, loaded once per process: parsing on every call would dominate small validations."""
    return _load(_SHAPES_FILE)


@functools.cache
def _ontology_graph() -> Graph:
    """The parsed ontology, loaded once per process (see :func:`_shapes_graph`)."""
    return _load(_ONTOLOGY_FILE)


def _load(name: str) -> Graph:
    """Parse one Turtle file of the bundled ``ontology/`` folder.

    Read through ``importlib.resources`` so it works from an installed wheel
    as well as from the editable checkout (where ``ontology`` is a symlink).
    """
    resource = resources.files("newsgraph") / "ontology" / name
    if not resource.is_file():
        raise OntologyError(
            f"ontology file {name} not found in the newsgraph package (looked for {resource}). "
            "Reinstall newsgraph, or in a checkout make sure src/newsgraph/ontology links to ontology/."
        )
    try:
        return Graph().parse(data=resource.read_text(encoding="utf-8"), format="turtle")
    except Exception as exc:  # rdflib raises several parser-specific exception types
        raise OntologyError(f"ontology file {name} is not valid Turtle: {exc}") from exc


def _violations(results: Graph) -> tuple[Violation, ...]:
    """Turn a SHACL results graph into sorted, de-duplicated ``Violation`` records."""
    names = bind_prefixes(Graph())
    found: set[Violation] = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        found.add(
            Violation(
                focus_node=_node_id(focus),
                path=_path_text(results, path, names) if path is not None else "",
                message=_message(results, result),
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                # Node-level constraints repeat the focus node as the value; showing it twice adds nothing.
                value=value.n3(names.namespace_manager) if value is not None and value != focus else "",
            )
        )
    return tuple(
        sorted(
            found,
            key=lambda v: (_SEVERITY_ORDER.get(v.severity, 9), v.focus_node, v.path, v.value, v.message),
        )
    )


def _node_id(node: Node | None) -> str:
    """A node as a plain string: the IRI itself, or ``_:id`` for a blank node."""
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _path_text(results: Graph, path: Node, names: Graph) -> str:
    """A SHACL property path in SPARQL-like prefixed form (``ng:site``, ``^ng:visitor``)."""
    if isinstance(path, URIRef):
        return path.n3(names.namespace_manager)
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(results, inverse, names)
    return "(complex path)"


def _message(results: Graph, result: Node) -> str:
    """The result's message, preferring English when a shape gives several languages."""
    messages = sorted(
        (m for m in results.objects(result, SH.resultMessage) if isinstance(m, Literal)),
        key=lambda m: (m.language not in (None, "en"), str(m)),
    )
    return str(messages[0]) if messages else "(no message)"


def _render(conforms: bool, violations: tuple[Violation, ...]) -> str:
    """The report as text: a summary line, then one line per result."""
    counts: dict[str, int] = {}
    for v in violations:
        counts[v.severity] = counts.get(v.severity, 0) + 1
    if not violations:
        return "Conforms: no violations."
    summary = ", ".join(
        f"{n} {severity.lower()}{'s' if n != 1 else ''}"
        for severity, n in sorted(counts.items(), key=lambda kv: _SEVERITY_ORDER.get(kv[0], 9))
    )
    head = "Conforms" if conforms else "Does not conform"
    return "\n".join([f"{head}: {summary}.", *(str(v) for v in violations)])
