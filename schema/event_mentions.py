import pandera.polars as pa

from ._common import key, offset


class EventMentions(pa.DataFrameModel):
    """One row per (event, article) report, with the span of text that states it."""

    event_id: str = key("Event (FK events).")
    article_id: str = key("Article (FK articles).")
    start: int = offset("Start of the evidence span in articles.text.")
    end: int = offset("End (exclusive) of the evidence span.")
    surface: str = pa.Field(description="articles.text[start:end].")
    link_reason: str = pa.Field(description="Why this report belongs to this event (the merge rule that linked it, or 'single report').")

    class Config:
        strict = True
        coerce = False
