"""Trigger patterns shared by the visit and worksOn readers, compiled once per rule set."""

from __future__ import annotations

import re
from functools import lru_cache

from newsgraph.extract.rules import Caseless, Rules, fold_case, phrase_pattern
from newsgraph.model import Mention, Sentence

__all__ = ["NOT_SITES", "possessive", "sentence_words", "trigger_patterns"]

NOT_SITES = {"government_body"}
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")
_FOLLOWING_POSSESSIVE = re.compile(r"(?:'s|’s|')(?!\w)")


def possessive(m: Mention, sentence: Sentence) -> bool:
    """"Hexin's neighbour": the mention modifies a noun instead of heading the phrase."""
    return bool(_POSSESSIVE.search(m.text) or _FOLLOWING_POSSESSIVE.match(sentence.text, m.end - sentence.start))


class _Guarded:
    """A pattern that runs only on sentences holding one of its first words.

    Most sentences hold no trigger at all; a set lookup is far cheaper than a
    regular expression over the sentence. Where every match holds one of some
    ``phrases`` ("during his visit to"), the sentence must also hold a word of
    one ("visit"). A :class:`Caseless` pattern's matches are on the folded
    sentence: take the matched text from the sentence by offset.
    """

    def __init__(self, pattern: re.Pattern | Caseless, first_words, phrases=()) -> None:
        self.pattern = pattern
        firsts = {w.split()[0].lower() for w in first_words if w.split()}
        self.first_words = frozenset(w for w in firsts if w[:1].isalpha())
        # "'s visit to" starts inside a word ("Li's"): looked for as a piece of text instead
        self.fragments = tuple(sorted(w for w in firsts if not w[:1].isalpha()))
        self.held = _held_words(phrases)

    def finditer(self, text: str, words: frozenset[str]):
        if self.first_words.isdisjoint(words) and not (self.fragments and any(f in text for f in self.fragments)):
            return iter(())
        if self.held:
            folded = fold_case(text)
            if not any(word in folded for word in self.held):
                return iter(())
        return self.pattern.finditer(text)


def _held_words(phrases) -> tuple[str, ...]:
    """Words one of which a text matching any of ``phrases`` holds, in any case: the longest of each phrase.

    A word that holds another ("visited", "visit") is left to it. Only ASCII words
    are sure to show in the folded text, so a phrase without one gives nothing.
    """
    held = set()
    for phrase in phrases:
        words = [w for w in re.split(r"[\s\-]+", phrase.strip().lower()) if w.isascii()]
        if not words:
            return ()
        held.add(max(words, key=len))
    return tuple(sorted(w for w in held if not any(other != w and other in w for other in held)))


_WORDS = re.compile(r"[a-z][a-z&'’\-]*")


def sentence_words(text: str) -> frozenset[str]:
    return frozenset(_WORDS.findall(text.lower()))


@lru_cache(maxsize=8)
def trigger_patterns(rules: Rules) -> dict:
    def words(phrases) -> str:
        return phrase_pattern(phrases)
    companion_words = {"greeted", "joined", "accompanied", "escorted", "welcomed"}
    tech_words = set(rules.tech_patterns) | {"one", "spend", "spends", "spending"}
    return {
        "active": _Guarded(Caseless(rf"\b(?:{words(rules.visit_active)})\b"), rules.visit_active),
        "passive": _Guarded(Caseless(rf"\b(?:{words(rules.visit_passive)})\b"), rules.visit_passive),
        # "during" starts with common words ("on", "the", "his", "'s"): its phrases' words are looked for too
        "during": _Guarded(Caseless(rf"\b(?:{words(rules.visit_during)})\b"), rules.visit_during, rules.visit_during),
        "companions": _Guarded(re.compile(
            rf"\b(?i:{words(rules.companions)})\b|\b(?:greeted|joined|accompanied|escorted|welcomed)"
            rf"\s+(?:(?:in|at|on)\s+(?:the\s+)?[\w\-]+\s+)?by\b"), rules.companions | companion_words),
        "companion_verbs": _Guarded(re.compile(rf"\b(?i:{words(rules.companion_verbs)})\b(?!\s+by\b)"),
                                    rules.companion_verbs),
        "negators": re.compile(rf"\b(?i:{words(rules.negators)})\b"),
        "remote": re.compile(rf"\b(?i:{words(rules.remote)})\b"),
        "fronted": re.compile(rf"^(?i:{words(rules.visit_fronted)})\s+"),
        # "the Yantai manufacturing base of (the) (South Korea's) (drone maker)" before an organization
        "site_gap": re.compile(
            rf"^\s*(?:(?:the|a|an|its|his|her)\s+)?(?:[\w&'’\-]+\s+){{0,6}}?(?i:{words(rules.site_nouns)})"
            rf"\s+(?:of|at|in|(?:operated|owned|run|built)\s+by)\s+(?:the\s+)?(?:[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*)*(?:'s|’s)\s+)?"
            rf"(?:(?:[A-Za-z][\w\-]*\s+){{0,3}}(?i:{words(rules.descriptors)})\s+)?$"),
        # "Huawei's research campus in Dongguan": a site the organization owns
        "owned_site": re.compile(
            rf"['’]s?\s+(?:[\w\-]+\s+){{0,4}}?(?i:{words(rules.site_nouns)})\b"
            rf"(?:\s+in\s+[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*)?"),
        "tech": _Guarded(Caseless(
            rf"\b(?:{words(rules.tech_patterns)}|one\s+of\s+the\s+(?:[\w'’\-]+\s+){{0,4}}?"
            rf"(?:enterprises|companies|firms|makers|producers|manufacturers)\s+(?:in|of|doing)|"
            rf"spend(?:s|ing)?\s+(?:about\s+)?[$€£¥]?[\d.,]+\s*(?:billion|million)?\s+(?:\w+\s+)?on)\b"), tech_words),
        "field": _Guarded(Caseless(r"\bin\s+the\s+((?:[\w\-]+\s+){1,5}?)(?:field|sector|market)\b"),
                          {"field", "sector", "market"}),
        "tech_site": re.compile(r"^\s*(?:(?:new|expanded|only|first|largest|upcoming|planned)\s+)*((?:[\w\-]+\s+){1,3}?)"
                                r"(?i:plant|factory|fab|campus|facility|production line|production base|complex|site)\b"),
        "descriptor": _Guarded(Caseless(
            rf"\b(?:a|an|the)\s+((?:[\w\-]+\s+){{1,5}}?)(?:{words(rules.descriptors)})\b|"
            rf"\b(?:a|an|the)\s+((?:[\w.'’\-]+\s+){{0,4}}?)(\w+)maker\b"),
            set(rules.descriptors) | {"automaker", "carmaker", "chipmaker", "planemaker", "drugmaker", "steelmaker"}),
    }
