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

from newsgraph.extract.rules import Caseless, Rules, phrase_pattern
from newsgraph.reference import Reference

__all__ = ["Technology", "technologies_in"]


@dataclass(frozen=True)
class Technology:
    """A technology found in a phrase: a vocabulary key, or None with a new label."""

    label: str
    key: str | None
    start: int
    end: int
    surface: str


# Words that start a phrase without adding to it.
_LEADING = frozenset("""and or the a an its their his her our other some several more new latest own own-brand first
such various many key major main advanced high-end domestic local world's country's china's company's
group's firm's enterprise's""".split())
# Modifiers that say how or by whom something is made, not what it is ("domestically made").
_NOT_TECHNICAL = re.compile(r"(?i)\w+ly|made|built|owned|based|designed|developed|produced|home-?grown|"
                            r"own-brand|latest|largest|biggest|leading|major|main|key|top|best")
# Words at which a technology phrase ends.
_CUT = re.compile(r"(?:\s+|^)(?:which|that|who|where|based|located|used|rated|destined|guided|developed|in|at|on|to|"
                  r"from|with|by|since|as|while|into|are|is|was|were|has|have|had|will|would|can|could|"
                  r"through|across|among|around|after|before|alongside|under|via|than|so|but)\b.*$", re.S)


@lru_cache(maxsize=4)
def _vocabulary(reference: Reference) -> tuple[Caseless, dict[str, str]]:
    """One pattern for every label and alternative label, singular or plural."""
    forms: dict[str, str] = {}
    for tech in reference.technologies:
        for name in (tech.label, *tech.alt_labels):
            forms.setdefault(_norm(name), tech.key)
    variants = set()
    for form in forms:
        variants |= {form, form + "s", form + "es"}
        if form.endswith("s") and len(form.split()[-1]) > 3:
            variants.add(form[:-1])
    pattern = Caseless(rf"(?<![\w-]){phrase_pattern(variants)}(?![\w-])")
    return pattern, forms


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text.lower().replace("’", "'")).strip()


_SPACES = re.compile(r"[\s\-]+")


def _key_for(surface: str, forms: dict[str, str]) -> str | None:
    norm = _norm(surface)
    for candidate in (norm, norm + "s", norm[:-1] if norm.endswith("s") else norm, norm[:-2] if norm.endswith("es") else norm):
        if candidate in forms:
            return forms[candidate]
    return None


def technologies_in(phrase: str, offset: int, rules: Rules, reference: Reference, *, allow_new: bool = True) -> list[Technology]:
    """The technologies a phrase names, normalised; ``offset`` places the phrase in the article.

    >>> [t.label for t in technologies_in("storage chip and other integrated circuit products", 0, rules, ref)]  # doctest: +SKIP
    ['memory chips', 'integrated circuits']
    """
    return [Technology(t.label, t.key, t.start + offset, t.end + offset, t.surface)
            for t in _technologies(phrase, rules, reference, allow_new)]


@lru_cache(maxsize=8192)
def _technologies(phrase: str, rules: Rules, reference: Reference, allow_new: bool) -> tuple[Technology, ...]:
    """The technologies of a phrase at offset 0, remembered: the same phrases ("the drone maker") recur."""
    phrase = _CUT.sub("", phrase)
    found: list[Technology] = []
    # Vocabulary terms with a conjunction inside ("optical fiber and cable") are taken whole first.
    for tech in _vocabulary_matches(phrase, 0, reference):
        if " and " in tech.surface or "," in tech.surface:
            found.append(tech)
            phrase = phrase[:tech.start] + "\0" * len(tech.surface) + phrase[tech.start + len(tech.surface):]
    for part_start, part, elliptic in _coordinated_parts(phrase, rules):
        if "\0" in part:
            continue
        if elliptic:   # "new energy [vehicles]": only a vocabulary term may complete it
            found += _vocabulary_matches(part, part_start, reference)
        else:
            found += _in_part(part, part_start, rules, reference, allow_new)
    unique: dict[str, Technology] = {}
    for tech in found:
        unique.setdefault(tech.key or tech.label.lower(), tech)
    return tuple(unique.values())


