"""Find the people and organizations an article names.

Two passes over the article. The first collects *introductions*: a person
with a title ("Foshan Mayor Liang Zhiwei", "Shen Lirong, vice governor of
Jiangsu Province"), an organization with an organizational head or legal
suffix ("Hexin Robotics", "JL MAG Rare-Earth Co., Ltd."), or a name the
reference data knows. The second pass (in :mod:`coreference`) finds every
later reference to them.

Spans inside a job title ("Party chief of the Hefei High-tech Industrial
Development Zone") are remembered, so the bodies they name never become visit
sites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from newsgraph.extract.rules import (
    Caseless,
    Rules,
    fold_case,
    phrase_pattern,
    word_start_pattern,
)
from newsgraph.reference import Reference
from newsgraph.text import normalize_name

__all__ = ["Person", "Organization", "Names", "find_names"]

# A capitalised word of a name: "Rare-Earth", "Xi'an", "R&D", "U.S.", "DeWine", "3M".
# What follows its first character, a capital or a digit:
_CAP_AFTER_CAPITAL = r"(?:(?:\.[A-Z])+\.?|(?:[A-Za-z0-9&\-]|['’](?!s\b)(?=[A-Za-z]))*)"
_CAP_AFTER_DIGIT = r"[0-9]*[A-Za-z][A-Za-z0-9\-]*"
_CAP = rf"(?:[A-Z]{_CAP_AFTER_CAPITAL}|[0-9]{_CAP_AFTER_DIGIT})"
_LEGAL = ("Co", "Ltd", "Inc", "Corp", "LLC", "PLC", "GmbH")
_LEGAL_WORDS = rf"(?:{'|'.join(_LEGAL)})\b"


def _not_legal_from_second() -> str:
    """``(?!{_LEGAL_WORDS})`` checked one character into the word: "(?<!C(?=o\\b|orp\\b)|...)"."""
    rests: dict[str, list[str]] = {}
    for word in _LEGAL:
        rests.setdefault(word[0], []).append(word[1:] + r"\b")
    return "(?<!" + "|".join(f"{first}(?={'|'.join(rest)})" for first, rest in rests.items()) + ")"


# _CAP, not before a word character or an apostrophe and no legal suffix, written to open with a
# character class: then the regex engine skips ahead to capitals and digits, where a pattern that
# opens with a lookbehind is tried at every position (twice as slow). The class takes the first
# character, the lookbehinds look at it and the one before, the rest of _CAP follows.
_FIRST_CAP = (rf"[A-Z0-9](?<![\w'’].){_not_legal_from_second()}"
              rf"(?:(?<=[A-Z]){_CAP_AFTER_CAPITAL}|(?<=[0-9]){_CAP_AFTER_DIGIT})")
_CONNECT = r"(?:\s+(?:of|for|and|&)\s+(?:the\s+)?|\s+)"
_NAME_TOKEN_REST = r"[a-z]+(?:[A-Z][a-z]+)?(?:-[a-zA-Z]+)?"
_NAME_TOKEN = rf"(?:[A-Z]{_NAME_TOKEN_REST})"
# \b and a name token, the \b checked after the capital: a pattern that opens with a character
# lets the regex engine skip ahead to capitals instead of trying every position.
_WORD_START_NAME_TOKEN = rf"(?:[A-Z](?<!\w[A-Z]){_NAME_TOKEN_REST})"
# Words that start sentences or name times, never the first word of an entity name.
_STOP_FIRST = frozenset("""a an the at in on of for and but or to from by with as after before during while when
then also later inside outside between under over since until about around among this that these those
his her its their our my your he she it they we i you january february march april may june july august
september october november december monday tuesday wednesday thursday friday saturday sunday mr mrs ms dr
according speaking standing walking leaving describing recalling borrowing breaking founded accompanied
developing hearing subsequently separately meanwhile however there here what which who where why how
first last next more most some many several all both each every other such no not only
chinese american german indian french british japanese korean south north east west central new""".split())


@dataclass
class Person:
    """A person the article introduces, with what the text says they are."""

    name: str
    official: bool
    titles: list[str] = field(default_factory=list)
    first: int = 0
    reference_key: str | None = None

    @property
    def surname(self) -> str:
        tokens = self.name.split()
        if len(tokens) >= 2 and _looks_chinese(tokens):
            return tokens[0]
        return tokens[-1]


@dataclass
class Organization:
    """An organization the article names, with the other names it uses for it."""

    name: str
    kind: str
    aliases: set[str] = field(default_factory=set)
    descriptors: list[str] = field(default_factory=list)
    first: int = 0
    reference_key: str | None = None


@dataclass
class Names:
    """What the first pass found: people, organizations and the spans that are job titles."""

    people: dict[str, Person] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    title_spans: list[tuple[int, int]] = field(default_factory=list)
    org_spans: list[tuple[int, int, "Organization"]] = field(default_factory=list)

    def in_title(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.title_spans)


def _looks_chinese(tokens: list[str]) -> bool:
    """Chinese and Korean names put the family name first: short, one syllable, in a list of common ones."""
    return tokens[0] in _FAMILY_NAMES_FIRST


# Common East Asian family names, written first in English news.
_FAMILY_NAMES_FIRST = frozenset("""Li Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo
Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan Pan Cai Jiang Yu Du Ye Cheng Su Wei Lu
Ding Ren Shen Yao Jin Fu Zhong Qian Dai Xi Lan Mo Ke Fang Yan Shi Qin Bai Kong Cui Mao Qiu Hou Yin Kang Lei Hao
Jia Duan Lai Wen Meng Long Chang Hong Fan Xia Tan Bao Niu Gong Ge Shao Tao Ou Ling Qi Ni Gu Yi Wan Kim Lee Park
Choi Jung Kang Cho Yoon Jang Lim Moon Hwang Ahn Song Ryu Hong Jeon Ko Shin Nam Bae Kwon Oh Seo Ji Yoo Na Noh""".split())


@lru_cache(maxsize=8)
def _patterns(rules: Rules) -> dict[str, re.Pattern]:
    """Regular expressions built once from the rules."""
    titles = rules.titles | rules.executive_titles
    title = phrase_pattern(titles)
    legal = phrase_pattern(rules.legal_suffixes)
    run = rf"{_FIRST_CAP}(?:{_CONNECT}(?!{_LEGAL_WORDS}){_CAP})*"
    return {
        # "Chinese President Xi Jinping", "national security adviser Jake Sullivan"
        "title_name": re.compile(
            rf"(?i:\b(?P<title>{title}))(?:\s+of\s+(?:the\s+)?(?P<body>{_CAP}(?:{_CONNECT}{_CAP})*?))?"
            rf"\s+(?P<name>{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,2}}|{_NAME_TOKEN})\b(?!\s+(?:of|for)\b)"),
        # "Shen Lirong, vice governor of Jiangsu Province,"
        # (a lookahead, so that one appositive does not swallow the next name)
        "appositive": re.compile(
            rf"(?P<name>{_WORD_START_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,2}})(?=,\s+(?P<appos>(?:(?:a|an|the|also|now)\s+)?"
            rf"[^,;()]{{2,200}}?)(?:,|;|\.(?:\s|$)|\)|$))"),
        # "Brandenburg's state premier, Dietmar Woidke"
        "title_comma_name": re.compile(
            rf"(?i:\b(?P<title>{title})),\s+(?P<name>{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,2}})\b(?=\s*[,.;]|\s+(?:was|is|who|said))"),
        "run": re.compile(rf"{run}(?:\s*(?P<legal>,?\s*{legal}))?(?![\w])(?!['’][a-rt-z])"),
        "acronym": re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z0-9&\-]{1,9})\)"),
        "title_only": re.compile(rf"(?i:\b{title}(?!\w))"),
        # Title occurrences, found once on the lower-cased text; the patterns above then run anchored there.
        "title_lower": re.compile(rf"\b{title}(?!\w)"),
        # Bodies inside a title: "of the Communist Party of China Central Committee"
        "title_of": re.compile(rf"(?i:\b{title})\s+of\s+(?:the\s+)?{_CAP}(?:{_CONNECT}{_CAP})*"),
    }


@lru_cache(maxsize=4)
def _gazetteer(reference: Reference) -> tuple[re.Pattern | None, re.Pattern | None]:
    """Case-sensitive patterns for every name and alias the reference data knows."""
    org_names = {n for org in reference.organizations for n in (org.name, *org.aliases) if len(n) > 1}
    person_names = {n for p in reference.officials for n in (p.name, *p.aliases) if " " in n}
    def alternation(names: set[str]) -> re.Pattern:
        name = word_start_pattern(names, not_after=r"[\w'’-]", flexible=False)
        return re.compile(rf"{name}(?![\w-])(?!['’][a-rt-z])")
    org_re = alternation(org_names) if org_names else None
    person_re = alternation(person_names) if person_names else None
    return org_re, person_re


def find_names(text: str, rules: Rules, reference: Reference) -> Names:
    """First pass: people with titles, organizations with heads, and names the reference knows.

    The patterns never cross a sentence end, so one pass over the whole text does
    the work of one pass per sentence.
    """
    names = Names()
    pats = _patterns(rules)
    org_re, person_re = _gazetteer(reference)
    _find_people(text, rules, reference, pats, person_re, names)
    _find_organizations(text, rules, reference, pats, org_re, names)
    return names


# ---------------------------------------------------------------- people

def _find_people(s: str, rules: Rules, reference: Reference, pats: dict[str, re.Pattern],
                 person_re: re.Pattern | None, names: Names) -> None:
    if person_re is not None:
        for m in person_re.finditer(s):
            record = reference.official_by_alias(m.group())
            if record is not None:
                person = _add_person(names, record.name, True, m.start())
                person.reference_key = record.key
    # Where titles begin, found as case-insensitive matching would find them (fold_case).
    starts = [m.start() for m in pats["title_lower"].finditer(fold_case(s))]
    surnames: list[tuple[str, bool, str, int]] = []
    for m in _anchored(pats["title_name"], s, starts):
        title = m.group("title")
        name = _trim_name(m.group("name"), rules)
        if not name:
            continue
        official = _is_official_title(title, m.group("body") or "", rules)
        if official is None:
            continue
        # A single-token "name" after a title is a surname ("Premier Li"): kept aside, it names
        # someone only if the article never gives the full name.
        if " " not in name:
            surnames.append((name, official, title, m.start("name")))
            continue
        full_title = _title_with_modifiers(s, m.start("title"), title)
        if m.group("body"):
            full_title = s[m.start("title"):m.start("name")].strip()
        person = _add_person(names, name, official, m.start("name"))
        person.titles.append(full_title)
        # "European Commission President ...": the modifiers belong to the title too
        title_start = m.start("title") - (len(full_title) - len(title)) if not m.group("body") else m.start()
        names.title_spans.append((max(title_start, 0), m.start("name")))
    for m in _anchored(pats["title_comma_name"], s, starts):
        name = _trim_name(m.group("name"), rules)
        official = _is_official_title(m.group("title"), "", rules)
        if official and _OWNED_BY_ORG.search(s[max(0, m.start() - 40):m.start()]):
            official = False   # "the lab's director, Professor Yan": a title inside an organization
        if name and " " in name and official is not None:
            person = _add_person(names, name, official, m.start("name"))
            person.titles.append(_title_with_modifiers(s, m.start("title"), m.group("title")))
    for m in pats["appositive"].finditer(s):
        appos = m.group("appos").strip()
        name = _trim_name(m.group("name"), rules)
        if not name:
            continue
        title_match = pats["title_only"].search(appos)
        if title_match is None or title_match.start() > 40:
            continue
        known = names.people.get(name) or _by_surname(names, name)
        if " " not in name and known is None:
            continue
        official = _appositive_official(appos, rules)
        if official is None:
            continue
        if known is not None:
            person = known
            person.official = person.official or official
        else:
            person = _add_person(names, name, official, m.start("name"))
        person.titles.append(_LEADING_ARTICLE.sub("", appos))
        names.title_spans.append((m.start("appos"), m.end("appos")))
    for surname, official, title, start in surnames:
        if official and not any(p.surname == surname for p in names.people.values()):
            _add_person(names, surname, official, start).titles.append(title)
    # Bodies named in any title ("General Secretary of the CPC Central Committee") are not sites.
    for m in _anchored(pats["title_of"], s, starts):
        names.title_spans.append((m.start(), m.end()))


_LEADING_ARTICLE = re.compile(r"^(?:a|an|the|also|now)\s+")


def _anchored(pattern: re.Pattern, text: str, starts: list[int]):
    """Matches of ``pattern`` that begin at one of ``starts`` (where a title begins)."""
    for start in starts:
        m = pattern.match(text, start)
        if m:
            yield m


def _trim_name(name: str, rules: Rules | None = None) -> str:
    """A person's name without sentence words or titles around it; empty when it is no name at all."""
    tokens = name.split()
    titles = (rules.titles | rules.executive_titles) if rules else frozenset()
    while tokens and (tokens[0].lower() in _STOP_FIRST or tokens[0].lower() in titles):
        tokens.pop(0)
    while tokens and tokens[-1].lower() in _STOP_FIRST:
        tokens.pop()
    if any(t.lower() in _NOT_NAME_WORDS for t in tokens):
        return ""
    return " ".join(tokens)


