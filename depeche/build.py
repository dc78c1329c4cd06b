"""`depeche build`: a folder of articles -> a published, validated dataset folder."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .pipeline.ingest import RawFile, Rejection, ingest
from .reference import Reference, load_reference
from .validate import Failure, validate_tables
from .write import publish

REJECTED_FILE = "rejected.csv"


class BuildError(RuntimeError):
    """The build cannot proceed; nothing was written."""


@dataclass
class BuildResult:
    tables: dict[str, pl.DataFrame]
    rejected: list[Rejection] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def read_inputs(directory: Path) -> list[RawFile]:
    if not directory.is_dir():
        raise BuildError(f"{directory}: not a folder")
    files = [RawFile(p.name, p.read_bytes()) for p in sorted(directory.iterdir()) if p.is_file() and p.suffix == ".txt"]
    if not files:
        raise BuildError(f"{directory}: no .txt articles")
    return files


def build_tables(files: list[RawFile], reference: Reference, *, keep_going: bool = False) -> BuildResult:
    """Pure: raw files + reference data -> every table."""
    from .pipeline.extract import extract_article
    from .pipeline.nlp import load_pipeline, parse
    from .pipeline.resolve import resolve

    staged = ingest(files, reference)
    if staged.rejected and not keep_going:
        lines = "\n".join(f"  {r.source_file}: {r.reason}" for r in staged.rejected)
        raise BuildError(f"{len(staged.rejected)} bad input file(s); nothing was written:\n{lines}")
    if staged.articles.is_empty():
        raise BuildError("no usable article among the inputs; nothing was written")
    nlp = load_pipeline(reference)
    article_rows = staged.articles.to_dicts()
    docs = parse(nlp, (a["text"] for a in article_rows))
    rows = [extract_article(article, doc, reference) for article, doc in zip(article_rows, docs)]
    tables = {"articles": staged.articles, "cleaning_edits": staged.cleaning_edits,
              **resolve(staged.articles, rows, reference)}
    return BuildResult(tables, staged.rejected)


def build(input_dir: Path, output_dir: Path, *, keep_going: bool = False,
          reference_dir: Path | None = None) -> BuildResult:
    """Build, validate, and publish only when the tables are valid."""
    result = build_tables(read_inputs(input_dir), load_reference(reference_dir), keep_going=keep_going)
    result.failures = validate_tables(result.tables)
    if result.failures:
        raise BuildError("the built tables are invalid; nothing was written:\n"
                         + "\n".join(f"  {f}" for f in result.failures[:50]))
    extras = {}
    if result.rejected:
        rejected = pl.DataFrame([{"source_file": r.source_file, "reason": r.reason} for r in result.rejected])
        extras[REJECTED_FILE] = rejected.write_csv()
        for r in result.rejected:
            print(f"rejected {r.source_file}: {r.reason}", file=sys.stderr)
    publish(result.tables, output_dir, extras)
    return result
