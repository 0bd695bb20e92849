"""Shared fixtures: the fixture articles, a scratch build folder, one graph built per session, a CliRunner.

The session graph is built once from ``tests/data/articles`` and must be treated as read-only;
a test that needs to change or rebuild a graph uses ``build_dir`` instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.pipeline import BuildResult, build_graph

TESTS = Path(__file__).parent
REPO_ROOT = TESTS.parent


@pytest.fixture(scope="session")
def articles_dir() -> Path:
    """``tests/data/articles``: three tiny fictional reports (see each file for the facts it holds)."""
    return TESTS / "data" / "articles"


@pytest.fixture
def build_dir(tmp_path: Path) -> Path:
    """A not-yet-existing output folder for one test's build."""
    return tmp_path / "build"


@pytest.fixture(scope="session")
def built_graph(tmp_path_factory: pytest.TempPathFactory, articles_dir: Path) -> BuildResult:
    """The fixture articles built once per session: ``built_graph.output`` holds graph.ttl, .trig, .html."""
    return build_graph([articles_dir], tmp_path_factory.mktemp("built") / "graph")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
