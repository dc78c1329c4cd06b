"""Stage 7, resolve: per-article rows -> the dataset's tables.

Merges event reports of several articles into one event per real-world event, links figures to their events,
derives fatalities, and keeps only the registry actors and gazetteer places the tables refer to.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby
from operator import itemgetter

import polars as pl

from ..ids import content_id
from ..reference import Reference
from ..schema import TABLES
from . import claims
from .corpus import CorpusRows
from .rows import ProvisionalActor

# --- events: one row per real-world event ------------------------------------------------------------------
#
# Reports are grouped in two steps. Within one article (the article distinguishes what it reports):
#   1. same class, same day (or both undated with the same period), same governorate (or, without one, same
#      country) and compatible initiators -> one event;
#   2. a dated report without governorate and without numbers of its own that shares class and day with
#      placed events of its article is the article's summary of them, and is linked to each;
#   3. a report with no date information at all is the only dated event of its class, place and initiator
#      in its article, when there is exactly one.
# Across articles, dated asserted events merge when they have the same class, the same governorate (or both
# none, in the same country), compatible initiators, and the same day or one day inside the other's night.
# Undated, future, hypothetical and negated reports never merge across articles: nothing says they are one.
# Initiators are compatible when one is unknown or both belong to the same top actor of the registry
# (the Russian Aerospace Forces and Russia; not Russia and the US-led coalition).

SAME_ARTICLE_KEY = "same article: same class, day, place and initiator"
SUMMARY = "same article: a mention without governorate summing up the article's {cls} events of that day"
UNDATED = "same article: an undated mention of the article's only dated {cls} event at that place"
SAME_DAY_PLACE = "same class, day and governorate; compatible initiators"
SAME_DAY_COUNTRY = "same class and day, no governorate in either; same country; compatible initiators"
WITHIN_NIGHT = "same class and governorate; the day of one falls within the other's night"
SINGLE = "single report: the article's only mention of the event"
SHORT_SPAN_DAYS = 2


@dataclass
class Cluster:
    """Reports of one event with the rule that linked each (by report identity); `summaries` are linked to it
    but do not define it. Its articles and initiators are kept up to date as reports are added, because merging
    asks for them at every comparison and an event reported by thousands of articles must not be rescanned."""
    reports: list[dict]
    reasons: dict[int, str] = field(default_factory=dict)
    summaries: list[tuple[dict, str]] = field(default_factory=list)
    articles: set[str] = field(init=False, default_factory=set)
    initiators: set[str] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        for report in self.reports:
            self._note(report)

    @property
    def first(self) -> dict:
        return self.reports[0]

    def add(self, reports: list[dict], reason: str) -> None:
        for report in reports:
            self.reports.append(report)
            self.reasons[id(report)] = reason
            self._note(report)

    def _note(self, report: dict) -> None:
        self.articles.add(report["article_id"])
        if report["actor1_id"]:
            self.initiators.add(report["actor1_id"])


@dataclass(frozen=True)
class Lookups:
    """The reference tables as the merge reads them, indexed once per build rather than once per event."""
    classes: dict[str, str]
    roots: dict[str, str]
    crosswalk: dict[str, list[dict]]
    actor_types: dict[str, str]

    @classmethod
    def of(cls, reference: Reference) -> Lookups:
        crosswalk = defaultdict(list)
        for row in reference.event_crosswalk.iter_rows(named=True):
            crosswalk[row["event_type"]].append(row)
        return cls(event_classes(reference), actor_roots(reference), dict(crosswalk),
                   dict(zip(reference.actors["actor_id"], reference.actors["actor_type"])))


def merge_events(reports: list[dict], figures: pl.DataFrame, reference: Reference) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Group reports into events. Returns (events, event_mentions)."""
    lookups = Lookups.of(reference)
    classes, roots = lookups.classes, lookups.roots
    ordered = sorted(reports, key=lambda r: (r["article_id"], r["start"], r["end"], r["event_type"], r["admin1"] or ""))
    clusters: list[Cluster] = []
    for _, article_reports in groupby(ordered, key=itemgetter("article_id")):
        clusters += article_clusters(list(article_reports), classes, roots)
    merged = cross_article(clusters, classes, roots)
    killed = killed_figures(figures)
    rows = [event_row(c, lookups, killed) for c in merged]
    ids = unique_ids([row["event_id"] for row in rows], merged)
    mentions = []
    for row, event_id, cluster in zip(rows, ids, merged):
        row["event_id"] = event_id
        own = mention_rows(event_id, cluster)
        row["n_articles"] = len(own)  # one mention row per article
        mentions += own
    return (pl.DataFrame(rows, schema=TABLES["events"].polars_schema),
            pl.DataFrame(mentions, schema=EVENT_MENTION_SCHEMA))


