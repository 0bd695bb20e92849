"""Extraction: one article in, its mentions and relations out.

The stages run in order, each a plain function over data classes:
sentences → names (first pass) → coreference (every mention) → dates →
relations. ``extract`` composes them; a failing stage is named in the error.
"""

from __future__ import annotations

from newsgraph.errors import ExtractionError
from newsgraph.extract.coreference import resolve_mentions
from newsgraph.extract.dates import find_anchor, find_dates
from newsgraph.extract.names import find_names
from newsgraph.extract.relations import find_relations
from newsgraph.extract.rules import Rules, load_rules
from newsgraph.extract.sentences import split_sentences
from newsgraph.model import Article, Extraction
from newsgraph.reference import Reference, load_reference

__all__ = ["extract", "Rules", "load_rules"]


def extract(article: Article, rules: Rules | None = None, reference: Reference | None = None) -> Extraction:
    """Read the facts of one article.

    >>> from newsgraph.documents import read_article
    >>> facts = extract(read_article("article.txt"))  # doctest: +SKIP
    >>> [(r.subject.name, r.predicate, r.object.name) for r in facts.relations]  # doctest: +SKIP
    [('Li Qiang', 'visited', 'Baidu'), ...]
    """
    rules = rules or load_rules()
    reference = reference or load_reference()
    stage = "sentences"
    try:
        sentences = split_sentences(article.text, rules.abbreviations)
        stage = "names"
        names = find_names(article.text, rules, reference)
        stage = "coreference"
        mentions = resolve_mentions(article.text, names, rules, reference)
        stage = "dates"
        dates = find_dates(article.text)
        anchor = find_anchor(article, dates)
        stage = "relations"
        relations, rejections = find_relations(article.text, sentences, mentions, dates, anchor, rules,
                                               reference, article.key)
    except Exception as exc:  # a bug in one stage must name the article and the stage
        raise ExtractionError(f"{article.path}: extraction failed in stage '{stage}': {exc!r}") from exc
    return Extraction(article=article, mentions=tuple(mentions), relations=tuple(relations),
                      rejections=tuple(rejections))
