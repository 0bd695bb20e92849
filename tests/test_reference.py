"""Tests for newsgraph.reference: the bundled reference data and its validating loader."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from newsgraph.errors import ConfigError
from newsgraph.reference import ORGANIZATION_TYPES, Reference, load_reference

DATA = Path(__file__).parent / "data" / "reference"


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


def write(tmp_path: Path, text: str, name: str = "user.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(*paths: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_reference(paths)
    return str(info.value)


# --------------------------------------------------------------------------- bundled data


def test_reference_bundled_loads_and_is_cached(ref):
    assert len(ref.officials) >= 60
    assert len(ref.organizations) >= 150
    assert len(ref.technologies) >= 150
    assert load_reference() is ref


def test_reference_bundled_records_are_consistent(ref):
    org_keys = {o.key for o in ref.organizations}
    for org in ref.organizations:
        assert org.type in ORGANIZATION_TYPES
        assert org.parent is None or org.parent in org_keys
    for tech in ref.technologies:
        first = tech.label.split()[0]
        assert not tech.label[0].isupper() or sum(c.isupper() for c in first) >= 2, tech.label
        ref.broader_closure(tech.key)  # no cycle, every key known
    for official in ref.officials:
        for position in official.positions:
            assert position.start is None or position.end is None or position.start < position.end


def test_reference_lookup_by_key(ref):
    assert ref.official("li-qiang").name == "Li Qiang"
    assert ref.organization("baidu").wikidata == "Q14772"
    assert ref.technology("large-models").label == "large models"
    with pytest.raises(KeyError, match="no organization with key 'nope'"):
        ref.organization("nope")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("North Huachuang", "naura"),
        ("North Huachuang Technology Group Co., Ltd.", "naura"),
        ("NAURA", "naura"),
        ("Beacon Fire", "fiberhome"),
        ("Beacon Fire Science and Technology Group Limited Company", "fiberhome"),
        ("Beijing Zhiyuan Artificial Intelligence Research Institute", "baai"),
        ("Zhiyuan Research Institute", "baai"),
        ("BAAI", "baai"),
        ("Ningde Times", "catl"),
        ("Contemporary Amperex Technology Co., Limited (CATL)", "catl"),
        ("Big Xinjiang", "dji"),
        ("Jingdongfang", "boe"),
        ("Jingdong", "jd-com"),
        ("Chongqing Jingdongfang Optoelectronic Science and Technology Limited Company", "chongqing-boe"),
        ("Wuhan New Core", "xmc"),
        ("XMC", "xmc"),
        ("Golden Force Permanent Magnet", "jl-mag"),
        ("Jinli Permanent Magnet", "jl-mag"),
        ("Shaanxi Steam", "shaanxi-automobile"),
        ("Xi'an Traffic University", "xian-jiaotong-university"),
        ("Zhongxin International", "smic"),
        ("Yangtze River Storage", "ymtc"),
        ("Keda Xunfei", "iflytek"),
        ("Qinghua University", "tsinghua-university"),
        ("China University of Science and Technology", "ustc"),
        ("Samsung", "samsung-electronics"),
        ("the Boeing Company", "boeing"),
        ("Tesla Inc.", "tesla"),
        ("Baidu Company", "baidu"),
    ],
)
def test_reference_organization_by_alias(ref, name, key):
    found = ref.organization_by_alias(name)
    assert found is not None and found.key == key


@pytest.mark.parametrize("name", ["Zhiyuan Community", "Zhiyuan", "the company", "Optics"])
def test_reference_organization_by_alias_false_friends(ref, name):
    assert ref.organization_by_alias(name) is None


def test_reference_subsidiary_has_parent(ref):
    assert ref.organization("chongqing-boe").parent == "boe"
    assert ref.organization("hglaser").parent == "hgtech"


def test_reference_official_by_alias(ref):
    assert ref.official_by_alias("Li Keqiang").key == "li-keqiang"
    assert ref.official_by_alias("Yoon Suk Yeol").key == "yoon-suk-yeol"
    assert ref.official_by_alias("Joseph R. Biden Jr.").wikidata == "Q6279"
    assert ref.official_by_alias("Li") is None


@pytest.mark.parametrize(
    ("title", "on", "country", "expected"),
    [
        ("Premier", date(2019, 5, 1), None, ["Li Keqiang"]),
        ("Premier", date(2024, 3, 13), None, ["Li Qiang"]),
        ("Premier", date(2010, 1, 1), "CN", ["Wen Jiabao"]),
        ("premier", date(2023, 3, 11), "CN", ["Li Qiang"]),  # the handover day belongs to the successor
        ("Premier of the State Council", date(2016, 1, 4), "CN", ["Li Keqiang"]),
        ("General Secretary", date(2018, 4, 26), "CN", ["Xi Jinping"]),
        ("President", date(2012, 6, 1), "CN", ["Hu Jintao"]),
        ("President", date(2022, 5, 20), "KR", ["Yoon Suk-yeol"]),
        ("President", date(2019, 10, 14), "US", ["Donald Trump"]),
        ("Chancellor", date(2022, 3, 22), "DE", ["Olaf Scholz"]),
        ("Prime Minister", date(2018, 7, 9), "IN", ["Narendra Modi"]),
    ],
)
def test_reference_officials_holding(ref, title, on, country, expected):
    assert [o.name for o in ref.officials_holding(title, on, country=country)] == expected


def test_reference_officials_holding_vice_premiers(ref):
    names = {o.name for o in ref.officials_holding("Vice Premier", date(2019, 5, 20))}
    assert names == {"Han Zheng", "Liu He", "Sun Chunlan", "Hu Chunhua"}


def test_reference_officials_holding_any_time_most_recent_first(ref):
    names = [o.name for o in ref.officials_holding("Premier", None, country="CN")]
    assert names[:3] == ["Li Qiang", "Li Keqiang", "Wen Jiabao"]


def test_reference_broader_closure(ref):
    assert ref.broader_closure("memory-chips")[:2] == ("integrated-circuits", "semiconductors")
    assert "new-energy-vehicles" in ref.broader_closure("electric-vehicles")
    assert "artificial-intelligence" in ref.broader_closure("large-models")
    assert ref.broader_closure("advanced-materials-and-manufacturing") == ()
    assert "integrated-circuits" in ref.narrower("semiconductors")


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("storage chip", "memory-chips"),
        ("large model", "large-models"),
        ("self-driving", "autonomous-driving"),
        ("NdFeB magnets", "rare-earth-permanent-magnets"),
        ("laser radar", "lidar"),
        ("UAV", "drones"),
        ("integrated circuit equipment", "semiconductor-equipment"),
        ("electric cars", "electric-vehicles"),
        ("power battery", "power-batteries"),
        ("sodium-ion battery", "sodium-ion-batteries"),
        ("quantum random number generator", "quantum-random-number-generators"),
    ],
)
def test_reference_technology_by_label(ref, label, key):
    assert ref.technology_by_label(label).key == key


# --------------------------------------------------------------------------- user files


def test_reference_extra_file_overrides_and_extends(ref):
    merged = load_reference([DATA / "extra.yaml"])
    baidu = merged.organization("baidu")
    assert baidu.aliases == ("Baidu Company", "Baidu Apollo Park")
    assert baidu.wikidata == "Q14772" and baidu.type == "company"  # kept from the bundled entry
    assert merged.organization_by_alias("Baidu Apollo Park").key == "baidu"
    assert merged.organization_by_alias("Qingyun Photonics").key == "qingyun-photonics-co-ltd"
    assert [o.name for o in merged.officials_holding("Vice Governor", date(2021, 4, 15))] == ["Shen Lirong"]
    assert merged.broader_closure("micro-ring-modulators")[0] == "silicon-photonics"
    assert merged.technology("co-packaged-optics").broader == ("optical-transceiver-modules", "silicon-photonics")
    assert len(merged.organizations) == len(ref.organizations) + 1
    # the cached bundled data is untouched
    assert load_reference().organization("baidu").aliases != baidu.aliases


def test_reference_extra_file_empty_is_fine(tmp_path, ref):
    merged = load_reference([write(tmp_path, "# nothing yet\n")])
    assert merged.organizations == ref.organizations


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            """
            organizations:
              - {name: Foo Robotics, type: firm}
            """,
            "user.yaml: organizations -> 0 -> type: 'firm' is not one of company, research_institute, "
            "university, government_body, industrial_zone",
        ),
        (
            """
            organizations:
              - {name: Foo Robotics, type: company, ceo: Someone}
            """,
            "user.yaml: organizations -> 0 -> ceo: unknown key 'ceo'; known keys: key, name, name_zh, aliases, "
            "type, city, country, parent, wikidata",
        ),
        (
            """
            organizations:
              - {name: Foo Robotics, type: company, aliases: Foo}
            """,
            "user.yaml: organizations -> 0 -> aliases: 'Foo' is a string, expected a list of strings",
        ),
        (
            """
            organizations:
              - {name: 42, type: company}
            """,
            "user.yaml: organizations -> 0 -> name: 42 is a number, expected a string; quote it",
        ),
        (
            """
            officials:
              - name: Foo Bar
                positions:
                  - {title: Mayor, start: 2019-13-01}
            """,
            "user.yaml: officials -> 0 -> positions -> 0 -> start: '2019-13-01' is not a date; write YYYY-MM-DD",
        ),
        (
            """
            officials:
              - name: Foo Bar
                positions:
                  - {title: Mayor, start: 2020-01-01, end: 2019-01-01}
            """,
            "user.yaml: officials -> 0 -> positions -> 0 -> end: '2019-01-01' is before start '2020-01-01'",
        ),
        (
            """
            officials:
              - name: Foo Bar
                positions:
                  - {short_titles: [Mayor]}
            """,
            "user.yaml: officials -> 0 -> positions -> 0: has no title",
        ),
        (
            """
            officials:
              - {name: Foo Bar, wikidata: Foo}
            """,
            "user.yaml: officials -> 0 -> wikidata: 'Foo' is not a Wikidata item id such as Q42",
        ),
        (
            """
            organizations:
              - {name: Foo Robotics, type: company, country: China}
            """,
            "user.yaml: organizations -> 0 -> country: 'China' is not an ISO 3166 alpha-2 country code",
        ),
        (
            """
            organizations:
              - {name: Foo Robotics, type: company, parent: bo}
            """,
            "user.yaml: organizations -> 0 -> parent: 'bo' is not the key of any organization",
        ),
        (
            """
            technologies:
              - {label: foo chips, broader: [semiconductor]}
            """,
            "user.yaml: technologies -> 0 -> broader -> 0: 'semiconductor' is not the key of any technology; "
            "did you mean semiconductors",
        ),
        (
            """
            organizations:
              - {name: Foo Robotics, type: company}
              - {name: Foo Robotics, type: university}
            """,
            "user.yaml: organizations -> 1: duplicate key 'foo-robotics' (first at organizations -> 0)",
        ),
        (
            """
            organizations:
              - {name: Foo Robotics, type: company, aliases: [North Huachuang]}
            """,
            "user.yaml: organizations -> 0 -> aliases -> 0: 'North Huachuang' also names 'naura' "
            "(organizations.yaml: organizations -> ",
        ),
        (
            """
            technologies:
              - {label: foo, broader: [bar]}
              - {label: bar, broader: [baz]}
              - {label: baz, broader: [foo]}
            """,
            "user.yaml: technologies -> 2 -> broader: cycle: baz -> foo -> bar -> baz",
        ),
        (
            """
            technologies:
              - {key: semiconductors, broader: [memory-chips]}
            """,
            "user.yaml: technologies -> 0 -> broader: cycle: semiconductors -> memory-chips -> "
            "integrated-circuits -> semiconductors",
        ),
        (
            """
            organizations:
              - {name: Foo Robotics, type: company, wikidata: Q14772}
            """,
            "user.yaml: organizations -> 0 -> wikidata: 'Q14772' is also the item of 'baidu' (organizations.yaml: ",
        ),
        (
            """
            people:
              - {name: Foo Bar}
            """,
            "user.yaml: people: unknown top-level key; known: officials, organizations, technologies",
        ),
        (
            """
            organizations:
              - {key: Foo Robotics, name: Foo Robotics, type: company}
            """,
            "user.yaml: organizations -> 0 -> key: 'Foo Robotics' is not a slug; write 'foo-robotics'",
        ),
        (
            """
            organizations:
              - {key: foo-robotics, city: Foo}
            """,
            "user.yaml: organizations -> 0: key 'foo-robotics' matches no known entry, so it needs a name",
        ),
        (
            """
            organizations:
              - {name: Foo Robotics}
            """,
            "user.yaml: organizations -> 0: has no type; give one of company, research_institute",
        ),
        (
            """
            organizations: [Foo Robotics]
            """,
            "user.yaml: organizations -> 0: 'Foo Robotics' is a string, expected a mapping",
        ),
        (
            """
            organizations:
              - {name: Foo Robotics, type: company
            """,
            "user.yaml: is not valid YAML at line",
        ),
    ],
)
def test_reference_validation_errors(tmp_path, text, message):
    assert message in problems_of(write(tmp_path, text))


def test_reference_validation_reports_all_problems_at_once(tmp_path):
    first = write(tmp_path, """
        organizations:
          - {name: Foo Robotics, type: firm}
          - {name: Bar Lasers, type: company, parent: nowhere, founded: 1999}
        technologies:
          - {label: foo, broader: [foo-bar]}
        """, "first.yaml")
    second = write(tmp_path, """
        officials:
          - name: Foo Bar
            positions: [{title: Mayor, start: yesterday}]
        """, "second.yaml")
    message = problems_of(first, second)
    lines = message.splitlines()
    assert lines[0] == "5 problems in the reference data:"
    assert any(line.strip().startswith("first.yaml: organizations -> 0 -> type: 'firm'") for line in lines)
    assert any("first.yaml: organizations -> 1 -> founded: unknown key" in line for line in lines)
    assert any("first.yaml: organizations -> 1 -> parent: 'nowhere'" in line for line in lines)
    assert any("first.yaml: technologies -> 0 -> broader -> 0: 'foo-bar'" in line for line in lines)
    assert any("second.yaml: officials -> 0 -> positions -> 0 -> start: 'yesterday'" in line for line in lines)


def test_reference_alias_conflict_between_user_entries(tmp_path):
    message = problems_of(write(tmp_path, """
        organizations:
          - {name: Foo Robotics, type: company, aliases: [Foo]}
          - {name: Foo Lasers, type: company, aliases: ["FOO"]}
        """))
    assert "user.yaml: organizations -> 1 -> aliases -> 0: 'FOO' also names 'foo-robotics' (user.yaml: organizations -> 0)" in message


def test_reference_same_alias_allowed_across_kinds(tmp_path):
    merged = load_reference([write(tmp_path, """
        organizations:
          - {name: Foo Robotics, type: company, aliases: [Foo]}
        technologies:
          - {label: foo, broader: [advanced-robotics]}
        """)])
    assert merged.organization_by_alias("foo").key == "foo-robotics"
    assert merged.technology_by_label("foo").key == "foo"


def test_reference_unreadable_file(tmp_path):
    assert "missing.yaml: cannot be read" in problems_of(tmp_path / "missing.yaml")


def test_reference_position_on(ref):
    li = ref.official("li-qiang")
    assert li.position_on(date(2020, 1, 1)).title == "Secretary of the CPC Shanghai Municipal Committee"
    assert li.position_on(date(2024, 3, 13)).title == "Premier of the State Council"
    assert li.position_on(date(2000, 1, 1)) is None
    assert li.position_on().title == "Premier of the State Council"
    assert ref.official("li-keqiang").position_on().title == "Premier of the State Council"


def test_reference_override_by_name_only_suggests_the_key(tmp_path):
    message = problems_of(write(tmp_path, """
        organizations:
          - {name: Naura Technology Group, type: company, aliases: [NAURA Beijing]}
        """))
    assert "'Naura Technology Group' also names 'naura'" in message
    assert "give its key: `key: naura`" in message


def test_reference_lookup_by_chinese_name(ref):
    assert ref.official_by_alias("李强").key == "li-qiang"
    assert ref.organization_by_alias("北方华创科技集团股份有限公司").key == "naura"
    assert ref.organization_by_alias("京东").key == "jd-com"
    assert ref.organization_by_alias("不存在") is None
    assert ref.organization_by_alias("") is None


def test_reference_problems_give_the_line(tmp_path):
    message = problems_of(write(tmp_path, """\
        organizations:
          - name: Foo Robotics
            type: company
          - name: Bar Lasers
            type: firm
        """))
    assert "user.yaml: organizations -> 1 -> type: 'firm' is not one of" in message
    assert message.rstrip().endswith("(line 5)")


def test_reference_extra_file_named_like_a_bundled_one_is_named_by_path(tmp_path):
    path = write(tmp_path, """
        organizations:
          - {name: Foo Robotics, type: firm}
        """, "organizations.yaml")
    assert f"{path}: organizations -> 0 -> type: 'firm'" in problems_of(path)