# Capitalised words that occur in titles, bodies and places but never in a person's name.
_OWNED_BY_ORG = re.compile(r"\b(?:company|firm|lab|laboratory|institute|group|university|plant|enterprise|"
                           r"factory|school|maker|its|their)(?:['’]s)?\s+$|(?:Inc|Ltd|Co|Corp)\.?['’]s?\s+$", re.I)
_NOT_NAME_WORDS = frozenset("""industrial development national international science technology research innovation
economic area zone park party committee central military commission people's republic state council government
great hall greater china korea japan america states kingdom union europe asia province city county district
high-tech new group company corporation institute university academy laboratory center centre bureau ministry
department office operations congress senate house white general standing political""".split())


_MODIFIERS = re.compile(rf"(?:{_CAP}(?:'s|’s)?\s+){{1,3}}$")


def _title_with_modifiers(s: str, start: int, title: str) -> str:
    """Extend a title leftwards over capitalised modifiers: "Foshan Mayor", "U.S. Commerce Secretary"."""
    # The modifiers hold at most three runs of whitespace, so the search can begin after the
    # fourth-last one: searching all of s[:start] made every title cost the length of the text.
    head = s[:start].rsplit(None, 3)
    m = _MODIFIERS.search(s, len(head[0]) if len(head) == 4 else 0, start)
    if m:
        words = [w for w in m.group().split() if w.lower() not in _STOP_FIRST]
        if words and all(w[:1].isupper() for w in words):
            return " ".join(words) + " " + title
    return title