def event_classes(reference: Reference) -> dict[str, str]:
    """event_type -> the class merging and scoring group it in (ground_offensive and armed_clash are one)."""
    return {row["event_type"]: row["event_class"] for row in reference.event_crosswalk.iter_rows(named=True)}


def actor_roots(reference: Reference) -> dict[str, str]:
    """actor_id -> the top of its parent chain in the registry."""
    parents = dict(zip(reference.actors["actor_id"], reference.actors["parent_actor_id"]))
    roots = {}
    for actor_id in parents:
        current, seen = actor_id, set()
        while parents.get(current) and current not in seen:
            seen.add(current)
            current = parents[current]
        roots[actor_id] = current
    return roots


def _compatible(a: str | None, b: str | None, roots: dict[str, str]) -> bool:
    return a is None or b is None or roots.get(a, a) == roots.get(b, b)


def _clusters_compatible(a: Cluster, b: Cluster, roots: dict[str, str]) -> bool:
    return all(_compatible(x, y, roots) for x in a.initiators | {None} for y in b.initiators | {None})


def _place_key(report: dict) -> tuple:
    return (report["admin1"],) if report["admin1"] else (None, report["country_iso3"])


def _dated(report: dict) -> bool:
    return report["event_date"] is not None


def _date_free(report: dict) -> bool:
    return report["event_date"] is None and report["date_start"] is None and report["date_end"] is None


def article_clusters(reports: list[dict], classes: dict[str, str], roots: dict[str, str]) -> list[Cluster]:
    """The events one article reports (rules 1-3 above)."""
    clusters: list[Cluster] = []
    by_key: dict[tuple, list[Cluster]] = {}
    for report in reports:
        same_key = by_key.setdefault(_article_key(report, classes), [])
        home = next((c for c in same_key if all(_compatible(report["actor1_id"], i, roots) for i in c.initiators)),
                    None)
        if home is None:
            clusters.append(Cluster([report], {id(report): SINGLE}))
            same_key.append(clusters[-1])
        else:
            home.add([report], SAME_ARTICLE_KEY)
            home.reasons[id(home.first)] = SAME_ARTICLE_KEY
    kept = [c for c in clusters if not _absorbed(c, _summarised(c, clusters, classes, roots), SUMMARY, classes)]
    return [c for c in kept if not _absorbed(c, _dated_twin(c, kept, classes, roots), UNDATED, classes)]


def _absorbed(cluster: Cluster, targets: list[Cluster], reason: str, classes: dict[str, str]) -> bool:
    """Link the cluster's reports to the events it stands for; False when there are none."""
    if not targets:
        return False
    text = reason.format(cls=classes.get(cluster.first["event_type"], "").lower().replace("_", " "))
    for target in targets:
        if reason == UNDATED:
            target.add(cluster.reports, text)
        else:
            target.summaries += [(r, text) for r in cluster.reports]
    return True


def _article_key(report: dict, classes: dict[str, str]) -> tuple:
    when = report["event_date"] or (report["date_start"], report["date_end"])
    return (classes.get(report["event_type"]), report["modality"], when, _place_key(report))


