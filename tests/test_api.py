"""The Python API and the read-only query surface, on a built dataset."""
from __future__ import annotations

import subprocess
import sys

import duckdb
import polars as pl
import pytest

import depeche
from depeche.schema import TABLES


def test_tables_and_load(built):
    assert depeche.tables() == list(TABLES)
    events = depeche.load("events", built)
    assert isinstance(events, pl.DataFrame)
    assert list(events.columns) == list(TABLES["events"].polars_schema)
    with pytest.raises(KeyError, match="no table 'evnts'"):
        depeche.load("evnts", built)


def test_connect_has_a_commented_view_per_table(built):
    con = depeche.connect(built)
    views = dict(con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
    assert set(views) == set(TABLES)
    assert views["quotes"] == TABLES["quotes"].description
    comments = dict(con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = 'figures'").fetchall())
    assert comments["claimant_actor_id"] == TABLES["figures"].schema.columns["claimant_actor_id"].description
    n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert n == pl.read_parquet(built / "articles.parquet").height


@pytest.mark.parametrize("sql", [
    "COPY articles TO '{dir}/stolen.csv'",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_parquet('{dir}/articles.parquet')",
    "INSTALL httpfs",
    "LOAD httpfs",
    "ATTACH '{dir}/other.duckdb' AS other",
    "SET enable_external_access = true",
])
def test_query_surface_cannot_touch_files_or_extensions(built, sql):
    con = depeche.connect(built)
    before = {p.name: p.read_bytes() for p in built.iterdir()}
    with pytest.raises(duckdb.Error):
        con.execute(sql.format(dir=built))
    assert {p.name: p.read_bytes() for p in built.iterdir()} == before


def test_changes_in_a_session_never_reach_the_files(built):
    before = (built / "articles.parquet").read_bytes()
    con = depeche.connect(built)
    con.execute("DROP VIEW articles")
    con.execute("DELETE FROM _depeche_data.articles")
    assert (built / "articles.parquet").read_bytes() == before
    assert depeche.connect(built).execute("SELECT count(*) FROM articles").fetchone()[0] > 0


def test_using_the_data_does_not_import_spacy(built):
    code = (f"import sys, depeche; depeche.load('events', {str(built)!r}); depeche.connect({str(built)!r}); "
            "print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_table_names_are_the_schema_tables():
    assert depeche.TABLE_NAMES == tuple(TABLES)
    assert depeche.TABLES is TABLES


def test_loading_a_table_imports_neither_spacy_nor_pandera_nor_duckdb(built):
    code = (f"import sys, depeche; depeche.load('events', {str(built)!r}); "
            "print(sorted(m for m in ('spacy', 'pandera', 'duckdb') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
