"""SPARQL, result formats and named queries: newsgraph.query."""

from __future__ import annotations

import csv
import io
import json
import re

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph

from newsgraph.errors import QueryError
from newsgraph.namespaces import PREFIXES
from newsgraph.query import QueryResult, format_result, list_named_queries, named_query, run_query
from newsgraph.store import load_store

# Three articles about two officials' visits, shaped like docs/graph.md.
TRIG = """\
@prefix ng: <https://w3id.org/newsgraph/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix off: <https://w3id.org/newsgraph/id/official/> .
@prefix org: <https://w3id.org/newsgraph/id/org/> .
@prefix tech: <https://w3id.org/newsgraph/id/tech/> .
@prefix visit: <https://w3id.org/newsgraph/id/visit/> .
@prefix art: <https://w3id.org/newsgraph/id/article/> .
@prefix ev: <https://w3id.org/newsgraph/id/evidence/> .

<https://w3id.org/newsgraph/id/graph/reference> {
    off:li-qiang a ng:Official ; rdfs:label "Li Qiang"@en ; skos:altLabel "Premier Li Qiang"@en .
    off:yin-li a ng:Official ; rdfs:label "Yin Li"@en .
    org:baidu a ng:Organization, ng:Company ; rdfs:label "Baidu"@en ; skos:altLabel "Baidu Company"@en .
    org:naura a ng:Organization, ng:Company ; rdfs:label "NAURA"@en ; skos:altLabel "North Huachuang"@en .
    org:baai a ng:Organization, ng:ResearchInstitute ;
        rdfs:label "Beijing Academy of Artificial Intelligence"@en ; skos:altLabel "Zhiyuan \\"BAAI\\""@en .
    tech:artificial-intelligence a ng:Technology, skos:Concept ; skos:prefLabel "artificial intelligence"@en .
    tech:large-models a ng:Technology, skos:Concept ; skos:prefLabel "large models"@en ;
        rdfs:label "large models"@en ; skos:broader tech:artificial-intelligence .
    tech:semiconductor-equipment a ng:Technology, skos:Concept ; rdfs:label "semiconductor equipment"@en .
    art:d00 a ng:Article ; schema:headline "Li Qiang in Beijing" ; ng:sourceFile "d00.txt" .
    art:d01 a ng:Article ; schema:headline "Premier tours Baidu" ; ng:sourceFile "d01.txt" .
    art:d02 a ng:Article ; schema:headline "Yin Li at Baidu" ; ng:sourceFile "d02.txt" .
}

art:d00 {
    off:li-qiang ng:visited org:baidu, org:naura, org:baai .
    visit:li-qiang--baidu--2024-03-13 a ng:Visit ; ng:visitor off:li-qiang ; ng:site org:baidu ;
        ng:date "2024-03-13"^^xsd:date ; ng:siteDetail "Yizhuang office area"@en ;
        prov:wasDerivedFrom art:d00, art:d01 ; ng:evidence ev:e1 .
    visit:li-qiang--naura--2024-03-13 a ng:Visit ; ng:visitor off:li-qiang ; ng:site org:naura ;
        ng:date "2024-03-13"^^xsd:date ; prov:wasDerivedFrom art:d00 .
    visit:li-qiang--baai--2024-03-13 a ng:Visit ; ng:visitor off:li-qiang ; ng:site org:baai ;
        ng:date "2024-03-13"^^xsd:date ; prov:wasDerivedFrom art:d00 .
    org:baidu ng:worksOn tech:large-models .
    org:naura ng:worksOn tech:semiconductor-equipment .
    org:baai ng:worksOn tech:artificial-intelligence .
    ev:e1 a ng:Evidence ; rdf:subject off:li-qiang ; rdf:predicate ng:visited ; rdf:object org:baidu ;
        prov:wasDerivedFrom art:d00 ; ng:sentence "Li Qiang then went to \\"Baidu\\"." ;
        ng:rule "visit.went-to" ; ng:confidence 0.9 .
    ev:e3 a ng:Evidence ; rdf:subject org:baidu ; rdf:predicate ng:worksOn ; rdf:object tech:large-models ;
        prov:wasDerivedFrom art:d00 ; ng:sentence "Baidu showed its large models." ; ng:confidence 0.8 .
}

art:d01 {
    off:li-qiang ng:visited org:baidu .
    ev:e2 a ng:Evidence ; rdf:subject off:li-qiang ; rdf:predicate ng:visited ; rdf:object org:baidu ;
        prov:wasDerivedFrom art:d01 ; ng:sentence "The Premier toured Baidu." ; ng:confidence 0.7 .
}

art:d02 {
    off:yin-li ng:visited org:baidu .
    visit:yin-li--baidu--2024-05-20 a ng:Visit ; ng:visitor off:yin-li ; ng:site org:baidu ;
        ng:date "2024-05-20"^^xsd:date ; prov:wasDerivedFrom art:d02 .
}
"""

