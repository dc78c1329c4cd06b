"""What an extraction process runs: the model loaded once, then chunks of articles parsed and extracted.

The pipeline stages (spaCy) are imported when a worker starts, not when this module is imported: the build
process names these functions to start its workers without loading spaCy itself. A worker forked from the
forkserver finds the `preload` modules already imported there, once for all workers.
"""
from __future__ import annotations

import gc
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..reference import Reference
from .rows import ArticleRows, RowCache, default_cache_dir

# What the forkserver imports once for every worker. Not spaCy's French data: each worker imports it after reading
# its tokenizer exceptions compiled from the cache folder (`regex_cache`), in 0.15 s rather than 2.3 s.
PRELOAD = ["depeche.pipeline.extract", "depeche.pipeline.parse"]
WARM_ARTICLES = 32
YOUNG_OBJECTS = 10_000  # allocations between two collections of the youngest generation (Python's default: 700)

_state: dict = {}


def start(reference: Reference | Path, cache_dir: Path | None, row_cache: RowCache | None) -> None:
    """Load the model once per process, its slowest regular expressions compiled from the cache folder (and stored
    there when they were not). That folder is the default one ($DEPECHE_CACHE or ~/.cache/depeche) when the build
    keeps no documents or rows: a compiled expression depends only on the expression and the Python build. A worker
    process reads the reference data from the file the build pickled it to."""
    from . import nlp, parse
    from .regex_cache import RegexCache

    if isinstance(reference, Path):
        reference = pickle.loads(reference.read_bytes())
    regexes = RegexCache(cache_dir or default_cache_dir())
    regexes.prime()
    with regexes.recording():
        pipeline = nlp.load_pipeline(reference)
    _state.update(nlp=pipeline, reference=reference, row_cache=row_cache,
                  doc_cache=parse.DocCache(cache_dir, pipeline, reference.fingerprint) if cache_dir else None,
                  warmed=0)


def start_worker(reference: Path, cache_dir: Path | None, row_cache: RowCache | None) -> None:
    """A pool worker's initializer: `start`, then `collect_rarely` for the rest of the process, which only extracts."""
    start(reference, cache_dir, row_cache)
    collect_rarely()


def collect_rarely() -> tuple[int, int, int]:
    """Keep Python's garbage collector from rescanning the model. Its 550 000 Python objects (lemma tables mostly)
    live as long as the process, and each full collection scanned them all again. Parsing and extraction allocate
    millions of short-lived objects, so with Python's defaults the collector ran 2 800 times over 400 articles, for
    1.6 s (3% of the build). Freezing the objects that exist now (the model, once loaded) and collecting the youngest
    generation every YOUNG_OBJECTS allocations cut that to 0.5 s. Returns the thresholds it replaced."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *previous[1:])
    return previous


@contextmanager
def collecting_rarely() -> Iterator[None]:
    """`collect_rarely` for an extraction in the caller's process, undone afterwards."""
    previous = collect_rarely()
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


def extract_chunk(articles: list[tuple[int, dict]]) -> list[tuple[int, ArticleRows]]:
    """Parse and extract a chunk inside a spaCy memory zone: the strings and lexemes its documents add to the
    vocabulary are freed afterwards (the rows are plain values), so a worker's memory does not grow with the number
    of articles it has seen."""
    from . import extract, parse

    extracted = []
    _warm_tokenizer([a["text"] for _, a in articles])
    with _state["nlp"].memory_zone():
        docs = parse.parse_cached(_state["nlp"], (a["text"] for _, a in articles), _state["doc_cache"])
        for (position, article), doc in zip(articles, docs):
            rows = extract.extract_article(article, doc, _state["reference"])
            if _state["row_cache"]:
                _state["row_cache"].put(article, rows)
            extracted.append((position, rows))
    return extracted


def _warm_tokenizer(texts: list[str]) -> None:
    """spaCy's tokenizer caches nothing inside a memory zone: each chunk split every word again with its regular
    expressions, and parsing took about 7 ms more per article (8%). So the first WARM_ARTICLES articles a process
    gets are tokenized once outside a zone too: the splits of their words stay cached for every later chunk, and
    their lexemes stay in the vocabulary. spaCy caps that cache (10 000 entries), so memory still does not grow with
    the number of articles."""
    wanted = texts[:max(WARM_ARTICLES - _state["warmed"], 0)]
    for text in wanted:
        _state["nlp"].make_doc(text)
    _state["warmed"] += len(wanted)
