"""The interactive HTML explorer: one self-contained page per graph.

The page must open offline and must not run anything an article says, so it is
built here rather than from pyvis's templates (which load vis-network from a
CDN): a small template, vis-network 9.1.2 inlined from ``render_assets``
(vendored from pyvis's bundled copy, Apache-2.0/MIT), our own script and
style, and the graph as one JSON blob escaped for a ``<script>`` element. The
page script puts data into the DOM with ``textContent`` only, and a
Content-Security-Policy built from the hashes of our two scripts blocks any
other script (inline handlers included) and every network request.

    >>> from newsgraph.render import render_html
    >>> render_html(graph, Path("graph.html"), focus="Baidu", hops=1)  # doctest: +SKIP
    RenderSummary(path=PosixPath('graph.html'), nodes=4, edges=3, physics=True)
"""

from __future__ import annotations

import base64
import calendar
import datetime
import difflib
import functools
import gc
import hashlib
import html
import json
import math
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from newsgraph.errors import NewsgraphError
from newsgraph.namespaces import NG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, WD

__all__ = ["RenderSummary", "render_html", "LAYOUT_THRESHOLD"]

_T = TypeVar("_T")

# Above this many nodes the browser's physics takes too long to settle, so
# positions are computed here and physics stays off.
LAYOUT_THRESHOLD = 1500

# Node type key -> (class, legend label, colour, vis-network shape). The order
# is the priority when an entity carries several types, and the legend order.
TYPE_STYLES: dict[str, tuple[Node, str, str, str]] = {
    "Official": (NG.Official, "Official", "#d62728", "dot"),
    "Company": (NG.Company, "Company", "#1f77b4", "square"),
    "ResearchInstitute": (NG.ResearchInstitute, "Research institute", "#2ca02c", "triangle"),
    "University": (NG.University, "University", "#9467bd", "triangleDown"),
    "GovernmentBody": (NG.GovernmentBody, "Government body", "#8c564b", "hexagon"),
    "IndustrialZone": (NG.IndustrialZone, "Industrial zone", "#17becf", "star"),
    "Organization": (NG.Organization, "Other organization", "#7f7f7f", "square"),
    "Technology": (NG.Technology, "Technology", "#ff7f0e", "diamond"),
}
_ORG_TYPES = frozenset(k for k in TYPE_STYLES if k not in ("Official", "Technology"))
_ASSETS = files("newsgraph") / "render_assets"
_HTTP_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
_QID = re.compile(r"^Q[1-9][0-9]*$")
# Edge width by supporting articles: 1 for one, growing slowly, capped at 16 articles.
_WIDTHS = [0.0] + [round(1 + 2 * math.log2(n), 2) for n in range(1, 17)]
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class RenderSummary:
    """What was written: the counts let the CLI report and tests check the page."""

    path: Path
    nodes: int
    edges: int
    physics: bool


@dataclass(slots=True)
class _Entity:
    """A node of the page: an official, an organization or a technology someone works on."""

    iri: str
    type: str
    label: str
    names: list[str]
    job: str | None = None
    wikidata: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Visit:
    """One ng:Visit behind a visited edge: a date filter keeps or drops visits one by one."""

    iri: str
    date: str | None
    span: tuple[str, str] | None  # first and last ISO day the (possibly partial) date covers
    evidence: list[int]
    articles: set[str]
    support: int  # ng:supportCount, 0 when absent
    detail: str | None  # ng:siteDetail: the part of the organization visited


@dataclass(slots=True)
class _Edge:
    """One drawn link: a visited pair with its visits, or a worksOn fact."""

    kind: str  # "visited" or "worksOn"
    source: str
    target: str
    visits: list[_Visit] = field(default_factory=list)
    evidence: list[int] = field(default_factory=list)  # not tied to a dated visit
    articles: set[str] = field(default_factory=set)

    def support(self) -> int:
        """Articles behind the fact: distinct sources, or the recorded ng:supportCount if larger."""
        if not self.visits:
            return max(len(self.articles), 1)
        articles = self.articles.union(*(v.articles for v in self.visits))
        return max(len(articles), max(v.support for v in self.visits), 1)


