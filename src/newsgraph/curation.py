"""Curation: a reviewer's decisions, kept in a YAML file and applied on every build.

Extraction is rule-based and will sometimes be wrong; a reviewer who fixes a
fact in the graph would lose the fix on the next build. A curation file
records the decisions instead, and ``build_graph`` applies it right after
resolution, so corrections survive rebuilds and stay reviewable in one place::

    merge:     # the second entity becomes the first; its names become aliases
      - {kind: organization, into: "Naura Technology Group", from: "North Huachuang Technology Group"}
    correct:   # change a field of an entity or of a fact
      - {entity: organization, name: "Baidu", set: {label: "Baidu, Inc."}}
      - {fact: visited, subject: "Li Qiang", object: "Baidu", set: {date: 2024-03-14}}
    reject:    # facts that must not appear (a visit's date is optional: without it, every date)
      - {fact: worksOn, subject: "Baidu", object: "autonomous driving"}
    accept:    # facts a reviewer confirmed: confidence 1.0, rule suffixed "+reviewed"
      - {fact: worksOn, subject: "Baidu", object: "large models"}

Entities are named by their key (``baidu``) or any label or alias, compared
with :func:`newsgraph.text.normalize_name`. The sections apply in the order
merge, correct, reject, accept, whatever their order in the file: a merged or
relabelled entity keeps its old names as aliases, so later rules may use them.

The file is validated when loaded and every problem is reported at once; a
rule that matches nothing in a build is not an error but a warning, so stale
entries show up without stopping the build.

>>> resolution, warnings = apply_curation(resolution, load_curation(Path("curation.yaml")))  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from newsgraph.errors import ConfigError
from newsgraph.yamlfile import line_of
from newsgraph.model import Evidence, PartialDate
from newsgraph.rdf import ORG_CLASSES
from newsgraph.resolve import Entity, Resolution, Visit, WorksOn
from newsgraph.text import normalize_name

__all__ = ["Curation", "Merge", "FactRule", "FactCorrection", "EntityCorrection", "load_curation", "apply_curation"]

KINDS = ("official", "organization", "technology")
FACTS = ("visited", "worksOn")
SECTIONS = ("merge", "correct", "reject", "accept")
REVIEWED = "+reviewed"
# What a fact's subject and object are.
_ROLES = {"visited": ("official", "organization"), "worksOn": ("organization", "technology")}
_FACT_SET = {"visited": ("subject", "object", "date"), "worksOn": ("subject", "object")}
_ENTITY_SET = {"official": ("label", "wikidata"), "organization": ("label", "type", "wikidata", "parent"),
               "technology": ("label",)}
_QID = re.compile(r"^Q[1-9][0-9]*$")
_DATE_FORMS = "YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD"


@dataclass(frozen=True)
class Merge:
    """Two entities that are one: ``from_`` disappears into ``into``, whose key and label win."""

    kind: str
    into: str
    from_: str
    where: str = ""


@dataclass(frozen=True)
class FactRule:
    """Picks facts: every ``fact`` from ``subject`` to ``object`` (on ``date``, when given, for a visit).

    ``where`` names the entry (``reject -> 0``) in warnings.
    """

    fact: str
    subject: str
    object: str
    date: PartialDate | None = None
    where: str = ""


@dataclass(frozen=True)
class FactCorrection:
    """New values for the facts ``match`` picks; ``None`` keeps a field as it is."""

    match: FactRule
    subject: str | None = None
    object: str | None = None
    date: PartialDate | None = None


@dataclass(frozen=True)
class EntityCorrection:
    """New values for one entity's fields; ``None`` keeps a field as it is.

    ``type`` is an organization type (``company``, ``research_institute`` ...);
    a new label keeps the old one as an alias, and the key (so the IRI) stays.
    """

    kind: str
    name: str
    label: str | None = None
    type: str | None = None
    wikidata: str | None = None
    parent: str | None = None
    where: str = ""


@dataclass(frozen=True)
class Curation:
    """A validated curation file; ``source`` names it in warnings."""

    source: str = "curation"
    merge: tuple[Merge, ...] = ()
    correct: tuple[FactCorrection | EntityCorrection, ...] = ()
    reject: tuple[FactRule, ...] = ()
    accept: tuple[FactRule, ...] = ()


# --------------------------------------------------------------------------- loading


class _Loader(yaml.SafeLoader):
    """A safe loader that keeps dates as text: PyYAML raises on ``2024-13-01``, which would hide the other problems."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Reader:
    """Turns the parsed YAML into typed rules, recording every problem with its key path."""

    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self.text = text
        self.problems: list[str] = []

    def problem(self, path: Sequence[Any], message: str) -> None:
        where = " -> ".join(str(p) for p in path)
        line = line_of(self.text, path)
        self.problems.append(f"{self.source}: {where}: {message}" + (f" (line {line})" if line else ""))

    def mapping(self, value: Any, path: tuple, known: Sequence[str], required: Sequence[str]) -> dict | None:
        if not isinstance(value, dict):
            self.problem(path, f"{_show(value)} is {_type_name(value)}, "
                               f"expected a mapping with keys {', '.join(known)}")
            return None
        for key in value:
            if key not in known:
                self.problem((*path, key), f"unknown key; known: {', '.join(known)}")
        for key in required:
            if key not in value:
                self.problem(path, f"missing {key!r}")
        return value

    def choice(self, value: Any, path: tuple, options: Sequence[str]) -> str | None:
        if value in options:
            return value
        self.problem(path, f"{_show(value)} is not one of {', '.join(options)}")
        return None

    def name(self, value: Any, path: tuple) -> str | None:
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, str):
            self.problem(path, "is empty; give a key, label or alias")
        else:
            self.problem(path, f"{_show(value)} is {_type_name(value)}, expected a name; quote it")
        return None

    def date(self, value: Any, path: tuple) -> PartialDate | None:
        parsed = _parse_date(value)
        if parsed is None:
            self.problem(path, f"{_show(value)} is not a date; write {_DATE_FORMS}")
        return parsed

    def fact_rule(self, item: Any, path: tuple, extra: Sequence[str] = ()) -> FactRule | None:
        entry = self.mapping(item, path, ("fact", "subject", "object", "date", *extra),
                             ("fact", "subject", "object"))
        if entry is None:
            return None
        fact = self.choice(entry.get("fact"), (*path, "fact"), FACTS) if "fact" in entry else None
        subject = self.name(entry.get("subject"), (*path, "subject")) if "subject" in entry else None
        obj = self.name(entry.get("object"), (*path, "object")) if "object" in entry else None
        date = None
        if "date" in entry:
            date = self.date(entry["date"], (*path, "date"))
            if fact == "worksOn":
                self.problem((*path, "date"), "only a visited fact has a date; remove it")
        if fact is None or subject is None or obj is None:
            return None
        return FactRule(fact, subject, obj, date, " -> ".join(map(str, path)))

    def merge(self, item: Any, path: tuple) -> Merge | None:
        entry = self.mapping(item, path, ("kind", "into", "from"), ("kind", "into", "from"))
        if entry is None:
            return None
        kind = self.choice(entry.get("kind"), (*path, "kind"), KINDS) if "kind" in entry else None
        into = self.name(entry.get("into"), (*path, "into")) if "into" in entry else None
        from_ = self.name(entry.get("from"), (*path, "from")) if "from" in entry else None
        if into and from_ and normalize_name(into) == normalize_name(from_):
            self.problem((*path, "from"), f"{from_!r} is the same name as 'into'")
            return None
        if kind is None or into is None or from_ is None:
            return None
        return Merge(kind, into, from_, " -> ".join(map(str, path)))

    def correction(self, item: Any, path: tuple) -> FactCorrection | EntityCorrection | None:
        if isinstance(item, dict) and "entity" in item:
            return self.entity_correction(item, path)
        if isinstance(item, dict) and "fact" not in item:
            self.problem(path, "give either 'fact' (with subject, object) or 'entity' (with name)")
            return None
        rule = self.fact_rule(item, path, extra=("set",))
        changes = self.changes(item, path, _FACT_SET[rule.fact] if rule else ("subject", "object", "date"))
        if rule is None or changes is None:
            return None
        date = self.date(changes["date"], (*path, "set", "date")) if "date" in changes else None
        subject = self.name(changes["subject"], (*path, "set", "subject")) if "subject" in changes else None
        obj = self.name(changes["object"], (*path, "set", "object")) if "object" in changes else None
        if (date, subject, obj) == (None, None, None):
            return None
        return FactCorrection(rule, subject, obj, date)

    def entity_correction(self, item: dict, path: tuple) -> EntityCorrection | None:
        self.mapping(item, path, ("entity", "name", "set"), ("entity", "name"))
        kind = self.choice(item.get("entity"), (*path, "entity"), KINDS)
        name = self.name(item.get("name"), (*path, "name")) if "name" in item else None
        changes = self.changes(item, path, _ENTITY_SET[kind] if kind else ("label", "type", "wikidata", "parent"))
        if kind is None or name is None or changes is None:
            return None
        fields: dict[str, str | None] = {}
        for key, value in changes.items():
            fields[key] = self.name(value, (*path, "set", key))
        if fields.get("type") is not None and fields["type"] not in ORG_CLASSES:
            self.problem((*path, "set", "type"), f"{fields['type']!r} is not one of {', '.join(ORG_CLASSES)}")
            return None
        if fields.get("wikidata") is not None and not _QID.match(fields["wikidata"] or ""):
            self.problem((*path, "set", "wikidata"), f"{fields['wikidata']!r} is not a Wikidata QID such as Q14772")
            return None
        if None in fields.values():
            return None
        return EntityCorrection(kind, name, where=" -> ".join(map(str, path)), **fields)

    def changes(self, item: Any, path: tuple, allowed: Sequence[str]) -> dict | None:
        if not isinstance(item, dict):
            return None
        if "set" not in item:
            self.problem(path, f"missing 'set'; give any of {', '.join(allowed)}")
            return None
        changes = self.mapping(item["set"], (*path, "set"), allowed, ())
        if changes is None:
            return None
        if not changes:
            self.problem((*path, "set"), f"is empty; give any of {', '.join(allowed)}")
            return None
        return changes if all(key in allowed for key in changes) else None


