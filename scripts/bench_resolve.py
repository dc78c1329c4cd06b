"""Everything after extraction at corpus scale: time and peak memory of `resolve()` and `validate_tables()` on N
articles, without parsing N articles.

The five seed articles are parsed and extracted once; their rows are replicated into N synthetic articles (fresh
IDs, dates shifted by up to SHIFT_DAYS so that many copies report the same event on the same day and merge, as
many outlets reporting one strike do). The extraction and each size run in fresh processes (a child's peak RSS
starts at its parent's, so the parent never loads the model), so each size's peak RSS is its own:
    python scripts/bench_resolve.py --sizes 1000 10000
Inside resolve(), merge_events and claims.build are timed on their own. `--without-claims` leaves the claims
table empty, to time the rest alone.
"""
from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "dataset" / "raw"
SHIFT_DAYS = 28


def seed_rows() -> tuple[pl.DataFrame, pl.DataFrame, list]:
    """The seed articles, their cleaning edits and their extracted rows (ArticleRows), as `depeche build` has them."""
    from depeche.build import extract_all, read_inputs
    from depeche.pipeline.ingest import ingest
    from depeche.reference import load_reference

    reference = load_reference()
    files, _ = read_inputs(RAW)
    staged = ingest(files, reference)
    extracted = sorted(extract_all(staged.articles, reference), key=lambda positioned: positioned[0])
    return staged.articles, staged.cleaning_edits, [rows for _, rows in extracted]


def _own(rows: list[dict], article_id: str, copy: int, key: str | None = None) -> list[dict]:
    """A copy's rows: its article, and a fresh ID in `key` (same prefix, from the seed's ID and the copy)."""
    from depeche.ids import content_id

    fresh = (lambda r: {key: content_id(r[key].split("_")[0], r[key], copy)}) if key else (lambda r: {})
    return [{**r, "article_id": article_id, **fresh(r)} for r in rows]


def _shifted(report: dict, days: timedelta) -> dict:
    return {**report, **{k: report[k] + days for k in ("event_date", "date_start", "date_end") if report[k]}}


def copy_rows(seed, article_id: str, copy: int, days: timedelta):
    """The seed's extracted rows as another article's, its event dates shifted by `days`."""
    from dataclasses import replace

    figures = _own(seed.figures, article_id, copy, "figure_id")
    renamed = {old["figure_id"]: new["figure_id"] for old, new in zip(seed.figures, figures)}
    reports = [{**_shifted(r, days), "figure_ids": [renamed[f] for f in r["figure_ids"]]}
               for r in _own(seed.event_reports, article_id, copy)]
    return replace(seed, article_id=article_id, figures=figures, event_reports=reports,
                   actor_mentions=_own(seed.actor_mentions, article_id, copy, "mention_id"),
                   quotes=_own(seed.quotes, article_id, copy, "quote_id"))


def replicate(articles: pl.DataFrame, edits: pl.DataFrame, rows: list,
              n: int) -> tuple[pl.DataFrame, pl.DataFrame, list]:
    """N articles: article i is a copy of seed i % 5 with its own IDs, its dates shifted by (i // 5) % SHIFT_DAYS."""
    from depeche.ids import content_id

    seeds = {r.article_id: r for r in rows}
    order = articles["article_id"].to_list()
    article_parts, edit_parts, out = [], [], []
    for i in range(n):
        seed_id, copy = order[i % len(order)], i // len(order)
        days = timedelta(days=copy % SHIFT_DAYS)
        article_id = content_id("art", seed_id, copy)
        article_parts.append(articles.filter(pl.col("article_id") == seed_id).with_columns(
            pl.lit(article_id).alias("article_id"), pl.col("published_date") + days,
            pl.format("{}#{}", "source_file", pl.lit(copy)).alias("source_file")))
        edit_parts.append(edits.filter(pl.col("article_id") == seed_id).with_columns(article_id=pl.lit(article_id)))
        out.append(copy_rows(seeds[seed_id], article_id, copy, days))
    return pl.concat(article_parts), pl.concat(edit_parts), out


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timing(fn, seconds: dict, name: str):
    """`fn`, adding the seconds of each call to seconds[name]."""
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start
    return timed


