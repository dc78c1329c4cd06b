"""Proof by corruption: every kind of damage to real built tables is caught and named; clean tables pass."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from depeche.validate import validate_dir, validate_tables

Damage = Callable[[Path], None]


def edit(table: str, change: Callable[[pl.DataFrame], pl.DataFrame]) -> Damage:
    def apply(directory: Path) -> None:
        path = directory / f"{table}.parquet"
        frame = pl.read_parquet(path)
        assert frame.height, f"{table} is empty: this damage needs rows"
        change(frame).write_parquet(path)
    return apply


def first(column: str, value) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """Set `column` of the first row to `value` (an expression or a literal)."""
    def change(frame: pl.DataFrame) -> pl.DataFrame:
        new = value if isinstance(value, pl.Expr) else pl.lit(value, dtype=frame.schema[column])
        return frame.with_columns(
            pl.when(pl.int_range(pl.len()) == 0).then(new).otherwise(pl.col(column)).alias(column))
    return change


def raw_bytes(table: str, change: Callable[[bytes], bytes]) -> Damage:
    def apply(directory: Path) -> None:
        path = directory / f"{table}.parquet"
        path.write_bytes(change(path.read_bytes()))
    return apply


def delete(table: str) -> Damage:
    return lambda directory: (directory / f"{table}.parquet").unlink()


# (damage, table named, column named (or None), words of the rule)
DAMAGES = [
    pytest.param(edit("articles", first("article_id", None)), "articles", "article_id", "null", id="null-primary-key"),
    pytest.param(edit("quotes", lambda f: pl.concat([f, f.head(1)])), "quotes", "quote_id", "uniq", id="duplicate-row"),
    pytest.param(edit("actor_mentions", first("actor_id", "nobody")), "actor_mentions", "actor_id", "foreign key",
                 id="dangling-actor"),
    pytest.param(edit("actor_mentions", first("start", pl.col("start") + 1)), "actor_mentions", "start,end,surface",
                 "span", id="shifted-span"),
    pytest.param(edit("quotes", first("text", pl.lit("invented words"))), "quotes", "start,end,text", "span",
                 id="changed-quote-text"),
    pytest.param(edit("figures", first("qualifier", "roughly")), "figures", "qualifier", "isin", id="out-of-enum"),
    pytest.param(edit("figures", first("value_low", pl.col("value") + 10)), "figures", "value_low,value",
                 "value_low > value", id="swapped-bounds"),
    pytest.param(edit("events", lambda f: f.drop("modality")), "events", "modality", "column", id="dropped-column"),
    pytest.param(edit("figures", lambda f: f.with_columns(pl.col("value").cast(pl.Utf8))), "figures", "value",
                 "dtype", id="changed-dtype"),
    pytest.param(raw_bytes("events", lambda b: b[: len(b) // 2]), "events", None, "unreadable", id="truncated-file"),
    pytest.param(raw_bytes("places", lambda b: b"\x00" * len(b)), "places", None, "unreadable", id="zeroed-file"),
    pytest.param(delete("quotes"), "quotes", None, "missing", id="missing-file"),
    pytest.param(edit("articles", first("text_sha256", "0" * 64)), "articles", "text_sha256", "sha256",
                 id="wrong-text-hash"),
    pytest.param(edit("articles", first("n_chars", pl.col("n_chars") + 1)), "articles", "n_chars", "len",
                 id="wrong-length"),
    pytest.param(edit("events", first("n_articles", pl.col("n_articles") + 1)), "events", "n_articles",
                 "reporting articles", id="wrong-n-articles"),
    pytest.param(edit("events", first("event_date", date(2016, 1, 1))), "events", "event_date",
                 "after the publication", id="event-after-publication"),
    pytest.param(edit("events", lambda f: first("fatalities_low", 5)(first("fatalities_best", 3)(f))), "events",
                 "fatalities_low,fatalities_best", "fatalities_low > fatalities_best", id="fatalities-order"),
    pytest.param(edit("events", lambda f: first("date_start", date(2015, 10, 9))(first("date_end", date(2015, 10, 1))(f))),
                 "events", "date_start,date_end", "date_start > date_end", id="date-range-reversed"),
    pytest.param(edit("events", first("admin1", "Narnia")), "events", "admin1", "isin", id="unknown-governorate"),
    pytest.param(edit("events", first("country_iso3", "syr")), "events", "country_iso3", "str_matches",
                 id="bad-iso3"),
    pytest.param(edit("events", first("where_precision", 9)), "events", "where_precision", "in_range",
                 id="where-precision-range"),
    pytest.param(edit("events", first("date_precision", 0)), "events", "date_precision", "in_range",
                 id="date-precision-range"),
    pytest.param(edit("events", first("place_id", "atlantis")), "events", "place_id", "foreign key",
                 id="dangling-place"),
    pytest.param(edit("places", first("latitude", 123.0)), "places", "latitude", "in_range", id="latitude-range"),
    pytest.param(edit("articles", first("published_date", date(1999, 1, 1))), "articles", "published_date",
                 "outside", id="implausible-date"),
    pytest.param(edit("actors", lambda f: f.with_columns(pl.col("actor_id").alias("parent_actor_id"))), "actors",
                 "parent_actor_id", "ancestor", id="parent-cycle"),
    pytest.param(edit("actors", first("wikidata_qid", "Q12x")), "actors", "wikidata_qid", "str_matches",
                 id="malformed-qid"),
    pytest.param(edit("quotes", lambda f: f.with_columns(pl.lit(1).alias("sentiment"))), "quotes", "sentiment",
                 "column_in_schema", id="unknown-column"),
    pytest.param(edit("quotes", first("quote_id", "q-1")), "quotes", "quote_id", "str_matches", id="id-pattern"),
    pytest.param(edit("quotes", first("speaker_actor_id", "nobody")), "quotes", "speaker_actor_id", "foreign key",
                 id="dangling-speaker"),
    pytest.param(edit("event_mentions", first("event_id", "evt_0000000000000000")), "event_mentions", "event_id",
                 "foreign key", id="dangling-event"),
    pytest.param(edit("figures", first("event_id", "evt_0000000000000000")), "figures", "event_id", "foreign key",
                 id="dangling-figure-event"),
    pytest.param(edit("actor_mentions", first("start", -1)), "actor_mentions", "start", "greater_than_or_equal",
                 id="negative-offset"),
    pytest.param(edit("cleaning_edits", first("raw_start", pl.col("raw_end") + 1)), "cleaning_edits",
                 "raw_start,raw_end", "raw_start > raw_end", id="edit-bounds"),
    pytest.param(edit("figures", first("article_id", "art_0000000000000000")), "figures", "article_id",
                 "foreign key", id="dangling-article"),
]


def test_clean_tables_pass(built):
    assert validate_dir(built) == []


@pytest.mark.parametrize("damage, table, column, rule", DAMAGES)
def test_damage_is_caught_and_named(built_copy, damage, table, column, rule):
    damage(built_copy)
    failures = validate_dir(built_copy)
    named = [f for f in failures if f.table == table and (column is None or f.column == column)]
    assert named, f"not caught; got: {[str(f) for f in failures]}"
    assert any(rule in f.rule for f in named), [str(f) for f in named]
    if column is not None and "column" not in rule and "dtype" not in rule and "missing" not in rule:
        assert any(f.n_rows >= 1 and f.examples for f in named), "rows and example keys must be named"


def test_descriptor_hash_mismatch_is_caught(built_copy):
    frame = pl.read_parquet(built_copy / "places.parquet")
    frame.write_parquet(built_copy / "places.parquet", compression="uncompressed")
    failures = validate_dir(built_copy)
    assert [f.rule for f in failures] == ["datapackage.json hash does not match places.parquet"]


def test_all_failures_are_collected_at_once(built_copy):
    for damage in (edit("figures", first("qualifier", "roughly")), delete("quotes"),
                   edit("events", first("admin1", "Narnia"))):
        damage(built_copy)
    tables_named = {f.table for f in validate_dir(built_copy)}
    assert {"figures", "quotes", "events"} <= tables_named


def test_missing_table_in_memory_is_a_failure(tables):
    partial = {k: v for k, v in tables.items() if k != "places"}
    assert any(f.table == "places" and f.rule == "table missing" for f in validate_tables(partial))