ID = "https://w3id.org/newsgraph/id/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    path = tmp_path_factory.mktemp("graph") / "graph.trig"
    path.write_text(TRIG, encoding="utf-8")
    return load_store(path.parent)


def _values(result: QueryResult, column: str) -> list[str]:
    index = result.variables.index(column)
    return [row[index].value if row[index] is not None else None for row in result.rows]


def _named(store: ox.Store, name: str, **params: str) -> QueryResult:
    return run_query(store, named_query(name, params), source=name)


# --- run_query -------------------------------------------------------------------------------


def test_query_select_sees_union_of_named_graphs_with_predeclared_prefixes(store: ox.Store) -> None:
    result = run_query(store, "SELECT ?name WHERE { ?o ng:visited id:org\\/baidu ; rdfs:label ?name } ORDER BY ?name")
    assert result.kind == "select"
    assert result.variables == ("name",)
    assert _values(result, "name") == ["Li Qiang", "Yin Li"]


def test_query_own_prefix_declaration_wins(store: ox.Store) -> None:
    sparql = "PREFIX ng: <http://example.org/other#> ASK { ?o ng:visited ?x }"
    assert run_query(store, sparql).boolean is False


def test_query_with_base_resolves_relative_iris(store: ox.Store) -> None:
    sparql = "BASE <https://w3id.org/newsgraph/id/> SELECT ?x WHERE { <official/yin-li> ng:visited ?x }"
    assert _values(run_query(store, sparql), "x") == [ID + "org/baidu"]


def test_query_ask(store: ox.Store) -> None:
    assert run_query(store, "ASK { ?o a ng:Official }") == QueryResult("ask", boolean=True)
    assert run_query(store, "ASK { ?o a ng:University }").boolean is False


def test_query_construct(store: ox.Store) -> None:
    result = run_query(store, "CONSTRUCT { ?o ng:visited ?x } WHERE { ?o ng:visited ?x }")
    assert result.kind == "graph"
    assert len(result.triples) == 4


def test_query_describe(store: ox.Store) -> None:
    result = run_query(store, "DESCRIBE id:org\\/naura")
    assert result.kind == "graph"
    assert {t.predicate.value.rsplit("#", 1)[-1] for t in result.triples} >= {"type", "label", "worksOn"}


def test_query_malformed_sparql_is_one_line_query_error(store: ox.Store) -> None:
    with pytest.raises(QueryError) as error:
        run_query(store, "SELECT ?x WHERE { ?x ng:visited }", source="bad.rq")
    message = str(error.value)
    assert re.match(r"bad\.rq: SPARQL syntax error at 1:\d+: expected ", message)
    assert "\n" not in message


def test_query_undeclared_unknown_prefix_is_query_error(store: ox.Store) -> None:
    with pytest.raises(QueryError, match="^query: SPARQL syntax error at 1:"):
        run_query(store, "SELECT ?x WHERE { ?x nope:visited ?y }")


# --- format_result ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def visits(store: ox.Store) -> QueryResult:
    return run_query(store, "SELECT ?o ?org ?d WHERE { ?v ng:visitor ?o ; ng:site ?org ; ng:date ?d } ORDER BY ?d ?org")


