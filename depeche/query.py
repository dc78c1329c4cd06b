"""Read-only SQL over the tables: one DuckDB view per table, commented from the schema descriptions.

The connection is in memory: each table is copied from its Parquet file into a hidden schema and shown as a view.
Then external access is switched off and the configuration locked, so no SQL can write or read any file, attach a
database or load an extension; whatever a session does stays in its own memory.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from .paths import tables_dir
from .schema import TABLES


HIDDEN = "_depeche_data"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(directory: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    base = Path(directory or tables_dir()).resolve()
    con = duckdb.connect(":memory:")
    con.execute(f"CREATE SCHEMA {HIDDEN}")
    for name, spec in TABLES.items():
        path = base / f"{name}.parquet"
        con.execute(f"CREATE TABLE {HIDDEN}.{name} AS SELECT * FROM read_parquet({_literal(str(path))})")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM {HIDDEN}.{name}")
        con.execute(f"COMMENT ON VIEW {name} IS {_literal(spec.description)}")
        for column, definition in spec.schema.columns.items():
            con.execute(f'COMMENT ON COLUMN {name}."{column}" IS {_literal(definition.description or "")}')
    con.execute("SET enable_external_access = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET lock_configuration = true")
    return con
