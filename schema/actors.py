import polars as pl
import pandera.polars as pa

from ._common import ACTOR_ID, ACTOR_TYPES, ISO3, QID, key


class Actors(pa.DataFrameModel):
    """One row per real-world actor: the curated registry entries mentioned in the corpus, plus provisional actors the registry lacks."""

    actor_id: str = key("Readable, stable ID (RUS, isil, vladimir-putin); provisional actors start with 'x-'.", ACTOR_ID, unique=True)
    name: str = pa.Field(description="Canonical name (English, as on Wikipedia, where one exists).")
    actor_type: str = pa.Field(isin=ACTOR_TYPES, description="Kind of actor.")
    country_iso3: str = pa.Field(nullable=True, str_matches=ISO3, description="ISO 3166-1 alpha-3 code of the actor's affiliation.")
    parent_actor_id: str = pa.Field(nullable=True, description="The actor this one belongs to (a minister -> his government -> his state) (FK actors).")
    wikidata_qid: str = pa.Field(nullable=True, str_matches=QID, description="Wikidata QID, only where certain.")
    aliases: pl.List = pa.Field(dtype_kwargs={"inner": pl.Utf8}, description="Registered surface forms plus the forms seen in the corpus, sorted.")
    provisional: bool = pa.Field(description="True when the actor is not in the curated registry (found by NER only).")

    class Config:
        strict = True
        coerce = False
