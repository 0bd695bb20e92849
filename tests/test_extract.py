"""Extraction, pattern by pattern, on tiny articles written for these tests (fictional people and firms)."""

from __future__ import annotations

import datetime as dt

import pytest

from newsgraph.extract import extract, load_rules
from newsgraph.extract.dates import find_anchor, find_dates, resolve
from newsgraph.extract.sentences import split_sentences
from newsgraph.model import Article, PartialDate
from newsgraph.reference import load_reference


def article(text: str, published: dt.date | None = dt.date(2021, 5, 6)) -> Article:
    return Article(key="t", path="t.md", text=text, content_hash="sha256:" + "0" * 64, published=published)


def visits(text: str, published: dt.date | None = dt.date(2021, 5, 6)) -> set[tuple[str, str, str | None]]:
    result = extract(article(text, published))
    return {(r.subject.name, r.object.name, str(r.date) if r.date else None)
            for r in result.relations if r.predicate == "visited"}


def works(text: str) -> set[tuple[str, str]]:
    result = extract(article(text))
    return {(r.subject.name, r.object.name) for r in result.relations if r.predicate == "worksOn"}


# ------------------------------------------------------------------ sentences

def test_extract_sentences_keep_abbreviations_inside():
    text = "Mayor Chen visited Lanshan Robotics Co., Ltd. in May. He met U.S. officials there.\n\nA new paragraph."
    sentences = split_sentences(text, load_rules().abbreviations)
    assert [s.text for s in sentences] == [
        "Mayor Chen visited Lanshan Robotics Co., Ltd. in May.", "He met U.S. officials there.", "A new paragraph."]
    assert all(text[s.start:s.end] == s.text for s in sentences)


# ------------------------------------------------------------------ visits: positive patterns

def test_extract_visit_title_and_weekday_relative_to_publication():
    # 2021-05-06 was a Thursday, so "on Tuesday" is 2021-05-04.
    assert visits("Taizhou Mayor Chen Hua visited Lanshan Robotics Co., Ltd. on Tuesday.") == {
        ("Chen Hua", "Lanshan Robotics Co., Ltd.", "2021-05-04")}


def test_extract_visit_list_of_several_firms():
    found = visits("Vice Minister Zhang Lei toured Huaxing Semiconductor, Qinghe Battery Technology "
                   "and Beifeng Drone Systems on Monday.")
    assert {org for _, org, _ in found} == {"Huaxing Semiconductor", "Qinghe Battery Technology", "Beifeng Drone Systems"}
    assert {official for official, _, _ in found} == {"Zhang Lei"}


def test_extract_visit_fronted_site():
    found = visits("Governor Wu Fang arrived in Donghai on Monday. At Donghai Optics Co., Ltd., Wu listened "
                   "to a briefing on the company's laser research.")
    assert ("Wu Fang", "Donghai Optics Co., Ltd.", "2021-05-03") in found


def test_extract_visit_told_from_the_hosts_side():
    found = visits("Jinlun Robotics, a maker of welding robots, hosted Mayor Peter Hallam on Monday.")
    assert found == {("Peter Hallam", "Jinlun Robotics", "2021-05-03")}


def test_extract_visit_in_the_passive_voice():
    found = visits("Ruixin Photonics Co., Ltd., a developer of optical chips, was visited on Friday by Lin Yue, "
                   "vice governor of Anhui Province, who praised its engineers.")
    assert found == {("Lin Yue", "Ruixin Photonics Co., Ltd.", "2021-04-30")}


def test_extract_visit_companions_join_the_visit():
    found = visits("Prime Minister Alan Reeve toured Norvale Motors on Wednesday. "
                   "He was accompanied by Trade Minister Sarah Coleman and Governor Tom Mayhew.")
    assert {official for official, _, _ in found} == {"Alan Reeve", "Sarah Coleman", "Tom Mayhew"}
    assert {org for _, org, _ in found} == {"Norvale Motors"}


def test_extract_visit_groundbreaking_and_possessive_site():
    found = visits("Governor Ann Parkes attended the groundbreaking of Redwood Cells Inc.'s first battery plant on Friday.")
    assert {(o, org) for o, org, _ in found} == {("Ann Parkes", "Redwood Cells Inc.")}


