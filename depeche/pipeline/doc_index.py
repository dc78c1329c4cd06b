"""A parsed document's text and sentences, computed once per document.

spaCy rebuilds `Doc.text` by joining every token at each access, and `Token.sent`/`Span.sent` walk the sentences
from the start of the document at each call. The extraction stages ask thousands of times per article, which made
those walks the largest cost of a build after the model itself. Both are kept in `doc.user_data`, filled after the
pipeline has set every sentence boundary (extraction never changes them). Only plain values are kept there: a
Span would refer back to its document and make a reference cycle that keeps every parsed document alive until
the garbage collector happens to run.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

import numpy
from spacy.attrs import DEP, IDX, LEMMA, LOWER, ORTH, POS
from spacy.tokens import Doc, Span, Token

from ..text import fold

_TEXT = "depeche_text"
_FOLDED_TEXT = "depeche_folded_text"
_FOLDED_WORDS = "depeche_folded_words"
_SENTENCES = "depeche_sentence_bounds"
_WORDS = "depeche_words"
_TREE = "depeche_tree"


class Words(NamedTuple):
    """Each token's text, lowercase form, lemma and part of speech, by token index."""
    text: list[str]
    lower: list[str]
    lemma: list[str]
    pos: list[str]


def text_of(doc: Doc) -> str:
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def folded_text_of(doc: Doc) -> str:
    """`fold(text_of(doc))`, kept: the actor ruler and the actors, places and dates stages all search it."""
    folded = doc.user_data.get(_FOLDED_TEXT)
    if folded is None:
        folded = doc.user_data[_FOLDED_TEXT] = fold(text_of(doc))
    return folded


def knowing_text(doc: Doc, text: str) -> Doc:
    """`doc`, given the text it was parsed from (the same string), so that `text_of` does not rebuild it."""
    doc.user_data[_TEXT] = text
    return doc


def words_of(doc: Doc) -> Words:
    """The document's words as plain lists, read once. A scan through Token objects makes a new object per token
    at each access; the stages scan these lists and make a Token only for the candidates they find."""
    words = doc.user_data.get(_WORDS)
    if words is None:
        words = doc.user_data[_WORDS] = Words(*string_columns(doc, [ORTH, LOWER, LEMMA, POS]))
    return words


def string_columns(doc: Doc, attributes: list[int]) -> list[list[str]]:
    """The string of each attribute of each token (as `Token.text`, `.lemma_`, `.pos_`...), one list per attribute,
    read from one array: each distinct value is looked up once."""
    codes = doc.to_array(attributes).reshape(len(doc), len(attributes))
    distinct, positions = numpy.unique(codes, return_inverse=True)
    strings = doc.vocab.strings
    names = numpy.array([strings[int(code)] for code in distinct.tolist()], dtype=object)
    return [column.tolist() for column in names[positions.reshape(codes.shape)].T]


class FoldedWords(NamedTuple):
    """Each token's text and lemma, folded (`text.fold`), by token index."""
    text: list[str]
    lemma: list[str]


def folded_words_of(doc: Doc) -> FoldedWords:
    """Read once: the stages look words up in folded lexicons. A token's folded text is its slice of the folded
    document (folding maps one character to one), and each distinct lemma is folded once."""
    words = doc.user_data.get(_FOLDED_WORDS)
    if words is None:
        folded, plain = folded_text_of(doc), words_of(doc)
        lemmas = {lemma: fold(lemma) for lemma in set(plain.lemma)}
        words = doc.user_data[_FOLDED_WORDS] = FoldedWords(
            [folded[start:start + len(text)] for start, text in zip(doc.to_array(IDX).tolist(), plain.text)],
            [lemmas[lemma] for lemma in plain.lemma])
    return words


class Tree(NamedTuple):
    """Each token's dependency label, its head's index (its own for a root) and its children's indices (ascending,
    as `Token.children` yields them)."""
    dep: list[str]
    head: list[int]
    children: list[list[int]]

    def descends_from(self, i: int, ancestor: int) -> bool:
        """Token `i` is `ancestor` or in its subtree (as `Token.subtree`)."""
        for _ in range(len(self.head)):  # a head chain is no longer than the document
            if i == ancestor:
                return True
            if self.head[i] == i:
                return False
            i = self.head[i]
        return False

    def subtree_ends(self, i: int) -> tuple[int, int]:
        """The first and last tokens of token `i`'s subtree, as `Token.subtree` yields them (the left children's
        subtrees, the token, then the right children's): down the first left child, and down the last right child."""
        first = last = i
        while self.children[first] and self.children[first][0] < first:
            first = self.children[first][0]
        while self.children[last] and self.children[last][-1] > last:
            last = self.children[last][-1]
        return first, last


def tree_of(doc: Doc) -> Tree:
    """The dependency tree as plain lists, read once (after the pipeline: extraction never changes it)."""
    tree = doc.user_data.get(_TREE)
    if tree is None:
        offsets = doc.to_array("HEAD").astype("int64").tolist()  # from each token to its head
        heads = [i + offset for i, offset in enumerate(offsets)]
        children: list[list[int]] = [[] for _ in heads]
        for i, head in enumerate(heads):
            if head != i:
                children[head].append(i)
        tree = doc.user_data[_TREE] = Tree(string_columns(doc, [DEP])[0], heads, children)
    return tree


def sentence_of(item: Token | Span) -> Span:
    """The sentence a token belongs to, or the one a span starts in (as spaCy's `.sent`)."""
    doc: Doc = item.doc
    bounds = doc.user_data.get(_SENTENCES)
    if bounds is None:
        sentences = list(doc.sents)
        bounds = doc.user_data[_SENTENCES] = ([s.start for s in sentences], [s.end for s in sentences])
    starts, ends = bounds
    first = item.i if isinstance(item, Token) else item.start
    k = bisect_right(starts, first) - 1
    return doc[starts[k]:ends[k]]
