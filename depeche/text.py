"""Text helpers shared by the stages and the scorer; no spaCy here."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

LEADING_ARTICLE = re.compile(r"^(?:le |la |les |l'|l’)", re.IGNORECASE)
_APOSTROPHES = {"’": "'", "‘": "'", "`": "'", "ʼ": "'"}


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lowercase and strip accents, one character for one, so offsets in the folded text are offsets in `text`.
    Memoised: the stages fold the same words over and over."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0] if ch.isalpha() else _APOSTROPHES.get(ch, ch)
        lowered = base.lower()
        out.append(lowered if len(lowered) == 1 else base)
    return "".join(out)


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in fold(text)).split())


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
