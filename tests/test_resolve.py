"""Resolution across articles: one entity per real thing, one Visit per real visit."""

from __future__ import annotations

import datetime as dt

from newsgraph.extract import extract
from newsgraph.model import Article
from newsgraph.reference import load_reference
from newsgraph.resolve import resolve


def article(key: str, text: str, published: dt.date | None) -> Article:
    return Article(key=key, path=f"{key}.md", text=text, content_hash="sha256:" + "0" * 64, published=published)


def resolution(*articles: Article):
    reference = load_reference()
    return resolve([extract(a, reference=reference) for a in articles], reference)


def test_resolve_literal_translation_and_wire_name_are_one_firm_and_one_visit():
    wire = article("wire", "BEIJING, March 13 -- Chinese Premier Li Qiang on Wednesday visited NAURA Technology Group.",
                   dt.date(2024, 3, 14))
    translated = article("mt", "On March 13th, Li Qiang came to North Huachuang Technology Group Co., Ltd. to inspect.",
                         dt.date(2024, 3, 15))
    result = resolution(wire, translated)
    orgs = [e for e in result.entities if e.kind == "organization" and e.key == "naura"]
    assert len(orgs) == 1 and "North Huachuang Technology Group Co., Ltd." in orgs[0].aliases
    assert [(v.official, v.organization, str(v.date), v.articles) for v in result.visits] == [
        ("li-qiang", "naura", "2024-03-13", ("mt", "wire"))]


def test_resolve_reports_a_day_apart_are_one_visit_and_a_week_apart_two():
    a = article("a", "Taizhou Mayor Chen Hua visited Lanshan Robotics Co., Ltd. on Tuesday.", dt.date(2021, 5, 6))
    b = article("b", "Taizhou Mayor Chen Hua visited Lanshan Robotics Co., Ltd. on Wednesday.", dt.date(2021, 5, 6))
    c = article("c", "Taizhou Mayor Chen Hua visited Lanshan Robotics Co., Ltd. on Monday.", dt.date(2021, 5, 14))
    dates = sorted(str(v.date) for v in resolution(a, b, c).visits)
    assert dates == ["2021-05-04", "2021-05-10"]


def test_resolve_premier_li_by_tenure():
    early = article("early", "Premier Li visited Lanshan Robotics Co., Ltd. on Monday.", dt.date(2019, 5, 7))
    late = article("late", "Premier Li visited Lanshan Robotics Co., Ltd. on Monday.", dt.date(2024, 5, 7))
    officials = {v.official for v in resolution(early, late).visits}
    assert officials == {"li-keqiang", "li-qiang"}


def test_resolve_an_acronym_finds_the_firm_named_in_full_elsewhere():
    a = article("a", "Taizhou Mayor Chen Hua visited Lanxi Quantum Devices Co., Ltd. (LQD) on Tuesday.",
                dt.date(2021, 5, 6))
    b = article("b", "Vice Minister Zhang Lei toured LQD, a maker of quantum sensors, on Wednesday.",
                dt.date(2021, 6, 10))
    assert {v.organization for v in resolution(a, b).visits} == {"lanxi-quantum-devices-co-ltd"}


def test_resolve_a_close_spelling_is_the_same_unknown_firm():
    a = article("a", "Taizhou Mayor Chen Hua visited Lanxi Quantum Technology on Tuesday.", dt.date(2021, 5, 6))
    b = article("b", "Taizhou Mayor Chen Hua visited Lanxi Quantum Technologies on Tuesday.", dt.date(2021, 5, 6))
    result = resolution(a, b)
    assert len([e for e in result.entities if e.kind == "organization"]) == 1
    assert len(result.visits) == 1


def test_resolve_keys_are_stable_and_readable():
    a = article("a", "Taizhou Mayor Chen Hua visited Lanshan Robotics Co., Ltd. on Tuesday.", dt.date(2021, 5, 6))
    first, second = resolution(a), resolution(a)
    assert first == second
    assert [v.key for v in first.visits] == ["chen-hua--lanshan-robotics-co-ltd--2021-05-04"]


def test_resolve_a_titled_surname_is_the_official_another_report_names_in_full():
    full = article("a", "Ruixin Photonics Co., Ltd. was visited on Friday by Lin Yue, vice governor of Anhui "
                        "Province.", dt.date(2021, 4, 30))
    short = article("b", "Vice Governor Lin toured Ruixin Photonics Co., Ltd. on Friday.", dt.date(2021, 4, 30))
    result = resolution(full, short)
    assert {e.label for e in result.entities if e.kind == "official"} == {"Lin Yue"}
    assert [(v.official, str(v.date), v.articles) for v in result.visits] == [("lin-yue", "2021-04-30", ("a", "b"))]


def test_fuzzy_index_finds_every_name_that_scoring_all_would_find() -> None:
    """The index may offer extra candidates, never miss one: checked against scoring every name."""
    import random

    from rapidfuzz import fuzz, process

    from newsgraph.fuzzy import FUZZY_THRESHOLD, FuzzyIndex

    rng = random.Random(7)
    words = ("lanshan robotics technology group beijing zhiyuan institute artificial intelligence north "
             "huachuang semiconductor equipment ningde times battery harbor foods a co").split()

    def mutated(name: str) -> str:
        chars = list(name)
        for _ in range(rng.randint(0, 4)):
            at = rng.randrange(len(chars) + 1)
            roll = rng.random()
            if roll < 0.33 and chars:
                del chars[min(at, len(chars) - 1)]
            elif roll < 0.66:
                chars.insert(at, rng.choice("abcdefghij "))
            elif chars:
                chars[min(at, len(chars) - 1)] = rng.choice("abcdefghij")
        return "".join(chars).strip() or "x"

    index, names, close = FuzzyIndex(), [], 0
    for _ in range(1500):
        base = rng.choice(names) if names and rng.random() < 0.5 else " ".join(
            rng.choice(words) for _ in range(rng.randint(1, 5)))
        query = mutated(base)
        if len(query) >= 6:
            every = {m[0] for m in process.extract(query, names, scorer=fuzz.token_sort_ratio,
                                                   score_cutoff=FUZZY_THRESHOLD, limit=None)}
            assert every <= set(index.candidates(query)), query
            close += len(every)
        if query not in index.keys:
            index.add(query, query)
            names.append(query)
    assert close > 200   # the test looked at many close pairs, short and long


def test_resolve_a_full_legal_name_around_a_known_alias_is_the_known_firm():
    """"Hefei Guoxuan High-tech Power Energy Co., Ltd." holds the alias "Guoxuan High-tech" of Gotion, after its
    city: the full name is Gotion's, though the reference lists no such alias."""
    r = resolution(article("a", "Mayor Chen Hua came to Hefei Guoxuan High-tech Power Energy Co., Ltd. on Monday.",
                           dt.date(2025, 4, 18)))
    assert [(v.official, v.organization) for v in r.visits] == [("chen-hua", "gotion")]
