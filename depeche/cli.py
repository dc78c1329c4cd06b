"""The `depeche` command: a thin layer over the Python API. Exit codes: 0 ok, 1 invalid data or failed check,
2 bad usage or bad input (nothing written)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import paths

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildError, build
    from .paths import OutputNotOurs
    from .pipeline.rows import default_cache_dir

    output = args.output or paths.tables_dir()
    try:
        result = build(args.input or paths.raw_dir(), output, keep_going=args.keep_going,
                       processes=args.processes, cache_dir=None if args.no_cache else default_cache_dir())
    except (BuildError, OutputNotOurs, ValueError) as err:
        print(f"depeche build: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(f"built {output}")
    print(summary(result.tables))
    return EXIT_OK


def summary(tables: dict) -> str:
    lines = [f"  {name:<16} {frame.height:>7} rows" for name, frame in tables.items()]
    articles = tables["articles"]
    known = articles["published_date"].drop_nulls()
    coverage = f"{known.min()} .. {known.max()}" if known.len() else "none"
    events = tables["events"]["event_date"].drop_nulls()
    event_coverage = f"{events.min()} .. {events.max()}" if events.len() else "none"
    lines.append(f"  publication dates: {coverage} ({known.len()} of {articles.height} articles dated)")
    lines.append(f"  event dates: {event_coverage}")
    return "\n".join(lines)


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import report_github, report_json, report_text, validate_dir

    directory = Path(args.directory) if args.directory else paths.tables_dir()
    if not directory.is_dir():
        print(f"depeche validate: {directory}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    failures = validate_dir(directory)
    render = {"text": report_text, "json": report_json, "github": report_github}["json" if args.json else args.format]
    print(render(failures, directory))
    return EXIT_INVALID if failures else EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from .query import connect

    try:
        relation = connect(args.directory).sql(args.sql)
    except duckdb.Error as err:
        print(f"depeche query: {err}", file=sys.stderr)
        return EXIT_INVALID
    if relation is None:
        return EXIT_OK
    frame = relation.pl()
    if args.format == "csv":
        sys.stdout.write(frame.write_csv())
    elif args.format == "json":
        print(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=2))
    else:
        import polars as pl

        with pl.Config(tbl_rows=200, tbl_cols=30, fmt_str_lengths=80, tbl_width_chars=200):
            print(frame)
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from .validate import read_tables

    directory = Path(args.directory) if args.directory else paths.tables_dir()
    tables, failures = read_tables(directory)
    if failures:
        print("\n".join(str(f) for f in failures), file=sys.stderr)
        return EXIT_INVALID
    print(f"{directory}")
    print(summary(tables))
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, format_report, report_to_json

    report = evaluate(Path(args.gold), Path(args.tables) if args.tables else paths.tables_dir())
    print(json.dumps(report_to_json(report), ensure_ascii=False, indent=2) if args.json
          else format_report(report, verbose=not args.brief))
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="depeche", description=__doc__.split(".")[0])
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build the tables from a folder of .txt articles")
    p.add_argument("--input", type=Path, help="folder of .txt articles (default: the packaged dataset/raw)")
    p.add_argument("--output", type=Path, help="output folder (default: the packaged dataset/tables)")
    p.add_argument("--keep-going", action="store_true", help="build from the good files, record the bad ones")
    p.add_argument("--processes", type=int, default=1, help="worker processes for parsing and extraction")
    p.add_argument("--no-cache", action="store_true",
                   help="do not read or write parsed documents and extracted rows in the cache "
                        "($DEPECHE_CACHE or ~/.cache/depeche; compiled regular expressions are still kept there)")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("validate", help="check every rule on a tables folder; exit 1 on any failure")
    p.add_argument("directory", nargs="?", help="tables folder (default: the packaged dataset)")
    p.add_argument("--json", action="store_true", help="same as --format json")
    p.add_argument("--format", choices=["text", "json", "github"], default="text")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("query", help="run read-only SQL over one view per table")
    p.add_argument("sql")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--directory", help="tables folder (default: the packaged dataset)")
    p.set_defaults(run=cmd_query)

    p = sub.add_parser("info", help="row counts and date coverage")
    p.add_argument("directory", nargs="?")
    p.set_defaults(run=cmd_info)

    p = sub.add_parser("evaluate", help="score the tables against gold annotations")
    p.add_argument("--gold", required=True, help="folder of gold JSON files")
    p.add_argument("--tables", help="tables folder (default: the packaged dataset)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--brief", action="store_true", help="scores only, no list of misses")
    p.set_defaults(run=cmd_evaluate)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
