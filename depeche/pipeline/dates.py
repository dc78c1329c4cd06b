"""Event dates: French temporal expressions, resolved against the article's own publication date.

Wire copy dates events relative to the day it is written ("mercredi", "mardi soir", "dans la nuit", "ces
dernières 24 heures", "il y a une semaine", "depuis le 30 septembre"). `find_expressions` finds them in a text
(accent- and case-insensitive, offsets into the original text); `resolve` turns one into a `DateResolution`:
the day (only when the text fixes a day), the period it may lie in, and the UCDP date precision. What the text
does not fix stays null; nothing is guessed.

Weekday rule (gold guide): a weekday names the day of that week on or before the publication date ("mercredi"
in a Wednesday article is that Wednesday); in a clause about the future ("se réunissent jeudi") it names the
first such day on or after it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from text_to_num import text2num

from ..text import MONTHS, WEEKDAYS, fold

# UCDP date_prec: 1 exact day, 2 within 2-6 days, 3 within a week, 4 within a month, 5 longer or unknown.
DAY, FEW_DAYS, WEEK, MONTH, UNKNOWN_PRECISION = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class DateResolution:
    event_date: date | None
    date_start: date | None = None
    date_end: date | None = None
    precision: int = UNKNOWN_PRECISION
    future: bool = False  # the text places it after the publication date, or announces it


UNRESOLVED = DateResolution(None)


@dataclass(frozen=True)
class TimeExpression:
    start: int
    end: int
    text: str
    kind: str
    groups: tuple[str | None, ...]

    @property
    def scope(self) -> str:
        """'clause': dates the clause it attaches to; 'complement': dates the event noun right after it
        ("au lendemain des premiers bombardements"); 'mask': words that date something else, to be ignored."""
        return SCOPES.get(self.kind, "clause")

    @property
    def is_day(self) -> bool:
        """Names a calendar day by itself (not relative to another clause's day)."""
        return self.kind in ABSOLUTE_DAY_KINDS

    @property
    def needs_anchor(self) -> bool:
        """Resolved against the day of the clause it sits in, not only the publication date."""
        return self.kind in ANCHORED_KINDS


_MONTH = "|".join(fold(m) for m in MONTHS)
_WEEKDAY = "|".join(WEEKDAYS)
_NUMBER = r"(?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|vingt-quatre" \
          r"|trente|quarante-huit|quelques|plusieurs)"
_UNIT = r"(heures?|jours?|semaines?|mois|ans?|annees?)"
_DAY_OF_MONTH = rf"(1er|\d{{1,2}})\s+({_MONTH})(?:\s+(\d{{4}}))?"
_PART_OF_DAY = r"(?:\s+(?:soir|matin|apres-midi|midi))?"
_SEASONS = {"printemps": (3, 5), "ete": (6, 8), "automne": (9, 11), "hiver": (12, 2)}

# Order matters only between patterns that can match the same words: the longest match wins, then the first.
PATTERNS: list[tuple[str, str]] = [
    ("mask", r"\bpremiere fois depuis\b[^,.;:\n]*"),
    ("since_day", rf"\bdepuis\s+(?:le\s+debut\b[^,.;\d]{{0,40}}?,?\s*)?le\s+{_DAY_OF_MONTH}"),
    ("since_month", rf"\bdepuis\s+(?:le\s+mois\s+de\s+|(?:le\s+)?debut\s+)?({_MONTH})(?:\s+(\d{{4}}))?"),
    ("since_year", r"\bdepuis\s+(\d{4})\b"),
    ("since_duration", rf"\bdepuis\s+({_NUMBER})\s+{_UNIT}"),
    ("recent_span", rf"\b(?:ces|les|au cours des|durant les|pendant les)\s+dernier(?:e?s)?\s+({_NUMBER})\s+{_UNIT}"),
    ("recent_span", rf"\b(?:ces|les|au cours des|durant les|pendant les)\s+({_NUMBER})\s+{_UNIT}\s+dernier(?:e?s)?"),
    ("recent_span", r"\b(?:ces|les)\s+derni(?:ers|eres)\s+()(jours|semaines|mois)\b"),
    ("span_of", rf"\b(?:en|apres|au bout de)\s+({_NUMBER})\s+{_UNIT}(?=\s+d[e'])"),
    ("within", rf"\ben\s+({_NUMBER})\s+{_UNIT}"),
    ("ago", rf"\bil\s+y\s+a\s+({_NUMBER})\s+{_UNIT}"),
    ("explicit", rf"\b(?:(?:{_WEEKDAY})\s+)?(?:le\s+)?{_DAY_OF_MONTH}"),
    ("night_between", rf"\bnuit\s+de\s+({_WEEKDAY})\s+a\s+({_WEEKDAY})"),
    ("night", r"\b(?:dans|durant|pendant|au cours de)\s+la\s+nuit\b|\bcette\s+nuit\b|\bla\s+nuit\s+derniere\b"
              r"|\bnocturnes?\b"),
    ("weekday", rf"\b({_WEEKDAY}){_PART_OF_DAY}\b"),
    ("today", r"\baujourd'hui\b|\bce\s+(?:matin|soir|jour)\b|\bcet\s+apres-midi\b"),
    ("same_day", r"\bdans\s+la\s+journee\b|\btot\s+(?:le|dans\s+la)\s+(?:matin|matinee)\b|\ben\s+(?:fin|debut)\s+de\s+"
                 r"(?:journee|soiree|matinee)\b"),
    ("yesterday", r"\b(avant-hier|hier)(?:\s+(?:soir|matin|apres-midi))?\b"),
    ("tomorrow", r"\b(apres-demain|demain)(?:\s+(?:soir|matin|apres-midi))?\b"),
    ("eve", r"\b(la\s+veille|le\s+lendemain)\b(?!\s+d[eu'])"),
    ("day_after_complement", r"\bau\s+lendemain\s+(?:de\s+la|de\s+l'|des|du|de|d')"),
    ("day_before_complement", r"\ba\s+la\s+veille\s+(?:de\s+la|de\s+l'|des|du|de|d')"),
    ("last_week", r"\bla\s+semaine\s+(?:derniere|passee)\b"),
    ("this_week", r"\bcette\s+semaine\b"),
    ("last_month", r"\ble\s+mois\s+(?:dernier|passe)\b"),
    ("month", rf"\ben\s+({_MONTH})(?:\s+(\d{{4}}))?\b"),
    ("year", r"\ben\s+(\d{4})\b"),
    ("season", r"\b(?:au|en|a\s+l'|cet|l')\s*(printemps|ete|automne|hiver)(?:\s+(\d{4}))?(?:\s+dernier)?\b"),
    ("future", r"\bdans\s+un\s+(?:proche\s+)?avenir(?:\s+proche)?\b|\bprochainement\b|\bbientot\b"
               r"|\bdans\s+les\s+(?:prochains|prochaines)\s+(?:jours|heures|semaines)\b"
               r"|\bla\s+semaine\s+prochaine\b|\ble\s+mois\s+prochain\b"),
]
SCOPES = {"mask": "mask", "day_after_complement": "complement", "day_before_complement": "complement",
          "span_of": "complement"}
ABSOLUTE_DAY_KINDS = {"explicit", "weekday", "today", "yesterday", "tomorrow", "night_between", "since_day", "ago"}
ANCHORED_KINDS = {"night", "same_day", "eve", "day_after_complement", "day_before_complement", "span_of", "within"}


def top_level_alternatives(pattern: str) -> list[str]:
    """`a|(b|c)|d` -> ['a', '(b|c)', 'd']: the pattern split at the bars outside groups and character classes."""
    alternatives, depth, current, i = [], 0, [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            current.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[":
            close = i + 2 if pattern[i + 1] == "^" else i + 1
            close += pattern[close] == "]"  # a bracket right after "[" or "[^" is a member of the class
            while pattern[close] != "]":
                close += 2 if pattern[close] == "\\" else 1
            current.append(pattern[i:close + 1])
            i = close + 1
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            alternatives.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    return [*alternatives, "".join(current)]


def _unbounded(pattern: str) -> re.Pattern[str]:
    r"""The pattern without the `\b` every alternative starts with, which `word_matches` checks instead: a leading
    `\b` keeps Python's engine from skipping to the places where the first word can start, so it tries every
    character (twice as slow, and these patterns run over every article)."""
    alternatives = top_level_alternatives(pattern)
    if not all(a.startswith(r"\b") for a in alternatives):
        raise ValueError(f"a temporal pattern must start each alternative with \\b: {pattern}")
    return re.compile("|".join(a[2:] for a in alternatives))


_COMPILED = [(kind, _unbounded(pattern)) for kind, pattern in PATTERNS]
_WORD = re.compile(r"\w")


def _at_boundary(text: str, i: int) -> bool:
    return bool(i and _WORD.match(text, i - 1)) != bool(_WORD.match(text, i))


def word_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    r"""What `finditer` finds with `\b` before the pattern: the first match at a word boundary, then the next one
    after it."""
    position = 0
    while (m := pattern.search(text, position)) is not None:
        if _at_boundary(text, m.start()):
            yield m
            position = max(m.end(), m.start() + 1)
        else:
            position = m.start() + 1


def find_expressions(text: str, folded: str | None = None) -> list[TimeExpression]:
    """Every temporal expression in `text`, left to right, without overlaps (the longest wins). `folded`:
    `fold(text)`, when the caller has it."""
    folded = fold(text) if folded is None else folded
    found = []
    for rank, (kind, pattern) in enumerate(_COMPILED):
        for m in word_matches(pattern, folded):
            found.append((m.start(), -(m.end() - m.start()), rank, kind, m))
    chosen: list[TimeExpression] = []
    taken: list[tuple[int, int]] = []
    for start, negative_length, _, kind, m in sorted(found, key=lambda f: (f[1], f[0], f[2])):
        end = start - negative_length
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        chosen.append(TimeExpression(start, end, text[start:end], kind, m.groups()))
    return sorted(chosen, key=lambda e: e.start)


# --- resolution --------------------------------------------------------------------------------------------

def resolve(expression: TimeExpression, published: date | None, *, anchor: date | None = None,
            forward: bool = False) -> DateResolution:
    """The dates an expression gives. `anchor` is the day of the clause it sits in (defaults to the publication
    date); `forward` says the clause speaks of the future (a weekday then names the next such day)."""
    if expression.kind == "mask":
        return UNRESOLVED
    resolver = RESOLVERS[expression.kind]
    base = anchor if (anchor is not None and expression.needs_anchor) else published
    if base is None and not _stands_alone(expression):
        return UNRESOLVED
    result = resolver(expression.groups, base, forward)
    if result.event_date is not None and published is not None and result.event_date > published:
        return DateResolution(result.event_date, result.date_start, result.date_end, result.precision, True)
    return result


def _stands_alone(expression: TimeExpression) -> bool:
    """Resolvable without a publication date: it names its own year."""
    return expression.kind in {"since_year", "year", "future"} or (
        expression.kind in {"explicit", "since_day", "since_month", "month", "season"}
        and any(g and g.isdigit() and len(g) == 4 for g in expression.groups))


def weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def number(word: str) -> int | None:
    """'24', 'vingt-quatre', 'une' -> int; vague quantities ('quelques', 'plusieurs') -> None."""
    if word.isdigit():
        return int(word)
    if word in {"quelques", "plusieurs", ""}:
        return None
    return text2num(word, "fr")


def _unit_days(unit: str) -> float:
    unit = unit.rstrip("s")
    return {"heure": 1 / 24, "jour": 1, "semaine": 7, "moi": 30, "mois": 30, "an": 365, "annee": 365}[unit]


def _span_precision(days: float | None) -> int:
    if days is None:
        return WEEK  # "ces derniers jours", "depuis plusieurs jours"
    if days <= 6:
        return FEW_DAYS  # a rolling 24 hours already covers parts of two calendar days
    if days <= 7:
        return WEEK
    if days <= 31:
        return MONTH
    return UNKNOWN_PRECISION


def _day_of_month(groups, base: date | None, forward: bool) -> date | None:
    day_text, month_text, year_text = groups[:3]
    day = 1 if day_text == "1er" else int(day_text)
    month = MONTHS_FOLDED[month_text]
    if year_text:
        candidates = [int(year_text)]
    elif base is None:
        return None
    else:
        candidates = [base.year - 1, base.year, base.year + 1]
    days = []
    for year in candidates:
        try:
            days.append(date(year, month, day))
        except ValueError:
            continue
    if not days:
        return None
    if year_text:
        return days[0]
    if forward:
        later = [d for d in days if d >= base]
        return min(later) if later else None
    earlier = [d for d in days if d <= base]
    return max(earlier) if earlier else None


def _explicit(groups, base, forward):
    day = _day_of_month(groups, base, forward)
    return DateResolution(day, precision=DAY) if day else UNRESOLVED


def _since_day(groups, base, forward):
    day = _day_of_month(groups, base, False)
    return DateResolution(day, day, base, DAY) if day else UNRESOLVED


def _since_month(groups, base, forward):
    month = MONTHS_FOLDED[groups[0]]
    year = int(groups[1]) if groups[1] else _year_of_month(month, base, False)
    return _since(date(year, month, 1), base)


def _year_of_month(month: int, base: date, forward: bool) -> int:
    """The year of the nearest such month on or before (or, forward, on or after) the base day."""
    if forward:
        return base.year if month >= base.month else base.year + 1
    return base.year if month <= base.month else base.year - 1


def _since_year(groups, base, forward):
    return _since(date(int(groups[0]), 1, 1), base)


def _since(start: date, base: date | None) -> DateResolution:
    """A period from a month or year, open to the clause's day. Nothing says when it ends without that day (an
    article without a publication date), or when the text's year comes after it ("depuis 2015" in an article of
    2011)."""
    return DateResolution(None, start, base if base and start <= base else None, UNKNOWN_PRECISION)


def _recent_span(groups, base, forward):
    """'ces dernières 24 heures', 'depuis un an', 'après une semaine de (bombardements)': a period that ends on
    the clause's day; its start is known when the length is."""
    count = number(groups[0])
    days = None if count is None else count * _unit_days(groups[1])
    start = None if days is None else base - timedelta(days=max(round(days), 1))
    return DateResolution(None, start, base, _span_precision(days))


def _ago(groups, base, forward):
    count, unit = number(groups[0]), groups[1]
    if count is None:
        return DateResolution(None, None, base, _span_precision(None))
    unit_days = _unit_days(unit)
    if unit_days < 1:
        return DateResolution(base, precision=DAY)
    day = base - timedelta(days=round(count * unit_days))
    if unit_days == 1:
        return DateResolution(day, precision=DAY)
    if unit_days == 7:
        return DateResolution(day, precision=FEW_DAYS)  # "il y a une semaine": that day, give or take a few
    return DateResolution(None, day - timedelta(days=15), day + timedelta(days=15),
                          MONTH if unit_days <= 31 else UNKNOWN_PRECISION)


def _weekday(groups, base, forward):
    weekday = WEEKDAYS.index(groups[0])
    day = weekday_on_or_after(base, weekday) if forward else weekday_on_or_before(base, weekday)
    return DateResolution(day, precision=DAY)


def _night_between(groups, base, forward):
    second = _weekday(groups[1:], base, forward).event_date
    return DateResolution(second, second - timedelta(days=1), second, DAY)


def _night(groups, base, forward):
    """A night belongs to the morning it ends on, as wire copy dates it ("dans la nuit" = the night before)."""
    return DateResolution(base, base - timedelta(days=1), base, DAY)


def _same_day(groups, base, forward):
    return DateResolution(base, precision=DAY)


def _offset(days: int) -> Callable:
    return lambda groups, base, forward: DateResolution(base + timedelta(days=days), precision=DAY)


def _yesterday(groups, base, forward):
    return DateResolution(base - timedelta(days=2 if groups[0] == "avant-hier" else 1), precision=DAY)


def _tomorrow(groups, base, forward):
    return DateResolution(base + timedelta(days=2 if groups[0] == "apres-demain" else 1), precision=DAY, future=True)


def _eve(groups, base, forward):
    return DateResolution(base + timedelta(days=-1 if "veille" in groups[0] else 1), precision=DAY)


def _last_week(groups, base, forward):
    monday = base - timedelta(days=base.weekday() + 7)
    return DateResolution(None, monday, monday + timedelta(days=6), WEEK)


def _this_week(groups, base, forward):
    return DateResolution(None, base - timedelta(days=base.weekday()), base, WEEK)


def _month_span(year: int, month: int) -> tuple[date, date]:
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, 1), following - timedelta(days=1)


def _last_month(groups, base, forward):
    first_of_this = base.replace(day=1)
    start, end = _month_span((first_of_this - timedelta(days=1)).year, (first_of_this - timedelta(days=1)).month)
    return DateResolution(None, start, end, MONTH)


def _month(groups, base, forward):
    month = MONTHS_FOLDED[groups[0]]
    year = int(groups[1]) if groups[1] else _year_of_month(month, base, forward)
    start, end = _month_span(year, month)
    return DateResolution(None, start, end, MONTH)


def _year(groups, base, forward):
    year = int(groups[0])
    return DateResolution(None, date(year, 1, 1), date(year, 12, 31), UNKNOWN_PRECISION)


def _season(groups, base, forward):
    first, last = _SEASONS[groups[0]]
    if groups[1]:
        year = int(groups[1])
    elif base is None:
        return UNRESOLVED
    else:
        year = base.year if date(base.year, first, 1) <= base else base.year - 1
    start = date(year, first, 1)
    end_year = year + 1 if last < first else year
    end = _month_span(end_year, last)[1]
    return DateResolution(None, start, end, UNKNOWN_PRECISION)


def _future(groups, base, forward):
    return DateResolution(None, precision=UNKNOWN_PRECISION, future=True)


MONTHS_FOLDED = {fold(m): i for m, i in MONTHS.items()}
RESOLVERS: dict[str, Callable] = {
    "since_day": _since_day, "since_month": _since_month, "since_year": _since_year,
    "since_duration": _recent_span, "recent_span": _recent_span, "span_of": _recent_span, "within": _recent_span,
    "ago": _ago, "explicit": _explicit, "night_between": _night_between, "night": _night, "weekday": _weekday,
    "today": _same_day, "same_day": _same_day, "yesterday": _yesterday, "tomorrow": _tomorrow, "eve": _eve,
    "day_after_complement": _offset(-1), "day_before_complement": _offset(1), "last_week": _last_week,
    "this_week": _this_week, "last_month": _last_month, "month": _month, "year": _year, "season": _season,
    "future": _future,
}
