"""What an extraction process runs: the model loaded once, then chunks of articles parsed and extracted.

The pipeline stages (spaCy) are imported when a worker starts, not when this module is imported: the build
process names these functions to start its workers without loading spaCy itself. A worker forked from the
forkserver finds the `PRELOAD` modules already imported there, once for all workers.
"""
from __future__ import annotations

import pickle
from pathlib import Path

from ..reference import Reference
from .rows import ArticleRows, RowCache

# What every worker imports, spaCy's French language data among it (compiling its tokenizer exceptions takes 2 s).
PRELOAD = ["depeche.pipeline.extract", "depeche.pipeline.parse", "spacy.lang.fr"]

_state: dict = {}


def start(reference: Reference | Path, cache_dir: Path | None, row_cache: RowCache | None) -> None:
    """Load the model once per process. A worker process reads the reference data from the file the build
    pickled it to."""
    from . import nlp, parse

    if isinstance(reference, Path):
        reference = pickle.loads(reference.read_bytes())
    pipeline = nlp.load_pipeline(reference)
    _state.update(nlp=pipeline, reference=reference, row_cache=row_cache,
                  doc_cache=parse.DocCache(cache_dir, pipeline, reference.fingerprint) if cache_dir else None)


def extract_chunk(articles: list[tuple[int, dict]]) -> list[tuple[int, ArticleRows]]:
    """Parse and extract a chunk inside a spaCy memory zone: the strings and lexemes its documents add to the
    vocabulary are freed afterwards (the rows are plain values), so a worker's memory does not grow with the number
    of articles it has seen."""
    from . import extract, parse

    extracted = []
    with _state["nlp"].memory_zone():
        docs = parse.parse_cached(_state["nlp"], (a["text"] for _, a in articles), _state["doc_cache"])
        for (position, article), doc in zip(articles, docs):
            rows = extract.extract_article(article, doc, _state["reference"])
            if _state["row_cache"]:
                _state["row_cache"].put(article, rows)
            extracted.append((position, rows))
    return extracted