def _summarised(cluster: Cluster, clusters: list[Cluster], classes, roots) -> list[Cluster]:
    first = cluster.first
    if first["admin1"] or not _dated(first) or first["modality"] != "asserted" or \
            any(r["figure_ids"] for r in cluster.reports):
        return []
    return [c for c in clusters if c is not cluster and c.first["admin1"]
            and classes.get(c.first["event_type"]) == classes.get(first["event_type"])
            and c.first["event_date"] == first["event_date"] and c.first["modality"] == "asserted"
            and first["country_iso3"] in {None, c.first["country_iso3"]}
            and _clusters_compatible(cluster, c, roots)]


def _dated_twin(cluster: Cluster, clusters: list[Cluster], classes, roots) -> list[Cluster]:
    first = cluster.first
    if not all(_date_free(r) for r in cluster.reports):
        return []
    twins = [c for c in clusters if c is not cluster and _dated(c.first)
             and classes.get(c.first["event_type"]) == classes.get(first["event_type"])
             and c.first["modality"] == first["modality"] and _place_key(c.first)[0] == first["admin1"]
             and (first["admin1"] or first["country_iso3"] in {None, c.first["country_iso3"]})
             and _clusters_compatible(cluster, c, roots)]
    return twins if len(twins) == 1 else []


def cross_article(clusters: list[Cluster], classes: dict[str, str], roots: dict[str, str]) -> list[Cluster]:
    """Merge the same event reported by several articles: each cluster joins the first event so far that
    `_same_event` accepts, found among the few the index says could be accepted."""
    merged: list[Cluster] = []
    index = CandidateIndex(classes)
    for cluster in clusters:
        reason = None
        home = None
        for position in index.candidates(cluster.first):
            reason = _same_event(merged[position], cluster, classes, roots)
            if reason:
                home = merged[position]
                break
        if home is None:
            index.add(cluster.first, len(merged))
            merged.append(cluster)
        else:
            for report in cluster.reports:
                own = cluster.reasons[id(report)]
                home.add([report], reason if own == SINGLE else f"{own}; {reason}")
            home.summaries += [(r, f"{why}; {reason}") for r, why in cluster.summaries]
    return merged


class CandidateIndex:
    """The merged events a cluster could join, by the parts of `_same_event` that fix where to look: class,
    governorate (or none), and a day. An event is found by its own day and by each day of its short span (a
    night); a cluster asks for its day and for the days of its own short span. Only asserted, dated events are
    kept: no other event merges. Positions are the events' places in the merged list, so they come out in
    that order and the first accepted is the one a scan of the whole list would find."""

    def __init__(self, classes: dict[str, str]):
        self.classes = classes
        self.by_day: dict[tuple, list[int]] = defaultdict(list)
        self.by_span_day: dict[tuple, list[int]] = defaultdict(list)

    def _key(self, report: dict, day: date) -> tuple:
        return self.classes.get(report["event_type"]), report["admin1"], day

    def add(self, first: dict, position: int) -> None:
        if first["modality"] != "asserted" or not _dated(first):
            return
        self.by_day[self._key(first, first["event_date"])].append(position)
        for day in _short_span_days(first):
            self.by_span_day[self._key(first, day)].append(position)

    def candidates(self, first: dict) -> list[int]:
        if first["modality"] != "asserted" or not _dated(first):
            return []
        day = first["event_date"]
        found = {*self.by_day.get(self._key(first, day), ()), *self.by_span_day.get(self._key(first, day), ())}
        for other in _short_span_days(first):
            found.update(self.by_day.get(self._key(first, other), ()))
        return sorted(found)


def _short_span_days(report: dict) -> list[date]:
    """The days a report's short span (a night, a weekend) covers, for which `_in_short_span` holds."""
    start, end = report["date_start"], report["date_end"]
    if start is None or end is None or (end - start).days > SHORT_SPAN_DAYS:
        return []
    return [start + timedelta(days=k) for k in range((end - start).days + 1)]