def load_curation(path: str | Path) -> Curation:
    """Read and validate a curation file; raises :class:`ConfigError` listing every problem.

    >>> curation = load_curation(Path("examples/curation.yaml"))   # doctest: +SKIP
    >>> curation.accept[0].fact                                    # doctest: +SKIP
    'visited'
    """
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{source}: is not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        return Curation(source)
    reader = _Reader(source, text)
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: is {_type_name(data)}; expected a mapping with any of the keys "
                          f"{', '.join(SECTIONS)}")
    sections: dict[str, list] = {name: [] for name in SECTIONS}
    for name, items in data.items():
        if name not in SECTIONS:
            reader.problem((name,), f"unknown section; known: {', '.join(SECTIONS)}")
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            reader.problem((name,), f"is {_type_name(items)}, expected a list of entries")
            continue
        read = {"merge": reader.merge, "correct": reader.correction,
                "reject": reader.fact_rule, "accept": reader.fact_rule}[name]
        sections[name] = [rule for i, item in enumerate(items) if (rule := read(item, (name, i))) is not None]
    if reader.problems:
        count = len(reader.problems)
        head = f"{count} problem{'s' if count > 1 else ''} in the curation file:"
        raise ConfigError("\n".join([head, *("  " + line for line in reader.problems)]))
    return Curation(source, **{name: tuple(rules) for name, rules in sections.items()})


