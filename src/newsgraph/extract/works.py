"""worksOn: what an organization makes, develops or researches.

From what the text says ("a maker of", "which makes", "the company's X
research"), from descriptions ("the drone maker") and, for institutes and
zones, from their own names ("Key Laboratory of Flexible Electronics").
"""

from __future__ import annotations

import re

from newsgraph.extract.rules import Caseless, Rules, fold_case
from newsgraph.extract.technologies import Technology, technologies_in
from newsgraph.extract.triggers import NOT_SITES, possessive
from newsgraph.extract.visits import VisitCandidate
from newsgraph.model import Evidence, Mention, Relation, Sentence
from newsgraph.reference import Reference

__all__ = ["works_on", "works_from_names"]

_SENTENCE_CONTEXT = Caseless(
    r"\b(?:learn(?:ed|t)?\s+about|briefed\s+on|introduction\s+(?:of|to)|understood|understanding\s+of|"
    r"looked\s+(?:at|over)|viewed|watched|inspected|saw|shown|displayed|showcased|research|develop\w*|"
    r"products?|make|makes|made|produce[sd]?|manufactur\w+|test(?:ing|ed|s)?|introduced|presented|unveiled)\b")
_POSSESSIVE_S = re.compile(r"^(?:'s|’s|')")
_ACHIEVED_IN = re.compile(r"\s+(?:progress|achievements?|breakthroughs?|advances)\s+(?:in|on)\s+")
_STATED_RESEARCH = re.compile(r"[^,;]*?\b(?:research|products?|R&D|development)\b")
_RESEARCH_TAIL = re.compile(r"\b(?:research|products?|development|industrialization|business)\b.*$")
_SITE_OF = re.compile(r"\bthe\s+((?:[\w'’\-]+\s+){1,4}?)(?:plant|factory|fab|campus|facility|site)\s+of\s+")
_SITE_WORDS = frozenset({"plant", "factory", "fab", "campus", "facility", "site"})
_NON_WORD = re.compile(r"\W+")


