"""Per-article extraction: a pure function from one parsed article to its rows, so it can be mapped anywhere.

Each stage adds the rows it owns; later stages see the earlier stages' rows (quotes and figures need the actor
mentions, events need the figures they quantify). Being pure, its result can be cached (`rows.RowCache`).
"""
from __future__ import annotations

from spacy.tokens import Doc

from ..reference import Reference
from . import actors, events, figures, quotes
from .rows import ArticleRows


def extract_article(article: dict, doc: Doc, reference: Reference) -> ArticleRows:
    mentions, provisional = actors.find_mentions(article, doc, reference)
    article_quotes = quotes.extract(article, doc, mentions, reference)
    article_figures = figures.extract(article, doc, mentions, reference)
    reports = events.extract(article, doc, mentions, article_figures, reference)
    return ArticleRows(article["article_id"], mentions, provisional, article_quotes, article_figures, reports)
