"""The HTML explorer without a browser: what goes into the page, and how it is written."""

from __future__ import annotations

import datetime
import json
import os
import re
from importlib.resources import files
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from newsgraph.errors import NewsgraphError
from newsgraph.namespaces import NG, RDF, RDFS, entity_iri
from newsgraph.render import LAYOUT_THRESHOLD, RenderSummary, render_html

DATA = Path(__file__).parent / "data" / "render"
ID = "https://w3id.org/newsgraph/id/"


def load(name: str) -> Graph:
    return Graph().parse(DATA / name, format="turtle")


def payload(page: Path) -> dict:
    """The JSON blob the page script reads."""
    text = page.read_text(encoding="utf-8")
    blob = re.search(r'<script type="application/json" id="ng-data">(.*?)</script>', text, re.S)
    assert blob is not None
    return json.loads(blob.group(1))


def drawn(page: Path) -> set[str]:
    """The IRIs of the nodes in a page, shortened to ``org/baidu``."""
    return {n["iri"].removeprefix(ID) for n in payload(page)["nodes"]}


def many_orgs_graph(orgs: int) -> Graph:
    """Enough organizations, visited by three officials, to pass the layout threshold."""
    g = Graph()
    officials = [entity_iri("official", f"o{i}") for i in range(3)]
    for i, official in enumerate(officials):
        g.add((official, RDF.type, NG.Official))
        g.add((official, RDFS.label, Literal(f"Official {i}")))
    for i in range(orgs):
        org = entity_iri("organization", f"org-{i}")
        g.add((org, RDF.type, NG.Company))
        g.add((org, RDFS.label, Literal(f"Company {i}")))
        g.add((officials[i % 3], NG.visited, org))
        g.add((org, NG.worksOn, entity_iri("technology", f"t{i % 40}")))
    return g


@pytest.fixture
def small() -> Graph:
    return load("small.ttl")


def test_render_summary_counts_what_is_drawn(small: Graph, tmp_path: Path) -> None:
    summary = render_html(small, tmp_path / "g.html")
    data = payload(tmp_path / "g.html")
    assert summary == RenderSummary(tmp_path / "g.html", len(data["nodes"]), len(data["edges"]), True)
    # 2 officials, 4 organizations (Tsinghua has no links but still shows), 3 technologies in use
    assert summary.nodes == 9
    assert drawn(tmp_path / "g.html") >= {"org/tsinghua", "tech/large-models"}
    assert "tech/quantum-computing" not in drawn(tmp_path / "g.html")  # no one works on it
    assert summary.edges == 4 + 3


def test_render_page_requests_nothing_from_any_host(small: Graph, tmp_path: Path) -> None:
    render_html(small, tmp_path / "g.html")
    text = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:[a-z]+:)?//""", text, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//|@import""", text, re.I)
    assert "default-src 'none'" in text  # the CSP forbids requests even if something tried
    assert not re.search(r"<script[^>]*\ssrc|<link\b|<iframe\b|<img\b", text, re.I)  # everything inline


def test_render_escapes_hostile_text_in_the_raw_page(tmp_path: Path) -> None:
    render_html(load("hostile.ttl"), tmp_path / "g.html", title="<b>x</b>")
    text = (tmp_path / "g.html").read_text(encoding="utf-8")
    for raw in ("<img src=x", "<script>alert", "<svg onload", "<iframe", "<b onmouseover", "<b>x</b>"):
        assert raw not in text
    assert text.count("</script>") == 3
    assert "\u2028" not in text and "\u2029" not in text
    assert "javascript:alert(7)" not in text and "javascript:alert(4)" not in text
    data = payload(tmp_path / "g.html")
    names = {name for n in data["nodes"] for name in n["names"]}
    assert {"<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>"} <= names
    assert "Mallory said <script>alert(1)</script> and {{vis}} then left." in [e["s"] for e in data["evidence"]]
    assert data["articles"] == [{"file": "evil<script>.txt", "title": "<b onmouseover=alert(6)>Breaking</b>"}]
    assert [n["wd"] for n in data["nodes"] if n["iri"].endswith("org/evil")] == [["Q1"]]


