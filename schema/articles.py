import polars as pl
import pandera.polars as pa

from ._common import SHA256, key


class Articles(pa.DataFrameModel):
    """One row per source article, with its cleaned text and inferred publication date."""

    article_id: str = key("Stable ID: 'art_' + first 16 hex of sha256 of the decoded source text.", r"^art_[0-9a-f]{16}$", unique=True)
    source_file: str = pa.Field(description="The input file's name, as given.")
    raw_sha256: str = pa.Field(str_matches=SHA256, description="sha256 of the input file's bytes.")
    encoding: str = pa.Field(description="Encoding the input file was decoded from (utf-8, utf-16, latin-1...).")
    text: str = pa.Field(description="Cleaned text; every span in every table indexes into it (Python str offsets).")
    text_sha256: str = pa.Field(str_matches=SHA256, description="sha256 of text (UTF-8).")
    n_chars: int = pa.Field(ge=1, description="len(text).")
    published_date: pl.Date = pa.Field(nullable=True, description="Publication date inferred from the text; null when the text does not establish it.")
    published_date_evidence: str = pa.Field(nullable=True, description="Words of the text, and the reasoning, that establish published_date.")
    header_date: str = pa.Field(nullable=True, description="Date declared by the file's header, as written (a collection date, not the publication date).")
    outlet: str = pa.Field(nullable=True, description="Agency or outlet the text shows (AFP, RTS...), null when it does not.")
    outlet_evidence: str = pa.Field(nullable=True, description="The words of the text that show the outlet.")

    class Config:
        strict = True
        coerce = False

