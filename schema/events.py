import polars as pl
import pandera.polars as pa

from ._common import ADMIN1_SYRIA, EVENT_TYPES, ISO3, MODALITIES, key


class Events(pa.DataFrameModel):
    """One row per real-world event, however many articles report it."""

    event_id: str = key("Content-derived ID of the event.", r"^evt_[0-9a-f]{16}$", unique=True)
    event_type: str = pa.Field(isin=EVENT_TYPES, description="What happened (see docs/crosswalk.md for PLOVER/ACLED/CAMEO).")
    plover_event: str = pa.Field(nullable=True, description="PLOVER event category.")
    plover_mode: str = pa.Field(nullable=True, description="PLOVER mode.")
    acled_event_type: str = pa.Field(nullable=True, description="ACLED event type.")
    acled_sub_event_type: str = pa.Field(nullable=True, description="ACLED sub-event type.")
    cameo_code: str = pa.Field(nullable=True, str_matches=r"^[0-9]{2,4}$", description="CAMEO event code.")
    event_date: pl.Date = pa.Field(nullable=True, description="Resolved day; null when it cannot be resolved.")
    date_start: pl.Date = pa.Field(nullable=True, description="First day of the period the event may have happened in.")
    date_end: pl.Date = pa.Field(nullable=True, description="Last day of that period.")
    date_precision: int = pa.Field(in_range={"min_value": 1, "max_value": 5}, description="UCDP date_prec: 1 day, 2 2-6 days, 3 week, 4 month, 5 longer or unknown.")
    actor1_id: str = pa.Field(nullable=True, description="Initiator (FK actors).")
    actor2_id: str = pa.Field(nullable=True, description="Target (FK actors).")
    place_id: str = pa.Field(nullable=True, description="Most precise place (FK places).")
    admin1: str = pa.Field(nullable=True, isin=ADMIN1_SYRIA, description="Syrian governorate in English.")
    country_iso3: str = pa.Field(nullable=True, str_matches=ISO3, description="Country where it happened.")
    where_precision: int = pa.Field(in_range={"min_value": 1, "max_value": 7}, description="UCDP where_prec: 1 exact place ... 4 governorate, 6 country, 7 unknown or international.")
    fatalities_low: int = pa.Field(nullable=True, ge=0, description="Lowest fatality count among linked figures.")
    fatalities_best: int = pa.Field(nullable=True, ge=0, description="Best fatality estimate from linked figures.")
    fatalities_high: int = pa.Field(nullable=True, ge=0, description="Highest fatality count among linked figures.")
    n_articles: int = pa.Field(ge=1, description="Number of articles that report it (= its rows in event_mentions).")
    modality: str = pa.Field(isin=MODALITIES, description="asserted (reported as having happened), future, hypothetical, negated.")
    claimant_actor_id: str = pa.Field(nullable=True, description="Who the article says reports it (FK actors); null when the journalist asserts it.")

    class Config:
        strict = True
        coerce = False