def _parse_date(value: Any) -> PartialDate | None:
    """A ``PartialDate`` from ``2024-03-13``, ``2024-03``, ``2024`` or ``--03-13``, else ``None``."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
        return PartialDate(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return PartialDate.from_date(dt.date.fromisoformat(text))
        if re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = map(int, text.split("-"))
            dt.date(year, month, 1)
            return PartialDate(year, month)
        if re.fullmatch(r"--\d{2}-\d{2}", text):
            month, day = map(int, text[2:].split("-"))
            dt.date(2000, month, day)  # a leap year: --02-29 is a valid partial date
            return PartialDate(None, month, day)
    except ValueError:
        return None
    return None


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", int: "a number",
            float: "a number", type(None): "empty"}.get(type(value), type(value).__name__)


# --------------------------------------------------------------------------- applying


class _Names:
    """Finds entities by key, label or alias, the way a reviewer writes them."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.keys: dict[tuple[str, str], str] = {}
        self.labels: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
        for entity in entities:
            self.keys[(entity.kind, entity.key)] = entity.key
            self.labels[(entity.kind, normalize_name(entity.label))].add(entity.key)
            for alias in entity.aliases:
                self.aliases[(entity.kind, normalize_name(alias))].add(entity.key)

    def find(self, kind: str, name: str) -> tuple[str | None, str | None]:
        """The entity key ``name`` stands for, or ``None`` and why not."""
        if (kind, name) in self.keys:
            return name, None
        norm = normalize_name(name)
        for index in (self.labels, self.aliases):
            found = index.get((kind, norm), set())
            if len(found) == 1:
                return next(iter(found)), None
            if found:
                return None, f"{name!r} names several {kind}s ({', '.join(sorted(found))}); use the key"
        return None, f"no {kind} named {name!r}"


