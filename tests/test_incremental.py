"""Incremental builds: adding, re-adding, changing and removing articles in a built graph."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDFS

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
    assert "1 articles (0 read now" in result.output
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


# ---------------------------------------------------------------- resolution continued, blocks copied

VISIT_C = """---
title: Governor at Harborlight
published: 2021-05-07
---

Vice Governor Shen visited Harborlight Foods Co., Ltd. on Friday. The company makes frozen dumplings.
"""
VISIT_D = """---
title: Shen Lirong tours Lanshan
published: 2021-05-09
---

Shen Lirong, vice governor of Jiangsu, toured Lanshan Robotics Co., Ltd. on Sunday.
"""


def _write(folder: Path, **articles: str) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return folder


def _same_as_fresh(out: Path, folders: list[Path], tmp_path: Path) -> bool:
    fresh = tmp_path / "fresh"
    build_graph(folders, fresh, html=False, fresh=True)
    return all((out / n).read_bytes() == (fresh / n).read_bytes() for n in ("graph.ttl", "graph.trig"))


def test_incremental_later_keys_continue_resolution_and_copy_unchanged_articles(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build_graph([corpus], out, html=False)
    later = _write(tmp_path / "later", c=VISIT_C)
    result = build_graph([later], out, html=False)
    assert result.continued and result.extracted == 1
    assert result.copied == 2   # a and b did not change; c is new
    assert _same_as_fresh(out, [corpus, later], tmp_path)
    shown = CliRunner().invoke(cli, ["build", str(later), "--output", str(out), "--no-html"])
    assert shown.output.startswith("3 articles (0 read now, 3 copied from the last build), ")


def test_incremental_an_earlier_key_resolves_everything_again(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build_graph([_write(tmp_path / "late", x=VISIT_A, y=VISIT_B)], out, html=False)
    early = _write(tmp_path / "early", a0=VISIT_C)
    result = build_graph([early], out, html=False)
    assert not result.continued and result.extracted == 1
    assert _same_as_fresh(out, [tmp_path / "late", early], tmp_path)


def test_incremental_a_surname_that_now_names_someone_resolves_everything_again(tmp_path: Path):
    out = tmp_path / "out"
    first = _write(tmp_path / "first", c=VISIT_C)
    build_graph([first], out, html=False)
    then = _write(tmp_path / "then", d=VISIT_D)   # "Shen" alone in c now stands for Shen Lirong
    result = build_graph([then], out, html=False)
    assert not result.continued
    assert _same_as_fresh(out, [first, then], tmp_path)
    officials = {str(o) for o in Graph().parse(out / "graph.ttl").objects(None, RDFS.label)}
    assert "Shen Lirong" in officials and "Shen" not in officials


def test_incremental_a_new_report_of_a_visit_keeps_the_graphs_of_the_old_ones(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build_graph([corpus / "a.md"], out, html=False)
    result = build_graph([corpus / "b.md"], out, html=False)   # b reports a's visit too, on the same day
    assert result.continued and result.copied == 1
    assert _same_as_fresh(out, [corpus], tmp_path)
    assert ("Chen Hua", "Lanshan Robotics Co., Ltd.", 2) in _visits(out)


def test_incremental_a_report_that_dates_a_visit_rewrites_the_articles_that_report_it(tmp_path: Path):
    out = tmp_path / "out"
    vague = _write(tmp_path / "vague", a=VISIT_A.replace("on Tuesday", "in May"))
    build_graph([vague], out, html=False)
    exact = _write(tmp_path / "exact", b=VISIT_A.replace("Lanshan Robotics Co., Ltd.", "Lanshan Robotics"))
    result = build_graph([exact], out, html=False)   # the visit is now dated 2021-05-04: its IRI changes
    assert result.continued and result.copied == 0
    assert _same_as_fresh(out, [vague, exact], tmp_path)


@pytest.mark.parametrize("damage", ["state", "graph"])
def test_incremental_a_damaged_state_or_edited_graph_is_not_trusted(corpus: Path, tmp_path: Path, damage: str):
    out = tmp_path / "out"
    build_graph([corpus / "a.md"], out, html=False)
    if damage == "state":
        (out / ".newsgraph" / "state.bin").write_bytes(b"\x00not a state")
    else:
        with (out / "graph.ttl").open("a", encoding="utf-8") as handle:
            handle.write("# edited by hand\n")
    later = _write(tmp_path / "later", c=VISIT_C)
    result = build_graph([later], out, html=False)
    assert result.copied == 0 and result.continued == (damage == "graph")
    assert _same_as_fresh(out, [corpus / "a.md", later], tmp_path)


def test_incremental_another_curation_file_copies_nothing(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    build_graph([corpus / "a.md"], out, html=False)
    review = tmp_path / "curation.yaml"
    review.write_text("reject:\n  - {fact: visited, subject: Chen Hua, object: Nowhere Ltd.}\n", encoding="utf-8")
    later = _write(tmp_path / "later", c=VISIT_C)
    result = build_graph([later], out, html=False, curation=review)
    assert result.copied == 0
    fresh = tmp_path / "fresh"
    build_graph([corpus / "a.md", later], fresh, html=False, curation=review, fresh=True)
    assert (out / "graph.ttl").read_bytes() == (fresh / "graph.ttl").read_bytes()


def test_incremental_the_same_curation_file_still_copies_and_gives_the_fresh_graph(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    review = tmp_path / "curation.yaml"
    review.write_text("accept:\n  - {fact: visited, subject: Chen Hua, object: \"Lanshan Robotics Co., Ltd.\"}\n",
                      encoding="utf-8")
    build_graph([corpus / "a.md"], out, html=False, curation=review)
    later = _write(tmp_path / "later", c=VISIT_C)
    result = build_graph([later], out, html=False, curation=review)
    assert result.continued and result.copied == 1
    fresh = tmp_path / "fresh"
    build_graph([corpus / "a.md", later], fresh, html=False, curation=review, fresh=True)
    for name in ("graph.ttl", "graph.trig"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes()
    assert "+reviewed" in (out / "graph.ttl").read_text(encoding="utf-8")


def test_incremental_a_state_older_than_the_manifest_is_not_continued(corpus: Path, tmp_path: Path):
    """A build that stopped after writing the manifest but before the state must not leave old facts in."""
    out = tmp_path / "out"
    build_graph([corpus / "a.md"], out, html=False)
    old_state = (out / ".newsgraph" / "state.bin").read_bytes()
    (corpus / "a.md").write_text(VISIT_A.replace("Lanshan Robotics Co., Ltd.", "Qiaoshan Motors Co., Ltd."),
                                 encoding="utf-8")
    build_graph([corpus / "a.md"], out, html=False)
    (out / ".newsgraph" / "state.bin").write_bytes(old_state)   # as if the build had stopped before saving it
    later = _write(tmp_path / "later", c=VISIT_C)
    result = build_graph([later], out, html=False)
    assert not result.continued
    assert _same_as_fresh(out, [corpus / "a.md", later], tmp_path)
    assert "Lanshan Robotics" not in (out / "graph.ttl").read_text(encoding="utf-8")


def test_incremental_a_state_written_by_other_resolution_code_is_not_read(corpus: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "out"
    build_graph([corpus / "a.md"], out, html=False)
    monkeypatch.setattr("newsgraph.cache._state_code", lambda: "another-version")
    result = build_graph([_write(tmp_path / "later", c=VISIT_C)], out, html=False)
    assert not result.continued and result.copied == 0
