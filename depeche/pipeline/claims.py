"""Contested claims: statements by different sides about the same thing that disagree, side by side.

Built from the finished tables (figures, events, event_mentions, actor_mentions, actors, articles), so it works the
same on any corpus and on statements from several articles.

Statements:
- a figure with a claimant. Its stance is "restricts" when a cue of `claim_cues.csv` stands right before it in its
  sentence ("seuls deux raids", "n'ont visé que deux cibles"), else "asserts";
- an event mention whose event has a claimant: "denies" when the event's modality is negated, "asserts" when it is
  asserted (future and hypothetical events say nothing about what happened).

What a statement is about ("the same thing"):
- topic: the figure's category or the event's type, through `claim_topics.csv`; strikes and targets are one topic
  ("strikes": statements about one strike campaign); statements without a topic are not compared;
- initiator (who struck, who deployed): the event's actor1. For a figure: the actor of its linked event, else the
  actor named right after its counted noun ("raids russes"), else the nearest actor named before it in its
  sentence other than its claimant ("l'aviation russe a frappé 55 cibles"), else its claimant (a side reporting
  its own strikes);
- targets: the event's actor2; for a figure, also the actors named after it in its sentence ("55 cibles de l'EI"),
  other than its initiator and claimant, and other than places ("en Syrie");
- time: statements whose articles were published more than WINDOW_DAYS apart are not compared (undated articles
  only with themselves).

Sides: a state, government or armed force stands for its country, and so does anyone whose parent_actor_id chain
leads to one (a minister, a spokesman); any other actor stands for the top of its parent chain (an NGO and its
director are one side). Statements of the same side never dispute each other.

Disagreement, between two statements on the same topic, by different sides, about initiators of the same side (or
an unknown one), naming a common target:
- restriction: one restricts to N ("seuls deux raids") and the other counts more than N (its lower bound);
- negation: one denies an event that the other asserts, as an event or as a figure;
- value: two figures of the same category linked to the same event whose bounds do not overlap (the event makes
  them the same thing; no target is needed).
Each disagreement gives two rows, one from each side, with the same dispute_id.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import polars as pl

from ..ids import content_id
from ..reference import Reference
from ..schema import TABLES
from ..text import fold
from .figures import lexicon_rows

WINDOW_DAYS = 7
COUNTRY_TYPES = {"state", "government", "military"}
LOCATIVES = {"en", "a", "au", "aux", "dans", "vers", "depuis"}  # folded: "en Syrie" names a place, not a target
SENTENCE_END = re.compile(r"(?<!\bM)[.!?…](?=\s)|\n")


@dataclass(frozen=True)
class Statement:
    article_id: str
    start: int
    end: int
    surface: str
    figure_id: str | None
    event_id: str | None
    claimant: str
    stance: str
    value: float | None
    low: float | None
    high: float | None
    category: str | None
    topic: str
    initiator: str | None  # a side
    targets: frozenset[str]
    published: date | None


def build(articles: pl.DataFrame, tables: dict[str, pl.DataFrame], reference: Reference) -> pl.DataFrame:
    """The claims table: every pair of disagreeing statements, once from each side."""
    sides = actor_sides(tables["actors"])
    statements = [*figure_statements(articles, tables, sides, reference),
                  *event_statements(articles, tables, sides, reference)]
    by_topic: dict[str, list[Statement]] = {}
    for statement in statements:
        by_topic.setdefault(statement.topic, []).append(statement)
    rows = []
    for group in by_topic.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                found = disagreement(a, b, sides)
                if found is not None:
                    kind, target, reason = found
                    rows += [claim_row(a, b, kind, target, reason), claim_row(b, a, kind, target, reason)]
    return TABLES["claims"].frame(rows)


# --- sides ------------------------------------------------------------------------------------------------------

def actor_sides(actors: pl.DataFrame) -> dict[str, str]:
    """actor_id -> side: 'country:RUS' for the Russian state, its ministries, forces and officials; else the top of
    the actor's parent chain."""
    rows = {r["actor_id"]: r for r in actors.iter_rows(named=True)}
    sides = {}
    for actor_id in rows:
        seen, current = [], rows[actor_id]
        while True:
            seen.append(current["actor_id"])
            if current["actor_type"] in COUNTRY_TYPES and current["country_iso3"]:
                sides[actor_id] = f"country:{current['country_iso3']}"
                break
            parent = rows.get(current["parent_actor_id"] or "")
            if parent is None or parent["actor_id"] in seen:
                sides[actor_id] = f"actor:{current['actor_id']}"
                break
            current = parent
    return sides


