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


MANIFEST = "manifest.csv"


def read_inputs(directory: Path) -> tuple[list[RawFile], list[Rejection]]:
    """Every file of the folder: .txt files are articles; any other file is a rejection, never skipped silently.

    Hidden files and the folder's own manifest.csv are not inputs.
    """
    if not directory.is_dir():
        raise BuildError(f"{directory}: not a folder")
    files, rejected = [], []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.name == MANIFEST or path.is_dir():
            continue
        if path.suffix.lower() != ".txt":
            rejected.append(Rejection(path.name, f"not a .txt file ({path.suffix or 'no extension'})"))
            continue
        try:
            files.append(RawFile(path.name, path.read_bytes()))
        except OSError as err:
            rejected.append(Rejection(path.name, f"unreadable: {err.strerror}"))
    if not files and not rejected:
        raise BuildError(f"{directory}: no .txt articles")
    return files, rejected


def build_tables(files: list[RawFile], reference: Reference, *, keep_going: bool = False,
                 unread: list[Rejection] = ()) -> BuildResult:
    """Pure: raw files + reference data -> every table. `unread`: files rejected before reading."""
    from .pipeline.extract import extract_article
    from .pipeline.nlp import load_pipeline, parse
    from .pipeline.resolve import resolve

    staged = ingest(files, reference)
    rejected = sorted([*unread, *staged.rejected], key=lambda r: r.source_file)
    if rejected and not keep_going:
        lines = "\n".join(f"  {r.source_file}: {r.reason}" for r in rejected)
        raise BuildError(f"{len(rejected)} bad input file(s); nothing was written:\n{lines}")
    if staged.articles.is_empty():
        raise BuildError("no usable article among the inputs; nothing was written")
    nlp = load_pipeline(reference)
    article_rows = staged.articles.to_dicts()
    docs = parse(nlp, (a["text"] for a in article_rows))
    rows = [extract_article(article, doc, reference) for article, doc in zip(article_rows, docs)]
    tables = {"articles": staged.articles, "cleaning_edits": staged.cleaning_edits,
              **resolve(staged.articles, rows, reference)}
    return BuildResult(tables, rejected)


def build(input_dir: Path, output_dir: Path, *, keep_going: bool = False,
          reference_dir: Path | None = None) -> BuildResult:
    """Build, validate, and publish only when the tables are valid."""
    files, unread = read_inputs(input_dir)
    result = build_tables(files, load_reference(reference_dir), keep_going=keep_going, unread=unread)
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
