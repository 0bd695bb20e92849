"""Small text helpers shared by every stage: slugs and name normalisation."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["slugify", "normalize_name", "fold"]

_NON_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHE_S = re.compile(r"['’`]s\b")
# Legal-form words that say nothing about which organization is meant.
LEGAL_SUFFIXES = frozenset(
    "co ltd limited inc corp corporation company llc plc gmbh ag sa incorporated share".split()
)


def fold(text: str) -> str:
    """Lower-case ASCII-ish form: accents stripped, curly quotes straightened."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-").lower()


def slugify(text: str) -> str:
    """A readable IRI segment: ``slugify("Xi'an Jiaotong University") == "xian-jiaotong-university"``."""
    folded = fold(text).replace("'", "").replace("&", " and ")
    return _NON_WORD.sub("-", folded).strip("-") or "unnamed"


@lru_cache(maxsize=1 << 16)   # the same names recur in every article and every stage
def normalize_name(text: str) -> str:
    """A matching key for names: case, punctuation, a leading "the" and legal suffixes dropped.

    >>> normalize_name("The Boeing Company, Inc.")
    'boeing'
    """
    folded = _APOSTROPHE_S.sub("", fold(text)).replace("&", " and ")
    tokens = _NON_WORD.sub(" ", folded).split()
    while tokens and tokens[0] == "the":
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1] in LEGAL_SUFFIXES:
        tokens.pop()
    return " ".join(tokens)
