"""Every command of the ``newsgraph`` CLI through click's CliRunner: newsgraph.cli."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from newsgraph.cli import cli
from newsgraph.namespaces import ID, NG
from newsgraph.query import list_named_queries

CHEN = ID + "official/chen-hua"


def ok(result: Result) -> Result:
    assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}\n{result.exception!r}"
    return result


def one_line_error(result: Result, *fragments: str) -> str:
    """Exit 2, one 'Error: ...' line on stderr holding each fragment, nothing on stdout, no traceback."""
    assert result.exit_code == 2, f"exit {result.exit_code}: {result.output}"
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def union(dataset: Dataset) -> Graph:
    graph = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


@pytest.fixture(scope="module")
def graph_ttl(built_graph) -> Graph:
    return Graph().parse(built_graph.output / "graph.ttl", format="turtle")


# ---------------------------------------------------------------- build

def test_cli_build_reports_counts_and_files(runner: CliRunner, articles_dir: Path, build_dir: Path) -> None:
    result = ok(runner.invoke(cli, ["build", str(articles_dir), "--output", str(build_dir)]))
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"3 articles \(3 read now\), 3 visits, \d+ worksOn facts, \d+ entities, \d+ triples",
                        lines[0]), lines[0]
    assert lines[1:] == [f"wrote {build_dir / name}" for name in ("graph.ttl", "graph.trig", "graph.html")]
    assert all((build_dir / name).is_file() for name in ("graph.ttl", "graph.trig", "graph.html"))


def test_cli_build_no_html(runner: CliRunner, articles_dir: Path, build_dir: Path) -> None:
    ok(runner.invoke(cli, ["build", str(articles_dir), "-o", str(build_dir), "--no-html"]))
    assert sorted(p.name for p in build_dir.iterdir() if p.name != ".newsgraph") == ["graph.trig", "graph.ttl"]


def test_cli_build_bad_article_keeps_existing_graph(runner: CliRunner, articles_dir: Path, build_dir: Path,
                                                    tmp_path: Path) -> None:
    ok(runner.invoke(cli, ["build", str(articles_dir), "-o", str(build_dir)]))
    before = {p.name: p.read_bytes() for p in build_dir.iterdir() if p.is_file()}
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: never closed\nMayor Chen Hua visited Lanshan Robotics.\n", encoding="utf-8")
    result = runner.invoke(cli, ["build", str(articles_dir), str(bad), "-o", str(build_dir)])
    one_line_error(result, "bad.md", "no closing '---'")
    assert {p.name: p.read_bytes() for p in build_dir.iterdir() if p.is_file()} == before


# ---------------------------------------------------------------- query

def test_cli_query_table(runner: CliRunner, built_graph) -> None:
    result = ok(runner.invoke(cli, ["query", str(built_graph.output),
                                    "SELECT ?name WHERE { ?o a ng:Official ; rdfs:label ?name } ORDER BY ?name"]))
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "name"
    assert [line.strip() for line in lines[2:5]] == ["Ada Okafor", "Chen Hua", "Tomas Vale"]
    assert lines[-1] == "(3 rows)"


def test_cli_query_csv(runner: CliRunner, built_graph) -> None:
    result = ok(runner.invoke(cli, ["query", str(built_graph.output), "--format", "csv",
                                    "SELECT ?o ?s WHERE { ?o ng:visited ?s } ORDER BY ?o"]))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["o"] for row in rows] == [ID + "official/ada-okafor", CHEN, ID + "official/tomas-vale"]
    assert all(row["s"].startswith(ID + "org/") for row in rows)


def test_cli_query_json(runner: CliRunner, built_graph) -> None:
    result = ok(runner.invoke(cli, ["query", str(built_graph.output), "--format", "json",
                                    "SELECT ?date WHERE { ?v ng:visitor <%s> ; ng:date ?date }" % CHEN]))
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["date"]
    [binding] = data["results"]["bindings"]
    assert binding["date"] == {"type": "literal", "value": "2025-05-05",
                               "datatype": "http://www.w3.org/2001/XMLSchema#date"}


def test_cli_query_ask_and_construct(runner: CliRunner, built_graph, graph_ttl: Graph) -> None:
    result = ok(runner.invoke(cli, ["query", str(built_graph.output), f"ASK {{ <{CHEN}> ng:visited ?s }}"]))
    assert result.stdout.strip() == "true"
    result = ok(runner.invoke(cli, ["query", str(built_graph.output), "--format", "nt",
                                    "CONSTRUCT { ?o ng:visited ?s } WHERE { ?o ng:visited ?s }"]))
    constructed = Graph().parse(data=result.stdout, format="nt")
    assert set(constructed) == set(graph_ttl.triples((None, NG.visited, None)))


def test_cli_query_named_with_param(runner: CliRunner, built_graph) -> None:
    result = ok(runner.invoke(cli, ["query", str(built_graph.output), "--named", "visits",
                                    "--param", "official=chen hua", "--format", "csv"]))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1
    assert rows[0]["officialName"] == "Chen Hua" and rows[0]["date"] == "2025-05-05"
    assert rows[0]["orgName"].startswith("Lanshan Robotics")


def test_cli_query_file(runner: CliRunner, built_graph, tmp_path: Path) -> None:
    query = tmp_path / "officials.rq"
    query.write_text("SELECT (COUNT(?o) AS ?n) WHERE { ?o a ng:Official }\n", encoding="utf-8")
    result = ok(runner.invoke(cli, ["query", str(built_graph.output), "--file", str(query), "--format", "csv"]))
    assert result.stdout.splitlines() == ["n", "3"]


def test_cli_query_list(runner: CliRunner, built_graph) -> None:
    result = ok(runner.invoke(cli, ["query", str(built_graph.output), "--list"]))
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == [q.name for q in list_named_queries()]
    assert "visits" in names
    assert "[params: official, org, from, to]" in result.stdout


def test_cli_query_malformed_sparql(runner: CliRunner, built_graph) -> None:
    result = runner.invoke(cli, ["query", str(built_graph.output), "SELECT ?x WHERE { ?x ng:visited }"])
    one_line_error(result, "SPARQL syntax error")


def test_cli_query_malformed_sparql_file_is_named(runner: CliRunner, built_graph, tmp_path: Path) -> None:
    query = tmp_path / "broken.rq"
    query.write_text("SELEKT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    result = runner.invoke(cli, ["query", str(built_graph.output), "--file", str(query)])
    one_line_error(result, "broken.rq", "SPARQL syntax error")


@pytest.mark.parametrize(("args", "fragment"), [
    (["--named", "no-such-query"], "no-such-query"),
    (["--named", "visits", "--param", "nosuch=1"], "nosuch"),
    (["--named", "visits", "--param", "official"], "KEY=VALUE"),
    (["--named", "visits", "--format", "xml"], "xml"),
    ([], "exactly one"),
])
def test_cli_query_usage_errors(runner: CliRunner, built_graph, args: list[str], fragment: str) -> None:
    one_line_error(runner.invoke(cli, ["query", str(built_graph.output), *args]), fragment)


# ---------------------------------------------------------------- export

@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt")])
def test_cli_export_triples_parse_back(runner: CliRunner, built_graph, graph_ttl: Graph, fmt: str,
                                       rdflib_format: str) -> None:
    result = ok(runner.invoke(cli, ["export", str(built_graph.output), "--format", fmt]))
    assert isomorphic(Graph().parse(data=result.stdout_bytes, format=rdflib_format), graph_ttl)


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("trig", "trig"), ("nq", "nquads"), ("jsonld", "json-ld")])
def test_cli_export_quads_parse_back(runner: CliRunner, built_graph, graph_ttl: Graph, fmt: str,
                                     rdflib_format: str) -> None:
    result = ok(runner.invoke(cli, ["export", str(built_graph.output), "--format", fmt]))
    dataset = Dataset()
    dataset.parse(data=result.stdout_bytes, format=rdflib_format)
    assert isomorphic(union(dataset), graph_ttl)
    named = {g.identifier for g in dataset.graphs() if len(g)}
    assert URIRef(ID + "article/mayor-chen-lanshan") in named


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_cli_export_network_formats(runner: CliRunner, built_graph, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    result = ok(runner.invoke(cli, ["export", str(built_graph.output), "--format", fmt, "-o", str(out)]))
    assert f"wrote {out}" in result.stderr
    network = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert CHEN in network.nodes
    assert any(CHEN == u for u, _v in network.edges)


@pytest.mark.parametrize("to_file", [True, False])
def test_cli_export_unknown_format(runner: CliRunner, built_graph, tmp_path: Path, to_file: bool) -> None:
    out = ["-o", str(tmp_path / "graph.xml")] if to_file else []
    result = runner.invoke(cli, ["export", str(built_graph.output), "--format", "xml", *out])
    one_line_error(result, "unknown export format 'xml'", "ttl, trig")
    assert list(tmp_path.iterdir()) == []   # neither the target nor a temporary file is left


# ---------------------------------------------------------------- render

def test_cli_render_writes_self_contained_html(runner: CliRunner, built_graph, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    result = ok(runner.invoke(cli, ["render", str(built_graph.output), "-o", str(out)]))
    assert re.fullmatch(rf"wrote {re.escape(str(out))} \(\d+ nodes, \d+ edges\)\n", result.stdout)
    text = out.read_text(encoding="utf-8")
    assert "Chen Hua" in text
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", text, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//|@import""", text, re.I)


