"""The HTML explorer in headless Chromium: it draws the graph, finds, filters, explains, and runs no article text.

Skipped when Chromium or Playwright is missing, unless CI=true, where a
missing browser is a failure (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import datetime
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal

from newsgraph.namespaces import NG, RDF, RDFS, entity_iri
from newsgraph.render import LAYOUT_THRESHOLD, render_html

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data" / "render"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Any dialog the page opens is recorded here, before the page's own scripts run.
HOOK_DIALOGS = """
window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (message) => { window.__dialogs.push(name + ": " + String(message)); };
}
"""


def chromium() -> str | None:
    """Debian's Chromium: Playwright's own browser downloads are not available here."""
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else shutil.which("chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    executable = chromium()
    problem = None
    if sync_playwright is None:
        problem = "Playwright for Python is not installed (pip install -e '.[test]')"
    elif executable is None:
        problem = "Chromium not found at /usr/bin/chromium or on PATH (Debian: apt-get install chromium)"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem}; with CI=true the browser tests must run")
        pytest.skip(problem)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Opened:
    """A loaded page and everything it said or asked for."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def drawn(self) -> dict[str, int]:
        return self.page.evaluate("newsgraph.drawn()")

    def node_id(self, iri_end: str) -> str:
        return self.page.evaluate("(end) => newsgraph.data.nodes.find(n => n.iri.endsWith(end)).id", iri_end)

    def selected(self) -> list[str]:
        return self.page.evaluate(
            "newsgraph.network.getSelectedNodes().map(id => newsgraph.data.nodes.find(n => n.id === id).iri)")


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    pages = []

    def opener(path: Path) -> Opened:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        opened = Opened(page)
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: opened.requests.append(r.url))
        page.add_init_script(HOOK_DIALOGS)
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
        pages.append(page)
        return opened

    yield opener
    for page in pages:
        page.close()


def click_node(opened: Opened, node_id: str) -> None:
    """Click a node with the mouse: centre it first so no overlay is in the way.

    On a loaded machine the layout may still settle between centring and
    clicking, so the click is repeated until the node is the one selected.
    """
    page = opened.page
    for _attempt in range(5):
        page.evaluate("(id) => newsgraph.network.moveTo({position: newsgraph.network.getPositions([id])[id], scale: 1})",
                      node_id)
        box = page.locator("#ng-network canvas").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        if page.evaluate("(id) => newsgraph.network.getSelectedNodes().includes(id)", node_id):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"could not click node {node_id}")


@pytest.fixture(scope="module")
def small_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("render") / "small.html"
    render_html(Graph().parse(DATA / "small.ttl"), out, title="Beijing tour")
    return out


def test_browser_draws_every_node_and_edge_offline(open_page: Any, small_page: Path) -> None:
    opened = open_page(small_page)
    assert opened.drawn() == {"nodes": 9, "edges": 7}
    assert opened.page.evaluate("[newsgraph.nodes.length, newsgraph.edges.length]") == [9, 7]
    assert opened.errors == [] and opened.dialogs == []
    assert opened.requests == [small_page.as_uri()]  # nothing but the page itself
    assert opened.page.evaluate("newsgraph.network.physics.physicsEnabled") is False  # settled, then stopped
    labels = opened.page.evaluate("""() => newsgraph.edges.get().map(e => {
        const name = (id) => newsgraph.data.nodes.find(n => n.id === id).label;
        return [name(e.from), name(e.to), e.label || null, e.width];
    })""")
    assert ["Li Qiang", "NAURA", "2024-03-13", 3] in labels  # two articles: a wider line
    assert ["Wang Huning", "Beijing Academy of Artificial Intelligence", "2023-06", 1] in labels
    assert ["Baidu", "large models", None, 1] in labels
    assert ["Wang Huning", "Baidu", "05-01 (year unknown)", 1] in labels
    legend = opened.page.locator("#ng-types").inner_text()
    assert "Official" in legend and "Company" in legend and "Technology" in legend


def test_browser_search_focuses_a_node_by_alias(open_page: Any, small_page: Path) -> None:
    opened = open_page(small_page)
    opened.page.fill("#ng-query", "north huachuang")
    opened.page.press("#ng-query", "Enter")
    assert opened.selected() == ["https://w3id.org/newsgraph/id/org/naura"]
    panel = opened.page.locator("#ng-panel")
    assert panel.is_visible()
    assert "NAURA" in panel.inner_text() and "Premier Li Qiang visited NAURA in Beijing." in panel.inner_text()
    assert opened.errors == []


def test_browser_filters_hide_what_they_should(open_page: Any, small_page: Path) -> None:
    opened = open_page(small_page)
    page = opened.page
    before = page.evaluate("(id) => newsgraph.network.getPositions([id])[id]", opened.node_id("tech/large-models"))
    page.click("#ng-techs")
    assert opened.drawn() == {"nodes": 6, "edges": 4}  # 3 technologies and their worksOn links gone
    assert page.locator("#ng-techs").inner_text() == "Show technologies"
    page.click("#ng-techs")
    assert opened.drawn() == {"nodes": 9, "edges": 7}
    tech = opened.node_id("tech/large-models")
    where = "(id) => newsgraph.network.getPositions([id])[id]"
    assert page.evaluate(where, tech) == before  # shown again where it was
    page.select_option("#ng-official", label="Wang Huning")
    assert opened.drawn() == {"nodes": 5, "edges": 4}  # Wang Huning, BAAI, Baidu and their technologies
    page.click("#ng-reset")
    page.uncheck("#ng-types input[value=Company]")
    assert opened.drawn() == {"nodes": 7, "edges": 2}
    page.click("#ng-reset")
    page.fill("#ng-since", "2024-01-01")
    assert opened.drawn() == {"nodes": 5, "edges": 4}
    assert opened.errors == []


