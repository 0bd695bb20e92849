"""Resolution: one entity per real-world thing, one Visit per real visit.

Articles name the same firm in many ways ("North Huachuang Technology Group
Co., Ltd." in a translation, "NAURA" on the wire) and report the same tour
several times. Resolution maps every article-level name to an entity key,
by the reference data's aliases first, then by normalised name, then by a
fuzzy match within the same type; and it merges the same official at the same
organization on the same day (±1 day) into one visit, whichever articles
report it.
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from newsgraph.fuzzy import FUZZY_THRESHOLD, FuzzyIndex
from newsgraph.model import Article, Evidence, Extraction, Mention, PartialDate
from newsgraph.reference import Reference
from newsgraph.text import normalize_name, slugify

__all__ = ["FUZZY_THRESHOLD", "Entity", "Resolution", "Resolver", "Visit", "WorksOn", "resolve"]



@dataclass(frozen=True)
class Entity:
    """An official, organization or technology, as the graph will show it."""

    kind: str
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    org_type: str | None = None
    titles: tuple[str, ...] = ()
    wikidata: str | None = None
    parent: str | None = None
    broader: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Visit:
    """One official at one organization on one day, with every report of it.

    ``evidence`` is a tuple, or for a visit a saved state holds, a sequence
    read when first used; ``articles`` (the reporting articles' keys, sorted)
    is worked out from it when not given.
    """

    key: str
    official: str
    organization: str
    date: PartialDate | None
    evidence: Sequence[Evidence]
    site_details: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _fill_articles(self)


@dataclass(frozen=True)
class WorksOn:
    """An organization works on a technology, with every sentence that says so (see Visit)."""

    organization: str
    technology: str
    evidence: Sequence[Evidence]
    articles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _fill_articles(self)


def _fill_articles(fact: Visit | WorksOn) -> None:
    """A fact's reporting articles, from its evidence when they were not given."""
    if not fact.articles:
        object.__setattr__(fact, "articles", tuple(sorted({e.article for e in fact.evidence})))


@dataclass(frozen=True)
class Resolution:
    """The whole graph as plain records, ready for the RDF mapping."""

    articles: tuple[Article, ...]
    entities: tuple[Entity, ...]
    visits: tuple[Visit, ...]
    works: tuple[WorksOn, ...]


@dataclass
class _Builder:
    kind: str
    key: str
    label: str
    aliases: set[str] = field(default_factory=set)
    org_type: str | None = None
    titles: set[str] = field(default_factory=set)
    wikidata: str | None = None
    parent: str | None = None
    broader: tuple[str, ...] = ()
    articles: set[str] = field(default_factory=set)

    def freeze(self) -> Entity:
        aliases = tuple(sorted(a for a in self.aliases if a and a != self.label))
        return Entity(self.kind, self.key, self.label, aliases, self.org_type, tuple(sorted(self.titles)),
                      self.wikidata, self.parent, self.broader, tuple(sorted(self.articles)))


class _Resolver:
    """Maps article-level names to entity keys, keeping what it learns across articles."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference
        self.entities: dict[tuple[str, str], _Builder] = {}
        # entities a saved state holds that no article since touched, as Entity fields (see Resolver.state)
        self.saved: dict[tuple[str, str], list] = {}
        self.by_norm: dict[tuple[str, str], str] = {}
        self.norms: dict[str, FuzzyIndex] = defaultdict(FuzzyIndex)   # kind -> normalised names and keys
        self._holding: dict[tuple[str, dt.date | None], tuple] = {}
        self._lookups: dict[tuple[str, str], object] = {}

    def _lookup(self, kind: str, name: str):
        """The reference record named ``name``, remembered: the same names recur in every article."""
        found = self._lookups.get((kind, name), self)
        if found is self:
            by_alias = self.reference.official_by_alias if kind == "official" else self.reference.organization_by_alias
            found = self._lookups[(kind, name)] = by_alias(name)
        return found

    def official(self, mention: Mention, aliases: Iterable[str], on: dt.date | None, article: str) -> str:
        names = [mention.name, *aliases]
        record = next((r for r in (self._lookup("official", n) for n in names) if r is not None), None)
        if record is None and mention.detail and " " not in mention.name and on is not None:
            record = self._by_title(mention, on)   # only "Premier Li", never a full name of someone else
        if record is not None:
            builder = self._get("official", record.key, record.name)
            builder.wikidata = record.wikidata
        else:
            builder = self._unknown("official", mention.name)
        builder.aliases.update(a for a in names if " " in a)
        if mention.detail:
            builder.titles.add(mention.detail)
        builder.articles.add(article)
        return builder.key

    def _by_title(self, mention: Mention, on: dt.date | None):
        """"Premier Li" in 2019 is Li Keqiang, in 2024 Li Qiang: a surname and a title resolve by tenure."""
        surname = mention.name.split()[0]
        words = (mention.detail or "").split(" of ")[0].split()
        # "Chinese Vice Premier" -> try "Chinese Vice Premier", "Vice Premier", "Premier"
        for n in range(len(words), 0, -1):
            title = " ".join(words[-n:])
            if (title, on) not in self._holding:
                self._holding[(title, on)] = self.reference.officials_holding(title, on)
            for record in self._holding[(title, on)]:
                if surname in record.name.split():
                    return record
        return None

    def organization(self, mention: Mention, aliases: Iterable[str], article: str) -> str:
        names = [mention.name, *aliases]
        record = next((r for r in (self._lookup("organization", n) for n in names) if r is not None), None)
        if record is None and mention.key is not None:   # a longer name around a known alias
            record = self.reference.organization(mention.key)
        if record is not None:
            builder = self._get("organization", record.key, record.name)
            builder.org_type = record.type
            builder.wikidata = record.wikidata
            builder.parent = record.parent
        else:
            builder = self._unknown("organization", mention.name, mention.kind)
            builder.org_type = builder.org_type or mention.kind or "company"
        for name in names:
            if name and name[:1].isupper():
                builder.aliases.add(name)
                # an alias or acronym ("XMC") seen here finds the same firm in the next article
                self.by_norm.setdefault(("organization", _match_form(name)), builder.key)
        builder.articles.add(article)
        return builder.key

    def technology(self, mention: Mention, article: str) -> str:
        key = mention.kind
        if key:
            record = self.reference.technology(key)
            builder = self._get("technology", key, record.label)
            builder.broader = record.broader
        else:
            builder = self._unknown("technology", mention.name.lower())
        surface = normalize_name(mention.text)
        if surface and surface not in normalize_name(builder.label):
            builder.aliases.add(mention.text)   # "optical fiber" says less than "optical fiber and cable"
        builder.articles.add(article)
        return builder.key

    def shown(self) -> list[Entity]:
        """Every entity to show: those named, their parent organizations and their broader technologies.

        Worked out on frozen copies, so what later articles resolve against
        stays as it was: adding articles to a resolver then gives what
        resolving all of them at once gives.
        """
        entities = {key: _entity(row) for key, row in self.saved.items()}
        entities.update((key, builder.freeze()) for key, builder in self.entities.items())
        for entity in list(entities.values()):
            if entity.kind == "organization" and entity.parent:
                record = self.reference.organization(entity.parent)
                known = entities.get(("organization", record.key))
                entities[("organization", record.key)] = replace(
                    known or Entity("organization", record.key, record.name),
                    org_type=record.type, wikidata=record.wikidata, parent=record.parent)
        changed = True
        while changed:
            changed = False
            for entity in list(entities.values()):
                if entity.kind != "technology":
                    continue
                for key in entity.broader:
                    if ("technology", key) not in entities:
                        record = self.reference.technology(key)
                        entities[("technology", key)] = Entity("technology", key, record.label, broader=record.broader)
                        changed = True
        return list(entities.values())

    def _get(self, kind: str, key: str, label: str) -> _Builder:
        builder = self.entities.get((kind, key))
        if builder is None and (kind, key) in self.saved:   # known from a saved state: go on from there
            row = self.saved.pop((kind, key))
            builder = self.entities[(kind, key)] = _Builder(
                *row[:3], set(row[3]), row[4], set(row[5]), row[6], row[7], tuple(row[8]), set(row[9]))
        elif builder is None:
            builder = _Builder(kind, key, label)
            self.entities[(kind, key)] = builder
            self._remember(kind, _match_form(label), key)
        return builder

    def _org_type(self, kind: str, key: str) -> str | None:
        builder = self.entities.get((kind, key))
        return builder.org_type if builder is not None else self.saved[(kind, key)][4]

    def _remember(self, kind: str, norm: str, key: str) -> None:
        self.by_norm[(kind, norm)] = key
        self.norms[kind].add(norm, key)

    def _unknown(self, kind: str, name: str, org_type: str | None = None) -> _Builder:
        norm = _match_form(name)
        key = self.by_norm.get((kind, norm))
        if key is None and kind != "technology":
            key = self._fuzzy(kind, norm, org_type)
        if key is None:
            key = slugify(norm if kind == "technology" else name)   # technologies by their singular form
        builder = self._get(kind, key, name)
        self._remember(kind, norm, key)
        return builder

    def _fuzzy(self, kind: str, norm: str, org_type: str | None) -> str | None:
        """A close spelling of a name already seen, of the same type ("Technology" / "Technologies")."""
        index = self.norms[kind]
        for name in index.closest(norm):
            key = index.keys[name]
            if org_type is None or self._org_type(kind, key) in (None, org_type):
                return key
        return None


def _entity(row: list | tuple) -> Entity:
    """An Entity from the fields ``Resolver.state`` saved."""
    kind, key, label, aliases, org_type, titles, wikidata, parent, broader, articles = row
    return Entity(kind, key, label, tuple(aliases), org_type, tuple(titles), wikidata, parent, tuple(broader),
                  tuple(articles))


@lru_cache(maxsize=1 << 16)
def _match_form(name: str) -> str:
    """The form names are compared in: normalised, every word singular ("Technologies" = "Technology")."""
    return " ".join(_singular_word(w) for w in normalize_name(name).split())


def _singular_word(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def resolve(extractions: Iterable[Extraction], reference: Reference) -> Resolution:
    """Merge the extractions of many articles into one set of entities, visits and worksOn facts."""
    resolver = Resolver(reference)
    resolver.add(extractions)
    return resolver.resolution()


# A report of a visit before merging: official, organization, date, evidence, site detail.
_VisitRow = tuple[str, str, "PartialDate | None", Evidence, "str | None"]


class Resolver:
    """Resolution as a fold over the articles in key order, which a build folder saves and continues.

    Names resolve against what earlier articles established (the first
    spelling seen names an unknown firm, a fuzzy match looks at names seen
    before), so the order is part of the result. Adding articles whose keys
    sort after every article added before continues the fold exactly where
    resolving all of them at once would be; ``accepts`` says when that holds.

    >>> resolver = Resolver(load_reference())            # doctest: +SKIP
    >>> resolver.add(extractions); resolver.resolution()  # doctest: +SKIP
    """

    def __init__(self, reference: Reference) -> None:
        self._names = _Resolver(reference)
        self.articles: dict[str, Article] = {}
        self._surnames: dict[str, set[str]] = defaultdict(set)   # surname -> visitors' full names
        self._bare: set[str] = set()   # surnames that articles name visitors by, alone
        self._visit_rows: dict[tuple[str, str], list[_VisitRow]] = {}
        self._works: dict[tuple[str, str], list[Evidence]] = {}
        self._visits: dict[tuple[str, str], list[Visit]] = {}
        self._works_on: dict[tuple[str, str], WorksOn] = {}
        # What ``from_state`` read, per pair: written back unchanged, and never decoded, while no new
        # report touches the pair.
        self._saved_visits: dict[tuple[str, str], tuple] = {}
        self._saved_works: dict[tuple[str, str], tuple] = {}

    def accepts(self, extractions: Iterable[Extraction]) -> bool:
        """Whether adding ``extractions`` gives what resolving them with every earlier article at once gives.

        True when each sorts after the articles already added and none makes
        a surname that earlier articles used alone stand for someone else.
        """
        extractions = list(extractions)
        last = max(self.articles, default="")
        if any(e.article.key <= last for e in extractions):
            return False
        before = _unique_names(self._surnames)
        surnames = _with_visitors(self._surnames, extractions)
        after = _unique_names(surnames)
        return all(before.get(name) == after.get(name) for name in self._bare)

    def add(self, extractions: Iterable[Extraction]) -> None:
        """Resolve more articles; their keys must sort after those of the articles added before."""
        extractions = sorted(extractions, key=lambda e: e.article.key)
        if extractions and self.articles and extractions[0].article.key <= max(self.articles):
            raise ValueError("articles must be added in key order; resolve them all again instead")
        self._surnames = _with_visitors(self._surnames, extractions)
        full_names = _unique_names(self._surnames)
        resolver = self._names
        for extraction in extractions:
            article = extraction.article
            self.articles[article.key] = article
            aliases = _aliases(extraction)
            when = article.published
            for relation in extraction.relations:
                subject, obj = relation.subject, relation.object
                if relation.predicate == "visited":
                    if " " not in subject.name:
                        self._bare.add(subject.name)
                        if subject.name in full_names:   # "Vice Governor Shen" elsewhere
                            subject = replace(subject, name=full_names[subject.name])
                    on = relation.date.to_date() if relation.date and relation.date.complete else when
                    official = resolver.official(subject, aliases.get(("official", subject.name), ()), on, article.key)
                    org = resolver.organization(obj, aliases.get(("organization", obj.name), ()), article.key)
                    self._rows_of((official, org)).append((official, org, relation.date, relation.evidence,
                                                           obj.detail))
                    self._visits.pop((official, org), None)
                else:
                    org = resolver.organization(subject, aliases.get(("organization", subject.name), ()), article.key)
                    tech = resolver.technology(obj, article.key)
                    self._evidence_of((org, tech)).append(relation.evidence)
                    self._works_on.pop((org, tech), None)

    def _rows_of(self, pair: tuple[str, str]) -> list[_VisitRow]:
        """The reports of a pair, read from the saved state the first time a new report touches it."""
        rows = self._visit_rows.get(pair)
        if rows is None:
            rows = self._visit_rows[pair] = []
            saved = self._saved_visits.pop(pair, None)
            if saved is not None:
                dates_and_details, evidence, _ = _decoded(saved[1])
                rows += [(*pair, _partial(date), evidence[i], detail) for date, i, detail in dates_and_details]
        return rows

    def _evidence_of(self, pair: tuple[str, str]) -> list[Evidence]:
        """The worksOn evidence of a pair, read from the saved state the first time it is touched."""
        evidence = self._works.get(pair)
        if evidence is None:
            evidence = self._works[pair] = []
            saved = self._saved_works.pop(pair, None)
            if saved is not None:
                order, saved_evidence, _ = _decoded(saved[1])
                evidence += [saved_evidence[i] for i in order]
        return evidence

    def _merge(self) -> None:
        """Merge the reports of every pair that new reports touched; the others keep their merged visits."""
        for pair, rows in self._visit_rows.items():
            if pair not in self._visits:
                self._visits[pair] = _merge_visits(rows)
        for (org, tech), evidence in self._works.items():
            if (org, tech) not in self._works_on:
                self._works_on[(org, tech)] = WorksOn(org, tech, tuple(sorted(set(evidence), key=_evidence_order)))

    def resolution(self) -> Resolution:
        """Everything resolved so far."""
        self._merge()
        visits = tuple(sorted((v for vs in self._visits.values() for v in vs), key=lambda v: v.key))
        works_on = tuple(w for _, w in sorted(self._works_on.items()))
        entities = tuple(sorted(self._names.shown(), key=lambda e: (e.kind, e.key)))
        return Resolution(tuple(self.articles[key] for key in sorted(self.articles)), entities, visits, works_on)

    def state(self) -> dict:
        """What the fold knows, as plain values (``marshal`` writes them), for ``from_state``.

        The reports of each pair go in a blob of their own, beside a summary
        of the merged result; a later build decodes a blob only when a new
        report touches its pair.
        """
        self._merge()
        names = self._names
        visits = {}
        for pair, rows in self._visit_rows.items():
            # rows refer to their evidence by position; by identity, as hashing each Evidence costs more
            position = {id(row[3]): n for n, row in enumerate(rows)}
            merged = self._visits[pair]
            summary = [(v.key, _date_tuple(v.date), list(v.site_details), list(v.articles)) for v in merged]
            reports = [(_date_tuple(date), n, detail) for n, (_, _, date, _, detail) in enumerate(rows)]
            blob = marshal.dumps((reports, [tuple(row[3].__dict__.values()) for row in rows],
                                  [[position[id(e)] for e in v.evidence] for v in merged]))
            visits["\t".join(pair)] = (summary, blob)
        visits.update(("\t".join(pair), saved) for pair, saved in self._saved_visits.items())
        works = {}
        for pair, evidence in self._works.items():
            position = {id(e): n for n, e in enumerate(evidence)}
            fact = self._works_on[pair]
            blob = marshal.dumps((list(range(len(evidence))), [tuple(e.__dict__.values()) for e in evidence],
                                  [[position[id(e)] for e in fact.evidence]]))
            works["\t".join(pair)] = (list(fact.articles), blob)
        works.update(("\t".join(pair), saved) for pair, saved in self._saved_works.items())
        return {
            "entities": [*names.saved.values(),
                         *(tuple(b.freeze().__dict__.values()) for b in names.entities.values())],
            "by_norm": [(kind, norm, key) for (kind, norm), key in names.by_norm.items()],
            "norms": {kind: list(index.keys.items()) for kind, index in names.norms.items()},
            "articles": [(a.key, a.path, a.content_hash, a.title, a.published.isoformat() if a.published else None,
                          a.source, a.url, a.language) for a in self.articles.values()],
            "surnames": {surname: sorted(full) for surname, full in self._surnames.items()},
            "bare": sorted(self._bare),
            "visits": visits,
            "works": works,
        }

    @classmethod
    def from_state(cls, data: dict, reference: Reference) -> Resolver:
        """A resolver that continues where the one that wrote ``data`` (``state``) stopped."""
        resolver = cls(reference)
        names = resolver._names
        names.saved = {(row[0], row[1]): row for row in data["entities"]}
        names.by_norm = {(kind, norm): key for kind, norm, key in data["by_norm"]}
        for kind, pairs in data["norms"].items():
            index = names.norms[kind]
            for name, key in pairs:
                index.add(name, key)
        for key, path, content_hash, title, published, source, url, language in data["articles"]:
            resolver.articles[key] = Article(   # without its text: the graph never shows it
                key, path, "", content_hash, title, dt.date.fromisoformat(published) if published else None,
                source, url, language)
        resolver._surnames = defaultdict(set, {k: set(v) for k, v in data["surnames"].items()})
        resolver._bare = set(data["bare"])
        for joined, (summary, blob) in data["visits"].items():
            official, org = pair = tuple(joined.split("\t"))
            resolver._saved_visits[pair] = (summary, blob)
            saved = _SavedPair(blob)
            resolver._visits[pair] = [
                Visit(key, official, org, _partial(date), _SavedEvidence(saved, n), tuple(details), tuple(articles))
                for n, (key, date, details, articles) in enumerate(summary)]
        for joined, (articles, blob) in data["works"].items():
            org, tech = pair = tuple(joined.split("\t"))
            resolver._saved_works[pair] = (articles, blob)
            resolver._works_on[pair] = WorksOn(org, tech, _SavedEvidence(_SavedPair(blob), 0), tuple(articles))
        return resolver


class _SavedPair:
    """The reports of one pair in a saved state, decoded the first time they are needed."""

    __slots__ = ("_decoded", "blob")

    def __init__(self, blob: bytes) -> None:
        self.blob = blob
        self._decoded: tuple | None = None

    def decoded(self) -> tuple:
        if self._decoded is None:
            self._decoded = _decoded(self.blob)
        return self._decoded


def _decoded(blob: bytes) -> tuple[list, list[Evidence], list[list[int]]]:
    """A pair's blob: its rows (or order), its distinct evidence, and the evidence of each merged result."""
    rows, evidence_rows, groups = marshal.loads(blob)
    return rows, [Evidence(*e) for e in evidence_rows], groups


class _SavedEvidence(Sequence):
    """The evidence of one saved visit or worksOn fact, read from its pair's blob when first used."""

    __slots__ = ("_items", "_pair", "_which")

    def __init__(self, pair: _SavedPair, which: int) -> None:
        self._pair, self._which = pair, which
        self._items: tuple[Evidence, ...] | None = None

    def _all(self) -> tuple[Evidence, ...]:
        if self._items is None:
            _, evidence, groups = self._pair.decoded()
            self._items = tuple(evidence[i] for i in groups[self._which])
        return self._items

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, index):
        return self._all()[index]

    def __iter__(self) -> Iterator[Evidence]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and self._all() == tuple(other)

    def __hash__(self) -> int:
        return hash(self._all())


