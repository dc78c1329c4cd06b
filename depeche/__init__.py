"""depeche: French news articles as tidy, validated, span-traceable tables.

Loading a table needs polars only: `import depeche` imports neither pandera (the schema), duckdb (`connect`) nor
spaCy (building). `depeche.TABLES` and `depeche.connect` import theirs on first use.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from . import metadata
from .paths import tables_dir

__all__ = ["load", "tables", "connect", "TABLES"]
__version__ = metadata.VERSION

# The names of depeche.schema.TABLES, in its order, so that loading a table does not import pandera
# (a test checks that the two agree).
TABLE_NAMES = ("articles", "cleaning_edits", "actors", "actor_mentions", "quotes", "figures", "events",
               "event_mentions", "places", "claims")


def tables() -> list[str]:
    """Names of the dataset's tables."""
    return list(TABLE_NAMES)


def load(name: str, directory: str | Path | None = None) -> pl.DataFrame:
    """One table as a polars DataFrame, from the packaged dataset or a built folder."""
    if name not in TABLE_NAMES:
        raise KeyError(f"no table {name!r}; tables: {', '.join(TABLE_NAMES)}")
    return pl.read_parquet(Path(directory or tables_dir()) / f"{name}.parquet")


def __getattr__(name: str):
    """`connect` (duckdb) and `TABLES` (pandera), imported when first used."""
    if name == "connect":
        from .query import connect

        return connect
    if name == "TABLES":
        from .schema import TABLES

        return TABLES
    raise AttributeError(f"module 'depeche' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "connect", "TABLES"])