def test_extract_visit_surname_refers_back():
    found = visits("Li Hong, mayor of Taizhou, spent Monday touring factories. "
                   "Li then went to Yunfeng Technology Group, where she saw a new assembly line.")
    assert ("Li Hong", "Yunfeng Technology Group", "2021-05-03") in found


def test_extract_visit_site_of_organization_resolves_to_owner():
    found = visits("Premier Gao Jun visited the Yantai production base of Haiqing Chemical Group on Monday.")
    assert {org for _, org, _ in found} == {"Haiqing Chemical Group"}


# ------------------------------------------------------------------ visits: what is not a visit

@pytest.mark.parametrize("text", [
    "Premier Wang Tao met the chief executive of Lanshan Robotics in Beijing on Monday.",
    "Mayor Chen Hua will visit Lanshan Robotics Co., Ltd. next week.",
    "Mayor Chen Hua is expected to tour Lanshan Robotics Co., Ltd. when production starts.",
    "Chief executive Tom Grayling toured Lanshan Robotics Co., Ltd. on Monday.",
    "Mayor Chen Hua visited Jiangbei District and the Binjiang Port on Monday.",
    "Mayor Chen Hua praised Lanshan Robotics Co., Ltd. in a speech at the city convention center.",
])
def test_extract_no_visit(text):
    assert visits(text) == set()


def test_extract_future_visit_is_rejected_with_a_reason():
    result = extract(article("Mayor Chen Hua will visit Lanshan Robotics Co., Ltd. next week."))
    assert not [r for r in result.relations if r.predicate == "visited"]
    assert any("planned, future or denied" in r.reason for r in result.rejections)


def test_extract_bodies_in_a_title_are_not_visit_sites():
    found = visits("Xu Ming, Party chief of the Donghu High-tech Industrial Development Zone, visited "
                   "Kaiyuan Semiconductor Co., Ltd. on Monday.")
    assert found == {("Xu Ming", "Kaiyuan Semiconductor Co., Ltd.", "2021-05-03")}


def test_extract_government_body_is_no_visit_site():
    result = extract(article("Mayor Chen Hua visited the Ministry of Commerce on Monday."))
    assert not [r for r in result.relations if r.predicate == "visited"]
    assert any("government body" in r.reason for r in result.rejections)


# ------------------------------------------------------------------ dates

def test_extract_dates_dateline_and_weekday():
    text = "TAIZHOU, March 13 -- Mayor Chen Hua on Tuesday visited Lanshan Robotics Co., Ltd."
    # The dateline gives the day of writing; 2024-03-13 was a Wednesday.
    assert visits(text, dt.date(2024, 3, 14)) == {("Chen Hua", "Lanshan Robotics Co., Ltd.", "2024-03-12")}


def test_extract_dates_partial_when_the_year_is_unknown():
    found = visits("On March 13th, Mayor Chen Hua visited Lanshan Robotics Co., Ltd.", published=None)
    assert found == {("Chen Hua", "Lanshan Robotics Co., Ltd.", "--03-13")}


def test_extract_dates_weekday_without_anchor_gives_no_date():
    assert visits("Mayor Chen Hua visited Lanshan Robotics Co., Ltd. on Tuesday.", published=None) == {
        ("Chen Hua", "Lanshan Robotics Co., Ltd.", None)}


def test_extract_dates_day_of_the_month_takes_the_anchor_month():
    text = "NINGBO, June 23 -- On the 22nd, Governor Wu Fang visited Donghai Optics Co., Ltd."
    assert visits(text, dt.date(2022, 6, 23)) == {("Wu Fang", "Donghai Optics Co., Ltd.", "2022-06-22")}


def test_extract_dates_relative_clue_fixes_the_story_day():
    text = ("Governor Wu Fang toured Donghai Optics Co., Ltd. on Friday. She was greeted by the new mayor, "
            "who took office in January 2022, some four months ago, and was sworn in ten days earlier, on May 10.")
    anchor = find_anchor(article(text, None), find_dates(text))
    assert anchor.date == dt.date(2022, 5, 20)


