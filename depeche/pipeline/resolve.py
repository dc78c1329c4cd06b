"""Stage 7, resolve: per-article rows -> the dataset's tables.

Merges event reports of several articles into one event per real-world event, links figures to their events,
derives fatalities, and keeps only the registry actors and gazetteer places the tables refer to.
"""
from __future__ import annotations

import polars as pl

from ..ids import content_id
from ..reference import Reference
from ..schema import TABLES
from . import actors, claims
from .extract import ArticleRows

REPORT_KEY = ("event_type", "event_date", "admin1", "actor1_id", "modality")


def event_key(report: dict) -> tuple | None:
    """Reports with the same key describe the same event; None when the report is too vague to merge."""
    if report["event_date"] is None or report["modality"] != "asserted":
        return None
    return tuple(report[k] for k in REPORT_KEY)


def merge_events(reports: list[dict], figures: pl.DataFrame, reference: Reference) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Group reports into events. Returns (events, event_mentions)."""
    clusters: dict[object, list[dict]] = {}
    for report in sorted(reports, key=lambda r: (r["article_id"], r["start"], r["end"], r["event_type"])):
        key = event_key(report) or ("single", report["article_id"], report["start"], report["end"], report["event_type"])
        clusters.setdefault(key, []).append(report)
    crosswalk = {row["event_type"]: row for row in reference.event_crosswalk.iter_rows(named=True)}
    killed = figures.filter(pl.col("category") == "killed")
    events, mentions = [], []
    for key, members in clusters.items():
        first = members[0]
        event_id = content_id("evt", *key)
        per_article: dict[str, dict] = {}
        for report in members:
            per_article.setdefault(report["article_id"], report)
        figure_ids = sorted({f for r in members for f in r.get("figure_ids", [])})
        deaths = killed.filter(pl.col("figure_id").is_in(figure_ids))["value"]
        cross = crosswalk.get(first["event_type"], {})
        events.append({
            "event_id": event_id, "event_type": first["event_type"],
            "plover_event": cross.get("plover_event"), "plover_mode": cross.get("plover_mode"),
            "acled_event_type": cross.get("acled_event_type"), "acled_sub_event_type": cross.get("acled_sub_event_type"),
            "cameo_code": cross.get("cameo_code"),
            **{k: first[k] for k in ("event_date", "date_start", "date_end", "date_precision", "actor1_id", "actor2_id",
                                     "place_id", "admin1", "country_iso3", "where_precision", "modality",
                                     "claimant_actor_id")},
            "fatalities_low": int(deaths.min()) if len(deaths) else None,
            "fatalities_best": int(deaths.median()) if len(deaths) else None,
            "fatalities_high": int(deaths.max()) if len(deaths) else None,
            "n_articles": len(per_article),
        })
        reason = "single report" if len(per_article) == 1 else "same " + ", ".join(REPORT_KEY)
        for article_id, report in per_article.items():
            mentions.append({"event_id": event_id, "article_id": article_id, "start": report["start"],
                             "end": report["end"], "surface": report["surface"], "link_reason": reason,
                             "figure_ids": figure_ids})
    return pl.DataFrame(events, schema=TABLES["events"].polars_schema), pl.DataFrame(mentions, schema=EVENT_MENTION_SCHEMA)


def resolve(articles: pl.DataFrame, rows: list[ArticleRows], reference: Reference) -> dict[str, pl.DataFrame]:
    mentions = pl.DataFrame([m for r in rows for m in r.actor_mentions], schema=TABLES["actor_mentions"].polars_schema)
    provisional = [a for r in rows for a in r.provisional_actors]
    quotes = pl.DataFrame([q for r in rows for q in r.quotes], schema=TABLES["quotes"].polars_schema)
    figures = pl.DataFrame([f for r in rows for f in r.figures], schema=TABLES["figures"].polars_schema)
    events, event_mentions = merge_events([e for r in rows for e in r.event_reports], figures, reference)
    figure_event = (
        event_mentions.select("event_id", "figure_ids").explode("figure_ids")
        .drop_nulls("figure_ids").unique("figure_ids", keep="first", maintain_order=True)
        .rename({"figure_ids": "figure_id"})
    )
    figures = figures.drop("event_id").join(figure_event, on="figure_id", how="left").select(TABLES["figures"].polars_schema.keys())
    places = reference.gazetteer.filter(pl.col("place_id").is_in(events["place_id"].drop_nulls().unique().to_list()))
    tables = {
        "actors": actors.actors_table(mentions, provisional, reference),
        "actor_mentions": mentions,
        "quotes": quotes,
        "figures": figures,
        "events": events,
        "event_mentions": event_mentions.drop("figure_ids"),
        "places": places_table(places),
    }
    return {**tables, "claims": claims.build(articles, tables, reference)}


def places_table(gazetteer_rows: pl.DataFrame) -> pl.DataFrame:
    return gazetteer_rows.select(
        "place_id", "name", "name_fr", "admin1", "country_iso3",
        pl.col("latitude").cast(pl.Float64), pl.col("longitude").cast(pl.Float64),
        pl.col("geonames_id").cast(pl.Int64), "feature_type",
    )


EVENT_MENTION_SCHEMA = {**TABLES["event_mentions"].polars_schema, "figure_ids": pl.List(pl.Utf8)}
