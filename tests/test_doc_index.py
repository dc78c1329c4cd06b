"""The per-document index answers as spaCy does, for every token and span."""
from __future__ import annotations

import pytest

from depeche.pipeline.doc_index import folded_text_of, folded_words_of, sentence_of, text_of, tree_of, words_of
from depeche.pipeline.nlp import load_pipeline
from depeche.text import fold

TEXT = ("Des frappes russes ont visé mardi Alep. Selon l'OSDH, huit civils ont été tués.\n\n"
        "- Offensive au sol -\n\nL'armée syrienne a attaqué mercredi près de Hama.")


@pytest.fixture(scope="module")
def doc(reference):
    return load_pipeline(reference)(TEXT)


def test_text_is_the_documents(doc):
    assert text_of(doc) == doc.text == TEXT


def test_sentence_of_every_token_and_span_is_spacys(doc):
    assert len(list(doc.sents)) >= 4
    for token in doc:
        assert sentence_of(token) == token.sent
    for start in range(0, len(doc), 3):
        span = doc[start:min(start + 5, len(doc))]
        assert sentence_of(span) == span.sent


def test_words_are_each_tokens_text_lowercase_lemma_and_part_of_speech(doc):
    words = words_of(doc)
    assert words.text == [t.text for t in doc] and words.lower == [t.lower_ for t in doc]
    assert words.lemma == [t.lemma_ for t in doc] and words.pos == [t.pos_ for t in doc]
    assert words_of(doc) is words  # read once per document


def test_folded_words_are_each_tokens_folded_text_and_lemma(doc):
    folded = folded_words_of(doc)
    assert folded.text == [fold(t.text) for t in doc] and folded.lemma == [fold(t.lemma_) for t in doc]
    assert folded_text_of(doc) == fold(doc.text) and folded_words_of(doc) is folded
    assert "armee" in folded.text and "etre" in folded.lemma  # "armée"; "été" -> "être"


def test_subtree_ends_are_the_first_and_last_tokens_of_spacys_subtree(doc):
    tree = tree_of(doc)
    for token in doc:
        subtree = list(token.subtree)
        assert tree.subtree_ends(token.i) == (subtree[0].i, subtree[-1].i)


def test_an_empty_document_has_no_words(reference):
    assert words_of(load_pipeline(reference)("")) == ([], [], [], [])


def test_tree_is_each_tokens_dependency_head_and_children(doc):
    tree = tree_of(doc)
    assert tree.dep == [t.dep_ for t in doc] and tree.head == [t.head.i for t in doc]
    assert tree.children == [[c.i for c in t.children] for t in doc]
    assert tree_of(doc) is tree  # read once per document


def test_descends_from_is_membership_of_spacys_subtree(doc):
    tree = tree_of(doc)
    for token in doc:
        inside = {t.i for t in token.subtree}
        assert [tree.descends_from(i, token.i) for i in range(len(doc))] == [i in inside for i in range(len(doc))]


def test_an_empty_document_has_no_tree(reference):
    assert tree_of(load_pipeline(reference)("")) == ([], [], [])