@dataclass(slots=True)
class _Model:
    """Everything the page can show, read once; the filters pick from it."""

    entities: dict[str, _Entity]
    edges: list[_Edge]
    evidence: list[tuple[str, str | None]]  # (sentence, article IRI)
    articles: dict[str, dict[str, str]]
    technologies: dict[str, list[str]]  # every concept, drawn or not -> its names
    broader: dict[str, list[str]]


def render_html(
    graph: Graph,
    out: Path,
    *,
    title: str = "newsgraph",
    focus: str | None = None,
    hops: int = 2,
    technology: str | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> RenderSummary:
    """Write an interactive, offline HTML view of ``graph`` to ``out``.

    ``focus`` keeps the entities within ``hops`` links of the entity with that
    label or altLabel; ``technology`` keeps that concept and its narrower ones
    (skos:broader*), the organizations working on them and their visitors;
    ``since``/``until`` keep visits dated in that range. The file is replaced
    atomically, so a failure leaves any previous page intact.

        >>> render_html(graph, Path("beijing.html"), technology="artificial intelligence")  # doctest: +SKIP
    """
    if hops < 0:
        raise NewsgraphError(f"hops must be 0 or more, not {hops}")
    with _collector_paused():
        model = _read_model(graph)
        roots, techs = _technology_closure(model, technology) if technology is not None else (set(), None)
        lo = since.isoformat() if since else None
        hi = until.isoformat() if until else None
        keep, edges = _select(model, techs, roots, lo, hi)
        seeds: set[str] = set()
        if focus is not None:
            names = model.technologies | {e.iri: e.names for e in model.entities.values()}
            seeds = _match(focus, names, "entity")
            keep, edges = _neighbourhood(seeds & keep, edges, hops)
        payload = _payload(model, keep, edges, seeds)
        page = _page(title, payload)
    _write_atomic(Path(out), page)
    return RenderSummary(Path(out), len(payload["nodes"]), len(payload["edges"]), payload["physics"])


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic structures.

    Building 20,000 nodes' worth of dicts and lists triggers many full
    collections that find nothing; pausing them makes rendering ~40% faster.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- reading the graph -------------------------------------------------------


def _values(graph: Graph, predicate: Node) -> dict[str, list[Node]]:
    """All values of one predicate by subject IRI, in one pass over the predicate index.

    Keys are plain strings: hashing rdflib terms runs Python code, and a 20k-node
    graph does this hundreds of thousands of times.
    """
    found: dict[str, list[Node]] = defaultdict(list)
    for s, _, o in graph.triples((None, predicate, None)):
        found[str(s)].append(o)
    return found


def _links(graph: Graph, predicate: Node) -> dict[str, list[str]]:
    """Like ``_values`` for a property whose values are IRIs, as strings."""
    found: dict[str, list[str]] = defaultdict(list)
    for s, _, o in graph.triples((None, predicate, None)):
        found[str(s)].append(str(o))
    return found


def _first(values: list[_T] | None) -> _T | None:
    """One value of a property, the same in every build when there are several."""
    if not values:
        return None
    return values[0] if len(values) == 1 else min(values, key=str)


def _read_model(graph: Graph) -> _Model:
    """Everything the page shows, read with one pass per predicate: per-node lookups are too slow at 20k nodes."""
    labels, pref, alt = (_values(graph, p) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel))
    types: dict[str, str] = {}
    for key, (cls, *_) in reversed(TYPE_STYLES.items()):  # reversed: higher priority wins
        for s in graph.subjects(RDF.type, cls):
            types[str(s)] = key
    concepts = {str(s) for c in (NG.Technology, SKOS.Concept) for s in graph.subjects(RDF.type, c)}
    visitor, site, derived = _links(graph, NG.visitor), _links(graph, NG.site), _links(graph, PROV.wasDerivedFrom)
    dates, support, sentence = _values(graph, NG.date), _values(graph, NG.supportCount), _values(graph, NG.sentence)
    details = _values(graph, NG.siteDetail)
    cited_by, ev_subject, ev_object = _links(graph, NG.evidence), _links(graph, RDF.subject), _links(graph, RDF.object)

    articles: dict[str, dict[str, str]] = {}
    evidence: list[tuple[str, str | None]] = []
    evidence_index: dict[str, int] = {}

    def cite(ev: str) -> int:
        """The index of one evidence node, recording its article."""
        if ev not in evidence_index:
            article = _first(derived.get(ev))
            if article is not None and article not in articles:
                articles[article] = _article(graph, URIRef(article))
            evidence_index[ev] = len(evidence)
            evidence.append((str(_first(sentence.get(ev)) or ""), article))
        return evidence_index[ev]

    edges: dict[tuple[str, str, str], _Edge] = {}
    for kind, predicate in (("visited", NG.visited), ("worksOn", NG.worksOn)):
        for s, targets in _links(graph, predicate).items():
            for o in targets:
                edges[(kind, s, o)] = _Edge(kind, s, o)
    for v in sorted(visitor):
        date, count, detail = _first(dates.get(v)), _first(support.get(v)), _first(details.get(v))
        for official in visitor[v]:
            for org in site.get(v, []):
                edge = edges.get(("visited", official, org))
                if edge is None:  # a Visit without its ng:visited shortcut
                    edge = edges[("visited", official, org)] = _Edge("visited", official, org)
                edge.visits.append(_Visit(
                    v,
                    str(date) if date is not None else None,
                    _date_span(str(date)) if date is not None else None,
                    [cite(e) for e in sorted(cited_by.get(v, []))],
                    set(derived.get(v, [])),
                    int(count) if isinstance(count, Literal) and str(count).isdigit() else 0,
                    str(detail) if detail is not None else None,
                ))
    in_visit = {e for v in visitor for e in cited_by.get(v, [])}
    for predicate, kind in ((NG.visited, "visited"), (NG.worksOn, "worksOn")):
        for ev in sorted({str(e) for e, _, _ in graph.triples((None, RDF.predicate, predicate))} - in_visit):
            for s in ev_subject.get(ev, []):
                for o in ev_object.get(ev, []):
                    edge = edges.get((kind, s, o))
                    if edge is not None:
                        edge.evidence.append(cite(ev))
                        edge.articles.update(derived.get(ev, []))

    # Officials and organizations show even without links; technologies only when worked on.
    roles = {s: "Official" if key == "Official" else "Organization" for s, key in types.items() if key != "Technology"}
    for kind, s, o in edges:
        roles.setdefault(s, "Official" if kind == "visited" else "Organization")
        roles.setdefault(o, "Organization" if kind == "visited" else "Technology")
    jobs, same_as = _values(graph, SCHEMA.jobTitle), _links(graph, OWL.sameAs)
    entities = {}
    for node, role in roles.items():
        key = types.get(node, role)
        if role == "Organization" and key not in _ORG_TYPES:
            key = "Organization"
        job = _first(jobs.get(node))
        entities[node] = _Entity(node, key, *_names(node, labels, pref, alt),
                                 job=str(job) if job is not None else None,
                                 wikidata=_wikidata(same_as.get(node, [])))
    worked_on = {o for k, _, o in edges if k == "worksOn"}
    technologies = {c: _names(c, labels, pref, alt)[1] for c in concepts | worked_on}
    broader = {s: sorted(os_) for s, os_ in _links(graph, SKOS.broader).items()}
    ordered = sorted(edges.values(), key=lambda e: (e.kind, e.source, e.target))
    for edge in ordered:
        if len(edge.visits) > 1:
            edge.visits.sort(key=lambda v: (v.date or "", v.iri))
    return _Model(entities, ordered, evidence, articles, technologies, broader)


