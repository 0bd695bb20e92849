"""newsgraph: news reports of officials' visits to companies and institutes, as a knowledge graph.

>>> from newsgraph import build_graph
>>> result = build_graph(["examples/articles"], "graphs/example")  # doctest: +SKIP
>>> result.visits  # doctest: +SKIP
8
"""

from newsgraph.errors import NewsgraphError
from newsgraph.extract import extract
from newsgraph.model import Article, Evidence, Extraction, Mention, PartialDate, Relation
from newsgraph.pipeline import build_graph, remove_articles
from newsgraph.reference import load_reference

__all__ = [
    "build_graph", "remove_articles", "extract", "load_reference",
    "Article", "Mention", "Relation", "Evidence", "Extraction", "PartialDate", "NewsgraphError",
]
