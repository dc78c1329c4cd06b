"""datapackage.json (Frictionless Data Package v2), generated from the pandera models and the written files."""
from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from . import metadata
from .ids import sha256
from .schema import TABLES, TableSpec

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
DESCRIPTOR = "datapackage.json"


def field_type(dtype: pl.DataType) -> dict:
    if dtype == pl.Utf8:
        return {"type": "string"}
    if dtype.is_integer():
        return {"type": "integer"}
    if dtype.is_float():
        return {"type": "number"}
    if dtype == pl.Boolean:
        return {"type": "boolean"}
    if dtype == pl.Date:
        return {"type": "date"}
    if isinstance(dtype, pl.List):
        # Frictionless reads Parquet lists as arrays its `array`/`list` types reject; the item type is kept aside.
        return {"type": "any", "parquetType": f"list<{field_type(dtype.inner)['type']}>"}
    raise TypeError(f"no Table Schema type for {dtype}")


def constraints(column) -> dict:
    out: dict = {"required": not column.nullable}
    if column.unique:
        out["unique"] = True
    for check in column.checks:
        stats = check.statistics
        if check.name == "isin":
            out["enum"] = list(stats["allowed_values"])
        elif check.name == "str_matches":
            out["pattern"] = stats["pattern"]
        elif check.name in ("in_range", "greater_than_or_equal_to"):
            if "min_value" in stats:
                out["minimum"] = stats["min_value"]
            if "max_value" in stats:
                out["maximum"] = stats["max_value"]
    return out


def table_schema(spec: TableSpec) -> dict:
    fields = []
    for name, column in spec.schema.columns.items():
        field = {"name": name, **field_type(column.dtype.type), "description": column.description or "",
                 "constraints": constraints(column)}
        if column.nullable and column.dtype.type.is_numeric():
            # Readers that go through pandas (Frictionless) see a null float as NaN.
            field["missingValues"] = ["nan"]
        fields.append(field)
    # An empty string is a value here (e.g. a cleaning edit that inserts nothing); only null is missing.
    schema: dict = {"fields": fields, "missingValues": [], "primaryKey": list(spec.primary_key)}
    if spec.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fk.columns),
             "reference": {"resource": "" if fk.table == spec.name else fk.table, "fields": list(fk.target)}}
            for fk in spec.foreign_keys
        ]
    return schema


def sha256_file(path: Path) -> str:
    return sha256(path.read_bytes())


def descriptor(tables_dir: Path, articles: pl.DataFrame, base: str = "") -> dict:
    """The descriptor for the tables in `tables_dir`; resource paths are `base` + file name."""
    resources = []
    for name, spec in TABLES.items():
        path = tables_dir / f"{name}.parquet"
        resources.append({
            "name": name, "type": "table", "path": f"{base}{name}.parquet", "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "description": spec.description, "bytes": path.stat().st_size, "hash": f"sha256:{sha256_file(path)}",
            "schema": table_schema(spec),
        })
    sources = [{"title": row["source_file"], "path": row["source_file"], "sha256": row["raw_sha256"]}
               for row in articles.sort("source_file").iter_rows(named=True)]
    return {
        "$schema": PROFILE,
        "name": metadata.NAME,
        "title": metadata.TITLE,
        "description": metadata.DESCRIPTION,
        "version": metadata.VERSION,
        "keywords": metadata.KEYWORDS,
        "licenses": [{"name": metadata.LICENSE_NAME, "path": metadata.LICENSE_URL, "title": metadata.LICENSE_TITLE}],
        "sources": sources,
        "contributors": [{"title": metadata.AUTHOR, "roles": ["creator"]}],
        "resources": resources,
    }


def render(desc: dict) -> str:
    return json.dumps(desc, ensure_ascii=False, indent=2) + "\n"
