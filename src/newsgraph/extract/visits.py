"""Visits: who was at which organization, read from trigger phrases, and on which day.

The shapes news uses: an official subject before an active trigger ("Xi then
visited FiberHome"), a site fronted before the official ("At NAURA, Li
listened ..."), the host's side ("Hexin Robotics hosted Mayor Liang"), and
companions ("accompanied by Vice Premier Liu He"). A trigger in a planned,
future or denied clause is rejected, with the reason kept for ``newsgraph explain``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from newsgraph.extract.dates import Anchor, DateExpression, resolve
from newsgraph.extract.triggers import NOT_SITES, possessive
from newsgraph.model import Evidence, Mention, PartialDate, Rejection, Relation, Sentence

__all__ = ["VisitCandidate", "active_visits", "host_visits", "fronted_visits", "during_visits", "find_companions",
           "visit_relation", "date_near", "latest_day_date", "first_day_date"]

_SITE_PHRASE = re.compile(r"^\s*(?:the|a|an|its|his|her)\s+|\s+(?:of|at|in|(?:operated|owned|run|built)\s+by)\s+(?:the\s+)?(?:[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*)*(?:'s|’s)\s+)?$")

@dataclass
class VisitCandidate:
    official: Mention
    org: Mention
    date: PartialDate | None
    rule: str
    confidence: float
    sentence: Sentence


def active_visits(sentence: Sentence, ms: list[Mention], pats, words: frozenset[str], last_official: Mention | None,
                  rejections: list[Rejection]):
    """"Xi then visited FiberHome", "Modi and Moon inaugurated ...": an official subject, a trigger, the sites."""
    s = sentence.text
    for trig in pats["active"].finditer(s, words):
        t_start, t_end = sentence.start + trig.start(), sentence.start + trig.end()
        said = s[trig.start():trig.end()]
        objects = _objects_after(t_end, ms, sentence, pats)
        if not objects:
            continue
        subjects = _subjects_before(t_start, ms, sentence)
        rule = "visit." + _SPACES.sub("-", said.lower())
        if subjects is None:
            rejections.append(Rejection(f"{said} {objects[0].name}", "the subject is not an official",
                                        rule, t_start, t_end))
            continue
        confidence = 0.9
        if not subjects:
            # "Subsequently, came to X" (a translation that drops the subject) goes on with the last
            # official; "Officials from the ministry toured X" has a subject of its own.
            if last_official is None or not _NO_SUBJECT.fullmatch(s[:trig.start()]):
                continue
            subjects, confidence = [last_official], 0.6
        negation = _negated(s[:trig.start()], subjects, sentence, pats)
        if negation:
            rejections.append(Rejection(f"{subjects[0].name} {said} {objects[0].name}",
                                        f"planned, future or denied ('{negation}')", rule, t_start, t_end))
            continue
        remote = pats["remote"].search(s, trig.end())
        if remote:
            rejections.append(Rejection(f"{subjects[0].name} {said} {objects[0].name}",
                                        f"from afar, not in person ('{remote.group()}')", rule, t_start, t_end))
            continue
        for org in objects:
            if org.kind in NOT_SITES:
                rejections.append(Rejection(f"{subjects[0].name} {said} {org.name}",
                                            "a government body is a meeting place, not a visit site", rule,
                                            org.start, org.end))
                continue
            for official in subjects:
                yield official, org, t_start, rule, confidence


def host_visits(sentence: Sentence, ms: list[Mention], pats, words: frozenset[str]):
    """"Hexin Robotics hosted Mayor Liang", "Qingyun was visited on Thursday by ...": the host's side."""
    s = sentence.text
    for trig in pats["passive"].finditer(s, words):
        t_start = sentence.start + trig.start()
        said = s[trig.start():trig.end()]
        orgs = [m for m in ms if m.label == "organization" and m.end <= t_start and m.kind not in NOT_SITES]
        officials = [m for m in ms if m.label == "official" and m.start >= t_start + len(said)]
        if not orgs or not officials:
            continue
        gap = sentence.text[trig.end():officials[0].start - sentence.start]
        if len(gap) > 60 or "," in gap:
            continue
        if _BE.match(said) and not _BY.search(gap):
            continue
        rule = "visit.host-" + _SPACES.sub("-", said.lower())
        for official in _coordinated(officials, sentence, ms):
            yield official, orgs[0], t_start, rule, 0.85


def fronted_visits(sentence: Sentence, ms: list[Mention], pats):
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
    if org.kind in NOT_SITES or not (_BARE_GAP.fullmatch(lead) or pats["site_gap"].match(lead)):
        return
    comma = _TO_COMMA.match(rest)
    if not comma:
        return
    head_end = org.end + comma.end()
    after = [x for x in ms if x.start >= head_end and x.label in ("official", "executive")]
    if not after or after[0].label != "official":
        return
    if _SAID.search(sentence.text[head_end - sentence.start:after[0].start - sentence.start]):
        return
    yield after[0], org, sentence.start, "visit.fronted-" + m.group().strip().lower(), 0.8


def during_visits(sentence: Sentence, ms: list[Mention], pats, words: frozenset[str], last_official: Mention | None):
    """"during his inspection at X", "His stops included X and Y", "Li's visit to X"."""
    for trig in pats["during"].finditer(sentence.text, words):
        t_end = sentence.start + trig.end()
        objects = _objects_after(t_end, ms, sentence, pats)
        if not objects:
            continue
        before = [m for m in ms if m.label == "official" and m.end <= sentence.start + trig.start()]
        official = before[-1] if before else last_official
        if official is None or _NOT_DONE.search(sentence.text[max(0, trig.start() - 40):trig.start()]):
            continue   # "a planned visit to", "will make a trip to"
        for org in objects:
            if org.kind not in NOT_SITES:
                yield official, org, sentence.start + trig.start(), "visit.during", 0.8


