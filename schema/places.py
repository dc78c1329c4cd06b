import pandera.polars as pa

from ._common import ADMIN1_SYRIA, FEATURE_TYPES, ISO3, key


class Places(pa.DataFrameModel):
    """One row per gazetteer place referenced by an event."""

    place_id: str = key("Stable ID from the gazetteer.", r"^[a-z0-9][a-z0-9_.-]*$", unique=True)
    name: str = pa.Field(description="English name.")
    name_fr: str = pa.Field(description="French name.")
    admin1: str = pa.Field(nullable=True, isin=ADMIN1_SYRIA, description="Syrian governorate in English (null outside Syria).")
    country_iso3: str = pa.Field(nullable=True, str_matches=ISO3, description="Country (null for seas).")
    latitude: float = pa.Field(nullable=True, in_range={"min_value": -90, "max_value": 90}, description="WGS84 latitude.")
    longitude: float = pa.Field(nullable=True, in_range={"min_value": -180, "max_value": 180}, description="WGS84 longitude.")
    geonames_id: int = pa.Field(nullable=True, ge=1, description="GeoNames ID, where known.")
    feature_type: str = pa.Field(isin=FEATURE_TYPES, description="Kind of place.")

    class Config:
        strict = True
        coerce = False
