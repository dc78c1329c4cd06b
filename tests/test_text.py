"""Text helpers: folding, and the trie pattern of whole words, which finds exactly what the plain alternation of
the surfaces, longest first, finds."""
from __future__ import annotations

import re
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from depeche.text import fold, phrase_starts, whole_words_pattern

_surface = st.text(alphabet="ab- '", min_size=1, max_size=5)


def _alternation(surfaces: set[str]) -> re.Pattern[str]:
    longest_first = sorted(surfaces, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(s) for s in longest_first) + r")(?![\w-])")


@given(st.sets(_surface, min_size=1, max_size=8), st.text(alphabet="ab- 'c.", max_size=40), st.data())
@example({"a", "a b", "a b-a"}, "a b-a a b-ab a", None)  # a shorter surface when the longer one runs on
@example({"ab", "a"}, "ab a-b ba a", None)
def test_whole_words_pattern_matches_as_the_alternation_does(surfaces, text, data):
    trie, plain = whole_words_pattern(surfaces), _alternation(surfaces)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]
    start = data.draw(st.integers(0, len(text))) if data else 0
    end = data.draw(st.integers(start, len(text))) if data else len(text)
    found, expected = trie.match(text, start, end), plain.match(text, start, end)
    assert (found and found.span()) == (expected and expected.span())


def test_no_surface_no_pattern():
    assert whole_words_pattern([]) is None


def _fold_by_hand(text: str) -> str:
    """The definition: each letter its first decomposed character, lowercased when that stays one character;
    curly apostrophes straight."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0] if ch.isalpha() else {"’": "'", "‘": "'", "`": "'", "ʼ": "'"}.get(ch, ch)
        out.append(base.lower() if len(base.lower()) == 1 else base)
    return "".join(out)


@given(st.text())
@example("Élysée’s İstanbul ŒUVRE ß")
def test_fold_is_the_character_by_character_definition(text):
    assert fold(text) == _fold_by_hand(text)
    assert len(fold(text)) == len(text)


def test_phrase_starts_cut_each_phrase_before_each_separator():
    assert phrase_starts(["mettre en garde", "dire"]) == {"mettre", "mettre en"}
    assert phrase_starts(["porte-parole", "groupe jihadiste"], " -") == {"porte", "groupe"}
