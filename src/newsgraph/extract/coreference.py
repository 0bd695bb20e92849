"""Second pass: every reference to the people and organizations of the first pass.

News refers back by surname ("Li", "Xi"), title ("the premier", "Premier
Li"), pronoun ("he"), short name ("Qingyun" for "Qingyun Photonics Co.,
Ltd."), acronym ("XMC") and description ("the company", "the drone maker").
Each becomes a :class:`~newsgraph.model.Mention` whose ``name`` is the full
name, resolved to the most recent fitting antecedent.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsgraph.extract.names import Names, Organization, Person
from newsgraph.extract.rules import (
    Rules,
    WordLed,
    first_words,
    fold_case,
    phrase_pattern,
    word_start_pattern,
)
from newsgraph.model import Mention
from newsgraph.reference import Reference

__all__ = ["resolve_mentions"]

# Surnames that are also English words a sentence can open with.
_ENGLISH_WORDS = frozenset("he she it we i you they his her an the in on at to do so no us".split())
_TYPE_WORDS = {
    "institute": "research_institute", "laboratory": "research_institute", "lab": "research_institute",
    "academy": "research_institute", "university": "university", "school": "university",
    "park": "industrial_zone", "zone": "industrial_zone",
    "company": "company", "firm": "company", "enterprise": "company", "carmaker": "company",
    "automaker": "company", "chipmaker": "company", "planemaker": "company", "maker": "company",
    "manufacturer": "company", "producer": "company", "supplier": "company", "start-up": "company",
    "startup": "company", "shipyard": "company", "group": "company", "corporation": "company",
}


def resolve_mentions(text: str, names: Names, rules: Rules, reference: Reference) -> list[Mention]:
    """All person and organization mentions of the article, in text order, each resolved to a full name."""
    candidates: list[tuple[int, int, str, str]] = []   # start, end, category, surface
    forms, anaphors = _article_patterns(names, rules, text, reference)
    people, orgs = forms.find(text)
    candidates += [(start, end, "person", form) for start, end, form in people]
    folded = fold_case(text)
    pronouns = _pronouns(rules).finditer(folded)
    candidates += [(m.start(), m.end(), "pronoun", text[m.start():m.end()]) for m in pronouns]
    candidates += [(m.start(), m.end(), "person-title", m.group()) for m in _definite_titles(rules).finditer(text)]
    for start, end, _org in names.org_spans:
        candidates.append((start, end, "org-span", text[start:end]))
    candidates += [(start, end, "org", form) for start, end, form in orgs]
    candidates += [(m.start(), m.end(), "org-anaphor", m.group()) for m in anaphors.finditer(text, folded)]
    candidates = _drop_overlaps(candidates)

    org_spans = {(s, e): org for s, e, org in names.org_spans}
    mentions: list[Mention] = []
    last_person: Person | None = None
    recent_orgs: list[Organization] = []
    listing: list[Organization] = []   # the latest list of names: "toured A, B and C"
    listing_end = -1
    for start, end, category, surface in candidates:
        if category in ("person", "pronoun", "person-title"):
            person = _resolve_person(category, surface, start, names, last_person)
            if person is None:
                continue
            last_person = person
            label = "official" if person.official else "executive"
            mentions.append(Mention(start, end, surface, label, person.name,
                                    detail=person.titles[0] if person.titles else None, kind=label,
                                    rule=f"person.{category}"))
            continue
        if category == "org-span":
            org = org_spans[(start, end)]
        elif category == "org":
            org = _org_by_surface(names, surface)
        else:
            org = _resolve_anaphor(surface, names, recent_orgs, listing)
        if org is None or names.in_title(start, end):
            continue
        if category in ("org-span", "org"):
            listed = _LIST_GAP.fullmatch(text, listing_end, start) if listing_end >= 0 else None
            listing = [*listing, org] if listed else [org]
            listing_end = end
        recent_orgs = [o for o in recent_orgs if o is not org] + [org]
        mentions.append(Mention(start, end, surface, "organization", org.name, kind=org.kind, key=org.reference_key,
                                rule=f"org.{category}"))
    return mentions


@lru_cache(maxsize=8)
def _pronouns(rules: Rules) -> re.Pattern:
    """Pronouns in any case, for the text folded by :func:`fold_case` (faster than IGNORECASE)."""
    return re.compile(rf"{word_start_pattern(rules.pronouns)}\b")


@lru_cache(maxsize=8)
def _definite_titles(rules: Rules) -> re.Pattern:
    title = phrase_pattern(rules.definite_titles | rules.titles)
    surname = r"(?:\s+[A-Z][a-z]+)"
    return re.compile(rf"\b(?:(?i:the)\s+(?i:{title})\b|(?=[A-Z])(?i:{title}){surname}\b)")


def _article_patterns(names: Names, rules: Rules, text: str, reference: Reference) -> tuple[_Forms, WordLed]:
    person_forms: set[str] = set()
    for person in names.people.values():
        person_forms.add(person.name)
        if person.surname.lower() not in _ENGLISH_WORDS:   # "He" is a pronoun, whatever He Lifeng's name
            person_forms.add(person.surname)
    org_forms: set[str] = set()
    places = _place_tokens(text) | reference.cities
    for org in names.organizations.values():
        org_forms |= {a for a in org.aliases if a}
        org_forms |= _short_forms(org, places, rules)
    org_forms -= person_forms
    return _Forms(person_forms, org_forms), _anaphors(rules)


@lru_cache(maxsize=8)
def _anaphors(rules: Rules) -> WordLed:
    """"the company", "the drone maker", "its": looked for where their first words start."""
    anaphors = phrase_pattern(rules.anaphors)
    descriptive = (r"the\s+(?:[A-Za-z][\w'’\-]*\s+){0,2}(?:maker|firm|company|group|carmaker|automaker|chipmaker|"
                   r"planemaker|manufacturer|producer|developer|supplier|enterprise|institute|laboratory|stop|plant|"
                   r"factory|facility|campus|fab|site|base|headquarters)")
    # "the Yantai manufacturing base of CIMC Raffles" names its owner: no anaphor there.
    pattern = re.compile(rf"\b(?i:{anaphors}|{descriptive})(?:'s|’s)?\b(?!\s+(?:of|at)\s)|\b(?:It|it|its|Its)\b")
    return WordLed(pattern, first_words(rules.anaphors) | {"the", "it"})


_Match = tuple[int, int, str]   # start, end, form


class _Forms:
    """Find the names of an article's people and organizations, longest first, by looking up
    its capitalised words (one pass for both).

    Cheaper than compiling a regex of an article's names for every article.
    """

    # A capitalised word; the check that no word character, apostrophe or hyphen precedes it
    # follows the first character, so that the regex engine can skip ahead to capitals.
    _WORD = re.compile(r"[A-Z0-9](?<![\w'’-][A-Z0-9])[\w'’&.\-]*")
    _NONE: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())

    def __init__(self, person_forms: set[str], org_forms: set[str]) -> None:
        # first word -> (people's forms, organizations' forms), longest first
        self.by_first: dict[str, tuple[list[str], list[str]]] = {}
        for category, forms in enumerate((person_forms, org_forms)):
            for form in forms:
                first = form.split()[0] if form.split() else form
                self.by_first.setdefault(first.rstrip(".,"), ([], []))[category].append(form)
        for options in self.by_first.values():
            for forms in options:
                forms.sort(key=len, reverse=True)

    def find(self, text: str) -> tuple[list[_Match], list[_Match]]:
        """Every occurrence of a person's and of an organization's form, longest first at each word."""
        found: tuple[list[_Match], list[_Match]] = ([], [])
        for word in self._WORD.finditer(text):
            token = word.group().rstrip(".,")
            options = self.by_first.get(token, self._NONE)
            if not (options[0] and options[1]) and token.endswith(("'s", "’s")):
                # "Baidu's": a category the word itself names nothing in is looked up without the "'s"
                bare = self.by_first.get(token.removesuffix("'s").removesuffix("’s"), self._NONE)
                options = (options[0] or bare[0], options[1] or bare[1])
            if options is self._NONE:
                continue
            start = word.start()
            for category, forms in enumerate(options):
                for form in forms:
                    if self._at(text, start, form):
                        found[category].append((start, start + len(form), form))
                        break
        return found

    @staticmethod
    def _at(text: str, start: int, form: str) -> bool:
        end = start + len(form)
        return text.startswith(form, start) and not (end < len(text) and (text[end].isalnum() or text[end] in "-_"))


_PLACE_WORD = r"[A-Z][a-z]+(?:['’\-][A-Za-z]+)?"   # "Xi'an", "Baden-Baden"
# \b and _PLACE_WORD, the \b checked after the capital, where it lets the engine skip ahead to capitals
_WORD_START_PLACE_WORD = r"[A-Z](?<!\w[A-Z])[a-z]+(?:['’\-][A-Za-z]+)?"
_PREPOSITION = word_start_pattern(["in", "to", "of", "from", "near", "outside", "at"])   # \b(?:in|to|...)
_PLACE_AFTER_PREPOSITION = re.compile(rf"{_PREPOSITION}\s+({_PLACE_WORD})\b(?!\s+[A-Z])")
_PLACE_BEFORE_HEAD = re.compile(rf"({_WORD_START_PLACE_WORD})\s+(?:City|Province|County|District)\b")
_PLACE_BEFORE_CAPITAL = re.compile(rf"({_WORD_START_PLACE_WORD}),\s+(?:capital|a city|the capital)\b")


def _place_tokens(text: str) -> set[str]:
    """Words the text uses as places ("in Wuhan", "Wuhan City"), so they are no short name of a firm."""
    found = set(_PLACE_AFTER_PREPOSITION.findall(text))
    # Most articles have none of the words these two need: a substring test is far cheaper than a scan.
    if "City" in text or "Province" in text or "County" in text or "District" in text:
        found |= set(_PLACE_BEFORE_HEAD.findall(text))
    if "capital" in text or "a city" in text:
        found |= set(_PLACE_BEFORE_CAPITAL.findall(text))
    return found


def _short_forms(org: Organization, places: set[str], rules: Rules) -> set[str]:
    """"Qingyun" for "Qingyun Photonics Co., Ltd."; the first distinctive word of a multi-word name."""
    tokens = org.name.split()   # str.split and \s+ agree on what whitespace is
    forms = set()
    for token in tokens[:2]:
        bare = token.rstrip(".,")
        if bare in places or bare.lower() in rules.org_heads or bare.lower() in {"the", "china", "chinese"}:
            continue
        if len(bare) >= 3 and bare[0].isupper() and len(tokens) >= 2:
            forms.add(bare)
        break
    return forms


def _drop_overlaps(candidates: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Names first, longest first; then descriptions and pronouns where no name is.

    "the Guangdong Sanhuan Group" holds a name: it is that firm, not a
    reference back to the last one.
    """
    named = {"org-span": 0, "person": 1, "org": 2}
    ordered = sorted(candidates, key=lambda c: (c[2] not in named, -(c[1] - c[0]), named.get(c[2], 3), c[0]))
    # The characters already taken, one byte each: a candidate (never empty) overlaps a kept one
    # exactly when one of its characters is taken. Comparing with every kept span was quadratic.
    taken = bytearray(max((c[1] for c in candidates), default=0))
    kept = []
    for cand in ordered:
        start, end = cand[0], cand[1]
        if taken.find(1, start, end) >= 0:
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append(cand)
    return sorted(kept)


