"""``build_graph``: articles in, graph files out, every stage composed in one place.

All articles are read and checked before anything is written, and each
output file is written to a temporary file and moved into place, so a bad
input never leaves a damaged or half-written graph behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsgraph.curation import apply_curation, load_curation
from newsgraph.documents import read_articles
from newsgraph.errors import InputError
from newsgraph.export import write_trig, write_turtle
from newsgraph.extract import extract
from newsgraph.extract.rules import Rules, load_rules
from newsgraph.model import Extraction
from newsgraph.rdf import to_quads
from newsgraph.reference import Reference, load_reference
from newsgraph.render import render_html
from newsgraph.resolve import Resolution, resolve
from newsgraph.store import to_rdflib_dataset

__all__ = ["BuildResult", "build_graph", "extract_articles"]


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote and how much it found."""

    output: Path
    files: tuple[Path, ...]
    articles: int
    visits: int
    works: int
    entities: int
    triples: int
    warnings: tuple[str, ...] = ()   # curation rules that matched nothing


def extract_articles(inputs: Iterable[str | Path], rules: Rules | None = None,
                     reference: Reference | None = None) -> list[Extraction]:
    """Read and extract every article under ``inputs`` (files or folders)."""
    rules = rules or load_rules()
    reference = reference or load_reference()
    inputs = list(inputs)
    extractions = [extract(article, rules, reference) for article in read_articles(inputs)]
    if not extractions:
        raise InputError(f"{', '.join(map(str, inputs))}: no articles found (.txt, .md)")
    return extractions


def build_resolution(inputs: Iterable[str | Path], reference_files: Sequence[Path] = ()) -> Resolution:
    """Articles to resolved records, without writing anything."""
    reference = load_reference(tuple(reference_files))
    return resolve(extract_articles(inputs, reference=reference), reference)


def build_graph(inputs: Sequence[str | Path], output: str | Path, *, reference_files: Sequence[Path] = (),
                html: bool = True, curation: Path | None = None) -> BuildResult:
    """Build ``output/graph.ttl``, ``graph.trig`` and ``graph.html`` from articles.

    >>> result = build_graph(["articles/"], "graphs/example")  # doctest: +SKIP
    >>> result.files
    (PosixPath('graphs/example/graph.ttl'), PosixPath('graphs/example/graph.trig'), PosixPath('graphs/example/graph.html'))
    """
    output = Path(output)
    if output.exists() and not output.is_dir():
        raise InputError(f"{output}: exists and is not a folder")
    review = load_curation(curation) if curation is not None else None   # a bad file fails before extraction
    resolution = build_resolution(inputs, reference_files)
    warnings: list[str] = []
    if review is not None:
        resolution, warnings = apply_curation(resolution, review)
    quads = to_quads(resolution)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{output}: cannot create the output folder ({exc.strerror})") from None
    files = [output / "graph.ttl", output / "graph.trig"]
    with _staged(output) as stage:
        write_turtle(quads, stage / "graph.ttl")
        write_trig(quads, stage / "graph.trig")
        if html:
            render_html(to_rdflib_dataset(quads), stage / "graph.html", title=f"newsgraph: {output.name}")
            files.append(output / "graph.html")
    triples = len({q.triple for q in quads})
    return BuildResult(output, tuple(files), len(resolution.articles), len(resolution.visits),
                       len(resolution.works), len(resolution.entities), triples, tuple(warnings))


class _staged:
    """A temporary folder beside ``output`` whose files replace the outputs only if all were written."""

    def __init__(self, output: Path) -> None:
        self.output = output

    def __enter__(self) -> Path:
        self.tmp = Path(tempfile.mkdtemp(prefix=".newsgraph-", dir=self.output))
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                for path in sorted(self.tmp.iterdir()):
                    os.replace(path, self.output / path.name)
        finally:
            for path in self.tmp.iterdir():
                path.unlink()
            self.tmp.rmdir()
