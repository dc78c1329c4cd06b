"""Places: gazetteer names found in an article, with the role the text gives them and UCDP where-precision.

The gazetteer (`dataset/reference/gazetteer.csv`) lists governorates, cities, towns, sites, countries and seas
with their French and English names and variants. Matching is accent- and case-insensitive on whole words.
The words before a name decide what it is:
- "province de X", "provinces de X, d'Y et de Z", "celle de X" -> the governorate X;
- "région de X", "zone de X", "près de X", "au nord de X" -> around the place X (precision 2);
- "depuis X" (where something came from) and "survolant X" (what it flew over) are not where it happened.
A name that also names an actor ("Damas" for the Syrian government, "Moscou"), and a country or a sea, is a place
only after a locative word ("à Moscou", "province de Damas", "en Syrie"; not "la flottille de la mer Caspienne"). "dans la province" and "cette même province" point back to the last
governorate named. A name several places share (Mansoura) is resolved by the governorates named in the same
sentence, or left out: a wrong place is worse than none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from ..reference import Reference, per_reference
from ..text import LEADING_ARTICLE, fold, whole_words_pattern

# UCDP where_prec
EXACT, NEAR, DISTRICT, GOVERNORATE, REGION, COUNTRY, OTHER = 1, 2, 3, 4, 5, 6, 7
PRECISION_BY_FEATURE = {"city": EXACT, "town": EXACT, "village": EXACT, "site": EXACT, "military_base": EXACT,
                        "governorate": GOVERNORATE, "country": COUNTRY, "sea": OTHER}

_DE = r"(?:de\s+la\s+|de\s+l'|des\s+|du\s+|de\s+|d')"
_ARTICLE = r"(?:la\s+|le\s+|les\s+|l')?"
GOVERNORATE_CUE = re.compile(rf"\b(?:provinces?|gouvernorats?|celles?)\s+(?:voisines?\s+)?{_DE}$")
LIST_CONTINUATION = re.compile(rf"(?:,\s*|\s+et\s+)(?:{_DE}|(?:a|au|aux|en|dans)\s+{_ARTICLE}|{_ARTICLE})")
NEAR_CUE = re.compile(rf"\b(?:pres|autour|aux\s+environs|(?:nord|sud|est|ouest|centre)(?:-est|-ouest)?"
                      rf"|region|zone|peripherie(?:\s+(?:nord|sud|est|ouest))?|portes)\s+{_DE}$")
CITY_CUE = re.compile(rf"\b(?:ville|localite|village)\s+{_DE}$")
LOCATIVE_PREPOSITION = re.compile(rf"\b(?:a|au|aux|en|dans|sur|vers)\s+{_ARTICLE}$")
ORIGIN_CUE = re.compile(rf"\bdepuis\s+{_ARTICLE}$")
PATH_CUE = re.compile(rf"\b(?:survol\w*|via|au-dessus\s+{_DE})\s*{_ARTICLE}$")
LOCATIVE_CUES = (LOCATIVE_PREPOSITION, GOVERNORATE_CUE, NEAR_CUE, CITY_CUE, ORIGIN_CUE, PATH_CUE)
ANAPHORA = re.compile(r"\b(?:cette|la)\s+(?:meme\s+)?province\b(?!\s*(?:de\b|d'|du\b|des\b|voisine))")
CONTEXT = 60


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    surface: str
    place_id: str
    admin1: str | None
    country_iso3: str | None
    feature_type: str
    where_precision: int
    role: str  # 'location' (where something happens), 'origin' (depuis X) or 'path' (survolant X)


@dataclass(frozen=True)
class Gazetteer:
    pattern: re.Pattern[str] | None
    by_surface: dict[str, tuple[dict, ...]]
    governorate_of: dict[str, dict]  # admin1 -> its governorate row


@per_reference
def gazetteer(reference: Reference) -> Gazetteer:
    """The matcher for a reference folder, built once per process."""
    return build_gazetteer(reference.gazetteer)


def build_gazetteer(table: pl.DataFrame) -> Gazetteer:
    by_surface: dict[str, list[dict]] = {}
    governorate_of = {}
    for row in table.iter_rows(named=True):
        names = [row["name"], row["name_fr"], *(row["aliases"] or "").split("|")]
        for surface in {fold(LEADING_ARTICLE.sub("", (name or "").strip())) for name in names}:
            if len(surface) >= 2:
                by_surface.setdefault(surface, []).append(row)
        if row["feature_type"] == "governorate" and row["admin1"]:
            governorate_of[row["admin1"]] = row
    return Gazetteer(whole_words_pattern(by_surface), {s: tuple(rows) for s, rows in by_surface.items()},
                     governorate_of)


def find_places(text: str, gazetteer: Gazetteer, actor_spans: list[tuple[int, int]],
                sentences: list[tuple[int, int]], folded: str | None = None) -> list[PlaceMention]:
    """Every place the text names, left to right, with the governorate anaphoras resolved. `folded`: `fold(text)`,
    when the caller has it."""
    if gazetteer.pattern is None:
        return []
    folded = fold(text) if folded is None else folded
    raw = [(m.start(), m.end()) for m in gazetteer.pattern.finditer(folded)]
    found: list[PlaceMention] = []
    for start, end in raw:
        rows = gazetteer.by_surface[folded[start:end]]
        needs_locative = any(s < end and start < e for s, e in actor_spans) or \
            all(r["feature_type"] in {"country", "sea"} for r in rows)
        if needs_locative and not _is_locative(folded, start, raw):
            continue
        sentence = _sentence_of(start, sentences)
        row = _choose(rows, folded, sentence, raw, gazetteer,
                      _in_list_after(folded, start, raw, GOVERNORATE_CUE))
        if row is not None:
            found.append(_mention(text, folded, start, end, row, raw))
    found += _anaphoras(text, folded, found, gazetteer)
    return sorted(found, key=lambda p: p.start)


def _is_locative(folded: str, start: int, raw: list[tuple[int, int]]) -> bool:
    """Introduced as a place: by a preposition of place, a governorate, city or nearness cue, or as where
    something came from or passed over; or listed after such a place."""
    return any(_in_list_after(folded, start, raw, cue) for cue in LOCATIVE_CUES)


def _in_list_after(folded: str, start: int, raw: list[tuple[int, int]], cue: re.Pattern[str]) -> bool:
    """The words before the name match `cue`, or the name continues a list whose first item they match
    ('provinces de Hama et Lattaquié', 'survolant l'Iran et l'Irak')."""
    if cue.search(folded[max(0, start - CONTEXT):start]):
        return True
    previous = [(s, e) for s, e in raw if e <= start]
    if not previous:
        return False
    s, e = previous[-1]
    return bool(LIST_CONTINUATION.fullmatch(folded[e:start])) and _in_list_after(folded, s, raw, cue)


def _sentence_of(position: int, sentences: list[tuple[int, int]]) -> tuple[int, int]:
    return next(((s, e) for s, e in sentences if s <= position < e), (0, 0))


def _choose(rows: tuple[dict, ...], folded: str, sentence: tuple[int, int],
            raw: list[tuple[int, int]], gazetteer: Gazetteer, governorate: bool) -> dict | None:
    """The gazetteer row a name stands for here, or None when the context cannot decide between homonyms."""
    if governorate:
        for row in rows:
            if row["feature_type"] == "governorate":
                return row
        admin1s = {r["admin1"] for r in rows if r["admin1"]}
        if len(admin1s) == 1:
            return gazetteer.governorate_of.get(admin1s.pop()) or rows[0]
    specific = [r for r in rows if r["feature_type"] != "governorate"] or list(rows)
    if len(specific) == 1:
        return specific[0]
    named_here = _governorates_named(folded, sentence, raw, gazetteer)
    in_context = [r for r in specific if r["admin1"] in named_here]
    return in_context[0] if len(in_context) == 1 else None


def _governorates_named(folded: str, sentence: tuple[int, int], raw: list[tuple[int, int]],
                        gazetteer: Gazetteer) -> set[str]:
    named = set()
    for s, e in raw:
        if sentence[0] <= s < sentence[1]:
            rows = gazetteer.by_surface[folded[s:e]]
            admin1s = {r["admin1"] for r in rows if r["admin1"]}
            if len(admin1s) == 1:
                named |= admin1s
    return named


def _mention(text: str, folded: str, start: int, end: int, row: dict, raw: list[tuple[int, int]]) -> PlaceMention:
    before = folded[max(0, start - CONTEXT):start]
    precision = PRECISION_BY_FEATURE.get(row["feature_type"])
    if precision is None:  # a named region: near a point when inside one governorate, else larger
        precision = NEAR if row["admin1"] else REGION
    if precision == EXACT and NEAR_CUE.search(before):
        precision = NEAR
    role = "location"
    if _in_list_after(folded, start, raw, ORIGIN_CUE):
        role = "origin"
    elif _in_list_after(folded, start, raw, PATH_CUE):
        role = "path"
    return PlaceMention(start, end, text[start:end], row["place_id"], row["admin1"], row["country_iso3"],
                        row["feature_type"], precision, role)


def _anaphoras(text: str, folded: str, found: list[PlaceMention], gazetteer: Gazetteer) -> list[PlaceMention]:
    """'dans la province', 'cette même province': the governorate of the last place named before."""
    resolved = []
    for m in ANAPHORA.finditer(folded):
        earlier = [p for p in found if p.end <= m.start() and p.admin1]
        if not earlier:
            continue
        row = gazetteer.governorate_of.get(earlier[-1].admin1)
        if row is None:
            continue
        resolved.append(PlaceMention(m.start(), m.end(), text[m.start():m.end()], row["place_id"], row["admin1"],
                                     row["country_iso3"], "governorate", GOVERNORATE, "location"))
    return resolved
