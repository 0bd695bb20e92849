"""Relations: who visited which organization and when, and what organizations work on.

Visits are read sentence by sentence from trigger phrases (``visits`` in the
rule file) in the shapes news uses: an official subject before an active
trigger ("Xi then visited FiberHome"), a site fronted before the official
("At NAURA, Li listened ..."), the host's side ("Hexin Robotics hosted
Mayor Liang"), and companions ("accompanied by Vice Premier Liu He"). A
trigger in a planned, future or denied clause is rejected, with the reason
kept for ``newsgraph explain``.

worksOn facts come from what the text says an organization makes, develops
or researches ("a maker of", "which makes", "the company's X research"),
from descriptions ("the drone maker") and, for institutes and zones, from
their own names ("Key Laboratory of Flexible Electronics").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from newsgraph.extract.dates import Anchor, DateExpression, resolve
from newsgraph.extract.rules import Rules, phrase_pattern
from newsgraph.extract.technologies import Technology, technologies_in
from newsgraph.model import Evidence, Mention, PartialDate, Rejection, Relation, Sentence
from newsgraph.reference import Reference

__all__ = ["find_relations"]

NOT_SITES = {"government_body"}
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")
_FOLLOWING_POSSESSIVE = re.compile(r"(?:'s|’s|')(?!\w)")


def _possessive(m: Mention, sentence: Sentence) -> bool:
    """"Hexin's neighbour": the mention modifies a noun instead of heading the phrase."""
    return bool(_POSSESSIVE.search(m.text) or _FOLLOWING_POSSESSIVE.match(sentence.text, m.end - sentence.start))
_SENTENCE_CONTEXT = re.compile(
    r"\b(?:learn(?:ed|t)?\s+about|briefed\s+on|introduction\s+(?:of|to)|understood|understanding\s+of|"
    r"looked\s+(?:at|over)|viewed|watched|inspected|saw|shown|displayed|showcased|research|develop\w*|"
    r"products?|make|makes|made|produce[sd]?|manufactur\w+|test(?:ing|ed|s)?|introduced|presented|unveiled)\b", re.I)


@dataclass
class _Visit:
    official: Mention
    org: Mention
    date: PartialDate | None
    rule: str
    confidence: float
    sentence: Sentence


class _Guarded:
    """A pattern that runs only on sentences holding one of its first words.

    Most sentences hold no trigger at all; a set lookup is far cheaper than a
    regular expression over the sentence.
    """

    def __init__(self, pattern: re.Pattern, first_words) -> None:
        self.pattern = pattern
        self.first_words = frozenset(w.split()[0].lower() for w in first_words if w.split())

    def finditer(self, text: str, words: frozenset[str]):
        if self.first_words.isdisjoint(words):
            return iter(())
        return self.pattern.finditer(text)

    def match(self, text: str, pos: int = 0):
        return self.pattern.match(text, pos)


_WORDS = re.compile(r"[a-z][a-z&'’\-]*")


def _sentence_words(text: str) -> frozenset[str]:
    return frozenset(_WORDS.findall(text.lower()))


@lru_cache(maxsize=8)
def _triggers(rules: Rules) -> dict:
    def words(phrases) -> str:
        return phrase_pattern(phrases)
    companion_words = {"greeted", "joined", "accompanied", "escorted", "welcomed"}
    tech_words = set(rules.tech_patterns) | {"one", "spend", "spends", "spending"}
    return {
        "active": _Guarded(re.compile(rf"\b(?i:{words(rules.visit_active)})\b"), rules.visit_active),
        "passive": _Guarded(re.compile(rf"\b(?i:{words(rules.visit_passive)})\b"), rules.visit_passive),
        "during": _Guarded(re.compile(rf"\b(?i:{words(rules.visit_during)})\b"), rules.visit_during),
        "companions": _Guarded(re.compile(
            rf"\b(?i:{words(rules.companions)})\b|\b(?:greeted|joined|accompanied|escorted|welcomed)"
            rf"\s+(?:(?:in|at|on)\s+(?:the\s+)?[\w\-]+\s+)?by\b"), rules.companions | companion_words),
        "companion_verbs": _Guarded(re.compile(rf"\b(?i:{words(rules.companion_verbs)})\b(?!\s+by\b)"),
                                    rules.companion_verbs),
        "negators": re.compile(rf"\b(?i:{words(rules.negators)})\b"),
        "fronted": re.compile(rf"^(?i:{words(rules.visit_fronted)})\s+"),
        "site_gap": re.compile(
            rf"^\s*(?:(?:the|a|an|its|his|her)\s+)?(?:[\w&'’\-]+\s+){{0,6}}?(?i:{words(rules.site_nouns)})"
            rf"\s+(?:of|at|in)\s+(?:the\s+)?(?:[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*)*(?:'s|’s)\s+)?$"),
        "tech": _Guarded(re.compile(
            rf"\b(?i:{words(rules.tech_patterns)}|one\s+of\s+the\s+(?:[\w'’\-]+\s+){{0,4}}?"
            rf"(?:enterprises|companies|firms|makers|producers|manufacturers)\s+(?:in|of|doing)|"
            rf"spend(?:s|ing)?\s+(?:about\s+)?[$€£¥]?[\d.,]+\s*(?:billion|million)?\s+(?:\w+\s+)?on)\b"), tech_words),
        "field": _Guarded(re.compile(r"\bin\s+the\s+((?:[\w\-]+\s+){1,5}?)(?:field|sector|market)\b", re.I),
                          {"field", "sector", "market"}),
        "tech_site": re.compile(r"^\s*(?:(?:new|expanded|only|first|largest|upcoming|planned)\s+)*((?:[\w\-]+\s+){1,3}?)"
                                r"(?i:plant|factory|fab|campus|facility|production line|production base|complex|site)\b"),
        "descriptor": _Guarded(re.compile(
            rf"\b(?:a|an|the)\s+((?:[\w\-]+\s+){{1,5}}?)(?:{words(rules.descriptors)})\b|"
            rf"\b(?:a|an|the)\s+((?:[\w.\-]+\s+){{0,4}}?)(\w+)maker\b", re.I),
            set(rules.descriptors) | {"automaker", "carmaker", "chipmaker", "planemaker", "drugmaker", "steelmaker"}),
    }


def find_relations(text: str, sentences: list[Sentence], mentions: list[Mention], dates: list[DateExpression],
                   anchor: Anchor, rules: Rules, reference: Reference, article_key: str
                   ) -> tuple[list[Relation], list[Rejection]]:
    """Visits and worksOn facts of one article, with the candidates rules rejected."""
    pats = _triggers(rules)
    visits: list[_Visit] = []
    works: list[Relation] = []
    rejections: list[Rejection] = []
    discourse_date: PartialDate | None = None
    # The lead's date (a dateline's day included) is the fallback, unless the lead names a day
    # that cannot be placed ("from Wednesday to Thursday" with no year).
    lead_end = sentences[1].end if anchor.source == "dateline" and len(sentences) > 1 else (
        sentences[0].end if sentences else 0)
    lead = [d for d in dates if d.start < lead_end and not d.historical]
    unplaced = any(d.day_level and d.kind != "vague" and resolve(d, anchor) is None for d in lead)
    first_date = None if unplaced else _first_day_date(lead, anchor)
    last_group: list[_Visit] = []
    tour_companions: list[tuple[Mention, str, Sentence]] = []
    last_group_sentence = -10
    last_official: Mention | None = None
    by_sentence = _group(mentions, sentences)
    dates_by_sentence = _group(dates, sentences)
    for index, sentence in enumerate(sentences):
        ms = by_sentence[index]
        ds = [d for d in dates_by_sentence[index] if not d.historical and d.start != anchor.dateline_at]
        sentence_date = _latest_day_date(ds, anchor)
        group: list[_Visit] = []
        words = _sentence_words(sentence.text)
        for found in (_active(sentence, ms, pats, words, last_official, rejections),
                      _passive(sentence, ms, pats, words), _fronted(sentence, ms, pats),
                      _during(sentence, ms, pats, words, last_official)):
            for official, org, position, rule, confidence in found:
                date, settled = _date_near(position, ds, anchor)
                if not settled:
                    date = discourse_date or sentence_date or first_date
                group.append(_Visit(official, org, date, rule, confidence, sentence))
        companions, visitor = _companions(sentence, ms, pats, words)
        if companions and visitor is not None and not group:
            # "Cai Qi and Wang Yi accompanied Xi on the inspection": the whole tour, told before or after
            tour_companions += [(official, visitor, sentence) for official in companions]
        elif companions:
            recent = index - last_group_sentence <= 3 or (
                visitor is not None and any(v.official.name == visitor for v in last_group))
            targets = group or (last_group if recent else [])
            for official in companions:
                for visit in {v.org.name: v for v in targets}.values():
                    if official.name != visit.official.name:
                        group.append(_Visit(official, visit.org, visit.date, "visit.companion", 0.8, sentence))
        if group:
            visits += group
            primary = [v for v in group if v.rule != "visit.companion"]
            if primary:   # companions join the visit they accompany; they start no new one
                last_group, last_group_sentence = primary, index
        officials = [m for m in ms if m.label == "official"]
        if officials:
            last_official = officials[-1]
        if sentence_date is not None:
            discourse_date = sentence_date
        works += _works_on(sentence, ms, pats, words, rules, reference, article_key, visits)
    for official, visitor, sentence in tour_companions:
        for visit in {v.org.name: v for v in visits if v.official.name == visitor}.values():
            if official.name != visitor:
                visits.append(_Visit(official, visit.org, visit.date, "visit.companion", 0.7, sentence))
    works += _works_from_names(mentions, sentences, rules, reference, article_key)
    relations = [_visit_relation(v, article_key) for v in visits] + works
    return _dedupe(relations, reference), rejections


# ---------------------------------------------------------------- visits

def _active(sentence: Sentence, ms: list[Mention], pats, words: frozenset[str], last_official: Mention | None,
            rejections: list[Rejection]):
    s = sentence.text
    for trig in pats["active"].finditer(s, words):
        t_start, t_end = sentence.start + trig.start(), sentence.start + trig.end()
        objects = _objects_after(t_end, ms, sentence, pats)
        if not objects:
            continue
        subjects = _subjects_before(t_start, ms, sentence)
        rule = "visit." + re.sub(r"\s+", "-", trig.group().lower())
        if subjects is None:
            rejections.append(Rejection(f"{trig.group()} {objects[0].name}", "the subject is not an official",
                                        rule, t_start, t_end))
            continue
        confidence = 0.9
        if not subjects:
            if last_official is None or any(m.label in ("official", "executive") for m in ms if m.start < t_start):
                continue
            subjects, confidence = [last_official], 0.6
        negation = _negated(s[:trig.start()], subjects, sentence, pats)
        if negation:
            rejections.append(Rejection(f"{subjects[0].name} {trig.group()} {objects[0].name}",
                                        f"planned, future or denied ('{negation}')", rule, t_start, t_end))
            continue
        for org in objects:
            if org.kind in NOT_SITES:
                rejections.append(Rejection(f"{subjects[0].name} {trig.group()} {org.name}",
                                            "a government body is a meeting place, not a visit site", rule,
                                            org.start, org.end))
                continue
            for official in subjects:
                yield official, org, t_start, rule, confidence


def _passive(sentence: Sentence, ms: list[Mention], pats, words: frozenset[str]):
    s = sentence.text
    for trig in pats["passive"].finditer(s, words):
        t_start = sentence.start + trig.start()
        orgs = [m for m in ms if m.label == "organization" and m.end <= t_start and m.kind not in NOT_SITES]
        officials = [m for m in ms if m.label == "official" and m.start >= t_start + len(trig.group())]
        if not orgs or not officials:
            continue
        gap = sentence.text[trig.end():officials[0].start - sentence.start]
        if len(gap) > 60 or "," in gap:
            continue
        if re.match(r"(?i)(?:was|were|is|are|been)\b", trig.group()) and not re.search(r"\bby\b", gap):
            continue
        rule = "visit.host-" + re.sub(r"\s+", "-", trig.group().lower())
        for official in _coordinated(officials, sentence, ms):
            yield official, orgs[0], t_start, rule, 0.85


def _fronted(sentence: Sentence, ms: list[Mention], pats):
    """"At North Huachuang Technology Group Co., Ltd., Li Qiang listened ..."."""
    m = pats["fronted"].match(sentence.text)
    if not m:
        return
    opening = sentence.start + m.end()
    orgs = [x for x in ms if x.label == "organization" and x.start >= opening]
    if not orgs or orgs[0].start - opening > 80:
        return
    org = orgs[0]
    lead = sentence.text[m.end():org.start - sentence.start]
    rest = sentence.text[org.end - sentence.start:]
    # "At NAURA," or "At the Yantai industrial park of Wanhua,", not "At a forum attended by Huawei,"
    if org.kind in NOT_SITES or not (re.fullmatch(r"\s*(?:the\s+)?", lead) or pats["site_gap"].match(lead)):
        return
    comma = re.match(r"(?:'s|’s)?[^,]{0,60}?,", rest)
    if not comma:
        return
    head_end = org.end + comma.end()
    after = [x for x in ms if x.start >= head_end and x.label in ("official", "executive")]
    if not after or after[0].label != "official":
        return
    if re.search(r"\b(?:said|says|told|added)\b", sentence.text[head_end - sentence.start:after[0].start - sentence.start]):
        return
    yield after[0], org, sentence.start, "visit.fronted-" + m.group().strip().lower(), 0.8


def _during(sentence: Sentence, ms: list[Mention], pats, words: frozenset[str], last_official: Mention | None):
    for trig in pats["during"].finditer(sentence.text, words):
        t_end = sentence.start + trig.end()
        objects = _objects_after(t_end, ms, sentence, pats)
        if not objects:
            continue
        before = [m for m in ms if m.label == "official" and m.end <= sentence.start + trig.start()]
        official = before[-1] if before else last_official
        if official is None:
            continue
        for org in objects:
            if org.kind not in NOT_SITES:
                yield official, org, sentence.start + trig.start(), "visit.during", 0.8


def _subjects_before(position: int, ms: list[Mention], sentence: Sentence) -> list[Mention] | None:
    """Officials who are the subject of a trigger: the nearest person and those coordinated with it.

    None when the nearest person is not an official (an executive's visit is no visit).
    """
    people = [m for m in ms if m.label in ("official", "executive") and m.end <= position]
    if not people:
        return []
    nearest = people[-1]
    between = sentence.text[nearest.end - sentence.start:position - sentence.start]
    if re.search(r"[.;]|\b(?:said|says|told|that|which|who|whose|but|because|when|after|before)\b", between) and len(between) > 40:
        return []
    if nearest.label != "official":
        return None
    return _coordinated([m for m in people if m.label == "official"], sentence, ms, backwards=True)


def _coordinated(officials: list[Mention], sentence: Sentence, ms: list[Mention], backwards: bool = False) -> list[Mention]:
    """"Modi and South Korean President Moon", "Zhou and Xu": officials joined by "and" or commas."""
    if not officials:
        return []
    chain = [officials[-1]] if backwards else [officials[0]]
    ordered = list(reversed(officials[:-1])) if backwards else officials[1:]
    for m in ordered:
        a, b = (m, chain[-1]) if backwards else (chain[-1], m)
        gap = sentence.text[a.end - sentence.start:b.start - sentence.start]
        if re.fullmatch(r"(?:\s*,\s*|\s+)(?:and\s+)?(?:[A-Z][\w.'’\-]*\s+|(?:national|security|adviser|state|premier|chief|vice|deputy|minister|governor|senator|mayor|secretary)\s+)*", gap) or re.fullmatch(r"\s+and\s+", gap):
            chain.append(m)
        else:
            break
    return sorted({m.name: m for m in chain}.values(), key=lambda m: m.start)


def _objects_after(position: int, ms: list[Mention], sentence: Sentence, pats) -> list[Mention]:
    """The organization a trigger takes, and those coordinated with it ("A, B and C")."""
    orgs = [m for m in ms if m.label == "organization" and m.start >= position]
    if not orgs:
        return []
    first = orgs[0]
    gap = sentence.text[position - sentence.start:first.start - sentence.start]
    site = None if re.fullmatch(r"\s*(?:the\s+)?", gap) else pats["site_gap"].match(gap)
    if site is None and not re.fullmatch(r"\s*(?:the\s+)?", gap):
        return []
    if site is not None:   # "the Yizhuang office area of Baidu": Baidu, with the site kept as detail
        detail = _SITE_PHRASE.sub("", gap).strip()
        first = replace(first, detail=detail or None)
    chosen = [first]
    for m in orgs[1:]:
        gap = sentence.text[chosen[-1].end - sentence.start:m.start - sentence.start]
        if _possessive(m, sentence):
            continue
        if re.fullmatch(r"(?:\s*,\s*|\s+)(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?|"
                        r",\s+(?:a|an|the|one)\s[^,;]{0,90},\s+and\s+(?:the\s+)?", gap):
            chosen.append(m)
        else:
            break
    return chosen


def _negated(clause: str, subjects: list[Mention], sentence: Sentence, pats) -> str | None:
    start = subjects[0].end - sentence.start if subjects else 0
    window = clause[max(start, len(clause) - 60):]
    m = pats["negators"].search(window)
    return m.group() if m else None


def _companions(sentence: Sentence, ms: list[Mention], pats, words: frozenset[str]) -> tuple[list[Mention], str | None]:
    """Officials present with the visitor, and the visitor they accompanied when the text names one.

    "accompanied by Vice Premier Liu He", "joined on the stage by Ohio Governor Mike DeWine";
    "Raimondo and Sullivan were among the officials who accompanied Biden".
    """
    found: list[Mention] = []
    visitor = None
    for trig in pats["companions"].finditer(sentence.text, words):
        t_end = sentence.start + trig.end()
        for m in ms:
            if m.start < t_end:
                continue
            if m.label == "official" and " " in m.text.strip():
                found.append(m)
            elif m.label != "executive" and " " not in m.text.strip():
                break
    for trig in pats["companion_verbs"].finditer(sentence.text, words):
        t_start = sentence.start + trig.start()
        before = [m for m in ms if m.label == "official" and m.end <= t_start and " " in m.text.strip()]
        after = [m for m in ms if m.label == "official" and m.start >= t_start + len(trig.group())]
        if before and after:
            found += before
            visitor = after[0].name
        elif before and trig.group().lower().startswith(("also", "were", "was")):
            found += before
    return list({m.name: m for m in found}.values()), visitor


def _visit_relation(v: _Visit, article_key: str) -> Relation:
    evidence = Evidence(article_key, v.sentence.text, v.sentence.start, v.sentence.end, v.rule, v.confidence)
    return Relation("visited", v.official, v.org, evidence, v.date)


# ---------------------------------------------------------------- dates

def _group(items, sentences: list[Sentence]) -> list[list]:
    groups: list[list] = [[] for _ in sentences]
    starts = [s.start for s in sentences]
    import bisect
    for item in items:
        i = bisect.bisect_right(starts, item.start) - 1
        if 0 <= i < len(sentences) and item.start < sentences[i].end:
            groups[i].append(item)
    return groups


def _date_near(position: int, ds: list[DateExpression], anchor: Anchor) -> tuple[PartialDate | None, bool]:
    """The date of the expression nearest a trigger, and whether the sentence settles the date.

    A weekday that cannot be placed ("on Thursday" in an undated article)
    still settles it: the visit is then undated, not given the dateline's day.
    Only a date restated right beside it ("Wednesday (August 17)") may stand in.
    """
    # "last year" speaks of the visit only close by, not in a clause about something else
    ranked = sorted((d for d in ds if d.kind != "vague" or abs(d.start - position) <= 60),
                    key=lambda d: abs(d.start - position))
    for i, expr in enumerate(ranked):
        date = resolve(expr, anchor)
        if date is not None:
            return date, True
        beside = [d for d in ranked[i + 1:] if abs(d.start - expr.end) <= 3 or abs(expr.start - d.end) <= 3]
        if expr.day_level and not beside:
            return None, True
    return None, False


def _latest_day_date(ds: list[DateExpression], anchor: Anchor) -> PartialDate | None:
    for expr in reversed(ds):
        if expr.day_level:
            date = resolve(expr, anchor)
            if date is not None and date.day is not None:
                return date
    return None


def _first_day_date(dates: list[DateExpression], anchor: Anchor) -> PartialDate | None:
    for expr in dates:
        if expr.day_level and not expr.historical:
            date = resolve(expr, anchor)
            if date is not None and date.day is not None:
                return date
    return None


# ---------------------------------------------------------------- worksOn

def _works_on(sentence: Sentence, ms: list[Mention], pats, words: frozenset[str], rules: Rules,
              reference: Reference, article_key: str, visits: list[_Visit]) -> list[Relation]:
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
        start, phrase = phrase_after(trig.end())
        subject = _subject_org(sentence.start + trig.end(), orgs, sentence) or (site if not orgs else None)
        if phrase and subject is not None:
            rule = "works." + re.sub(r"\W+", "-", trig.group().lower()).strip("-")
            add(subject, technologies_in(phrase, start, rules, reference), rule, 0.8)
    # "a machine-vision system developed in-house"
    for m in _IN_HOUSE.finditer(s):
        subject = _subject_org(sentence.start + m.start(), orgs, sentence) or next(
            (o for o in reversed(orgs) if o.start < sentence.start + m.start()), None) or site
        add(subject, technologies_in(m.group(1), sentence.start + m.start(1), rules, reference), "works.in-house", 0.7)
    # "seven tenths of the global market in the consumer-level unmanned aerial vehicle field"
    for m in pats["field"].finditer(s, words):
        subject = _subject_org(sentence.start + m.start(), orgs, sentence)
        add(subject, technologies_in(m.group(1), sentence.start + m.start(1), rules, reference, allow_new=False),
            "works.field", 0.6)
    # "learned about the production of X" in a visit report: the site works on X
    if site is not None and not orgs:
        for m in _LEARN.finditer(s):
            start, phrase = phrase_after(m.end())
            add(site, technologies_in(phrase, start, rules, reference, allow_new=False), "works.visit-learned", 0.6)
    for org in orgs:
        if not (_possessive(org, sentence) or org.text.lower() == "its"):
            continue
        rest = re.sub(r"^(?:'s|’s|')", "", s[org.end - sentence.start:])
        offset = org.end + (len(s[org.end - sentence.start:]) - len(rest))
        # "Samsung Electronics' expanded mobile phone plant"
        place = pats["tech_site"].match(rest)
        if place:
            add(org, technologies_in(place.group(1), offset + place.start(1), rules, reference, allow_new=False),
                "works.site", 0.6)
            continue
        # "the company's integrated circuit equipment research", "its first silicon photonics chip"
        shift, phrase = _clause(rest)
        context = s[max(0, org.start - sentence.start - 45):org.start - sentence.start]
        if not (_SENTENCE_CONTEXT.search(context) or re.match(r"[^,;]*?\b(?:research|products?|R&D|development)\b", phrase)):
            continue
        phrase = re.sub(r"\b(?:research|products?|development|industrialization|business)\b.*$", "", phrase)
        add(org, technologies_in(phrase, offset + shift, rules, reference), "works.possessive", 0.7)
    # "the Xi'an memory chip plant of South Korea's Samsung Electronics"
    for m in re.finditer(r"\bthe\s+((?:[\w'’\-]+\s+){1,4}?)(?:plant|factory|fab|campus|facility|site)\s+of\s+", s):
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
        modifier = m.group(group) + (m.group(3) + "s" if m.group(3) else "")   # "automaker" -> "autos"
        techs = technologies_in(modifier, sentence.start + m.start(group), rules, reference, allow_new=False)
        add(target, techs, "works.descriptor", 0.6)
    return out


_SITE_PHRASE = re.compile(r"^\s*(?:the|a|an|its|his|her)\s+|\s+(?:of|at|in)\s+(?:the\s+)?(?:[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*)*(?:'s|’s)\s+)?$")
_IN_HOUSE = re.compile(r"\b(?:a|an|its|the|their)\s+((?:[\w\-]+\s+){1,4}?)(?:developed|designed|built|made)\s+in-house\b", re.I)
_LEARN = re.compile(r"\b(?:learn(?:ed|t)?\s+about|understood|understanding\s+of|briefed\s+on|looked\s+(?:at|over)|watched)\s+"
                    r"(?:the\s+|its\s+)?(?:[\w\-]+\s+){0,4}?(?:of|on)\s+(?:the\s+)?", re.I)


def _current_site(sentence: Sentence, visits: list[_Visit]) -> Mention | None:
    """The organization being visited: the site of this sentence's visit or of the one just before."""
    if not visits:
        return None
    last = visits[-1]
    return last.org if 0 <= sentence.start - last.sentence.start <= 600 else None


def _clause(text: str) -> tuple[int, str]:
    """The phrase after a trigger, up to the end of its clause, and where it starts in ``text``."""
    text = re.split(r"[;.:!?](?:\s|$)|\s[—–-]{1,2}\s|,\s+(?:which|who|where|while|a|an|and\s+(?:the|its|a))\b|,\s+\w+ed\s|"
                    r"\(\s*[A-Z][a-z]|,?\s+and\s+\w+ed\s+(?:for|on|to|the|a|that|more|with)\b", text, maxsplit=1)[0]
    lead = re.match(r"\s*(?:(?:several|many|multiple|various)\s+)?(?:(?:generations|types|kinds|a\s+range|a\s+series|"
                    r"(?:the\s+)?(?:(?:research|development|production|sales?|manufacturing|application|design|r&d)"
                    r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)?)+)\s*of\s+)?", text, re.I)
    shift = lead.end() if lead else 0
    text = re.split(r"\s+for\s+the\s+|\s+to\s+|\s+in\s+(?:the|a|an)\b|\s+and\s+(?:about|on|in|at|to|from|with|into)\b",
                    text[shift:], maxsplit=1)[0]
    stripped = text.rstrip(" ,")
    return shift + (len(text) - len(text.lstrip(" ,"))), stripped.lstrip(" ,")


