"""Articles in, graph files out: newsgraph.pipeline, over the fixture articles in tests/data/articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from newsgraph.documents import read_articles
from newsgraph.errors import InputError
from newsgraph.namespaces import ID, NG
from newsgraph.pipeline import build_graph, build_resolution, extract_articles
from newsgraph.rdf import to_dataset
from newsgraph.store import load_graph
from newsgraph.validate import validate_graph

PREFIXES = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
ARTICLE_KEYS = ("governor-okafor-brightwater", "mayor-chen-lanshan", "minister-vale-harborlight")
OUTPUT_FILES = ("graph.ttl", "graph.trig", "graph.html")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
# The IRIs of docs/graph.md: one named graph per article (named by its IRI) and one for the entities.
ENTITIES_GRAPH = URIRef(ID + "graph/entities")


def article_iri(key: str) -> URIRef:
    return URIRef(ID + "article/" + key)


def turtle(output: Path) -> Graph:
    return Graph().parse(output / "graph.ttl", format="turtle")


def snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    files = {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}
    return {name: path.read_bytes() for name, path in files.items() if name not in skip}


def bad_corpus(tmp_path: Path, articles_dir: Path, name: str, content: bytes) -> Path:
    """The fixture articles plus one broken file, in a fresh folder."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in articles_dir.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / name).write_bytes(content)
    return folder


# ---------------------------------------------------------------- the build

def test_pipeline_build_writes_turtle_trig_and_html(built_graph) -> None:
    output = built_graph.output
    assert built_graph.files == tuple(output / name for name in OUTPUT_FILES)
    assert all(path.stat().st_size > 0 for path in built_graph.files)
    # no staging leftovers; .newsgraph is the build cache
    assert sorted(p.name for p in output.iterdir() if p.name != ".newsgraph") == sorted(OUTPUT_FILES)
    assert (built_graph.articles, built_graph.visits) == (3, 3)
    assert built_graph.triples == len(turtle(output))
    html = (output / "graph.html").read_text(encoding="utf-8")
    assert "Lanshan Robotics" in html and "Chen Hua" in html


def test_pipeline_build_without_html(articles_dir: Path, build_dir: Path) -> None:
    result = build_graph([articles_dir], build_dir, html=False)
    assert [p.name for p in result.files] == ["graph.ttl", "graph.trig"]
    assert not (build_dir / "graph.html").exists()


def test_pipeline_sparql_finds_the_visit_with_date_and_evidence(built_graph) -> None:
    rows = list(turtle(built_graph.output).query(PREFIXES + """
        SELECT ?official ?org ?date ?sentence ?rule ?article WHERE {
          ?visit a ng:Visit ; ng:visitor ?o ; ng:site ?s ; ng:date ?date ;
                 prov:wasDerivedFrom ?article ; ng:evidence ?ev .
          ?o rdfs:label ?official . ?s rdfs:label ?org .
          ?o ng:visited ?s .
          ?ev rdf:subject ?o ; rdf:predicate ng:visited ; rdf:object ?s ; ng:sentence ?sentence ; ng:rule ?rule .
          FILTER(STR(?official) = "Chen Hua")
        } ORDER BY ?sentence"""))
    assert rows, "no visit by Chen Hua in the graph"
    assert {str(r.official) for r in rows} == {"Chen Hua"}
    assert len({r.org for r in rows}) == 1 and str(rows[0].org).startswith("Lanshan Robotics")
    assert {r.date for r in rows} == {Literal("2025-05-05", datatype=XSD_DATE)}
    assert all(r.date.datatype == XSD_DATE for r in rows)
    assert {r.article for r in rows} == {article_iri("mayor-chen-lanshan")}
    assert any("visited Lanshan Robotics Co., Ltd." in str(r.sentence) for r in rows)
    assert all(str(r.rule).startswith("visit.") for r in rows)


def test_pipeline_every_visit_has_an_official_a_site_and_a_date(built_graph) -> None:
    rows = list(turtle(built_graph.output).query(PREFIXES + """
        SELECT ?official ?org ?date WHERE {
          ?v a ng:Visit ; ng:visitor/rdfs:label ?official ; ng:site/rdfs:label ?org ; ng:date ?date .
        } ORDER BY ?official"""))
    # The canonical organization name may keep or drop a legal suffix ("Co., Ltd."); the start is fixed.
    assert [(str(r.official), str(r.date)) for r in rows] == [
        ("Ada Okafor", "2024-09-11"), ("Chen Hua", "2025-05-05"), ("Tomas Vale", "2024-03-02"),
    ]
    assert [str(r.org).startswith(start) for r, start in zip(
        rows, ["Brightwater Cells", "Lanshan Robotics", "Harborlight Photonics Research Institute"])] == [True] * 3


