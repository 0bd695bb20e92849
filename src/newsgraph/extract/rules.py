"""The extraction rules, loaded from ``ontology/rules/extraction.yaml`` into typed objects.

Rules are data so that analysts can extend trigger phrases, titles and
organization heads without touching code. Every phrase list is compiled once
into a regular expression that prefers the longest alternative.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml

from newsgraph.errors import ConfigError

__all__ = ["Caseless", "Rules", "WordLed", "first_words", "fold_case", "load_rules", "phrase_pattern",
           "word_start_pattern"]

_SCHEMA: dict[str, dict[str, type]] = {
    "sentences": {"abbreviations": list},
    "officials": {"titles": list, "executive_titles": list, "title_modifiers": list,
                  "government_heads": list, "pronouns": list, "definite_titles": list},
    "organizations": {"heads": list, "legal_suffixes": list, "types": dict, "place_heads": list,
                      "media": list, "site_nouns": list, "anaphors": list, "descriptors": list},
    "visits": {"active": list, "passive": list, "fronted": list, "during": list, "companions": list,
               "companion_verbs": list, "negators": list, "remote": list},
    "dates": {"weekdays": list, "future_markers": list},
    "technologies": {"heads": list, "stoplist": list, "patterns": list},
}


def phrase_pattern(phrases, flexible: bool = True) -> str:
    """A regex matching any of ``phrases``, the longest where several match.

    The alternatives are folded into a character trie ("vice (?:premier|mayor)"),
    which Python's regex engine runs many times faster than a flat list of
    hundreds of alternatives. With ``flexible``, a space matches any run of
    whitespace and a hyphen matches a hyphen or a space.
    """
    trie = _trie(phrases)
    return _trie_regex(trie, flexible) if trie else "(?!)"


def word_start_pattern(phrases, not_after: str = r"\w", flexible: bool = True) -> str:
    """``(?<!{not_after})`` followed by :func:`phrase_pattern`, written so that it runs fast.

    A pattern that opens with a lookbehind (or ``\\b``) makes Python's regex
    engine try every position of the text; one that opens with a character
    lets it skip to the phrases' first letters (two to three times faster).
    So each first character comes first and the lookbehind checks the
    character before it. ``not_after`` must match one character; the phrases
    must not start with a space. ``\\b`` before a phrase starting with a word
    character is ``not_after=r"\\w"``.
    """
    trie = _trie(phrases)
    branches = []
    for char in sorted(c for c in trie if c):
        atom = _atom(char, flexible)
        branches.append(f"{atom}(?<!{not_after}{atom}){_trie_regex(trie[char], flexible)}")
    return "(?:" + "|".join(branches) + ")" if branches else "(?!)"


def _trie(phrases) -> dict:
    """The phrases as a character trie; "" marks where a phrase ends."""
    trie: dict = {}
    for phrase in set(phrases):
        node = trie
        for char in phrase.strip():
            node = node.setdefault(char, {})
        node[""] = {}
    return trie


def _atom(char: str, flexible: bool) -> str:
    if flexible and char == " ":
        return r"[\s\-]+"
    if flexible and char == "-":
        return r"[-\s]"
    return re.escape(char)


# Letters that IGNORECASE matches with an ASCII letter but str.lower() does not turn into one
# ("İ".lower() is even two characters long).
_TO_ASCII = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def fold_case(text: str) -> str:
    """``text`` in lower case, for patterns written in lower case to run on without IGNORECASE.

    The copy keeps every offset, and a lower-case pattern whose letters are ASCII
    matches it exactly where the same pattern with IGNORECASE matches ``text``
    (which makes Python's regex engine about 2.5 times slower). str.lower() alone
    is not enough: the engine matches "ı" as "i" and "ſ" as "s", and "İ" lower-cases
    to two characters; the Kelvin sign "K" it already turns into "k".
    """
    if not text.isascii() and any(c in text for c in "İıſ"):
        text = text.translate(_TO_ASCII)
    return text.lower()


class Caseless:
    """A pattern that ignores case, run on the folded text instead of with IGNORECASE where that is exact.

    Python's regex engine runs an IGNORECASE pattern about 2.5 times slower than
    the same pattern on a lower-cased copy of the text. A source written in lower
    case with ASCII letters runs on :func:`fold_case` of the text; any other keeps
    IGNORECASE. Matches are on that copy, so they give offsets: take the matched
    text from the original.
    """

    def __init__(self, source: str) -> None:
        chars = re.sub(r"\\.", "", source)   # "\\W" is a class, not an upper-case letter
        self.folds = all(c.lower() == c.upper() or c.isascii() and c.islower() for c in chars)
        self.pattern = re.compile(source, 0 if self.folds else re.IGNORECASE)

    def text(self, text: str) -> str:
        """The text this pattern runs on: ``text`` folded, or as it is."""
        return fold_case(text) if self.folds else text

    def finditer(self, text: str) -> Iterator[re.Match]:
        return self.pattern.finditer(self.text(text))

    def search(self, text: str) -> re.Match | None:
        return self.pattern.search(self.text(text))

    def match(self, text: str) -> re.Match | None:
        return self.pattern.match(self.text(text))


class WordLed:
    """A pattern that opens with ``\\b`` and one of some words, looked for where one of them starts.

    Python's regex engine tries a pattern that opens with ``\\b`` at every position
    of the text, but skips ahead to a literal many times faster. So each of
    ``words`` is found as a literal on the folded text, which keeps every offset
    and where a word starts (checked for every character), in any case; the
    pattern runs only there. Every match must open with one of ``words`` in some
    case; ``words`` that are not plain lower-case ASCII, where folding may not
    find them, leave the pattern to scan the whole text.
    """

    def __init__(self, pattern: re.Pattern, words) -> None:
        self.pattern = pattern
        words = set(words)
        plain = all(re.fullmatch(r"[a-z0-9]+", w) for w in words)
        self.leads = [re.compile(rf"{w}(?<!\w{w})") for w in sorted(words)] if plain else None

    def finditer(self, text: str, folded: str) -> Iterator[re.Match]:
        """What ``pattern.finditer(text)`` gives; ``folded`` is :func:`fold_case` of ``text``."""
        if self.leads is None:
            yield from self.pattern.finditer(text)
            return
        pos = 0
        for start in sorted({m.start() for lead in self.leads for m in lead.finditer(folded)}):
            # finditer takes the first match at or after where the last one ended
            if start >= pos and (m := self.pattern.match(text, start)) is not None:
                yield m
                pos = m.end()


def first_words(phrases) -> set[str]:
    """The first word of each phrase, as :func:`phrase_pattern` reads it (a hyphen or space ends it)."""
    return {re.split(r"[\s\-]", phrase.strip().lower())[0] for phrase in phrases}


def _trie_regex(node: dict, flexible: bool) -> str:
    ends_here = "" in node
    branches = []
    for char in sorted(c for c in node if c):
        branches.append(_atom(char, flexible) + _trie_regex(node[char], flexible))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends_here else body


@dataclass(frozen=True, eq=False)
class Rules:
    """Typed view of the rule file; sets are lower-cased. Hashed by identity, so caches key on it."""

    abbreviations: frozenset[str]
    titles: frozenset[str]
    executive_titles: frozenset[str]
    title_modifiers: frozenset[str]
    government_heads: frozenset[str]
    pronouns: frozenset[str]
    definite_titles: frozenset[str]
    org_heads: frozenset[str]
    legal_suffixes: tuple[str, ...]
    org_types: dict[str, frozenset[str]]
    place_heads: frozenset[str]
    media: frozenset[str]
    site_nouns: frozenset[str]
    anaphors: frozenset[str]
    descriptors: frozenset[str]
    visit_active: frozenset[str]
    visit_passive: frozenset[str]
    visit_fronted: frozenset[str]
    visit_during: frozenset[str]
    companions: frozenset[str]
    companion_verbs: frozenset[str]
    negators: frozenset[str]
    remote: frozenset[str]
    weekdays: tuple[str, ...]
    future_markers: frozenset[str]
    tech_heads: frozenset[str]
    tech_stoplist: frozenset[str]
    tech_patterns: frozenset[str]
    source: str = ""


def _lower_set(values: list) -> frozenset[str]:
    return frozenset(str(v).strip().lower() for v in values)


def _validate(data: object, source: str) -> list[str]:
    problems = []
    if not isinstance(data, dict):
        return [f"{source}: the file must be a mapping with sections {', '.join(_SCHEMA)}"]
    for section, keys in _SCHEMA.items():
        block = data.get(section)
        if not isinstance(block, dict):
            problems.append(f"{source}: {section}: missing section (expected keys {', '.join(keys)})")
            continue
        for key, kind in keys.items():
            if not isinstance(block.get(key), kind):
                problems.append(f"{source}: {section} -> {key}: expected a {kind.__name__}")
        for key in block:
            if key not in keys:
                problems.append(f"{source}: {section} -> {key}: unknown key; known: {', '.join(keys)}")
    for section in data:
        if section not in _SCHEMA:
            problems.append(f"{source}: {section}: unknown section; known: {', '.join(_SCHEMA)}")
    return problems


def load_rules(path: Path | None = None) -> Rules:
    """Load and validate a rule file (the bundled one by default).

    >>> "visited" in load_rules().visit_active
    True
    """
    if path is None:
        return _bundled_rules()
    return _read_rules(Path(path))


@cache
def _bundled_rules() -> Rules:
    return _read_rules(Path(str(files("newsgraph") / "ontology" / "rules" / "extraction.yaml")))


def _read_rules(path: Path) -> Rules:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such rule file") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    problems = _validate(data, path.name)
    if problems:
        raise ConfigError("; ".join(problems))
    o, g, v, d, t = (data["officials"], data["organizations"], data["visits"], data["dates"],
                     data["technologies"])
    return Rules(
        abbreviations=_lower_set(data["sentences"]["abbreviations"]),
        titles=_lower_set(o["titles"]),
        executive_titles=_lower_set(o["executive_titles"]),
        title_modifiers=_lower_set(o["title_modifiers"]),
        government_heads=_lower_set(o["government_heads"]),
        pronouns=_lower_set(o["pronouns"]),
        definite_titles=_lower_set(o["definite_titles"]),
        org_heads=_lower_set(g["heads"]),
        legal_suffixes=tuple(sorted({str(s) for s in g["legal_suffixes"]}, key=lambda s: (-len(s), s))),
        org_types={str(k): _lower_set(v or []) for k, v in g["types"].items()},
        place_heads=_lower_set(g["place_heads"]),
        media=_lower_set(g["media"]),
        site_nouns=_lower_set(g["site_nouns"]),
        anaphors=_lower_set(g["anaphors"]),
        descriptors=_lower_set(g["descriptors"]),
        visit_active=_lower_set(v["active"]),
        visit_passive=_lower_set(v["passive"]),
        visit_fronted=_lower_set(v["fronted"]),
        visit_during=_lower_set(v["during"]),
        companions=_lower_set(v["companions"]),
        companion_verbs=_lower_set(v["companion_verbs"]),
        negators=_lower_set(v["negators"]),
        remote=_lower_set(v["remote"]),
        weekdays=tuple(str(w).lower() for w in d["weekdays"]),
        future_markers=_lower_set(d["future_markers"]),
        tech_heads=_lower_set(t["heads"]),
        tech_stoplist=_lower_set(t["stoplist"]),
        tech_patterns=_lower_set(t["patterns"]),
        source=path.name,
    )
