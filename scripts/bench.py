"""`make bench`: depeche's cost against its floor, the French spaCy model, all measured in one run.

Every build runs in a fresh process that reports its own peak memory and its workers'. Prints a table and writes
bench-results/bench.json. Sizes can be lowered for a quick look:
    python scripts/bench.py --articles 60 --small 100 --large 400 --rows 200000
"""
from __future__ import annotations

import argparse
import json
import multiprocessing.forkserver
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "dataset" / "raw"
RESULTS = REPO / "bench-results"
WEEKDAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()


# --- inputs ----------------------------------------------------------------------------------------------------

def seed_texts() -> list[str]:
    from depeche.pipeline.ingest import clean, decode
    from depeche.reference import load_reference

    reference = load_reference()
    return [clean(decode(p.read_bytes())[0], reference)[0] for p in sorted(RAW.glob("*.txt"))]


def variant(text: str, i: int) -> str:
    """A unique, realistic article: the seed with other numbers and weekdays and its paragraphs rotated."""
    text = re.sub(r"\b\d+\b", lambda m: str((int(m.group(0)) * (i % 97 + 3) + i) % 100_000), text)
    text = re.sub(r"\b(" + "|".join(WEEKDAYS) + r")\b",
                  lambda m: WEEKDAYS[(WEEKDAYS.index(m.group(1)) + i) % 7], text)
    paragraphs = text.split("\n\n")
    k = i % len(paragraphs)
    return "\n\n".join(paragraphs[k:] + paragraphs[:k]) + f"\n\nDépêche numéro {i}."


def corpus(n: int, seeds: list[str]) -> list[str]:
    return [variant(seeds[i % len(seeds)], i) for i in range(n)]


def write_corpus(texts: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (folder / f"article_{i:06d}.txt").write_text(text, encoding="utf-8")
    return folder


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


# --- measurements: every build runs in a fresh process, like `depeche build` ----------------------------------

def child(task: str, **spec) -> dict:
    """Run `task` in a fresh Python process; its wall time (imports and exit included, less the wait for the
    forkserver to stop, see `run_child`) and the peaks it reports."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", task], input=json.dumps(spec),
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"the {task} child failed (exit {done.returncode}): {spec}\n{done.stderr}")
    reported = json.loads(done.stdout.splitlines()[-1])
    return {"seconds": time.perf_counter() - start - reported["forkserver_stop_s"], **reported}


def run_child(task: str, spec: dict) -> dict:
    """In the child: do the task, then report this process's peak resident memory and its workers' (the largest),
    and the CPU time of all of them (what parallelism costs, whatever else the machine is running)."""
    if task == "bare":
        import spacy

        nlp = spacy.load("fr_core_news_md")
        texts = (path.read_text(encoding="utf-8") for path in sorted(Path(spec["input"]).glob("*.txt")))
        for _ in nlp.pipe(texts, batch_size=16):
            pass
    else:
        from depeche.build import build

        build(Path(spec["input"]), Path(spec["output"]), processes=spec["processes"],
              cache_dir=Path(spec["cache"]) if spec["cache"] else None)
    # Pool workers are children of the forkserver: they count in RUSAGE_CHILDREN once it has reaped them and has
    # been reaped itself. Stopping it is what multiprocessing's own tests do. `depeche build` never waits for this
    # (the forkserver tears its interpreter down after the build process has exited, 0.25 s with spaCy loaded), so
    # the wait is not counted in the build's time.
    start = time.perf_counter()
    multiprocessing.forkserver._forkserver._stop()
    stop_s = time.perf_counter() - start
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"parent_peak_mib": own.ru_maxrss / 1024, "worker_peak_mib": workers.ru_maxrss / 1024,
            "cpu_s": sum(u.ru_utime + u.ru_stime for u in (own, workers)), "forkserver_stop_s": stop_s}


def bare_pipe(folder: Path) -> dict:
    """The floor: loading fr_core_news_md and running nlp.pipe over the folder's texts, nothing else."""
    return child("bare", input=str(folder))


def build_child(folder: Path, out: Path, processes: int, cache: Path | None = None) -> dict:
    """A build; peak_mib is what it may hold at once: its own peak plus `processes` times its largest worker's."""
    result = child("build", input=str(folder), output=str(out), processes=processes, cache=cache and str(cache))
    workers = processes if result["worker_peak_mib"] else 0
    return {**result, "peak_mib": result["parent_peak_mib"] + workers * result["worker_peak_mib"]}


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cold_load(runs: int = 5) -> dict:
    """`import depeche; depeche.load('events')` in fresh processes (median of `runs`), and what it imported."""
    code = ("import sys, time; t = time.perf_counter(); import depeche; depeche.load('events'); "
            "print(time.perf_counter() - t, *(m for m in ('spacy', 'pandera', 'duckdb') if m in sys.modules))")
    outputs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
               for _ in range(runs)]
    return {"seconds": statistics.median(float(o[0]) for o in outputs),
            "heavy_modules_imported": sorted({m for o in outputs for m in o[1:]})}