def test_pipeline_visited_pairs_and_visits_match(built_graph) -> None:
    graph = turtle(built_graph.output)
    orphans = graph.query(PREFIXES + """
        SELECT ?o ?s WHERE {
          { ?o ng:visited ?s FILTER NOT EXISTS { ?v a ng:Visit ; ng:visitor ?o ; ng:site ?s } }
          UNION
          { ?v a ng:Visit ; ng:visitor ?o ; ng:site ?s FILTER NOT EXISTS { ?o ng:visited ?s } }
        }""")
    assert list(orphans) == []
    assert len(set(graph.subject_objects(NG.visited))) == 3


def test_pipeline_planned_visit_is_not_a_fact(built_graph) -> None:
    # "Okafor is expected to visit Redfern Motors next spring." is rejected, not recorded.
    ask = turtle(built_graph.output).query(PREFIXES + """
        ASK { ?o ng:visited ?s . ?s rdfs:label ?name FILTER(CONTAINS(STR(?name), "Redfern")) }""")
    assert ask.askAnswer is False


def test_pipeline_evidence_offsets_point_into_the_article_text(built_graph, articles_dir: Path) -> None:
    texts = {article_iri(a.key): a.text for a in read_articles([articles_dir])}
    rows = list(turtle(built_graph.output).query(PREFIXES + """
        SELECT ?article ?start ?end ?sentence WHERE {
          ?ev a ng:Evidence ; prov:wasDerivedFrom ?article ; ng:charStart ?start ; ng:charEnd ?end ;
              ng:sentence ?sentence .
        }"""))
    assert len(rows) >= 4
    for row in rows:
        assert texts[row.article][int(row.start):int(row.end)] == str(row.sentence)


def test_pipeline_no_blank_nodes_and_stable_iris(built_graph) -> None:
    graph = turtle(built_graph.output)
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)
    assert (URIRef(ID + "official/chen-hua"), RDF.type, NG.Official) in graph
    orgs = [str(o) for o in graph.subjects(RDF.type, NG.Organization)]
    assert any(iri.startswith(ID + "org/lanshan-robotics") for iri in orgs), orgs


def test_pipeline_article_metadata(built_graph) -> None:
    rows = list(turtle(built_graph.output).query(PREFIXES + """
        PREFIX schema: <https://schema.org/>
        SELECT ?headline ?published ?publisher ?file WHERE {
          ?a a ng:Article ; ng:sourceFile ?file ; schema:headline ?headline ;
             schema:datePublished ?published ; schema:publisher ?publisher .
        }"""))
    assert [(str(r.headline), r.published, str(r.publisher), str(r.file)) for r in rows] == [
        ("Governor Okafor visits Brightwater Cells", Literal("2024-09-12", datatype=XSD_DATE),
         "newsgraph test fixture", "governor-okafor-brightwater.md"),
    ]


def test_pipeline_built_graph_passes_validation(built_graph) -> None:
    report = validate_graph(load_graph(built_graph.output))
    assert report.conforms, report.text
    assert validate_graph(turtle(built_graph.output)).conforms


def test_pipeline_trig_has_one_named_graph_per_article_and_the_entities_graph(built_graph) -> None:
    dataset = Dataset()
    dataset.parse(built_graph.output / "graph.trig", format="trig")
    named = {g.identifier: g for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier}
    assert set(named) == {article_iri(key) for key in ARTICLE_KEYS} | {ENTITIES_GRAPH}
    assert len(dataset.default_graph) == 0
    for key in ARTICLE_KEYS:
        assert (article_iri(key), RDF.type, NG.Article) in named[article_iri(key)]
    chen = URIRef(ID + "official/chen-hua")
    lanshan = next(turtle(built_graph.output).objects(chen, NG.visited))
    assert (chen, NG.visited, lanshan) in named[article_iri("mayor-chen-lanshan")]
    assert (chen, NG.visited, lanshan) not in named[article_iri("governor-okafor-brightwater")]
    assert (chen, RDF.type, NG.Official) in named[ENTITIES_GRAPH]
    # The union of the named graphs is exactly graph.ttl.
    union = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, turtle(built_graph.output))


# ---------------------------------------------------------------- each stage as a library call

def test_pipeline_stages_compose_to_the_written_graph(built_graph, articles_dir: Path) -> None:
    extractions = extract_articles([articles_dir])
    assert [e.article.key for e in extractions] == list(ARTICLE_KEYS)
    chen = extractions[1]
    assert any(r.predicate == "visited" and r.subject.name == "Chen Hua"
               and r.object.name.startswith("Lanshan Robotics") for r in chen.relations)
    resolution = build_resolution([articles_dir])
    visits = sorted((v.official, v.organization, str(v.date)) for v in resolution.visits)
    assert [(official, date) for official, _org, date in visits] == [
        ("ada-okafor", "2024-09-11"), ("chen-hua", "2025-05-05"), ("tomas-vale", "2024-03-02"),
    ]
    assert visits[1][1].startswith("lanshan-robotics")
    union = Graph()
    for s, p, o, _g in to_dataset(resolution).quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, turtle(built_graph.output))


