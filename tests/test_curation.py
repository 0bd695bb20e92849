"""Curation files: loading and validation, and every action applied to real resolutions.

The fixture articles (tests/data/articles) give a small real resolution; a
hand-made one stands in for the merge of two names of one firm, which the
reference data already prevents in real builds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.curation import (
    Curation, EntityCorrection, FactCorrection, FactRule, Merge, apply_curation, load_curation,
)
from newsgraph.errors import ConfigError
from newsgraph.model import Evidence, PartialDate
from newsgraph.namespaces import NG, entity_iri
from newsgraph.pipeline import build_resolution
from newsgraph.rdf import to_dataset
from newsgraph.resolve import Entity, Resolution, Visit, WorksOn

REPO_ROOT = Path(__file__).parent.parent
MARCH_13 = PartialDate(2024, 3, 13)


@pytest.fixture(scope="module")
def resolution(articles_dir: Path) -> Resolution:
    """The fixture articles resolved: three officials, each visiting one organization."""
    return build_resolution([articles_dir])


def curate(tmp_path: Path, text: str, resolution: Resolution) -> tuple[Resolution, list[str]]:
    path = tmp_path / "curation.yaml"
    path.write_text(text, encoding="utf-8")
    return apply_curation(resolution, load_curation(path))


def evidence(article: str, start: int, rule: str = "visit.visited", confidence: float = 0.9) -> Evidence:
    return Evidence(article, f"sentence at {start}", start, start + 10, rule, confidence)


@pytest.fixture
def two_names() -> Resolution:
    """One firm under two keys, as if no alias linked them: a visit, worksOn facts and a child under each."""
    entities = (
        Entity("official", "li-qiang", "Li Qiang"),
        Entity("organization", "naura", "Naura Technology Group", ("NAURA",), "company"),
        Entity("organization", "north-huachuang", "North Huachuang Technology Group Co., Ltd.", (), "company",
               wikidata="Q11111", articles=("cctv",)),
        Entity("organization", "north-huachuang-lab", "North Huachuang Lab", (), "research_institute",
               parent="north-huachuang"),
        Entity("technology", "etching-equipment", "etching equipment"),
        Entity("technology", "semiconductor-equipment", "semiconductor equipment"),
    )
    visits = (
        Visit("li-qiang--naura--2024-03-13", "li-qiang", "naura", MARCH_13, (evidence("wire", 5),)),
        Visit("li-qiang--north-huachuang--2024-03-13", "li-qiang", "north-huachuang", MARCH_13,
              (evidence("cctv", 50),), ("workshop",)),
    )
    works = (
        WorksOn("naura", "semiconductor-equipment", (evidence("wire", 5, "works.maker-of", 0.8),)),
        WorksOn("north-huachuang", "etching-equipment", (evidence("cctv", 60, "works.possessive", 0.7),)),
        WorksOn("north-huachuang", "semiconductor-equipment", (evidence("cctv", 50, "works.possessive", 0.7),)),
        WorksOn("north-huachuang-lab", "etching-equipment", (evidence("cctv", 70, "works.possessive", 0.7),)),
    )
    return Resolution((), entities, visits, works)


def keys(resolution: Resolution, kind: str) -> list[str]:
    return [e.key for e in resolution.entities if e.kind == kind]


def entity(resolution: Resolution, kind: str, key: str) -> Entity:
    return next(e for e in resolution.entities if (e.kind, e.key) == (kind, key))


# ---------------------------------------------------------------- loading


def test_curation_load_reads_every_section_into_typed_rules(tmp_path: Path) -> None:
    path = tmp_path / "curation.yaml"
    path.write_text("""
merge:
  - {kind: organization, into: "Naura Technology Group", from: "North Huachuang"}
reject:
  - {fact: visited, subject: "Li Qiang", object: "Baidu", date: 2024-03-13}
  - {fact: visited, subject: "Li Qiang", object: "Baidu", date: "--03-13"}
  - {fact: worksOn, subject: "Baidu", object: "autonomous driving"}
accept:
  - {fact: visited, subject: "Li Qiang", object: "Baidu", date: 2024-03}
