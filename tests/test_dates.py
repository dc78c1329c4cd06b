"""Event dates: French temporal expressions resolved against the article's publication date."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depeche.pipeline import dates
from depeche.pipeline.dates import (
    DateResolution, find_expressions, resolve, weekday_on_or_after, weekday_on_or_before,
)
from depeche.text import fold

from .conftest import RAW

WEDNESDAY = date(2015, 10, 7)
SATURDAY = date(2015, 10, 10)
MONDAY = date(2015, 11, 2)


def only(text: str):
    found = find_expressions(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, published, forward, expected", [
    # a weekday names that day of the week on or before publication; the publication's own weekday is that day
    ("l'armée a lancé mercredi une offensive", WEDNESDAY, False, DateResolution(WEDNESDAY, precision=1)),
    ("Mardi soir, le ministère a annoncé", WEDNESDAY, False, DateResolution(date(2015, 10, 6), precision=1)),
    ("ont repris dimanche du terrain", MONDAY, False, DateResolution(date(2015, 11, 1), precision=1)),
    ("le groupe avait avancé vendredi", SATURDAY, False, DateResolution(date(2015, 10, 9), precision=1)),
    ("ont frappé lundi matin", MONDAY, False, DateResolution(MONDAY, precision=1)),
    # a future clause reads forward
    ("les ministres se réunissent jeudi à Bruxelles", WEDNESDAY, True,
     DateResolution(date(2015, 10, 8), precision=1, future=True)),
    ("se réunissent mercredi", WEDNESDAY, True, DateResolution(WEDNESDAY, precision=1)),
    # nights belong to the morning they end on
    ("des raids ont eu lieu dans la nuit", WEDNESDAY, False,
     DateResolution(WEDNESDAY, date(2015, 10, 6), WEDNESDAY, 1)),
    ("dans la nuit de samedi à dimanche", MONDAY, False,
     DateResolution(date(2015, 11, 1), date(2015, 10, 31), date(2015, 11, 1), 1)),
    # rolling periods: no day, a span
    ("ces dernières 24 heures", SATURDAY, False, DateResolution(None, date(2015, 10, 9), SATURDAY, 2)),
    ("au cours des dernières 48 heures", SATURDAY, False, DateResolution(None, date(2015, 10, 8), SATURDAY, 2)),
    ("en vingt-quatre heures", MONDAY, False, DateResolution(None, date(2015, 11, 1), MONDAY, 2)),
    ("ces derniers jours", WEDNESDAY, False, DateResolution(None, None, WEDNESDAY, 3)),
    ("depuis plusieurs jours", WEDNESDAY, False, DateResolution(None, None, WEDNESDAY, 3)),
    ("depuis un an", WEDNESDAY, False, DateResolution(None, date(2014, 10, 7), WEDNESDAY, 5)),
    # relative to publication
    ("il y a une semaine", WEDNESDAY, False, DateResolution(date(2015, 9, 30), precision=2)),
    ("il y a trois jours", MONDAY, False, DateResolution(date(2015, 10, 30), precision=1)),
    ("hier soir", MONDAY, False, DateResolution(date(2015, 11, 1), precision=1)),
    ("avant-hier", MONDAY, False, DateResolution(date(2015, 10, 31), precision=1)),
    ("aujourd'hui", MONDAY, False, DateResolution(MONDAY, precision=1)),
    ("demain", MONDAY, False, DateResolution(date(2015, 11, 3), precision=1, future=True)),
    # campaigns: 'depuis' a day dates the start, open to the publication day (gold adjudication rule)
    ("mène depuis le 30 septembre une campagne", WEDNESDAY, False,
     DateResolution(date(2015, 9, 30), date(2015, 9, 30), WEDNESDAY, 1)),
    ("depuis le début de la campagne, le 30 septembre", WEDNESDAY, False,
     DateResolution(date(2015, 9, 30), date(2015, 9, 30), WEDNESDAY, 1)),
    ("Depuis le début le 30 septembre de son intervention", SATURDAY, False,
     DateResolution(date(2015, 9, 30), date(2015, 9, 30), SATURDAY, 1)),
    ("depuis mars 2011", WEDNESDAY, False, DateResolution(None, date(2011, 3, 1), WEDNESDAY, 5)),
    # a start after the clause's day cannot be open to it: the end is unknown
    ("depuis 2016", WEDNESDAY, False, DateResolution(None, date(2016, 1, 1), None, 5)),
    ("depuis mars 2016", WEDNESDAY, False, DateResolution(None, date(2016, 3, 1), None, 5)),
    # explicit days; a missing year is the latest one not after publication
    ("le 7 octobre 2015", MONDAY, False, DateResolution(WEDNESDAY, precision=1)),
    ("le 28 décembre", date(2016, 1, 5), False, DateResolution(date(2015, 12, 28), precision=1)),
    ("jeudi 1er octobre", WEDNESDAY, False, DateResolution(date(2015, 10, 1), precision=1)),
    # months and seasons give a period, never a day
    ("en mars 2011", WEDNESDAY, False, DateResolution(None, date(2011, 3, 1), date(2011, 3, 31), 4)),
    ("au printemps", WEDNESDAY, False, DateResolution(None, date(2015, 3, 1), date(2015, 5, 31), 5)),
    ("la semaine dernière", WEDNESDAY, False, DateResolution(None, date(2015, 9, 28), date(2015, 10, 4), 3)),
    ("dans un avenir proche", WEDNESDAY, False, DateResolution(None, precision=5, future=True)),
])
def test_expression_resolves_against_publication(text, published, forward, expected):
    assert resolve(only(text), published, forward=forward) == expected


@pytest.mark.parametrize("text, anchor, expected", [
    ("ayant visé dans la journée 12 cibles", date(2015, 10, 6), date(2015, 10, 6)),
    ("la veille", date(2015, 10, 6), date(2015, 10, 5)),
    ("Au lendemain des premiers bombardements", date(2015, 10, 1), date(2015, 9, 30)),
    ("frappes nocturnes", date(2015, 10, 1), date(2015, 10, 1)),
])
def test_relative_expressions_use_the_clause_day(text, anchor, expected):
    assert resolve(only(text), WEDNESDAY, anchor=anchor).event_date == expected


@pytest.mark.parametrize("text", ["a lancé mercredi une offensive", "dans la nuit", "il y a une semaine",
                                  "ces dernières 24 heures", "le 30 septembre", "hier"])
def test_unresolvable_without_a_publication_date_stays_null(text):
    assert resolve(only(text), None) == DateResolution(None)


def test_a_stated_year_needs_no_publication_date():
    assert resolve(only("le 7 octobre 2015"), None).event_date == WEDNESDAY


@pytest.mark.parametrize("text, start", [("depuis 2011", date(2011, 1, 1)), ("depuis mars 2011", date(2011, 3, 1))])
def test_a_period_since_a_stated_year_without_a_publication_date_has_no_end(text, start):
    assert resolve(only(text), None) == DateResolution(None, start, None, 5)


def test_first_time_since_dates_something_else_not_the_clause():
    found = find_expressions("Pour la première fois depuis le début de l'intervention il y a une semaine, les forces")
    assert [e.kind for e in found] == ["mask"]
    assert resolve(found[0], WEDNESDAY) == DateResolution(None)


def test_expressions_are_found_left_to_right_with_offsets_into_the_original_text():
    text = "Mardi soir, l'aviation a frappé. Dans la nuit, puis ces dernières 24 heures, selon l'État."
    found = find_expressions(text)
    assert [e.kind for e in found] == ["weekday", "night", "recent_span"]
    assert all(text[e.start:e.end] == e.text for e in found)


@pytest.mark.parametrize("text", ["112 cibles", "1.500 km", "Le 12h30", "240.000 morts", "au 11e jour"])
def test_numbers_that_are_not_dates_are_not_expressions(text):
    assert find_expressions(text) == []


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)), st.integers(0, 6))
def test_weekday_rule(published, weekday):
    before, after = weekday_on_or_before(published, weekday), weekday_on_or_after(published, weekday)
    assert before.weekday() == weekday == after.weekday()
    assert timedelta(0) <= published - before < timedelta(days=7)
    assert timedelta(0) <= after - published < timedelta(days=7)


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["mardi", "nuit", "depuis", "le", "30", "septembre", "il", "y", "a", "une", "24",
                                 "heures", "dans", "la", "ces", "dernières", "en", "au", "printemps", "lendemain",
                                 "des", "frappes", ",", "2015", "Dimanche", "soir"]) | st.text(max_size=6),
                max_size=25).map(" ".join),
       st.one_of(st.none(), st.dates(min_value=date(2011, 1, 1), max_value=date(2030, 1, 1))),
       st.booleans())
def test_any_text_gives_matching_spans_and_resolves_without_error(text, published, forward):
    for expression in find_expressions(text):
        assert text[expression.start:expression.end] == expression.text
        result = resolve(expression, published, forward=forward)
        assert 1 <= result.precision <= 5
        if result.date_start and result.date_end:
            assert result.date_start <= result.date_end


# --- the patterns run without their leading \b, which word_matches checks -------------------------------------

_WORDS = ["hier", "cahier", "avant-hier", "dans la nuit", "la veille", "le lendemain", "depuis", "le 1er",
          "octobre", "2015", "mardi", "soir", "il y a", "trois", "jours", "ces", "villes", "derniers", "en", "bien"]


@given(st.lists(st.sampled_from(_WORDS), max_size=12), st.lists(st.sampled_from([" ", "", "-", ", ", "_", "é"]),
                                                                   min_size=12, max_size=12))
def test_each_pattern_finds_what_it_finds_with_a_leading_word_boundary(words, separators):
    text = "".join(w + s for w, s in zip(words, separators))
    for (kind, pattern), (_, unbounded) in zip(dates.PATTERNS, dates._COMPILED):
        expected = [m.span() for m in re.finditer(pattern, text)]
        assert [m.span() for m in dates.word_matches(unbounded, text)] == expected, kind


def test_each_pattern_finds_what_it_finds_with_a_leading_word_boundary_in_the_seed_articles():
    for path in sorted(RAW.glob("*.txt")):
        text = fold(path.read_bytes().decode("utf-8", errors="replace"))
        for (kind, pattern), (_, unbounded) in zip(dates.PATTERNS, dates._COMPILED):
            assert [m.span() for m in dates.word_matches(unbounded, text)] == \
                [m.span() for m in re.finditer(pattern, text)], (path.name, kind)


@pytest.mark.parametrize("pattern, alternatives", [
    (r"\ba|\bb", [r"\ba", r"\bb"]),
    (r"\b(?:a|b)c|\bd", [r"\b(?:a|b)c", r"\bd"]),
    (r"\b[|]a|\b[^]|]b|\b[\]|]c", [r"\b[|]a", r"\b[^]|]b", r"\b[\]|]c"]),
    (r"\ba\|b", [r"\ba\|b"]),
])
def test_top_level_alternatives(pattern, alternatives):
    assert dates.top_level_alternatives(pattern) == alternatives


def test_a_pattern_with_an_alternative_not_starting_at_a_word_boundary_is_refused():
    with pytest.raises(ValueError, match="must start each alternative"):
        dates._unbounded(r"\bhier|demain")
