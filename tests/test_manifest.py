"""The raw articles are the seeds, byte for byte, and the manifest describes them."""
from __future__ import annotations

import polars as pl

from depeche.manifest import MANIFEST, describe, read_notes

from .conftest import RAW


def test_manifest_matches_the_raw_files():
    committed = pl.read_csv(RAW / MANIFEST, schema_overrides={"bytes": pl.Int64})
    assert committed.equals(describe(RAW, read_notes(RAW))), "run scripts/update_manifest.py"
    assert committed["notes"].null_count() == 0, "every raw file needs a curator's note"
