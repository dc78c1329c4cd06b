"""Stage 8, write: tables -> Parquet files and datapackage.json, published in one step.

Files are written to a fresh folder beside the output and swapped in with renames, so the output is always
either the previous complete dataset or the new one.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import polars as pl

from . import datapackage
from .schema import TABLES

MARKER = datapackage.DESCRIPTOR


class OutputNotOurs(RuntimeError):
    pass


def write_tables(tables: dict[str, pl.DataFrame], directory: Path) -> None:
    for name, spec in TABLES.items():
        frame = tables[name].select(spec.polars_schema.keys()).sort(list(spec.order))
        frame.write_parquet(directory / f"{name}.parquet", compression="zstd", statistics=True)


def publish(tables: dict[str, pl.DataFrame], output: Path, extras: dict[str, str] | None = None) -> None:
    """Write the tables, their descriptor and any `extras` (file name -> text) as the new content of `output`."""
    output = output.resolve()
    if output.exists() and any(output.iterdir()) and not (output / MARKER).exists():
        raise OutputNotOurs(f"{output}: not empty and not a depeche dataset (no {MARKER}); refusing to replace it")
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        write_tables(tables, staging)
        desc = datapackage.descriptor(staging, tables["articles"])
        (staging / MARKER).write_text(datapackage.render(desc), encoding="utf-8")
        for name, text in (extras or {}).items():
            (staging / name).write_text(text, encoding="utf-8")
        _swap(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(new: Path, output: Path) -> None:
    """Replace `output` by `new`: rename the old one aside, rename the new one in, then delete the old one."""
    old = output.with_name(f".{output.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        os.rename(output, old)
    os.rename(new, output)
    shutil.rmtree(old, ignore_errors=True)