@pytest.mark.parametrize("technology, since, until", [
    ("artificial intelligence", None, None),
    ("large models", None, None),
    (None, datetime.date(2024, 1, 1), None),
    (None, None, datetime.date(2023, 6, 15)),
    ("artificial intelligence", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
])
def test_browser_filters_agree_with_render_html(open_page: Any, small_page: Path, tmp_path: Path,
                                               technology: str | None, since: datetime.date | None,
                                               until: datetime.date | None) -> None:
    opened = open_page(small_page)
    drawn = opened.page.evaluate(
        """([label, since, until]) => newsgraph.setFilter({
             technology: label ? newsgraph.data.concepts.find(c => c.label === label).id : "",
             since: since || "", until: until || ""})""",
        [technology, since and since.isoformat(), until and until.isoformat()])
    summary = render_html(Graph().parse(DATA / "small.ttl"), tmp_path / "f.html",
                          technology=technology, since=since, until=until)
    assert drawn == {"nodes": summary.nodes, "edges": summary.edges}


def test_browser_click_shows_evidence_and_article(open_page: Any, small_page: Path) -> None:
    opened = open_page(small_page)
    click_node(opened, opened.node_id("official/li-qiang"))
    assert opened.selected() == ["https://w3id.org/newsgraph/id/official/li-qiang"]
    details = opened.page.locator("#ng-details")
    text = details.inner_text()
    assert "Premier Li Qiang" in text and "Premier of the State Council" in text
    assert "Li Qiang then went to the Yizhuang office area of Baidu Company" in text
    assert "on 2024-03-13 (Yizhuang office area)" in text
    links = details.locator("a").evaluate_all("as => as.map(a => [a.textContent, a.href])")
    assert ["Li Qiang conducted research in Beijing", "https://news.cctv.example/2024/03/13/li-qiang.html"] in links
    assert ["Q5362025", "https://www.wikidata.org/wiki/Q5362025"] in links
    assert "Premier visits chip equipment maker (xinhua-naura.txt)" in text  # no URL: cited as text
    assert opened.errors == []


def test_browser_hostile_page_runs_no_script(open_page: Any, tmp_path: Path) -> None:
    out = tmp_path / "hostile.html"
    render_html(Graph().parse(DATA / "hostile.ttl"), out, title="<img src=x onerror=alert(0)>")
    opened = open_page(out)
    page = opened.page
    assert page.evaluate("Array.isArray(window.__dialogs)")  # the hook is in place
    page.fill("#ng-query", "<img")
    page.press("#ng-query", "Enter")
    click_node(opened, opened.node_id("official/mallory"))
    text = page.locator("#ng-details").inner_text()
    assert "<img src=x onerror=alert(1)>" in text and "</script><script>alert(2)</script>" in text
    click_node(opened, opened.node_id("org/evil"))
    text = page.locator("#ng-details").inner_text()
    assert "Evil \"Corp\" <svg onload=alert(3)>" in text
    assert "Mallory said <script>alert(1)</script> and {{vis}} then left." in text
    assert "<b onmouseover=alert(6)>Breaking</b> (evil<script>.txt)" in text  # javascript: URL is no link
    assert page.locator("h1").inner_text() == "<img src=x onerror=alert(0)>"
    page.wait_for_timeout(300)  # give any injected handler a chance to fire
    assert page.evaluate("window.__dialogs") == [] and opened.dialogs == []
    assert page.evaluate("document.querySelectorAll('img, iframe, [onerror], [onload], [onmouseover]').length") == 0
    hrefs = page.evaluate("Array.from(document.querySelectorAll('a[href]'), a => a.href)")
    assert hrefs == ["https://www.wikidata.org/wiki/Q1"]
    assert opened.errors == []
    assert opened.requests == [out.as_uri()]


def test_browser_big_graph_uses_fixed_positions(open_page: Any, tmp_path: Path) -> None:
    g = Graph()
    officials = [entity_iri("official", f"o{i}") for i in range(3)]
    for i, official in enumerate(officials):
        g.add((official, RDF.type, NG.Official))
        g.add((official, RDFS.label, Literal(f"Official {i}")))
    for i in range(LAYOUT_THRESHOLD):
        org = entity_iri("organization", f"org-{i}")
        g.add((org, RDFS.label, Literal(f"Company {i}")))
        g.add((officials[i % 3], NG.visited, org))
    summary = render_html(g, tmp_path / "big.html")
    assert not summary.physics
    opened = open_page(tmp_path / "big.html")
    assert opened.drawn() == {"nodes": summary.nodes, "edges": summary.edges}
    first = opened.page.evaluate("newsgraph.data.nodes[0]")
    position = opened.page.evaluate("(id) => newsgraph.network.getPositions([id])[id]", first["id"])
    assert (position["x"], position["y"]) == (first["x"], first["y"])
    assert opened.errors == []
