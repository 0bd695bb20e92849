"""``newsgraph stats``: what a graph holds, and where the pattern is.

Analysts first want the shape of a corpus: how many articles, officials and
organizations; which organizations draw the most visits, which officials
travel most, which technologies most organizations stand for. Everything is
computed with SPARQL over a store from :func:`newsgraph.store.load_store`
(whose default graph is the union of all graphs), so the numbers are the ones
a user's own queries would give. Ties are broken by label, so the report is
the same on every run.

>>> stats = graph_stats(load_store(Path("graphs/example")), top=5)   # doctest: +SKIP
>>> print(format_stats(stats))                                        # doctest: +SKIP
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from newsgraph.query import run_query
from newsgraph.rdf import ORG_CLASSES

__all__ = ["GraphStats", "OrganizationRank", "OfficialRank", "TechnologyRank", "graph_stats", "format_stats"]

# Organization class IRI -> the type name used in reference data and curation files.
_TYPE_NAMES = {str(iri): name for name, iri in ORG_CLASSES.items()}


@dataclass(frozen=True)
class OrganizationRank:
    """An organization, its number of visits and how many different officials made them."""

    label: str
    visits: int
    officials: int


@dataclass(frozen=True)
class OfficialRank:
    """An official, their number of visits and how many different organizations they went to."""

    label: str
    visits: int
    organizations: int


@dataclass(frozen=True)
class TechnologyRank:
    """A technology and how many organizations work on it."""

    label: str
    organizations: int


@dataclass(frozen=True)
class GraphStats:
    """Counts and top lists of one graph.

    ``organization_types`` pairs a type name (``company``, ``research_institute``
    ...; ``other`` for an organization with no specific class) with its count,
    most common first. ``technologies`` counts every concept in the graph,
    broader ones included; ``technologies_worked_on`` only those some
    organization works on. ``works_on`` counts distinct (organization,
    technology) pairs.
    """

    articles: int
    officials: int
    organizations: int
    organization_types: tuple[tuple[str, int], ...]
    technologies: int
    technologies_worked_on: int
    visits: int
    works_on: int
    evidence: int
    most_visited: tuple[OrganizationRank, ...]
    most_active: tuple[OfficialRank, ...]
    top_technologies: tuple[TechnologyRank, ...]


# The label of ?x as ?label: the smallest rdfs:label or skos:prefLabel, else the IRI (deterministic
# even for a merged graph that gives an entity two labels).
_LABEL = """
  OPTIONAL {{ SELECT ?{var} (MIN(STR(?l)) AS ?label) WHERE {{
    ?{var} rdfs:label|skos:prefLabel ?l }} GROUP BY ?{var} }}
  BIND (COALESCE(?label, STR(?{var})) AS ?name)
"""

_COUNTS = """
SELECT
  (COUNT(DISTINCT ?article) AS ?articles)
  (COUNT(DISTINCT ?official) AS ?officials)
  (COUNT(DISTINCT ?organization) AS ?organizations)
  (COUNT(DISTINCT ?technology) AS ?technologies)
  (COUNT(DISTINCT ?visit) AS ?visits)
  (COUNT(DISTINCT ?evidence) AS ?evidence)
