"""`depeche validate`: every rule over every table, all failures collected, none raised.

Column rules (types, nullability, enums, ranges, patterns, uniqueness) come from the pandera models; the rules
that span rows or tables (keys, spans, hashes, bounds, event dates) are declared here as vectorised polars checks.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import pandera.polars as pa
import polars as pl

from . import datapackage
from .ids import sha256
from .schema import TABLES, TableSpec

MAX_EXAMPLES = 5
EARLIEST, LATEST = date(2011, 1, 1), date(2030, 12, 31)


@dataclass
class Failure:
    table: str
    column: str | None
    rule: str
    n_rows: int
    examples: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        examples = f" e.g. {', '.join(self.examples)}" if self.examples else ""
        return f"{where}: {self.rule} ({self.n_rows} row{'s' * (self.n_rows != 1)}){examples}"


def _keys(spec: TableSpec, rows: pl.DataFrame) -> list[str]:
    columns = [c for c in spec.primary_key if c in rows.columns]
    if not columns:
        return []
    return ["/".join(str(v) for v in row) for row in rows.select(columns).head(MAX_EXAMPLES).iter_rows()]


def _fail(spec: TableSpec, column: str | None, rule: str, rows: pl.DataFrame) -> list[Failure]:
    return [Failure(spec.name, column, rule, rows.height, _keys(spec, rows))] if rows.height else []


# --- column rules from the models -------------------------------------------------------------------------------

COLUMN_PRESENCE_CHECKS = {"column_in_schema", "column_in_dataframe"}


def check_model(spec: TableSpec, frame: pl.DataFrame) -> list[Failure]:
    try:
        spec.model.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    failures = []
    indexed = frame.with_row_index("__row")
    for (column, check), group in cases.group_by(["column", "check"], maintain_order=True):
        if check in COLUMN_PRESENCE_CHECKS:  # the failure case is the column's name
            failures += [Failure(spec.name, name, check, frame.height) for name in group["failure_case"].unique().sort()]
            continue
        rows = group["index"].drop_nulls().unique().sort()
        if rows.len():
            bad = indexed.filter(pl.col("__row").is_in(rows.implode()))
            failures.append(Failure(spec.name, column, check, bad.height, _keys(spec, bad)))
        else:
            failures.append(Failure(spec.name, column, f"{check}: {group['failure_case'][0]}", frame.height, []))
    return failures


# --- rules across rows and tables -------------------------------------------------------------------------------

def check_primary_key(spec: TableSpec, frame: pl.DataFrame) -> list[Failure]:
    key = list(spec.primary_key)
    dupes = frame.filter(pl.struct(key).is_duplicated())
    nulls = frame.filter(pl.any_horizontal(pl.col(key).is_null()))
    return (_fail(spec, ",".join(key), "primary key not unique", dupes)
            + _fail(spec, ",".join(key), "primary key has nulls", nulls))


def check_foreign_keys(spec: TableSpec, frame: pl.DataFrame, tables: dict[str, pl.DataFrame]) -> list[Failure]:
    failures = []
    for fk in spec.foreign_keys:
        target = tables.get(fk.table)
        if target is None or not set(fk.target) <= set(target.columns) or not set(fk.columns) <= set(frame.columns):
            continue
        values = frame.filter(pl.all_horizontal(pl.col(list(fk.columns)).is_not_null()))
        dangling = values.join(target.select(fk.target).unique(), left_on=list(fk.columns),
                               right_on=list(fk.target), how="anti")
        failures += _fail(spec, ",".join(fk.columns), f"foreign key: no matching {fk.table}.{','.join(fk.target)}",
                          dangling)
    return failures


def check_spans(spec: TableSpec, frame: pl.DataFrame, articles: pl.DataFrame | None) -> list[Failure]:
    if articles is None or "article_id" not in frame.columns or not {"article_id", "text"} <= set(articles.columns):
        return []
    failures = []
    for span in spec.spans:
        if not {span.start, span.end, span.surface} <= set(frame.columns):
            continue
        present = frame.filter(pl.col(span.start).is_not_null() | pl.col(span.end).is_not_null()
                               | pl.col(span.surface).is_not_null())
        joined = present.join(articles.select("article_id", pl.col("text").alias("__text")), on="article_id",
                              how="left")
        bad = joined.filter(
            pl.col(span.start).is_null() | pl.col(span.end).is_null() | pl.col(span.surface).is_null()
            | (pl.col(span.start) > pl.col(span.end))
            | (pl.col(span.end) > pl.col("__text").str.len_chars())
            | (pl.col("__text").str.slice(pl.col(span.start), pl.col(span.end) - pl.col(span.start))
               != pl.col(span.surface)).fill_null(True)
        )
        failures += _fail(spec, f"{span.start},{span.end},{span.surface}",
                          f"span: articles.text[{span.start}:{span.end}] != {span.surface}", bad)
    return failures


def _rule(spec: TableSpec, frame: pl.DataFrame, column: str, rule: str, bad: pl.Expr) -> list[Failure]:
    if not set(bad.meta.root_names()) <= set(frame.columns):
        return []
    return _fail(spec, column, rule, frame.filter(bad.fill_null(False)))


def check_rows(spec: TableSpec, frame: pl.DataFrame, tables: dict[str, pl.DataFrame]) -> list[Failure]:
    """Rules that compare columns of a row, or a row with other tables."""
    c = pl.col
    failures: list[Failure] = []
    if spec.name == "articles":
        if {"text", "text_sha256"} <= set(frame.columns):
            hashes = pl.Series([sha256(t) if t is not None else None
                                for t in frame["text"]], dtype=pl.Utf8)
            failures += _fail(spec, "text_sha256", "text_sha256 != sha256(text)",
                              frame.filter((hashes != frame["text_sha256"]).fill_null(True)))
        failures += _rule(spec, frame, "n_chars", "n_chars != len(text)", c("n_chars") != c("text").str.len_chars())
        failures += _rule(spec, frame, "published_date", f"published_date outside {EARLIEST}..{LATEST}",
                          ~c("published_date").is_between(EARLIEST, LATEST))
    if spec.name == "cleaning_edits":
        failures += _rule(spec, frame, "raw_start,raw_end", "raw_start > raw_end", c("raw_start") > c("raw_end"))
    if spec.name == "figures":
        failures += _rule(spec, frame, "value_low,value", "value_low > value", c("value_low") > c("value"))
        failures += _rule(spec, frame, "value,value_high", "value > value_high", c("value") > c("value_high"))
    if spec.name == "quotes":
        failures += _rule(spec, frame, "speaker_actor_id,speaker_surface", "speaker without a surface",
                          c("speaker_actor_id").is_not_null() & c("speaker_surface").is_null())
    if spec.name == "events":
        failures += _rule(spec, frame, "fatalities_low,fatalities_best", "fatalities_low > fatalities_best",
                          c("fatalities_low") > c("fatalities_best"))
        failures += _rule(spec, frame, "fatalities_best,fatalities_high", "fatalities_best > fatalities_high",
                          c("fatalities_best") > c("fatalities_high"))
        failures += _rule(spec, frame, "date_start,date_end", "date_start > date_end", c("date_start") > c("date_end"))
        failures += _rule(spec, frame, "event_date", "event_date outside date_start..date_end",
                          (c("event_date") < c("date_start")) | (c("event_date") > c("date_end")))
        failures += _rule(spec, frame, "event_date", f"event_date outside {EARLIEST}..{LATEST}",
                          ~c("event_date").is_between(EARLIEST, LATEST))
        failures += _rule(spec, frame, "admin1,country_iso3", "admin1 set outside Syria",
                          c("admin1").is_not_null() & (c("country_iso3") != "SYR"))
        mentions, articles = tables.get("event_mentions"), tables.get("articles")
        if mentions is not None and {"event_id", "article_id"} <= set(mentions.columns) and "event_id" in frame.columns:
            counts = mentions.group_by("event_id").agg(pl.col("article_id").n_unique().alias("__n"))
            joined = frame.join(counts, on="event_id", how="left").with_columns(c("__n").fill_null(0))
            failures += _rule(spec, joined, "n_articles", "n_articles != number of reporting articles",
                              c("n_articles") != c("__n"))
            if articles is not None and "published_date" in articles.columns:
                latest = (mentions.join(articles.select("article_id", "published_date"), on="article_id")
                          .group_by("event_id").agg(c("published_date").max().alias("__published")))
                joined = frame.join(latest, on="event_id", how="left")
                failures += _rule(spec, joined, "event_date", "event_date after the publication of its reports",
                                  c("event_date") > c("__published"))
    if spec.name == "actors" and {"actor_id", "parent_actor_id"} <= set(frame.columns):
        failures += _fail(spec, "parent_actor_id", "actor is its own ancestor", _cycles(frame))
    return failures


def _cycles(actors: pl.DataFrame) -> pl.DataFrame:
    parent = dict(zip(actors["actor_id"], actors["parent_actor_id"]))
    cyclic = []
    for actor_id in parent:
        seen, current = set(), actor_id
        while current is not None and current not in seen:
            seen.add(current)
            current = parent.get(current)
        if current == actor_id:
            cyclic.append(actor_id)
    return actors.filter(pl.col("actor_id").is_in(cyclic))


# --- entry points -----------------------------------------------------------------------------------------------

def well_typed(spec: TableSpec, frame: pl.DataFrame) -> pl.DataFrame:
    """The columns whose dtype is the model's: rules across rows and tables run on these only (the model check
    has already reported the others), so one wrong dtype cannot hide the other failures."""
    expected = spec.polars_schema
    return frame.select([c for c in frame.columns if c in expected and frame.schema[c] == expected[c]])


def validate_tables(tables: dict[str, pl.DataFrame]) -> list[Failure]:
    failures: list[Failure] = []
    typed = {name: well_typed(TABLES[name], frame) for name, frame in tables.items() if name in TABLES}
    articles = typed.get("articles")
    for name, spec in TABLES.items():
        if name not in tables:
            failures.append(Failure(name, None, "table missing", 0))
            continue
        failures += check_model(spec, tables[name])
        frame = typed[name]
        if set(spec.primary_key) <= set(frame.columns):
            failures += check_primary_key(spec, frame)
        failures += check_foreign_keys(spec, frame, typed)
        failures += check_spans(spec, frame, articles)
        failures += check_rows(spec, frame, typed)
    return failures


def read_tables(directory: Path) -> tuple[dict[str, pl.DataFrame], list[Failure]]:
    tables, failures = {}, []
    for name in TABLES:
        path = directory / f"{name}.parquet"
        if not path.exists():
            failures.append(Failure(name, None, f"file missing: {path}", 0))
            continue
        try:
            tables[name] = pl.read_parquet(path)
        except Exception as err:  # any damage to the file is a finding, not a crash
            failures.append(Failure(name, None, f"unreadable Parquet file {path.name}: {type(err).__name__}: {err}", 0))
    return tables, failures


def check_descriptor(directory: Path) -> list[Failure]:
    """The datapackage.json beside the tables must describe the files as they are."""
    path = directory / datapackage.DESCRIPTOR
    if not path.exists():
        return [Failure("datapackage", None, f"{datapackage.DESCRIPTOR} missing", 0)]
    try:
        desc = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        return [Failure("datapackage", None, f"unreadable {datapackage.DESCRIPTOR}: {err}", 0)]
    failures = []
    for resource in desc.get("resources", []):
        file = directory / Path(resource.get("path", "")).name
        if file.exists() and resource.get("hash") != f"sha256:{datapackage.sha256_file(file)}":
            failures.append(Failure(resource.get("name", file.name), None,
                                    f"{datapackage.DESCRIPTOR} hash does not match {file.name}", 0))
    return failures


def validate_dir(directory: Path) -> list[Failure]:
    tables, failures = read_tables(directory)
    return failures + check_descriptor(directory) + validate_tables(tables)


# --- reports ----------------------------------------------------------------------------------------------------

def report_text(failures: list[Failure], directory: Path | str) -> str:
    if not failures:
        return f"{directory}: valid ({len(TABLES)} tables, every rule passed)"
    lines = [f"{directory}: {len(failures)} failing rule(s)"]
    for table in dict.fromkeys(f.table for f in failures):
        lines.append(f"{table}:")
        lines += [f"  {str(f).split(': ', 1)[1] if f.column is None else str(f)[len(table) + 1:]}"
                  for f in failures if f.table == table]
    return "\n".join(lines)


def report_json(failures: list[Failure], directory: Path | str) -> str:
    return json.dumps({"path": str(directory), "valid": not failures, "failures": [asdict(f) for f in failures]},
                      ensure_ascii=False, indent=2)


def report_github(failures: list[Failure], directory: Path | str) -> str:
    def esc(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    lines = [f"::error title=depeche validate {f.table}::{esc(str(f))}" for f in failures]
    return "\n".join(lines + [report_text(failures, directory)])
