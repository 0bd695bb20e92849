"""Graph statistics: counts and rankings over real graphs built from small articles.

``corpus`` writes four reports in which one mayor visits one firm twice and
another firm once, and a minister visits the first firm; the numbers below
are what a careful reader counts in them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.pipeline import BuildResult, build_graph
from newsgraph.stats import GraphStats, OfficialRank, OrganizationRank, TechnologyRank, format_stats, graph_stats
from newsgraph.store import load_store

ARTICLES = {
    "a1.txt": "Mayor Chen Hua visits robot makers\n\nOn 5 May 2025, Mayor Chen Hua visited Lanshan Robotics "
              "Co., Ltd. in Hefei. The mayor urged the firm to expand its research on machine vision.\n",
    "a2.txt": "Mayor Chen Hua tours a battery maker\n\nOn 7 June 2025, Mayor Chen Hua visited Brightwater Cells "
              "Inc. in Hefei. Brightwater Cells, a developer of solid-state batteries and machine vision, showed "
              "the mayor its pilot line.\n",
    "a3.txt": "Minister visits robot maker\n\nOn 9 June 2025, Minister Tomas Vale visited Lanshan Robotics Co., "
              "Ltd. in Hefei. Lanshan Robotics, a developer of machine vision, showed the minister its line.\n",
    "a4.txt": "Mayor returns to robot maker\n\nOn 1 July 2025, Mayor Chen Hua visited Lanshan Robotics Co., "
              "Ltd. again.\n",
}


@pytest.fixture(scope="module")
def corpus_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four reports above, built into a graph folder."""
    folder = tmp_path_factory.mktemp("stats")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return build_graph([folder], folder / "graph", html=False).output


@pytest.fixture(scope="module")
def corpus_stats(corpus_graph: Path) -> GraphStats:
    return graph_stats(load_store(corpus_graph))


def test_stats_counts_what_the_articles_report(corpus_stats: GraphStats) -> None:
    assert (corpus_stats.articles, corpus_stats.officials, corpus_stats.organizations) == (4, 2, 2)
    assert corpus_stats.organization_types == (("company", 2),)
    assert (corpus_stats.visits, corpus_stats.works_on, corpus_stats.technologies_worked_on) == (4, 3, 2)
    assert corpus_stats.technologies == 9   # machine vision, solid-state batteries and their broader concepts
    assert corpus_stats.evidence == 8       # 4 visit reports + 4 worksOn sentences (Lanshan's machine vision twice)


def test_stats_ranks_organizations_officials_and_technologies(corpus_stats: GraphStats) -> None:
    assert corpus_stats.most_visited == (
        OrganizationRank("Lanshan Robotics Co., Ltd.", visits=3, officials=2),
        OrganizationRank("Brightwater Cells Inc.", visits=1, officials=1),
    )
    assert corpus_stats.most_active == (
        OfficialRank("Chen Hua", visits=3, organizations=2),
        OfficialRank("Tomas Vale", visits=1, organizations=1),
    )
    assert corpus_stats.top_technologies == (
        TechnologyRank("machine vision", organizations=2),
        TechnologyRank("solid-state batteries", organizations=1),
    )


def test_stats_are_the_same_from_turtle_and_trig(corpus_graph: Path, corpus_stats: GraphStats) -> None:
    """The union default graph counts each fact once, however many article graphs hold it."""
    assert graph_stats(load_store(corpus_graph / "graph.ttl")) == corpus_stats


def test_stats_break_ties_by_label_and_keep_the_top(built_graph: BuildResult) -> None:
    stats = graph_stats(load_store(built_graph.output), top=2)
    assert stats.organization_types == (("company", 2), ("research_institute", 1))
    assert stats.most_visited == (
        OrganizationRank("Brightwater Cells Inc.", 1, 1),
        OrganizationRank("Harborlight Photonics Research Institute", 1, 1),
    )
    assert [r.label for r in stats.most_active] == ["Ada Okafor", "Chen Hua"]
    assert [r.label for r in stats.top_technologies] == ["industrial robots", "machine vision"]


def test_stats_top_zero_gives_counts_only(built_graph: BuildResult) -> None:
    stats = graph_stats(load_store(built_graph.output), top=0)
    assert stats.visits == 3
    assert stats.most_visited == stats.most_active == stats.top_technologies == ()
    assert format_stats(stats).endswith("Most common technologies\n  (none)\n")
    with pytest.raises(ValueError, match="top must be 0 or more"):
        graph_stats(load_store(built_graph.output), top=-1)


def test_stats_format_is_an_aligned_report(corpus_stats: GraphStats) -> None:
    assert format_stats(corpus_stats) == """\
Counts
  articles       4
  officials      2
  organizations  2
    company      2
  technologies   9 (2 worked on)
  visits         4
  worksOn facts  3
  evidence       8

Most visited organizations
  organization                visits  officials
  Lanshan Robotics Co., Ltd.       3          2
  Brightwater Cells Inc.           1          1

Most active officials
  official    visits  organizations
  Chen Hua         3              2
  Tomas Vale       1              1

Most common technologies
  technology             organizations
  machine vision                     2
  solid-state batteries              1
"""


def test_stats_width_counts_wide_characters_twice() -> None:
    stats = GraphStats(1, 1, 1, (("company", 1),), 0, 0, 1, 0, 1,
                       (OrganizationRank("百度", 1, 1), OrganizationRank("Baidu Inc.", 1, 1)), (), ())
    rows = format_stats(stats).split("Most visited organizations\n")[1].splitlines()[:3]
    assert rows == [
        "  organization  visits  officials",
        "  百度               1          1",
        "  Baidu Inc.         1          1",
    ]
