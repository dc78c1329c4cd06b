import pandera.polars as pa

from ._common import key, offset

STANCES = ["asserts", "restricts", "denies", "rejects"]
DISAGREEMENTS = ["restriction", "negation", "value", "rebuttal"]


class Claims(pa.DataFrameModel):
    """Contested claims: one row per (statement, statement that disagrees with it), each attributed to a different
    side, with both spans. Every disagreement appears twice, once from each side (same dispute_id), so each
    statement's span is checked against its own article and either side can be looked up.
    How statements are compared: see depeche/pipeline/claims.py."""

    claim_id: str = key("Content-derived ID of the (statement, other statement) pair.", r"^clm_[0-9a-f]{16}$", unique=True)
    dispute_id: str = key("Shared by the two rows of one disagreement.", r"^dsp_[0-9a-f]{16}$")
    article_id: str = key("Article of this statement (FK articles).")
    start: int = offset("Start of this statement's span in articles.text.")
    end: int = offset("End (exclusive) of this statement's span.")
    surface: str = pa.Field(description="articles.text[start:end]: the figure, or the event evidence.")
    figure_id: str = pa.Field(nullable=True, description="The figure this statement is (FK figures).")
    event_id: str = pa.Field(nullable=True, description="The event this statement reports (FK events).")
    claimant_actor_id: str = pa.Field(description="Who asserts this statement (FK actors).")
    stance: str = pa.Field(isin=STANCES, description="asserts (a count or an event), restricts ('seuls deux raids'), denies (a negated event), rejects (a rebuttal: 'a balayé les accusations selon lesquelles ...').")
    value: float = pa.Field(nullable=True, ge=0, description="The figure's value, when the statement is a figure.")
    other_article_id: str = key("Article of the disagreeing statement (FK articles).")
    other_start: int = offset("Start of the disagreeing statement's span in its article's text.")
    other_end: int = offset("End (exclusive) of the disagreeing statement's span.")
    other_surface: str = pa.Field(description="The disagreeing statement's text.")
    other_figure_id: str = pa.Field(nullable=True, description="FK figures.")
    other_event_id: str = pa.Field(nullable=True, description="FK events.")
    other_claimant_actor_id: str = pa.Field(description="Who asserts the disagreeing statement (FK actors).")
    other_stance: str = pa.Field(isin=STANCES, description="As stance, for the disagreeing statement.")
    other_value: float = pa.Field(nullable=True, ge=0, description="As value, for the disagreeing statement.")
    topic: str = pa.Field(description="What both statements are about: a topic from claim_topics.csv ('strikes', 'killed'...).")
    target_actor_id: str = pa.Field(nullable=True, description="The target both statements name, if any (FK actors).")
    disagreement: str = pa.Field(isin=DISAGREEMENTS, description="restriction ('only N' against a larger count or an asserted event), negation (a denied event against an asserted one), value (disjoint bounds for the same event), rebuttal (a rebuttal and a statement of another side that its evidence contains).")
    reason: str = pa.Field(description="The comparison that was made, in words.")

    class Config:
        strict = True
        coerce = False


# (columns, table, target) for the foreign keys of the claims table
CLAIM_KEYS = (
    ("article_id", "articles", "article_id"), ("other_article_id", "articles", "article_id"),
    ("figure_id", "figures", "figure_id"), ("other_figure_id", "figures", "figure_id"),
    ("event_id", "events", "event_id"), ("other_event_id", "events", "event_id"),
    ("claimant_actor_id", "actors", "actor_id"), ("other_claimant_actor_id", "actors", "actor_id"),
    ("target_actor_id", "actors", "actor_id"),
)