class _State:
    """The records being curated: entities by (kind, key), facts as lists, and the warnings so far."""

    def __init__(self, resolution: Resolution, source: str) -> None:
        self.entities: dict[tuple[str, str], Entity] = {(e.kind, e.key): e for e in resolution.entities}
        self.visits: list[Visit] = list(resolution.visits)
        self.works: list[WorksOn] = list(resolution.works)
        self.source = source
        self.warnings: list[str] = []

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{self.source}: {where}: {message}")

    def find(self, kind: str, name: str, where: str) -> str | None:
        key, problem = _Names(self.entities.values()).find(kind, name)
        if problem:
            self.warn(where, f"{problem}; rule skipped")
        return key

    def matching(self, rule: FactRule) -> tuple[list[int], str | None]:
        """Indices of the facts ``rule`` picks in ``visits`` or ``works``; ``None`` if a name is unknown."""
        subject_kind, object_kind = _ROLES[rule.fact]
        subject = self.find(subject_kind, rule.subject, rule.where)
        obj = self.find(object_kind, rule.object, rule.where)
        if subject is None or obj is None:
            return [], None
        if rule.fact == "visited":
            found = [i for i, v in enumerate(self.visits) if (v.official, v.organization) == (subject, obj)
                     and (rule.date is None or v.date == rule.date)]
        else:
            found = [i for i, w in enumerate(self.works) if (w.organization, w.technology) == (subject, obj)]
        if not found:
            on = f" on {rule.date}" if rule.date else ""
            self.warn(rule.where, f"no {rule.fact} fact {rule.subject} -> {rule.object}{on}; rule matched nothing")
        return found, rule.fact

    def facts(self, fact: str) -> list:
        return self.visits if fact == "visited" else self.works


def apply_curation(resolution: Resolution, curation: Curation) -> tuple[Resolution, list[str]]:
    """A new resolution with the curation applied, and a warning for every rule that matched nothing.

    ``resolution`` is left as it was. Merges and corrections re-key the facts
    they touch, and visits that become the same (official, organization,
    date) are merged into one. Entities that only rejected or re-pointed facts
    mentioned are dropped, unless another entity names them as its parent or
    broader concept.

    >>> curated, warnings = apply_curation(resolution, load_curation(Path("curation.yaml")))  # doctest: +SKIP
    >>> warnings                                                                              # doctest: +SKIP
    ["curation.yaml: reject -> 0: no worksOn fact Baidu -> autonomous driving; rule matched nothing"]
    """
    state = _State(resolution, curation.source)
    for merge in curation.merge:
        _merge(state, merge)
    for correction in curation.correct:
        if isinstance(correction, EntityCorrection):
            _correct_entity(state, correction)
        else:
            _correct_fact(state, correction)
    for rule in curation.reject:
        found, fact = state.matching(rule)
        if fact:
            facts, dropped = state.facts(fact), set(found)
            facts[:] = [f for i, f in enumerate(facts) if i not in dropped]
    for rule in curation.accept:
        found, fact = state.matching(rule)
        if fact:
            facts = state.facts(fact)
            for i in found:
                facts[i] = replace(facts[i], evidence=tuple(_reviewed(e) for e in facts[i].evidence))
    entities = _prune(state, resolution)
    curated = replace(resolution, entities=entities, visits=_merge_visits(state.visits, resolution.visits),
                      works=_merge_works(state.works))
    return curated, state.warnings


