"""The cache of extracted rows: a rebuild reuses what has not changed, and nothing stale is ever read."""
from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import subprocess
import sys
from datetime import date

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import depeche.pipeline.extract as extract_module
import depeche.pipeline.nlp as nlp_module
from depeche.build import (REJECTED_FILE, Extractor, build, changed_since_published, chunk_sizes, extract_all,
                           read_inputs)
from depeche.pipeline.corpus import collect
from depeche.pipeline.rows import ArticleRows, RowCache, code_fingerprint
from depeche.pipeline import worker
from depeche.pipeline.ingest import ingest

from .conftest import RAW


@pytest.fixture(scope="module")
def cached_build(tmp_path_factory):
    """The seed articles built once with an empty cache: (cache folder, output folder)."""
    base = tmp_path_factory.mktemp("cached")
    build(RAW, base / "out", cache_dir=base / "cache")
    return base / "cache", base / "out"


def files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def model_must_not_load(reference):
    raise AssertionError("the spaCy model was loaded although every article was cached")


def test_a_warm_rebuild_is_identical_and_loads_no_model(cached_build, tmp_path, monkeypatch):
    cache, first = cached_build
    monkeypatch.setattr(nlp_module, "load_pipeline", model_must_not_load)
    build(RAW, tmp_path / "again", cache_dir=cache)
    assert files(tmp_path / "again") == files(first)


@pytest.mark.parametrize("warm, processes", [(True, 1), (False, 2)])
def test_the_build_process_never_imports_spacy_when_it_has_cached_rows_or_workers(
        cached_build, tmp_path, warm, processes):
    """Reading cached rows, gathering and resolving them need no parser: the build process leaves spaCy to the
    workers, so it starts them at once, and a cached rebuild does not pay for importing it."""
    cache, first = cached_build
    if not warm:
        cache = tmp_path / "empty-cache"
    code = ("import sys; from pathlib import Path; from depeche.build import build\n"
            "if __name__ == '__main__':\n"
            f"    build(Path({str(RAW)!r}), Path({str(tmp_path / 'again')!r}), cache_dir=Path({str(cache)!r}), "
            f"processes={processes})\n"
            "    print(sorted(m for m in ('spacy', 'thinc') if m in sys.modules))")
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert imported.split("\n")[-2] == "[]"
    assert files(tmp_path / "again") == files(first)