_PLAN = re.compile(r"^(?:'s|’s|')\s+(?:[\w$.,\-]+\s+){0,4}?(?:plans?|commitment|decision|investment|pledge|project|bid|effort)"
                   r"(?:,[^,]{0,40},)?\s+to\s+")


def _subject_org(position: int, orgs: list[Mention], sentence: Sentence) -> Mention | None:
    """The organization a works-on phrase is about: the nearest preceding organization heading its phrase.

    A possessive ("Hexin's neighbour") only modifies, except in "GM's plan to build ...".
    """
    for org in reversed([o for o in orgs if o.end <= position]):
        if org.kind in NOT_SITES:
            continue
        if not _possessive(org, sentence):
            return org
        if _PLAN.match(sentence.text[org.end - sentence.start:position - sentence.start + 1]):
            return org
    return None


def _described_org(start: int, end: int, orgs: list[Mention], sentence: Sentence) -> Mention | None:
    """The organization a description belongs to: itself (an anaphor) or the name it stands in apposition to."""
    for org in orgs:
        if org.start <= start and end <= org.end + 1 or start <= org.start < end:
            return org
    before = [o for o in orgs if o.end <= start and start - o.end <= 4 and not _possessive(o, sentence)]
    if before:
        return before[-1]
    after = [o for o in orgs if o.start >= end and o.start - end <= 2]
    return after[0] if after else None


