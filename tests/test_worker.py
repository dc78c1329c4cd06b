"""A worker process warms spaCy's tokenizer with its first articles, frees every later chunk's words, and keeps
the garbage collector from rescanning the model."""
from __future__ import annotations

import gc

import polars as pl
import pytest

from depeche.build import Extractor
from depeche.pipeline import worker


def _article(i: int, word: str) -> tuple[int, dict]:
    text = (f"Des frappes russes ont visé mardi la ville de {word}, selon l'OSDH. "
            "Le ministère russe de la Défense a annoncé de nouveaux raids.")
    return i, {"article_id": f"a{i}", "text": text, "published_date": None}


@pytest.fixture(scope="module")
def started(reference):
    worker.start(reference, None, None)
    return worker._state["nlp"]


def test_the_first_articles_words_stay_in_the_vocabulary_and_later_ones_are_freed(started, monkeypatch):
    monkeypatch.setitem(worker._state, "warmed", 0)
    monkeypatch.setattr(worker, "WARM_ARTICLES", 2)
    worker.extract_chunk([_article(0, "Zorbavilleun"), _article(1, "Zorbavilledeux")])
    worker.extract_chunk([_article(2, "Zorbavilletrois")])
    strings = started.vocab.strings
    assert "Zorbavilleun" in strings and "Zorbavilledeux" in strings  # tokenized outside the zone: kept, cached
    assert "Zorbavilletrois" not in strings  # only inside the zone: freed with it
    assert worker._state["warmed"] == 2


def test_warming_does_not_change_what_is_extracted(started, monkeypatch):
    chunk = [_article(0, "Palmyre")]
    monkeypatch.setitem(worker._state, "warmed", 0)
    warm = worker.extract_chunk(chunk)
    monkeypatch.setitem(worker._state, "warmed", worker.WARM_ARTICLES)
    cold = worker.extract_chunk(chunk)
    assert warm == cold and warm[0][1].event_reports


def test_an_extraction_in_this_process_collects_rarely_then_restores_the_collector(reference, monkeypatch):
    articles = pl.DataFrame({"article_id": [f"art_{i:016x}" for i in range(40)], "text": ["Texte."] * 40})
    frozen, thresholds = gc.get_freeze_count(), gc.get_threshold()
    seen = []
    monkeypatch.setattr(worker, "start", lambda *args: seen.append(("start", gc.get_freeze_count())))
    monkeypatch.setattr(worker, "extract_chunk",
                        lambda chunk: seen.append((gc.get_threshold()[0], gc.get_freeze_count() > frozen)) or [])
    list(Extractor(reference, processes=1).extract(articles))
    assert seen == [("start", frozen), (worker.YOUNG_OBJECTS, True), (worker.YOUNG_OBJECTS, True)]
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == frozen


def test_the_collector_is_restored_when_an_extraction_fails():
    frozen, thresholds = gc.get_freeze_count(), gc.get_threshold()
    with pytest.raises(RuntimeError), worker.collecting_rarely():
        raise RuntimeError("extraction failed")
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == frozen