def _same_event(a: Cluster, b: Cluster, classes, roots) -> str | None:
    x, y = a.first, b.first
    if not a.articles.isdisjoint(b.articles):
        return None  # an article's distinct reports stay distinct
    if x["modality"] != "asserted" or y["modality"] != "asserted" or not (_dated(x) and _dated(y)):
        return None
    if classes.get(x["event_type"]) != classes.get(y["event_type"]) or x["admin1"] != y["admin1"]:
        return None
    if not x["admin1"] and x["country_iso3"] and y["country_iso3"] and x["country_iso3"] != y["country_iso3"]:
        return None
    if not _clusters_compatible(a, b, roots):
        return None
    if x["event_date"] == y["event_date"]:
        return SAME_DAY_PLACE if x["admin1"] else SAME_DAY_COUNTRY
    if x["admin1"] and (_in_short_span(x["event_date"], y) or _in_short_span(y["event_date"], x)):
        return WITHIN_NIGHT
    return None


def _in_short_span(day, report: dict) -> bool:
    start, end = report["date_start"], report["date_end"]
    return start is not None and end is not None and (end - start).days <= SHORT_SPAN_DAYS and start <= day <= end


def event_row(cluster: Cluster, lookups: Lookups, killed: dict[str, dict]) -> dict:
    reports = cluster.reports
    event_type = _most_common([r["event_type"] for r in reports], order=list(lookups.classes))
    placed = sorted(reports, key=lambda r: (r["where_precision"], r["place_id"] is None, r["place_id"] or ""))
    where = placed[0]
    actor1 = _most_common([r["actor1_id"] for r in reports if r["actor1_id"]])
    cross = crosswalk_row(event_type, actor1, lookups)
    low, best, high = fatalities(cluster, killed)
    starts = [r["date_start"] for r in reports if r["date_start"]]
    ends = [r["date_end"] for r in reports if r["date_end"]]
    return {
        "event_id": event_key_id(cluster, lookups.classes, lookups.roots),
        "event_type": event_type,
        **{k: cross.get(k) for k in ("plover_event", "plover_mode", "acled_event_type", "acled_sub_event_type",
                                     "cameo_code")},
        "event_date": _most_common([r["event_date"] for r in reports if r["event_date"]]),
        "date_start": min(starts) if starts else None, "date_end": max(ends) if ends else None,
        "date_precision": min(r["date_precision"] for r in reports),
        "actor1_id": actor1,
        "actor2_id": _most_common([r["actor2_id"] for r in reports if r["actor2_id"] not in {None, actor1}]),
        "place_id": where["place_id"], "admin1": where["admin1"], "country_iso3": where["country_iso3"],
        "where_precision": where["where_precision"],
        "fatalities_low": low, "fatalities_best": best, "fatalities_high": high,
        "n_articles": 0,
        "modality": cluster.first["modality"],
        "claimant_actor_id": _most_common([r["claimant_actor_id"] for r in reports if r["claimant_actor_id"]]),
    }


def _most_common(values: list, order: list | None = None):
    """The most frequent value; ties go to the first in `order`, else to the smallest."""
    if not values:
        return None
    if len(values) == 1:  # most events have one report: no counting
        return values[0]
    counts = Counter(values)
    rank = {v: i for i, v in enumerate(order or [])}
    return min(counts, key=lambda v: (-counts[v], rank.get(v, len(rank)), str(v)))


def crosswalk_row(event_type: str, actor1: str | None, lookups: Lookups) -> dict:
    """The crosswalk row of a type, the initiator-specific one when there is one ('territory_change' taken by a
    state's forces is ACLED's 'Government regains territory')."""
    rows = lookups.crosswalk.get(event_type, [])
    kind = initiator_kind(actor1, lookups.actor_types)
    specific = [r for r in rows if r["initiator_kind"] == kind and kind]
    general = [r for r in rows if not r["initiator_kind"]]
    return (specific or general or [{}])[0]