def _works_from_names(mentions: list[Mention], sentences: list[Sentence], rules: Rules, reference: Reference,
                      article_key: str) -> list[Relation]:
    """Institutes, labs and zones are named for their field: "Key Laboratory of Flexible Electronics"."""
    out: list[Relation] = []
    seen: set[str] = set()
    for m in mentions:
        if m.label != "organization" or m.kind in NOT_SITES or m.name in seen or m.rule != "org.org-span":
            continue
        has_field = re.search(r"\s(?:of|for)\s", m.name) is not None
        if not has_field and m.kind not in ("research_institute", "industrial_zone"):
            continue
        seen.add(m.name)
        sentence = next((s for s in sentences if s.start <= m.start < s.end), None)
        if sentence is None:
            continue
        name = m.name
        field = re.split(r"\s+(?:of|for)\s+", name, maxsplit=1)
        phrase = field[1] if len(field) > 1 else name
        for tech in technologies_in(phrase, m.start, rules, reference, allow_new=len(field) > 1):
            if tech.label.lower() in rules.tech_stoplist:
                continue
            obj = Mention(m.start, m.end, tech.label, "technology", tech.label, kind=tech.key, rule="works.name")
            ev = Evidence(article_key, sentence.text, sentence.start, sentence.end, "works.name", 0.5)
            out.append(Relation("worksOn", m, obj, ev))
    return out