WHERE {
  { ?article a ng:Article } UNION { ?official a ng:Official } UNION { ?organization a ng:Organization }
  UNION { ?technology a ng:Technology } UNION { ?visit a ng:Visit } UNION { ?evidence a ng:Evidence }
}
"""

_WORKS = """
SELECT (COUNT(*) AS ?pairs) (COUNT(DISTINCT ?technology) AS ?technologies)
WHERE { SELECT DISTINCT ?organization ?technology WHERE { ?organization ng:worksOn ?technology } }
"""

_TYPES = f"""
SELECT ?type (COUNT(DISTINCT ?organization) AS ?count) WHERE {{
  ?organization a ng:Organization .
  OPTIONAL {{ ?organization a ?class . FILTER (?class IN ({", ".join(f"<{c}>" for c in _TYPE_NAMES)})) }}
  BIND (COALESCE(STR(?class), "other") AS ?type)
}} GROUP BY ?type
"""

_MOST_VISITED = """
SELECT ?name (COUNT(DISTINCT ?visit) AS ?visits) (COUNT(DISTINCT ?official) AS ?officials) WHERE {{
  ?visit a ng:Visit ; ng:site ?organization ; ng:visitor ?official .
  {label}
}} GROUP BY ?organization ?name
ORDER BY DESC(?visits) DESC(?officials) ?name STR(?organization)
LIMIT {top}
"""

_MOST_ACTIVE = """
SELECT ?name (COUNT(DISTINCT ?visit) AS ?visits) (COUNT(DISTINCT ?organization) AS ?organizations) WHERE {{
  ?visit a ng:Visit ; ng:visitor ?official ; ng:site ?organization .
  {label}
}} GROUP BY ?official ?name
ORDER BY DESC(?visits) DESC(?organizations) ?name STR(?official)
LIMIT {top}
"""

_TOP_TECHNOLOGIES = """
SELECT ?name (COUNT(DISTINCT ?organization) AS ?organizations) WHERE {{
  ?organization ng:worksOn ?technology .
  {label}
}} GROUP BY ?technology ?name
ORDER BY DESC(?organizations) ?name STR(?technology)
LIMIT {top}
"""


def graph_stats(store: ox.Store, top: int = 10) -> GraphStats:
    """Count what ``store`` holds and rank its organizations, officials and technologies (``top`` of each).

    >>> stats = graph_stats(load_store(Path("graphs/example")))   # doctest: +SKIP
    >>> stats.visits, stats.most_visited[0]                       # doctest: +SKIP
    (8, OrganizationRank(label='Lakeshore Cells Inc.', visits=2, officials=2))
    """
    if top < 0:
        raise ValueError(f"top must be 0 or more, not {top}")
    counts = _row(store, _COUNTS)
    works = _row(store, _WORKS)
    types = sorted(((_TYPE_NAMES.get(row[0].value, row[0].value), int(row[1].value))
                    for row in _rows(store, _TYPES)), key=lambda item: (-item[1], item[0]))

    def ranked(template: str, var: str) -> list[tuple]:
        if top == 0:
            return []
        sparql = template.format(label=_LABEL.format(var=var), top=top)
        return [(row[0].value, *(int(term.value) for term in row[1:])) for row in _rows(store, sparql)]

    return GraphStats(
        articles=counts["articles"],
        officials=counts["officials"],
        organizations=counts["organizations"],
        organization_types=tuple(types),
        technologies=counts["technologies"],
        technologies_worked_on=works["technologies"],
        visits=counts["visits"],
        works_on=works["pairs"],
        evidence=counts["evidence"],
        most_visited=tuple(OrganizationRank(*row) for row in ranked(_MOST_VISITED, "organization")),
        most_active=tuple(OfficialRank(*row) for row in ranked(_MOST_ACTIVE, "official")),
        top_technologies=tuple(TechnologyRank(*row) for row in ranked(_TOP_TECHNOLOGIES, "technology")),
    )


def _rows(store: ox.Store, sparql: str) -> tuple[tuple, ...]:
    return run_query(store, sparql, source="stats").rows


def _row(store: ox.Store, sparql: str) -> dict[str, int]:
    result = run_query(store, sparql, source="stats")
    return {name: int(term.value) if term is not None else 0 for name, term in zip(result.variables, result.rows[0])}


def format_stats(stats: GraphStats) -> str:
    """A plain-text report: the counts, then one aligned table per top list.

    >>> print(format_stats(graph_stats(load_store(Path("graphs/example")), top=3)))   # doctest: +SKIP
    Counts
      articles            3
      officials           3
    ...
    """
    counts: list[tuple[str, str]] = [
        ("articles", str(stats.articles)),
        ("officials", str(stats.officials)),
        ("organizations", str(stats.organizations)),
        *((f"  {name}", str(count)) for name, count in stats.organization_types),
        ("technologies", f"{stats.technologies} ({stats.technologies_worked_on} worked on)"),
        ("visits", str(stats.visits)),
        ("worksOn facts", str(stats.works_on)),
        ("evidence", str(stats.evidence)),
    ]
    name_width = max(_width(name) for name, _ in counts)
    number_width = max(len(value.split()[0]) for _, value in counts)
    lines = ["Counts"]
    for name, value in counts:
        number, _, rest = value.partition(" ")
        lines.append(f"  {_pad(name, name_width)}  {number.rjust(number_width)}{' ' + rest if rest else ''}")
    sections = (
        ("Most visited organizations", ("organization", "visits", "officials"),
         [(r.label, r.visits, r.officials) for r in stats.most_visited]),
        ("Most active officials", ("official", "visits", "organizations"),
         [(r.label, r.visits, r.organizations) for r in stats.most_active]),
        ("Most common technologies", ("technology", "organizations"),
         [(r.label, r.organizations) for r in stats.top_technologies]),
    )
    for title, header, rows in sections:
        lines += ["", title, *_table(header, rows)]
    return "\n".join(lines) + "\n"


def _table(header: Sequence[str], rows: Sequence[tuple]) -> list[str]:
    """Rows under a header: the first column left-aligned, the numbers right-aligned."""
    if not rows:
        return ["  (none)"]
    cells = [list(header), *([str(cell) for cell in row] for row in rows)]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for row in cells:
        first = _pad(row[0], widths[0])
        rest = "  ".join(" " * (width - _width(cell)) + cell for cell, width in zip(row[1:], widths[1:]))
        lines.append(f"  {first}  {rest}".rstrip())
    return lines


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _width(text: str) -> int:
    """Display width: wide (CJK) characters take two columns, so Chinese names stay aligned."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
