"""Merging event reports into events: what merges, what must not, link reasons, stable IDs, fatalities."""
from __future__ import annotations

import random
import shutil
from datetime import date

import polars as pl
import pytest

from depeche.pipeline.resolve import merge_events
from depeche.reference import load_reference
from depeche.schema import TABLES
from depeche.validate import check_model, check_primary_key

from .conftest import REPO

ACTORS = """actor_id,name,actor_type,country_iso3,parent_actor_id,wikidata_qid,aliases
rus,Russia,state,RUS,,Q159,Russie
rus-aerospace-forces,Russian Aerospace Forces,military,RUS,rus,,aviation russe
us-led-coalition,US-led coalition,coalition,,,,coalition internationale
syr,Syria,state,SYR,,Q858,Syrie
syr-army,Syrian Arab Army,military,SYR,syr,,armée syrienne
isil,Islamic State,armed_group,,,Q2429253,EI
"""
D7, D6, D9 = date(2015, 10, 7), date(2015, 10, 6), date(2015, 10, 9)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reference")
    (folder / "actors.csv").write_text(ACTORS)
    shutil.copy(REPO / "dataset" / "reference" / "event_crosswalk.csv", folder)
    return load_reference(folder)


def report(article="a1", start=0, event_type="airstrike", day=D7, admin1="Hama", actor1="rus", modality="asserted",
           start_date=None, end_date=None, figures=(), country="SYR", place=None, precision=4):
    return {
        "article_id": article, "start": start, "end": start + 6, "surface": "frappe",
        "event_type": event_type, "event_date": day, "date_start": start_date, "date_end": end_date,
        "date_precision": 1 if day else 5, "actor1_id": actor1, "actor2_id": None,
        "place_id": place or (f"{admin1.lower()}-gov" if admin1 else None), "admin1": admin1,
        "country_iso3": country, "where_precision": precision if admin1 else 6, "modality": modality,
        "claimant_actor_id": None, "figure_ids": list(figures),
    }


def no_figures() -> pl.DataFrame:
    return pl.DataFrame(schema=TABLES["figures"].polars_schema)


def merged(reports, reference, figures=None):
    events, mentions = merge_events(reports, figures if figures is not None else no_figures(), reference)
    return events, mentions


def test_same_event_in_two_articles_is_one_row_with_both_reports(reference):
    events, mentions = merged([report("a1"), report("a2", start=40, actor1="rus-aerospace-forces")], reference)
    assert events.height == 1
    assert events["n_articles"].to_list() == [2]
    assert sorted(mentions["article_id"]) == ["a1", "a2"]
    reasons = dict(zip(mentions["article_id"], mentions["link_reason"]))
    assert reasons["a2"] == "same class, day and governorate; compatible initiators"
    assert reasons["a1"].startswith("single report")


@pytest.mark.parametrize("other, why", [
    (dict(admin1="Idlib"), "same day, other province"),
    (dict(day=D6), "other day"),
    (dict(actor1="us-led-coalition"), "initiators of different sides"),
    (dict(event_type="missile_strike"), "other class"),
    (dict(admin1=None), "one has no governorate"),
    (dict(day=None), "undated"),
    (dict(modality="future"), "not reported as having happened"),
])
def test_reports_that_must_not_merge(reference, other, why):
    events, _ = merged([report("a1"), report("a2", start=40, **other)], reference)
    assert events.height == 2, why


def test_ground_offensive_and_clash_are_one_class(reference):
    events, _ = merged([report("a1", event_type="ground_offensive", actor1="syr-army"),
                        report("a2", event_type="armed_clash", actor1=None)], reference)
    assert events.height == 1
    assert events["event_type"].to_list() == ["ground_offensive"]


def test_undated_reports_of_two_articles_stay_apart(reference):
    events, _ = merged([report("a1", day=None), report("a2", day=None)], reference)
    assert events.height == 2


def test_no_governorate_merges_across_articles_only_with_no_governorate(reference):
    events, _ = merged([report("a1", admin1=None), report("a2", admin1=None), report("a3", admin1=None, country="IRQ")],
                       reference)
    assert sorted(events["n_articles"]) == [1, 2]


def test_a_night_merges_with_the_day_it_began_on(reference):
    night = report("a1", start_date=D6, end_date=D7)
    events, mentions = merged([night, report("a2", day=D6)], reference)
    assert events.height == 1
    assert "night" in mentions.filter(pl.col("article_id") == "a2")["link_reason"][0]


def test_a_long_span_does_not_swallow_the_days_inside_it(reference):
    campaign = report("a1", day=date(2015, 9, 30), admin1=None, start_date=date(2015, 9, 30), end_date=D7)
    events, _ = merged([campaign, report("a2", admin1=None)], reference)
    assert events.height == 2