_SPACES = re.compile(r"\s+")


def _is_official_title(title: str, body: str, rules: Rules) -> bool | None:
    """True for an official's title, False for a company person's, None when it is no title."""
    lowered = _SPACES.sub(" ", title.lower())
    if lowered in rules.executive_titles:
        return False
    if lowered in rules.titles:
        # "president of Samsung's unit", "chairman of Hexin Robotics"; but "Secretary of Energy" is a portfolio
        company_body = "'s" in body or "’s" in body or (_has_org_head(body, rules) and len(body.split()) > 1)
        if body and not any(h in body.lower() for h in rules.government_heads) and company_body:
            return False
        return True
    return None


def _appositive_official(appos: str, rules: Rules) -> bool | None:
    lowered = appos.lower()
    phrases = _phrase_patterns(rules)
    exec_hit = phrases.executive.search(lowered) is not None
    official_hit = phrases.official.search(lowered) is not None or "official" in _APPOS_WORDS.findall(lowered)
    if not official_hit and not exec_hit:
        return None
    of_part = _OF_AT_FOR.split(lowered, maxsplit=1)
    body = of_part[1] if len(of_part) > 1 else ""
    governmental = phrases.government.search(body) is not None
    if exec_hit and not governmental:
        return False
    if body and not governmental and ("'s" in body or "’s" in body or _has_org_head(body, rules)):
        return False
    return official_hit or governmental