def test_extract_dates_resolve_keeps_a_partial_date():
    text = "On the 4th"
    anchor = find_anchor(article("CITY, January 5th electricity -- " + text, None),
                         find_dates("CITY, January 5th electricity -- " + text))
    expr = [d for d in find_dates(text) if d.kind == "ordinal-day"][0]
    assert resolve(expr, anchor) == PartialDate(None, 1, 4)


# ------------------------------------------------------------------ worksOn

def test_extract_works_on_appositive_maker_of():
    assert works("Jinlun Robotics, a maker of industrial robots, hosted Mayor Peter Hallam on Monday.") == {
        ("Jinlun Robotics", "industrial robots")}


def test_extract_works_on_which_makes_with_two_technologies():
    found = works("Mayor Chen Hua dropped in on Huayang Servo Technology, which makes servo motors and harmonic reducers.")
    assert found == {("Huayang Servo Technology", "servo motors"), ("Huayang Servo Technology", "harmonic reducers")}


def test_extract_works_on_the_companys_research_normalised_to_the_vocabulary():
    found = works("At Donghai Optics Co., Ltd., Governor Wu Fang listened to the introduction of the company's "
                  "large model products and its integrated circuit equipment research.")
    assert ("Donghai Optics Co., Ltd.", "large models") in found


def test_extract_works_on_description_refers_back():
    found = works("Vice Minister Zhang Lei toured Beifeng Aviation Systems on Monday. The drone maker "
                  "showed him its heavy-lift models.")
    assert found == {("Beifeng Aviation Systems", "drones")}


def test_extract_works_on_new_technology_outside_the_vocabulary():
    found = works("Kaiyuan Semiconductor Co., Ltd., a developer of ferroelectric memory cells, opened a lab.")
    assert found == {("Kaiyuan Semiconductor Co., Ltd.", "ferroelectric memory cells")}


@pytest.mark.parametrize("text", [
    "Kaiyuan Semiconductor Co., Ltd. said technology would drive a modern industrial system.",
    "Mayor Chen Hua urged Kaiyuan Semiconductor Co., Ltd. to master key core technologies.",
])
def test_extract_works_on_generic_phrases_are_not_technologies(text):
    assert works(text) == set()


# ------------------------------------------------------------------ evidence and errors

def test_extract_every_fact_has_its_sentence_and_offsets():
    text = "Taizhou Mayor Chen Hua visited Lanshan Robotics Co., Ltd. on Tuesday. It makes welding robots."
    result = extract(article(text))
    assert result.relations
    for r in result.relations:
        assert text[r.evidence.start:r.evidence.end] == r.evidence.sentence
        assert r.evidence.rule and 0 < r.evidence.confidence <= 1


def test_extract_reference_names_and_literal_translations_are_found():
    result = extract(article("Premier Gao Jun came to North Huachuang Technology Group Co., Ltd. on Monday."))
    ref = load_reference()
    orgs = {ref.organization_by_alias(m.name).key for m in result.mentions
            if m.label == "organization" and ref.organization_by_alias(m.name)}
    assert orgs == {"naura"}


def test_extract_a_named_firm_after_the_is_not_a_reference_back():
    found = visits("Premier Gao Jun visited Kaiyuan Semiconductor Co., Ltd. on Monday. He then inspected "
                   "the Huanan Sanhe Group, which produces ceramic components.")
    assert {org for _, org, _ in found} == {"Kaiyuan Semiconductor Co., Ltd.", "Huanan Sanhe Group"}


def test_extract_dates_an_unplaceable_weekday_does_not_take_the_datelines_day():
    text = ("WUHAN, Aug. 20 -- Premier Gao Jun made an inspection tour from Wednesday to Thursday.\n\n"
            "Gao visited Kaiyuan Semiconductor Co., Ltd. on Wednesday.")
    assert visits(text, published=None) == {("Gao Jun", "Kaiyuan Semiconductor Co., Ltd.", None)}


def test_extract_companions_of_the_whole_tour_told_before_the_visits():
    found = visits("Mayor Chen Hua visited Taizhou on Monday. Vice Mayor Wang Bin and Party Secretary Liu Fang accompanied Chen on the tour. "
                   "Chen visited Lanshan Robotics Co., Ltd., a maker of welding robots, and the Donghu Science Park.")
    assert {(o, org) for o, org, _ in found} == {
        (o, org) for o in ("Chen Hua", "Wang Bin", "Liu Fang")
        for org in ("Lanshan Robotics Co., Ltd.", "Donghu Science Park")}