def initiator_kind(actor_id: str | None, actor_types: dict[str, str]) -> str | None:
    if actor_id is None:
        return None
    kind = actor_types.get(actor_id)
    if kind in {"state", "government", "military"}:
        return "state"
    if kind == "armed_group":
        return "non_state"
    return None


def killed_figures(figures: pl.DataFrame) -> dict[str, dict]:
    """figure_id -> row, for the figures that count the killed."""
    return {row["figure_id"]: row for row in figures.filter(pl.col("category") == "killed").iter_rows(named=True)}


def fatalities(cluster: Cluster, killed: dict[str, dict]) -> tuple[int | None, int | None, int | None]:
    """UCDP style: each article's count is the sum of the killed figures one report enumerates ('deux femmes et
    un enfant') and the largest of its reports; low, best and high are the least, median and largest of the
    articles' counts (with the figures' own bounds). Vague counts ('des dizaines de morts') give no number.
    `killed`: killed_figures of the figures table."""
    per_article: dict[str, list[tuple[float, float, float]]] = {}
    for report in cluster.reports:
        rows = _outermost([killed[f] for f in sorted(set(report["figure_ids"]))
                           if f in killed and killed[f]["qualifier"] != "vague"])
        if rows:
            total = tuple(sum(_bound(r, k) for r in rows) for k in ("value_low", "value", "value_high"))
            per_article.setdefault(report["article_id"], []).append(total)
    if not per_article:
        return None, None, None
    counts = [max(totals, key=lambda t: t[1]) for totals in per_article.values()]
    bests = sorted(c[1] for c in counts)
    middle = len(bests) // 2
    best = bests[middle] if len(bests) % 2 else (bests[middle - 1] + bests[middle]) / 2
    return int(min(c[0] for c in counts)), int(round(best)), int(max(c[2] for c in counts))


def _outermost(figures: list[dict]) -> list[dict]:
    """'Deux femmes et un enfant' counted once, not again as 'Deux femmes' and 'un enfant'."""
    return [f for f in figures if not any(g is not f and g["article_id"] == f["article_id"] and g["start"] <= f["start"]
                                          and f["end"] <= g["end"] for g in figures)]


def _bound(figure: dict, key: str) -> float:
    return figure[key] if figure[key] is not None else figure["value"]


def event_key_id(cluster: Cluster, classes: dict[str, str], roots: dict[str, str]) -> str:
    """Content-derived: from what makes the event (class, day, place, initiator's top actor, modality), so adding
    an article that reports it again does not change it; an undated event is named by its first report."""
    first = cluster.first
    if first["modality"] == "asserted" and _dated(first):
        initiators = sorted({roots.get(a, a) for a in cluster.initiators})
        return content_id("evt", classes.get(first["event_type"]), first["event_date"], *_place_key(first),
                          "|".join(initiators))
    return content_id("evt", first["article_id"], first["start"], first["end"], first["event_type"],
                      first["admin1"], first["country_iso3"])


def unique_ids(ids: list[str], clusters: list[Cluster]) -> list[str]:
    """Two events with the same key (kept apart by a rule) are told apart by their first report."""
    seen = Counter(ids)
    return [content_id("evt", i, c.first["article_id"], c.first["start"]) if seen[i] > 1 else i
            for i, c in zip(ids, clusters)]