def _names(node: str, labels: dict, pref: dict, alt: dict) -> tuple[str, list[str]]:
    """The display label (English rdfs:label first) and every name, label first."""
    ranked = sorted(
        labels.get(node, []) + pref.get(node, []),
        key=lambda lit: (getattr(lit, "language", None) not in ("en", None), lit in pref.get(node, []), str(lit)),
    )
    label = str(ranked[0]) if ranked else re.split(r"[/#]", node.rstrip("/#"))[-1]
    others = {str(n) for n in labels.get(node, []) + pref.get(node, []) + alt.get(node, [])} - {label}
    return label, [label, *sorted(others)]


def _wikidata(same_as: list[str]) -> list[str]:
    """QIDs from owl:sameAs links into Wikidata (only well-formed ones become links)."""
    qids = (o[len(WD):] for o in same_as if o.startswith(WD))
    return sorted(q for q in qids if _QID.match(q))


def _article(graph: Graph, article: Node) -> dict[str, str]:
    """How the page cites an article: a link only for http(s) URLs, else its file name."""
    info: dict[str, str] = {}
    for key, predicate in (("title", SCHEMA.headline), ("url", SCHEMA.url), ("file", NG.sourceFile),
                           ("publisher", SCHEMA.publisher), ("published", SCHEMA.datePublished)):
        value = _first(list(graph.objects(article, predicate)))
        if value is not None:
            info[key] = str(value).strip()
    if "url" in info and not _HTTP_URL.match(info["url"]):
        del info["url"]
    return info


