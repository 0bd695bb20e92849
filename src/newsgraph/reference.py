"""Reference data: the officials, organizations and technologies newsgraph already knows.

The bundled data lives in ``ontology/reference/{officials,organizations,technologies}.yaml``.
Users add or correct entries with their own YAML files (any of the top-level keys
``officials``, ``organizations``, ``technologies``); an entry whose key matches a
bundled one overrides the fields it gives and keeps the others, a new key extends.

Everything is validated at load and all problems are reported at once::

    organizations.yaml: organizations -> 12 -> type: 'firm' is not one of company, ...

>>> ref = load_reference()
>>> ref.organization_by_alias("North Huachuang").name
'Naura Technology Group'
>>> [o.name for o in ref.officials_holding("Premier", date(2019, 5, 1), country="CN")]
['Li Keqiang']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError
from .yamlfile import line_of
from .text import fold, normalize_name, slugify

__all__ = [
    "Position",
    "OfficialRecord",
    "OrganizationRecord",
    "TechnologyRecord",
    "Reference",
    "ORGANIZATION_TYPES",
    "load_reference",
]

ORGANIZATION_TYPES = ("company", "research_institute", "university", "government_body", "industrial_zone")
KINDS = ("officials", "organizations", "technologies")
BUNDLED_FILES = {kind: f"{kind}.yaml" for kind in KINDS}
_SINGULAR = {"officials": "official", "organizations": "organization", "technologies": "technology"}


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Position:
    """One office held by an official.

    ``title`` is the full title ("Premier of the State Council"); ``short_titles``
    are the words news puts before a name or uses alone to refer back ("Premier").
    ``end`` is ``None`` while the official is still in office; a missing ``start``
    means the start is not recorded. ``country`` is an ISO 3166 alpha-2 code
    (or ``EU`` for European Union offices).
    """

    title: str
    short_titles: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    country: str | None = None

    def held_on(self, day: date) -> bool:
        """True if the office was held on ``day`` (the handover day counts for the successor)."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class OfficialRecord:
    """A known official; ``key`` is the IRI segment (``id/official/<key>``)."""

    key: str
    name: str
    name_zh: str | None = None
    aliases: tuple[str, ...] = ()
    positions: tuple[Position, ...] = ()
    wikidata: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by every alias."""
        return (self.name, *self.aliases)

    def position_on(self, day: date | None = None) -> Position | None:
        """The office held on ``day`` (the first listed if several); without a day, the
        first still held, else the one that started last. ``None`` if nothing fits.

        >>> load_reference().official("li-qiang").position_on(date(2020, 1, 1)).title
        'Secretary of the CPC Shanghai Municipal Committee'
        """
        if day is not None:
            return next((p for p in self.positions if p.held_on(day)), None)
        current = [p for p in self.positions if p.end is None]
        if current:
            return current[0]
        return max(self.positions, key=lambda p: p.start or date.min, default=None)


@dataclass(frozen=True)
class OrganizationRecord:
    """A known organization; ``parent`` is the key of the organization it belongs to."""

    key: str
    name: str
    name_zh: str | None = None
    aliases: tuple[str, ...] = ()
    type: str = "company"
    city: str | None = None
    country: str | None = None
    parent: str | None = None
    wikidata: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class TechnologyRecord:
    """A concept of the technology scheme (SKOS): a preferred label, synonyms, broader keys."""

    key: str
    label: str
    alt_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.alt_labels)


def _singular(word: str) -> str:
    """A rough English singular, applied alike to both sides of a comparison: batteries -> battery."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _match_key(kind: str, name: str) -> str:
    """The key names are compared by: normalize_name, and for technologies each word singular."""
    norm = normalize_name(name)
    if kind == "technologies":
        norm = " ".join(_singular(word) for word in norm.split())
    return norm


def _index_names(kind: str, records: Iterable[Any]) -> dict[str, Any]:
    """Matching key -> record; Chinese names (which normalise to nothing) are kept as written."""
    index: dict[str, Any] = {}
    for record in records:
        for name in record.names:
            key = _match_key(kind, name)
            if key:
                index.setdefault(key, record)
        name_zh = getattr(record, "name_zh", None)
        if name_zh:
            index.setdefault(_ZH_PREFIX + name_zh.strip(), record)
    return index


_ZH_PREFIX = "zh:"


_PARENTHESIS = re.compile(r"^(.*?)\s*[(（]([^()（）]*)[)）]\s*$")