def mention_rows(event_id: str, cluster: Cluster) -> list[dict]:
    """One row per article: its first report of the event as evidence (a summary only when the article has
    nothing else), and every rule that linked its reports."""
    linked = [(r, cluster.reasons[id(r)], False) for r in cluster.reports] + [(r, why, True) for r, why in cluster.summaries]
    by_article: dict[str, list[tuple[dict, str, bool]]] = defaultdict(list)
    for link in linked:
        by_article[link[0]["article_id"]].append(link)
    rows = []
    for article_id, mine in sorted(by_article.items(), key=itemgetter(0)):
        evidence = min(mine, key=lambda x: (x[2], x[0]["start"], x[0]["end"]))[0]
        rows.append({
            "event_id": event_id, "article_id": article_id, "start": evidence["start"], "end": evidence["end"],
            "surface": evidence["surface"], "link_reason": " | ".join(sorted({why for _, why, _ in mine})),
            "figure_ids": sorted({f for r, _, summary in mine if not summary for f in r["figure_ids"]}),
        })
    return rows


def resolve(articles: pl.DataFrame, rows: CorpusRows, reference: Reference) -> dict[str, pl.DataFrame]:
    mentions, quotes, figures = rows.actor_mentions, rows.quotes, rows.figures
    events, event_mentions = merge_events(rows.event_reports, figures, reference)
    figure_event = (
        event_mentions.select("event_id", "figure_ids").explode("figure_ids")
        .drop_nulls("figure_ids").unique("figure_ids", keep="first", maintain_order=True)
        .rename({"figure_ids": "figure_id"})
    )
    figures = figures.drop("event_id").join(figure_event, on="figure_id", how="left").select(TABLES["figures"].polars_schema.keys())
    places = reference.gazetteer.filter(pl.col("place_id").is_in(events["place_id"].drop_nulls().unique().to_list()))
    tables = {
        "actors": actors_table(mentions, rows.provisional_actors, reference),
        "actor_mentions": mentions,
        "quotes": quotes,
        "figures": figures,
        "events": events,
        "event_mentions": event_mentions.drop("figure_ids"),
        "places": places_table(places),
    }
    return {**tables, "claims": claims.build(articles, tables, reference)}


def actors_table(mentions: pl.DataFrame, provisional: list[ProvisionalActor], reference: Reference) -> pl.DataFrame:
    """Registry actors that are mentioned, with their ancestors (so every parent exists), plus provisional ones."""
    registry = reference.actors
    parents = dict(zip(registry["actor_id"], registry["parent_actor_id"]))
    wanted = set(mentions["actor_id"].to_list())
    for actor_id in list(wanted):
        while (actor_id := parents.get(actor_id)) is not None:
            wanted.add(actor_id)
    seen = mentions.group_by("actor_id").agg(pl.col("surface").unique().alias("seen"))
    rows = []
    for row in registry.filter(pl.col("actor_id").is_in(sorted(wanted))).iter_rows(named=True):
        rows.append({**{k: row[k] for k in ("actor_id", "name", "actor_type", "country_iso3", "parent_actor_id",
                                            "wikidata_qid")},
                     "aliases": [a for a in (row["aliases"] or "").split("|") if a], "provisional": False})
    for actor in {a.actor_id: a for a in provisional}.values():
        rows.append({"actor_id": actor.actor_id, "name": actor.name, "actor_type": actor.actor_type,
                     "country_iso3": None, "parent_actor_id": None, "wikidata_qid": None, "aliases": [],
                     "provisional": True})
    table = pl.DataFrame(rows, schema=TABLES["actors"].polars_schema)
    return (
        table.join(seen, on="actor_id", how="left")
        .with_columns(pl.concat_list("aliases", pl.col("seen").fill_null([])).list.unique().list.sort().alias("aliases"))
        .drop("seen")
        .sort("actor_id")
    )


def places_table(gazetteer_rows: pl.DataFrame) -> pl.DataFrame:
    return gazetteer_rows.select(
        "place_id", "name", "name_fr", "admin1", "country_iso3",
        pl.col("latitude").cast(pl.Float64), pl.col("longitude").cast(pl.Float64),
        pl.col("geonames_id").cast(pl.Int64), "feature_type",
    )


EVENT_MENTION_SCHEMA = {**TABLES["event_mentions"].polars_schema, "figure_ids": pl.List(pl.Utf8)}
