"""Property tests of the pandera models: frames drawn to satisfy a model's declared rules are accepted, and one
cell that breaks a rule is rejected with that column named. Strategies are derived from the models themselves,
through polars.testing.parametric (pandera's strategies are not implemented for polars)."""
from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing.parametric import column, dataframes

from depeche.schema import TABLES
from depeche.validate import check_model


def value_strategy(definition) -> st.SearchStrategy:
    dtype = definition.dtype.type
    checks = {c.name: c.statistics for c in definition.checks}
    if "isin" in checks:
        return st.sampled_from(list(checks["isin"]["allowed_values"]))
    if "str_matches" in checks:
        return st.from_regex(checks["str_matches"]["pattern"], fullmatch=True)
    low = checks.get("in_range", checks.get("greater_than_or_equal_to", {})).get("min_value")
    high = checks.get("in_range", {}).get("max_value")
    if dtype.is_integer():
        return st.integers(min_value=low if low is not None else -10**6, max_value=high if high is not None else 10**6)
    if dtype.is_float():
        return st.floats(min_value=low if low is not None else -1e9, max_value=high if high is not None else 1e9,
                         allow_nan=False, allow_infinity=False)
    if dtype == pl.Date:
        return st.dates(min_value=date(2011, 1, 1), max_value=date(2030, 12, 31))
    if dtype == pl.Boolean:
        return st.booleans()
    if isinstance(dtype, pl.List):
        return st.lists(st.text(max_size=8), max_size=3)
    return st.text(max_size=12)


def frames(name: str) -> st.SearchStrategy[pl.DataFrame]:
    columns = [
        column(col, dtype=d.dtype.type, strategy=value_strategy(d), allow_null=d.nullable, unique=d.unique)
        for col, d in TABLES[name].schema.columns.items()
    ]
    return dataframes(columns, min_size=1, max_size=8, allow_masked_out=False)


@pytest.mark.parametrize("name", TABLES)
def test_frames_that_follow_the_model_are_accepted(name):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(frames(name))
    def check(frame):
        assert check_model(TABLES[name], frame) == []
    check()


def breakable_columns(name: str) -> list[str]:
    """Columns with a rule a single cell can break: non-null, an enum, a pattern or a range."""
    return [col for col, d in TABLES[name].schema.columns.items()
            if not d.nullable or any(c.name in {"isin", "str_matches", "in_range", "greater_than_or_equal_to"}
                                     for c in d.checks)]


def breaking_value(definition):
    dtype = definition.dtype.type
    checks = {c.name for c in definition.checks}
    if checks & {"isin", "str_matches"}:
        return "\u2603 not allowed"
    if checks & {"in_range", "greater_than_or_equal_to"}:
        return -10**7 if dtype.is_integer() else -1e10
    return None


@pytest.mark.parametrize("name, col", [(n, c) for n in TABLES for c in breakable_columns(n)])
def test_one_broken_cell_is_named(name, col):
    definition = TABLES[name].schema.columns[col]

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(frames(name), st.data())
    def check(frame, data):
        row = data.draw(st.integers(0, frame.height - 1))
        bad = breaking_value(definition)
        broken = frame.with_columns(
            pl.when(pl.int_range(pl.len()) == row).then(pl.lit(bad, dtype=frame.schema[col]))
            .otherwise(pl.col(col)).alias(col))
        failures = check_model(TABLES[name], broken)
        assert any(f.column == col for f in failures), [str(f) for f in failures]
    check()