_APPOS_WORDS = re.compile(r"[a-z][a-z'\-]*")
_OF_AT_FOR = re.compile(r"\b(?:of|at|for)\b")


@dataclass(frozen=True)
class _PhrasePatterns:
    """One pattern per list of lower-case phrases, each found as a whole word or hyphenated part.

    A search finds a match exactly where some phrase of the list occurs between a
    non-word, non-hyphen character (or the text's ends) on both sides: the engine
    backtracks into shorter phrases when a longer one fails the lookahead. One
    search replaces a search per phrase, each with its own pattern, which overflowed
    the ``re`` module's cache of compiled patterns and compiled them again.
    """

    executive: re.Pattern
    official: re.Pattern
    government: re.Pattern


@lru_cache(maxsize=8)
def _phrase_patterns(rules: Rules) -> _PhrasePatterns:
    def contains(phrases: frozenset[str]) -> re.Pattern:
        return re.compile(rf"(?<![\w-])(?:{phrase_pattern(phrases, flexible=False)})(?![\w-])")
    return _PhrasePatterns(contains(rules.executive_titles), contains(rules.titles),
                           contains(rules.government_heads))


_WORD = re.compile(r"[A-Za-z][\w\-]*")


def _has_org_head(text: str, rules: Rules) -> bool:
    words = _WORD.findall(text)
    return any(w.lower() in rules.org_heads and w[:1].isupper() for w in words)


