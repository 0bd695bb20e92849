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
