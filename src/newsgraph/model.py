"""The plain records that pass between pipeline stages.

Every stage takes and returns these frozen data classes, so each stage can be
tested and replaced alone, and records can be hashed, deduplicated and compared.
Character offsets always refer to ``Article.text``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "Article", "Sentence", "Mention", "PartialDate", "Evidence", "Relation",
    "Rejection", "Extraction",
]


@dataclass(frozen=True)
class Article:
    """One source document, as read from disk.

    ``key`` is the readable, stable part of the article's IRI (from the file
    name); ``content_hash`` (``sha256:...`` of the raw bytes) tells whether an
    incremental build has seen it before.
    """

    key: str
    path: str
    text: str
    content_hash: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Sentence:
    """A sentence span of the article text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """A span of text that names (or points back to) an entity.

    ``label`` is ``official``, ``organization`` or ``technology``. ``name`` is
    the canonical name within the article once coreference has run (a surname
    "Li" gets "Li Qiang"); ``detail`` keeps what the span adds to the name: a
    job title for an official, a site ("Yizhuang office area") for an
    organization. ``rule`` says which pattern found it. ``key`` is the
    reference data's key when the text names the entity by a known alias
    ("Guoxuan High-tech" in "Hefei Guoxuan High-tech Power Energy Co., Ltd.").
    """

    start: int
    end: int
    text: str
    label: str
    name: str
    detail: str | None = None
    kind: str | None = None
    rule: str = ""
    key: str | None = None


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date of which the year, or more, may be unknown.

    Reports often give "on the 22nd" or "Tuesday" with no year we can trust;
    such a date is kept partial rather than guessed.
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @property
    def complete(self) -> bool:
        return None not in (self.year, self.month, self.day)

    def to_date(self) -> dt.date | None:
        return dt.date(self.year, self.month, self.day) if self.complete else None  # type: ignore[arg-type]

    def isoformat(self) -> str:
        """ISO 8601 text, or the XSD lexical form of the partial type (``--03-13``)."""
        y, m, d = self.year, self.month, self.day
        if y and m and d:
            return f"{y:04d}-{m:02d}-{d:02d}"
        if y and m:
            return f"{y:04d}-{m:02d}"
        if m and d:
            return f"--{m:02d}-{d:02d}"
        if y:
            return f"{y:04d}"
        if m:
            return f"--{m:02d}"
        return ""

    def __str__(self) -> str:
        return self.isoformat()


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: the sentence, its offsets and the rule that read it."""

    article: str
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float


@dataclass(frozen=True)
class Relation:
    """A fact read from one article.

    ``predicate`` is an ontology term name (``visited`` or ``worksOn``);
    ``subject`` and ``object`` are mentions whose ``name`` is already the
    article-level canonical name. A visit carries its date and the site detail.
    """

    predicate: str
    subject: Mention
    object: Mention
    evidence: Evidence
    date: PartialDate | None = None


@dataclass(frozen=True)
class Rejection:
    """A candidate fact or mention a rule turned down, and why (for ``explain``)."""

    what: str
    reason: str
    rule: str
    start: int
    end: int


@dataclass(frozen=True)
class Extraction:
    """Everything extraction read from one article."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    rejections: tuple[Rejection, ...] = field(default=(), compare=False)
