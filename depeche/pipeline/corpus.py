"""Every article's rows, gathered compactly in the build process: the input of `resolve`.

Kept apart from the per-article extraction so that the worker processes, which only extract, do not import the
schema (pandera).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from ..schema import TABLES
from .rows import ArticleRows, ProvisionalActor


@dataclass
class CorpusRows:
    """The rows of every article in input order: mentions, quotes and figures as frames (a few bytes per value
    instead of a dict per row), event reports and provisional actors as the objects resolve works on."""
    actor_mentions: pl.DataFrame
    quotes: pl.DataFrame
    figures: pl.DataFrame
    provisional_actors: list[ProvisionalActor]
    event_reports: list[dict]


FRAMED = ("actor_mentions", "quotes", "figures")
POSITION = "_position"


def collect(positioned: Iterable[tuple[int, ArticleRows]], batch: int = 256) -> CorpusRows:
    """Gather (input position, rows) pairs that arrive in any order, turning every `batch` articles' rows into
    frames as they come, so the dicts of only one batch are alive at a time."""
    frames: dict[str, list[pl.DataFrame]] = {name: [] for name in FRAMED}
    provisional: dict[int, list] = {}
    reports: dict[int, list[dict]] = {}
    pending: list[tuple[int, ArticleRows]] = []
    for position, rows in positioned:
        provisional[position] = rows.provisional_actors
        reports[position] = rows.event_reports
        pending.append((position, rows))
        if len(pending) == batch:
            _frame(pending, frames)
            pending = []
    _frame(pending, frames)
    ordered = sorted(reports)
    return CorpusRows(
        **{name: pl.concat(parts).sort(POSITION, maintain_order=True).drop(POSITION) for name, parts in frames.items()},
        provisional_actors=[a for p in ordered for a in provisional[p]],
        event_reports=[r for p in ordered for r in reports[p]],
    )


def _frame(pending: list[tuple[int, ArticleRows]], frames: dict[str, list[pl.DataFrame]]) -> None:
    for name in FRAMED:
        rows = [(position, row) for position, article in pending for row in getattr(article, name)]
        frames[name].append(pl.DataFrame([row for _, row in rows], schema=TABLES[name].polars_schema)
                            .with_columns(pl.Series(POSITION, [p for p, _ in rows], dtype=pl.Int64)))
