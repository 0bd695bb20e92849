"""``build_graph``: articles in, graph files out, every stage composed in one place.

All articles are read and checked before anything is written, and each
output file is written to a temporary file and moved into place, so a bad
input never leaves a damaged or half-written graph behind.

Builds are incremental: a build folder remembers what each of its articles
yielded (:mod:`newsgraph.cache`), so adding articles to a graph extracts only
the new or changed ones, and removing one rebuilds from what the others
yielded without reading any article again.
"""

from __future__ import annotations

import difflib
import gc
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from newsgraph.cache import BuildCache, SavedState, file_digest, rules_signature
from newsgraph.curation import apply_curation, load_curation
from newsgraph.documents import read_articles
from newsgraph.errors import InputError
from newsgraph.extract import extract
from newsgraph.extract.rules import Rules, load_rules
from newsgraph.model import Article, Extraction
from newsgraph.rdf import graph_text
from newsgraph.reference import Reference, load_reference
from newsgraph.render import render_html
from newsgraph.resolve import Resolution, Resolver, resolve
from newsgraph.store import TripleIndex
from newsgraph.text import slugify

__all__ = ["BuildResult", "build_graph", "remove_articles", "extract_articles", "build_resolution"]


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
    extracted: int = 0               # articles read by extraction in this build (the rest came from the cache)
    continued: bool = False          # resolution went on from the last build's state instead of starting over
    copied: int = 0                  # articles whose graph blocks were copied from the last build's files


def extract_articles(inputs: Iterable[str | Path], rules: Rules | None = None,
                     reference: Reference | None = None) -> list[Extraction]:
    """Read and extract every article under ``inputs`` (files or folders)."""
    rules = rules or load_rules()
    reference = reference or load_reference()
    return [extract(article, rules, reference) for article in _read_all(inputs)]


def build_resolution(inputs: Iterable[str | Path], reference_files: Sequence[Path] = ()) -> Resolution:
    """Articles to resolved records, without writing anything."""
    reference = load_reference(tuple(reference_files))
    return resolve(extract_articles(inputs, reference=reference), reference)


def build_graph(inputs: Sequence[str | Path], output: str | Path, *, reference_files: Sequence[Path] = (),
                html: bool = True, curation: Path | None = None, fresh: bool = False) -> BuildResult:
    """Build ``output/graph.ttl``, ``graph.trig`` and ``graph.html`` from articles.

    When ``output`` already holds a graph, the articles are added to it: an
    article seen before (same key, same content) is not extracted again, a
    changed one replaces its old version. ``fresh`` starts from nothing.

    >>> result = build_graph(["articles/"], "graphs/example")  # doctest: +SKIP
    >>> result.files
    (PosixPath('graphs/example/graph.ttl'), PosixPath('graphs/example/graph.trig'), PosixPath('graphs/example/graph.html'))
    """
    output = _output_folder(output)
    with _gc_paused():
        return _build(output, _read_all(inputs), set(), reference_files, html, curation, fresh)