def test_cli_render_focus_and_construct(runner: CliRunner, built_graph, tmp_path: Path) -> None:
    focus = ok(runner.invoke(cli, ["render", str(built_graph.output), "--focus", "Chen Hua", "--hops", "1",
                                   "-o", str(tmp_path / "focus.html")]))
    everything = ok(runner.invoke(cli, ["render", str(built_graph.output), "-o", str(tmp_path / "all.html")]))
    nodes = [int(re.search(r"\((\d+) nodes", r.stdout).group(1)) for r in (focus, everything)]
    assert 0 < nodes[0] < nodes[1]
    construct = "CONSTRUCT { ?o ng:visited ?s } WHERE { ?o ng:visited ?s }"
    ok(runner.invoke(cli, ["render", str(built_graph.output), "--query", construct, "-o", str(tmp_path / "c.html")]))
    assert (tmp_path / "c.html").is_file()


def test_cli_render_select_query_is_an_error(runner: CliRunner, built_graph, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["render", str(built_graph.output), "--query", "SELECT * WHERE { ?s ?p ?o }",
                                 "-o", str(tmp_path / "x.html")])
    one_line_error(result, "CONSTRUCT")
    assert not (tmp_path / "x.html").exists()


# ---------------------------------------------------------------- validate

def test_cli_validate_built_graph(runner: CliRunner, built_graph) -> None:
    result = ok(runner.invoke(cli, ["validate", str(built_graph.output)]))
    assert "Conforms" in result.stdout


