"""Shared column vocabularies and field builders for the table models."""
from __future__ import annotations

import pandera.polars as pa

HEX16 = r"^[0-9a-f]{16}$"
SHA256 = r"^[0-9a-f]{64}$"
ISO3 = r"^[A-Z]{3}$"
QID = r"^Q[0-9]+$"
ACTOR_ID = r"^[a-z0-9][a-z0-9_.-]*$"

ADMIN1_SYRIA = [
    "Aleppo", "Idlib", "Hama", "Homs", "Latakia", "Raqqa", "Deir ez-Zor", "Damascus",
    "Rif Dimashq", "Tartus", "Daraa", "Hasakah", "Quneitra", "As-Suwayda",
]
ACTOR_TYPES = [
    "state", "government", "military", "armed_group", "person", "igo", "ngo", "media", "coalition", "other",
]
QUOTE_TYPES = ["direct", "partial"]
QUALIFIERS = ["exact", "at_least", "more_than", "at_most", "less_than", "approximately", "vague"]
FIGURE_CATEGORIES = [
    "killed", "injured", "displaced", "targets", "strikes", "aircraft", "munitions", "vessels",
    "distance", "duration", "personnel", "other",
]
EVENT_TYPES = [
    "airstrike", "missile_strike", "ground_offensive", "armed_clash", "territory_change", "shootdown",
    "meeting", "accusation", "denial", "deployment", "airspace_violation", "proposal", "agreement",
    "statement",
]
MODALITIES = ["asserted", "future", "hypothetical", "negated"]
FEATURE_TYPES = ["country", "governorate", "city", "town", "village", "site", "region", "sea", "military_base"]
MENTION_METHODS = ["registry", "ner"]
CLEANING_RULES = [
    "header", "boilerplate", "photo_credit", "read_more_link", "signature", "apostrophe_repair", "whitespace",
]

# Not a real start of a war: the plausible window for event and publication dates of this corpus.
EARLIEST_DATE = "2011-01-01"
LATEST_DATE = "2030-12-31"


def key(description: str, pattern: str | None = None, unique: bool = False) -> pa.Field:
    """A non-null string identifier column."""
    return pa.Field(description=description, str_matches=pattern, unique=unique)


def offset(description: str) -> pa.Field:
    return pa.Field(ge=0, description=description)
