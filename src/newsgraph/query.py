"""SPARQL over a loaded store, result formatting, and the named queries in ``ontology/queries``.

Queries see the union of all named graphs (materialised by
``load_store`` as the default graph) and may use the project prefixes
(``ng:``, ``id:``, ``skos:`` ...) without declaring them.

>>> store = load_store(Path("graphs/example"))                       # doctest: +SKIP
>>> result = run_query(store, named_query("visits", {"official": "Li Qiang"}))  # doctest: +SKIP
>>> print(format_result(result))                                     # doctest: +SKIP
date        officialName  orgName  articles  visit
...
(6 rows)
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

import pyoxigraph as ox

from newsgraph.errors import QueryError
from newsgraph.export import write_turtle
from newsgraph.namespaces import PREFIXES

__all__ = [
    "QueryResult", "NamedQuery", "QueryParam", "run_query", "format_result",
    "list_named_queries", "named_query", "SELECT_FORMATS", "CONSTRUCT_FORMATS",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
# Longest namespace first, so ``id:`` wins over a shorter namespace that also matches.
_BY_LENGTH = sorted(_PREFIXES.items(), key=lambda item: -len(item[1]))
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

SELECT_FORMATS = ("table", "csv", "tsv", "json")
CONSTRUCT_FORMATS = ("ttl", "nt")


@dataclass(frozen=True)
class QueryResult:
    """The outcome of a query.

    ``kind`` is ``"select"`` (``variables`` and ``rows``, a row holding one
    term or ``None`` per variable), ``"ask"`` (``boolean``) or ``"graph"``
    for CONSTRUCT and DESCRIBE (``triples``). Terms are pyoxigraph terms:
    ``term.value`` is the IRI or the literal's lexical form.
    """

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()


def run_query(store: ox.Store, sparql: str, source: str = "query") -> QueryResult:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query on a store from ``newsgraph.store.load_store``.

    Its default graph is the union of all graphs; ``GRAPH ?g { }`` reaches
    the per-article named graphs. The project prefixes are predeclared (as
    parser defaults, not text); the query's own ``PREFIX`` and ``BASE``
    lines take precedence. ``source`` names the query in errors.

    >>> result = run_query(store, "SELECT ?o WHERE { ?o a ng:Official }")   # doctest: +SKIP
    >>> result.variables, len(result.rows)                                   # doctest: +SKIP
    (('o',), 3)
    """
    try:
        answer = store.query(sparql, prefixes=_PREFIXES)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            return QueryResult("graph", triples=tuple(answer))
        variables = tuple(variable.value for variable in answer.variables)
        rows = tuple(tuple(solution[name] for name in variables) for solution in answer)
        return QueryResult("select", variables=variables, rows=rows)
    except SyntaxError as error:
        problem = _first_line(error.msg or str(error))
        if problem.startswith("error at "):  # pyoxigraph: "error at 1:25: expected ..."
            message = f"SPARQL syntax error {problem.removeprefix('error ')}"
        else:
            message = f"SPARQL syntax error: {problem}"
        raise QueryError(f"{source}: {message}") from None
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryError(f"{source}: query failed: {_first_line(str(error))}") from None


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "unknown error"


# --- formatting ------------------------------------------------------------------------------


def format_result(result: QueryResult, fmt: str | None = None) -> str:
    """Render a result: table (default), csv, tsv or json for SELECT and ASK; ttl (default) or nt for graphs.

    >>> print(format_result(run_query(store, "SELECT ?o { ?o a ng:Official }")))   # doctest: +SKIP
    o
    -----------------
    official:li-qiang
    (1 row)
    """
    valid = CONSTRUCT_FORMATS if result.kind == "graph" else SELECT_FORMATS
    fmt = fmt or valid[0]
    if fmt not in valid:
        kind = "CONSTRUCT/DESCRIBE" if result.kind == "graph" else result.kind.upper()
        raise QueryError(f"format {fmt!r} does not apply to a {kind} result; valid: {', '.join(valid)}")
    if result.kind == "graph":
        return _format_graph(result.triples, fmt)
    if result.kind == "ask":
        return _format_boolean(bool(result.boolean), fmt)
    return {"table": _format_table, "csv": _format_csv, "tsv": _format_tsv, "json": _format_json}[fmt](result)


def _format_graph(triples: tuple[ox.Triple, ...], fmt: str) -> str:
    if fmt == "nt":
        return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    buffer = io.BytesIO()
    write_turtle(triples, buffer)
    return buffer.getvalue().decode("utf-8")