correct:
  - {fact: visited, subject: "Li Qiang", object: "Baidu", set: {date: 2024-03-14}}
  - {entity: organization, name: "Baidu", set: {label: "Baidu, Inc.", type: company, wikidata: Q14772}}
""", encoding="utf-8")
    curation = load_curation(path)
    assert curation.source == str(path)
    assert curation.merge == (Merge("organization", "Naura Technology Group", "North Huachuang", "merge -> 0"),)
    assert curation.reject == (
        FactRule("visited", "Li Qiang", "Baidu", MARCH_13, "reject -> 0"),
        FactRule("visited", "Li Qiang", "Baidu", PartialDate(None, 3, 13), "reject -> 1"),
        FactRule("worksOn", "Baidu", "autonomous driving", None, "reject -> 2"),
    )
    assert curation.accept[0].date == PartialDate(2024, 3)
    assert curation.correct == (
        FactCorrection(FactRule("visited", "Li Qiang", "Baidu", None, "correct -> 0"), date=PartialDate(2024, 3, 14)),
        EntityCorrection("organization", "Baidu", label="Baidu, Inc.", type="company", wikidata="Q14772",
                         where="correct -> 1"),
    )


def test_curation_load_accepts_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "curation.yaml"
    path.write_text("# nothing reviewed yet\n", encoding="utf-8")
    assert load_curation(path) == Curation(str(path))


def test_curation_load_reports_every_problem_at_once(tmp_path: Path) -> None:
    path = tmp_path / "curation.yaml"
    path.write_text("""\
reject:
  - {fact: visited, subject: "Li Qiang", object: "Baidu"}
  - {fact: worksOn, subject: "Baidu", object: "large models"}
  - {fact: visits, subject: "Li Qiang", object: "Baidu"}
  - {fact: visited, subject: "Li Qiang", object: "Baidu", date: 2024-13-01}
  - {fact: worksOn, subject: "Baidu", object: "AI", date: 2024-03-13}
accept:
  - {fact: visited, subject: "Li Qiang", reviewer: "me"}
merge:
  - {kind: company, into: "Baidu", from: "Baidu"}
correct:
  - {entity: organization, name: "Baidu", set: {type: firm}}
  - {entity: official, name: "Li Qiang", set: {type: company}}
  - {fact: visited, subject: "Li Qiang", object: "Baidu"}
notes: "free text"
""", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_curation(path)
    lines = str(error.value).splitlines()
    assert lines[0] == "11 problems in the curation file:" and len(lines) == 12
    assert f"  {path}: reject -> 2 -> fact: 'visits' is not one of visited, worksOn (line 4)" in lines
    expected = [
        "reject -> 3 -> date: '2024-13-01' is not a date; write YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD (line 5)",
        "reject -> 4 -> date: only a visited fact has a date; remove it (line 6)",
        "accept -> 0 -> reviewer: unknown key; known: fact, subject, object, date (line 8)",
        "accept -> 0: missing 'object' (line 8)",
        "merge -> 0 -> kind: 'company' is not one of official, organization, technology (line 10)",
        "merge -> 0 -> from: 'Baidu' is the same name as 'into' (line 10)",
        "correct -> 0 -> set -> type: 'firm' is not one of company, research_institute, university, "
        "government_body, industrial_zone (line 12)",
        "correct -> 1 -> set -> type: unknown key; known: label, wikidata (line 13)",
        "correct -> 2: missing 'set'; give any of subject, object, date (line 14)",
        "notes: unknown section; known: merge, correct, reject, accept (line 15)",
    ]
    for line in expected:
        assert f"  {path}: {line}" in lines


def test_curation_load_names_a_yaml_syntax_error_and_its_line(tmp_path: Path) -> None:
    path = tmp_path / "curation.yaml"
    path.write_text("reject:\n  - {fact: visited, subject: [Li Qiang\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"curation.yaml: is not valid YAML at line \d+"):
        load_curation(path)


def test_curation_load_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="missing.yaml: cannot be read"):
        load_curation(tmp_path / "missing.yaml")


# ---------------------------------------------------------------- merge


def test_curation_merge_rekeys_facts_and_merges_duplicate_visits(tmp_path: Path, two_names: Resolution) -> None:
    curated, warnings = curate(tmp_path, """