def synthetic_tables(source: Path, target: Path, rows: int) -> dict[str, int]:
    """Real built tables replicated with fresh IDs until the largest tables reach `rows` rows; keys stay valid."""
    from depeche.schema import TABLES

    tables = {name: pl.read_parquet(source / f"{name}.parquet") for name in TABLES}
    copies = max(1, rows // max(tables["actor_mentions"].height, 1))
    id_columns = {"article_id", "event_id", "mention_id", "quote_id", "figure_id", "claim_id", "dispute_id",
                  "other_article_id", "other_event_id", "other_figure_id"}
    out = {}
    for name, frame in tables.items():
        if name in {"actors", "places"}:
            out[name] = frame
            continue
        parts = []
        for k in range(copies):
            # "art_" + 10 hex of the original + 6 hex of the copy: still a valid, unique ID of the same pattern.
            parts.append(frame.with_columns(pl.col(c).str.slice(0, 14) + pl.lit(f"{k:06x}")
                                            for c in frame.columns if c in id_columns))
        out[name] = pl.concat(parts)
    target.mkdir(parents=True, exist_ok=True)
    from depeche.write import publish

    publish(out, target)
    return {name: frame.height for name, frame in out.items()}


QUERIES = {
    "events per day per governorate": "SELECT event_date, admin1, count(*) AS n FROM events "
                                      "WHERE modality = 'asserted' GROUP BY ALL ORDER BY ALL",
    "figures by claimant": "SELECT a.name, f.category, count(*) AS n, sum(f.value) AS total FROM figures f "
                           "LEFT JOIN actors a ON a.actor_id = f.claimant_actor_id GROUP BY ALL ORDER BY n DESC",
    "quotes by speaker": "SELECT a.name, count(*) AS n FROM quotes q LEFT JOIN actors a "
                         "ON a.actor_id = q.speaker_actor_id GROUP BY ALL ORDER BY n DESC",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=400,
                        help="articles for throughput and 1 vs 2 processes (enough to amortise loading the model)")
    parser.add_argument("--small", type=int, default=1000, help="corpus size for memory and incremental rebuild")
    parser.add_argument("--large", type=int, default=10000, help="corpus size for peak memory")
    parser.add_argument("--repeats", type=int, default=5,
                        help="interleaved repeats of the bare pipe and the 1- and 2-process builds (medians reported)")
    parser.add_argument("--processes", type=int, default=2, help="processes of the memory and incremental builds")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the synthetic tables to validate")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, json.loads(sys.stdin.read()))))
        return

    from depeche.validate import validate_dir

    seeds = seed_texts()
    sizes = {k: v for k, v in vars(args).items() if k != "child"}
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                 "load_average_at_start": os.getloadavg()[0]}, "sizes": sizes}
    work = Path(tempfile.mkdtemp(prefix="depeche-bench-"))
    try:
        texts = corpus(args.articles, seeds)
        folder = write_corpus(texts, work / "corpus")
        n_words = words(texts)
        # Builds keep no documents or rows unless given a cache folder, but every build reads spaCy's French tokenizer
        # exceptions compiled from the default cache folder (depeche.pipeline.regex_cache). The benchmark's own one
        # starts empty: the first build compiles and stores them, as the first build on a machine does.
        default_cache = work / "default-cache"
        os.environ["DEPECHE_CACHE"] = str(default_cache)
        first = build_child(folder, work / "out1", 1)
        # Interleaved repeats: a slow spell of the machine slows the bare pipe and both builds of one repeat alike.
        runs = [{"bare": bare_pipe(folder), "one": build_child(folder, work / "out1", 1),
                 "two": build_child(folder, work / "out2", 2)} for _ in range(args.repeats)]
        bare, one, two = ({"seconds": statistics.median(r[k]["seconds"] for r in runs),
                           "cpu_s": statistics.median(r[k]["cpu_s"] for r in runs)} for k in ("bare", "one", "two"))
        to_bare = [r["bare"]["seconds"] / r["one"]["seconds"] for r in runs]
        speedups = [r["one"]["seconds"] / r["two"]["seconds"] for r in runs]
        results["throughput"] = {
            "articles": args.articles, "words": n_words, "repeats": args.repeats,
            "bare_nlp_pipe_words_per_s": n_words / bare["seconds"], "build_words_per_s": n_words / one["seconds"],
            "ratio_build_to_bare": statistics.median(to_bare), "ratio_each_repeat": to_bare,
            "ratio_of_median_times": bare["seconds"] / one["seconds"],
            "bare_s_each_repeat": [r["bare"]["seconds"] for r in runs], "target": ">= 0.8",
            "first_build_s": first["seconds"], "first_build_ratio_to_median_bare": bare["seconds"] / first["seconds"],
        }
        results["processes"] = {"one_s": one["seconds"], "two_s": two["seconds"], "one_cpu_s": one["cpu_s"],
                                "two_cpu_s": two["cpu_s"], "speedup": statistics.median(speedups),
                                "speedup_each_repeat": speedups,
                                "speedup_of_median_times": one["seconds"] / two["seconds"],
                                "one_s_each_repeat": [r["one"]["seconds"] for r in runs],
                                "two_s_each_repeat": [r["two"]["seconds"] for r in runs], "target": ">= 1.7"}

        small = write_corpus(corpus(args.small, seeds), work / "small")
        mem_small = build_child(small, work / "mem-small", args.processes)
        large = write_corpus(corpus(args.large, seeds), work / "large")
        mem_large = build_child(large, work / "mem-large", args.processes)
        shutil.rmtree(large)
        results["memory"] = {"processes": args.processes, "small": {"articles": args.small, **mem_small},
                             "large": {"articles": args.large, **mem_large},
                             "ratio": mem_large["peak_mib"] / mem_small["peak_mib"],
                             "ratio_parent_only": mem_large["parent_peak_mib"] / mem_small["parent_peak_mib"],
                             "target": "<= 1.5"}

        # The default cache folder, as `depeche build` uses it: the earlier builds left compiled expressions there,
        # but no documents or rows. The full build stores them, and the next one reads them.
        full = build_child(small, work / "inc", args.processes, default_cache)["seconds"]
        (small / "article_new.txt").write_text(variant(seeds[0], 10**6), encoding="utf-8")
        incremental = build_child(small, work / "inc", args.processes, default_cache)["seconds"]
        results["incremental"] = {"corpus": args.small, "processes": args.processes, "full_build_s": full,
                                  "one_added_s": incremental, "speedup": full / incremental, "target": ">= 10"}

        results["cold_load_events"] = {**cold_load(), "target": "< 0.5 s, none of spacy, pandera, duckdb imported"}

        synthetic = work / "synthetic"
        counts = synthetic_tables(work / "out1", synthetic, args.rows)
        failures: list = []
        seconds = timed(lambda: failures.extend(validate_dir(synthetic)))
        results["validate"] = {"rows": counts, "seconds": seconds, "failures": len(failures), "target": "< 5 s"}

        import depeche

        con = depeche.connect(synthetic)
        results["queries"] = {name: timed(lambda sql=sql: con.sql(sql).fetchall()) for name, sql in QUERIES.items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(render(results))


def render(r: dict) -> str:
    t, p, m, i, c, v = (r["throughput"], r["processes"], r["memory"], r["incremental"], r["cold_load_events"],
                        r["validate"])
    rows = [
        (f"build vs bare nlp.pipe (words/s; median of {t['repeats']} repeats' ratios)",
         f"{t['build_words_per_s']:.0f} vs {t['bare_nlp_pipe_words_per_s']:.0f}",
         f"{t['ratio_build_to_bare']:.2f}x", t["target"]),
        ("  each repeat; ratio of the median times", "",
         f"{_spread(t['ratio_each_repeat'])}; {t['ratio_of_median_times']:.2f}x", ""),
        ("  first build on a machine (compiles spaCy's French regexes)", f"{t['first_build_s']:.1f} s",
         f"{t['first_build_ratio_to_median_bare']:.2f}x", ""),
        (f"2 processes vs 1 (median of {t['repeats']} repeats' ratios)", f"{p['two_s']:.1f} s vs {p['one_s']:.1f} s",
         f"{p['speedup']:.2f}x", p["target"]),
        ("  each repeat; ratio of the median times", "",
         f"{_spread(p['speedup_each_repeat'])}; {p['speedup_of_median_times']:.2f}x", ""),
        ("  CPU time, 2 processes vs 1", f"{p['two_cpu_s']:.1f} s vs {p['one_cpu_s']:.1f} s", "", ""),
        (f"peak memory {m['large']['articles']} vs {m['small']['articles']} articles ({m['processes']} processes)",
         f"{m['large']['peak_mib']:.0f} vs {m['small']['peak_mib']:.0f} MiB", f"{m['ratio']:.2f}x", m["target"]),
        ("  of which the parent process",
         f"{m['large']['parent_peak_mib']:.0f} vs {m['small']['parent_peak_mib']:.0f} MiB",
         f"{m['ratio_parent_only']:.2f}x", ""),
        (f"add 1 article to {i['corpus']} ({i['processes']} processes)",
         f"{i['one_added_s']:.1f} s vs {i['full_build_s']:.1f} s", f"{i['speedup']:.1f}x", i["target"]),
        ("cold import + load('events')", f"{c['seconds']:.3f} s",
         f"imported: {', '.join(c['heavy_modules_imported']) or 'none'}", c["target"]),
        (f"validate {max(v['rows'].values()):,} rows", f"{v['seconds']:.2f} s", f"{v['failures']} failures",
         v["target"]),
    ] + [(f"query: {name}", f"{s * 1000:.0f} ms", "", "") for name, s in r["queries"].items()]
    width = max(len(row[0]) for row in rows)
    machine = r["machine"]
    return "\n".join([f"{machine['cpus']} CPUs, load average {machine['load_average_at_start']:.1f} when the "
                      "benchmark started (demand from other processes)"]
                     + [f"{a:<{width}}  {b:>26}  {c:>22}  {d}" for a, b, c, d in rows])


def _spread(ratios: list[float]) -> str:
    return " ".join(f"{x:.2f}x" for x in ratios)


if __name__ == "__main__":
    main()
