import pandera.polars as pa

from ._common import MENTION_METHODS, key, offset


class ActorMentions(pa.DataFrameModel):
    """One row per mention of an actor in an article, with its exact span."""

    mention_id: str = key("Content-derived ID of the mention.", r"^men_[0-9a-f]{16}$", unique=True)
    article_id: str = key("Article (FK articles).")
    actor_id: str = key("Actor mentioned (FK actors).")
    start: int = offset("Start offset in articles.text.")
    end: int = offset("End offset (exclusive) in articles.text.")
    surface: str = pa.Field(description="articles.text[start:end].")
    method: str = pa.Field(isin=MENTION_METHODS, description="registry: matched a registry alias; ner: found by the statistical NER only.")

    class Config:
        strict = True
        coerce = False