merge:
  - {kind: organization, into: "NAURA", from: "North Huachuang Technology Group"}
""", two_names)
    assert warnings == []
    assert keys(curated, "organization") == ["naura", "north-huachuang-lab"]
    naura = entity(curated, "organization", "naura")
    assert naura.label == "Naura Technology Group"
    assert naura.aliases == ("NAURA", "North Huachuang Technology Group Co., Ltd.")
    assert (naura.wikidata, naura.articles) == ("Q11111", ("cctv",))   # filled from the merged entity
    assert entity(curated, "organization", "north-huachuang-lab").parent == "naura"
    [visit] = curated.visits
    assert (visit.key, visit.organization, visit.date) == ("li-qiang--naura--2024-03-13", "naura", MARCH_13)
    assert [e.article for e in visit.evidence] == ["cctv", "wire"]
    assert visit.site_details == ("workshop",)
    assert [(w.organization, w.technology, len(w.evidence)) for w in curated.works] == [
        ("naura", "etching-equipment", 1),
        ("naura", "semiconductor-equipment", 2),
        ("north-huachuang-lab", "etching-equipment", 1),
    ]
    # the input is untouched
    assert len(two_names.visits) == 2 and "north-huachuang" in keys(two_names, "organization")


def test_curation_merged_names_still_find_the_entity_in_later_rules(tmp_path: Path, two_names: Resolution) -> None:
    curated, warnings = curate(tmp_path, """
merge:
  - {kind: organization, into: naura, from: north-huachuang}
reject:
  - {fact: worksOn, subject: "North Huachuang Technology Group", object: "etching equipment"}
""", two_names)
    assert warnings == []
    assert ("naura", "etching-equipment") not in {(w.organization, w.technology) for w in curated.works}


def test_curation_merge_of_technologies_repoints_works_on(tmp_path: Path, two_names: Resolution) -> None:
    curated, warnings = curate(tmp_path, """
merge:
  - {kind: technology, into: "semiconductor equipment", from: "etching equipment"}
""", two_names)
    assert warnings == []
    assert keys(curated, "technology") == ["semiconductor-equipment"]
    assert {w.technology for w in curated.works} == {"semiconductor-equipment"}
    assert entity(curated, "technology", "semiconductor-equipment").aliases == ("etching equipment",)


# ---------------------------------------------------------------- reject


def test_curation_reject_removes_facts_and_entities_left_without_any(tmp_path: Path, resolution: Resolution) -> None:
    curated, warnings = curate(tmp_path, """
reject:
  - {fact: visited, subject: "Tomas Vale", object: "Harborlight Photonics Research Institute"}
  - {fact: worksOn, subject: "lanshan-robotics-co-ltd", object: "Machine Vision"}
""", resolution)
    assert warnings == []
    assert [v.official for v in curated.visits] == ["ada-okafor", "chen-hua"]
    assert ("lanshan-robotics-co-ltd", "machine-vision") not in {(w.organization, w.technology) for w in curated.works}
    assert "tomas-vale" not in keys(curated, "official")
    assert "machine-vision" not in keys(curated, "technology")
    # Harborlight keeps its worksOn fact, so it stays; broader concepts of kept technologies stay
    assert "harborlight-photonics-research-institute" in keys(curated, "organization")
    assert "advanced-robotics" in keys(curated, "technology")
    assert len(resolution.visits) == 3


def test_curation_reject_of_a_visit_with_a_date_leaves_other_dates(tmp_path: Path, resolution: Resolution) -> None:
    curated, warnings = curate(tmp_path, """
reject:
  - {fact: visited, subject: "Chen Hua", object: "Lanshan Robotics", date: 2025-05-06}
""", resolution)
    assert len(curated.visits) == 3
    assert warnings == [f"{tmp_path / 'curation.yaml'}: reject -> 0: no visited fact Chen Hua -> Lanshan Robotics "
                        "on 2025-05-06; rule matched nothing"]
    curated, warnings = curate(tmp_path, """