def test_render_page_script_builds_dom_without_html_parsing() -> None:
    script = (files("newsgraph") / "render_assets" / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script


def test_render_is_deterministic(small: Graph, tmp_path: Path) -> None:
    shuffled = Graph()
    for triple in sorted(small, reverse=True):
        shuffled.add(triple)
    render_html(small, tmp_path / "a.html")
    render_html(shuffled, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_render_focus_matches_alt_labels_and_counts_hops(small: Graph, tmp_path: Path) -> None:
    render_html(small, tmp_path / "g.html", focus="ZHIYUAN", hops=1)
    assert drawn(tmp_path / "g.html") == {"org/baai", "official/wang-huning", "tech/artificial-intelligence"}
    assert payload(tmp_path / "g.html")["focus"] == [
        n["id"] for n in payload(tmp_path / "g.html")["nodes"] if n["iri"].endswith("org/baai")]
    render_html(small, tmp_path / "g.html", focus="Zhiyuan", hops=2)
    assert drawn(tmp_path / "g.html") == {"org/baai", "official/wang-huning", "tech/artificial-intelligence",
                                          "org/baidu"}
    render_html(small, tmp_path / "g.html", focus="Tsinghua University", hops=0)
    assert drawn(tmp_path / "g.html") == {"org/tsinghua"}
    assert render_html(small, tmp_path / "g.html", focus="quantum computing").nodes == 0  # known, unused


def test_render_technology_includes_narrower_concepts(small: Graph, tmp_path: Path) -> None:
    render_html(small, tmp_path / "g.html", technology="AI")
    assert drawn(tmp_path / "g.html") == {
        "tech/artificial-intelligence", "tech/large-models", "org/baidu", "org/baai",
        "official/li-qiang", "official/wang-huning"}
    render_html(small, tmp_path / "g.html", technology="large model products")
    assert drawn(tmp_path / "g.html") == {"tech/large-models", "org/baidu", "official/li-qiang", "official/wang-huning"}
    assert render_html(small, tmp_path / "g.html", technology="quantum computing").nodes == 0


def test_render_since_until_filter_visits_by_date(small: Graph, tmp_path: Path) -> None:
    render_html(small, tmp_path / "g.html", since=datetime.date(2024, 1, 1))
    assert drawn(tmp_path / "g.html") == {"official/li-qiang", "org/baidu", "org/naura", "tech/large-models",
                                          "tech/semiconductor-equipment"}  # "--05-01" has no year: not in range
    render_html(small, tmp_path / "g.html", until=datetime.date(2023, 6, 15))
    assert drawn(tmp_path / "g.html") == {"official/wang-huning", "org/baai", "tech/artificial-intelligence"}
    assert render_html(small, tmp_path / "g.html", since=datetime.date(2023, 7, 1),
                       until=datetime.date(2023, 12, 31)).nodes == 0


def test_render_filters_combine(small: Graph, tmp_path: Path) -> None:
    render_html(small, tmp_path / "g.html", technology="artificial intelligence", since=datetime.date(2024, 1, 1),
                focus="Li Qiang", hops=1)
    assert drawn(tmp_path / "g.html") == {"official/li-qiang", "org/baidu"}


def test_render_edges_carry_dates_support_and_evidence(small: Graph, tmp_path: Path) -> None:
    render_html(small, tmp_path / "g.html")
    data = payload(tmp_path / "g.html")
    iri = {n["id"]: n["iri"].removeprefix(ID) for n in data["nodes"]}
    edges = {(iri[e["from"]], iri[e["to"]]): e for e in data["edges"]}
    naura = edges[("official/li-qiang", "org/naura")]
    assert naura["support"] == 2 and naura["width"] > edges[("official/li-qiang", "org/baidu")]["width"]
    assert [v["date"] for v in naura["visits"]] == ["2024-03-13"]
    sentences = {data["evidence"][i]["s"] for v in naura["visits"] for i in v["ev"]}
    assert sentences == {"At North Huachuang, Li Qiang inspected semiconductor equipment.",
                         "Premier Li Qiang visited NAURA in Beijing."}
    works = edges[("org/baidu", "tech/large-models")]
    assert [data["evidence"][i]["s"] for i in works["ev"]] == ["Baidu showed its Ernie large model products."]
    baai = edges[("official/wang-huning", "org/baai")]["visits"][0]
    assert baai["span"] == ["2023-06-01", "2023-06-30"]
    cited = {data["articles"][e["a"]].get("url") for e in data["evidence"]}
    assert cited == {"https://news.cctv.example/2024/03/13/li-qiang.html", None}
    li = next(n for n in data["nodes"] if n["iri"].endswith("official/li-qiang"))
    assert li["wd"] == ["Q5362025"] and li["names"] == ["Li Qiang", "Premier Li Qiang"]
    assert li["type"] == "Official" and li["job"] == "Premier of the State Council"


def test_render_unknown_focus_lists_close_matches(small: Graph, tmp_path: Path) -> None:
    with pytest.raises(NewsgraphError, match=r"no entity named 'Li Qiangg'; close matches: .*Li Qiang"):
        render_html(small, tmp_path / "g.html", focus="Li Qiangg")
    with pytest.raises(NewsgraphError, match=r"no technology named 'semiconductors'.*semiconductor equipment"):
        render_html(small, tmp_path / "g.html", technology="semiconductors")
    with pytest.raises(NewsgraphError, match="hops"):
        render_html(small, tmp_path / "g.html", focus="Baidu", hops=-1)
    assert not (tmp_path / "g.html").exists()


def test_render_write_is_atomic(small: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "g.html"
    out.write_text("old page", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        render_html(small, out)
    assert out.read_text(encoding="utf-8") == "old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.html"]
    monkeypatch.undo()
    render_html(small, out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.html"]


def test_render_big_graph_gets_fixed_positions(tmp_path: Path) -> None:
    summary = render_html(many_orgs_graph(LAYOUT_THRESHOLD), tmp_path / "g.html")
    assert summary.nodes > LAYOUT_THRESHOLD and not summary.physics
    nodes = payload(tmp_path / "g.html")["nodes"]
    positions = {(n["x"], n["y"]) for n in nodes}
    assert len(positions) == len(nodes)  # nobody on top of anybody
    small = render_html(many_orgs_graph(10), tmp_path / "s.html")
    assert small.physics and "x" not in payload(tmp_path / "s.html")["nodes"][0]