# --- statements -------------------------------------------------------------------------------------------------

def figure_statements(articles: pl.DataFrame, tables: dict[str, pl.DataFrame], sides: dict[str, str],
                      reference: Reference) -> list[Statement]:
    topics = _topics(reference, "figure")
    restrictive = restriction_pattern(reference)
    texts = dict(zip(articles["article_id"], articles["text"]))
    dates = dict(zip(articles["article_id"], articles["published_date"]))
    mentions = _mentions_by_article(tables["actor_mentions"])
    events = {e["event_id"]: e for e in tables["events"].iter_rows(named=True)}
    found = []
    for f in tables["figures"].filter(pl.col("claimant_actor_id").is_not_null()).iter_rows(named=True):
        topic = topics.get(f["category"])
        if topic is None:
            continue
        text = texts[f["article_id"]]
        lo, hi = sentence_bounds(text, f["start"], f["end"])
        in_sentence = [m for m in mentions.get(f["article_id"], []) if lo <= m["start"] and m["end"] <= hi]
        initiator_mention = figure_initiator(text, f, in_sentence)
        event = events.get(f["event_id"] or "")
        initiator = (event and event["actor1_id"]) or (initiator_mention and initiator_mention["actor_id"]) \
            or f["claimant_actor_id"]
        targets = {m["actor_id"] for m in in_sentence
                   if m["start"] >= f["end"] and m is not initiator_mention and not _is_place(text, m)}
        targets -= {f["claimant_actor_id"], initiator}
        if event and event["actor2_id"]:
            targets.add(event["actor2_id"])
        stance = "restricts" if restrictive.search(fold(text[lo:f["start"]])) else "asserts"
        found.append(Statement(
            f["article_id"], f["start"], f["end"], f["surface"], f["figure_id"], f["event_id"], f["claimant_actor_id"],
            stance, f["value"], f["value_low"], f["value_high"], f["category"], topic, sides.get(initiator),
            frozenset(targets), dates[f["article_id"]]))
    return found


def event_statements(articles: pl.DataFrame, tables: dict[str, pl.DataFrame], sides: dict[str, str],
                     reference: Reference) -> list[Statement]:
    topics = _topics(reference, "event")
    dates = dict(zip(articles["article_id"], articles["published_date"]))
    claimed = tables["events"].filter(pl.col("claimant_actor_id").is_not_null()
                                      & pl.col("modality").is_in(["asserted", "negated"]))
    found = []
    for e in claimed.join(tables["event_mentions"], on="event_id").iter_rows(named=True):
        topic = topics.get(e["event_type"])
        if topic is None:
            continue
        found.append(Statement(
            e["article_id"], e["start"], e["end"], e["surface"], None, e["event_id"], e["claimant_actor_id"],
            "denies" if e["modality"] == "negated" else "asserts", None, None, None, None, topic,
            sides.get(e["actor1_id"]), frozenset([e["actor2_id"]] if e["actor2_id"] else []),
            dates[e["article_id"]]))
    return found


