"""Contested claims: statements by different sides about the same thing that disagree, side by side.

Built from the finished tables (figures, events, event_mentions, actor_mentions, actors, articles), so it works the
same on any corpus and on statements from several articles.

Statements:
- a figure with a claimant. Its stance is "restricts" when a cue of `claim_cues.csv` stands right before it in its
  sentence ("seuls deux raids", "n'ont visé que deux cibles"), else "asserts";
- an event mention whose event has a claimant: "denies" when the event's modality is negated, "asserts" when it is
  asserted (future and hypothetical events say nothing about what happened);
- a mention of a rebuttal event (topic "rebuttal" in `claim_topics.csv`: "a balayé les accusations …", "a démenti
  …"), stance "rejects", by its initiator (else its claimant): it rejects the statements its evidence contains.

What a statement is about ("the same thing"):
- topic: the figure's category or the event's type, through `claim_topics.csv`; strikes and targets are one topic
  ("strikes": statements about one strike campaign); statements without a topic are not compared;
- initiator (who struck, who deployed): the event's actor1. For a figure: the actor of its linked event, else the
  actor named right after its counted noun ("raids russes"), else the nearest actor named before it in its
  sentence other than its claimant ("l'aviation russe a frappé 55 cibles"), else its claimant (a side reporting
  its own strikes);
- targets: the event's actor2; for a figure, also the actors named after it in its sentence ("55 cibles de l'EI"),
  other than its initiator and claimant, and other than places ("en Syrie");
- days: the event's date or period (for a figure, its linked event's);
- time: statements whose articles were published more than WINDOW_DAYS apart are not compared (undated articles
  only with themselves).

Sides: a state, government or armed force stands for its country, and so does anyone whose parent_actor_id chain
leads to one (a minister, a spokesman); any other actor stands for the top of its parent chain (an NGO and its
director are one side). Statements of the same side never dispute each other.

Disagreements, between statements of different sides, on the same topic, about initiators of the same side (or an
unknown one):
- restriction: one restricts to N ("seuls deux raids") and the other counts more than N (its lower bound), naming
  a common target;
- negation: one denies an event that the other asserts (as an event or as a figure), naming a common target, with
  days that overlap when both are known;
- value: figures of the same category linked to the same event, where even the closest figures of the two sides
  have bounds that do not overlap (the event makes them the same thing; no target is needed);
- rebuttal: a rebuttal rejects a statement of another side that its evidence contains ("Lavrov a balayé les
  accusations du Pentagone selon lesquelles les pilotes russes n'avaient pas visé l'EI").
A restricting or denying statement is set against one statement of each other side: the strongest contradiction
(the largest count; for a denial, a statement of the same article, else the one published closest in time), so
the table grows with the statements, not with their pairs. Each disagreement gives two rows, one from each side,
with the same dispute_id.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import polars as pl

from ..ids import content_id
from ..reference import Reference, lexicon_rows
from ..schema import TABLES
from ..text import fold

WINDOW_DAYS = 7
COUNTRY_TYPES = {"state", "government", "military"}
LOCATIVES = {"en", "a", "au", "aux", "dans", "vers", "depuis"}  # folded: "en Syrie" names a place, not a target
SENTENCE_END = re.compile(r"(?<!\bM)[.!?…](?=\s)|\n")
REBUTTAL = "rebuttal"


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
    days: tuple[date, date] | None = None  # what the statement is about, first and last day

    @property
    def key(self) -> tuple:
        return (self.article_id, self.start, self.end, self.figure_id or self.event_id or "")


@dataclass(frozen=True)
class Dispute:
    one: Statement
    other: Statement
    kind: str
    target: str | None
    reason: str


def build(articles: pl.DataFrame, tables: dict[str, pl.DataFrame], reference: Reference) -> pl.DataFrame:
    """The claims table: every disagreement, once from each side."""
    sides = actor_sides(tables["actors"])
    statements = [*figure_statements(articles, tables, sides, reference),
                  *event_statements(articles, tables, sides, reference)]
    rebuttals = [s for s in statements if s.topic == REBUTTAL]
    statements = sorted((s for s in without_restricted_events(statements) if s.topic != REBUTTAL),
                        key=lambda s: s.key)
    disputes = [*contradictions(statements, sides), *value_disputes(statements, sides),
                *rebutted(rebuttals, statements, sides)]
    rows = {}
    for d in disputes:
        topic = d.other.topic if d.one.topic == REBUTTAL else d.one.topic
        for this, other in ((d.one, d.other), (d.other, d.one)):
            row = claim_row(this, other, topic, d.kind, d.target, d.reason)
            rows.setdefault(row["claim_id"], row)
    return TABLES["claims"].frame(sorted(rows.values(), key=lambda r: (r["dispute_id"], r["claim_id"])))


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
    dates = dict(zip(articles["article_id"], articles["published_date"]))
    claimed = tables["figures"].filter(pl.col("claimant_actor_id").is_not_null()
                                       & pl.col("category").is_in(list(topics)))
    # One article's text and mentions at a time, so a large corpus is never turned into Python objects at once.
    texts = ByArticle(articles.select("article_id", "text"))
    mentions = ByArticle(tables["actor_mentions"].select("article_id", "start", "end", "actor_id")
                           .sort("article_id", "start")
                           .filter(pl.col("article_id").is_in(claimed["article_id"].unique().implode())))
    their_events = tables["events"].filter(pl.col("event_id").is_in(claimed["event_id"].drop_nulls().implode()))
    events = {e["event_id"]: e for e in their_events.select(
        "event_id", "actor1_id", "actor2_id", "event_date", "date_start", "date_end").iter_rows(named=True)}
    found = []
    for f in claimed.iter_rows(named=True):
        topic = topics[f["category"]]
        text = texts.of(f["article_id"])[0]["text"]
        lo, hi = sentence_bounds(text, f["start"], f["end"])
        in_sentence = [m for m in mentions.of(f["article_id"]) if lo <= m["start"] and m["end"] <= hi]
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
            frozenset(targets), dates[f["article_id"]], event and _days(event)))
    return found


def event_statements(articles: pl.DataFrame, tables: dict[str, pl.DataFrame], sides: dict[str, str],
                     reference: Reference) -> list[Statement]:
    topics = _topics(reference, "event")
    dates = dict(zip(articles["article_id"], articles["published_date"]))
    claimed = tables["events"].filter(pl.col("modality").is_in(["asserted", "negated"]))
    found = []
    needed = ("event_id", "event_type", "modality", "actor1_id", "actor2_id", "claimant_actor_id", "event_date",
              "date_start", "date_end")
    reported = tables["event_mentions"].select("event_id", "article_id", "start", "end", "surface")
    for e in claimed.select(needed).join(reported, on="event_id").iter_rows(named=True):
        topic = topics.get(e["event_type"])
        if topic == REBUTTAL:
            claimant, stance, initiator = e["actor1_id"] or e["claimant_actor_id"], "rejects", None
        else:
            claimant, stance = e["claimant_actor_id"], "denies" if e["modality"] == "negated" else "asserts"
            initiator = e["actor1_id"]
        if topic is None or claimant is None or (topic == REBUTTAL and e["modality"] != "asserted"):
            continue
        found.append(Statement(
            e["article_id"], e["start"], e["end"], e["surface"], None, e["event_id"], claimant, stance, None, None,
            None, None, topic, sides.get(initiator), frozenset([e["actor2_id"]] if e["actor2_id"] else []),
            dates[e["article_id"]], _days(e)))
    return found


def without_restricted_events(statements: list[Statement]) -> list[Statement]:
    """"seuls deux raids russes avaient visé l'EI" does not assert the raids: the restricting figure speaks for the
    event mention it overlaps, which is dropped."""
    restricting: dict[str, list[Statement]] = {}
    for s in statements:
        if s.stance == "restricts":
            restricting.setdefault(s.article_id, []).append(s)
    return [s for s in statements if s.figure_id is not None or s.stance != "asserts" or not any(
        r.start < s.end and s.start < r.end for r in restricting.get(s.article_id, []))]


def _days(event: dict) -> tuple[date, date] | None:
    if event["event_date"] is not None:
        return event["event_date"], event["event_date"]
    if event["date_start"] is not None and event["date_end"] is not None:
        return event["date_start"], event["date_end"]
    return None


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
    ends = _sentence_ends(text)
    k = bisect_left(ends, start)
    # A full stop right before `start` would need the blank at `start` to end a sentence; a line break does not.
    lo = start if k < len(ends) and ends[k] == start and text[start - 1] == "\n" else ends[k - 1] if k else 0
    nxt = SENTENCE_END.search(text, end)
    return lo, nxt.end() if nxt else len(text)


@lru_cache(maxsize=256)
def _sentence_ends(text: str) -> list[int]:
    """Where each sentence of a text ends, found once per text: an article has many figures."""
    return [m.end() for m in SENTENCE_END.finditer(text)]


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


class ByArticle:
    """The rows of one article at a time, as dicts, from a frame sorted by article: the dicts of the last article
    asked for are kept, because its figures come one after another."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame
        runs = frame.select(pl.col("article_id").rle()).unnest("article_id")
        offsets = runs["len"].cum_sum() - runs["len"]
        self.spans = dict(zip(runs["value"], zip(offsets, runs["len"])))
        if len(self.spans) != runs.height:
            raise ValueError("ByArticle needs the rows of each article together")
        self.last: tuple[str | None, list[dict]] = (None, [])

    def of(self, article_id: str) -> list[dict]:
        if self.last[0] != article_id:
            offset, length = self.spans.get(article_id, (0, 0))
            self.last = (article_id, list(self.frame.slice(offset, length).iter_rows(named=True)))
        return self.last[1]