def _merge(state: _State, merge: Merge) -> None:
    into = state.find(merge.kind, merge.into, merge.where)
    gone = state.find(merge.kind, merge.from_, merge.where)
    if into is None or gone is None:
        return
    if into == gone:
        state.warn(merge.where, f"{merge.into!r} and {merge.from_!r} are already one {merge.kind} ({into})")
        return
    kept, merged = state.entities[(merge.kind, into)], state.entities.pop((merge.kind, gone))
    names = {*kept.aliases, merged.label, *merged.aliases} - {kept.label}
    state.entities[(merge.kind, into)] = replace(
        kept,
        aliases=tuple(sorted(names)),
        titles=tuple(sorted({*kept.titles, *merged.titles})),
        articles=tuple(sorted({*kept.articles, *merged.articles})),
        org_type=kept.org_type or merged.org_type,
        wikidata=kept.wikidata or merged.wikidata,
        parent=kept.parent or (merged.parent if merged.parent != into else None),
        broader=tuple(dict.fromkeys(b for b in (*kept.broader, *merged.broader) if b != into)),
    )
    _rename(state, merge.kind, gone, into)


def _rename(state: _State, kind: str, old: str, new: str) -> None:
    """Point every fact and every parent or broader link at ``new`` instead of ``old``."""
    def swap(key: str | None) -> str | None:
        return new if key == old else key

    if kind == "official":
        state.visits = [replace(v, official=new) if v.official == old else v for v in state.visits]
    elif kind == "organization":
        state.visits = [replace(v, organization=new) if v.organization == old else v for v in state.visits]
        state.works = [replace(w, organization=new) if w.organization == old else w for w in state.works]
        for ref, entity in list(state.entities.items()):
            if entity.kind == "organization" and entity.parent == old:
                state.entities[ref] = replace(entity, parent=swap(entity.parent) if entity.key != new else None)
    else:
        state.works = [replace(w, technology=new) if w.technology == old else w for w in state.works]
        for ref, entity in list(state.entities.items()):
            if entity.kind == "technology" and old in entity.broader:
                broader = dict.fromkeys(b for b in map(swap, entity.broader) if b != entity.key)
                state.entities[ref] = replace(entity, broader=tuple(k for k in broader if k))


def _correct_entity(state: _State, correction: EntityCorrection) -> None:
    key = state.find(correction.kind, correction.name, correction.where)
    if key is None:
        return
    entity = state.entities[(correction.kind, key)]
    changes: dict[str, Any] = {}
    if correction.label is not None and correction.label != entity.label:
        aliases = ({*entity.aliases, entity.label}) - {correction.label}
        changes.update(label=correction.label, aliases=tuple(sorted(aliases)))
    if correction.type is not None:
        changes["org_type"] = correction.type
    if correction.wikidata is not None:
        changes["wikidata"] = correction.wikidata
    if correction.parent is not None:
        parent = state.find("organization", correction.parent, correction.where)
        if parent is None:
            return
        if parent == key:
            state.warn(correction.where, f"{correction.parent!r} is {correction.name!r} itself; rule skipped")
            return
        changes["parent"] = parent
    state.entities[(correction.kind, key)] = replace(entity, **changes)