def test_pipeline_same_file_name_in_two_folders_gives_two_articles(articles_dir: Path, tmp_path: Path) -> None:
    source = (articles_dir / "mayor-chen-lanshan.txt").read_bytes()
    for folder in ("first", "second"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "report.txt").write_bytes(source)
    result = build_graph([tmp_path / "in"], tmp_path / "out", html=False)
    dataset = Dataset()
    dataset.parse(result.output / "graph.trig", format="trig")
    named = {g.identifier for g in dataset.graphs() if len(g)}
    assert named == {article_iri("report"), article_iri("report-2"), ENTITIES_GRAPH}
    # The same visit told twice is one visit with two sources.
    rows = list(turtle(result.output).query(PREFIXES + """
        SELECT ?v (COUNT(DISTINCT ?a) AS ?n) ?support WHERE {
          ?v a ng:Visit ; prov:wasDerivedFrom ?a ; ng:supportCount ?support } GROUP BY ?v ?support"""))
    assert [(int(r.n), int(r.support)) for r in rows] == [(2, 2)]


def test_pipeline_full_name_is_not_resolved_to_another_official_by_title(tmp_path: Path) -> None:
    (tmp_path / "chen.txt").write_text(
        "Mayor Chen Hua tours Lanshan Robotics\n\n"
        "On 5 May 2025, Mayor Chen Hua visited Lanshan Robotics Co., Ltd. in Hefei.\n", encoding="utf-8")
    resolution = build_resolution([tmp_path])
    assert {e.label for e in resolution.entities if e.kind == "official"} == {"Chen Hua"}
    assert len(resolution.visits) == 1


# ---------------------------------------------------------------- determinism

def test_pipeline_two_builds_are_byte_identical(articles_dir: Path, tmp_path: Path) -> None:
    first = build_graph([articles_dir], tmp_path / "one" / "graph")
    second = build_graph([articles_dir], tmp_path / "two" / "graph")
    for name in OUTPUT_FILES:
        assert (first.output / name).read_bytes() == (second.output / name).read_bytes(), name


def test_pipeline_rebuild_over_an_existing_output_is_identical(built_graph, articles_dir: Path,
                                                              tmp_path: Path) -> None:
    output = tmp_path / "graph"
    build_graph([articles_dir], output)
    before = snapshot(output, skip=(".newsgraph/state.bin",))   # it notes when the graph files were written
    build_graph([articles_dir], output)
    assert snapshot(output, skip=(".newsgraph/state.bin",)) == before
    assert (output / "graph.ttl").read_bytes() == (built_graph.output / "graph.ttl").read_bytes()


# ---------------------------------------------------------------- bad input never damages a graph

@pytest.mark.parametrize(("name", "content", "problem"), [
    ("zz-empty.txt", b"", "empty file"),
    ("zz-latin1.txt", "Mayor Chén visited Lanshan Robotics.".encode("latin-1"), "not UTF-8"),
    ("zz-open.md", b"---\ntitle: never closed\nMayor Chen Hua visited Lanshan Robotics.\n", "no closing '---'"),
    ("zz-list.md", b"---\n- a\n- b\n---\nMayor Chen Hua visited Lanshan Robotics.\n", "YAML mapping"),
    ("zz-when.md", b"---\npublished: soon\n---\nMayor Chen Hua visited Lanshan Robotics.\n", "'published'"),
])
def test_pipeline_failing_build_leaves_existing_output_unchanged(articles_dir: Path, tmp_path: Path, name: str,
                                                                 content: bytes, problem: str) -> None:
    output = tmp_path / "graph"
    build_graph([articles_dir], output)
    before = snapshot(output)
    corpus = bad_corpus(tmp_path, articles_dir, name, content)
    with pytest.raises(InputError) as info:
        build_graph([corpus], output)
    assert name in str(info.value) and problem in str(info.value)
    assert snapshot(output) == before
    assert sorted(p.name for p in output.iterdir() if p.name != ".newsgraph") == sorted(OUTPUT_FILES)


def test_pipeline_failing_build_creates_no_output_folder(articles_dir: Path, tmp_path: Path) -> None:
    corpus = bad_corpus(tmp_path, articles_dir, "zz-empty.txt", b"")
    with pytest.raises(InputError, match="zz-empty.txt: empty file"):
        build_graph([corpus], tmp_path / "never")
    assert not (tmp_path / "never").exists()


def test_pipeline_folder_without_articles(tmp_path: Path, build_dir: Path) -> None:
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="no articles found"):
        build_graph([tmp_path], build_dir)
    assert not build_dir.exists()


def test_pipeline_output_that_is_a_file(articles_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"keep me")
    with pytest.raises(InputError, match="exists and is not a folder"):
        build_graph([articles_dir], target)
    assert target.read_bytes() == b"keep me"