# --- disagreement -----------------------------------------------------------------------------------------------

def contradictions(statements: list[Statement], sides: dict[str, str]) -> list[Dispute]:
    """Restrictions and negations: each restricting or denying statement against the strongest contradiction of
    every other side."""
    index = AssertionIndex(statements, sides)
    disputes = []
    for one in statements:
        if one.stance not in {"restricts", "denies"}:
            continue
        best: dict[str, tuple[tuple, Statement, str]] = {}
        for target in sorted(one.targets):
            for other in index.candidates(one, target):
                if not _comparable(one, other, sides) or not _contradicts(one, other):
                    continue
                side, rank = _side(other, sides), _strength(one, other)
                if side not in best or rank < best[side][0]:
                    best[side] = (rank, other, target)
        for side in sorted(best):
            _, other, target = best[side]
            disputes.append(Dispute(one, other, *_explain(one, other, target)))
    return disputes


class AssertionIndex:
    """Asserting statements by (topic, target) and by the day (or the undated article) they were published,
    reduced to the few that can be a strongest contradiction, so the cost grows with the statements, not with
    their pairs: a statement is only compared with those published within WINDOW_DAYS of it, or with those of its
    own article when it has no date. Statements published the same day (or of the same undated article) by one side
    about one initiator differ for a restriction only by their count: the largest stands for all; for a denial,
    those about the same days differ only by their key: the smallest stands for all, plus every statement of the
    denial's own article, which ranks first."""

    def __init__(self, statements: list[Statement], sides: dict[str, str]) -> None:
        self.by_count: dict[tuple, dict[object, dict[tuple, Statement]]] = {}
        self.by_days: dict[tuple, dict[object, dict[tuple, Statement]]] = {}
        self.own: dict[tuple, list[Statement]] = {}
        for s in statements:
            if s.stance != "asserts":
                continue
            for target in s.targets:
                topic = (s.topic, target)
                self.own.setdefault((*topic, s.article_id), []).append(s)
                bucket = (_side(s, sides), s.initiator)
                if s.value is not None:
                    self._keep(self.by_count, topic, s, bucket, lambda x: (-_lower(x), x.key))
                self._keep(self.by_days, topic, s, (*bucket, s.days), lambda x: x.key)

    @staticmethod
    def _keep(index: dict, topic: tuple, statement: Statement, bucket: tuple, rank) -> None:
        kept = index.setdefault(topic, {}).setdefault(_when(statement), {})
        if bucket not in kept or rank(statement) < rank(kept[bucket]):
            kept[bucket] = statement

    def candidates(self, one: Statement, target: str) -> list[Statement]:
        topic = (one.topic, target)
        near = self.by_count if one.stance == "restricts" else self.by_days
        kept = near.get(topic, {})
        found = [s for when in _close_whens(one) for s in kept.get(when, {}).values()]
        return found if one.stance == "restricts" else [*self.own.get((*topic, one.article_id), []), *found]