def test_an_edited_article_alone_is_extracted_again(cached_build, tmp_path, monkeypatch):
    cache, _ = cached_build
    folder = tmp_path / "in"
    shutil.copytree(RAW, folder)
    edited = sorted(folder.glob("*.txt"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nL'aviation russe a bombardé Alep mardi.\n",
                      encoding="utf-8")
    extracted = []

    def counting(article, doc, reference):
        extracted.append(article["source_file"])
        return real(article, doc, reference)

    real = extract_module.extract_article
    monkeypatch.setattr(extract_module, "extract_article", counting)
    build(folder, tmp_path / "cached", cache_dir=cache)
    assert extracted == [edited.name]
    build(folder, tmp_path / "fresh")
    assert files(tmp_path / "cached") == files(tmp_path / "fresh")


def test_workers_fill_the_cache_with_the_rows_they_return(reference, tmp_path, monkeypatch):
    articles = ingest(read_inputs(RAW)[0], reference).articles
    from_workers = collect(extract_all(articles, reference, processes=2, cache_dir=tmp_path, chunk=2))
    monkeypatch.setattr(nlp_module, "load_pipeline", model_must_not_load)
    monkeypatch.setattr(multiprocessing, "get_context", lambda method: pytest.fail("workers started"))
    from_cache = collect(extract_all(articles, reference, processes=2, cache_dir=tmp_path, chunk=2))
    for name in ("actor_mentions", "quotes", "figures"):
        assert getattr(from_cache, name).equals(getattr(from_workers, name)), name
    assert from_cache.event_reports == from_workers.event_reports
    assert from_cache.provisional_actors == from_workers.provisional_actors
    position = {a: i for i, a in enumerate(articles["article_id"])}
    in_order = [position[a] for a in from_workers.actor_mentions["article_id"]]
    assert in_order == sorted(in_order) and len(set(in_order)) == len(articles)


ARTICLE = {"article_id": "art_0123456789abcdef", "text": "Des frappes russes.", "published_date": date(2015, 10, 1)}
ROWS = ArticleRows("art_0123456789abcdef", event_reports=[{"event_type": "airstrike", "start": 4}])


class RecordingContext:
    """Stands for multiprocessing: records the sizes of the pools asked for and starts no process."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.chunks: list[int] = []  # the size of each chunk given to the pool

    def Pool(self, size, initializer=None, initargs=()):  # noqa: N802 (multiprocessing's name)
        self.sizes.append(size)
        self.initializer, self.initargs = initializer, initargs
        return self

    def set_forkserver_preload(self, modules) -> None:
        self.preload = modules

    def imap_unordered(self, function, chunks):
        return [function(c) for c in chunks]

    def terminate(self) -> None:
        pass


@pytest.mark.parametrize("processes, cached, sizes", [(2, 0, [2]), (2, 4, [1]), (2, 5, []), (1, 0, [])])
def test_workers_start_at_once_as_many_as_the_articles_missing_from_the_cache_need(
        reference, tmp_path, monkeypatch, processes, cached, sizes):
    cache = RowCache(tmp_path, reference.fingerprint)
    for i in range(cached):
        cache.put({**ARTICLE, "article_id": f"art_{i:016x}"}, ROWS)
    context = RecordingContext()
    monkeypatch.setattr(multiprocessing, "get_context", lambda method: context)
    Extractor(reference, processes=processes, cache_dir=tmp_path, chunk=2, expected=5).close()
    assert context.sizes == sizes
    assert getattr(context, "preload", None) == (worker.PRELOAD if sizes else None)


def test_a_cache_holding_other_corpora_still_starts_a_worker_for_the_changed_files(reference, tmp_path, monkeypatch):
    cache = RowCache(tmp_path, reference.fingerprint)
    for i in range(50):
        cache.put({**ARTICLE, "article_id": f"art_{i:016x}"}, ROWS)
    context = RecordingContext()
    monkeypatch.setattr(multiprocessing, "get_context", lambda method: context)
    Extractor(reference, processes=2, cache_dir=tmp_path, chunk=2, expected=5).close()
    Extractor(reference, processes=2, cache_dir=tmp_path, chunk=2, expected=5, changed=1).close()
    assert context.sizes == [1]


def test_files_new_or_changed_since_the_last_publication_are_counted(tmp_path):
    inputs, output = tmp_path / "in", tmp_path / "out"
    inputs.mkdir(), output.mkdir()
    paths = {name: inputs / name for name in ["kept.txt", "rejected.txt", "edited.txt", "added.txt"]}
    for path in paths.values():
        path.write_text("texte")
    os.utime(paths["added.txt"], (1_000, 1_000))  # old, but not in the last build
    pl.DataFrame({"source_file": ["kept.txt", "edited.txt"]}).write_parquet(output / "articles.parquet")
    pl.DataFrame({"source_file": ["rejected.txt"], "reason": ["too short"]}).write_csv(output / REJECTED_FILE)
    published = (output / "articles.parquet").stat().st_mtime
    for name in ["kept.txt", "rejected.txt", "added.txt"]:
        os.utime(paths[name], (1_000, 1_000))
    os.utime(paths["edited.txt"], (published + 5, published + 5))
    assert changed_since_published(sorted(paths.values()), output) == 2
    assert changed_since_published(sorted(paths.values()), tmp_path / "never built") is None


def test_the_forkserver_imports_the_extraction_stages_but_not_the_french_data(reference, monkeypatch):
    """Each worker imports spaCy's French data itself, after putting its compiled tokenizer exceptions in `re`'s
    cache: imported in the forkserver, they would be compiled there, 2.3 s before any worker could start."""
    context = RecordingContext()
    monkeypatch.setattr(multiprocessing, "get_context", lambda method: context)
    Extractor(reference, processes=2, chunk=2, expected=5).close()
    assert context.sizes == [2] and context.preload == worker.PRELOAD
    assert not any(module.startswith("spacy.lang.fr") for module in worker.PRELOAD)


def test_a_worker_loads_the_model_then_collects_rarely_for_the_rest_of_its_life(reference, monkeypatch):
    context = RecordingContext()
    monkeypatch.setattr(multiprocessing, "get_context", lambda method: context)
    Extractor(reference, processes=2, chunk=2, expected=5).close()
    seen_at_start = []
    monkeypatch.setattr(worker, "start", lambda *args: seen_at_start.append((args, gc.get_freeze_count())))
    frozen, thresholds = gc.get_freeze_count(), gc.get_threshold()
    try:
        context.initializer(*context.initargs)
        assert gc.get_threshold()[0] == worker.YOUNG_OBJECTS and gc.get_freeze_count() > frozen
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    assert seen_at_start == [(context.initargs, frozen)]  # the model is loaded before the freeze


def test_an_entry_is_read_back_for_the_same_article_and_reference(tmp_path):
    RowCache(tmp_path, "ref-a").put(ARTICLE, ROWS)
    assert RowCache(tmp_path, "ref-a").get(dict(ARTICLE)) == ROWS


@pytest.mark.parametrize("change", [{"text": "Des frappes russes!"}, {"published_date": date(2015, 10, 2)},
                                    {"article_id": "art_fedcba9876543210"}, {"title": "Syrie"}])
def test_any_change_of_the_article_is_a_miss(tmp_path, change):
    RowCache(tmp_path, "ref-a").put(ARTICLE, ROWS)
    assert RowCache(tmp_path, "ref-a").get({**ARTICLE, **change}) is None


def test_other_reference_data_is_a_miss(tmp_path):
    RowCache(tmp_path, "ref-a").put(ARTICLE, ROWS)
    assert RowCache(tmp_path, "ref-b").get(ARTICLE) is None


def test_a_damaged_entry_is_a_miss(tmp_path):
    cache = RowCache(tmp_path, "ref-a")
    cache.put(ARTICLE, ROWS)
    (entry,) = cache.folder.iterdir()
    entry.write_bytes(entry.read_bytes()[:20])
    assert cache.get(ARTICLE) is None


def test_editing_any_module_the_extraction_imports_changes_the_code_fingerprint(tmp_path, monkeypatch):
    package = tmp_path / "extraction_pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "entry.py").write_text("from . import helper\nfrom .sub.deep import thing\n")
    (package / "helper.py").write_text("def inner():\n    from .leaf import VALUE\n")
    (package / "leaf.py").write_text("VALUE = 1\n")
    (package / "sub" / "deep.py").write_text("thing = 1\n")
    (package / "unrelated.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = code_fingerprint("extraction_pkg.entry")
    (package / "unrelated.py").write_text("X = 2\n")
    assert code_fingerprint("extraction_pkg.entry") == before
    for module in ("leaf.py", "sub/deep.py", "helper.py"):
        (package / module).write_text((package / module).read_text() + "# edited\n")
        after = code_fingerprint("extraction_pkg.entry")
        assert after != before, module
        before = after


@pytest.mark.parametrize("processes, sizes", [(1, [32, 8]), (2, [8] * 3 + [2] * 8)])
def test_one_process_parses_chunks_of_32_articles_and_workers_chunks_of_8_then_2_at_the_end(
        reference, monkeypatch, processes, sizes):
    articles = pl.DataFrame({"article_id": [f"art_{i:016x}" for i in range(40)], "text": ["Texte."] * 40})
    context = RecordingContext()
    monkeypatch.setattr(multiprocessing, "get_context", lambda method: context)
    monkeypatch.setattr(worker, "start", lambda *args: None)
    monkeypatch.setattr(worker, "extract_chunk", lambda chunk: context.chunks.append(len(chunk)) or [])
    list(Extractor(reference, processes=processes).extract(articles))
    assert context.chunks == sizes


@given(n=st.integers(0, 500), size=st.integers(1, 40), workers=st.integers(1, 4))
def test_chunks_cover_every_article_once_and_the_last_ones_are_smaller_with_several_workers(n, size, workers):
    sizes = chunk_sizes(n, size, workers)
    assert sum(sizes) == n and all(0 < s <= size for s in sizes)
    if workers == 1:
        assert all(s == size for s in sizes[:-1])
        return
    tail = min(n, workers * size)
    covered, last_ones = 0, []
    for s in reversed(sizes):
        if covered >= tail:
            break
        covered += s
        last_ones.append(s)
    assert covered == tail and all(s <= max(size // 4, 1) for s in last_ones)
    before = sizes[:len(sizes) - len(last_ones)]
    assert all(s == size for s in before[:-1])  # only the last of them may hold the rest
