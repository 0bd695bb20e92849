"""Technologies: normalise a noun phrase against the SKOS vocabulary, or keep it as a new term.

"large model products" → large models; "storage chip" → memory chips;
"controllers for robots and CNC machine tools" is outside the vocabulary but
has a technology head, so it is kept as it is. Generic phrases ("technology",
"modern industrial system") are never technologies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from newsgraph.extract.rules import Rules
from newsgraph.reference import Reference

__all__ = ["Technology", "technologies_in"]


@dataclass(frozen=True)
class Technology:
    """A technology found in a phrase: a vocabulary key, or None with a new label."""

    label: str
    key: str | None
    start: int
    end: int


# Words that start a phrase without adding to it.
_LEADING = frozenset("""the a an its their his her our other some several more new latest own first
such various many key major main advanced high-end domestic local world's country's china's company's
group's firm's enterprise's""".split())
# Words at which a technology phrase ends.
_CUT = re.compile(r"(?:\s+|^)(?:which|that|who|where|based|located|used|rated|destined|guided|developed|in|at|on|to|"
                  r"from|with|by|since|as|while|into|are|is|was|were|has|have|had|will|would|can|could|"
                  r"through|across|among|around|after|before|alongside|under|via|than|so|but)\b.*$", re.S)


@lru_cache(maxsize=4)
def _vocabulary(reference: Reference) -> tuple[re.Pattern, dict[str, str]]:
    forms: dict[str, str] = {}
    for tech in reference.technologies:
        for name in (tech.label, *tech.alt_labels):
            forms.setdefault(_norm(name), tech.key)
    alternatives = []
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        words = [re.escape(w) for w in form.split()]
        if words[-1].endswith("s") and len(words[-1]) > 3:
            words[-1] = words[-1][:-1] + "s?"
        else:
            words[-1] += "(?:s|es)?"
        alternatives.append(r"[\s\-]+".join(words))
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.I)
    return pattern, forms


def _norm(text: str) -> str:
    return re.sub(r"[\s\-]+", " ", text.lower().replace("’", "'")).strip()


def _key_for(surface: str, forms: dict[str, str]) -> str | None:
    norm = _norm(surface)
    for candidate in (norm, norm + "s", norm[:-1] if norm.endswith("s") else norm, norm[:-2] if norm.endswith("es") else norm):
        if candidate in forms:
            return forms[candidate]
    return None


def technologies_in(phrase: str, offset: int, rules: Rules, reference: Reference, *, allow_new: bool = True) -> list[Technology]:
    """The technologies a phrase names, normalised; ``offset`` places them in the article.

    >>> [t.label for t in technologies_in("storage chip and other integrated circuit products", 0, rules, ref)]  # doctest: +SKIP
    ['memory chips', 'integrated circuits']
    """
    phrase = _CUT.sub("", phrase)
    pattern, forms = _vocabulary(reference)
    found: list[Technology] = []
    for part_start, part in _coordinated_parts(phrase):
        part_found = False
        for m in pattern.finditer(part):
            key = _key_for(m.group(), forms)
            if key is None:
                continue
            found.append(Technology(reference.technology(key).label, key, offset + part_start + m.start(),
                                    offset + part_start + m.end()))
            part_found = True
        if part_found or not allow_new:
            continue
        new = _new_term(part, rules)
        if new:
            start = part.find(new)
            found.append(Technology(new, None, offset + part_start + start, offset + part_start + start + len(new)))
    unique: dict[str, Technology] = {}
    for tech in found:
        unique.setdefault(tech.key or tech.label, tech)
    return list(unique.values())


def _coordinated_parts(phrase: str) -> list[tuple[int, str]]:
    """Split "A, B and C" into its parts, unless "and" sits inside a "for/of" phrase."""
    if re.search(r"\b(?:for|of)\b.*\band\b", phrase):
        return [(0, phrase)]
    parts, cursor = [], 0
    for m in re.finditer(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or|as well as)\s+", phrase):
        parts.append((cursor, phrase[cursor:m.start()]))
        cursor = m.end()
    parts.append((cursor, phrase[cursor:]))
    return [(s, p) for s, p in parts if p.strip()]


def _new_term(part: str, rules: Rules) -> str | None:
    """A technology phrase outside the vocabulary: a short noun phrase with a technology head."""
    words = [w for w in re.split(r"\s+", part.strip(" .;:\"'“”()")) if w]
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    while words and not re.search(r"[A-Za-z]", words[-1]):
        words.pop()
    if not words or len(words) > 7:
        return None
    text = " ".join(words)
    head = words[-1].lower()
    if head not in rules.tech_heads or text.lower() in rules.tech_stoplist:
        return None
    if len(words) == 1 and head in rules.tech_stoplist:
        return None
    if any(w[:1].isupper() and w.lower() not in rules.tech_heads for w in words[:1]) and len(words) == 1:
        return None
    return text