def _when(statement: Statement) -> object:
    """The day a statement was published, or its article when the day is unknown (then it is close in time only to
    statements of its own article)."""
    return statement.published or statement.article_id


def _close_whens(statement: Statement) -> list[object]:
    if statement.published is None:
        return [statement.article_id]
    return [statement.published + timedelta(days=k) for k in range(-WINDOW_DAYS, WINDOW_DAYS + 1)]


def _contradicts(one: Statement, other: Statement) -> bool:
    if one.stance == "restricts":
        return other.value is not None and _lower(other) > one.value
    return one.days is None or other.days is None or (one.days[0] <= other.days[1] and other.days[0] <= one.days[1])


def _strength(one: Statement, other: Statement) -> tuple:
    """Smaller is a stronger contradiction: the largest count against a restriction; against a denial, a statement
    of the same article, else the closest in publication date."""
    if one.stance == "restricts":
        return (-_lower(other), other.key)
    gap = abs((one.published - other.published).days) if one.published and other.published else 0
    return (other.article_id != one.article_id, gap, other.key)


def _explain(one: Statement, other: Statement, target: str) -> tuple[str, str, str]:
    if one.stance == "restricts":
        return "restriction", target, (
            f"{one.claimant} says only {one.value:g} ({one.surface!r}); {other.claimant} counts at least "
            f"{_lower(other):g} ({other.surface!r}), same topic {one.topic}, same target {target}")
    return "negation", target, (
        f"{one.claimant} denies what {other.claimant} asserts ({other.surface!r}), same topic {one.topic}, same "
        f"target {target}")


