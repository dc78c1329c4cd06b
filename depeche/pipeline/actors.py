"""Stage 3, actors: every actor mention in an article, linked to the registry or to a provisional actor.

Registry matches come from the `depeche_actor_ruler` entities; a title ("le chef de la diplomatie russe") resolves
to whoever held it on the article's date. Persons and organisations the registry lacks (spaCy PER/ORG entities)
become provisional actors `x-<slug>`, so nothing the model finds is silently dropped.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from spacy.tokens import Doc, Span

from ..ids import content_id
from ..reference import Reference
from ..schema import TABLES
from ..text import LEADING_ARTICLE, fold, slug
from .nlp import ACTOR_LABEL, TITLE_PREFIX

NER_TYPES = {"PER": "person", "ORG": "other"}


@dataclass(frozen=True)
class ProvisionalActor:
    actor_id: str
    name: str
    actor_type: str


def title_holder(title_key: str, on: date | None, reference: Reference) -> str | None:
    """The actor who held a title on a date; None when unknown or ambiguous."""
    if on is None:
        return None
    titles = reference.actor_titles.filter(
        pl.col("title").map_elements(lambda t: fold(LEADING_ARTICLE.sub("", t.strip())), return_dtype=pl.Utf8)
        == title_key,
        pl.col("valid_from") <= on,
        pl.col("valid_to").is_null() | (pl.col("valid_to") >= on),
    )
    holders = titles["actor_id"].unique().to_list()
    return holders[0] if len(holders) == 1 else None


def _mention(article_id: str, actor_id: str, span: Span, method: str) -> dict:
    return {
        "mention_id": content_id("men", article_id, span.start_char, span.end_char, actor_id),
        "article_id": article_id, "actor_id": actor_id, "start": span.start_char, "end": span.end_char,
        "surface": span.text, "method": method,
    }


def _strip_determiner(span: Span) -> Span:
    while len(span) > 1 and span[0].pos_ in {"DET", "ADP"}:
        span = span[1:]
    return span


def find_mentions(article: dict, doc: Doc, reference: Reference) -> tuple[list[dict], list[ProvisionalActor]]:
    mentions, provisional = [], {}
    for ent in doc.ents:
        if ent.label_ == ACTOR_LABEL:
            actor_id = ent.id_
            if actor_id.startswith(TITLE_PREFIX):
                actor_id = title_holder(actor_id[len(TITLE_PREFIX):], article["published_date"], reference)
                if actor_id is None:
                    continue
            mentions.append(_mention(article["article_id"], actor_id, ent, "registry"))
        elif ent.label_ in NER_TYPES:
            span = _strip_determiner(ent)
            key = slug(span.text)
            if not key or len(span.text) < 3:
                continue
            actor_id = f"x-{key}"
            provisional.setdefault(actor_id, ProvisionalActor(actor_id, span.text, NER_TYPES[ent.label_]))
            mentions.append(_mention(article["article_id"], actor_id, span, "ner"))
    return mentions, sorted(provisional.values(), key=lambda a: a.actor_id)


def actors_table(mentions: pl.DataFrame, provisional: list[ProvisionalActor], reference: Reference) -> pl.DataFrame:
    """Registry actors that are mentioned, with their ancestors (so every parent exists), plus provisional ones."""
    registry = reference.actors
    parents = dict(zip(registry["actor_id"], registry["parent_actor_id"]))
    wanted = set(mentions["actor_id"].to_list())
    for actor_id in list(wanted):
        while (actor_id := parents.get(actor_id)) is not None:
            wanted.add(actor_id)
    seen = mentions.group_by("actor_id").agg(pl.col("surface").unique().alias("seen"))
    rows = []
    for row in registry.filter(pl.col("actor_id").is_in(sorted(wanted))).iter_rows(named=True):
        rows.append({**{k: row[k] for k in ("actor_id", "name", "actor_type", "country_iso3", "parent_actor_id",
                                            "wikidata_qid")},
                     "aliases": [a for a in (row["aliases"] or "").split("|") if a], "provisional": False})
    for actor in {a.actor_id: a for a in provisional}.values():
        rows.append({"actor_id": actor.actor_id, "name": actor.name, "actor_type": actor.actor_type,
                     "country_iso3": None, "parent_actor_id": None, "wikidata_qid": None, "aliases": [],
                     "provisional": True})
    table = pl.DataFrame(rows, schema=TABLES["actors"].polars_schema)
    return (
        table.join(seen, on="actor_id", how="left")
        .with_columns(pl.concat_list("aliases", pl.col("seen").fill_null([])).list.unique().list.sort().alias("aliases"))
        .drop("seen")
        .sort("actor_id")
    )