def test_extract_officials_also_present_join_the_visit():
    found = visits("Chancellor Anna Berger opened a new chip factory of Kestrel Semiconductor on Tuesday. "
                   "State premier Jonas Weber also attended the ceremony.")
    assert {o for o, _, _ in found} == {"Anna Berger", "Jonas Weber"}


def test_extract_the_premier_is_not_the_vice_premier():
    result = extract(article("Premier Gao Jun met business leaders on Monday. Vice Premier Lin Tao spoke after him. "
                             "The premier will visit Kaiyuan Semiconductor Co., Ltd. next month."))
    assert [r.what.split(" visit")[0] for r in result.rejections if "planned" in r.reason] == ["Gao Jun"]


def test_extract_site_of_an_organization_is_kept_as_detail():
    result = extract(article("Premier Gao Jun visited the Yantai production base of Haiqing Chemical Group on Monday."))
    [visit] = [r for r in result.relations if r.predicate == "visited"]
    assert (visit.object.name, visit.object.detail) == ("Haiqing Chemical Group", "Yantai production base")


def test_extract_a_known_name_takes_the_rest_of_its_name():
    # "Tengxun" (Tencent) is a known literal translation; the article writes it out in full.
    found = visits("On the 1st, Vice Premier Gao Jun successively came to Tengxun Science and Technology Company, "
                   "Kaiyuan Semiconductor Co., Ltd. and the Shenzhen Bay laboratory.", dt.date(2023, 11, 2))
    assert {org for _, org, _ in found} == {"Tengxun Science and Technology Company", "Kaiyuan Semiconductor Co., Ltd."}


def test_extract_dates_yesterday_counts_from_the_dateline():
    text = "TAIZHOU, March 13 -- Mayor Chen Hua visited Lanshan Robotics Co., Ltd. yesterday."
    assert visits(text, dt.date(2024, 3, 14)) == {("Chen Hua", "Lanshan Robotics Co., Ltd.", "2024-03-12")}


def test_extract_a_visit_last_year_does_not_take_todays_date():
    found = visits("Taizhou Mayor Chen Hua visited Lanshan Robotics Co., Ltd. on Tuesday. Vice Minister Zhang Lei, "
                   "who toured Kaiyuan Semiconductor Co., Ltd. last year, joined him.")
    assert ("Zhang Lei", "Kaiyuan Semiconductor Co., Ltd.", None) in found


def test_extract_fronted_phrase_must_name_the_site():
    assert visits("At a forum attended by executives of Lanshan Robotics Co., Ltd., Mayor Chen Hua praised "
                  "private firms.") == set()


def test_extract_accompanying_officials_closing_a_tour_report_join_every_stop():
    found = visits("Premier Gao Jun visited Kaiyuan Semiconductor Co., Ltd. on Monday. He then went to Lanshan "
                   "Robotics Co., Ltd. Accompanying were Vice Premier Lin Tao and Minister Zhou Ping.")
    assert {(o, org) for o, org, _ in found} == {
        (o, org) for o in ("Gao Jun", "Lin Tao", "Zhou Ping")
        for org in ("Kaiyuan Semiconductor Co., Ltd.", "Lanshan Robotics Co., Ltd.")}


def test_extract_works_on_a_specific_phrase_beats_a_bare_vocabulary_head():
    found = works("Premier Gao Jun visited Kaiyuan Semiconductor Co., Ltd. on Monday and was briefed on the "
                  "company's production of analog chips.")
    assert found == {("Kaiyuan Semiconductor Co., Ltd.", "analog chips")}


def test_extract_a_city_is_no_short_name_of_a_firm_named_after_it():
    result = extract(article("Premier Gao Jun came to Xi'an City on Monday. He visited Xi'an Lanshan Robotics "
                             "Co., Ltd. and praised the workers of Xi'an."))
    org_surfaces = {m.text for m in result.mentions if m.label == "organization"}
    assert "Xi'an" not in org_surfaces