def _correct_fact(state: _State, correction: FactCorrection) -> None:
    rule = correction.match
    found, fact = state.matching(rule)
    if not fact or not found:
        return
    subject_kind, object_kind = _ROLES[fact]
    subject = state.find(subject_kind, correction.subject, rule.where) if correction.subject else None
    obj = state.find(object_kind, correction.object, rule.where) if correction.object else None
    if (correction.subject and subject is None) or (correction.object and obj is None):
        return
    facts = state.facts(fact)
    for i in found:
        if fact == "visited":
            visit = facts[i]
            facts[i] = replace(visit, official=subject or visit.official, organization=obj or visit.organization,
                               date=visit.date if correction.date is None else correction.date)
        else:
            works = facts[i]
            facts[i] = replace(works, organization=subject or works.organization, technology=obj or works.technology)


def _reviewed(evidence: Evidence) -> Evidence:
    rule = evidence.rule if evidence.rule.endswith(REVIEWED) else evidence.rule + REVIEWED
    return replace(evidence, confidence=1.0, rule=rule)


def _evidence_order(e: Evidence) -> tuple:
    return (e.article, e.start, e.rule)


def _visit_key(official: str, organization: str, date: PartialDate | None) -> str:
    """The key ``resolve`` gives a visit: its IRI follows its official, organization and date."""
    stamp = date.isoformat().lstrip("-") if date else "undated"
    return f"{official}--{organization}--{stamp}"


def _merge_evidence(groups: Iterable[tuple[Evidence, ...]]) -> tuple[Evidence, ...]:
    return tuple(sorted({e for group in groups for e in group}, key=_evidence_order))


def _merge_visits(visits: list[Visit], original: Iterable[Visit]) -> tuple[Visit, ...]:
    """One visit per (official, organization, date); a visit keeps its key (its IRI) unless those changed."""
    was = {v.key: (v.official, v.organization, v.date) for v in original}
    groups: dict[tuple, list[Visit]] = defaultdict(list)
    for visit in visits:
        groups[(visit.official, visit.organization, visit.date)].append(visit)
    merged = []
    for (official, organization, date), group in groups.items():
        kept = sorted(v.key for v in group if was.get(v.key) == (official, organization, date))
        key = kept[0] if kept else _visit_key(official, organization, date)
        if len(group) == 1:
            merged.append(replace(group[0], key=key))
            continue
        details = tuple(sorted({d for v in group for d in v.site_details}))
        merged.append(Visit(key, official, organization, date, _merge_evidence(v.evidence for v in group), details))
    return tuple(sorted(merged, key=lambda v: v.key))


def _merge_works(works: list[WorksOn]) -> tuple[WorksOn, ...]:
    groups: dict[tuple[str, str], list[WorksOn]] = defaultdict(list)
    for fact in works:
        groups[(fact.organization, fact.technology)].append(fact)
    return tuple(group[0] if len(group) == 1 else WorksOn(org, tech, _merge_evidence(w.evidence for w in group))
                 for (org, tech), group in sorted(groups.items()))


def _prune(state: _State, before: Resolution) -> tuple[Entity, ...]:
    """Drop entities the curation left without facts; parents and broader concepts of kept ones stay."""
    def used(visits: Iterable[Visit], works: Iterable[WorksOn]) -> set[tuple[str, str]]:
        refs = set()
        for v in visits:
            refs |= {("official", v.official), ("organization", v.organization)}
        for w in works:
            refs |= {("organization", w.organization), ("technology", w.technology)}
        return refs

    orphaned = used(before.visits, before.works) - used(state.visits, state.works)
    kept = {ref for ref in state.entities if ref not in orphaned}
    while True:  # a kept entity's parent or broader concept stays, and so on up the chain
        linked = {("organization", e.parent) for ref in kept if (e := state.entities[ref]).parent}
        linked |= {("technology", b) for ref in kept for b in state.entities[ref].broader}
        grown = kept | (linked & state.entities.keys())
        if grown == kept:
            break
        kept = grown
    return tuple(sorted((state.entities[ref] for ref in kept), key=lambda e: (e.kind, e.key)))
