"""French numbers as news text writes them, parsed without spaCy so they can be tested exhaustively.

- Digits follow French conventions: "240.000", "240 000" (also with a no-break space) and "1,5". A dot followed by
  exactly three digits separates thousands; a comma is the decimal mark. "1.5", "12h30", "11e", "G20", "Su-24"
  are not numbers here (not French, a clock time, an ordinal, parts of names).
- Number words ("huit", "vingt-six", "mille cinq cents") go through text2num; ordinals ("troisième") are refused.
"""
from __future__ import annotations

import re
from functools import lru_cache

from text_to_num import text2num

GROUP_SEPARATORS = ".\u00a0\u202f "
DIGITS = re.compile(
    r"(?<![\w.,/\-])"  # not the tail of a word, a decimal, a date written 7/10 or a name like Su-24
    r"(?:\d{1,3}(?:[.\u00a0\u202f ]\d{3})+|\d+)"  # grouped thousands, or a plain run of digits
    r"(?:,\d+)?"  # French decimals
    r"(?![\w/]|[.,]\d)"  # not followed by letters (12h30, 11e), a slash or more digits
)
WORD_CONNECTORS = {"et"}  # "vingt et un"


def digits_value(written: str) -> float:
    """The value of a DIGITS match: "240.000" -> 240000.0, "1,5" -> 1.5, "240 000" -> 240000.0."""
    whole, _, decimals = written.partition(",")
    for separator in GROUP_SEPARATORS:
        whole = whole.replace(separator, "")
    return float(f"{whole}.{decimals}" if decimals else whole)


@lru_cache(maxsize=1 << 16)
def word_value(words: str) -> int | None:
    """The value of French number words ("vingt-six" -> 26, "deux cents" -> 200); None when they are not one
    number (ordinals, other words, a lone connector). Memoised: every word of an article is asked."""
    cleaned = " ".join(words.replace("-", " ").split()).lower()
    if not cleaned or cleaned in WORD_CONNECTORS:
        return None
    try:
        return text2num(cleaned, "fr")
    except ValueError:
        return None


def is_number_word(word: str) -> bool:
    """One token that text2num reads as a cardinal ("quatre", "vingt-six", "mille")."""
    return word_value(word) is not None and any(ch.isalpha() for ch in word)  # the memoised test first
