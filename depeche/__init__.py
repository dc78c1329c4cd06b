"""depeche: French news articles as tidy, validated, span-traceable tables.

Using the data needs polars and duckdb only; building it (spaCy) is imported on demand by `depeche.build`.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from . import metadata
from .paths import tables_dir
from .query import connect
from .schema import TABLES

__all__ = ["load", "tables", "connect", "TABLES"]
__version__ = metadata.VERSION


def tables() -> list[str]:
    """Names of the dataset's tables."""
    return list(TABLES)


def load(name: str, directory: str | Path | None = None) -> pl.DataFrame:
    """One table as a polars DataFrame, from the packaged dataset or a built folder."""
    if name not in TABLES:
        raise KeyError(f"no table {name!r}; tables: {', '.join(TABLES)}")
    return pl.read_parquet(Path(directory or tables_dir()) / f"{name}.parquet")
