"""The ``newsgraph`` command: a thin layer over the library.

Each command parses its options, calls one library function and prints the
result. Library errors (:class:`~newsgraph.errors.NewsgraphError`) become a
one-line message and exit code 2; ``validate`` exits 1 when the graph has
violations.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from newsgraph.errors import NewsgraphError

__all__ = ["main", "cli"]


class _Group(click.Group):
    """Turns library errors into one line on stderr and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except NewsgraphError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=_Group)
@click.version_option(package_name="newsgraph")
def cli() -> None:
    """Turn news reports of officials' visits to companies and institutes into a knowledge graph."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("graphs/graph"), show_default=True,
              help="Folder for graph.ttl, graph.trig and graph.html.")
@click.option("--reference", "reference_files", multiple=True, type=click.Path(path_type=Path),
              help="Extra reference YAML (officials, organizations, technologies); may repeat.")
@click.option("--curation", type=click.Path(path_type=Path),
              help="Curation YAML (merge, correct, reject, accept) applied on every build.")
@click.option("--no-html", is_flag=True, help="Skip graph.html.")
@click.option("--fresh", is_flag=True, help="Ignore the graph already in the output folder and start anew.")
def build(inputs: tuple[Path, ...], output: Path, reference_files: tuple[Path, ...], curation: Path | None,
          no_html: bool, fresh: bool) -> None:
    """Build a graph from article files and folders (.txt, .md), or add them to the graph in --output.

    Articles the graph already holds (same name, same content) are not read
    again; a changed article replaces its old version. Adding articles whose
    file names sort after those in the graph (names that start with the date)
    is fastest: resolution goes on from where the last build stopped.

    \b
    Example:
        newsgraph build examples/articles --output graphs/example
    """
    from newsgraph.pipeline import build_graph

    _report(build_graph(inputs, output, reference_files=reference_files, html=not no_html, curation=curation,
                        fresh=fresh))


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The build folder.")
@click.option("--reference", "reference_files", multiple=True, type=click.Path(path_type=Path),
              help="Extra reference YAML, as given to build; may repeat.")
@click.option("--curation", type=click.Path(path_type=Path), help="Curation YAML, as given to build.")
@click.option("--no-html", is_flag=True, help="Skip graph.html.")
def remove(articles: tuple[str, ...], output: Path, reference_files: tuple[Path, ...], curation: Path | None,
           no_html: bool) -> None:
    """Remove articles (file name or key) from a built graph; facts other articles support stay.

    \b
    Example:
        newsgraph remove li-qiang-beijing-wire.md --output graphs/example
    """
    from newsgraph.pipeline import remove_articles

    _report(remove_articles(articles, output, reference_files=reference_files, html=not no_html, curation=curation))


def _report(result) -> None:
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    copied = f", {result.copied} copied from the last build" if result.copied else ""
    click.echo(f"{result.articles} articles ({result.extracted} read now{copied}), {result.visits} visits, "
               f"{result.works} worksOn facts, {result.entities} entities, {result.triples} triples")
    for path in result.files:
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(path_type=Path), help="Read the query from a .rq file.")
@click.option("-n", "--named", help="Run a named query (see --list).")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="Parameter of a named query.")
@click.option("--format", "fmt", default=None, help="table, csv, tsv or json (SELECT/ASK); ttl or nt (CONSTRUCT).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and their parameters.")
def query(graph: Path, sparql: str | None, query_file: Path | None, named: str | None, params: tuple[str, ...],
          fmt: str | None, list_queries: bool) -> None:
    """Run SPARQL on a graph file or build folder.

    \b
    Examples:
        newsgraph query graphs/example 'SELECT ?o ?org WHERE { ?o ng:visited ?org }'
        newsgraph query graphs/example --named most-visited
        newsgraph query graphs/example --named visits --param official="Li Qiang" --format csv
    """
    from newsgraph.errors import QueryError
    from newsgraph.query import format_result, list_named_queries, named_query, run_query
    from newsgraph.store import load_store

    if list_queries:
        for q in list_named_queries():
            params_text = ", ".join(p.name for p in q.params)
            click.echo(f"{q.name:18} {q.description}" + (f" [params: {params_text}]" if params_text else ""))
        return
    given = [x for x in (sparql, query_file, named) if x]
    if len(given) != 1:
        raise QueryError("give exactly one of a SPARQL string, --file Q.rq or --named NAME")
    if query_file:
        try:
            text, source = query_file.read_text(encoding="utf-8"), str(query_file)
        except OSError as exc:
            raise QueryError(f"{query_file}: cannot read ({exc.strerror})") from None
    elif named:
        text, source = named_query(named, _params(params)), named
    else:
        text, source = sparql, "query"  # type: ignore[assignment]
    result = run_query(load_store(graph), text, source=source)
    click.echo(format_result(result, fmt), nl=False)


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    from newsgraph.errors import QueryError

    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise QueryError(f"--param {pair!r}: expected KEY=VALUE")
        out[key.strip()] = value
    return out


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--format", "fmt", default="ttl", show_default=True,
              help="ttl, trig, nt, nq, jsonld, graphml or gexf.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
def export(graph: Path, fmt: str, output: Path | None) -> None:
    """Export a graph in another format.

    \b
    Example:
        newsgraph export graphs/example --format jsonld -o example.jsonld
    """
    from newsgraph.export import export_graph

    if output is None:
        export_graph(graph, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    with _atomic(output) as handle:
        export_graph(graph, fmt, handle)
    click.echo(f"wrote {output}", err=True)


class _atomic:
    """A binary file that replaces ``path`` only when fully written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.tmp")

    def __enter__(self):
        try:
            self.handle = self.tmp.open("wb")
        except OSError as exc:
            raise NewsgraphError(f"{self.path}: cannot write ({exc.strerror})") from None
        return self.handle

    def __exit__(self, exc_type, exc, tb) -> None:
        self.handle.close()
        if exc_type is None:
            self.tmp.replace(self.path)
        else:
            self.tmp.unlink(missing_ok=True)


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The HTML file to write.")
@click.option("--focus", help="Only this entity (any of its names) and its neighbourhood.")
@click.option("--hops", default=2, show_default=True, help="How far from --focus to draw.")
@click.option("--technology", help="Only organizations working on this technology (or a narrower one).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only visits on or after this date.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Only visits on or before this date.")
@click.option("--query", "construct", help="A SPARQL CONSTRUCT query whose result is drawn.")
def render(graph: Path, output: Path, focus: str | None, hops: int, technology: str | None,
           since: dt.datetime | None, until: dt.datetime | None, construct: str | None) -> None:
    """Draw a graph as an interactive HTML page that opens offline.

    \b
    Example:
        newsgraph render graphs/example --focus "Li Qiang" --hops 2 -o li-qiang.html
    """
    from newsgraph.errors import QueryError
    from newsgraph.query import run_query
    from newsgraph.render import render_html
    from newsgraph.store import TripleIndex, load_store, read_quads

    if construct:
        result = run_query(load_store(graph), construct, source="--query")
        if result.kind != "graph":
            raise QueryError("--query: expected a CONSTRUCT or DESCRIBE query")
        data = TripleIndex(result.triples)
    else:
        data = TripleIndex(read_quads(graph))
    summary = render_html(data, output, focus=focus, hops=hops, technology=technology,
                          since=since.date() if since else None, until=until.date() if until else None)
    click.echo(f"wrote {output} ({summary.nodes} nodes, {summary.edges} edges)")


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
def validate(graph: Path) -> None:
    """Check a graph against the SHACL shapes; exit 1 on violations.

    \b
    Example:
        newsgraph validate graphs/example
    """
    from newsgraph.store import load_graph
    from newsgraph.validate import validate_graph

    report = validate_graph(load_graph(graph))
    click.echo(report.text)
    if not report.conforms:
        sys.exit(1)


@cli.command()
@click.argument("article", type=click.Path(path_type=Path))
@click.option("--reference", "reference_files", multiple=True, type=click.Path(path_type=Path),
              help="Extra reference YAML; may repeat.")
def explain(article: Path, reference_files: tuple[Path, ...]) -> None:
    """Show every fact read from one article, its evidence and rule, and what rules rejected.

    \b
    Example:
        newsgraph explain examples/articles/li-qiang-beijing-cctv.txt
    """
    from newsgraph.explain import explain_article

    click.echo(explain_article(article, reference_files), nl=False)


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=0),
              help="How many organizations, officials and technologies to rank.")
def stats(graph: Path, top: int) -> None:
    """Count what a graph holds; rank the most visited organizations and most active officials.

    \b
    Example:
        newsgraph stats graphs/example --top 5
    """
    from newsgraph.stats import format_stats, graph_stats
    from newsgraph.store import load_store

    click.echo(format_stats(graph_stats(load_store(graph), top=top)), nl=False)


def main() -> None:
    cli(prog_name="newsgraph")
