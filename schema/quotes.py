import pandera.polars as pa

from ._common import QUOTE_TYPES, key, offset


class Quotes(pa.DataFrameModel):
    """One row per direct or partial quotation, with its speaker."""

    quote_id: str = key("Content-derived ID of the quote.", r"^quo_[0-9a-f]{16}$", unique=True)
    article_id: str = key("Article (FK articles).")
    start: int = offset("Start of the quoted words, without the quotation marks.")
    end: int = offset("End (exclusive) of the quoted words.")
    text: str = pa.Field(description="articles.text[start:end].")
    quote_type: str = pa.Field(isin=QUOTE_TYPES, description="direct: a clause of the speaker's words; partial: a fragment inside the journalist's sentence.")
    speaker_actor_id: str = pa.Field(nullable=True, description="Who said it (FK actors); null when the text gives no speaker.")
    speaker_surface: str = pa.Field(nullable=True, description="How the text names the speaker (a pronoun resolves to its antecedent's actor).")
    speaker_start: int = pa.Field(nullable=True, ge=0, description="Start of speaker_surface in articles.text.")
    speaker_end: int = pa.Field(nullable=True, ge=0, description="End (exclusive) of speaker_surface in articles.text.")
    reporting_verb: str = pa.Field(nullable=True, description="Lemma of the reporting verb (déclarer, indiquer...), or 'selon' / 'd'après'.")

    class Config:
        strict = True
        coerce = False