def works_on(sentence: Sentence, ms: list[Mention], pats, words: frozenset[str], rules: Rules,
             reference: Reference, article_key: str, visits: list[VisitCandidate]) -> list[Relation]:
    """The worksOn facts one sentence states, each rule below reading one way of saying it.

    ``visits`` are those read so far: in a visit report, "he learned about the
    production of X" is about the site being visited.
    """
    s = sentence.text
    out: list[Relation] = []
    orgs = [m for m in ms if m.label == "organization"]
    site = _current_site(sentence, visits)
    if not orgs and site is None:
        return out

    def add(org: Mention | None, techs: list[Technology], rule: str, confidence: float) -> None:
        if org is None or org.kind in NOT_SITES:
            return
        for tech in techs:
            obj = Mention(tech.start, tech.end, tech.surface, "technology", tech.label, kind=tech.key, rule=rule)
            ev = Evidence(article_key, s, sentence.start, sentence.end, rule, confidence)
            out.append(Relation("worksOn", org, obj, ev))

    def phrase_after(position: int) -> tuple[int, str]:
        shift, phrase = _clause(s[position:])
        return sentence.start + position + shift, phrase

    # "a maker of X", "which makes X", "is developing X", "research on X"
    for trig in pats["tech"].finditer(s, words):
        subject = _subject_org(sentence.start + trig.end(), orgs, sentence) or (site if not orgs else None)
        if subject is None:
            continue
        start, phrase = phrase_after(trig.end())
        if phrase:
            rule = "works." + _NON_WORD.sub("-", s[trig.start():trig.end()].lower()).strip("-")
            add(subject, technologies_in(phrase, start, rules, reference), rule, 0.8)
    # "a machine-vision system developed in-house"
    for m in (_IN_HOUSE.finditer(s) if "in-house" in words else ()):
        subject = _subject_org(sentence.start + m.start(), orgs, sentence) or next(
            (o for o in reversed(orgs) if o.start < sentence.start + m.start()), None) or site
        add(subject, technologies_in(s[m.start(1):m.end(1)], sentence.start + m.start(1), rules, reference),
            "works.in-house", 0.7)
    # "Optical transceiver modules ..., which the firm began shipping last year": the product comes first
    for m in (_WHICH_IT_MAKES.finditer(s) if "which" in words and _WHICH_MAKER.search(s) else ()):
        maker = next((o for o in orgs if o.start - sentence.start >= m.start("maker")
                      and o.end - sentence.start <= m.end("maker")), None)
        add(maker, technologies_in(s[m.start("tech"):m.end("tech")], sentence.start + m.start("tech"), rules, reference),
            "works.which-it-makes", 0.7)
    # "SOI substrates have been supplied to the company since 2020 by Huanxin Semiconductor"
    for m in (_MADE_BY.finditer(s) if "by" in words and not _PARTICIPLES.isdisjoint(words) else ()):
        maker = next((o for o in orgs if o.start - sentence.start == m.end()), None)
        add(maker, technologies_in(s[m.start("tech"):m.end("tech")], sentence.start + m.start("tech"), rules, reference),
            "works.made-by", 0.7)
    # "seven tenths of the global market in the consumer-level unmanned aerial vehicle field"
    for m in pats["field"].finditer(s, words):
        subject = _subject_org(sentence.start + m.start(), orgs, sentence)
        add(subject, technologies_in(s[m.start(1):m.end(1)], sentence.start + m.start(1), rules, reference,
                                     allow_new=False), "works.field", 0.6)
    # "learned about the production of X" in a visit report: the site works on X
    if site is not None and not orgs:
        folded = fold_case(s)
        for m in (_LEARN.finditer(s) if any(w in folded for w in _LEARN_WORDS) else ()):
            start, phrase = phrase_after(m.end())
            add(site, technologies_in(phrase, start, rules, reference, allow_new=False), "works.visit-learned", 0.6)
    for org in orgs:
        if not (possessive(org, sentence) or org.text.lower() == "its"):
            continue
        rest = _POSSESSIVE_S.sub("", s[org.end - sentence.start:])
        offset = org.end + (len(s[org.end - sentence.start:]) - len(rest))
        # "Samsung Electronics' expanded mobile phone plant"
        place = pats["tech_site"].match(rest)
        if place:
            add(org, technologies_in(place.group(1), offset + place.start(1), rules, reference, allow_new=False),
                "works.site", 0.6)
            continue
        # "the company's progress in power semiconductors": what the organization has achieved is its field
        achieved = _ACHIEVED_IN.match(rest)
        if achieved:
            shift, phrase = _clause(rest[achieved.end():])
            add(org, technologies_in(phrase, offset + achieved.end() + shift, rules, reference), "works.possessive", 0.7)
            continue
        # "the company's integrated circuit equipment research", "its first silicon photonics chip"
        shift, phrase = _clause(rest)
        context = s[max(0, org.start - sentence.start - 45):org.start - sentence.start]
        if not (_SENTENCE_CONTEXT.search(context) or _STATED_RESEARCH.match(phrase)):
            continue
        phrase = _RESEARCH_TAIL.sub("", phrase)
        add(org, technologies_in(phrase, offset + shift, rules, reference), "works.possessive", 0.7)
    # "the Xi'an memory chip plant of South Korea's Samsung Electronics"
    for m in (_SITE_OF.finditer(s) if "of" in words and not _SITE_WORDS.isdisjoint(words) else ()):
        target = next((o for o in orgs if 0 <= o.start - sentence.start - m.end() <= 30), None)
        if target is not None:
            add(target, technologies_in(m.group(1), sentence.start + m.start(1), rules, reference, allow_new=False),
                "works.site", 0.6)
    # "the American electric vehicle maker", "the drone maker", "a Xiamen-based battery start-up"
    for m in pats["descriptor"].finditer(s, words):
        group = 1 if m.group(1) is not None else 2
        target = _described_org(sentence.start + m.start(), sentence.start + m.end(), orgs, sentence)
        if target is None:
            continue
        maker = s[m.start(3):m.end(3)] if m.group(3) else ""
        modifier = s[m.start(group):m.end(group)] + (maker + "s" if maker else "")   # "automaker" -> "autos"
        techs = technologies_in(modifier, sentence.start + m.start(group), rules, reference, allow_new=False)
        add(target, techs, "works.descriptor", 0.6)
    return out


_WHICH_IT_MAKES = Caseless(
    r"(?P<tech>[a-z][\w\-]*(?:\s+[\w\-]+){0,8}?),\s+which\s+(?P<maker>the\s+(?:company|firm|enterprise|group)|it)"
    r"\s+(?:\w+\s+){0,2}?(?:makes?|made|produces?|produced|develops?|developed|ships?|shipped|shipping|sells?|sold|"
    r"launch(?:es|ed)?|builds?|built)\b")
# What follows the product, to look for first: the pattern above tries every word of a sentence as its start.
_WHICH_MAKER = Caseless(r",\s+which\s+(?:the\s+(?:company|firm|enterprise|group)|it)\s")
_PARTICIPLES = frozenset("supplied made produced manufactured developed built designed".split())
_MADE_BY = Caseless(
    r"(?P<tech>[a-z][\w\-]*(?:\s+[\w\-()]+){0,6}?)\s+(?:have|has|had|were|was|are|is)\s+(?:been\s+)?"
    r"(?:supplied|made|produced|manufactured|developed|built|designed)\b[^,;.]{0,60}?\bby\s+(?:the\s+)?")
_IN_HOUSE = Caseless(r"\b(?:a|an|its|the|their)\s+((?:[\w\-]+\s+){1,4}?)(?:developed|designed|built|made)\s+in-house\b")
_LEARN = Caseless(r"\b(?:learn(?:ed|t)?\s+about|understood|understanding\s+of|briefed\s+on|looked\s+(?:at|over)|watched)\s+"
                  r"(?:the\s+|its\s+)?(?:[\w\-]+\s+){0,4}?(?:of|on)\s+(?:the\s+)?")
