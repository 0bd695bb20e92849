"""Incremental builds: adding, re-adding, changing and removing articles in a built graph."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from newsgraph.cli import cli
from newsgraph.errors import InputError
from newsgraph.pipeline import build_graph, remove_articles

VISIT_A = """---
title: Mayor visits Lanshan
published: 2021-05-06
---

Taizhou Mayor Chen Hua visited Lanshan Robotics Co., Ltd. on Tuesday. The company makes welding robots.
"""
VISIT_B = """---
title: Minister at Lanshan
published: 2021-05-06
---

Vice Minister Zhang Lei toured Lanshan Robotics Co., Ltd. on Tuesday, accompanied by Taizhou Mayor Chen Hua.
"""


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.md").write_text(VISIT_A, encoding="utf-8")
    (folder / "b.md").write_text(VISIT_B, encoding="utf-8")
    return folder


def _visits(out: Path) -> set[tuple[str, str, int]]:
    graph = Graph().parse(out / "graph.ttl")
    rows = graph.query("""
        PREFIX ng: <https://w3id.org/newsgraph/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?o ?org (COUNT(DISTINCT ?a) AS ?n) WHERE {
          ?v a ng:Visit ; ng:visitor/rdfs:label ?o ; ng:site/rdfs:label ?org ; prov:wasDerivedFrom ?a }
        GROUP BY ?o ?org""")
    return {(str(o), str(org), int(n)) for o, org, n in rows}


def test_incremental_adding_articles_equals_building_them_together(corpus: Path, tmp_path: Path):
    step = tmp_path / "step"
    first = build_graph([corpus / "a.md"], step, html=False)
    second = build_graph([corpus / "b.md"], step, html=False)
    build_graph([corpus], tmp_path / "together", html=False)
    assert (first.extracted, second.extracted) == (1, 1)
    assert second.articles == 2
    assert (step / "graph.ttl").read_bytes() == (tmp_path / "together" / "graph.ttl").read_bytes()
    assert (step / "graph.trig").read_bytes() == (tmp_path / "together" / "graph.trig").read_bytes()
    assert ("Chen Hua", "Lanshan Robotics Co., Ltd.", 2) in _visits(step)


def test_incremental_same_article_again_changes_nothing(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build_graph([corpus], out, html=False)
    before = (out / "graph.ttl").read_bytes(), (out / "graph.trig").read_bytes()
    again = build_graph([corpus / "a.md"], out, html=False)
    assert again.extracted == 0
    assert ((out / "graph.ttl").read_bytes(), (out / "graph.trig").read_bytes()) == before


def test_incremental_changed_article_replaces_its_old_version(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build_graph([corpus], out, html=False)
    (corpus / "a.md").write_text(VISIT_A.replace("Lanshan Robotics Co., Ltd.", "Qiaoshan Motors Co., Ltd."),
                                 encoding="utf-8")
    result = build_graph([corpus / "a.md"], out, html=False)
    assert result.extracted == 1 and result.articles == 2
    orgs = {org for _, org, _ in _visits(out)}
    assert "Qiaoshan Motors Co., Ltd." in orgs
    # Lanshan stays: article b still supports it, now alone.
    assert ("Chen Hua", "Lanshan Robotics Co., Ltd.", 1) in _visits(out)


def test_incremental_remove_keeps_what_other_articles_support(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build_graph([corpus], out, html=False)
    result = remove_articles(["b.md"], out, html=False)
    assert result.articles == 1 and result.extracted == 0
    assert _visits(out) == {("Chen Hua", "Lanshan Robotics Co., Ltd.", 1)}
    alone = build_graph([corpus / "a.md"], tmp_path / "alone", html=False)
    assert alone.articles == 1
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "alone" / "graph.ttl").read_bytes()


def test_incremental_does_not_read_cached_articles_again(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build_graph([corpus / "a.md"], out, html=False)
    shutil.rmtree(corpus)   # the article file is gone; its cached extraction is enough
    other = tmp_path / "more"
    other.mkdir()
    (other / "b.md").write_text(VISIT_B, encoding="utf-8")
    result = build_graph([other], out, html=False)
    assert result.articles == 2 and result.extracted == 1


def test_incremental_fresh_starts_anew(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build_graph([corpus], out, html=False)
    result = build_graph([corpus / "a.md"], out, html=False, fresh=True)
    assert result.articles == 1


def test_incremental_other_rules_read_the_cached_text_again(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build_graph([corpus], out, html=False)
    manifest = out / ".newsgraph" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["signature"] = "from-older-rules"
    manifest.write_text(json.dumps(data))
    result = build_graph([corpus / "a.md"], out, html=False)
    assert result.extracted == 2


def test_incremental_remove_unknown_article_is_a_clear_error(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build_graph([corpus], out, html=False)
    before = (out / "graph.ttl").read_bytes()
    with pytest.raises(InputError, match=r"c\.md: no such article in .*; did you mean a\?|c\.md: no such article"):
        remove_articles(["c.md"], out, html=False)
    assert (out / "graph.ttl").read_bytes() == before


def test_incremental_remove_through_the_cli(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(cli, ["build", str(corpus), "--output", str(out), "--no-html"]).exit_code == 0
    result = runner.invoke(cli, ["remove", "a", "--output", str(out), "--no-html"])
    assert result.exit_code == 0, result.output
    assert "1 articles (0 read now)" in result.output
    missing = runner.invoke(cli, ["remove", "zzz.md", "--output", str(out)])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    assert "zzz.md: no such article" in missing.output



def test_incremental_cache_of_another_version_is_a_clear_error(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build_graph([corpus], out, html=False)
    manifest = out / ".newsgraph" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["format"] = 1
    manifest.write_text(json.dumps(data))
    before = (out / "graph.ttl").read_bytes()
    with pytest.raises(InputError, match=r"manifest.json: build cache of another newsgraph version .*--fresh"):
        build_graph([corpus / "a.md"], out, html=False)
    assert (out / "graph.ttl").read_bytes() == before
    assert build_graph([corpus], out, html=False, fresh=True).articles == 2