def test_cli_validate_visit_without_site(runner: CliRunner, graph_ttl: Graph, tmp_path: Path) -> None:
    broken = Graph()
    for triple in graph_ttl:
        broken.add(triple)
    visit = next(broken.subjects(NG.visitor, URIRef(CHEN)))
    broken.remove((visit, NG.site, None))
    path = tmp_path / "broken.ttl"
    broken.serialize(path, format="turtle")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert any(str(visit) in line and "ng:site" in line for line in result.stdout.splitlines()), result.stdout


# ---------------------------------------------------------------- explain

def test_cli_explain_lists_facts_rules_sentences(runner: CliRunner, articles_dir: Path) -> None:
    result = ok(runner.invoke(cli, ["explain", str(articles_dir / "mayor-chen-lanshan.txt")]))
    text = result.stdout
    assert text.startswith("# mayor-chen-lanshan.txt — Lanshan Robotics shows its welding line to the mayor\n")
    facts = text.split("## Facts\n", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"^- Chen Hua visited Lanshan Robotics.* on 2025-05-05$", facts, re.M)
    assert re.search(r"^    rule visit\.\S+, confidence 0\.\d\d, chars \d+-\d+$", facts, re.M)
    assert '"On 5 May 2025, Mayor Chen Hua visited Lanshan Robotics Co., Ltd. in Hefei."' in facts
    assert "\n## Mentions\n" in text and "\n## Rejected\n" in text


