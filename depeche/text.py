"""Text helpers shared by the stages and the scorer; no spaCy here."""
from __future__ import annotations

import re
import unicodedata
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