def test_extract_a_known_city_is_no_short_name_even_unannounced():
    result = extract(article("Premier Gao Jun visited Beijing Hongtu Robotics Co., Ltd. on Monday. "
                             "Beijing wants more factories like it."))
    assert "Beijing" not in {m.text for m in result.mentions if m.label == "organization"}


def test_extract_an_institute_of_a_known_university_is_the_institute():
    found = visits("At the Institute of Molecular Plus of Tianjin University, Premier Gao Jun learned about "
                   "research on synthetic biology on Monday.")
    assert {org for _, org, _ in found} == {"Institute of Molecular Plus of Tianjin University"}


def test_extract_and_inside_one_name_without_a_second_name():
    found = visits("Premier Gao Jun visited Huabei Automotive Technology and Research Center Co., Ltd. on Monday.")
    assert {org for _, org, _ in found} == {"Huabei Automotive Technology and Research Center Co., Ltd."}


def test_extract_stops_included_and_possessive_sites_in_a_list():
    found = visits("Premier Gao Jun spent Monday in the south. His stops included Kaiyuan Semiconductor's research "
                   "campus in Dongguan and Lanshan Robotics' headquarters in Shenzhen.")
    assert {org for _, org, _ in found} == {"Kaiyuan Semiconductor", "Lanshan Robotics"}


def test_extract_an_officials_visit_to_names_the_site():
    found = visits("Premier Gao Jun's visit to Kaiyuan Semiconductor Co., Ltd. came a week after its launch. "
                   "A planned visit to Lanshan Robotics Co., Ltd. was cancelled.")
    assert {org for _, org, _ in found} == {"Kaiyuan Semiconductor Co., Ltd."}


def test_extract_the_pronoun_he_is_not_the_surname_he():
    found = visits("Vice Premier He Lin met reporters on Monday. Premier Gao Jun spoke next. He also toured "
                   "Lanshan Robotics Co., Ltd.")
    assert {o for o, _, _ in found} == {"Gao Jun"}


def test_extract_a_sentence_with_its_own_subject_does_not_borrow_the_last_official():
    assert visits("Mayor Chen Hua spoke by video link to workers in Taizhou on Monday. Officials from the "
                  "Ministry of Commerce toured Lanshan Robotics Co., Ltd. on Tuesday.") == set()


def test_extract_a_translated_sentence_without_subject_goes_on_with_the_official():
    found = visits("On May 20, Vice Premier Gao Jun came to Kaiyuan Semiconductor Co., Ltd. "
                   "Subsequently, came to Lanshan Robotics Co., Ltd.", dt.date(2021, 5, 21))
    assert {org for _, org, _ in found} == {"Kaiyuan Semiconductor Co., Ltd.", "Lanshan Robotics Co., Ltd."}


def test_extract_a_plant_operated_by_a_firm_is_a_visit_to_the_firm():
    found = visits("Governor Wu Fang on Monday inspected a battery plant operated by Qinghe Battery Technology.")
    assert {org for _, org, _ in found} == {"Qinghe Battery Technology"}


def test_extract_works_on_a_product_named_before_which_the_firm_makes():
    found = works("Ruixin Photonics Co., Ltd. showed the governor its lab. Optical transceiver modules, which the "
                  "firm began shipping last year, were on display.")
    assert found == {("Ruixin Photonics Co., Ltd.", "optical transceiver modules")}


def test_extract_works_on_made_by_in_the_passive():
    found = works("Gallium nitride wafers have been supplied to the plant since 2020 by Kaiyuan Semiconductor Co., Ltd., "
                  "a firm in Wuxi.")
    assert {org for org, _ in found} == {"Kaiyuan Semiconductor Co., Ltd."} and len(found) == 1


def test_extract_a_secretary_of_a_portfolio_is_an_official():
    found = visits("Secretary of Energy Jennifer Grant toured Kestrel Semiconductor on Friday.")
    assert {o for o, _, _ in found} == {"Jennifer Grant"}


def test_extract_abbreviated_titles_and_companions_who_joined_her():
    found = visits("Governor Ann Parkes toured Kestrel Semiconductor on Thursday. Rep. Ro Kalan and Sen. Mia Cort "
                   "joined her.")
    assert {o for o, _, _ in found} == {"Ann Parkes", "Ro Kalan", "Mia Cort"}