def _resolve_person(category: str, surface: str, start: int, names: Names, last: Person | None) -> Person | None:
    if category == "pronoun":
        return last
    if category == "person":
        if surface in names.people:
            return names.people[surface]
        hits = [p for p in names.people.values() if p.surname == surface]
        before = [p for p in hits if p.first <= start] or hits
        return max(before, key=lambda p: p.first) if before else None
    # "the premier", "Premier Li"
    words = surface.split()
    if words[0].lower() != "the":
        surname = words[-1]
        hits = [p for p in names.people.values() if p.surname == surname]
        return hits[0] if hits else None
    title = " ".join(words[1:]).lower()
    holds = _holds_title(title)
    if last is not None and any(holds.search(t.lower()) for t in last.titles):
        return last
    hits = [p for p in names.people.values() if p.official and any(holds.search(t.lower()) for t in p.titles)
            and p.first <= start]
    return max(hits, key=lambda p: p.first) if hits else None


@lru_cache(maxsize=256)
def _holds_title(title: str) -> re.Pattern:
    """A title ("premier") as a word, but not in "vice premier": compiled once per title."""
    return re.compile(rf"(?<!vice )(?<!deputy )(?<!vice-)\b{re.escape(title)}\b")


def _org_by_surface(names: Names, surface: str) -> Organization | None:
    for org in names.organizations.values():
        if surface == org.name or surface in org.aliases:
            return org
    hits = [org for org in names.organizations.values() if org.name.split()[0] == surface
            or (len(org.name.split()) > 1 and org.name.split()[1] == surface)]
    return hits[0] if len(hits) == 1 else None


_LIST_GAP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1, "final": -1}


def _resolve_anaphor(surface: str, names: Names, recent: list[Organization],
                     listing: list[Organization]) -> Organization | None:
    # "the plant", "its": never a ministry or a commission named in passing
    recent = [org for org in recent if org.kind != "government_body"]
    if not recent:
        return None
    lowered = surface.lower().removesuffix("'s").removesuffix("’s")
    words = lowered.split()
    wanted = _TYPE_WORDS.get(words[-1]) if words else None
    if wanted and (len(words) <= 2 or wanted != "company"):
        for org in reversed(recent):
            if org.kind == wanted:
                return org
        return None
    # "the drone maker", "the battery firm": the organization whose name or description says so
    if len(words) >= 3 and words[0] == "the":
        topic = words[1]
        for org in reversed(recent):
            text = " ".join([org.name, *org.descriptors]).lower()
            if topic in text:
                return org
        if topic in _ORDINALS:   # "the first stop": the first of the firms just listed
            return listing[_ORDINALS[topic]] if len(listing) > 1 and _ORDINALS[topic] < len(listing) else None
    return recent[-1]