def _by_surname(names: Names, token: str) -> Person | None:
    hits = [p for p in names.people.values() if p.surname == token]
    return max(hits, key=lambda p: p.first) if hits else None


def _add_person(names: Names, name: str, official: bool, start: int) -> Person:
    person = names.people.get(name)
    if person is None:
        person = Person(name=name, official=official, first=start)
        names.people[name] = person
    return person


# ---------------------------------------------------------------- organizations

def _find_organizations(s: str, rules: Rules, reference: Reference,
                        pats: dict[str, re.Pattern], org_re: re.Pattern | None, names: Names) -> None:
    person_names = _person_names(names)
    spans: list[tuple[int, int, str, str | None]] = []   # start, end, name, reference key
    if org_re is not None:
        for m in org_re.finditer(s):
            record = _organization_by_alias(reference, m.group())
            following = _NEXT_WORD.match(s, m.end())
            if record is None or following and following.group(1).lower() in rules.place_heads:
                continue   # "Liugong Island" is a place, whatever firm shares the word
            end = _extend_with_heads(s, m.end(), rules)
            spans.append((m.start(), end, s[m.start():end], record.key))
    runs = list(pats["run"].finditer(s))
    merged = _merge_split_runs(s, runs, rules)
    for start, end in merged:
        text = s[start:end]
        start, text = _strip_leading(start, text)
        based = _BASED.match(text)
        if based:   # "Hong Kong-based Lanshan Robotics": where the firm is, not its name
            start, text = start + based.end(), text[based.end():]
        if not text:
            continue
        place = _PLACE_AND.match(text)
        if place and s[max(0, start - 3):start] == "in ":
            start, text = start + place.end(), text[place.end():]   # "in Dongguan and Lanshan Robotics"
        kind = _org_kind(text, rules)
        if kind is None:
            continue
        for part_start, part in _split_coordination(start, text, rules):
            part_end = part_start + len(part)
            inside = [sp for sp in spans if part_start <= sp[0] and sp[1] <= part_end and (sp[0], sp[1]) != (part_start, part_end)]
            named = next((sp for sp in inside if sp[1] == part_end and sp[3] is not None
                          and s[part_start:sp[0]].strip() in reference.cities), None)
            if named is not None:
                # "Hefei Guoxuan High-tech Power Energy Co., Ltd.": a known firm's full name opens with its city
                spans[spans.index(named)] = (part_start, part_end, part, named[3])
                continue
            if inside and _OF_PHRASE.search(part):
                # "Institute of Molecular Plus of Tianjin University": the institute, not the university
                spans = [sp for sp in spans if sp not in inside]
            elif any(a <= part_start < b or part_start <= a < part_end for a, b, *_ in spans):
                continue
            record = _organization_by_alias(reference, part)
            key = record.key if record is not None else None
            spans.append((part_start, part_start + len(part), part, key))
    spans += _described_organizations(s, spans, rules, person_names)
    for start, end, text, key in sorted(spans):
        if names.in_title(start, end) or text in person_names:
            continue
        org = _add_org(names, text, key, rules, start)
        acronym = pats["acronym"].match(s, end)
        if acronym:
            org.aliases.add(acronym.group("acr"))
        names.org_spans.append((start, end, org))


