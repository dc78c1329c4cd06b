"""Cross-article merging through the candidate index decides exactly what comparing each cluster with every
merged event decides: same events, same reports in the same order, same link reasons."""
from __future__ import annotations

from datetime import date, timedelta
from itertools import groupby
from operator import itemgetter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depeche.pipeline.resolve import (SHORT_SPAN_DAYS, SINGLE, Cluster, _in_short_span, _same_event,
                                      _short_span_days, actor_roots, article_clusters, cross_article, event_classes)

DAY0 = date(2015, 10, 5)


@st.composite
def reports(draw, n_articles: int = 6):
    """Event reports crowded into a few days, places and initiators, so that many could merge and some only by
    a night (a short span) or not at all (a long span, another side, an undated or negated report)."""
    day = draw(st.none() | st.integers(0, 2).map(lambda k: DAY0 + timedelta(days=k)))
    span = draw(st.none() | st.tuples(st.integers(-1, 2), st.integers(0, 3)))
    start = DAY0 + timedelta(days=span[0]) if span else None
    admin1 = draw(st.sampled_from(["Hama", None]))
    return {
        "article_id": f"a{draw(st.integers(0, n_articles - 1))}", "start": draw(st.integers(0, 500)), "end": 600,
        "surface": "frappe", "event_type": draw(st.sampled_from(["airstrike", "ground_offensive", "armed_clash"])),
        "event_date": day, "date_start": start, "date_end": start + timedelta(days=span[1]) if span else None,
        "date_precision": 1, "actor1_id": draw(st.sampled_from(["rus", "rus-aerospace-forces", "us-led-coalition",
                                                                 None])),
        "actor2_id": None, "place_id": None, "admin1": admin1,
        "country_iso3": "SYR" if admin1 else draw(st.sampled_from(["SYR", "IRQ", None])), "where_precision": 4,
        "modality": draw(st.sampled_from(["asserted", "asserted", "asserted", "negated"])), "claimant_actor_id": None,
        "figure_ids": draw(st.lists(st.just("fig_1"), max_size=1)),
    }


def clusters_of(all_reports: list[dict], classes, roots) -> list[Cluster]:
    ordered = sorted(all_reports, key=lambda r: (r["article_id"], r["start"], r["event_type"], r["admin1"] or ""))
    return [c for _, group in groupby(ordered, key=itemgetter("article_id"))
            for c in article_clusters(list(group), classes, roots)]


def brute_force(clusters: list[Cluster], classes, roots) -> list[Cluster]:
    """The rule as written: each cluster joins the first merged event it is the same event as."""
    merged: list[Cluster] = []
    for cluster in clusters:
        found = next(((m, why) for m in merged if (why := _same_event(m, cluster, classes, roots))), None)
        if found is None:
            merged.append(cluster)
            continue
        home, reason = found
        for report in cluster.reports:
            own = cluster.reasons[id(report)]
            home.add([report], reason if own == SINGLE else f"{own}; {reason}")
        home.summaries += [(r, f"{why}; {reason}") for r, why in cluster.summaries]
    return merged


def shape(merged: list[Cluster]) -> list:
    return [([id(r) for r in c.reports], [c.reasons[id(r)] for r in c.reports],
             [(id(r), why) for r, why in c.summaries]) for c in merged]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(reports(), min_size=1, max_size=40))
def test_the_index_merges_exactly_as_comparing_with_every_event(reference, all_reports):
    classes, roots = event_classes(reference), actor_roots(reference)
    indexed = cross_article(clusters_of(all_reports, classes, roots), classes, roots)
    expected = brute_force(clusters_of(all_reports, classes, roots), classes, roots)
    assert shape(indexed) == shape(expected)


@given(st.integers(-3, 5), st.integers(-2, 6), st.integers(-1, 6))
def test_short_span_days_are_the_days_in_the_short_span(start, length, probe):
    report = {"date_start": DAY0 + timedelta(days=start), "date_end": DAY0 + timedelta(days=start + length)}
    day = DAY0 + timedelta(days=probe)
    assert (day in _short_span_days(report)) == _in_short_span(day, report)
    assert len(_short_span_days(report)) <= SHORT_SPAN_DAYS + 1


def test_a_cluster_that_fits_two_events_joins_the_first_as_a_full_scan_would(reference):
    """Russia's and the coalition's strikes of one day stay apart; a report with no initiator fits both."""
    classes, roots = event_classes(reference), actor_roots(reference)
    base = dict(start=0, end=6, surface="frappe", event_type="airstrike", event_date=DAY0, date_start=None,
                date_end=None, date_precision=1, actor2_id=None, place_id=None, admin1="Hama", country_iso3="SYR",
                where_precision=4, modality="asserted", claimant_actor_id=None, figure_ids=[])
    reports = [{**base, "article_id": article, "actor1_id": actor}
               for article, actor in (("a1", "rus"), ("a2", "us-led-coalition"), ("a3", None))]
    clusters = [Cluster([r], {id(r): SINGLE}) for r in reports]
    merged = cross_article(clusters, classes, roots)
    assert [[r["article_id"] for r in c.reports] for c in merged] == [["a1", "a3"], ["a2"]]
