import pandera.polars as pa

from ._common import FIGURE_CATEGORIES, QUALIFIERS, key, offset


class Figures(pa.DataFrameModel):
    """One row per numeric expression that counts or measures something, with who asserts it."""

    figure_id: str = key("Content-derived ID of the figure.", r"^fig_[0-9a-f]{16}$", unique=True)
    article_id: str = key("Article (FK articles).")
    start: int = offset("Start of the whole expression ('plus de 240.000 morts').")
    end: int = offset("End (exclusive) of the expression.")
    surface: str = pa.Field(description="articles.text[start:end].")
    value: float = pa.Field(ge=0, description="The number: '240.000' -> 240000.0; 'une dizaine' -> 10.0.")
    value_low: float = pa.Field(nullable=True, ge=0, description="Lower bound implied by the qualifier, if any.")
    value_high: float = pa.Field(nullable=True, ge=0, description="Upper bound implied by the qualifier, if any.")
    qualifier: str = pa.Field(isin=QUALIFIERS, description="exact, at_least (au moins), more_than (plus de), at_most (jusqu'à), less_than (moins de), approximately (près de, environ, une dizaine), vague (plusieurs, des dizaines de).")
    object: str = pa.Field(nullable=True, description="Counted noun as written, head noun only ('cibles', 'morts', 'km').")
    category: str = pa.Field(isin=FIGURE_CATEGORIES, description="What is counted.")
    claimant_actor_id: str = pa.Field(nullable=True, description="Who asserts the number (FK actors); null when the journalist states it.")
    claimant_cue: str = pa.Field(nullable=True, description="The words that attribute the number ('selon', 'a assuré'...).")
    event_id: str = pa.Field(nullable=True, description="The event the figure quantifies (FK events).")

    class Config:
        strict = True
        coerce = False