def _date_tuple(date: PartialDate | None) -> tuple | None:
    return (date.year, date.month, date.day) if date is not None else None


def _partial(value: tuple | list | None) -> PartialDate | None:
    return PartialDate(*value) if value is not None else None


def _with_visitors(surnames: dict[str, set[str]], extractions: list[Extraction]) -> dict[str, set[str]]:
    """``surnames`` plus the full names of the visitors in ``extractions``, by surname."""
    grown: dict[str, set[str]] = defaultdict(set, {k: set(v) for k, v in surnames.items()})
    for extraction in extractions:
        for relation in extraction.relations:
            if relation.predicate == "visited" and " " in relation.subject.name:
                tokens = relation.subject.name.split()
                for surname in {tokens[0], tokens[-1]}:
                    grown[surname].add(relation.subject.name)
    return grown


def _unique_names(surnames: dict[str, set[str]]) -> dict[str, str]:
    """Surnames that stand for exactly one official named in full in some article.

    One outlet writes "Vice Governor Shen", another "Shen Lirong, vice governor
    of Jiangsu": the surname alone is the same official when no other has it.
    """
    return {surname: next(iter(names)) for surname, names in surnames.items() if len(names) == 1}


def _aliases(extraction: Extraction) -> dict[tuple[str, str], set[str]]:
    """Every name (not pronoun or description) an article uses for each of its entities."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in extraction.mentions:
        if m.rule in ("org.org-span", "org.org") and m.label == "organization":
            found[("organization", m.name)].add(m.text.strip())
        elif m.rule == "person.person" and m.label == "official":
            found[("official", m.name)].add(m.text.strip())
    return found


def _evidence_order(e: Evidence) -> tuple:
    return (e.article, e.start, e.rule)


def _merge_visits(rows: list[_VisitRow]) -> list[Visit]:
    """Group the reports of one official at one organization into visits a day apart at most."""
    official, org = rows[0][0], rows[0][1]
    visits: list[Visit] = []
    for cluster in _clusters([(date, evidence, detail) for _, _, date, evidence, detail in rows]):
        date = _cluster_date([i[0] for i in cluster])
        evidence = tuple(sorted({i[1] for i in cluster}, key=_evidence_order))
        details = tuple(sorted({i[2] for i in cluster if i[2]}))
        stamp = date.isoformat().lstrip("-") if date else "undated"
        visits.append(Visit(f"{official}--{org}--{stamp}", official, org, date, evidence, details))
    return visits


def _clusters(items: list) -> list[list]:
    """Reports of one pair grouped into visits: complete dates a day apart at most chain together;
    a partial date joins the visit it fits; an undated report joins its own article's visit, or
    the pair's only visit."""
    complete = sorted((i for i in items if i[0] is not None and i[0].complete),
                      key=lambda i: (_sort_date(i[0]), i[1].article))
    clusters: list[list] = []
    for item in complete:
        if clusters and (item[0].to_date() - clusters[-1][-1][0].to_date()).days <= 1:
            clusters[-1].append(item)
        else:
            clusters.append([item])
    partial = sorted((i for i in items if i[0] is not None and not i[0].complete),
                     key=lambda i: (_sort_date(i[0]), i[1].article))
    for item in partial:
        home = next((c for c in clusters if any(_same_day(item[0], other[0]) for other in c[:1] + c[-1:])), None)
        if home is None:
            clusters.append([item])
        else:
            home.append(item)
    by_article: dict[str, list[int]] = defaultdict(list)
    for index, cluster in enumerate(clusters):
        for article in {o[1].article for o in cluster}:
            by_article[article].append(index)
    for item in (i for i in items if i[0] is None):
        same_article = [clusters[index] for index in by_article.get(item[1].article, ())]
        if len(same_article) == 1:
            same_article[0].append(item)
        elif not same_article and len(clusters) == 1:
            clusters[0].append(item)
        else:
            undated = next((c for c in clusters if c[0][0] is None), None)
            if undated is None:
                clusters.append([item])
            else:
                undated.append(item)
    return clusters


def _sort_date(d: PartialDate) -> tuple:
    return (d.year or 0, d.month or 0, d.day or 0)


def _same_day(a: PartialDate | None, b: PartialDate | None) -> bool:
    if a is None or b is None:
        return False
    if a.complete and b.complete:
        return abs((a.to_date() - b.to_date()).days) <= 1  # type: ignore[operator]
    return all(x is None or y is None or x == y for x, y in ((a.year, b.year), (a.month, b.month))) and \
        (a.day is None or b.day is None or abs(a.day - b.day) <= 1)


def _cluster_date(dates: list[PartialDate | None]) -> PartialDate | None:
    """The best supported date of a cluster: the most reported complete date, else the most specific one."""
    counts = Counter(d for d in dates if d is not None)
    if not counts:
        return None

    def score(d: PartialDate) -> tuple:
        specificity = sum(x is not None for x in (d.year, d.month, d.day))
        return (specificity, counts[d], -(d.year or 0), -(d.month or 0), -(d.day or 0))
    return max(counts, key=score)