def test_cli_explain_rejected_section(runner: CliRunner, articles_dir: Path) -> None:
    result = ok(runner.invoke(cli, ["explain", str(articles_dir / "governor-okafor-brightwater.md")]))
    rejected = result.stdout.split("## Rejected\n", 1)[1]
    # "Okafor is expected to visit Redfern Motors next spring." is a plan, not a visit.
    assert re.search(r"^- Ada Okafor \S+ Redfern Motors: .+ \[visit\.\S+, chars \d+-\d+\]$", rejected, re.M), rejected
    facts = result.stdout.split("## Facts\n", 1)[1].split("\n## ", 1)[0]
    assert "Redfern" not in facts


def test_cli_explain_bad_article(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Mayor Chén visited Lanshan Robotics.".encode("latin-1"))
    one_line_error(runner.invoke(cli, ["explain", str(path)]), "latin1.txt", "not UTF-8")


# ---------------------------------------------------------------- missing input, every command

@pytest.mark.parametrize("args", [
    ["build", "{missing}", "-o", "{tmp}/out"],
    ["query", "{missing}", "SELECT * WHERE { ?s ?p ?o }"],
    ["export", "{missing}", "--format", "nt"],
    ["render", "{missing}", "-o", "{tmp}/out.html"],
    ["validate", "{missing}"],
    ["explain", "{missing}"],
])
def test_cli_missing_input_is_one_line_exit_2(runner: CliRunner, tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "missing.txt"
    argv = [a.replace("{missing}", str(missing)).replace("{tmp}", str(tmp_path)) for a in args]
    one_line_error(runner.invoke(cli, argv), "missing.txt")
    assert list(tmp_path.iterdir()) == []   # nothing half-written


# ---------------------------------------------------------------- unreadable graphs, every command that reads one

@pytest.mark.parametrize(("name", "content", "problem"), [
    ("broken.ttl", b"<https://example.org/a> <https://example.org/b> .\n", "line 1"),
    ("latin1.nt", "<https://example.org/caf\u00e9> <https://example.org/b> <https://example.org/c> .\n"
                  .encode("latin-1"), "UTF-8"),
    ("graph.xml", b"<rdf:RDF/>", "unknown graph file type"),
])
@pytest.mark.parametrize("command", [
    ["query", "{graph}", "ASK { ?s ?p ?o }"],
    ["export", "{graph}", "--format", "nt", "-o", "{tmp}/out.nt"],
    ["render", "{graph}", "-o", "{tmp}/out.html"],
    ["validate", "{graph}"],
])
def test_cli_unreadable_graph_is_one_line_exit_2(runner: CliRunner, tmp_path: Path, name: str, content: bytes,
                                                 problem: str, command: list[str]) -> None:
    graph = tmp_path / "in" / name
    graph.parent.mkdir()
    graph.write_bytes(content)
    argv = [a.replace("{graph}", str(graph)).replace("{tmp}", str(tmp_path)) for a in command]
    one_line_error(runner.invoke(cli, argv), name, problem)
    assert [p.name for p in tmp_path.iterdir()] == ["in"]   # no output file, complete or partial


# ---------------------------------------------------------------- unwritable outputs: an answer, never a traceback

@pytest.mark.parametrize("command", [
    pytest.param(["render", "{graph}", "-o", "{tmp}/new/view.html"], id="render"),
    pytest.param(["export", "{graph}", "--format", "nt", "-o", "{tmp}/new/graph.nt"], id="export"),
    pytest.param(["build", "{articles}", "-o", "{tmp}/file.txt/graph"], id="build"),
])
def test_cli_output_in_a_missing_or_impossible_folder(runner: CliRunner, built_graph, articles_dir: Path,
                                                      tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "file.txt").write_text("not a folder", encoding="utf-8")
    argv = [a.replace("{graph}", str(built_graph.output)).replace("{articles}", str(articles_dir))
            .replace("{tmp}", str(tmp_path)) for a in command]
    result = runner.invoke(cli, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 0:
        assert Path(argv[-1]).exists()
    else:
        one_line_error(result)


# ---------------------------------------------------------------- entry points

def test_cli_help_lists_every_command(runner: CliRunner) -> None:
    result = ok(runner.invoke(cli, ["--help"]))
    for name in cli.commands:
        assert re.search(rf"^\s+{name}\s", result.stdout, re.M), name


def test_cli_python_dash_m(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "newsgraph", "--help"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Usage: newsgraph" in done.stdout or "Usage: python -m newsgraph" in done.stdout
    assert "build" in done.stdout