def test_extract_the_first_and_the_last_stop_of_a_listed_tour():
    found = works("Vice Minister Zhang Lei toured Huaxing Semiconductor, Qinghe Battery Technology and Beifeng "
                  "Drone Systems on Monday. At the first stop, a maker of gallium nitride power chips, he saw a new "
                  "line. The last stop, a maker of logistics drones, showed him a test flight.")
    assert ("Huaxing Semiconductor", "gallium nitride power chips") in found
    assert ("Beifeng Drone Systems", "logistics drones") in found


@pytest.mark.parametrize("elsewhere", ["", " He later flew to İzmir.", " Kılıç Group was not on the tour."])
def test_extract_titles_are_found_whatever_letters_the_article_holds(elsewhere: str):
    """Titles are matched on a case-folded copy of the text that keeps every offset, also when the
    article holds letters whose lower case is longer ("İ") or that fold oddly ("ı")."""
    found = visits("Vice Premier Zhou Lanfang visited Lanshan Robotics Co., Ltd. on Tuesday." + elsewhere)
    assert {official for official, _, _ in found} == {"Zhou Lanfang"}


def test_extract_definite_title_pattern_reads_the_premier_and_premier_li():
    from newsgraph.extract.coreference import _definite_titles

    pattern = _definite_titles(load_rules())
    found = [m.group() for m in pattern.finditer("Later the premier met staff. Premier Li then left; premier Li did not.")]
    assert found == ["the premier", "Premier Li"]


def test_extract_laboratories_is_an_organization_head():
    found = visits("Vice Governor Shen Lirong toured the Qiaoshan Laboratories on Tuesday.")
    assert {(official, org) for official, org, _ in found} == {("Shen Lirong", "Qiaoshan Laboratories")}


def test_extract_description_after_a_place_belongs_to_the_organization_before_it():
    text = ("Mayor Chen Hua dropped in on the Lanxin Laboratories in Hefei, a research institute focused on "
            "quantum sensing, on Tuesday.")
    assert {org for _, org, _ in visits(text)} == {"Lanxin Laboratories"}
    assert {org for org, _ in works(text)} == {"Lanxin Laboratories"}


def test_extract_works_on_the_company_s_progress_in():
    text = ("At Lanshan Robotics' Taizhou plant, Mayor Chen Hua learned about the company's progress in "
            "harmonic reducers.")
    assert works(text) == {("Lanshan Robotics", "harmonic reducers")}
    assert works("Mayor Chen Hua praised China's progress in harmonic reducers at Lanshan Robotics.") == set()


def test_extract_visit_official_was_hosted_by_organization():
    assert {(o, org) for o, org, _ in visits("Vice Minister Zhang Lei was hosted by Lanshan Robotics Co., Ltd. "
                                              "at its Taizhou plant on Tuesday.")} == {
        ("Zhang Lei", "Lanshan Robotics Co., Ltd.")}
    assert visits("Vice Minister Zhang Lei will be hosted by Lanshan Robotics Co., Ltd. next week.") == set()


def test_extract_visit_to_a_firm_s_plant_with_an_indefinite_article():
    found = visits("Ohio Governor Martha Kessling stopped at a Brightline Motors Co. assembly plant on Tuesday.")
    assert {(o, org) for o, org, _ in found} == {("Martha Kessling", "Brightline Motors Co.")}


@pytest.mark.parametrize("based", ["Shenzhen-based", "the Hong Kong-based"])
def test_extract_visit_to_a_place_based_firm_names_the_firm_only(based: str):
    found = visits(f"Premier Li Qiang visited {based} Lanshan Robotics Co., Ltd. on Tuesday.")
    assert {(o, org) for o, org, _ in found} == {("Li Qiang", "Lanshan Robotics Co., Ltd.")}


def test_extract_visit_by_video_link_is_no_visit():
    text = "Governor Ada Okafor inaugurated the Lanshan Robotics Co., Ltd. plant via video link on Tuesday."
    assert visits(text) == set()
    result = extract(article(text))
    assert any("from afar" in r.reason for r in result.rejections)
