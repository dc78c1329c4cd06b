import pandera.polars as pa

from ._common import CLEANING_RULES, key, offset


class CleaningEdits(pa.DataFrameModel):
    """One row per edit the cleaner made to a source text: what it removed or replaced, and why."""

    article_id: str = key("Article the edit belongs to (FK articles).")
    raw_start: int = offset("Start of the edited span in the decoded source text (before cleaning).")
    raw_end: int = offset("End (exclusive) of the edited span in the decoded source text.")
    rule: str = pa.Field(isin=CLEANING_RULES, description="Cleaning rule that made the edit.")
    removed: str = pa.Field(description="Source text that was removed or replaced.")
    inserted: str = pa.Field(description="Text put in its place (often empty).")

    class Config:
        strict = True
        coerce = False