@functools.cache  # a graph has few distinct dates and many visits
def _date_span(lexical: str) -> tuple[str, str] | None:
    """The days an xsd:date, gYearMonth or gYear covers; None when the year is unknown (gMonthDay)."""
    if m := re.match(r"^(\d{4})-(\d{2})-(\d{2})", lexical):
        return m.group(0), m.group(0)
    if m := re.match(r"^(\d{4})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$", lexical):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            return f"{m.group(1)}-{m.group(2)}-01", f"{m.group(1)}-{m.group(2)}-{last:02d}"
    if m := re.match(r"^(\d{4})(?:Z|[+-]\d{2}:\d{2})?$", lexical):
        return f"{m.group(1)}-01-01", f"{m.group(1)}-12-31"
    return None


# --- choosing what to draw ---------------------------------------------------


def _match(query: str, names: dict[str, list[str]], what: str) -> set[str]:
    """IRIs with a name equal to ``query`` (case-insensitive), or an error listing close names."""
    wanted = query.strip().casefold()
    found = {iri for iri, ns in names.items() if any(n.casefold() == wanted for n in ns)}
    if found:
        return found
    every = sorted({n for ns in names.values() for n in ns})
    near = [n for n in every if wanted and wanted in n.casefold()][:5]
    folded = {n.casefold(): n for n in every}
    near += [folded[n] for n in difflib.get_close_matches(wanted, folded, n=5) if folded[n] not in near]
    hint = f"close matches: {', '.join(near[:5])}" if near else "no similar names in the graph"
    raise NewsgraphError(f"no {what} named {query!r}; {hint}")


def _technology_closure(model: _Model, technology: str) -> tuple[set[str], set[str]]:
    """The named concepts and every concept below them through skos:broader."""
    roots = _match(technology, model.technologies, "technology")
    narrower: dict[str, list[str]] = defaultdict(list)
    for child, parents in model.broader.items():
        for parent in parents:
            narrower[parent].append(child)
    found, todo = set(roots), list(roots)
    while todo:
        for child in narrower[todo.pop()]:
            if child not in found:
                found.add(child)
                todo.append(child)
    return roots, found


def _in_range(span: tuple[str, str] | None, lo: str | None, hi: str | None) -> bool:
    """Whether a visit's days overlap [lo, hi]; a date without a year never matches a filter."""
    return span is not None and (hi is None or span[0] <= hi) and (lo is None or span[1] >= lo)


def _select(
    model: _Model, techs: set[str] | None, roots: set[str], lo: str | None, hi: str | None
) -> tuple[set[str], list[_Edge]]:
    """Nodes and edges left by the technology and date filters (the page's filters do the same).

    A filtered view keeps the ends of the surviving edges, plus the named technology
    (``roots``) so an unused one still shows; with a date range an organization
    needs a visit in range, and its technologies come along.
    """
    dated = lo is not None or hi is not None
    visits: list[_Edge] = []
    for edge in (e for e in model.edges if e.kind == "visited"):
        if dated:
            kept = [v for v in edge.visits if _in_range(v.span, lo, hi)]
            if not kept:
                continue
            edge = _Edge("visited", edge.source, edge.target, kept, [], set())
        visits.append(edge)
    works = [e for e in model.edges if e.kind == "worksOn"]
    if techs is not None:
        works = [e for e in works if e.target in techs]
        orgs = {e.source for e in works}
        visits = [e for e in visits if e.target in orgs]
    if dated:
        visited = {e.target for e in visits}
        works = [e for e in works if e.source in visited]
    if not dated and techs is None:
        return set(model.entities), visits + works
    keep = {end for e in visits + works for end in (e.source, e.target)}
    return keep | (roots & set(model.entities)), visits + works