def figure_initiator(text: str, figure: dict, in_sentence: list[dict]) -> dict | None:
    """The actor named right after the counted noun ("raids russes"), else the nearest one named before the figure
    that is not its claimant."""
    for m in in_sentence:
        if m["start"] >= figure["end"] and not text[figure["end"]:m["start"]].strip():
            return m
    before = [m for m in in_sentence if m["end"] <= figure["start"] and m["actor_id"] != figure["claimant_actor_id"]]
    return max(before, key=lambda m: m["end"]) if before else None


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end], by punctuation ("M." is not an end)."""
    lo = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    nxt = SENTENCE_END.search(text, end)
    return lo, nxt.end() if nxt else len(text)


def _is_place(text: str, mention: dict) -> bool:
    words = fold(text[max(0, mention["start"] - 12):mention["start"]]).replace("'", " ").split()
    return bool(words) and words[-1] in LOCATIVES


def restriction_pattern(reference: Reference) -> re.Pattern:
    """The cues of `claim_cues.csv` as a pattern on the folded words right before a figure."""
    alternatives = []
    for cue, stance in lexicon_rows(reference, "claim_cues", ("cue", "stance")):
        if stance != "restricts":
            continue
        if cue == "ne que":
            alternatives.append(r"\bn(?:e\s|')[^.;:]*\bqu(?:e\s+|')")
        else:
            alternatives.append(r"(?<![\w'])" + re.escape(fold(cue)).replace(r"\ ", r"\s+") + r"\s+")
    return re.compile("(?:" + "|".join(alternatives) + r")$")


def _topics(reference: Reference, source: str) -> dict[str, str]:
    return {kind: topic for src, kind, topic in lexicon_rows(reference, "claim_topics", ("source", "kind", "topic"))
            if src == source}


def _mentions_by_article(mentions: pl.DataFrame) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for m in mentions.sort("article_id", "start").iter_rows(named=True):
        grouped.setdefault(m["article_id"], []).append(m)
    return grouped


# --- disagreement -----------------------------------------------------------------------------------------------

def disagreement(a: Statement, b: Statement, sides: dict[str, str]) -> tuple[str, str | None, str] | None:
    """(kind, common target, reason) when the two statements dispute the same thing; None otherwise."""
    if a.topic != b.topic or sides.get(a.claimant, a.claimant) == sides.get(b.claimant, b.claimant):
        return None
    if not _close_in_time(a, b) or (a.initiator and b.initiator and a.initiator != b.initiator):
        return None
    if a.figure_id and b.figure_id and a.event_id is not None and a.event_id == b.event_id \
            and a.category == b.category and _disjoint(a, b):
        return "value", None, (
            f"{a.claimant} gives {a.value:g} ({a.surface!r}), {b.claimant} gives {b.value:g} ({b.surface!r}) for the "
            f"same event and category {a.category}; their bounds do not overlap")
    common = sorted(a.targets & b.targets)
    if not common:
        return None
    target = common[0]
    for one, other in ((a, b), (b, a)):
        if one.stance == "restricts" and other.stance == "asserts" and other.value is not None \
                and _lower(other) > one.value:
            return "restriction", target, (
                f"{one.claimant} says only {one.value:g} ({one.surface!r}); {other.claimant} counts at least "
                f"{_lower(other):g} ({other.surface!r}), same topic {one.topic}, same target {target}")
        if one.stance == "denies" and other.stance == "asserts":
            return "negation", target, (
                f"{one.claimant} denies what {other.claimant} asserts ({other.surface!r}), same topic "
                f"{one.topic}, same target {target}")
    return None


def _disjoint(a: Statement, b: Statement) -> bool:
    """[low, high] ranges that do not meet; a missing bound is open."""
    return (a.high is not None and b.low is not None and a.high < b.low) or \
        (b.high is not None and a.low is not None and b.high < a.low)


def _lower(statement: Statement) -> float:
    return statement.low if statement.low is not None else statement.value


def _close_in_time(a: Statement, b: Statement) -> bool:
    if a.article_id == b.article_id:
        return True
    if a.published is None or b.published is None:
        return False
    return abs((a.published - b.published).days) <= WINDOW_DAYS


def claim_row(this: Statement, other: Statement, kind: str, target: str | None, reason: str) -> dict:
    pair = sorted([_key(this), _key(other)])
    return {
        "claim_id": content_id("clm", *_key(this), *_key(other)),
        "dispute_id": content_id("dsp", *pair[0], *pair[1]),
        "article_id": this.article_id, "start": this.start, "end": this.end, "surface": this.surface,
        "figure_id": this.figure_id, "event_id": this.event_id, "claimant_actor_id": this.claimant,
        "stance": this.stance, "value": this.value,
        "other_article_id": other.article_id, "other_start": other.start, "other_end": other.end,
        "other_surface": other.surface, "other_figure_id": other.figure_id, "other_event_id": other.event_id,
        "other_claimant_actor_id": other.claimant, "other_stance": other.stance, "other_value": other.value,
        "topic": this.topic, "target_actor_id": target, "disagreement": kind, "reason": reason,
    }


def _key(statement: Statement) -> tuple:
    return (statement.article_id, statement.start, statement.end, statement.figure_id or statement.event_id)
