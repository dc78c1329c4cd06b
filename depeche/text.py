"""Text helpers shared by the stages and the scorer; no spaCy here."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MONTHS = {m: i for i, m in enumerate(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(), 1)}
WEEKDAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
LEADING_ARTICLE = re.compile(r"^(?:le |la |les |l'|l’)", re.IGNORECASE)
_APOSTROPHES = {"’": "'", "‘": "'", "`": "'", "ʼ": "'"}


class _FoldedCharacters(dict):
    """code point -> its folded character, worked out the first time a character is met."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0] if ch.isalpha() else _APOSTROPHES.get(ch, ch)
        lowered = base.lower()
        self[code] = folded = lowered if len(lowered) == 1 else base
        return folded


_FOLDED = _FoldedCharacters()


def fold(text: str) -> str:
    """Lowercase and strip accents, one character for one, so offsets in the folded text are offsets in `text`.
    A table of characters (str.translate) rather than a cache of texts: as fast on a whole article as on a word,
    and it does not grow with the texts folded."""
    return text.translate(_FOLDED)


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in fold(text)).split())


def phrase_starts(phrases: Iterable[str], separators: str = " ") -> frozenset[str]:
    """Each phrase cut before each of its separators: "mettre" and "mettre en" for "mettre en garde". A lexicon's
    pre-test asks whether a word can start one of its phrases."""
    return frozenset(phrase[:j] for phrase in phrases for j, ch in enumerate(phrase) if ch in separators)


def whole_words_pattern(surfaces: Iterable[str]) -> re.Pattern[str] | None:
    r"""Matches any of `surfaces` where no word character or hyphen touches it, the longest at each place: as
    `(?<![\w-])(?:s1|s2|…)(?![\w-])` with the surfaces longest first, but written as a trie of characters, so the
    engine follows one branch per character instead of trying hundreds of surfaces at every word. None when there
    is no surface."""
    trie: dict = {}
    for surface in surfaces:
        node = trie
        for ch in surface:
            node = node.setdefault(ch, {})
        node[_END] = {}
    return re.compile(r"(?<![\w-])" + _branches(trie)) if trie else None


_END = ""


def _branches(node: dict) -> str:
    # Branches start with different characters, so at most one can go on; ending here is tried after them.
    branches = [re.escape(ch) + _branches(child) for ch, child in node.items() if ch != _END]
    if _END in node:
        branches.append(r"(?![\w-])")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