def _neighbourhood(seeds: set[str], edges: list[_Edge], hops: int) -> tuple[set[str], list[_Edge]]:
    """Nodes within ``hops`` links of the seeds, ignoring direction, and the edges among them."""
    adjacent: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        adjacent[e.source].add(e.target)
        adjacent[e.target].add(e.source)
    keep, frontier = set(seeds), set(seeds)
    for _ in range(hops):
        frontier = {n for f in frontier for n in adjacent[f]} - keep
        keep |= frontier
    return keep, [e for e in edges if e.source in keep and e.target in keep]


# --- the page ----------------------------------------------------------------


def _payload(model: _Model, keep: set[str], edges: list[_Edge], seeds: set[str]) -> dict:
    """The JSON the page script reads: short ids, evidence and articles numbered in first-use order."""
    entities = sorted((model.entities[i] for i in keep), key=lambda e: e.iri)
    ids = {e.iri: f"n{i}" for i, e in enumerate(entities)}
    edges = [e for e in edges if e.source in ids and e.target in ids]
    evidence: dict[int, int] = {}
    articles: dict[str, int] = {}

    def cite(indices: list[int]) -> list[int]:
        for i in indices:
            evidence.setdefault(i, len(evidence))
        return [evidence[i] for i in indices]

    counts: dict[str, int] = defaultdict(int)
    out_edges = []
    for n, e in enumerate(edges):
        visits = [{"date": v.date, "span": list(v.span) if v.span else None, "detail": v.detail, "ev": cite(v.evidence)}
                  for v in e.visits]
        weight = max(len(e.visits), 1) if e.kind == "visited" else 1
        counts[e.target] += weight
        counts[e.source] += weight if e.kind == "visited" else 0
        support = e.support()
        out_edges.append({
            "id": f"e{n}", "kind": e.kind, "from": ids[e.source], "to": ids[e.target],
            "support": support,
            "width": _WIDTHS[min(support, 16)], "visits": visits, "ev": cite(e.evidence),
        })
    cited = sorted(evidence, key=evidence.__getitem__)
    for i in cited:
        article = model.evidence[i][1]
        if article is not None:
            articles.setdefault(article, len(articles))
    physics = len(entities) <= LAYOUT_THRESHOLD
    positions = {} if physics else _cluster_layout(entities, edges, counts)
    nodes = []
    for e in entities:
        node = {"id": ids[e.iri], "iri": e.iri, "label": e.label, "names": e.names, "type": e.type,
                "size": round(10 + 4 * math.sqrt(min(counts[e.iri], 100)), 1),
                "wd": e.wikidata}
        if e.job:
            node["job"] = e.job
        if e.iri in positions:
            node["x"], node["y"] = positions[e.iri]
        nodes.append(node)
    return {
        "physics": physics, "focus": sorted(ids[s] for s in seeds if s in ids),
        "types": [{"key": k, "label": lab, "color": col, "shape": shp} for k, (_, lab, col, shp) in TYPE_STYLES.items()],
        "nodes": nodes, "edges": out_edges,
        "evidence": [{"s": model.evidence[i][0], "a": articles.get(model.evidence[i][1] or "", -1)} for i in cited],
        "articles": [model.articles[a] for a in articles],
        "concepts": _concepts(model, ids),
    }


def _concepts(model: _Model, ids: dict[str, str]) -> list[dict]:
    """Drawn technologies and their broader concepts, so the page can filter by a broad field."""
    found, todo = set(), [i for i in ids if model.entities[i].type == "Technology"]
    while todo:
        iri = todo.pop()
        if iri not in found:
            found.add(iri)
            todo.extend(model.broader.get(iri, []))
    extra = {iri: f"c{i}" for i, iri in enumerate(sorted(found - ids.keys()))}
    cid = {**ids, **extra}
    return [{"id": cid[iri], "label": model.technologies.get(iri, [iri])[0],
             "broader": sorted(cid[b] for b in model.broader.get(iri, []) if b in cid)}
            for iri in sorted(found)]