def value_disputes(statements: list[Statement], sides: dict[str, str]) -> list[Dispute]:
    """Counts of one category for one event by two sides, where even their closest figures do not overlap."""
    grouped: dict[tuple[str, str], dict[str, list[Statement]]] = {}
    for s in statements:
        if s.figure_id and s.event_id:
            grouped.setdefault((s.event_id, s.category), {}).setdefault(_side(s, sides), []).append(s)
    disputes = []
    for (_, category), by_side in sorted(grouped.items()):
        names = sorted(by_side)
        for i, low_side in enumerate(names):
            for high_side in names[i + 1:]:
                pair = _apart(by_side[low_side], by_side[high_side]) or _apart(by_side[high_side], by_side[low_side])
                if pair is None:
                    continue
                a, b = pair
                disputes.append(Dispute(a, b, "value", None, (
                    f"{a.claimant} gives {a.value:g} ({a.surface!r}), {b.claimant} gives {b.value:g} ({b.surface!r}) "
                    f"for the same event and category {category}; even these closest counts do not overlap")))
    return disputes


def _apart(lower: list[Statement], higher: list[Statement]) -> tuple[Statement, Statement] | None:
    """(the highest of `lower`, the lowest of `higher`) when every count of `lower` is below every count of
    `higher`; a missing bound is open."""
    if any(s.high is None for s in lower) or any(s.low is None for s in higher):
        return None
    top = max(lower, key=lambda s: (s.high, s.key))
    bottom = min(higher, key=lambda s: (s.low, s.key))
    return (top, bottom) if top.high < bottom.low else None


def rebutted(rebuttals: list[Statement], statements: list[Statement], sides: dict[str, str]) -> list[Dispute]:
    """A rebuttal against each statement of another side inside its evidence ("a balayé les accusations du
    Pentagone selon lesquelles …")."""
    by_article: dict[str, list[Statement]] = {}
    for s in statements:
        by_article.setdefault(s.article_id, []).append(s)
    disputes = []
    for one in rebuttals:
        for other in by_article.get(one.article_id, []):
            if one.start <= other.start and other.end <= one.end and _side(one, sides) != _side(other, sides):
                disputes.append(Dispute(one, other, "rebuttal", None, (
                    f"{one.claimant} rejects ({one.surface[:60]!r}) what {other.claimant} {other.stance} "
                    f"({other.surface!r})")))
    return disputes


def _side(statement: Statement, sides: dict[str, str]) -> str:
    return sides.get(statement.claimant, statement.claimant)


def _comparable(a: Statement, b: Statement, sides: dict[str, str]) -> bool:
    """Different sides, on the same topic, close in time, about initiators of one side (or an unknown one)."""
    return a.topic == b.topic and _side(a, sides) != _side(b, sides) and _close_in_time(a, b) \
        and not (a.initiator and b.initiator and a.initiator != b.initiator)


def _lower(statement: Statement) -> float:
    return statement.low if statement.low is not None else statement.value


def _close_in_time(a: Statement, b: Statement) -> bool:
    if a.article_id == b.article_id:
        return True
    if a.published is None or b.published is None:
        return False
    return abs((a.published - b.published).days) <= WINDOW_DAYS


def claim_row(this: Statement, other: Statement, topic: str, kind: str, target: str | None, reason: str) -> dict:
    pair = sorted([this.key, other.key])
    return {
        "claim_id": content_id("clm", *this.key, *other.key),
        "dispute_id": content_id("dsp", *pair[0], *pair[1]),
        "article_id": this.article_id, "start": this.start, "end": this.end, "surface": this.surface,
        "figure_id": this.figure_id, "event_id": this.event_id, "claimant_actor_id": this.claimant,
        "stance": this.stance, "value": this.value,
        "other_article_id": other.article_id, "other_start": other.start, "other_end": other.end,
        "other_surface": other.surface, "other_figure_id": other.figure_id, "other_event_id": other.event_id,
        "other_claimant_actor_id": other.claimant, "other_stance": other.stance, "other_value": other.value,
        "topic": topic, "target_actor_id": target, "disagreement": kind, "reason": reason,
    }