_LEARN_WORDS = ("learn", "understood", "understanding", "briefed", "looked", "watched")


def _current_site(sentence: Sentence, visits: list[VisitCandidate]) -> Mention | None:
    """The organization being visited: the site of this sentence's visit or of the one just before."""
    if not visits:
        return None
    last = visits[-1]
    return last.org if 0 <= sentence.start - last.sentence.start <= 600 else None


def _clause(text: str) -> tuple[int, str]:
    """The phrase after a trigger, up to the end of its clause, and where it starts in ``text``."""
    text = _CLAUSE_END.split(text, maxsplit=1)[0]
    lead = _CLAUSE_LEAD.match(text)
    shift = lead.end() if lead else 0
    text = _PHRASE_END.split(text[shift:], maxsplit=1)[0]
    stripped = text.rstrip(" ,")
    return shift + (len(text) - len(text.lstrip(" ,"))), stripped.lstrip(" ,")


_CLAUSE_END = re.compile(r"[;.:!?](?:\s|$)|\s[—–-]{1,2}\s|,\s+(?:which|who|where|while|a|an|and\s+(?:the|its|a))\b|"
                         r",\s+\w+ed\s|\(\s*[A-Z][a-z]|,?\s+and\s+\w+ed\s+(?:for|on|to|the|a|that|more|with)\b")
# "several generations of", "the research, development and production of" before the phrase itself
_CLAUSE_LEAD = Caseless(r"\s*(?:(?:several|many|multiple|various)\s+)?(?:(?:generations|types|kinds|a\s+range|a\s+series|"
                        r"(?:the\s+)?(?:(?:research|development|production|sales?|manufacturing|application|design|r&d)"
                        r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)?)+)\s*of\s+)?")
_PHRASE_END = re.compile(r"\s+for\s+the\s+|\s+to\s+|\s+in\s+(?:the|a|an)\b|\s+and\s+(?:about|on|in|at|to|from|with|into)\b")


_PLAN = re.compile(r"^(?:'s|’s|')\s+(?:[\w$.,\-]+\s+){0,4}?(?:plans?|commitment|decision|investment|pledge|project|bid|effort)"
                   r"(?:,[^,]{0,40},)?\s+to\s+")


def _subject_org(position: int, orgs: list[Mention], sentence: Sentence) -> Mention | None:
    """The organization a works-on phrase is about: the nearest preceding organization heading its phrase.

    A possessive ("Hexin's neighbour") only modifies, except in "GM's plan to build ...".
    """
    for org in reversed([o for o in orgs if o.end <= position]):
        if org.kind in NOT_SITES:
            continue
        if not possessive(org, sentence):
            return org
        if _PLAN.match(sentence.text[org.end - sentence.start:position - sentence.start + 1]):
            return org
    return None


def _described_org(start: int, end: int, orgs: list[Mention], sentence: Sentence) -> Mention | None:
    """The organization a description belongs to: itself (an anaphor) or the name it stands in apposition to."""
    for org in orgs:
        if org.start <= start and end <= org.end + 1 or start <= org.start < end:
            return org
    before = [o for o in orgs if o.end <= start and start - o.end <= 4 and not possessive(o, sentence)]
    if before:
        return before[-1]
    after = [o for o in orgs if o.start >= end and o.start - end <= 2]
    return after[0] if after else None


_OF_OR_FOR = re.compile(r"\s+(?:of|for)\s+")


def works_from_names(mentions: list[Mention], sentences: list[Sentence], rules: Rules, reference: Reference,
                      article_key: str) -> list[Relation]:
    """Institutes, labs and zones are named for their field: "Key Laboratory of Flexible Electronics"."""
    out: list[Relation] = []
    seen: set[str] = set()
    for m in mentions:
        if m.label != "organization" or m.kind in NOT_SITES or m.name in seen or m.rule != "org.org-span":
            continue
        has_field = _OF_OR_FOR.search(m.name) is not None
        if not has_field and m.kind not in ("research_institute", "industrial_zone"):
            continue
        seen.add(m.name)
        sentence = next((s for s in sentences if s.start <= m.start < s.end), None)
        if sentence is None:
            continue
        name = m.name
        field = _OF_OR_FOR.split(name, maxsplit=1)
        phrase = field[1] if len(field) > 1 else name
        for tech in technologies_in(phrase, m.start, rules, reference, allow_new=len(field) > 1):
            if tech.label.lower() in rules.tech_stoplist:
                continue
            obj = Mention(m.start, m.end, tech.label, "technology", tech.label, kind=tech.key, rule="works.name")
            ev = Evidence(article_key, sentence.text, sentence.start, sentence.end, "works.name", 0.5)
            out.append(Relation("worksOn", m, obj, ev))
    return out