_BASED = re.compile(r"(?:[A-Z][\w'’]*\s+){0,2}[A-Z][\w'’]*-based\s+")
_OF_PHRASE = re.compile(r"\s(?:of|for|at)\s")
_NEXT_WORD = re.compile(r"\s+([A-Z][a-z]+)")
_PLACE_AND = re.compile(r"[A-Z][\w'’\-]*\s+and\s+(?=[A-Z])")


@lru_cache(maxsize=65536)
def _organization_by_alias(reference: Reference, name: str):
    """The reference lookup, remembered: the same names recur across articles."""
    return reference.organization_by_alias(name)


_TAIL = re.compile(r"(?:\s+(?:(?:and|&|of)\s+)?[A-Z][A-Za-z&\-]*){1,6}")
_LEGAL_TAIL = re.compile(r",?\s*(?:Co\.,?\s*Ltd\.|Co\.|Ltd\.|Inc\.|Corp\.|Limited Company|Limited)")


def _extend_with_heads(s: str, end: int, rules: Rules) -> int:
    """A known name followed by more of its own name: "Tengxun" + " Science and Technology Company",
    "Tesla" + " Inc.". The tail must end in an organizational head or a legal suffix."""
    best = end
    tail = _TAIL.match(s, end)
    if tail:
        words = tail.group().split()
        consumed = end
        for word in words:
            consumed = s.index(word, consumed) + len(word)
            if word.lower() in rules.org_heads or word in ("Limited", "Company"):
                best = consumed + (word in ("Corp", "Co", "Inc", "Ltd") and s[consumed:consumed + 1] == ".")
    legal = _LEGAL_TAIL.match(s, best)
    return legal.end() if legal else best


_LOWERCASE_GAP = re.compile(r" [a-z]+ ")
_OF_OR_FOR = re.compile(r"\b(?:of|for)\b")


def _merge_split_runs(s: str, runs: list[re.Match], rules: Rules) -> list[tuple[int, int]]:
    """Join "... of the Beijing High" + "level" + "Autonomous Driving Demonstration Zone".

    Literal translations keep lowercase words inside names; a run that opened an
    "of" phrase and a run that ends in an organizational head, one lowercase
    word apart, are one name.
    """
    spans = [(m.start(), m.end()) for m in runs]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        while i + 1 < len(spans) and spans[i + 1][0] - end <= 16:
            gap = s[end:spans[i + 1][0]]
            nxt = s[spans[i + 1][0]:spans[i + 1][1]]
            at_university = (gap == " at " and _org_kind(s[start:end], rules) == "research_institute"
                             and _org_kind(nxt, rules) == "university")
            lowercase_inside = (_LOWERCASE_GAP.fullmatch(gap) and not gap.strip().endswith("ed")
                                and gap.strip() not in _STOP_FIRST and _OF_OR_FOR.search(s[start:end])
                                and _org_kind(s[start:end], rules) is not None and _org_kind(nxt, rules) is not None)
            if at_university or lowercase_inside:
                end = spans[i + 1][1]
                i += 1
            else:
                break
        out.append((start, end))
        i += 1
    return out


def _strip_leading(start: int, text: str) -> tuple[int, str]:
    shift, rest = _without_leading_stop_words(text)
    return start + shift, rest


@lru_cache(maxsize=65536)
def _without_leading_stop_words(text: str) -> tuple[int, str]:
    """How many characters the leading sentence words take, and the text after them (remembered:
    the same capitalised runs recur within and across articles)."""
    tokens = text.split(" ")
    shift = 0
    while tokens and (tokens[0].lower() in _STOP_FIRST or tokens[0].lower() in {"the"}):
        shift += len(tokens[0]) + 1
        tokens.pop(0)
    return shift, " ".join(tokens)


