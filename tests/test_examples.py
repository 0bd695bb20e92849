"""The committed example graph in graphs/example is what the bundled articles build today."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.pipeline import build_graph
from newsgraph.store import load_graph
from newsgraph.validate import validate_graph

REPO_ROOT = Path(__file__).parent.parent
ARTICLES = REPO_ROOT / "examples" / "articles"
COMMITTED = REPO_ROOT / "graphs" / "example"
FILES = ("graph.ttl", "graph.trig", "graph.html")


@pytest.fixture(scope="module")
def committed() -> Path:
    if not (COMMITTED / "graph.ttl").is_file():
        pytest.skip(f"{COMMITTED.relative_to(REPO_ROOT)} has no graph.ttl yet; run `make example` and commit it")
    return COMMITTED


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Same folder name as the committed one: the HTML page's title is taken from it.
    return build_graph([ARTICLES], tmp_path_factory.mktemp("rebuilt") / COMMITTED.name).output


@pytest.mark.parametrize("name", FILES)
def test_examples_committed_graph_is_up_to_date(committed: Path, rebuilt: Path, name: str) -> None:
    if not (committed / name).is_file():
        pytest.fail(f"graphs/example/{name} is missing; run `make example` and commit graphs/example")
    assert (rebuilt / name).read_bytes() == (committed / name).read_bytes(), (
        f"graphs/example/{name} is stale: the bundled articles now build something else. "
        "Run `make example` and commit graphs/example."
    )


def test_examples_committed_graph_passes_validation(committed: Path) -> None:
    report = validate_graph(load_graph(committed))
    assert report.conforms, report.text