def _dedupe(relations: list[Relation], reference: Reference) -> list[Relation]:
    """One relation per fact and sentence; what an article says most specifically about an organization wins.

    A broader concept ("advanced robotics") or a bare head ("batteries") gives way to a
    narrower technology of the same organization in the same article ("industrial robots",
    "solid-state batteries"), and a name-derived technology to any the text states.
    """
    best: dict[tuple, Relation] = {}
    for r in relations:
        key = (r.predicate, r.subject.name, r.object.name, r.date, r.evidence.start)
        if key not in best or r.evidence.confidence > best[key].evidence.confidence:
            best[key] = r
    kept = list(best.values())
    by_org: dict[str, list[Relation]] = {}
    for r in kept:
        if r.predicate == "worksOn":
            by_org.setdefault(r.subject.name, []).append(r)

    def redundant(r: Relation) -> bool:
        if r.predicate != "worksOn":
            return False
        others = [o for o in by_org[r.subject.name] if o.object.name != r.object.name]
        if r.evidence.rule == "works.name" and any(o.evidence.rule != "works.name" for o in others):
            return True
        label, surface = r.object.name.lower(), r.object.text.lower()
        for other in others:
            other_label, other_surface = other.object.name.lower(), other.object.text.lower()
            if other.object.kind and r.object.kind:
                if surface in other_surface and r.object.kind in reference.broader_closure(other.object.kind):
                    return True   # "memory chip" beside "NAND flash memory chips"
                if len(surface.split()) == 1 and r.object.kind in reference.technology(other.object.kind).broader:
                    return True   # "robots" beside "industrial robots"
                if (len(surface.split()) == 1 and r.evidence.start == other.evidence.start
                        and r.object.kind in reference.broader_closure(other.object.kind)):
                    return True   # "chip" beside "DRAM" in one sentence
            if len(label.split()) == 1 and other_label.split()[-1].rstrip("s") == label.rstrip("s"):
                return True
        return False

    return sorted((r for r in kept if not redundant(r)),
                  key=lambda r: (r.evidence.start, r.predicate, r.subject.name, r.object.name))