def _in_part(part: str, offset: int, rules: Rules, reference: Reference, allow_new: bool) -> list[Technology]:
    """"controllers for robots and CNC machine tools" is one thing; "batteries for electric cars" names batteries."""
    head, sep, _rest = part.partition(" for ")
    if sep:
        in_head = _vocabulary_matches(head, offset, reference)
        if in_head:
            return in_head
        head_word = head.split()[-1].lower() if head.split() else ""
        if head_word in rules.tech_heads and head_word not in rules.tech_stoplist:
            new = _new_term(part, rules) if allow_new else None
            return [_new(new, part, offset)] if new else []
        # "a new factory for 300-millimetre wafers": what the factory is for is the technology
        rest = part[len(head) + len(sep):]
        return _in_part(rest, offset + len(head) + len(sep), rules, reference, allow_new)
    matches = _vocabulary_matches(part, offset, reference)
    if not allow_new:
        return matches
    new = _new_term(part, rules)
    # "analog chips" says more than the vocabulary's "chips": a lone head word gives way to its phrase
    if new and len(matches) == 1 and " " not in matches[0].surface.strip() and new.lower().endswith(
            matches[0].surface.lower()) and len(new.split()) >= 2 and not any(
            _NOT_TECHNICAL.fullmatch(w) for w in new.split()[:-1]):
        return [_new(new, part, offset)]
    if matches:
        return matches
    return [_new(new, part, offset)] if new else []


def _new(term: str, part: str, offset: int) -> Technology:
    start = max(part.find(term), 0)
    return Technology(term, None, offset + start, offset + start + len(term), term)


def _vocabulary_matches(text: str, offset: int, reference: Reference) -> list[Technology]:
    pattern, forms = _vocabulary(reference)
    found = []
    for m in pattern.finditer(text):
        surface = text[m.start():m.end()]
        key = _key_for(surface, forms)
        if key is not None:
            found.append(Technology(reference.technology(key).label, key, offset + m.start(), offset + m.end(), surface))
    return found


def _coordinated_parts(phrase: str, rules: Rules) -> list[tuple[int, str, bool]]:
    """Split "A, B and C" into its parts.

    "new energy and intelligent connected vehicles" shares its head, so the
    first part becomes "new energy vehicles"; brand names ("Roewe and MG
    models") and phrases with an "of" or "for" before the "and" stay whole.
    """
    if _OF_BEFORE_AND.search(phrase):
        return [(0, phrase, False)]
    parts, cursor = [], 0
    for m in _COORDINATION.finditer(phrase):
        parts.append((cursor, phrase[cursor:m.start()]))
        cursor = m.end()
    parts.append((cursor, phrase[cursor:]))
    parts = [(s, p) for s, p in parts if p.strip()]
    if len(parts) < 2:
        return [(s, p, False) for s, p in parts]
    last_words = parts[-1][1].split()
    shared_head = last_words[-1] if last_words and last_words[-1].lower() in rules.tech_heads else None
    out = []
    for start, part in parts[:-1]:
        words = part.split()
        if len(words) == 1 and words[0][:1].isupper() and shared_head:
            return [(0, phrase, False)]   # "Roewe and MG models": brands sharing one head
        if shared_head and words and words[-1].lower() not in rules.tech_heads:
            out.append((start, part + " " + shared_head, True))
        else:
            out.append((start, part, False))
    return out + [(parts[-1][0], parts[-1][1], False)]


_OF_BEFORE_AND = re.compile(r"\b(?:for|of)\b.*\band\b")
_COORDINATION = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or|as well as)\s+")


def _new_term(part: str, rules: Rules) -> str | None:
    """A technology phrase outside the vocabulary: a short noun phrase with a technology head."""
    words = [w for w in _SPACE.split(part.strip(" .;:\"'“”()")) if w]
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    while words and not _LETTER.search(words[-1]):
        words.pop()
    if len(words) < 2 or len(words) > 7:
        return None   # a lone head ("cables", "chips") is too vague to be a technology of its own
    text = " ".join(words)
    head = words[-1].lower()
    if head not in rules.tech_heads or text.lower() in rules.tech_stoplist:
        return None
    if len(words) == 1 and head in rules.tech_stoplist:
        return None
    if words[0][:1].isupper() and not words[0].isupper():
        return None   # a brand or product name ("Roewe and MG models"), not a technology
    return text


_SPACE = re.compile(r"\s+")
_LETTER = re.compile(r"[A-Za-z]")