def measure(n: int, seeds: Path, with_claims: bool) -> dict:
    """One size, in this (fresh) process."""
    from depeche.pipeline import claims, resolve
    from depeche.pipeline.corpus import collect
    from depeche.reference import load_reference
    from depeche.schema import TABLES
    from depeche.validate import validate_tables

    stages: dict[str, float] = {}
    resolve.merge_events = timing(resolve.merge_events, stages, "merge_events")
    claims.build = timing(claims.build if with_claims else lambda *_: TABLES["claims"].frame([]), stages, "claims")
    reference = load_reference()
    articles, edits, rows = replicate(*pickle.loads(seeds.read_bytes()), n)
    before = peak_mib()
    start = time.perf_counter()
    tables = {"articles": articles, "cleaning_edits": edits,
              **resolve.resolve(articles, collect(enumerate(rows)), reference)}
    resolve_s, resolve_peak = time.perf_counter() - start, peak_mib()
    start = time.perf_counter()
    failures = validate_tables(tables)
    validate_s = time.perf_counter() - start
    return {"articles": n, "with_claims": with_claims, "peak_mib_inputs": before, "resolve_s": resolve_s,
            "merge_events_s": stages["merge_events"], "claims_s": stages["claims"], "peak_mib_resolve": resolve_peak,
            "validate_s": validate_s, "peak_mib_validate": peak_mib(), "failures": len(failures),
            "rows": {name: frame.height for name, frame in tables.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="numbers of articles")
    parser.add_argument("--without-claims", action="store_true", help="leave the claims table empty")
    parser.add_argument("--seeds", type=Path, help=argparse.SUPPRESS)  # in a child process: where the seed rows are
    parser.add_argument("--extract", action="store_true", help=argparse.SUPPRESS)  # child: write them there
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child: measure this size
    args = parser.parse_args()
    if args.extract:
        args.seeds.write_bytes(pickle.dumps(seed_rows()))
        return
    if args.one:
        print(json.dumps(measure(args.one, args.seeds, not args.without_claims)))
        return
    with tempfile.TemporaryDirectory(prefix="depeche-bench-resolve-") as work:
        seeds = Path(work) / "seeds.pickle"
        child([sys.executable, __file__, "--extract", "--seeds", str(seeds)])
        results = []
        for n in args.sizes:
            out = child([sys.executable, __file__, "--one", str(n), "--seeds", str(seeds)]
                        + ["--without-claims"] * args.without_claims)
            results.append(json.loads(out.splitlines()[-1]))
            print(render(results[-1]), flush=True)
    if len(results) > 1:
        small, large = results[0], results[-1]
        print(f"{large['articles']} vs {small['articles']} articles: "
              f"resolve {large['resolve_s'] / small['resolve_s']:.1f}x time, "
              f"peak memory {large['peak_mib_validate'] / small['peak_mib_validate']:.2f}x")


def child(command: list[str]) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def render(r: dict) -> str:
    claims = f"claims {r['claims_s']:.2f} s" if r["with_claims"] else "claims not built"
    return (f"{r['articles']:>6} articles  resolve {r['resolve_s']:8.2f} s (merge_events {r['merge_events_s']:.2f} s, "
            f"{claims})  validate {r['validate_s']:6.2f} s  "
            f"peak RSS: inputs {r['peak_mib_inputs']:6.0f} MiB, after resolve {r['peak_mib_resolve']:6.0f} MiB, "
            f"after validate {r['peak_mib_validate']:6.0f} MiB  ({r['failures']} failures; "
            f"{r['rows']['events']} events, {r['rows']['event_mentions']} event mentions, "
            f"{r['rows']['claims']} claims)")


if __name__ == "__main__":
    main()
