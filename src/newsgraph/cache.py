"""The build cache: what each article of a graph yielded, so later builds need not read it again.

A build folder keeps ``.newsgraph/`` beside its graph files:

- ``extractions/<article key>.json``: the article (text and metadata) and
  what extraction read from it;
- ``manifest.json``: the articles in the graph, each with its content hash,
  and the signature of the rules and reference data that read them;
- ``state.bin``: what resolution knew after the last build and where each
  article's blocks sit in the graph files (``marshal``, plain values only).

An incremental build extracts only articles whose content hash is new, and
takes the others from here. When the new articles' keys sort after all the
others, resolution continues from ``state.bin`` instead of starting over, and
the graph files are put together from the blocks of the last build that did
not change (``rdf.graph_text``); both give what a fresh build gives. The
state is only read when the rules, the reference data, the curation file and
the code of resolution and of the graph's text are those that wrote it.

When the rules or reference data change, the cached articles are extracted
again from their cached text, so a graph never mixes two versions of the rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import marshal
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from newsgraph.errors import InputError
from newsgraph.model import Article, Evidence, Extraction, Mention, PartialDate, Relation
from newsgraph.rdf import Layout, Previous

__all__ = ["BuildCache", "SavedState", "rules_signature", "file_digest"]

CACHE_FOLDER = ".newsgraph"
FORMAT = 2         # of the manifest and the extraction files
STATE_FORMAT = 1   # of state.bin


def rules_signature(reference_files: Sequence[Path] = ()) -> str:
    """What decides extraction: the extractor's code, its rules and the reference data, bundled and extra.

    A cached extraction made under another signature is read again from its cached text.
    """
    digest = hashlib.sha256()
    package = files("newsgraph")
    sources = sorted((package / "extract").iterdir(), key=lambda p: p.name)
    sources += [package / "ontology" / "rules" / "extraction.yaml"]
    sources += [package / "ontology" / "reference" / f"{name}.yaml"
                for name in ("officials", "organizations", "technologies")]
    for source in sources:
        if source.name.endswith((".py", ".yaml")):
            digest.update(source.read_bytes())
    for path in reference_files:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def file_digest(path: Path | None) -> str | None:
    """The sha256 of a file, or None for no file: what a curation file said, for ``SavedState``."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path is not None else None


@dataclass(frozen=True)
class SavedState:
    """What the last build left for the next: resolution's state and, if the files are untouched, the files."""

    resolver: dict
    previous: Previous | None