def _cluster_layout(entities: list[_Entity], edges: list[_Edge], counts: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Fixed positions for big graphs in O(n log n): a disc per official, technologies around the whole.

    Force layouts are too slow at 20,000 nodes (networkx's spring layout takes
    minutes). Each official sits amid a sunflower disc of the organizations it
    visited most, the discs are packed in rows, and technologies ring the
    discs at the angle of the organizations working on them.
    """
    spacing, golden = 40.0, math.pi * (3 - math.sqrt(5))
    visits: dict[str, dict[str, int]] = defaultdict(dict)
    makers: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        if e.kind == "visited":
            visits[e.target][e.source] = max(len(e.visits), 1)
        else:
            makers[e.target].append(e.source)
    clusters: dict[str, list[str]] = {e.iri: [] for e in entities if e.type == "Official"}
    unvisited: list[str] = []
    for e in entities:
        if e.type not in ("Official", "Technology"):
            seen = visits.get(e.iri)
            (clusters[max(sorted(seen), key=seen.__getitem__)] if seen else unvisited).append(e.iri)
    groups = sorted([(hub, members) for hub, members in clusters.items()] + [("", unvisited)],
                    key=lambda g: (-len(g[1]), g[0]))
    sides = [2 * 0.6 * spacing * math.sqrt(len(m)) + 2 * spacing for _, m in groups]
    width = math.sqrt(sum(side * side for side in sides))
    positions: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for (hub, members), side in zip(groups, sides):
        if x and x + side > width:
            x, y, row = 0.0, y + row, 0.0
        cx, cy = x + side / 2, y + side / 2
        if hub:
            positions[hub] = (cx, cy)
        for j, iri in enumerate(sorted(members, key=lambda m: (-counts[m], m))):
            r = 0.6 * spacing * math.sqrt(j + 1)
            positions[iri] = (cx + r * math.cos(j * golden), cy + r * math.sin(j * golden))
        x, row = x + side, max(row, side)
    mid_x, mid_y = width / 2, (y + row) / 2
    positions = {iri: (px - mid_x, py - mid_y) for iri, (px, py) in positions.items()}

    def angle(tech: str) -> float:
        orgs = [positions[o] for o in makers.get(tech, []) if o in positions]
        return math.atan2(sum(p[1] for p in orgs), sum(p[0] for p in orgs)) % (2 * math.pi) if orgs else 7.0

    techs = sorted((e.iri for e in entities if e.type == "Technology"), key=lambda t: (angle(t), t))
    rows = max(1, math.ceil(math.sqrt(len(techs)) / 6))
    inner = max(math.hypot(mid_x, mid_y) + 3 * spacing, spacing * len(techs) / (rows * 2 * math.pi))
    for i, tech in enumerate(techs):
        a, r = 2 * math.pi * i / len(techs), inner + (i % rows) * spacing
        positions[tech] = (r * math.cos(a), r * math.sin(a))
    return {iri: (round(px), round(py)) for iri, (px, py) in positions.items()}


@functools.cache
def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _script_json(data: dict) -> str:
    """JSON that cannot end its <script> element or open markup: <, >, & and line separators escaped."""
    # Key order is fixed by construction; the data is a tree, so skip the cycle check.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    for char, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _page(title: str, payload: dict) -> str:
    """The whole page; the CSP lets only our two scripts run and forbids every request."""
    vis, app = _asset("vis-network.min.js"), _asset("app.js")
    for script in (vis, app):
        if "</script" in script.lower() or "<!--" in script:
            raise NewsgraphError("a render asset contains '</script' or '<!--' and cannot be inlined")
    csp = (f"default-src 'none'; script-src {_sha256(vis)} {_sha256(app)}; style-src 'unsafe-inline'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    parts = {"csp": csp, "title": html.escape(title), "style": _asset("app.css"),
             "data": _script_json(payload), "vis": vis, "app": app}
    # One pass, so a placeholder inside the data is never expanded.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], _asset("page.html"))


def _write_atomic(out: Path, text: str) -> None:
    """Write next to ``out`` and rename over it: readers see the old page or the new one, never half."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a page is meant to be shared
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
