"""Per-article extraction: a pure function from one parsed article to its rows, so it can be mapped anywhere.

Each stage adds the rows it owns; later stages see the earlier stages' rows (quotes and figures need the actor
mentions, events need the figures they quantify).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..reference import Reference
from . import actors, events, figures, quotes


@dataclass
class ArticleRows:
    article_id: str
    actor_mentions: list[dict] = field(default_factory=list)
    provisional_actors: list[actors.ProvisionalActor] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    event_reports: list[dict] = field(default_factory=list)


def extract_article(article: dict, doc: Doc, reference: Reference) -> ArticleRows:
    mentions, provisional = actors.find_mentions(article, doc, reference)
    article_quotes = quotes.extract(article, doc, mentions, reference)
    article_figures = figures.extract(article, doc, mentions, reference)
    reports = events.extract(article, doc, mentions, article_figures, reference)
    return ArticleRows(article["article_id"], mentions, provisional, article_quotes, article_figures, reports)