# The "of/for/at" phrase after an organization's head, and a legal suffix ending a name.
_OF_PART = re.compile(r"\s+(?:of|for|at)\s+")
_LEGAL_END = re.compile(
    r",?\s*(?:Co\.,?\s*Ltd\.|Co\.|Ltd\.|Inc\.?|Corp\.|Limited Company|Share Limited Company|Limited|LLC|PLC)$")
_HAS_LEGAL = re.compile(r"\b(?:Co\.|Ltd\.|Inc\.?|Corp\.|Limited|LLC|PLC|GmbH)$")


def _head_word(text: str, rules: Rules) -> str:
    """The organizational head: the last word before any "of/for" phrase and legal suffix."""
    core = _OF_PART.split(text, maxsplit=1)[0]
    core = _LEGAL_END.sub("", core)
    words = core.split()
    return words[-1].lower() if words else ""


@lru_cache(maxsize=65536)
def _org_kind(text: str, rules: Rules) -> str | None:
    """The type of organization a name denotes, or None for places, events and non-names.

    Remembered: a name is judged several times per article, and common ones in every article.
    """
    last_words = text.lower().rstrip(".").split()
    for n in (4, 3, 2, 1):
        tail = " ".join(last_words[-n:])
        if len(last_words) >= n and (tail in rules.place_heads or tail in rules.media):
            return None
    has_legal = _HAS_LEGAL.search(text) is not None
    head = _head_word(text, rules)
    if not has_legal and head not in rules.org_heads and head not in _all_type_words(rules):
        return None
    if len(text.split()) == 1 and not has_legal:
        return None   # a lone head word ("Technology", "University") names nothing
    return _type_of(text, rules)


@lru_cache(maxsize=8)
def _all_type_words(rules: Rules) -> frozenset[str]:
    return frozenset(w for words in rules.org_types.values() for w in words if " " not in w)


@lru_cache(maxsize=65536)
def _type_of(text: str, rules: Rules) -> str:
    core = _OF_PART.split(text.lower(), maxsplit=1)[0]
    for kind in ("government_body", "university", "research_institute", "industrial_zone"):
        for word in rules.org_types.get(kind, ()):
            if core.endswith(" " + word) or core == word:
                return kind
    return "company"


def _split_coordination(start: int, text: str, rules: Rules) -> list[tuple[int, str]]:
    """"Xinglan Battery Technology and Tianyu Drone Systems" names two firms; "Science and Technology" one."""
    parts = text.split(" and ")
    if len(parts) < 2:
        return [(start, text)]
    left = " and ".join(parts[:-1])
    right = parts[-1]
    left_head = left.split()[-1].lower() if left.split() else ""
    # "... Technology and Research Center Co., Ltd." is one name: the right part has no name of its own
    distinctive = any(w.lower().strip(".,") not in rules.org_heads and w.lower() not in _GENERIC_NAME_WORDS
                      and w not in ("Co.,", "Ltd.", "Inc.", "Corp.") for w in right.split())
    if left_head in rules.org_heads and _org_kind(right, rules) is not None and len(right.split()) > 1 and distinctive:
        return [*_split_coordination(start, left, rules), (start + len(left) + 5, right)]
    return [(start, text)]


# Words of organization names that name no one in particular.
_GENERIC_NAME_WORDS = frozenset("""research development innovation design testing test industrial national
international science scientific engineering service services application applications information
automotive digital advanced applied key state""".split())


_NAME_BEFORE = re.compile(rf"{_CAP}(?:\s+{_CAP}){{0,4}}$")


@lru_cache(maxsize=8)
def _description_patterns(rules: Rules) -> re.Pattern:
    descriptor = phrase_pattern(rules.descriptors)
    # Found from the comma, then the name is read backwards: cheaper than trying every capitalised word.
    return re.compile(rf",\s+(?:a|an|one of the|the)\s+(?:[\w'’\-]+\s+){{0,4}}?(?i:{descriptor})s?\b")


