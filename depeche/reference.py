"""Curated reference data (actor registry, gazetteer, lexicons): CSV files in dataset/reference/.

Every CSV is read as strings (empty cell -> null); columns named `*_date`, `valid_from` or `valid_to` become dates.
Pipeline stages read the files they need by name, e.g. `reference.actors` or `reference["reporting_verbs"]`.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path
from typing import TypeVar

import polars as pl

from .paths import reference_dir

DATE_COLUMNS = ("valid_from", "valid_to")
Derived = TypeVar("Derived")


@dataclass(frozen=True)
class Reference:
    tables: dict[str, pl.DataFrame]
    fingerprint: str

    def __getitem__(self, name: str) -> pl.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"reference table {name!r} missing: expected {name}.csv in the reference folder") from None

    def __getattr__(self, name: str) -> pl.DataFrame:
        if name.startswith("__") or name == "tables":  # not a reference table (e.g. while unpickling)
            raise AttributeError(name)
        try:
            return self.tables[name]
        except KeyError:
            raise AttributeError(f"reference table {name!r} missing: expected {name}.csv in the reference folder") from None


def read_csv(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except Exception as err:  # polars raises several types for malformed CSV
        raise ValueError(f"{path}: unreadable CSV: {err}") from None
    dates = [c for c in frame.columns if c.endswith("_date") or c in DATE_COLUMNS]
    return frame.with_columns(pl.col(c).str.to_date("%Y-%m-%d", strict=True) for c in dates)


def load_reference(directory: Path | None = None) -> Reference:
    directory = directory or reference_dir()
    files = sorted(directory.glob("*.csv"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return Reference({p.stem: read_csv(p) for p in files}, digest.hexdigest()[:16])


def per_reference(derive: Callable[[Reference], Derived]) -> Callable[[Reference], Derived]:
    """Memoise what a stage derives from the reference data (lexicons, indexes), once per process and reference
    fingerprint: the same data gives the same result, whichever Reference object carries it."""
    derived: dict[str, Derived] = {}

    @wraps(derive)
    def cached(reference: Reference) -> Derived:
        if reference.fingerprint not in derived:
            derived[reference.fingerprint] = derive(reference)
        return derived[reference.fingerprint]
    return cached


def reference_table(reference: Reference, name: str) -> pl.DataFrame:
    """A lexicon of the reference folder, or the packaged one (small test registries need not copy them)."""
    return reference.tables[name] if name in reference.tables else _packaged(name)


def lexicon_rows(reference: Reference, name: str, columns: tuple[str, ...]) -> tuple[tuple, ...]:
    """The columns of a lexicon (see `reference_table`) as hashable rows."""
    return tuple(reference_table(reference, name).select(columns).rows())


@lru_cache(maxsize=None)
def _packaged(name: str) -> pl.DataFrame:
    return load_reference()[name]
