"""Turtle and TriG text, written directly: the one serialiser behind graph files and exports.

Statements are held as text (``org:baidu``, ``"Baidu"@en``) from the start and
grouped by subject. A document is sorted: subjects by their text, ``a``
(``rdf:type``) first, then predicates and objects by their text. Order is the
only thing that decides the bytes, so the same statements give the same file
whatever order they came in, and a graph written by ``build`` and the same
graph read back and exported are byte for byte the same.

Writing text was measured against building pyoxigraph terms, sorting them in
Python and serialising with pyoxigraph: 0.43 s against 4.7 s for the Turtle
and TriG of 1,000 articles (``benchmarks/RESULTS-extract.md``).

>>> graph = Statements()
>>> graph.add("org:baidu", "a", "ng:Company")
>>> graph.add("org:baidu", iri_text("http://www.w3.org/2000/01/rdf-schema#label"), literal_text("Baidu", "en"))
>>> print(graph.render(), end="")
org:baidu a ng:Company ;
	rdfs:label "Baidu"@en .
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

import pyoxigraph as ox

from newsgraph.errors import NewsgraphError
from newsgraph.namespaces import PREFIXES, RDF, XSD

__all__ = ["HEADER", "Statements", "block", "iri_text", "literal_text", "predicate_text", "statement_lines",
           "term_text", "trig_document", "turtle_document"]

# Longest namespace first, so that ``org:baidu`` wins over ``id:org/baidu``.
_NAMESPACES = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))
HEADER = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(PREFIXES.items())) + "\n"

# Local names written as prefixed names: a conservative subset of Turtle's PN_LOCAL that every
# parser reads back (rdflib cannot read a local name that ends with '.').
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
# Characters an IRIREF may not contain.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_XSD_STRING = str(XSD.string)
_RDF_TYPE = str(RDF.type)
# Typed literals Turtle writes bare, when their lexical form is already in Turtle's own syntax.
_BARE = {str(XSD.integer): re.compile(r"[+-]?[0-9]+"), str(XSD.decimal): re.compile(r"[+-]?[0-9]*\.[0-9]+")}


@lru_cache(maxsize=1 << 16)
def iri_text(iri: str) -> str:
    """An IRI as a prefixed name when one of the project's prefixes fits, else ``<iri>``."""
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace) and _LOCAL.fullmatch(iri, len(namespace)):
            return f"{prefix}:{iri[len(namespace):]}"
    if _BAD_IRI.search(iri):
        raise NewsgraphError(f"cannot write the IRI {iri!r}: it contains a character IRIs may not hold")
    return f"<{iri}>"


def literal_text(value: str, language: str | None = None, datatype: str | None = None) -> str:
    """A literal: ``"text"``, ``"text"@en``, ``"2024-03-13"^^xsd:date``, or a bare number."""
    quoted = '"' + value.translate(_ESCAPES) + '"'
    if language:
        return f"{quoted}@{language}"
    if datatype is None or datatype == _XSD_STRING:
        return quoted
    bare = _BARE.get(datatype)
    if bare is not None and bare.fullmatch(value):
        return value
    return f"{quoted}^^{iri_text(datatype)}"


def predicate_text(iri: str) -> str:
    """A predicate IRI as Turtle text: ``a`` for ``rdf:type``."""
    return "a" if iri == _RDF_TYPE else iri_text(iri)


def term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """A pyoxigraph term as Turtle text."""
    kind = type(term)
    if kind is ox.NamedNode:
        return iri_text(term.value)
    if kind is ox.BlankNode:
        return f"_:{term.value}"
    return literal_text(term.value, term.language, term.datatype.value)


def _pair_key(pair: tuple[str, str]) -> tuple[bool, tuple[str, str]]:
    return (pair[0] != "a", pair)


def statement_lines(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """(predicate, object) pairs of one subject as sorted ``predicate object, object`` lines."""
    lines: list[str] = []
    current, objects = None, []
    for predicate, obj in sorted(pairs, key=_pair_key):
        if predicate != current:
            if current is not None:
                lines.append(f"{current} {', '.join(objects)}")
            current, objects = predicate, []
        objects.append(obj)
    if current is not None:
        lines.append(f"{current} {', '.join(objects)}")
    return lines


class Statements:
    """The statements of one graph, as text, grouped by subject; ``rdf:type`` is written ``a``.

    ``add`` collects statements one at a time, merging repeats. ``describe``
    takes a subject whose statements are all known at once and are made
    nowhere else (an article, an evidence node), already as sorted lines: the
    cheap path for most of a graph.
    """

    def __init__(self) -> None:
        self.subjects: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)
        self.described: dict[str, list[str]] = {}
        self.count = 0   # statements given to ``describe``

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.subjects[subject].add((predicate, obj))

    def describe(self, subject: str, lines: list[str], count: int) -> None:
        """All ``count`` statements of ``subject``, as ``statement_lines`` would write them."""
        self.described[subject] = lines
        self.count += count

    def __len__(self) -> int:
        return sum(len(pairs) for pairs in self.subjects.values()) + self.count

    def render(self, indent: str = "") -> str:
        """Every subject's block, sorted; ``indent`` prefixes each line (TriG graphs)."""
        return "".join(text for _, text in sorted(self.blocks(indent)))

    def blocks(self, indent: str = "") -> list[tuple[str, str]]:
        """Each subject with its block, unsorted."""
        subjects, described = self.subjects, self.described
        found = [(subject, block(subject, lines, indent)) for subject, lines in described.items()]
        found += [(subject, block(subject, statement_lines(pairs), indent)) for subject, pairs in subjects.items()
                  if subject not in described]
        return found


def block(subject: str, lines: list[str], indent: str = "") -> str:
    """One subject's statements: ``subject line ;`` and the rest indented, ending with `` .``."""
    return f"{indent}{subject} {f' ;{chr(10)}{indent}{chr(9)}'.join(lines)} .\n"


def turtle_document(statements: Statements) -> bytes:
    """A Turtle file: every project prefix, then the statements."""
    return (HEADER + statements.render()).encode("utf-8")


def trig_document(graphs: dict[str | None, Statements]) -> bytes:
    """A TriG file: every project prefix, the default graph (key ``None``), then the named graphs by name."""
    parts = [HEADER]
    default = graphs.get(None)
    if default is not None:
        parts.append(default.render())
    for name in sorted(name for name in graphs if name is not None):
        statements = graphs[name]
        if statements.subjects or statements.described:
            parts.append(f"{name} {{\n{statements.render(chr(9))}}}\n")
    return "".join(parts).encode("utf-8")
