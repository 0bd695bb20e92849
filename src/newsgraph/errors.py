"""The exceptions the library raises; the CLI turns them into one-line messages."""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""


class InputError(NewsgraphError):
    """An article or graph file that cannot be read (missing, empty, not UTF-8, bad front matter)."""


class ConfigError(NewsgraphError):
    """A YAML rule, reference or curation file that does not validate."""


class OntologyError(NewsgraphError):
    """A term or a shape that is not in the ontology."""


class ExtractionError(NewsgraphError):
    """An extraction stage failed on an article."""


class QueryError(NewsgraphError):
    """A SPARQL query that does not parse or cannot run, or an unknown named query."""
