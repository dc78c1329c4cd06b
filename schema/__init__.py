"""The dataset's tables: one pandera model each, plus the keys that bind them.

This package is the single source of truth: datapackage.json, docs/codebook.md and the DuckDB comments are
generated from it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandera.polars as pa
import polars as pl

from .actor_mentions import ActorMentions
from .actors import Actors
from .articles import Articles
from .claims import CLAIM_KEYS, Claims
from .cleaning_edits import CleaningEdits
from .event_mentions import EventMentions
from .events import Events
from .figures import Figures
from .places import Places
from .quotes import Quotes


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    target: tuple[str, ...]


@dataclass(frozen=True)
class Span:
    """Columns whose text must equal articles.text[start:end] of the row's article."""

    start: str
    end: str
    surface: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type[pa.DataFrameModel]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    spans: tuple[Span, ...] = ()
    sort_by: tuple[str, ...] = field(default=())

    @property
    def schema(self) -> pa.DataFrameSchema:
        return self.model.to_schema()

    @property
    def polars_schema(self) -> dict[str, pl.DataType]:
        """Column name -> polars dtype, in the model's column order."""
        return {name: column.dtype.type for name, column in self.schema.columns.items()}

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.polars_schema)

    def frame(self, rows: list[dict]) -> pl.DataFrame:
        """Rows (dicts with at least the model's columns) as a frame in the model's column order and dtypes."""
        return pl.DataFrame(rows, schema=self.polars_schema) if rows else self.empty()

    @property
    def description(self) -> str:
        return (self.model.__doc__ or "").strip()

    @property
    def order(self) -> tuple[str, ...]:
        """Row order on disk: the sort keys, else the primary key."""
        return self.sort_by or self.primary_key


def _fk(columns: str, table: str, target: str) -> ForeignKey:
    return ForeignKey(tuple(columns.split(",")), table, tuple(target.split(",")))


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in [
        TableSpec("articles", Articles, ("article_id",)),
        TableSpec(
            "cleaning_edits", CleaningEdits, ("article_id", "raw_start"),
            (_fk("article_id", "articles", "article_id"),),
        ),
        TableSpec("actors", Actors, ("actor_id",), (_fk("parent_actor_id", "actors", "actor_id"),)),
        TableSpec(
            "actor_mentions", ActorMentions, ("mention_id",),
            (_fk("article_id", "articles", "article_id"), _fk("actor_id", "actors", "actor_id")),
            (Span("start", "end", "surface"),),
            ("article_id", "start", "end", "actor_id"),
        ),
        TableSpec(
            "quotes", Quotes, ("quote_id",),
            (_fk("article_id", "articles", "article_id"), _fk("speaker_actor_id", "actors", "actor_id")),
            (Span("start", "end", "text"), Span("speaker_start", "speaker_end", "speaker_surface")),
            ("article_id", "start"),
        ),
        TableSpec(
            "figures", Figures, ("figure_id",),
            (
                _fk("article_id", "articles", "article_id"),
                _fk("claimant_actor_id", "actors", "actor_id"),
                _fk("event_id", "events", "event_id"),
            ),
            (Span("start", "end", "surface"),),
            ("article_id", "start"),
        ),
        TableSpec(
            "events", Events, ("event_id",),
            (
                _fk("actor1_id", "actors", "actor_id"),
                _fk("actor2_id", "actors", "actor_id"),
                _fk("claimant_actor_id", "actors", "actor_id"),
                _fk("place_id", "places", "place_id"),
            ),
        ),
        TableSpec(
            "event_mentions", EventMentions, ("event_id", "article_id"),
            (_fk("event_id", "events", "event_id"), _fk("article_id", "articles", "article_id")),
            (Span("start", "end", "surface"),),
            ("article_id", "start", "event_id"),
        ),
        TableSpec("places", Places, ("place_id",)),
        TableSpec(
            "claims", Claims, ("claim_id",), tuple(_fk(c, t, k) for c, t, k in CLAIM_KEYS),
            (Span("start", "end", "surface"),), ("dispute_id", "article_id", "start"),
        ),
    ]
}

__all__ = ["TABLES", "TableSpec", "ForeignKey", "Span"]