reject:
  - {fact: visited, subject: "Chen Hua", object: "Lanshan Robotics", date: 2025-05-05}
""", resolution)
    assert (warnings, len(curated.visits)) == ([], 2)


# ---------------------------------------------------------------- accept


def test_curation_accept_marks_evidence_reviewed_with_full_confidence(tmp_path: Path, resolution: Resolution) -> None:
    text = """
accept:
  - {fact: visited, subject: "Ada Okafor", object: "Brightwater Cells", date: 2024-09-11}
  - {fact: worksOn, subject: "Harborlight Photonics Research Institute", object: optoelectronics}
"""
    curated, warnings = curate(tmp_path, text, resolution)
    assert warnings == []
    visit = next(v for v in curated.visits if v.official == "ada-okafor")
    assert [(e.rule, e.confidence) for e in visit.evidence] == [("visit.visited+reviewed", 1.0)]
    works = next(w for w in curated.works if w.technology == "optoelectronics")
    assert [(e.rule, e.confidence) for e in works.evidence] == [("works.descriptor+reviewed", 1.0)]
    assert visit.key == "ada-okafor--brightwater-cells-inc--2024-09-11"
    # applied twice (a rebuild from a curated resolution), the suffix is not doubled
    again, _ = curate(tmp_path, text, curated)
    assert again == curated
    # the original evidence is unchanged
    original = next(v for v in resolution.visits if v.official == "ada-okafor")
    assert [(e.rule, e.confidence) for e in original.evidence] == [("visit.visited", 0.9)]


def test_curation_accepted_evidence_reaches_the_graph(tmp_path: Path, resolution: Resolution) -> None:
    curated, _ = curate(tmp_path, """
accept:
  - {fact: worksOn, subject: "Brightwater Cells", object: "solid-state batteries"}
""", resolution)
    graph = to_dataset(curated)
    rules = {str(o) for o in graph.objects(None, NG.rule)}
    assert "works.developer-of+reviewed" in rules and "works.developer-of" not in rules


# ---------------------------------------------------------------- correct


def test_curation_correct_visit_date_rekeys_the_visit(tmp_path: Path, resolution: Resolution) -> None:
    curated, warnings = curate(tmp_path, """
correct:
  - {fact: visited, subject: "Tomas Vale", object: "Harborlight Photonics Research Institute",
     set: {date: 2024-03-03}}
""", resolution)
    assert warnings == []
    visit = next(v for v in curated.visits if v.official == "tomas-vale")
    assert (visit.key, visit.date) == ("tomas-vale--harborlight-photonics-research-institute--2024-03-03",
                                       PartialDate(2024, 3, 3))


def test_curation_correct_visit_site_merges_with_an_existing_visit(tmp_path: Path, two_names: Resolution) -> None:
    curated, warnings = curate(tmp_path, """
correct:
  - {fact: visited, subject: li-qiang, object: "North Huachuang Technology Group", set: {object: NAURA}}
""", two_names)
    assert warnings == []
    [visit] = curated.visits
    assert visit.key == "li-qiang--naura--2024-03-13" and len(visit.evidence) == 2


def test_curation_correct_works_on_technology(tmp_path: Path, resolution: Resolution) -> None:
    curated, warnings = curate(tmp_path, """
correct:
  - {fact: worksOn, subject: "Lanshan Robotics", object: "industrial robots", set: {object: "machine vision"}}
""", resolution)
    assert warnings == []
    lanshan = [w for w in curated.works if w.organization == "lanshan-robotics-co-ltd"]
    assert [(w.technology, len(w.evidence)) for w in lanshan] == [("machine-vision", 2)]
    assert "industrial-robots" not in keys(curated, "technology")


def test_curation_correct_entity_keeps_its_key_and_old_label(tmp_path: Path, resolution: Resolution) -> None:
    curated, warnings = curate(tmp_path, """
correct:
  - {entity: organization, name: "Harborlight Photonics Research Institute",
     set: {label: "Harborlight Photonics", type: university, wikidata: Q42, parent: "Lanshan Robotics"}}
  - {entity: official, name: "Ada Okafor", set: {label: "Adaeze Okafor"}}
