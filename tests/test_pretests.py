"""The lexicon pre-tests skip only words the full tests would reject: with each one disabled, extraction gives the
same rows, on the seed articles and on French articles the pipeline was never developed on."""
from __future__ import annotations

import dataclasses

import pytest

from depeche.build import read_inputs
from depeche.pipeline import actors, attribution, extract, figures
from depeche.pipeline.ingest import ingest
from depeche.pipeline.nlp import load_pipeline

from .conftest import RAW, UNSEEN


class Everything:
    """Holds every word and shares one with any set: a pre-test given it lets every word through."""

    def __contains__(self, word: object) -> bool:
        return True

    def isdisjoint(self, other: object) -> bool:
        return False


@pytest.fixture(scope="module")
def parsed(reference):
    files = [*read_inputs(RAW)[0], *read_inputs(UNSEEN)[0]]
    articles = ingest(files, reference).articles.to_dicts()
    pipeline = load_pipeline(reference)
    return [(article, pipeline(article["text"])) for article in articles]


def _extracted(parsed, reference):
    attribution._RESOLVERS.clear()
    return [extract.extract_article(article, doc, reference) for article, doc in parsed]


def _without_qualifier_pretest(lexicon):
    every_phrase = tuple((pattern, qualifier, band, "") for pattern, qualifier, band, _ in lexicon.qualifiers_before)
    return dataclasses.replace(lexicon, qualifiers_before=every_phrase)  # every text ends with ""


def _without_description_pretest(known):
    return dataclasses.replace(known, description_heads=Everything())


def _without_reporting_verb_pretest(lexicon):
    copy = dataclasses.replace(lexicon)
    copy.__dict__["verb_starts"] = Everything()  # where functools.cached_property keeps its value
    return copy


@pytest.mark.parametrize("module, derive, disable", [
    (figures, "figure_lexicon", _without_qualifier_pretest),
    (actors, "knowledge", _without_description_pretest),
    (attribution, "lexicon", _without_reporting_verb_pretest),
])
def test_a_pretest_changes_no_row(parsed, reference, monkeypatch, module, derive, disable):
    with_pretest = _extracted(parsed, reference)
    original = getattr(module, derive)
    monkeypatch.setattr(module, derive, lambda ref: disable(original(ref)))
    without = _extracted(parsed, reference)
    assert len(parsed) >= 6 and any(rows.quotes and rows.figures for rows in with_pretest)
    assert without == with_pretest


def test_description_heads_hold_each_anaphor_up_to_a_space_or_a_hyphen():
    heads = actors._description_heads(frozenset({"ministere"}), {"porte-parole du groupe": "word", "armee": "x"})
    assert heads == {"ministere", "armee", "porte", "porte-parole", "porte-parole du", "porte-parole du groupe"}


def test_reporting_verbs_start_with_single_verbs_and_each_phrase_up_to_a_space(reference):
    lexicon = attribution.lexicon(reference)
    assert {"mettre", "mettre en", "faire", "affirmer"} <= lexicon.verb_starts
    assert "mettre en garde" not in lexicon.verb_starts  # a whole phrase is matched with the words after the verb