_SPACES = re.compile(r"\s+")
_BE = re.compile(r"(?i)(?:was|were|is|are|been)\b")
_BY = re.compile(r"\bby\b")
_BARE_GAP = re.compile(r"\s*(?:(?:the|a|an)\s+)?(?:[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)?-based\s+)?")   # "(the|a) (Changsha-based) X"
_TO_COMMA = re.compile(r"(?:'s|’s)?[^,]{0,60}?,")
_SAID = re.compile(r"\b(?:said|says|told|added)\b")
_CLAUSE_BREAK = re.compile(r"[.;]|\b(?:said|says|told|that|which|who|whose|but|because|when|after|before)\b")
# "Modi and South Korean President Moon", "Zhou and Xu"
_OFFICIALS_GAP = re.compile(r"(?:\s*,\s*|\s+)(?:and\s+)?(?:[A-Z][\w.'’\-]*\s+|(?:national|security|adviser|state|premier|chief|"
                            r"vice|deputy|minister|governor|senator|mayor|secretary)\s+)*")
_AND = re.compile(r"\s+and\s+")
# "A, B and C", "A, a maker of X, and B"
_ORGS_GAP = re.compile(r"(?:\s*,\s*|\s+)(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?|"
                       r",\s+(?:a|an|the|one)\s[^,;]{0,90},\s+and\s+(?:the\s+)?")
_NO_SUBJECT = re.compile(r"(?i)\s*(?:(?:then|also|later|afterwards|subsequently|after that|next|finally|"
                         r"first|and|in the afternoon|in the morning|on the same day)\b[\s,]*)*")
_NOT_DONE = re.compile(r"\b(?:planned|upcoming|proposed|expected|possible|cancelled|canceled|postponed|will|would|"
                       r"next|future)\b[^.;]*$", re.I)


def _subjects_before(position: int, ms: list[Mention], sentence: Sentence) -> list[Mention] | None:
    """Officials who are the subject of a trigger: the nearest person and those coordinated with it.

    None when the nearest person is not an official (an executive's visit is no visit).
    """
    people = [m for m in ms if m.label in ("official", "executive") and m.end <= position]
    if not people:
        return []
    nearest = people[-1]
    between = sentence.text[nearest.end - sentence.start:position - sentence.start]
    if len(between) > 40 and _CLAUSE_BREAK.search(between):
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
        if _OFFICIALS_GAP.fullmatch(gap) or _AND.fullmatch(gap):
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
    bare = _BARE_GAP.fullmatch(gap) is not None
    site = None if bare else pats["site_gap"].match(gap)
    if site is None and not bare:
        return []
    if site is not None:   # "the Yizhuang office area of Baidu": Baidu, with the site kept as detail
        detail = _SITE_PHRASE.sub("", gap).strip()
        first = replace(first, detail=detail or None)
    chosen = [first]
    for m in orgs[1:]:
        owned = pats["owned_site"].match(sentence.text, m.end - sentence.start)
        if possessive(m, sentence) and not owned:
            continue   # "Hexin's neighbour": not one of the sites
        gap = sentence.text[chosen[-1].end - sentence.start:m.start - sentence.start]
        after_site = pats["owned_site"].match(gap)   # "Huawei's research campus in Dongguan and BYD's ..."
        if after_site:
            gap = gap[after_site.end():]
        if _ORGS_GAP.fullmatch(gap):
            chosen.append(m)
        else:
            break
    return chosen


def _negated(clause: str, subjects: list[Mention], sentence: Sentence, pats) -> str | None:
    start = subjects[0].end - sentence.start if subjects else 0
    window = clause[max(start, len(clause) - 60):]
    m = pats["negators"].search(window)
    return m.group() if m else None


def find_companions(sentence: Sentence, ms: list[Mention], pats, words: frozenset[str]) -> tuple[list[Mention], str | None]:
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
        if before and after and after[0].rule != "person.pronoun":
            found += before
            visitor = after[0].name
        elif before and (after or trig.group().lower().startswith(("also", "were", "was"))):
            found += before   # "... joined her", "... also attended": the visit just told
    return list({m.name: m for m in found}.values()), visitor


def visit_relation(v: VisitCandidate, article_key: str) -> Relation:
    """A visit candidate as the Relation the next stages take, with its sentence as evidence."""
    evidence = Evidence(article_key, v.sentence.text, v.sentence.start, v.sentence.end, v.rule, v.confidence)
    return Relation("visited", v.official, v.org, evidence, v.date)


def date_near(position: int, ds: list[DateExpression], anchor: Anchor) -> tuple[PartialDate | None, bool]:
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


def latest_day_date(ds: list[DateExpression], anchor: Anchor) -> PartialDate | None:
    """The last day a sentence names that the anchor can place: it carries over to the next sentences."""
    for expr in reversed(ds):
        if expr.day_level:
            date = resolve(expr, anchor)
            if date is not None and date.day is not None:
                return date
    return None


def first_day_date(dates: list[DateExpression], anchor: Anchor) -> PartialDate | None:
    """The first placeable day among ``dates``: the lead's day, the fallback for a visit told without one."""
    for expr in dates:
        if expr.day_level and not expr.historical:
            date = resolve(expr, anchor)
            if date is not None and date.day is not None:
                return date
    return None
