"""Serialisation, load and query timings on a synthetic graph shaped like docs/graph.md.

    .venv/bin/python benchmarks/bench_store.py [--triples 200000]

Prints a Markdown report (the source of benchmarks/RESULTS-store.md).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from newsgraph.export import write_trig, write_turtle
from newsgraph.namespaces import ID, NG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, bind_prefixes
from newsgraph.query import named_query, run_query
from newsgraph.store import load_graph, load_store

Quad = tuple[Node, Node, Node, Node]


def synthetic_quads(n_triples: int, seed: int = 0) -> list[Quad]:
    """About ``n_triples`` quads: officials, organizations, technologies, visits with evidence, one graph per article."""
    rng = random.Random(seed)
    reference = ID["graph/reference"]
    n_visits = max(1, n_triples * 10 // 195)  # about 19.5 distinct triples per visit
    officials = [ID[f"official/official-{i}"] for i in range(max(2, n_visits // 50))]
    orgs = [ID[f"org/org-{i}"] for i in range(max(2, n_visits // 10))]
    techs = [ID[f"tech/tech-{i}"] for i in range(60)]
    quads: list[Quad] = []

    def add(s: Node, p: Node, o: Node, g: Node = reference) -> None:
        quads.append((s, p, o, g))

    for i, tech in enumerate(techs):
        add(tech, RDF.type, NG.Technology)
        add(tech, RDF.type, SKOS.Concept)
        add(tech, SKOS.prefLabel, Literal(f"technology {i}", lang="en"))
        add(tech, RDFS.label, Literal(f"technology {i}", lang="en"))
        if i >= 6:
            add(tech, SKOS.broader, techs[i // 6 - 1])
    for i, official in enumerate(officials):
        add(official, RDF.type, NG.Official)
        add(official, RDFS.label, Literal(f"Official {i}", lang="en"))
        add(official, SKOS.altLabel, Literal(f'Premier "Official" {i}', lang="en"))
    for i, org in enumerate(orgs):
        add(org, RDF.type, NG.Organization)
        add(org, RDF.type, NG.Company)
        add(org, RDFS.label, Literal(f"Organization {i}", lang="en"))
        add(org, NG.worksOn, rng.choice(techs))
    for i in range(n_visits):
        article = ID[f"article/article-{i // 3}"]
        official, org = rng.choice(officials), rng.choice(orgs)
        day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        visit = ID[f"visit/{official.rsplit('/', 1)[1]}--{org.rsplit('/', 1)[1]}--{day}"]
        evidence = ID[f"evidence/{i:08x}"]
        add(article, RDF.type, NG.Article)
        add(article, SCHEMA.headline, Literal(f"Headline of article {i // 3}\nwith a second line"))
        add(article, NG.sourceFile, Literal(f"article-{i // 3}.txt"))
        add(visit, RDF.type, NG.Visit, article)
        add(visit, NG.visitor, official, article)
        add(visit, NG.site, org, article)
        add(visit, NG.date, Literal(day, datatype=XSD.date), article)
        add(visit, PROV.wasDerivedFrom, article, article)
        add(visit, NG.evidence, evidence, article)
        add(visit, NG.supportCount, Literal(1), article)
        add(official, NG.visited, org, article)
        add(evidence, RDF.type, NG.Evidence, article)
        add(evidence, RDF.subject, official, article)
        add(evidence, RDF.predicate, NG.visited, article)
        add(evidence, RDF.object, org, article)
        add(evidence, PROV.wasDerivedFrom, article, article)
        add(evidence, NG.sentence, Literal(f"Official {i} then went to \"Organization\" {i}, café ✓."), article)
        add(evidence, NG.charStart, Literal(10 * i), article)
        add(evidence, NG.charEnd, Literal(10 * i + 80), article)
        add(evidence, NG.rule, Literal("visit.went-to"), article)
        add(evidence, NG.confidence, Literal("0.9", datatype=XSD.decimal), article)
    return quads


def timed(run: Callable[[], object], repeat: int) -> tuple[str, object]:
    """Best wall and CPU seconds of ``repeat`` runs, as table cells, and the last run's result.

    CPU time is shown too: the machine is shared, and other processes stretch wall time.
    """
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return f"{wall:.3f} | {cpu:.3f}", result


def _ox_quads(quads: list[Quad]) -> list[ox.Quad]:
    def term(t: Node) -> ox.NamedNode | ox.Literal:
        if isinstance(t, URIRef):
            return ox.NamedNode(str(t))
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)) if t.datatype else None)

    return [ox.Quad(term(s), term(p), term(o), term(g)) for s, p, o, g in quads]


QUERIES = {
    "visits (named query)": lambda: named_query("visits", {"official": "Official 1"}),
    "most-visited (named query)": lambda: named_query("most-visited", {}),
    "works-on incl. narrower": lambda: named_query("works-on", {"technology": "technology 0"}),
}


def _inputs(quads: list[Quad]) -> tuple[Graph, Dataset, list[ox.Triple]]:
    """The same statements as an rdflib Graph, an rdflib Dataset and pyoxigraph triples, in ``quads`` order."""
    graph = bind_prefixes(Graph())
    for s, p, o, _ in quads:
        graph.add((s, p, o))
    dataset = bind_prefixes(Dataset())
    dataset.addN((s, p, o, dataset.graph(g)) for s, p, o, g in quads)
    ox_triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in _ox_quads(quads)))
    return graph, dataset, ox_triples


def _to_bytes(write: Callable[[object, io.BytesIO], None], source: object) -> bytes:
    buffer = io.BytesIO()
    write(source, buffer)
    return buffer.getvalue()


# name, function of (graph, dataset, pyoxigraph triples) -> bytes, repeats
SERIALISERS: list[tuple[str, Callable[[Graph, Dataset, list[ox.Triple]], bytes], int]] = [
    ("newsgraph write_turtle (rdflib Graph in)", lambda g, d, t: _to_bytes(write_turtle, g), 2),
    ("newsgraph write_turtle (pyoxigraph triples in, as from a file)", lambda g, d, t: _to_bytes(write_turtle, t), 2),
    ("pyoxigraph serialize, unsorted", lambda g, d, t: ox.serialize(t, format=ox.RdfFormat.TURTLE,
                                                                      prefixes={"ng": str(NG._NS), "id": str(ID)}), 2),
    ("rdflib turtle", lambda g, d, t: g.serialize(format="turtle", encoding="utf-8"), 1),
    ("rdflib longturtle", lambda g, d, t: g.serialize(format="longturtle", encoding="utf-8"), 1),
    ("newsgraph write_trig (rdflib Dataset in)", lambda g, d, t: _to_bytes(write_trig, d), 2),
    ("rdflib trig", lambda g, d, t: d.serialize(format="trig", encoding="utf-8"), 1),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=200_000)
    args = parser.parse_args()
    started = time.perf_counter()

    quads = synthetic_quads(args.triples)
    shuffled_quads = quads.copy()
    random.Random(1).shuffle(shuffled_quads)
    ordered, shuffled = _inputs(quads), _inputs(shuffled_quads)
    graph = ordered[0]

    print(f"# newsgraph store benchmark\n\n{len(graph)} distinct triples, {len(set(quads))} quads "
          f"in {len(set(q[3] for q in quads))} graphs.\n")
    print("## Serialisation to Turtle / TriG\n")
    print("Best of runs, seconds. Deterministic: same bytes when the statements are inserted in another order.\n")
    print("| method | deterministic | wall s | CPU s |\n|---|---|---|---|")
    outputs: dict[str, object] = {}
    for name, serialise, repeat in SERIALISERS:
        seconds, outputs[name] = timed(lambda: serialise(*ordered), repeat)
        deterministic = "yes" if serialise(*shuffled) == outputs[name] else "no"
        print(f"| {name} | {deterministic} | {seconds} |", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        ttl, trig = Path(tmp) / "graph.ttl", Path(tmp) / "graph.trig"
        ttl.write_bytes(outputs[SERIALISERS[0][0]])
        trig.write_bytes(outputs[SERIALISERS[5][0]])
        print(f"\ngraph.ttl {ttl.stat().st_size / 1e6:.1f} MB, graph.trig {trig.stat().st_size / 1e6:.1f} MB\n")
        print("## Load\n\n| method | wall s | CPU s |\n|---|---|---|")
        loads: list[tuple[str, Callable[[], object], int]] = [
            ("newsgraph load_store graph.ttl (pyoxigraph, memory)", lambda: load_store(ttl), 3),
            ("pyoxigraph Store.load graph.trig (no union copy)",
             lambda: ox.Store().load(path=trig, format=ox.RdfFormat.TRIG), 3),
            ("newsgraph load_graph graph.trig (rdflib Dataset via pyoxigraph parser)", lambda: load_graph(trig), 1),
            ("rdflib Graph.parse graph.ttl", lambda: Graph().parse(ttl), 1),
            ("newsgraph load_store graph.trig (pyoxigraph, memory, union copied to default graph)",
             lambda: load_store(trig), 3),
        ]
        loaded: dict[str, object] = {}
        for name, load, repeat in loads:
            seconds, loaded[name] = timed(load, repeat)
            print(f"| {name} | {seconds} |", flush=True)
        rdf_graph, store = loaded[loads[3][0]], loaded[loads[4][0]]

    print("\n## Queries\n\npyoxigraph: `run_query` on the `load_store` store of graph.trig; rdflib: `Graph.query` on "
          "the parsed graph.ttl. Same rows from both.\n")
    print("| query | rows | pyoxigraph wall s | CPU s | rdflib wall s | CPU s |\n|---|---|---|---|---|---|")
    for name, make in QUERIES.items():
        sparql = make()
        fast, result = timed(lambda: run_query(store, sparql), 3)
        slow, rdflib_rows = timed(lambda: len(list(rdf_graph.query(sparql))), 1)
        assert rdflib_rows == len(result.rows), f"{name}: rdflib and pyoxigraph disagree"
        print(f"| {name} | {len(result.rows)} | {fast} | {slow} |", flush=True)

    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    print(f"\n## Machine\n\n- `uname -a`: {uname}\n- `nproc`: {nproc}\n- Python {platform.python_version()}, "
          f"rdflib {rdflib.__version__}, pyoxigraph {ox.__version__}\n"
          f"- load average at the end (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n"
          f"- whole run: {time.perf_counter() - started:.0f} s\n"
          f"- command: `{' '.join(['.venv/bin/python', *sys.argv])}`")


if __name__ == "__main__":
    main()
