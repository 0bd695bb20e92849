"""How fast the HTML explorer is on big graphs (issue 5).

Measures, on a synthetic graph shaped like docs/graph.md (officials, typed
organizations, a two-level technology tree, visits and worksOn with evidence
sentences and articles):

- the time ``render_html`` takes for 20,000 nodes (target: 2 s or less);
- time to interactive in headless Chromium for 5,000 nodes (target 5 s) and
  20,000 nodes (target 15 s): from navigation start until the page has
  drawn and set ``window.newsgraph.ready``.

    .venv/bin/python benchmarks/bench_render.py            # all of it
    .venv/bin/python benchmarks/bench_render.py --sizes 5000 --no-browser
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from newsgraph.namespaces import NG, PROV, RDF, RDFS, SCHEMA, SKOS, entity_iri
from newsgraph.render import render_html

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ORG_TYPES = [NG.Company, NG.Company, NG.Company, NG.ResearchInstitute, NG.University, NG.GovernmentBody,
             NG.IndustrialZone]


def synthetic_graph(nodes: int, seed: int = 5) -> Graph:
    """A graph with ``nodes`` drawable nodes: 2% officials, 10% technologies, the rest organizations.

    Organizations get one or two visits (busy officials get more) and one or
    two technologies, each fact with an ng:Evidence sentence and an article.
    """
    rng = random.Random(seed)
    g = Graph()
    officials = [entity_iri("official", f"official-{i}") for i in range(max(1, nodes // 50))]
    techs = [entity_iri("technology", f"tech-{i}") for i in range(max(1, nodes // 10))]
    orgs = [entity_iri("organization", f"org-{i}") for i in range(nodes - len(officials) - len(techs))]
    articles = [entity_iri("article", f"article-{i}") for i in range(max(1, nodes // 20))]
    roots = techs[: max(1, len(techs) // 10)]
    for i, o in enumerate(officials):
        g.add((o, RDF.type, NG.Official))
        g.add((o, RDFS.label, Literal(f"Official {i}", lang="en")))
    for i, t in enumerate(techs):
        g.add((t, RDF.type, NG.Technology))
        g.add((t, RDF.type, SKOS.Concept))
        g.add((t, SKOS.prefLabel, Literal(f"technology {i}", lang="en")))
        if t not in roots:
            g.add((t, SKOS.broader, rng.choice(roots)))
    for i, a in enumerate(articles):
        g.add((a, RDF.type, NG.Article))
        g.add((a, SCHEMA.headline, Literal(f"Official tours firms, report {i}")))
        g.add((a, SCHEMA.url, Literal(f"https://news.example/{i}.html", datatype=XSD.anyURI)))
        g.add((a, NG.sourceFile, Literal(f"article-{i}.txt")))
    fact = 0

    def evidence(s, p, o, article, text: str) -> object:
        nonlocal fact
        fact += 1
        e = entity_iri("evidence", f"e{fact}")
        for triple in ((e, RDF.type, NG.Evidence), (e, RDF.subject, s), (e, RDF.predicate, p), (e, RDF.object, o),
                       (e, PROV.wasDerivedFrom, article), (e, NG.sentence, Literal(text))):
            g.add(triple)
        return e

    for i, org in enumerate(orgs):
        g.add((org, RDF.type, NG.Organization))
        g.add((org, RDF.type, rng.choice(ORG_TYPES)))
        g.add((org, RDFS.label, Literal(f"Organization {i}", lang="en")))
        g.add((org, SKOS.altLabel, Literal(f"Org {i} Ltd", lang="en")))
        for _ in range(rng.choice((1, 1, 2))):
            official = officials[min(int(rng.expovariate(4 / len(officials))), len(officials) - 1)]
            day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            article = rng.choice(articles)
            visit = entity_iri("visit", f"official-{officials.index(official)}--org-{i}--{day}")
            g.add((official, NG.visited, org))
            for triple in ((visit, RDF.type, NG.Visit), (visit, NG.visitor, official), (visit, NG.site, org),
                           (visit, NG.date, Literal(day, datatype=XSD.date)), (visit, PROV.wasDerivedFrom, article),
                           (visit, NG.supportCount, Literal(1)),
                           (visit, NG.evidence, evidence(official, NG.visited, org, article,
                                                         f"Official {officials.index(official)} visited "
                                                         f"Organization {i} to learn about its work."))):
                g.add(triple)
        for tech in rng.sample(techs, rng.choice((1, 2))):
            g.add((org, NG.worksOn, tech))
            evidence(org, NG.worksOn, tech, rng.choice(articles), f"Organization {i} showed its latest products.")
    return g


def time_render(graph: Graph, out: Path, repeat: int = 5) -> tuple[float, float, float]:
    """Best and median wall seconds, and median CPU seconds, of render_html (graph already in memory).

    This machine is shared, so wall time grows with other processes' load:
    the best of several runs is the closest to the code's own cost.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        render_html(graph, out)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), statistics.median(wall), statistics.median(cpu)


def time_to_interactive(page_path: Path, repeat: int = 3) -> float:
    """Median seconds from navigation start until the page has drawn and set ``window.newsgraph.ready``."""
    from playwright.sync_api import sync_playwright

    chromium = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(page_path.as_uri(), timeout=120_000)
            page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
            times.append(page.evaluate("window.newsgraph.readyAt") / 1000)
            page.close()
        browser.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--no-browser", action="store_true", help="only time the HTML generation")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.platform()}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            start = time.perf_counter()
            graph = synthetic_graph(size)
            built = time.perf_counter() - start
            out = Path(tmp) / f"graph-{size}.html"
            best, median, cpu = time_render(graph, out)
            summary = render_html(graph, out)
            line = (f"{size:>6} nodes, {summary.edges} edges, {len(graph)} triples (built in {built:.1f} s): "
                    f"render_html best {best:.2f} s, median {median:.2f} s wall / {cpu:.2f} s CPU, "
                    f"{out.stat().st_size / 1e6:.1f} MB, physics={summary.physics}")
            if not args.no_browser:
                line += f", time to interactive {time_to_interactive(out):.2f} s"
            print(line, flush=True)


if __name__ == "__main__":
    main()
