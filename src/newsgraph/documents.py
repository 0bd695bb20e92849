"""Read articles from disk: plain text and Markdown, with optional YAML front matter.

An article becomes an :class:`~newsgraph.model.Article` whose ``text`` is the
body after the front matter; every character offset in the graph refers to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from newsgraph.errors import InputError
from newsgraph.model import Article
from newsgraph.text import slugify

__all__ = ["read_article", "read_articles", "find_article_files", "ARTICLE_SUFFIXES"]

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")


def find_article_files(inputs: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders (recursively) into a sorted, de-duplicated list of article files.

    >>> find_article_files(["corpus/"])  # doctest: +SKIP
    [PosixPath('corpus/a.md'), PosixPath('corpus/b.txt')]
    """
    found: dict[Path, None] = {}
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and child.suffix.lower() in ARTICLE_SUFFIXES and not hidden:
                    found.setdefault(child, None)   # never .git/, .venv/ or editor files
        elif path.is_file():
            if path.suffix.lower() not in ARTICLE_SUFFIXES:
                raise InputError(f"{path}: not an article file (expected one of {', '.join(ARTICLE_SUFFIXES)})")
            found.setdefault(path, None)
        else:
            raise InputError(f"{path}: no such file or folder")
    return list(found)


def read_articles(inputs: Iterable[str | Path]) -> Iterator[Article]:
    """Read every article under ``inputs``; article keys are unique (``-2`` is added on a clash)."""
    paths = find_article_files(inputs)
    taken = {slugify(path.stem) for path in paths}
    used: set[str] = set()
    for path in paths:
        article = read_article(path)
        key, count = article.key, 1
        # A suffixed key must not be one that another file has by its own name.
        while key in used or (count > 1 and key in taken):
            count += 1
            key = f"{article.key}-{count}"
        used.add(key)
        yield article if key == article.key else Article(**{**article.__dict__, "key": key})


def read_article(path: str | Path) -> Article:
    """Read one article file.

    >>> read_article("d00-seed.txt").title  # doctest: +SKIP
    'Li Qiang conducted research on integrated circuit and other enterprises, revealing these signals'
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    meta, body = _split_front_matter(path, content)
    if not body.strip():
        raise InputError(f"{path}: empty article (no text after the front matter)" if meta else f"{path}: empty file")
    title = meta.get("title") or _first_line_title(body)
    return Article(
        key=slugify(path.stem),
        path=path.name,
        text=body,
        content_hash="sha256:" + hashlib.sha256(raw).hexdigest(),
        title=str(title) if title else None,
        published=_published(path, meta.get("published")),
        source=_optional_str(meta.get("source")),
        url=_optional_str(meta.get("url")),
        language=_optional_str(meta.get("language")),
    )


# libyaml's safe loader when PyYAML has it: front matter is read for every article, 10x faster in C.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _split_front_matter(path: Path, content: str) -> tuple[dict, str]:
    if not content.startswith("---\n"):
        return {}, content
    end = content.find("\n---", 3)
    if end < 0:
        raise InputError(f"{path}: front matter starts with '---' but has no closing '---' line")
    block = content[4:end]
    rest = content[end + 4:]
    rest = rest[1:] if rest.startswith("\n") else rest
    try:
        meta = yaml.load(block, Loader=_SAFE_LOADER) or {}  # noqa: S506 - a safe loader
    except ValueError:   # YAML reads 2024-02-30 as a date and fails
        raise InputError(f"{path}: front matter {_bad_date(block)}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{path}: broken front matter: {where}{problem}") from None
    if not isinstance(meta, dict):
        raise InputError(f"{path}: front matter must be a YAML mapping of keys such as title and published")
    return {str(k).lower(): v for k, v in meta.items()}, rest


def _bad_date(block: str) -> str:
    """Which key holds an impossible date, read again without YAML's date conversion."""
    raw = yaml.load(block, Loader=yaml.BaseLoader) or {}
    for key, value in raw.items() if isinstance(raw, dict) else ():
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                dt.date.fromisoformat(value.strip())
            except ValueError:
                return f"'{key}': {value.strip()!r} is not a date (use YYYY-MM-DD)"
    return "holds a value YAML cannot read"


def _published(path: Path, value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise InputError(f"{path}: front matter 'published': {text!r} is not a date (use YYYY-MM-DD)") from None


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value).strip() or None


def _first_line_title(body: str) -> str | None:
    """A plain pasted article often starts with its headline on a line of its own."""
    first = body.strip().split("\n", 1)[0].strip().lstrip("#").strip()
    return first if first and len(first) <= 200 and not first.endswith((".", ":")) else None