def _format_boolean(value: bool, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}, indent=2) + "\n"
    return ("true" if value else "false") + "\n"


def _short(term: Term | None) -> str:
    """A term for people: a prefixed name for an IRI, the plain value of a literal."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in _BY_LENGTH:
            if term.value.startswith(namespace) and len(term.value) > len(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return " ".join(term.value.splitlines())
    return str(term)


def _width(text: str) -> int:
    """Display width: wide (CJK) characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _format_table(result: QueryResult) -> str:
    cells = [list(result.variables)] + [[_short(term) for term in row] for row in result.rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(result.variables))]

    def line(row: list[str]) -> str:
        return "  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(row, widths)).rstrip()

    lines = [line(cells[0]), "  ".join("-" * width for width in widths)] + [line(row) for row in cells[1:]]
    count = len(result.rows)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def _format_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV results: full IRIs, lexical forms, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(result.variables)
    writer.writerows([_csv_value(term) for term in row] for row in result.rows)
    return buffer.getvalue()


def _format_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV results: terms in N-Triples syntax, tabs inside literals escaped."""
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines += ["\t".join("" if term is None else str(term).replace("\t", "\\t") for term in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        binding: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            binding["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            binding["datatype"] = term.datatype.value
        return binding
    return {"type": "triple", "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")}}


def _format_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [
        {name: _json_term(term) for name, term in zip(result.variables, row) if term is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- named queries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryParam:
    """A parameter of a named query: ``# param: NAME — description`` in the query's header."""

    name: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped in ``ontology/queries/NAME.rq``; its header comment gives description and params."""

    name: str
    description: str
    params: tuple[QueryParam, ...]
    text: str


_PARAM_LINE = re.compile(r"#\s*param:\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:—|–|-)\s*(.*)")


def _queries_dir() -> Traversable:
    return files("newsgraph") / "ontology" / "queries"


def _parse_named_query(name: str, text: str) -> NamedQuery:
    description: list[str] = []
    params: list[QueryParam] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _PARAM_LINE.match(line)
        if match:
            params.append(QueryParam(match[1], match[2].strip()))
        else:
            description.append(line.lstrip("#").strip())
    return NamedQuery(name, " ".join(part for part in description if part), tuple(params), text)


def list_named_queries() -> list[NamedQuery]:
    """Every named query, sorted by name.

    >>> [q.name for q in list_named_queries()]        # doctest: +SKIP
    ['co-visits', 'evidence', 'most-visited', 'officials-at-org', 'timeline', 'visits', 'works-on']
    """
    entries = sorted((entry for entry in _queries_dir().iterdir() if entry.name.endswith(".rq")), key=lambda e: e.name)
    return [_parse_named_query(entry.name.removesuffix(".rq"), entry.read_text(encoding="utf-8")) for entry in entries]


def _sparql_string(value: str) -> str:
    """``value`` as a SPARQL string literal (ECHAR escapes); nothing in it can end the literal.

    Every backslash is doubled, so even an engine that decodes ``\\uXXXX``
    before parsing sees an escaped, never a closing, quote.
    """
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def named_query(name: str, params: dict[str, str] | None = None) -> str:
    """The SPARQL text of a named query, each given parameter bound as a string literal.

    A parameter is a ``VALUES ?param { UNDEF }`` line in the query (UNDEF:
    any value); a given value replaces UNDEF as an escaped literal, so it
    can never change the query's structure.

    >>> sparql = named_query("visits", {"official": "Li Qiang", "from": "2024-03-01"})   # doctest: +SKIP
    >>> run_query(store, sparql, source="visits")                                       # doctest: +SKIP
    """
    queries = {query.name: query for query in list_named_queries()}
    query = queries.get(name)
    if query is None:
        raise QueryError(f"unknown named query {name!r}; valid: {', '.join(queries) or '(none)'}")
    known = [param.name for param in query.params]
    text = query.text
    for param, value in (params or {}).items():
        if param not in known:
            raise QueryError(f"named query {name!r} has no parameter {param!r}; valid: {', '.join(known) or '(none)'}")
        placeholder = re.compile(rf"VALUES\s+\?{param}\s*\{{\s*UNDEF\s*\}}")
        text, count = placeholder.subn(lambda _: f"VALUES ?{param} {{ {_sparql_string(value)} }}", text)
        if count != 1:
            raise QueryError(f"named query {name!r}: expected one 'VALUES ?{param} {{ UNDEF }}' line, found {count}")
    return text