def _name_variants(name: str) -> Iterator[str]:
    """The name itself, then without / only its trailing parenthesis: 'Foo Ltd. (FOO)'."""
    yield name
    match = _PARENTHESIS.match(name)
    if match:
        yield match.group(1)
        yield match.group(2)


@dataclass(frozen=True)
class Reference:
    """All reference records with lookups by key, by name and by office held.

    Build it with :func:`load_reference`; the lookup tables are filled in
    ``__post_init__``.
    """

    officials: tuple[OfficialRecord, ...] = ()
    organizations: tuple[OrganizationRecord, ...] = ()
    technologies: tuple[TechnologyRecord, ...] = ()
    _by_key: dict[str, dict[str, Any]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _by_name: dict[str, dict[str, Any]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _hash: int = field(default=0, init=False, repr=False, compare=False)
    # Cities of the organizations: "Beijing" in "Beijing Automotive Group" is a place, not a short name.
    cities: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key = {kind: {r.key: r for r in getattr(self, kind)} for kind in KINDS}
        by_name = {kind: _index_names(kind, getattr(self, kind)) for kind in KINDS}
        object.__setattr__(self, "_by_key", by_key)
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_hash", hash((self.officials, self.organizations, self.technologies)))
        object.__setattr__(self, "cities", frozenset(org.city for org in self.organizations if org.city))

    def __hash__(self) -> int:  # computed once: stages cache on the reference (functools.lru_cache)
        return self._hash

    # -- by key
    def _get(self, kind: str, key: str) -> Any:
        try:
            return self._by_key[kind][key]
        except KeyError:
            raise KeyError(f"no {_SINGULAR[kind]} with key {key!r} in the reference data") from None

    def official(self, key: str) -> OfficialRecord:
        """The official with this key: ``ref.official("li-qiang").name == "Li Qiang"``."""
        return self._get("officials", key)

    def organization(self, key: str) -> OrganizationRecord:
        """The organization with this key: ``ref.organization("baidu").wikidata == "Q14772"``."""
        return self._get("organizations", key)

    def technology(self, key: str) -> TechnologyRecord:
        """The technology concept with this key: ``ref.technology("large-models").label``."""
        return self._get("technologies", key)

    # -- by name
    def _by_alias(self, kind: str, name: str) -> Any:
        index = self._by_name[kind]
        for variant in _name_variants(name):
            key = _match_key(kind, variant) or _ZH_PREFIX + variant.strip()
            record = index.get(key)
            if record is not None:
                return record
        return None

    def official_by_alias(self, name: str) -> OfficialRecord | None:
        """The official named ``name`` (canonical name, alias or Chinese name; case and punctuation ignored)."""
        return self._by_alias("officials", name)

    def organization_by_alias(self, name: str) -> OrganizationRecord | None:
        """The organization named ``name``: ``organization_by_alias("Beacon Fire")`` is FiberHome.

        Legal suffixes, a leading "the", case and punctuation are ignored; a
        trailing parenthesis is tried on its own and without ("... Co., Limited (CATL)").
        """
        return self._by_alias("organizations", name)

    def technology_by_label(self, name: str) -> TechnologyRecord | None:
        """The technology concept whose label or alt label is ``name`` (after normalising; plurals ignored)."""
        return self._by_alias("technologies", name)

    # -- by office
    def officials_holding(
        self, short_title: str, on: date | None = None, country: str | None = None
    ) -> tuple[OfficialRecord, ...]:
        """Officials who held an office called ``short_title`` on the day ``on``.

        ``short_title`` matches a position's short titles or its full title, case
        ignored. With ``on=None`` every official who ever held such an office is
        returned, the most recent first. ``country`` (ISO alpha-2) narrows the search.

        >>> ref = load_reference()
        >>> [o.name for o in ref.officials_holding("Premier", date(2024, 3, 13), "CN")]
        ['Li Qiang']
        """
        wanted = " ".join(fold(short_title).split())
        found: list[tuple[date, OfficialRecord]] = []
        for official in self.officials:
            starts = [
                p.start or date.min
                for p in official.positions
                if (country is None or p.country == country)
                and (wanted == fold(p.title) or wanted in (fold(t) for t in p.short_titles))
                and (on is None or p.held_on(on))
            ]
            if starts:
                found.append((max(starts), official))
        found.sort(key=lambda item: item[0], reverse=True)
        return tuple(official for _, official in found)

    # -- technology scheme
    def broader_closure(self, tech_key: str) -> tuple[str, ...]:
        """Every concept above ``tech_key``, nearest first (the key itself excluded).

        ``broader_closure("memory-chips")`` starts ``("integrated-circuits", "semiconductors", ...)``.
        """
        seen: list[str] = []
        queue = list(self.technology(tech_key).broader)
        while queue:
            key = queue.pop(0)
            if key in seen or key == tech_key:
                continue
            seen.append(key)
            queue.extend(self.technology(key).broader)
        return tuple(seen)

    def narrower(self, tech_key: str) -> tuple[str, ...]:
        """Keys of the concepts directly below ``tech_key``."""
        return tuple(t.key for t in self.technologies if tech_key in t.broader)


# --------------------------------------------------------------------------- validation


class _Problems:
    """Collects every problem found, so the user sees them all at once.

    Each line reads ``file: key -> path: what is wrong; hint (line N)``; the line
    number is looked up in the file's text (registered in ``texts``) only when
    there is something to report.
    """

    def __init__(self) -> None:
        self.found: list[tuple[str, tuple[Any, ...], str]] = []
        self.texts: dict[str, str] = {}

    def add(self, source: str, path: Sequence[Any], message: str) -> None:
        self.found.append((source, tuple(path), message))

    def _format(self, source: str, path: tuple[Any, ...], message: str) -> str:
        where = " -> ".join(str(p) for p in path)
        line = f"{source}: {where}: {message}" if where else f"{source}: {message}"
        number = line_of(self.texts.get(source), path) if path else None
        return f"{line} (line {number})" if number else line

    def raise_if_any(self) -> None:
        if self.found:
            count = len(self.found)
            head = f"{count} problem{'s' if count > 1 else ''} in the reference data:"
            lines = [self._format(*problem) for problem in self.found]
            raise ConfigError("\n".join([head, *("  " + line for line in lines)]))


_QID = re.compile(r"^Q[1-9][0-9]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", int: "a number",
            float: "a number", date: "a date", datetime: "a date", type(None): "empty"}.get(
        type(value), type(value).__name__)


@dataclass
class _Entry:
    """One validated YAML entry, before merging: its fields and where it came from."""

    kind: str
    key: str
    fields: dict[str, Any]
    source: str
    path: tuple[Any, ...]
    order: int = 0  # position in load order; an override takes the position of the overriding entry


class _Reader:
    """Reads one YAML file's entries into typed fields, recording problems."""

    def __init__(self, source: str, problems: _Problems) -> None:
        self.source = source
        self.problems = problems

    def problem(self, path: Sequence[Any], message: str) -> None:
        self.problems.add(self.source, path, message)

    # -- value checkers: return the typed value, or None after recording a problem
    def text(self, value: Any, path: tuple, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, str):
            self.problem(path, "is empty; give a name or remove the line")
        else:
            hint = "; quote it" if isinstance(value, (bool, int, float, date)) else ""
            self.problem(path, f"{_show(value)} is {_type_name(value)}, expected a string{hint}")
        return None

    def texts(self, value: Any, path: tuple) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(path, f"{_show(value)} is {_type_name(value)}, expected a list of strings "
                               f"(write [{_show(value)}] for one)")
            return ()
        out = []
        for i, item in enumerate(value):
            text = self.text(item, (*path, i))
            if text is not None and text not in out:
                out.append(text)
        return tuple(out)

    def day(self, value: Any, path: tuple) -> date | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(path, f"{_show(value)} is not a date; write YYYY-MM-DD, or null if unknown")
        return None

    def country(self, value: Any, path: tuple) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) and _COUNTRY.match(value):
            return value
        hint = " (quote NO for Norway)" if isinstance(value, bool) else ""
        self.problem(path, f"{_show(value)} is not an ISO 3166 alpha-2 country code such as CN, US, DE{hint}")
        return None

    def qid(self, value: Any, path: tuple) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) and _QID.match(value):
            return value
        self.problem(path, f"{_show(value)} is not a Wikidata item id such as Q42; use null when unsure")
        return None

    def key(self, value: Any, path: tuple) -> str | None:
        text = self.text(value, path)
        if text is not None and slugify(text) != text:
            self.problem(path, f"{_show(text)} is not a slug; write {slugify(text)!r}")
            return None
        return text

    def mapping(self, value: Any, path: tuple, allowed: Sequence[str], what: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(path, f"{_show(value)} is {_type_name(value)}, expected a mapping ({what})")
            return None
        for name in value:
            if name not in allowed:
                self.problem((*path, name), f"unknown key {_show(name)}; known keys: {', '.join(allowed)}")
        return value

    # -- entries
    def official(self, raw: dict, path: tuple) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if "name" in raw:
            fields["name"] = self.text(raw["name"], (*path, "name"))
        if "name_zh" in raw:
            fields["name_zh"] = self.text(raw["name_zh"], (*path, "name_zh"), optional=True)
        if "aliases" in raw:
            fields["aliases"] = self.texts(raw["aliases"], (*path, "aliases"))
        if "wikidata" in raw:
            fields["wikidata"] = self.qid(raw["wikidata"], (*path, "wikidata"))
        if "positions" in raw:
            value = raw["positions"]
            if value is None:
                value = []
            if not isinstance(value, list):
                self.problem((*path, "positions"), f"{_show(value)} is {_type_name(value)}, expected a list of positions")
                value = []
            fields["positions"] = tuple(
                p for i, item in enumerate(value) if (p := self.position(item, (*path, "positions", i)))
            )
        return fields

    def position(self, raw: Any, path: tuple) -> Position | None:
        raw = self.mapping(raw, path, [f.name for f in Position.__dataclass_fields__.values()],
                           "title, short_titles, start, end, country")
        if raw is None:
            return None
        if "title" not in raw:
            self.problem(path, "has no title; every position needs one")
        title = self.text(raw.get("title"), (*path, "title")) if "title" in raw else None
        start = self.day(raw.get("start"), (*path, "start"))
        end = self.day(raw.get("end"), (*path, "end"))
        if start and end and end < start:
            self.problem((*path, "end"), f"{end.isoformat()!r} is before start {start.isoformat()!r}")
        position = Position(
            title=title or "",
            short_titles=self.texts(raw.get("short_titles"), (*path, "short_titles")),
            start=start,
            end=end,
            country=self.country(raw.get("country"), (*path, "country")),
        )
        return position if title else None

    def organization(self, raw: dict, path: tuple) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for name in ("name", "name_zh", "city", "parent"):
            if name in raw:
                fields[name] = self.text(raw[name], (*path, name), optional=name != "name")
        if "aliases" in raw:
            fields["aliases"] = self.texts(raw["aliases"], (*path, "aliases"))
        if "country" in raw:
            fields["country"] = self.country(raw["country"], (*path, "country"))
        if "wikidata" in raw:
            fields["wikidata"] = self.qid(raw["wikidata"], (*path, "wikidata"))
        if "type" in raw:
            value = raw["type"]
            if value in ORGANIZATION_TYPES:
                fields["type"] = value
            else:
                self.problem((*path, "type"), f"{_show(value)} is not one of {', '.join(ORGANIZATION_TYPES)}")
                fields["type"] = None  # reported; keeps "has no type" from repeating it
        return fields

    def technology(self, raw: dict, path: tuple) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if "label" in raw:
            fields["label"] = self.text(raw["label"], (*path, "label"))
        for name in ("alt_labels", "broader"):
            if name in raw:
                fields[name] = self.texts(raw[name], (*path, name))
        return fields


_RECORD_TYPES: dict[str, type] = {
    "officials": OfficialRecord,
    "organizations": OrganizationRecord,
    "technologies": TechnologyRecord,
}
_NAME_FIELD = {"officials": "name", "organizations": "name", "technologies": "label"}


def _allowed_keys(kind: str) -> list[str]:
    return list(_RECORD_TYPES[kind].__dataclass_fields__)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's when built in), keeping an impossible date ("2019-13-01")
    as a string so that validation can say what is wrong with it."""


def _construct_timestamp(loader: Any, node: yaml.Node) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _read_entries(text: str, source: str, problems: _Problems) -> list[_Entry]:
    """Parse one reference YAML file into entries (fields validated, cross-references not yet)."""
    problems.texts[source] = text
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.add(source, (), f"is not valid YAML{where}: {getattr(exc, 'problem', None) or exc}")
        return []
    if data is None:
        return []
    reader = _Reader(source, problems)
    if not isinstance(data, dict):
        problems.add(source, (), f"is {_type_name(data)}; expected a mapping with any of the keys {', '.join(KINDS)}")
        return []
    entries: list[_Entry] = []
    seen: dict[tuple[str, str], tuple] = {}
    for kind, items in data.items():
        if kind not in KINDS:
            problems.add(source, (kind,), f"unknown top-level key; known: {', '.join(KINDS)}")
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            problems.add(source, (kind,), f"{_show(items)} is {_type_name(items)}, expected a list of entries")
            continue
        read = {"officials": reader.official, "organizations": reader.organization,
                "technologies": reader.technology}[kind]
        name_field = _NAME_FIELD[kind]
        for i, raw in enumerate(items):
            path = (kind, i)
            raw = reader.mapping(raw, path, _allowed_keys(kind), f"one of the {kind}")
            if raw is None:
                continue
            fields = read(raw, path)
            if "key" in raw:
                key = reader.key(raw["key"], (*path, "key"))
            elif name_field in raw:
                key = slugify(fields[name_field]) if fields.get(name_field) else None
            else:
                reader.problem(path, f"has neither {name_field} nor key; give at least the {name_field}")
                key = None
            if key is None:
                continue
            if (kind, key) in seen:
                first = " -> ".join(map(str, seen[(kind, key)]))
                reader.problem(path, f"duplicate key {key!r} (first at {first}); merge the two entries "
                                     f"or give one an explicit key")
                continue
            seen[(kind, key)] = path
            entries.append(_Entry(kind, key, fields, source, path))
    return entries


def _merge(entries: Iterable[_Entry], problems: _Problems) -> dict[str, dict[str, _Entry]]:
    """Later entries with the same key override the fields they give; the rest extend."""
    merged: dict[str, dict[str, _Entry]] = {kind: {} for kind in KINDS}
    for order, entry in enumerate(entries):
        entry = replace(entry, order=order)
        current = merged[entry.kind].get(entry.key)
        if current is None:
            name_field = _NAME_FIELD[entry.kind]
            if not entry.fields.get(name_field):
                if name_field not in entry.fields:
                    problems.add(entry.source, entry.path,
                                 f"key {entry.key!r} matches no known entry, so it needs a {name_field}")
                continue
            if entry.kind == "organizations" and "type" not in entry.fields:
                problems.add(entry.source, entry.path,
                             f"has no type; give one of {', '.join(ORGANIZATION_TYPES)}")
                continue
            merged[entry.kind][entry.key] = entry
        else:
            fields = {**current.fields, **entry.fields}
            merged[entry.kind][entry.key] = replace(entry, fields=fields)
    return merged


def _build_records(merged: dict[str, dict[str, _Entry]]) -> dict[str, list[tuple[Any, _Entry]]]:
    out: dict[str, list[tuple[Any, _Entry]]] = {}
    for kind, entries in merged.items():
        record_type = _RECORD_TYPES[kind]
        out[kind] = [(record_type(key=key, **entry.fields), entry) for key, entry in entries.items()]
    return out


def _check_cross_references(records: dict[str, list[tuple[Any, _Entry]]], problems: _Problems) -> None:
    # names claimed twice
    for kind in KINDS:
        owners: dict[str, tuple[Any, _Entry]] = {}
        for record, entry in records[kind]:
            name_field = _NAME_FIELD[kind]
            alias_field = "alt_labels" if kind == "technologies" else "aliases"
            for field_name, names in ((name_field, (getattr(record, name_field),)),
                                      (alias_field, getattr(record, alias_field))):
                for i, name in enumerate(names):
                    norm = _match_key(kind, name)
                    if not norm:
                        continue
                    owner = owners.get(norm)
                    if owner is None:
                        owners[norm] = (record, entry)
                    elif owner[0].key != record.key:
                        where = " -> ".join(map(str, owner[1].path))
                        path = (*entry.path, field_name) + ((i,) if field_name == alias_field else ())
                        hint = "a name may belong to one entry only"
                        if owner[1].source != entry.source:
                            hint += f"; to change {owner[0].key!r} itself, give its key: `key: {owner[0].key}`"
                        problems.add(entry.source, path,
                                     f"{_show(name)} also names {owner[0].key!r} ({owner[1].source}: {where}); {hint}")
    # a Wikidata item names one entity
    for kind in ("officials", "organizations"):
        qids: dict[str, tuple[Any, _Entry]] = {}
        for record, entry in records[kind]:
            if record.wikidata is None:
                continue
            owner = qids.setdefault(record.wikidata, (record, entry))
            if owner[0].key != record.key:
                where = " -> ".join(map(str, owner[1].path))
                problems.add(entry.source, (*entry.path, "wikidata"),
                             f"{record.wikidata!r} is also the item of {owner[0].key!r} ({owner[1].source}: {where}); "
                             f"one of them is wrong, use null when unsure")
    # organization parents
    org_keys = {record.key: record for record, _ in records["organizations"]}
    for record, entry in records["organizations"]:
        if record.parent is not None and record.parent not in org_keys:
            problems.add(entry.source, (*entry.path, "parent"),
                         f"{_show(record.parent)} is not the key of any organization{_suggest(record.parent, org_keys)}")
        elif record.parent == record.key:
            problems.add(entry.source, (*entry.path, "parent"), f"{_show(record.parent)} is the organization itself")
    _check_cycles({r.key: ((r.parent,) if r.parent in org_keys and r.parent != r.key else ())
                   for r, _ in records["organizations"]},
                  {r.key: e for r, e in records["organizations"]}, "parent", problems)
    # technology broader
    tech_keys = {record.key for record, _ in records["technologies"]}
    for record, entry in records["technologies"]:
        for i, key in enumerate(record.broader):
            if key not in tech_keys:
                problems.add(entry.source, (*entry.path, "broader", i),
                             f"{_show(key)} is not the key of any technology{_suggest(key, tech_keys)}")
    _check_cycles({r.key: tuple(k for k in r.broader if k in tech_keys) for r, _ in records["technologies"]},
                  {r.key: e for r, e in records["technologies"]}, "broader", problems)


def _suggest(key: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(known), n=3)
    return f"; did you mean {', '.join(close)}?" if close else ""


def _check_cycles(edges: Mapping[str, tuple[str, ...]], entries: Mapping[str, _Entry], field_name: str,
                  problems: _Problems) -> None:
    """Report each cycle in ``edges`` once, at the member loaded last (most likely the one just edited)."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in edges.get(node, ()):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):]
                members = frozenset(cycle)
                if members not in reported:
                    reported.add(members)
                    last = max(range(len(cycle)), key=lambda i: entries[cycle[i]].order)
                    cycle = cycle[last:] + cycle[:last]
                    entry = entries[cycle[0]]
                    chain = " -> ".join([*cycle, cycle[0]])
                    problems.add(entry.source, (*entry.path, field_name),
                                 f"cycle: {chain}; a {field_name} chain must end")
            elif state.get(nxt) is None:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in edges:
        if node not in state:
            visit(node, [])


# --------------------------------------------------------------------------- loading


def _bundled_dir() -> Traversable:
    return resources.files("newsgraph") / "ontology" / "reference"


@functools.cache
def _bundled_texts() -> dict[str, str]:
    base = _bundled_dir()
    return {name: (base / name).read_text(encoding="utf-8")
            for name in BUNDLED_FILES.values() if (base / name).is_file()}


@functools.cache
def _bundled_entries() -> tuple[_Entry, ...]:
    problems = _Problems()
    entries: list[_Entry] = []
    for name, text in _bundled_texts().items():
        entries.extend(_read_entries(text, name, problems))
    problems.raise_if_any()
    return tuple(entries)


def _load(entries: Iterable[_Entry], problems: _Problems) -> Reference:
    for name, text in _bundled_texts().items():
        problems.texts.setdefault(name, text)
    merged = _merge(entries, problems)
    records = _build_records(merged)
    _check_cross_references(records, problems)
    problems.raise_if_any()
    return Reference(**{kind: tuple(record for record, _ in records[kind]) for kind in KINDS})


@functools.cache
def _bundled_reference() -> Reference:
    return _load(_bundled_entries(), _Problems())


def load_reference(extra: Sequence[Path | str] = ()) -> Reference:
    """The bundled reference data, overridden and extended by the ``extra`` YAML files.

    An extra file holds any of ``officials``, ``organizations`` and
    ``technologies``. An entry whose key (``key:``, or the slug of its name or
    label) matches a known one overrides the fields it gives; others are added.
    Raises :class:`ConfigError` listing every problem found.

    >>> load_reference().organization("naura").aliases[:2]
    ('NAURA', 'North Huachuang')
    """
    if not extra:
        return _bundled_reference()
    problems = _Problems()
    entries = list(_bundled_entries())
    paths = [Path(p) for p in extra]
    names = [path.name for path in paths]
    for path in paths:
        # Problems name a file by its name, unless that would be ambiguous.
        source = path.name if names.count(path.name) == 1 and path.name not in BUNDLED_FILES.values() else str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.add(source, (), f"cannot be read: {exc}")
            continue
        entries.extend(_read_entries(text, source, problems))
    return _load(entries, problems)
