"""The installed package carries its data: every ontology, rule, reference and query file, and the page assets."""

from __future__ import annotations

import tomllib
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "src" / "newsgraph"
PYPROJECT = Path(__file__).parent.parent / "pyproject.toml"


def test_packaging_package_data_covers_every_data_file():
    patterns = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]["package-data"]["newsgraph"]
    shipped = {p for pattern in patterns for p in PACKAGE.glob(pattern)}
    data = [p for folder in ("ontology", "render_assets") for p in (PACKAGE / folder).rglob("*")
            if p.is_file() and not p.name.startswith(".") and p.suffix in {".ttl", ".yaml", ".rq", ".js", ".css", ".html"}]
    assert data, "no data files found: is src/newsgraph/ontology the link to ontology/?"
    missing = sorted(str(p.relative_to(PACKAGE)) for p in data if p not in shipped)
    assert missing == [], f"not in [tool.setuptools.package-data]: {missing}"
