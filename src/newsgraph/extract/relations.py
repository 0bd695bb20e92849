"""Relations: who visited which organization and when, and what organizations work on.

One pass over the sentences of an article reads visits (:mod:`visits`) and
worksOn facts (:mod:`works`) together, because each helps the other: a visit
sets the site that "learned about the production of X" refers to, and the
discourse carries dates and officials from one sentence to the next.
"""

from __future__ import annotations

import bisect
import re

from newsgraph.extract.dates import Anchor, DateExpression, resolve
from newsgraph.extract.rules import Rules
from newsgraph.extract.triggers import sentence_words, trigger_patterns
from newsgraph.extract.visits import (
    VisitCandidate, active_visits, date_near, find_companions, during_visits, first_day_date, fronted_visits, host_visits,
    latest_day_date, visit_relation)
from newsgraph.extract.works import works_from_names, works_on
from newsgraph.model import Mention, PartialDate, Rejection, Relation, Sentence
from newsgraph.reference import Reference

__all__ = ["find_relations"]

_TOUR_WIDE = re.compile(r"(?:also\s+)?(?:accompanying|present)\b", re.I)


def find_relations(text: str, sentences: list[Sentence], mentions: list[Mention], dates: list[DateExpression],
                   anchor: Anchor, rules: Rules, reference: Reference, article_key: str
                   ) -> tuple[list[Relation], list[Rejection]]:
    """Visits and worksOn facts of one article, with the candidates rules rejected."""
    pats = trigger_patterns(rules)
    visits: list[VisitCandidate] = []
    works: list[Relation] = []
    rejections: list[Rejection] = []
    discourse_date: PartialDate | None = None
    # The lead's date (a dateline's day included) is the fallback, unless the lead names a day
    # that cannot be placed ("from Wednesday to Thursday" with no year).
    lead_end = sentences[1].end if anchor.source == "dateline" and len(sentences) > 1 else (
        sentences[0].end if sentences else 0)
    lead = [d for d in dates if d.start < lead_end and not d.historical]
    unplaced = any(d.day_level and d.kind != "vague" and resolve(d, anchor) is None for d in lead)
    first_date = None if unplaced else first_day_date(lead, anchor)
    last_group: list[VisitCandidate] = []
    tour_companions: list[tuple[Mention, str, Sentence]] = []
    last_group_sentence = -10
    last_official: Mention | None = None
    by_sentence = _group(mentions, sentences)
    dates_by_sentence = _group(dates, sentences)
    for index, sentence in enumerate(sentences):
        ms = by_sentence[index]
        ds = [d for d in dates_by_sentence[index] if not d.historical and d.start != anchor.dateline_at]
        sentence_date = latest_day_date(ds, anchor)
        group: list[VisitCandidate] = []
        words = sentence_words(sentence.text)
        for found in (active_visits(sentence, ms, pats, words, last_official, rejections),
                      host_visits(sentence, ms, pats, words), fronted_visits(sentence, ms, pats),
                      during_visits(sentence, ms, pats, words, last_official)):
            for official, org, position, rule, confidence in found:
                date, settled = date_near(position, ds, anchor)
                if not settled:
                    date = discourse_date or sentence_date or first_date
                group.append(VisitCandidate(official, org, date, rule, confidence, sentence))
        companions, visitor = find_companions(sentence, ms, pats, words)
        if companions and visitor is None and not group and last_group and _TOUR_WIDE.match(sentence.text):
            visitor = last_group[0].official.name   # "Accompanying were ...", closing a report of a tour
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
                        group.append(VisitCandidate(official, visit.org, visit.date, "visit.companion", 0.8, sentence))
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
        works += works_on(sentence, ms, pats, words, rules, reference, article_key, visits)
    for official, visitor, sentence in tour_companions:
        for visit in {v.org.name: v for v in visits if v.official.name == visitor}.values():
            if official.name != visitor:
                visits.append(VisitCandidate(official, visit.org, visit.date, "visit.companion", 0.7, sentence))
    works += works_from_names(mentions, sentences, rules, reference, article_key)
    relations = [visit_relation(v, article_key) for v in visits] + works
    return _dedupe(relations, reference), rejections


def _group(items, sentences: list[Sentence]) -> list[list]:
    groups: list[list] = [[] for _ in sentences]
    starts = [s.start for s in sentences]
    for item in items:
        i = bisect.bisect_right(starts, item.start) - 1
        if 0 <= i < len(sentences) and item.start < sentences[i].end:
            groups[i].append(item)
    return groups


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
