"""The generated metadata passes the standards' own validators."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

BIN = Path(sys.executable).parent


def test_datapackage_passes_frictionless_validate(built):
    # Frictionless cannot count the bytes of Parquet files it reads through pyarrow; depeche validate checks the
    # hashes itself (test_validate.py::test_descriptor_hash_mismatch_is_caught).
    result = subprocess.run([str(BIN / "frictionless"), "validate", "datapackage.json",
                             "--skip-errors", "byte-count,hash-count"],
                            cwd=built, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_frictionless_catches_a_broken_constraint(built_copy):
    import polars as pl

    quotes = pl.read_parquet(built_copy / "quotes.parquet")
    quotes.with_columns(pl.lit("verbatim").alias("quote_type")).write_parquet(built_copy / "quotes.parquet")
    result = subprocess.run([str(BIN / "frictionless"), "validate", "datapackage.json",
                             "--skip-errors", "byte-count,hash-count"],
                            cwd=built_copy, capture_output=True, text=True)
    assert result.returncode != 0
    assert "constraint" in result.stdout


def test_croissant_passes_mlcroissant_validate(tmp_path):
    shutil.copy(REPO / "croissant.json", tmp_path / "croissant.json")
    result = subprocess.run([str(BIN / "mlcroissant"), "validate", "--jsonld", "croissant.json"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "error" not in result.stderr.lower().replace("0 error", "")


def test_citation_names_this_version():
    from depeche import metadata

    text = (REPO / "CITATION.cff").read_text()
    assert f"version: {metadata.VERSION}" in text and "cff-version: 1.2.0" in text
