"""Stage 8, write: tables -> Parquet files and datapackage.json, published in one step.

Files are written to a fresh folder beside the output and exchanged with it in one system call, so whenever the
process dies the output is either the previous complete dataset or the new one, never a mix or nothing.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path

import polars as pl

from . import datapackage
from .paths import OutputNotOurs
from .schema import TABLES

MARKER = datapackage.DESCRIPTOR


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
    _remove_leftovers(output)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{output.name}-", dir=output.parent))
    try:
        write_tables(tables, staging)
        desc = datapackage.descriptor(staging, tables["articles"])
        (staging / MARKER).write_text(datapackage.render(desc), encoding="utf-8")
        for name, text in (extras or {}).items():
            (staging / name).write_text(text, encoding="utf-8")
        _fsync_tree(staging)
        _swap_in(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


STAGING_PREFIX = ".depeche-new-"


def _remove_leftovers(output: Path) -> None:
    """Staging folders of builds that were killed before they finished."""
    for leftover in output.parent.glob(f"{STAGING_PREFIX}{output.name}-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _fsync_tree(directory: Path) -> None:
    for path in directory.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def _swap_in(new: Path, output: Path) -> None:
    """Make `new` the content of `output` in one step; afterwards `new` holds the old content (or nothing)."""
    if not output.exists():
        os.rename(new, output)
    elif not _exchange(new, output):
        raise OSError(f"cannot swap {output} atomically on this system (renameat2 RENAME_EXCHANGE unavailable)")


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 with RENAME_EXCHANGE)."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"renameat2({a}, {b}): {os.strerror(err)}")
    return True


AT_FDCWD, RENAME_EXCHANGE = -100, 2
