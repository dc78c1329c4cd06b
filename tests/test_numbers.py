"""French numbers as news text writes them: digits with French separators, number words (depeche.pipeline.numbers)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depeche.pipeline.numbers import DIGITS, digits_value, is_number_word, word_value

UNITS = ("zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize".split())
TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def below_hundred(n: int) -> str:
    """Traditional French spelling, hyphens included ("soixante et onze", "quatre-vingt-dix-sept")."""
    if n < 17:
        return UNITS[n]
    if n < 20:
        return "dix-" + UNITS[n - 10]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):
        base = "soixante" if tens == 7 else "quatre-vingt"
        rest = 10 + unit
        joiner = " et " if tens == 7 and unit == 1 else "-"
        return base + joiner + below_hundred(rest)
    base = "quatre-vingt" if tens == 8 else TENS[tens]
    if unit == 0:
        return base + ("s" if tens == 8 else "")
    return base + (" et " if unit == 1 and tens != 8 else "-") + UNITS[unit]


def below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        return below_hundred(rest)
    head = "cent" if hundreds == 1 else UNITS[hundreds] + " cent" + ("s" if rest == 0 else "")
    return head if rest == 0 else f"{head} {below_hundred(rest)}"


def french_words(n: int) -> str:
    """0 <= n < 10**9 in French words."""
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    parts = []
    if millions:
        parts.append(f"{below_thousand(millions)} million{'s' if millions > 1 else ''}")
    if thousands:
        parts.append("mille" if thousands == 1 else f"{below_thousand(thousands)} mille".replace("cents mille", "cent mille"))
    if units or not parts:
        parts.append(below_thousand(units))
    return " ".join(parts)


def french_digits(n: int, separator: str) -> str:
    """240000 -> "240.000" (or "240 000"); numbers below 10.000 are often written without separator."""
    return f"{n:,}".replace(",", separator)


@pytest.mark.parametrize("written, value", [
    ("240.000", 240000.0), ("240 000", 240000.0), ("240\u00a0000", 240000.0), ("1.500", 1500.0),
    ("1,5", 1.5), ("90", 90.0), ("3.000.000", 3_000_000.0), ("0,25", 0.25), ("2015", 2015.0),
])
def test_digits_value_reads_french_conventions(written, value):
    assert digits_value(written) == value


@pytest.mark.parametrize("text, found", [
    ("plus de 240.000 morts", ["240.000"]),
    ("près de 1.500 km", ["1.500"]),
    ("90% des frappes", ["90"]),
    ("1,5 million de réfugiés", ["1,5"]),
    ("240 000 morts et 12 blessés", ["240 000", "12"]),
    ("le 11e jour", []),            # ordinal
    ("à 12h30", []),                 # clock time
    ("le G20 et un Su-24", []),      # names
    ("le 7/10", []),                 # a date written with a slash
    ("1.5 km", []),                  # not French
    ("mars 2011", ["2011"]),         # found here; the figures stage drops years
])
def test_digit_runs_in_text(text, found):
    assert [m.group() for m in DIGITS.finditer(text)] == found


@pytest.mark.parametrize("words, value", [
    ("huit", 8), ("vingt-six", 26), ("Quatre", 4), ("deux cents", 200), ("vingt et un", 21),
    ("soixante et onze", 71), ("quatre-vingt-dix-sept", 97), ("mille cinq cents", 1500), ("deux millions", 2_000_000),
])
def test_word_value(words, value):
    assert word_value(words) == value


@pytest.mark.parametrize("words", ["troisième", "premier", "et", "dizaine", "cibles", ""])
def test_not_number_words(words):
    assert word_value(words) is None
    assert not is_number_word(words)


@given(st.integers(min_value=0, max_value=999_999_999))
def test_words_parse_back(n):
    assert word_value(french_words(n)) == n


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([".", " ", "\u00a0", "\u202f"]))
def test_digits_parse_back(n, separator):
    written = french_digits(n, separator)
    matches = [m.group() for m in DIGITS.finditer(f"Il y a eu {written} morts.")]
    assert matches == [written]
    assert digits_value(written) == n


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=99))
def test_decimals_parse_back(whole, decimals):
    written = f"{whole},{decimals:02d}"
    assert [m.group() for m in DIGITS.finditer(f"soit {written} km")] == [written]
    assert digits_value(written) == pytest.approx(whole + decimals / 100)


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("0123456789 .,h-e/%aéx\u00a0")), max_size=40))
def test_every_digit_run_has_a_value(text):
    for match in DIGITS.finditer(text):
        assert digits_value(match.group()) >= 0
        assert text[match.start():match.end()] == match.group()