accept:
  - {fact: visited, subject: "Ada Okafor", object: "Brightwater Cells"}
""", resolution)
    assert warnings == []
    harborlight = entity(curated, "organization", "harborlight-photonics-research-institute")
    assert (harborlight.label, harborlight.aliases) == ("Harborlight Photonics",
                                                        ("Harborlight Photonics Research Institute",))
    assert (harborlight.org_type, harborlight.wikidata, harborlight.parent) == (
        "university", "Q42", "lanshan-robotics-co-ltd")
    assert entity(curated, "official", "ada-okafor").label == "Adaeze Okafor"
    graph = to_dataset(curated)
    node = entity_iri("organization", "harborlight-photonics-research-institute")
    assert (node, NG.parentOrganization, entity_iri("organization", "lanshan-robotics-co-ltd")) in graph
    assert (node, None, NG.University) in graph


# ---------------------------------------------------------------- warnings


def test_curation_warns_about_every_rule_that_matched_nothing(tmp_path: Path, resolution: Resolution) -> None:
    curated, warnings = curate(tmp_path, """
merge:
  - {kind: official, into: "Chen Hua", from: "Hua Chen"}
reject:
  - {fact: worksOn, subject: "Brightwater Cells", object: "machine vision"}
correct:
  - {entity: technology, name: "quantum computing", set: {label: "quantum"}}
accept:
  - {fact: visited, subject: "Brightwater Cells", object: "Ada Okafor"}
""", resolution)
    source = tmp_path / "curation.yaml"
    assert warnings == [
        f"{source}: merge -> 0: no official named 'Hua Chen'; rule skipped",
        f"{source}: correct -> 0: no technology named 'quantum computing'; rule skipped",
        f"{source}: reject -> 0: no worksOn fact Brightwater Cells -> machine vision; rule matched nothing",
        f"{source}: accept -> 0: no official named 'Brightwater Cells'; rule skipped",
        f"{source}: accept -> 0: no organization named 'Ada Okafor'; rule skipped",
    ]
    assert curated == resolution


def test_curation_warns_about_a_merge_of_one_entity_with_itself(tmp_path: Path, two_names: Resolution) -> None:
    curated, warnings = curate(tmp_path, """
merge:
  - {kind: organization, into: "Naura Technology Group", from: "NAURA"}
""", two_names)
    assert warnings == [f"{tmp_path / 'curation.yaml'}: merge -> 0: 'Naura Technology Group' and 'NAURA' "
                        "are already one organization (naura)"]
    assert curated == two_names


def test_curation_warns_about_a_name_shared_by_two_entities(tmp_path: Path, two_names: Resolution) -> None:
    shared = Resolution((), (*two_names.entities[:1],
                             Entity("organization", "amec", "AMEC", ("Beijing Equipment",)),
                             Entity("organization", "naura", "Naura", ("Beijing Equipment",))), (), ())
    curated, warnings = curate(tmp_path, """
correct:
  - {entity: organization, name: "Beijing Equipment", set: {label: "BE"}}
""", shared)
    assert warnings == [f"{tmp_path / 'curation.yaml'}: correct -> 0: 'Beijing Equipment' names several "
                        "organizations (amec, naura); use the key; rule skipped"]
    assert curated == shared


# ---------------------------------------------------------------- the shipped example


def test_curation_example_file_applies_cleanly_to_the_example_articles() -> None:
    resolution = build_resolution([REPO_ROOT / "examples" / "articles"])
    curated, warnings = apply_curation(resolution, load_curation(REPO_ROOT / "examples" / "curation.yaml"))
    assert warnings == []
    assert entity(curated, "organization", "naura").label == "NAURA Technology Group"
    assert ("lakeshore-cells-inc", "battery-cells") not in {(w.organization, w.technology) for w in curated.works}
    baidu = next(v for v in curated.visits if v.key == "li-qiang--baidu--2024-03-13")
    assert {e.confidence for e in baidu.evidence} == {1.0}