def test_an_articles_summary_is_linked_to_each_placed_event_of_that_day(reference):
    reports = [report("a1", start=0, admin1=None), report("a1", start=50, admin1="Hama"),
               report("a1", start=90, admin1="Idlib")]
    events, mentions = merged(reports, reference)
    assert events.height == 2
    assert sorted(events["admin1"]) == ["Hama", "Idlib"]
    assert set(mentions["start"]) == {50, 90}  # a placed report is the evidence, not the summary


def test_a_vague_mention_with_numbers_of_its_own_is_not_a_summary(reference):
    reports = [report("a1", start=0, admin1=None, figures=["fig_26"]), report("a1", start=50, admin1="Hama")]
    events, _ = merged(reports, reference)
    assert events.height == 2


def test_an_undated_mention_joins_the_only_dated_event_of_its_kind(reference):
    events, mentions = merged([report("a1", start=0), report("a1", start=60, day=None)], reference)
    assert events.height == 1
    assert "undated mention" in mentions["link_reason"][0]
    events, _ = merged([report("a1", start=0), report("a1", start=30, day=D6), report("a1", start=60, day=None)],
                       reference)
    assert events.height == 3  # two dated candidates: which one it is cannot be told


def test_a_span_dated_mention_is_not_undated(reference):
    span = report("a1", start=60, day=None, start_date=date(2015, 10, 9), end_date=date(2015, 10, 10))
    events, _ = merged([report("a1", start=0, day=date(2015, 10, 10)), span], reference)
    assert events.height == 2


def test_event_ids_do_not_depend_on_order_or_on_an_added_article(reference):
    reports = [report("a1"), report("a2", start=40), report("a3", admin1="Idlib"), report("a1", start=90, day=None)]
    first, _ = merged(reports, reference)
    shuffled = reports[:]
    random.Random(7).shuffle(shuffled)
    again, _ = merged(shuffled, reference)
    assert sorted(first["event_id"]) == sorted(again["event_id"])
    grown, _ = merged(reports + [report("a4", start=5)], reference)
    hama = first.filter(pl.col("admin1") == "Hama", pl.col("event_date") == D7)["event_id"][0]
    assert hama in grown["event_id"].to_list()
    assert grown.filter(pl.col("event_id") == hama)["n_articles"][0] == 3


def figure(figure_id, article, value, start=0, end=5, qualifier="exact", low=None, high=None, category="killed"):
    return {"figure_id": figure_id, "article_id": article, "start": start, "end": end, "surface": "x" * (end - start),
            "value": float(value), "value_low": low, "value_high": high, "qualifier": qualifier, "object": "morts",
            "category": category, "claimant_actor_id": None, "claimant_cue": None, "event_id": None}


def test_fatalities_low_best_high_from_the_articles_counts(reference):
    figures = pl.DataFrame([
        figure("f1", "a1", 2, 0, 5), figure("f2", "a1", 1, 8, 12),  # 'deux femmes et un enfant': 3
        figure("f3", "a2", 6), figure("f4", "a3", 8, low=8.0, high=10.0),
        figure("f5", "a3", 20, qualifier="vague"), figure("f6", "a2", 12, category="targets"),
    ], schema=TABLES["figures"].polars_schema)
    reports = [report("a1", figures=["f1", "f2"]), report("a2", figures=["f3", "f6"]), report("a3", figures=["f4", "f5"])]
    events, _ = merged(reports, reference, figures)
    assert events.select("fatalities_low", "fatalities_best", "fatalities_high").row(0) == (3, 6, 10)


def test_a_figure_inside_another_is_counted_once(reference):
    figures = pl.DataFrame([figure("f1", "a1", 3, 0, 24), figure("f2", "a1", 2, 0, 11)],
                           schema=TABLES["figures"].polars_schema)
    events, _ = merged([report("a1", figures=["f1", "f2"])], reference, figures)
    assert events["fatalities_best"].to_list() == [3]


@pytest.mark.parametrize("actor1, sub_event", [
    ("syr-army", "Government regains territory"), ("isil", "Non-state actor overtakes territory"), (None, None),
])
def test_crosswalk_depends_on_who_takes_territory(reference, actor1, sub_event):
    events, _ = merged([report(event_type="territory_change", actor1=actor1)], reference)
    row = events.row(0, named=True)
    assert (row["acled_event_type"], row["acled_sub_event_type"], row["plover_event"]) == ("Battles", sub_event, "FIGHT")


def test_the_tables_follow_the_schema(reference):
    events, mentions = merged([report("a1"), report("a2", day=None), report("a1", start=30, modality="negated")],
                              reference)
    assert check_model(TABLES["events"], events) == []
    assert check_primary_key(TABLES["events"], events) == []
    assert check_model(TABLES["event_mentions"], mentions.drop("figure_ids")) == []
    counts = mentions.group_by("event_id").agg(pl.col("article_id").n_unique().alias("n"))
    assert counts.join(events, on="event_id").filter(pl.col("n") != pl.col("n_articles")).is_empty()