class BuildCache:
    """The cache folder of one build output."""

    def __init__(self, output: Path) -> None:
        self.folder = Path(output) / CACHE_FOLDER
        self.extractions = self.folder / "extractions"
        self.manifest_path = self.folder / "manifest.json"
        self.state_path = self.folder / "state.bin"
        self.output = Path(output)

    def manifest(self) -> tuple[dict[str, str], str | None]:
        """The cached articles (key → content hash) and the rules signature they were read with."""
        if not self.manifest_path.exists():
            return {}, None
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            articles, signature, version = dict(data["articles"]), data.get("signature"), data.get("format")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{self.manifest_path}: unreadable build cache ({exc}); "
                             f"rebuild with --fresh") from None
        if version != FORMAT:
            raise InputError(f"{self.manifest_path}: build cache of another newsgraph version (format {version}, "
                             f"this one reads {FORMAT}); rebuild with --fresh")
        return articles, signature

    def load(self, key: str) -> Extraction:
        path = self.extractions / f"{key}.json"
        try:
            return _extraction(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}: unreadable build cache ({exc}); rebuild with --fresh") from None

    def save(self, extractions: Iterable[Extraction], keep: dict[str, str], signature: str,
             before: Iterable[str] | None = None) -> None:
        """Write new extractions, then the manifest naming exactly the articles in ``keep``.

        ``before`` names the articles the folder held; the extractions of those
        not kept are deleted. Without it, every file in the folder is looked at.
        """
        self.extractions.mkdir(parents=True, exist_ok=True)
        for extraction in extractions:
            # Written in place: until the manifest below names this content hash, no build reads the file.
            (self.extractions / f"{extraction.article.key}.json").write_text(
                json.dumps(_plain(extraction), ensure_ascii=False, sort_keys=True), encoding="utf-8")
        held = before if before is not None else (path.stem for path in self.extractions.glob("*.json"))
        for key in held:
            if key not in keep:
                (self.extractions / f"{key}.json").unlink(missing_ok=True)
        manifest = {"format": FORMAT, "signature": signature, "articles": dict(sorted(keep.items()))}
        _write_atomic(self.manifest_path, json.dumps(manifest, indent=1, sort_keys=True))

    def load_state(self, signature: str, curation: str | None) -> SavedState | None:
        """The state the last build saved, if it was made with the same rules, reference data and curation.

        The state only saves time, so anything amiss (missing, written by
        another version, damaged) means None and a build from the cache.
        """
        try:
            data = marshal.loads(self.state_path.read_bytes())
            if (data["format"], data["python"], data["code"], data["signature"]) != (
                    STATE_FORMAT, _PYTHON, _state_code(), signature):
                return None
            files = self._file_stats()
            previous = None
            if data["curation"] == curation and files == data["files"]:
                previous = Previous(memoryview((self.output / "graph.ttl").read_bytes()),
                                    memoryview((self.output / "graph.trig").read_bytes()), Layout(*data["layout"]))
            return SavedState(data["resolver"], previous)
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            return None

    def save_state(self, resolver: dict, layout: Layout, signature: str, curation: str | None) -> None:
        """Save resolution's state and the layout of the graph files just written (after they are in place)."""
        data = {"format": STATE_FORMAT, "python": _PYTHON, "code": _state_code(), "signature": signature,
                "curation": curation, "files": self._file_stats(),
                "layout": (layout.articles, layout.visits, layout.entities), "resolver": resolver}
        tmp = self.state_path.with_name(self.state_path.name + ".tmp")
        tmp.write_bytes(marshal.dumps(data))
        os.replace(tmp, self.state_path)

    def _file_stats(self) -> list:
        """Size and modification time of the graph files: a changed file is never copied from."""
        stats = []
        for name in ("graph.ttl", "graph.trig"):
            try:
                st = (self.output / name).stat()
                stats.append((name, st.st_size, st.st_mtime_ns))
            except OSError:
                stats.append((name, None, None))
        return stats


# marshal's format may change between Python versions; a state from another one is not read.
_PYTHON = "{}.{}".format(*sys.version_info[:2])


@lru_cache(maxsize=1)
def _state_code() -> str:
    """What decides the state beyond the rules: the code of resolution and of the graph's text."""
    digest = hashlib.sha256()
    package = files("newsgraph")
    for name in ("fuzzy.py", "model.py", "namespaces.py", "rdf.py", "resolve.py", "text.py", "turtle.py"):
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:16]


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _plain(extraction: Extraction) -> dict:
    """An extraction as JSON rows: fields in their data classes' order, not dicts (4x faster both ways)."""
    a = extraction.article
    return {
        "article": [a.key, a.path, a.text, a.content_hash, a.title, a.published.isoformat() if a.published else None,
                    a.source, a.url, a.language],
        "mentions": [_row(m) for m in extraction.mentions],
        "relations": [_relation_row(r) for r in extraction.relations],
    }


def _row(record: Mention | Evidence) -> list:
    """A data class's fields, in their declared order (what ``Mention(*row)`` takes back)."""
    return list(record.__dict__.values())


def _relation_row(r: Relation) -> list:
    d = r.date
    return [r.predicate, _row(r.subject), _row(r.object), _row(r.evidence), [d.year, d.month, d.day] if d else None]


def _extraction(data: dict) -> Extraction:
    row = data["article"]
    published = dt.date.fromisoformat(row[5]) if row[5] else None
    article = Article(*row[:5], published, *row[6:])
    relations = tuple(Relation(p, Mention(*s), Mention(*o), Evidence(*e), PartialDate(*d) if d else None)
                      for p, s, o, e, d in data["relations"])
    return Extraction(article, tuple(Mention(*m) for m in data["mentions"]), relations)