# "Chinese tech giant Baidu": the description in any case, then the name. The description's
# leading \b is written as word_start_pattern does, which lets the engine skip ahead.
_DESCRIPTION_BEFORE = Caseless(
    word_start_pattern(["tech", "technology", "chip", "auto", "car", "battery", "electronics", "internet"])
    + r"\s+(?:giant|maker|firm|company|group|leader)")
_NAME_AFTER_DESCRIPTION = re.compile(rf"\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,3}})")


def _described_organizations(s: str, spans: list, rules: Rules,
                             person_names: set[str]) -> list[tuple[int, int, str, str | None]]:
    """Names made organizations by what the text says of them.

    "Hexin Robotics, a Shunde-based maker of ...", "Lingke Control, a Guangzhou supplier",
    "Chinese tech giant Baidu".
    """
    found = []
    candidates = []
    for m in _description_patterns(rules).finditer(s):
        name = _NAME_BEFORE.search(s, max(0, m.start() - 80), m.start())
        if name:
            candidates.append((name.start(), name.group()))
    candidates += _named_after_description(s)
    for start, text in candidates:
        name_start, name = _strip_leading(start, text)
        if not name or name.lower() in _STOP_FIRST or any(a <= name_start < b for a, b, *_ in spans):
            continue
        if name in person_names or _is_place_name(name, rules) or _placed_after_organization(s, name_start, spans):
            continue
        found.append((name_start, name_start + len(name), name, None))
    return found


_LOCATIVE_BEFORE = re.compile(r"\s(?:in|near|outside)\s+$")


def _placed_after_organization(s: str, start: int, spans: list) -> bool:
    """"the Purple Mountain Laboratories in Nanjing, a research institute ...": the name is where the
    organization named just before it stands, and the description is the organization's."""
    locative = _LOCATIVE_BEFORE.search(s, max(0, start - 10), start)
    return locative is not None and any(end == locative.start() for _, end, *_ in spans)


def _named_after_description(s: str) -> list[tuple[int, str]]:
    """(start, name) of every name that follows a description in ``s``.

    Two steps, so that the description can ignore case while the name must be
    capitalised: the description is found in the folded text, the name read after
    it in ``s``. A description inside the previous name ("tech giant Auto Maker
    Foo") is skipped, as one regex's finditer would skip it.
    """
    found = []
    end = 0
    for m in _DESCRIPTION_BEFORE.finditer(s):
        name = _NAME_AFTER_DESCRIPTION.match(s, m.end()) if m.start() >= end else None
        if name:
            found.append((name.start("name"), name.group("name")))
            end = name.end()
    return found


def _person_names(names: Names) -> set[str]:
    """The names and surnames of the people found: no organization is named so."""
    return set(names.people) | {p.surname for p in names.people.values()}


def _is_place_name(text: str, rules: Rules) -> bool:
    last = text.lower().split()[-1]
    return last in rules.place_heads


def _add_org(names: Names, text: str, key: str | None, rules: Rules, start: int) -> Organization:
    """Register an organization name; a shorter or longer form of a known one joins it.

    "Lanxin" after "Lanxin Quantum Technology Co., Ltd." is the same firm; the
    longest form is kept as the article's name for it.
    """
    if key is not None:
        for org in names.organizations.values():
            if org.reference_key == key:
                org.aliases.add(text)
                if len(text) > len(org.name) and not text.isupper():
                    org.aliases.add(org.name)
                    org.name = text
                return org
    normal = normalize_name(text)
    for org in names.organizations.values():
        if org.reference_key and key and org.reference_key != key:
            continue
        forms = {normalize_name(org.name)} | {normalize_name(a) for a in org.aliases}
        if normal in forms or any(_prefix_of(normal, f) or _prefix_of(f, normal) for f in forms):
            org.aliases.add(text)
            if len(text) > len(org.name) and not text.isupper():
                org.aliases.add(org.name)
                org.name = text
            if key and not org.reference_key:
                org.reference_key = key
            return org
    org = Organization(name=text, kind=_type_of(text, rules), first=start, reference_key=key)
    names.organizations[text] = org
    return org


def _prefix_of(short: str, long: str) -> bool:
    """"lanxin" names "lanxin quantum technology"; "wuhan" (a city) is left to the caller to exclude."""
    return long.startswith(short + " ") and len(short) >= 4