def remove_articles(names: Sequence[str | Path], output: str | Path, *, reference_files: Sequence[Path] = (),
                    html: bool = True, curation: Path | None = None) -> BuildResult:
    """Drop articles (by file name or key) from a built graph; facts other articles support stay.

    >>> remove_articles(["li-qiang-beijing-wire.md"], "graphs/example")  # doctest: +SKIP
    """
    output = _output_folder(output)
    cached, _ = BuildCache(output).manifest()
    if not cached:
        raise InputError(f"{output}: no built graph here (build it first with newsgraph build)")
    drop = set()
    for name in names:
        key = str(name) if str(name) in cached else slugify(Path(str(name)).stem)
        if key not in cached:
            close = difflib.get_close_matches(key, list(cached), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else f"; it holds {len(cached)} articles"
            raise InputError(f"{name}: no such article in {output}{hint}")
        drop.add(key)
    if drop == set(cached):
        raise InputError(f"{output}: removing every article would leave no graph; delete the folder instead")
    with _gc_paused():
        return _build(output, [], drop, reference_files, html, curation, False)


def _read_all(inputs: Iterable[str | Path]) -> list[Article]:
    inputs = list(inputs)
    articles = list(read_articles(inputs))
    if not articles:
        raise InputError(f"{', '.join(map(str, inputs))}: no articles found (.txt, .md)")
    return articles


def _output_folder(output: str | Path) -> Path:
    output = Path(output)
    if output.exists() and not output.is_dir():
        raise InputError(f"{output}: exists and is not a folder")
    return output


def _build(output: Path, articles: list[Article], drop: set[str], reference_files: Sequence[Path],
           html: bool, curation: Path | None, fresh: bool) -> BuildResult:
    """Extract ``articles``, take the others the folder holds from its cache (less ``drop``), write all."""
    review = load_curation(curation) if curation is not None else None   # a bad file fails before extraction
    rules, reference = load_rules(), load_reference(tuple(reference_files))
    signature, reviewed = rules_signature(reference_files), file_digest(curation)
    cache = BuildCache(output)
    cached, old_signature = ({}, None) if fresh else cache.manifest()
    saved = cache.load_state(signature, reviewed) if cached and old_signature == signature else None
    unchanged = {a.key for a in articles if cached.get(a.key) == a.content_hash and old_signature == signature}
    new = [extract(article, rules, reference) for article in articles if article.key not in unchanged]
    resolver = _continued(saved, cached, drop, new, reference)
    continued = resolver is not None
    if resolver is None:   # resolve every article again, from the cache
        resolver = Resolver(reference)
        resolver.add(_cached_extractions(cache, cached, old_signature != signature, articles, drop, new, rules,
                                         reference))
    resolution = resolver.resolution()
    warnings: list[str] = []
    if review is not None:
        resolution, warnings = apply_curation(resolution, review)
    text = graph_text(resolution, saved.previous if saved is not None else None)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{output}: cannot create the output folder ({exc.strerror})") from None
    files = [output / "graph.ttl", output / "graph.trig"]
    with _staged(output) as stage:
        text.write(stage / "graph.ttl", stage / "graph.trig")
        if html:
            quads = ox.parse(path=stage / "graph.trig", format=ox.RdfFormat.TRIG)
            render_html(TripleIndex(quads), stage / "graph.html", title=f"newsgraph: {output.name}")
            files.append(output / "graph.html")
    if not html:
        (output / "graph.html").unlink(missing_ok=True)   # never leave a page that shows another graph
    cache.save(new, {a.key: a.content_hash for a in resolution.articles}, signature, None if fresh else cached)
    cache.save_state(resolver.state(), text.layout, signature, reviewed)
    return BuildResult(output, tuple(files), len(resolution.articles), len(resolution.visits),
                       len(resolution.works), len(resolution.entities), text.triples, tuple(warnings), len(new),
                       continued, text.copied)


def _continued(saved: SavedState | None, cached: dict[str, str], drop: set[str], new: list[Extraction],
               reference: Reference) -> Resolver | None:
    """The last build's resolver with ``new`` added, when that gives what resolving everything would.

    That needs a saved state of exactly the articles the manifest names
    (a build that stopped between the two leaves them apart), nothing removed
    or replaced, and new articles whose keys sort after the others
    (``Resolver.accepts``).
    """
    if saved is None or drop or any(e.article.key in cached for e in new):
        return None
    resolver = Resolver.from_state(saved.resolver, reference)
    held = {key: article.content_hash for key, article in resolver.articles.items()}
    if held != cached or not resolver.accepts(new):
        return None
    resolver.add(new)
    return resolver


def _cached_extractions(cache: BuildCache, cached: dict[str, str], stale: bool, articles: list[Article],
                        drop: set[str], new: list[Extraction], rules: Rules, reference: Reference) -> list[Extraction]:
    """Every article's extraction: ``new`` ones, and the cached ones (read again when ``stale`` rules made them)."""
    given = {a.key for a in articles}
    extractions = {e.article.key: e for e in new}
    for key in sorted(cached):
        if key in drop or key in extractions:
            continue
        if key in given or not stale:
            extraction = cache.load(key)
        else:
            extraction = extract(cache.load(key).article, rules, reference)
            new.append(extraction)
        extractions[key] = extraction
    return list(extractions.values())


class _gc_paused:
    """Python's cycle collector off for a while: a build makes millions of objects and frees few before it
    ends, so collecting finds nothing, and each full collection walks them all (measured: two thirds of
    reading a saved state, and 0.4 s of writing the cache of a graph of 10,000 articles)."""

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()


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