def test_format_table_aligned_prefixed_with_row_count(visits: QueryResult) -> None:
    lines = format_result(visits).splitlines()
    assert lines[0].split() == ["o", "org", "d"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split() == [_short(ID + "official/li-qiang"), _short(ID + "org/baai"), "2024-03-13"]
    assert lines[-1] == "(4 rows)"
    starts = {line.index(_short(ID + "org/")) for line in lines[2:-1]}
    assert starts == {lines[0].index("org")}


def _short(iri: str) -> str:
    """The prefixed name the table should show: the longest project namespace wins."""
    prefix, namespace = max(((p, str(ns)) for p, ns in PREFIXES.items() if iri.startswith(str(ns))),
                            key=lambda item: len(item[1]))
    return f"{prefix}:{iri[len(namespace):]}"


def test_format_table_one_row_and_unbound(store: ox.Store) -> None:
    result = run_query(store, "SELECT ?x ?y WHERE { BIND(1 AS ?x) }")
    assert format_result(result, "table").splitlines()[-2:] == ["1", "(1 row)"]


def test_format_csv_follows_sparql_csv(visits: QueryResult) -> None:
    rows = list(csv.reader(io.StringIO(format_result(visits, "csv"))))
    assert rows[0] == ["o", "org", "d"]
    assert rows[1] == [ID + "official/li-qiang", ID + "org/baai", "2024-03-13"]
    assert len(rows) == 5


def test_format_tsv_uses_ntriples_terms(visits: QueryResult) -> None:
    lines = format_result(visits, "tsv").splitlines()
    assert lines[0] == "?o\t?org\t?d"
    assert lines[1].split("\t") == [
        f"<{ID}official/li-qiang>", f"<{ID}org/baai>", '"2024-03-13"^^<http://www.w3.org/2001/XMLSchema#date>'
    ]


def test_format_json_follows_sparql_json(store: ox.Store) -> None:
    result = run_query(store, 'SELECT ?o ?name ?plain ?none WHERE { ?o rdfs:label ?name FILTER(?name = "Yin Li"@en) '
                              'BIND("x" AS ?plain) }')
    document = json.loads(format_result(result, "json"))
    assert document["head"]["vars"] == ["o", "name", "plain", "none"]
    assert document["results"]["bindings"] == [{
        "o": {"type": "uri", "value": ID + "official/yin-li"},
        "name": {"type": "literal", "value": "Yin Li", "xml:lang": "en"},
        "plain": {"type": "literal", "value": "x"},
    }]


def test_format_ask_results(store: ox.Store) -> None:
    result = run_query(store, "ASK { ?o a ng:Official }")
    assert format_result(result) == "true\n"
    assert json.loads(format_result(result, "json")) == {"head": {}, "boolean": True}


@pytest.mark.parametrize("fmt, rdflib_format", [(None, "turtle"), ("ttl", "turtle"), ("nt", "nt")])
def test_format_construct_parses_back(store: ox.Store, fmt: str | None, rdflib_format: str) -> None:
    result = run_query(store, "CONSTRUCT { ?e ?p ?o } WHERE { ?e a ng:Evidence ; ?p ?o }")
    graph = Graph().parse(data=format_result(result, fmt), format=rdflib_format)
    assert len(graph) == len(result.triples) > 0


def test_format_wrong_format_lists_valid_ones(store: ox.Store, visits: QueryResult) -> None:
    with pytest.raises(QueryError, match="valid: table, csv, tsv, json"):
        format_result(visits, "ttl")
    with pytest.raises(QueryError, match="valid: ttl, nt"):
        format_result(run_query(store, "DESCRIBE id:org\\/baai"), "table")


# --- named queries ---------------------------------------------------------------------------


def test_named_queries_listed_with_descriptions_and_placeholders() -> None:
    queries = {query.name: query for query in list_named_queries()}
    assert set(queries) >= {
        "visits", "most-visited", "officials-at-org", "works-on", "evidence", "co-visits", "timeline"
    }
    for query in queries.values():
        assert query.description, query.name
        for param in query.params:
            assert param.description, (query.name, param.name)
            assert len(re.findall(rf"VALUES \?{param.name} \{{ UNDEF \}}", query.text)) == 1, (query.name, param)


def test_named_queries_all_run_without_params(store: ox.Store) -> None:
    for query in list_named_queries():
        assert run_query(store, named_query(query.name, {}), source=query.name).rows, query.name


def test_named_visits_by_official_alias_any_case(store: ox.Store) -> None:
    result = _named(store, "visits", official="premier LI QIANG")
    assert _values(result, "orgName") == ["Baidu", "Beijing Academy of Artificial Intelligence", "NAURA"]
    assert _values(result, "articles") == ["2", "1", "1"]


def test_named_visits_by_org_and_date_range(store: ox.Store) -> None:
    assert _values(_named(store, "visits", org="Baidu Company"), "officialName") == ["Li Qiang", "Yin Li"]
    assert _values(_named(store, "visits", **{"from": "2024-04-01"}), "officialName") == ["Yin Li"]
    assert len(_named(store, "visits", **{"from": "2024-03-13", "to": "2024-03-13"}).rows) == 3


def test_named_most_visited(store: ox.Store) -> None:
    result = _named(store, "most-visited")
    assert _values(result, "orgName")[0] == "Baidu"
    assert (_values(result, "visits")[0], _values(result, "officials")[0], _values(result, "articles")[0]) == (
        "2", "2", "3")
    assert _values(_named(store, "most-visited", official="Yin Li"), "orgName") == ["Baidu"]


def test_named_officials_at_org(store: ox.Store) -> None:
    result = _named(store, "officials-at-org", org="baidu")
    assert _values(result, "officialName") == ["Li Qiang", "Yin Li"]
    assert _values(result, "first") == ["2024-03-13", "2024-05-20"]


def test_named_works_on_includes_narrower_concepts(store: ox.Store) -> None:
    result = _named(store, "works-on", technology="Artificial Intelligence")
    assert _values(result, "orgName") == ["Baidu", "Beijing Academy of Artificial Intelligence"]
    assert _values(result, "techName") == ["large models", "artificial intelligence"]
    assert _values(_named(store, "works-on", technology="large models"), "orgName") == ["Baidu"]
    assert len(_named(store, "works-on").rows) == 3


def test_named_evidence_for_official_at_org(store: ox.Store) -> None:
    result = _named(store, "evidence", subject="Li Qiang", object="Baidu", relation="visited")
    assert _values(result, "article") == [ID + "article/d00", ID + "article/d01"]
    assert _values(result, "sentence") == ['Li Qiang then went to "Baidu".', "The Premier toured Baidu."]
    assert _values(_named(store, "evidence", relation="worksOn"), "objectName") == ["large models"]


def test_named_co_visits(store: ox.Store) -> None:
    result = _named(store, "co-visits", official="Li Qiang")
    assert len(result.rows) == 3
    assert set(_values(result, "officialNames")) == {"Li Qiang"}
    assert len(_named(store, "co-visits", org="NAURA").rows) == 2


def test_named_timeline(store: ox.Store) -> None:
    result = _named(store, "timeline", official="Li Qiang")
    assert _values(result, "orgName") == ["Baidu", "Beijing Academy of Artificial Intelligence", "NAURA"]
    assert _values(result, "siteDetail")[0] == "Yizhuang office area"
    assert set(_values(result, "sources")[0].split("; ")) == {"d00.txt", "d01.txt"}


def test_named_param_with_quotes_matches_exactly(store: ox.Store) -> None:
    result = _named(store, "visits", org='zhiyuan "baai"')
    assert _values(result, "orgName") == ["Beijing Academy of Artificial Intelligence"]


@pytest.mark.parametrize("attack", [
    'Li Qiang" ) } } SELECT * WHERE { ?s ?p ?o } #',
    'x" } ?visit ?p ?o . FILTER(true || "',
    "Li Qiang\\\" } #",
    "Li Qiang\\u0022 } #",
    "Li Qiang'\n} #",
])
def test_named_param_injection_stays_a_literal(store: ox.Store, attack: str) -> None:
    result = _named(store, "visits", official=attack)
    assert result.variables == ("date", "officialName", "orgName", "articles", "visit")
    assert result.rows == ()
    values = re.search(r"VALUES \?official \{ .* \}", named_query("visits", {"official": attack}))
    assert values is not None
    echo = run_query(store, f"SELECT ?official WHERE {{ {values[0]} }}")
    assert _values(echo, "official") == [attack]


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_named_param_any_text_round_trips_as_a_literal(value: str) -> None:
    values = re.search(r"VALUES \?org \{ .* \}", named_query("officials-at-org", {"org": value}))
    assert values is not None
    echo = run_query(ox.Store(), f"SELECT ?org WHERE {{ {values[0]} }}")
    assert _values(echo, "org") == [value]


def test_named_unknown_query_lists_valid(store: ox.Store) -> None:
    with pytest.raises(QueryError, match="unknown named query 'vists'; valid: .*visits"):
        named_query("vists", {})


def test_named_unknown_param_lists_valid() -> None:
    with pytest.raises(QueryError, match="has no parameter 'person'; valid: official, org, from, to"):
        named_query("visits", {"person": "Li Qiang"})
