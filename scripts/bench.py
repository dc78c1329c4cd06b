"""`make bench`: depeche's cost against its floor, the French spaCy model, all measured in one run.

Prints a table and writes bench-results/bench.json. Sizes can be lowered for a quick look:
    python scripts/bench.py --articles 100 --large 1000 --rows 100000
"""
from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import shutil
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


# --- measurements ----------------------------------------------------------------------------------------------

def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bare_pipe_seconds(texts: list[str]) -> float:
    """The floor: loading fr_core_news_md and running nlp.pipe over the texts, nothing else."""
    def run():
        import spacy

        nlp = spacy.load("fr_core_news_md")
        for _ in nlp.pipe(texts, batch_size=16):
            pass
    return timed(run)


def build_seconds(folder: Path, out: Path, processes: int, cache: Path | None) -> float:
    from depeche.build import build

    return timed(lambda: build(folder, out, processes=processes, cache_dir=cache))


def peak_memory_mib(folder: Path, out: Path, processes: int) -> float:
    """Peak resident memory of a build in a fresh process (max over the process and its workers)."""
    code = ("import sys; from pathlib import Path; from depeche.build import build; "
            f"build(Path({str(folder)!r}), Path({str(out)!r}), processes={processes})")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, "-c", code], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(after, before) / 1024


def cold_load() -> dict:
    code = ("import sys, time; t = time.perf_counter(); import depeche; depeche.load('events'); "
            "print(time.perf_counter() - t, 'spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return {"seconds": float(out[0]), "spacy_imported": out[1] == "True"}


def synthetic_tables(source: Path, target: Path, rows: int) -> dict[str, int]:
    """Real built tables replicated with fresh IDs until the largest tables reach `rows` rows; keys stay valid."""
    from depeche.schema import TABLES

    tables = {name: pl.read_parquet(source / f"{name}.parquet") for name in TABLES}
    copies = max(1, rows // max(tables["actor_mentions"].height, 1))
    id_columns = {"article_id", "event_id", "mention_id", "quote_id", "figure_id"}
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
    parser.add_argument("--articles", type=int, default=300, help="articles for throughput and scaling")
    parser.add_argument("--small", type=int, default=1000, help="corpus size for memory and incremental rebuild")
    parser.add_argument("--large", type=int, default=10000, help="corpus size for peak memory")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the synthetic tables to validate")
    args = parser.parse_args()

    from depeche.validate import validate_dir

    seeds = seed_texts()
    results: dict = {"machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
                     "sizes": vars(args)}
    work = Path(tempfile.mkdtemp(prefix="depeche-bench-"))
    try:
        texts = corpus(args.articles, seeds)
        folder = write_corpus(texts, work / "corpus")
        n_words = words(texts)
        bare = bare_pipe_seconds(texts)
        one = build_seconds(folder, work / "out1", 1, None)
        two = build_seconds(folder, work / "out2", 2, None)
        results["throughput"] = {
            "articles": args.articles, "words": n_words,
            "bare_nlp_pipe_words_per_s": n_words / bare, "build_words_per_s": n_words / one,
            "ratio_build_to_bare": bare / one, "target": ">= 0.8",
        }
        results["processes"] = {"one_s": one, "two_s": two, "speedup": one / two, "target": ">= 1.7"}

        small = write_corpus(corpus(args.small, seeds), work / "small")
        large = write_corpus(corpus(args.large, seeds), work / "large")
        mem_small = peak_memory_mib(small, work / "mem-small", 1)
        mem_large = peak_memory_mib(large, work / "mem-large", 1)
        results["memory"] = {"articles_small": args.small, "peak_mib_small": mem_small,
                             "articles_large": args.large, "peak_mib_large": mem_large,
                             "ratio": mem_large / mem_small, "target": "<= 1.5"}

        cache = work / "cache"
        full = build_seconds(small, work / "inc", 1, cache)
        (small / "article_new.txt").write_text(variant(seeds[0], 10**6), encoding="utf-8")
        incremental = build_seconds(small, work / "inc", 1, cache)
        results["incremental"] = {"corpus": args.small, "full_build_s": full, "one_added_s": incremental,
                                  "speedup": full / incremental, "target": ">= 10"}

        results["cold_load_events"] = {**cold_load(), "target": "< 0.5 s, spaCy not imported"}

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
        ("build vs bare nlp.pipe (words/s)", f"{t['build_words_per_s']:.0f} vs {t['bare_nlp_pipe_words_per_s']:.0f}",
         f"{t['ratio_build_to_bare']:.2f}x", t["target"]),
        ("2 processes vs 1", f"{p['two_s']:.1f} s vs {p['one_s']:.1f} s", f"{p['speedup']:.2f}x", p["target"]),
        (f"peak memory {m['articles_large']} vs {m['articles_small']} articles",
         f"{m['peak_mib_large']:.0f} vs {m['peak_mib_small']:.0f} MiB", f"{m['ratio']:.2f}x", m["target"]),
        (f"add 1 article to {i['corpus']}", f"{i['one_added_s']:.1f} s vs {i['full_build_s']:.1f} s",
         f"{i['speedup']:.1f}x", i["target"]),
        ("cold import + load('events')", f"{c['seconds']:.3f} s", f"spaCy imported: {c['spacy_imported']}",
         c["target"]),
        (f"validate {max(v['rows'].values()):,} rows", f"{v['seconds']:.2f} s", f"{v['failures']} failures",
         v["target"]),
    ] + [(f"query: {name}", f"{s * 1000:.0f} ms", "", "") for name, s in r["queries"].items()]
    width = max(len(row[0]) for row in rows)
    return "\n".join(f"{a:<{width}}  {b:>26}  {c:>22}  {d}" for a, b, c, d in rows)


if __name__ == "__main__":
    main()
