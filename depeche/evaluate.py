"""Score depeche tables against the hand-checked gold annotations.

The scoring rules are those of ``tests/gold/GUIDE.md`` ("How a system's output is matched").
:func:`evaluate` loads every ``*.json`` gold file of a directory and the Parquet tables of a
tables directory, pairs each gold file with the ``articles`` row whose ``source_file`` has the
same stem, and matches items article by article. Counts are summed over the corpus
(micro-average).

Matching, table by table
------------------------
Quotes
    Words are normalised (NFKD accent folding, casefold, every apostrophe form ’ ' ` and the
    ``?`` that stands for a lost apostrophe, and all other punctuation become a space). A gold
    and a system quote are candidates when ``difflib.SequenceMatcher`` ratio >= 0.85
    (:data:`QUOTE_SIMILARITY`) or when one contains the other as a whole-word sequence.
    Candidates are paired one to one, greedily by decreasing ratio (ties: the pair whose
    speaker is right first, then gold order, then system order).
Figures
    Candidates have the same value (``math.isclose``, rel_tol 1e-9). Paired one to one,
    greedily, preferring the candidate that shares the most words with the gold text (then
    the higher Jaccard overlap, then the right claimant, then gold/system order). The few
    gold figures whose value is null (all optional: "plusieurs jours") match a system figure
    by text, as quotes do.
Actors
    The system actors of an article are the distinct ``actor_id`` of its ``actor_mentions``.
    A system actor and a gold actor are the same when the QIDs agree (the gold ``qid`` or a QID
    listed in ``also``), or when the system name or one of its aliases, folded, equals the gold
    name, one of its surfaces or one of its ``also`` names. Folding = accents, case,
    apostrophes, punctuation, and leading "M. ", "le", "la", "les", "l'" stripped. Pairing is a
    maximum-cardinality one-to-one matching (greedy by strength of the evidence, then
    augmenting paths), so one coarse system actor cannot stand for several gold actors.
Events
    The system events of an article are those with an ``event_mentions`` row for it,
    ``modality == 'asserted'`` and a scored ``event_type`` (:data:`EVENT_CLASS`), reduced to
    distinct (class, date, admin1) keys. Gold entries with the same key are merged. Same
    class, same admin1 (folded; Damascus == Rif Dimashq; null only equals null), and a date
    off by at most one day, or any date when the gold date is null (a null system date only
    matches a null gold date). Maximum-cardinality one-to-one matching, preferring exact dates.

Optional gold items
-------------------
Matching is done in two rounds: first the required gold items against all system items; then
the optional gold items against the system items left over. A system item paired in the second
round is dropped from both sides: it is not a true positive and not a false positive. Optional
gold items left unmatched are not misses. The attribute accuracies (speaker, quote type,
qualifier, object, claimant) are computed over the pairs of the first round only.

Attributes
----------
Speaker / claimant identity: the system ``speaker_actor_id``/``claimant_actor_id`` is resolved
to its ``actors`` row and compared with the gold speaker (or claimant): its name, QID,
``speaker_also``/``claimant_also`` (names or QIDs) and the surfaces/``also`` of the gold actor of
the same name in the same article, by QID or folded name/alias; when the actor is a person
(gold actor type, or system ``actor_type`` when the gold actor is unknown) the last word of a
name (the surname) is enough. A gold speaker/claimant of null is right only when the system
one is null too. Speaker accuracy counts matched quotes whose gold speaker is known;
claimant accuracy counts every matched figure.

Attributed F1 (quotes: the headline number; figures: an extra): a matched pair counts as a
true positive only with the right speaker/claimant; otherwise it is both a miss and a false
positive.

Object: the gold head noun must equal the first word of the system object that is not a
determiner or a digit ("les cibles de l'EI" -> "cibles"), folded; a final plural "s"/"x" is
ignored.

Publication date: over the gold files whose ``publication_date`` is known; a gold article
absent from the tables counts as wrong.

Degenerate cases
----------------
P = TP/(TP+FP), R = TP/(TP+FN); with an empty denominator the value is 1.0 when there is
nothing to find and nothing found (no FN, no FP), else 0.0. An accuracy with no item to judge is
``None`` ("n/a"); :func:`flat_scores` reports it as 0.0 so that a ratchet cannot be passed by
finding nothing. A missing tables directory raises :class:`ValueError`; a missing table file
is read as an empty table and listed in ``Report.missing_tables``; a missing column raises
:class:`ValueError` naming file and column. Articles without a gold file are not scored (a note
says so).

Output
------
:func:`format_report` (text), :func:`report_to_json` (dict), :func:`scores_markdown` (README
table), :func:`flat_scores` (dict keyed by :data:`SCORE_KEYS`). Command line:
``python -m depeche.evaluate GOLD_DIR TABLES_DIR [--json | --markdown | --brief]``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import polars as pl

__all__ = [
    "EVENT_CLASS",
    "QUOTE_SIMILARITY",
    "SCORE_KEYS",
    "PRF",
    "Accuracy",
    "Issue",
    "ArticleScores",
    "Report",
    "evaluate",
    "format_report",
    "report_to_json",
    "scores_markdown",
    "flat_scores",
    "fold",
    "fold_name",
]

QUOTE_SIMILARITY = 0.85

EVENT_CLASS: dict[str, str] = {
    "airstrike": "AIRSTRIKE",
    "missile_strike": "MISSILE_STRIKE",
    "ground_offensive": "GROUND_FIGHTING",
    "armed_clash": "GROUND_FIGHTING",
    "territory_change": "GROUND_FIGHTING",
    "shootdown": "SHOOTDOWN",
    "meeting": "MEETING",
}

#: admin1 values that count as one (folded form -> canonical folded form).
ADMIN1_SAME: dict[str, str] = {"rif dimashq": "damascus"}

TABLES = ("quotes", "figures", "actors", "events")

SCORE_KEYS: tuple[str, ...] = (
    "quotes.attributed_precision",
    "quotes.attributed_recall",
    "quotes.attributed_f1",
    "quotes.precision",
    "quotes.recall",
    "quotes.f1",
    "quotes.speaker_accuracy",
    "quotes.type_accuracy",
    "figures.precision",
    "figures.recall",
    "figures.f1",
    "figures.attributed_f1",
    "figures.qualifier_accuracy",
    "figures.object_accuracy",
    "figures.claimant_accuracy",
    "actors.precision",
    "actors.recall",
    "actors.f1",
    "events.precision",
    "events.recall",
    "events.f1",
    "articles.published_date_accuracy",
)

# Columns the scorer reads, per table file.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id", "source_file", "published_date"),
    "actors": ("actor_id", "name", "actor_type", "wikidata_qid", "aliases"),
    "actor_mentions": ("article_id", "actor_id"),
    "quotes": ("quote_id", "article_id", "text", "quote_type", "speaker_actor_id"),
    "figures": (
        "figure_id",
        "article_id",
        "surface",
        "value",
        "qualifier",
        "object",
        "claimant_actor_id",
    ),
    "events": ("event_id", "event_type", "event_date", "admin1", "modality"),
    "event_mentions": ("event_id", "article_id"),
}

_QID = re.compile(r"^Q\d+$")


# --------------------------------------------------------------------------- normalisation


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


_APOSTROPHES = re.compile(r"[’‘`´ʼ?]")
_NON_WORD = re.compile(r"[\W_]+")


def fold(s: str | None) -> str:
    """Accents, case, apostrophe forms and punctuation folded away; words joined by one space."""
    if not s:
        return ""
    s = _APOSTROPHES.sub("'", _strip_accents(s).casefold())
    return _NON_WORD.sub(" ", s).strip()


_LEADING = re.compile(r"^(?:m\.\s*|mme\s+|m\s+|le\s+|la\s+|les\s+|l'|des\s+|du\s+)")


def fold_name(s: str | None) -> str:
    """:func:`fold`, after stripping a leading "M. " and articles le/la/les/l'/des/du (a surface written "des pays du
    Golfe" names the actor "pays du Golfe")."""
    if not s:
        return ""
    s = _APOSTROPHES.sub("'", _strip_accents(s).casefold()).strip()
    while True:
        t = _LEADING.sub("", s, count=1).lstrip()
        if t == s:
            break
        s = t
    return _NON_WORD.sub(" ", s).strip()


def _tokens(s: str | None) -> list[str]:
    return fold(s).split()


# --------------------------------------------------------------------------- results


@dataclass
class PRF:
    """True positives, false positives and misses, with precision/recall/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.tp + self.fn == 0:
            return 1.0 if self.fp == 0 else 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def add(self, other: "PRF") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Accuracy:
    """``correct`` out of ``total``; ``value`` is None when there is nothing to judge."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return None if self.total == 0 else self.correct / self.total

    def add(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(ok)

    def merge(self, other: "Accuracy") -> None:
        self.correct += other.correct
        self.total += other.total


@dataclass
class Issue:
    """One error: a miss, a false positive, or a wrong attribute of a matched pair."""

    table: str  # quotes | figures | actors | events | articles
    kind: str  # miss | false_positive | wrong_speaker | wrong_type | wrong_qualifier | ...
    article: str  # gold/source file name
    text: str
    expected: str = ""
    found: str = ""


@dataclass
class ArticleScores:
    file: str
    article_id: str | None
    quotes: PRF = field(default_factory=PRF)
    quotes_attributed: PRF = field(default_factory=PRF)
    figures: PRF = field(default_factory=PRF)
    figures_attributed: PRF = field(default_factory=PRF)
    actors: PRF = field(default_factory=PRF)
    events: PRF = field(default_factory=PRF)
    speaker: Accuracy = field(default_factory=Accuracy)
    quote_type: Accuracy = field(default_factory=Accuracy)
    qualifier: Accuracy = field(default_factory=Accuracy)
    object: Accuracy = field(default_factory=Accuracy)
    claimant: Accuracy = field(default_factory=Accuracy)
    published_date_expected: str | None = None
    published_date_found: str | None = None

    @property
    def published_date_correct(self) -> bool | None:
        if self.published_date_expected is None:
            return None
        return self.published_date_found == self.published_date_expected


@dataclass
class Report:
    quotes: PRF = field(default_factory=PRF)
    quotes_attributed: PRF = field(default_factory=PRF)
    figures: PRF = field(default_factory=PRF)
    figures_attributed: PRF = field(default_factory=PRF)
    actors: PRF = field(default_factory=PRF)
    events: PRF = field(default_factory=PRF)
    speaker_accuracy: Accuracy = field(default_factory=Accuracy)
    quote_type_accuracy: Accuracy = field(default_factory=Accuracy)
    qualifier_accuracy: Accuracy = field(default_factory=Accuracy)
    object_accuracy: Accuracy = field(default_factory=Accuracy)
    claimant_accuracy: Accuracy = field(default_factory=Accuracy)
    published_date_accuracy: Accuracy = field(default_factory=Accuracy)
    articles: list[ArticleScores] = field(default_factory=list)
    misses: list[Issue] = field(default_factory=list)
    false_positives: list[Issue] = field(default_factory=list)
    wrong: list[Issue] = field(default_factory=list)
    missing_tables: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    gold_dir: str = ""
    tables_dir: str = ""

    def table(self, name: str) -> PRF:
        return {"quotes": self.quotes, "figures": self.figures, "actors": self.actors, "events": self.events}[
            name
        ]


# --------------------------------------------------------------------------- loading


def _read_table(tables_dir: Path, name: str, missing: list[str]) -> pl.DataFrame | None:
    path = tables_dir / f"{name}.parquet"
    if not path.exists():
        missing.append(name)
        return None
    df = pl.read_parquet(path)
    for col in REQUIRED_COLUMNS[name]:
        if col not in df.columns:
            raise ValueError(f"{path}: missing column {col!r} (needed by the scorer)")
    return df


def _rows(df: pl.DataFrame | None) -> list[dict[str, Any]]:
    return [] if df is None else df.to_dicts()


def _as_date(v: Any) -> dt.date | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v.strip()[:10])
        except ValueError:
            return None
    return None


def _as_float(v: Any) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _str(v: Any) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


@dataclass
class _SysActor:
    actor_id: str
    name: str
    actor_type: str | None
    qid: str | None
    aliases: list[str]

    def label(self) -> str:
        q = f", {self.qid}" if self.qid else ""
        return f"{self.name} [{self.actor_id}{q}]"


def _load_gold(gold_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    files = sorted(p for p in gold_dir.glob("*.json") if p.is_file())
    if not files:
        raise ValueError(f"{gold_dir}: no gold *.json files")
    out = []
    for p in files:
        with p.open(encoding="utf-8") as fh:
            data = json.load(fh)
        for key in ("quotes", "figures", "actors", "events"):
            data.setdefault(key, [])
        out.append((p.stem, data))
    return out


# --------------------------------------------------------------------------- matching helpers


def _match_two_rounds(
    gold: list[dict[str, Any]], n_system: int, rank: Callable[[int, int], tuple | None]
) -> tuple[list[tuple[int, int]], set[int], set[int]]:
    """Required gold items first, then optional ones against what is left (see the module docstring).

    `rank(i, j)` is the sort key of a candidate pair (smaller is better), None when gold i and system j cannot
    match. Returns the first round's pairs and the used gold and system indices of both rounds.
    """
    used_g: set[int] = set()
    used_s: set[int] = set()
    matched: list[tuple[int, int]] = []
    for optional_round in (False, True):
        pairs = []
        for i, item in enumerate(gold):
            if bool(item.get("optional")) != optional_round:
                continue
            for j in range(n_system):
                if j not in used_s and (key := rank(i, j)) is not None:
                    pairs.append((key, i, j))
        got = _greedy(pairs, used_g, used_s)
        if not optional_round:
            matched = got
    return matched, used_g, used_s


def _greedy(
    pairs: Iterable[tuple[tuple, int, int]], used_gold: set[int], used_sys: set[int]
) -> list[tuple[int, int]]:
    """One-to-one pairing by ascending sort key; ``pairs`` = (key, gold index, system index)."""
    out = []
    for _, g, s in sorted(pairs):
        if g in used_gold or s in used_sys:
            continue
        used_gold.add(g)
        used_sys.add(s)
        out.append((g, s))
    return out


def _max_matching(
    gold: Sequence[int], sys_free: set[int], edges: dict[int, list[tuple[int, int]]]
) -> dict[int, int]:
    """Maximum-cardinality matching of ``gold`` indices to ``sys_free`` indices.

    ``edges[g]`` lists (strength, s). Starts from a greedy matching by strength, then adds
    augmenting paths (Kuhn), so the result is maximum while favouring strong evidence.
    """
    cand = {g: [s for _, s in sorted(edges.get(g, []), key=lambda e: (-e[0], e[1])) if s in sys_free] for g in gold}
    match_g: dict[int, int] = {}
    match_s: dict[int, int] = {}
    order = sorted(
        ((-st, g, s) for g in gold for st, s in edges.get(g, []) if s in sys_free),
    )
    for _, g, s in order:
        if g not in match_g and s not in match_s:
            match_g[g] = s
            match_s[s] = g

    def augment(g: int, seen: set[int]) -> bool:
        for s in cand[g]:
            if s in seen:
                continue
            seen.add(s)
            if s not in match_s or augment(match_s[s], seen):
                match_g[g] = s
                match_s[s] = g
                return True
        return False

    for g in gold:
        if g not in match_g:
            augment(g, set())
    return match_g


def _quote_similarity(a: str, b: str) -> float | None:
    """Similarity of two folded texts, or None when they do not match."""
    if not a or not b:
        return None
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    if ratio >= QUOTE_SIMILARITY or f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return ratio
    return None


@dataclass
class _GoldActor:
    name: str
    qid: str | None
    type: str | None
    names: set[str]  # folded gold name and `also` names
    primary: str  # folded gold name
    surfaces: set[str]
    qids: set[str]
    optional: bool
    raw: dict[str, Any]


def _gold_actor(a: dict[str, Any]) -> _GoldActor:
    also = [x for x in (a.get("also") or []) if isinstance(x, str)]
    qids = {x for x in also if _QID.match(x)}
    if a.get("qid"):
        qids.add(a["qid"])
    primary = fold_name(a.get("name"))
    names = ({primary} | {fold_name(x) for x in also if not _QID.match(x)}) - {""}
    surfaces = {fold_name(x) for x in (a.get("surfaces") or [])} - {""}
    return _GoldActor(
        name=a.get("name") or "",
        qid=a.get("qid"),
        type=a.get("type"),
        names=names,
        primary=primary,
        surfaces=surfaces,
        qids=qids,
        optional=bool(a.get("optional")),
        raw=a,
    )


def _actor_strength(sa: _SysActor, ga: _GoldActor) -> int:
    sys_name = fold_name(sa.name)
    sys_all = ({sys_name} | {fold_name(a) for a in sa.aliases}) - {""}
    if (ga.qid and sa.qid == ga.qid) or (sys_name and sys_name == ga.primary):
        return 4
    if (sa.qid and sa.qid in ga.qids) or (sys_all & ga.names):
        return 3
    if sys_all & ga.surfaces:
        return 2
    return 0


def _same_actor(
    sa: _SysActor | None,
    gold_name: str | None,
    gold_qid: str | None,
    gold_also: Sequence[str] | None,
    gold_actors: dict[str, _GoldActor],
) -> bool:
    """Is the system actor the gold speaker/claimant? (None gold = None system.)"""
    if gold_name is None and not gold_qid:
        return sa is None
    if sa is None:
        return False
    also = [x for x in (gold_also or []) if isinstance(x, str)]
    qids = {x for x in also if _QID.match(x)}
    if gold_qid:
        qids.add(gold_qid)
    names = ({fold_name(gold_name)} | {fold_name(x) for x in also if not _QID.match(x)}) - {""}
    ga = gold_actors.get(fold_name(gold_name))
    if ga is not None:
        qids |= ga.qids
        names |= ga.names | ga.surfaces
    if sa.qid and sa.qid in qids:
        return True
    sys_all = ({fold_name(sa.name)} | {fold_name(a) for a in sa.aliases}) - {""}
    if sys_all & names:
        return True
    is_person = (ga.type == "person") if ga is not None else (sa.actor_type == "person")
    if is_person:
        gold_surnames = {n.split()[-1] for n in names if n}
        sys_surnames = {n.split()[-1] for n in sys_all if n}
        if {s for s in gold_surnames & sys_surnames if len(s) >= 2}:
            return True
    return False


_DETERMINERS = {
    "le", "la", "les", "l", "de", "des", "du", "d", "un", "une", "au", "aux", "en", "ses", "son", "sa",
    "leurs", "leur", "ces", "ce", "cette", "autres", "plus", "moins", "pres", "environ", "quelque",
}


def _head(s: str | None) -> str:
    toks = [t for t in fold(s).split() if t not in _DETERMINERS and not t.isdigit()]
    if not toks:
        return ""
    h = toks[0]
    if len(h) > 3 and h[-1] in "sx":
        h = h[:-1]
    return h


def _fmt_value(v: float | None) -> str:
    if v is None:
        return "null"
    return str(int(v)) if float(v).is_integer() else repr(v)


# --------------------------------------------------------------------------- evaluate


def evaluate(gold_dir: Path, tables_dir: Path) -> Report:
    """Score the Parquet tables in ``tables_dir`` against the gold JSON files in ``gold_dir``."""
    gold_dir, tables_dir = Path(gold_dir), Path(tables_dir)
    if not tables_dir.is_dir():
        raise ValueError(f"{tables_dir}: tables directory not found")
    report = Report(gold_dir=str(gold_dir), tables_dir=str(tables_dir))
    gold = _load_gold(gold_dir)

    missing: list[str] = []
    tabs = {name: _read_table(tables_dir, name, missing) for name in REQUIRED_COLUMNS}
    report.missing_tables = missing
    for name in missing:
        report.notes.append(f"table file {name}.parquet is missing: read as empty")

    # articles: stem -> row
    by_stem: dict[str, dict[str, Any]] = {}
    for row in _rows(tabs["articles"]):
        sf = _str(row.get("source_file"))
        if sf is None:
            continue
        stem = Path(sf).stem
        if stem in by_stem:
            report.notes.append(f"articles: several rows for {sf}; the first one is scored")
            continue
        by_stem[stem] = row
    gold_stems = {stem for stem, _ in gold}
    for stem in sorted(set(by_stem) - gold_stems):
        report.notes.append(f"article {by_stem[stem]['source_file']} has no gold file: not scored")

    actors: dict[str, _SysActor] = {}
    for row in _rows(tabs["actors"]):
        aid = _str(row.get("actor_id"))
        if aid is None:
            continue
        raw_aliases = row.get("aliases")
        if isinstance(raw_aliases, str):  # tolerate a plain string where a list is expected
            raw_aliases = [raw_aliases]
        aliases = [a for a in (raw_aliases or []) if isinstance(a, str)]
        actors[aid] = _SysActor(
            actor_id=aid,
            name=_str(row.get("name")) or aid,
            actor_type=_str(row.get("actor_type")),
            qid=_str(row.get("wikidata_qid")),
            aliases=aliases,
        )
    dangling: set[str] = set()

    def resolve(aid: Any) -> _SysActor | None:
        aid = _str(aid)
        if aid is None:
            return None
        if aid not in actors:
            dangling.add(aid)
            return _SysActor(actor_id=aid, name=aid, actor_type=None, qid=None, aliases=[])
        return actors[aid]

    def group(df: pl.DataFrame | None) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for row in _rows(df):
            out.setdefault(_str(row.get("article_id")) or "", []).append(row)
        return out

    quotes_by = group(tabs["quotes"])
    figures_by = group(tabs["figures"])
    mentions_by = group(tabs["actor_mentions"])
    evmentions_by = group(tabs["event_mentions"])
    events = {(_str(r.get("event_id")) or ""): r for r in _rows(tabs["events"])}

    for stem, g in gold:
        file = g.get("file") or f"{stem}.txt"
        art = by_stem.get(stem)
        aid = _str(art.get("article_id")) if art else None
        if art is None:
            report.notes.append(f"gold file {stem}.json has no article in the tables: everything is a miss")
        sc = ArticleScores(file=file, article_id=aid)
        gold_actors_list = [_gold_actor(a) for a in g["actors"]]
        gold_actors = {ga.primary: ga for ga in gold_actors_list}

        _score_quotes(report, sc, file, g["quotes"], quotes_by.get(aid, []) if aid else [], resolve, gold_actors)
        _score_figures(report, sc, file, g["figures"], figures_by.get(aid, []) if aid else [], resolve, gold_actors)
        sys_actor_ids = sorted({_str(m.get("actor_id")) or "" for m in mentions_by.get(aid, [])} - {""}) if aid else []
        _score_actors(report, sc, file, gold_actors_list, [resolve(a) for a in sys_actor_ids])
        sys_events = []
        if aid:
            for m in evmentions_by.get(aid, []):
                ev = events.get(_str(m.get("event_id")) or "")
                if ev is None:
                    report.notes.append(f"event_mentions: unknown event_id {m.get('event_id')!r} ({file})")
                    continue
                sys_events.append((ev, m))
        _score_events(report, sc, file, g["events"], sys_events)

        # publication date
        gdate = g.get("publication_date")
        if gdate:
            sc.published_date_expected = str(gdate)
            sdate = _as_date(art.get("published_date")) if art else None
            sc.published_date_found = sdate.isoformat() if sdate else None
            ok = sc.published_date_found == sc.published_date_expected
            report.published_date_accuracy.add(ok)
            if not ok:
                report.wrong.append(
                    Issue("articles", "wrong_published_date", file, "published_date", str(gdate), str(sc.published_date_found))
                )

        for name in ("quotes", "quotes_attributed", "figures", "figures_attributed", "actors", "events"):
            getattr(report, name).add(getattr(sc, name))
        report.speaker_accuracy.merge(sc.speaker)
        report.quote_type_accuracy.merge(sc.quote_type)
        report.qualifier_accuracy.merge(sc.qualifier)
        report.object_accuracy.merge(sc.object)
        report.claimant_accuracy.merge(sc.claimant)
        report.articles.append(sc)

    for aid_ in sorted(dangling):
        report.notes.append(f"actor_id {aid_!r} is referenced but not in actors: compared by its id only")
    return report


def _speaker_label(name: Any, qid: Any = None) -> str:
    if name is None and not qid:
        return "null"
    return f"{name} ({qid})" if qid else str(name)


def _score_quotes(
    report: Report,
    sc: ArticleScores,
    file: str,
    gold: list[dict[str, Any]],
    system: list[dict[str, Any]],
    resolve: Callable[[Any], _SysActor | None],
    gold_actors: dict[str, _GoldActor],
) -> None:
    gtext = [fold(q.get("text")) for q in gold]
    stext = [fold(q.get("text")) for q in system]

    def rank(i: int, j: int) -> tuple | None:
        sim = _quote_similarity(gtext[i], stext[j])
        if sim is None:
            return None
        right = _same_actor(resolve(system[j].get("speaker_actor_id")), gold[i].get("speaker"),
                            gold[i].get("speaker_qid"), gold[i].get("speaker_also"), gold_actors)
        return (-sim, not right, i, j)

    matched, used_g, used_s = _match_two_rounds(gold, len(system), rank)

    for i, q in enumerate(gold):
        if i not in used_g and not q.get("optional"):
            sc.quotes.fn += 1
            sc.quotes_attributed.fn += 1
            report.misses.append(
                Issue("quotes", "miss", file, q.get("text") or "", _speaker_label(q.get("speaker"), q.get("speaker_qid")), "")
            )
    for j, s in enumerate(system):
        if j not in used_s:
            sc.quotes.fp += 1
            sc.quotes_attributed.fp += 1
            sa = resolve(s.get("speaker_actor_id"))
            report.false_positives.append(
                Issue("quotes", "false_positive", file, s.get("text") or "", "", sa.label() if sa else "null")
            )
    for i, j in sorted(matched):
        q, s = gold[i], system[j]
        sc.quotes.tp += 1
        sa = resolve(s.get("speaker_actor_id"))
        ok = _same_actor(sa, q.get("speaker"), q.get("speaker_qid"), q.get("speaker_also"), gold_actors)
        if ok:
            sc.quotes_attributed.tp += 1
        else:
            sc.quotes_attributed.fp += 1
            sc.quotes_attributed.fn += 1
            report.wrong.append(
                Issue(
                    "quotes",
                    "wrong_speaker",
                    file,
                    q.get("text") or "",
                    _speaker_label(q.get("speaker"), q.get("speaker_qid")),
                    sa.label() if sa else "null",
                )
            )
        if q.get("speaker") is not None:
            sc.speaker.add(ok)
        gtype, stype = q.get("type"), _str(s.get("quote_type"))
        type_ok = gtype == stype
        sc.quote_type.add(type_ok)
        if not type_ok:
            report.wrong.append(Issue("quotes", "wrong_type", file, q.get("text") or "", str(gtype), str(stype)))


def _score_figures(
    report: Report,
    sc: ArticleScores,
    file: str,
    gold: list[dict[str, Any]],
    system: list[dict[str, Any]],
    resolve: Callable[[Any], _SysActor | None],
    gold_actors: dict[str, _GoldActor],
) -> None:
    gval = [_as_float(f.get("value")) for f in gold]
    sval = [_as_float(f.get("value")) for f in system]
    gtok = [set(_tokens(f.get("text"))) for f in gold]
    stok = [set(_tokens(f.get("surface"))) for f in system]

    def rank(i: int, j: int) -> tuple | None:
        if gval[i] is None:  # vague gold figure without a value: match by text
            if _quote_similarity(fold(gold[i].get("text")), fold(system[j].get("surface"))) is None:
                return None
        elif sval[j] is None or not math.isclose(gval[i], sval[j], rel_tol=1e-9, abs_tol=1e-12):
            return None
        shared = len(gtok[i] & stok[j])
        union = len(gtok[i] | stok[j]) or 1
        right = _same_actor(resolve(system[j].get("claimant_actor_id")), gold[i].get("claimant"),
                            gold[i].get("claimant_qid"), gold[i].get("claimant_also"), gold_actors)
        return (-shared, -shared / union, not right, i, j)

    matched, used_g, used_s = _match_two_rounds(gold, len(system), rank)

    def glabel(f: dict[str, Any]) -> str:
        return f"{f.get('text')} = {_fmt_value(_as_float(f.get('value')))}"

    def slabel(f: dict[str, Any]) -> str:
        return f"{f.get('surface')} = {_fmt_value(_as_float(f.get('value')))}"

    for i, f in enumerate(gold):
        if i not in used_g and not f.get("optional"):
            sc.figures.fn += 1
            sc.figures_attributed.fn += 1
            report.misses.append(
                Issue("figures", "miss", file, glabel(f), f"claimant {_speaker_label(f.get('claimant'), f.get('claimant_qid'))}")
            )
    for j, s in enumerate(system):
        if j not in used_s:
            sc.figures.fp += 1
            sc.figures_attributed.fp += 1
            report.false_positives.append(Issue("figures", "false_positive", file, slabel(s)))
    for i, j in sorted(matched):
        f, s = gold[i], system[j]
        sc.figures.tp += 1
        sa = resolve(s.get("claimant_actor_id"))
        ok = _same_actor(sa, f.get("claimant"), f.get("claimant_qid"), f.get("claimant_also"), gold_actors)
        sc.claimant.add(ok)
        if ok:
            sc.figures_attributed.tp += 1
        else:
            sc.figures_attributed.fp += 1
            sc.figures_attributed.fn += 1
            report.wrong.append(
                Issue(
                    "figures",
                    "wrong_claimant",
                    file,
                    glabel(f),
                    _speaker_label(f.get("claimant"), f.get("claimant_qid")),
                    sa.label() if sa else "null",
                )
            )
        q_ok = f.get("qualifier") == _str(s.get("qualifier"))
        sc.qualifier.add(q_ok)
        if not q_ok:
            report.wrong.append(
                Issue("figures", "wrong_qualifier", file, glabel(f), str(f.get("qualifier")), str(_str(s.get("qualifier"))))
            )
        o_ok = bool(_head(f.get("object"))) and _head(f.get("object")) == _head(_str(s.get("object")))
        sc.object.add(o_ok)
        if not o_ok:
            report.wrong.append(
                Issue("figures", "wrong_object", file, glabel(f), str(f.get("object")), str(_str(s.get("object"))))
            )


def _score_actors(
    report: Report, sc: ArticleScores, file: str, gold: list[_GoldActor], system: list[_SysActor | None]
) -> None:
    sys_actors = [s for s in system if s is not None]
    edges: dict[int, list[tuple[int, int]]] = {}
    for i, ga in enumerate(gold):
        for j, sa in enumerate(sys_actors):
            st = _actor_strength(sa, ga)
            if st:
                edges.setdefault(i, []).append((st, j))
    free = set(range(len(sys_actors)))
    req = _max_matching([i for i, ga in enumerate(gold) if not ga.optional], free, edges)
    free -= set(req.values())
    opt = _max_matching([i for i, ga in enumerate(gold) if ga.optional], free, edges)
    free -= set(opt.values())
    sc.actors.tp += len(req)
    for i, ga in enumerate(gold):
        if not ga.optional and i not in req:
            sc.actors.fn += 1
            surf = ", ".join(ga.raw.get("surfaces") or [])
            report.misses.append(Issue("actors", "miss", file, ga.name, f"{ga.name} ({ga.qid or 'no QID'}; {surf})"))
    for j in sorted(free):
        sc.actors.fp += 1
        sa = sys_actors[j]
        report.false_positives.append(Issue("actors", "false_positive", file, sa.name, "", sa.label()))


def _admin1_key(v: Any) -> str | None:
    s = fold(_str(v))
    if not s:
        return None
    return ADMIN1_SAME.get(s, s)


def _event_label(cls: str, date: dt.date | None, admin1: str | None) -> str:
    return f"{cls} {date.isoformat() if date else 'null'} {admin1 or 'null'}"


def _score_events(
    report: Report,
    sc: ArticleScores,
    file: str,
    gold: list[dict[str, Any]],
    system: list[tuple[dict[str, Any], dict[str, Any]]],
) -> None:
    # gold: merge entries of the same key (required wins over optional)
    gkeys: dict[tuple, dict[str, Any]] = {}
    for e in gold:
        key = (e.get("class"), _as_date(e.get("date")), _admin1_key(e.get("admin1")))
        prev = gkeys.get(key)
        if prev is None:
            gkeys[key] = {"optional": bool(e.get("optional")), "raw": e}
        elif prev["optional"] and not e.get("optional"):
            gkeys[key] = {"optional": False, "raw": e}
    gitems = list(gkeys.items())

    skeys: dict[tuple, dict[str, Any]] = {}
    for ev, m in system:
        if (_str(ev.get("modality")) or "").lower() != "asserted":
            continue
        cls = EVENT_CLASS.get((_str(ev.get("event_type")) or "").lower())
        if cls is None:
            continue
        key = (cls, _as_date(ev.get("event_date")), _admin1_key(ev.get("admin1")))
        entry = skeys.setdefault(key, {"ids": [], "admin1": _str(ev.get("admin1")), "surface": None})
        eid = _str(ev.get("event_id"))
        if eid and eid not in entry["ids"]:
            entry["ids"].append(eid)
        if entry["surface"] is None:
            entry["surface"] = _str(m.get("surface"))
    sitems = list(skeys.items())

    edges: dict[int, list[tuple[int, int]]] = {}
    for i, ((gc, gd, ga), _) in enumerate(gitems):
        for j, ((c, d, a), _) in enumerate(sitems):
            if gc != c or ga != a:
                continue
            if gd is None:
                st = 3 if d is None else 1
            elif d is None:
                continue
            else:
                delta = abs((gd - d).days)
                if delta > 1:
                    continue
                st = 3 if delta == 0 else 2
            edges.setdefault(i, []).append((st, j))
    free = set(range(len(sitems)))
    req = _max_matching([i for i, (_, v) in enumerate(gitems) if not v["optional"]], free, edges)
    free -= set(req.values())
    opt = _max_matching([i for i, (_, v) in enumerate(gitems) if v["optional"]], free, edges)
    free -= set(opt.values())
    sc.events.tp += len(req)
    for i, ((gc, gd, _), v) in enumerate(gitems):
        if not v["optional"] and i not in req:
            sc.events.fn += 1
            raw = v["raw"]
            report.misses.append(
                Issue("events", "miss", file, _event_label(gc, gd, raw.get("admin1")), raw.get("evidence") or "")
            )
    for j in sorted(free):
        (c, d, _), v = sitems[j]
        sc.events.fp += 1
        report.false_positives.append(
            Issue("events", "false_positive", file, _event_label(c, d, v["admin1"]), "", f"{', '.join(v['ids'])}: {v['surface'] or ''}")
        )


# --------------------------------------------------------------------------- output


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


def flat_scores(report: Report) -> dict[str, float]:
    """The headline scores as a flat dict keyed by :data:`SCORE_KEYS` (n/a accuracies -> 0.0)."""
    acc = lambda a: 0.0 if a.value is None else a.value  # noqa: E731
    values = {
        "quotes.attributed_precision": report.quotes_attributed.precision,
        "quotes.attributed_recall": report.quotes_attributed.recall,
        "quotes.attributed_f1": report.quotes_attributed.f1,
        "quotes.precision": report.quotes.precision,
        "quotes.recall": report.quotes.recall,
        "quotes.f1": report.quotes.f1,
        "quotes.speaker_accuracy": acc(report.speaker_accuracy),
        "quotes.type_accuracy": acc(report.quote_type_accuracy),
        "figures.precision": report.figures.precision,
        "figures.recall": report.figures.recall,
        "figures.f1": report.figures.f1,
        "figures.attributed_f1": report.figures_attributed.f1,
        "figures.qualifier_accuracy": acc(report.qualifier_accuracy),
        "figures.object_accuracy": acc(report.object_accuracy),
        "figures.claimant_accuracy": acc(report.claimant_accuracy),
        "actors.precision": report.actors.precision,
        "actors.recall": report.actors.recall,
        "actors.f1": report.actors.f1,
        "events.precision": report.events.precision,
        "events.recall": report.events.recall,
        "events.f1": report.events.f1,
        "articles.published_date_accuracy": acc(report.published_date_accuracy),
    }
    return {k: float(values[k]) for k in SCORE_KEYS}


def _prf_json(p: PRF) -> dict[str, Any]:
    return {"tp": p.tp, "fp": p.fp, "fn": p.fn, "precision": _r(p.precision), "recall": _r(p.recall), "f1": _r(p.f1)}


def _acc_json(a: Accuracy) -> dict[str, Any]:
    return {"correct": a.correct, "total": a.total, "value": _r(a.value)}


def _issue_json(i: Issue) -> dict[str, Any]:
    return {"table": i.table, "kind": i.kind, "article": i.article, "text": i.text, "expected": i.expected, "found": i.found}


def report_to_json(report: Report) -> dict[str, Any]:
    """A JSON-ready dict with a stable key order; floats rounded to 4 decimals."""
    return {
        "scores": {k: _r(v) for k, v in flat_scores(report).items()},
        "tables": {
            "quotes": _prf_json(report.quotes),
            "quotes_attributed": _prf_json(report.quotes_attributed),
            "figures": _prf_json(report.figures),
            "figures_attributed": _prf_json(report.figures_attributed),
            "actors": _prf_json(report.actors),
            "events": _prf_json(report.events),
        },
        "accuracies": {
            "speaker": _acc_json(report.speaker_accuracy),
            "quote_type": _acc_json(report.quote_type_accuracy),
            "qualifier": _acc_json(report.qualifier_accuracy),
            "object": _acc_json(report.object_accuracy),
            "claimant": _acc_json(report.claimant_accuracy),
            "published_date": _acc_json(report.published_date_accuracy),
        },
        "articles": [
            {
                "file": a.file,
                "article_id": a.article_id,
                "quotes": _prf_json(a.quotes),
                "quotes_attributed": _prf_json(a.quotes_attributed),
                "figures": _prf_json(a.figures),
                "figures_attributed": _prf_json(a.figures_attributed),
                "actors": _prf_json(a.actors),
                "events": _prf_json(a.events),
                "speaker": _acc_json(a.speaker),
                "quote_type": _acc_json(a.quote_type),
                "qualifier": _acc_json(a.qualifier),
                "object": _acc_json(a.object),
                "claimant": _acc_json(a.claimant),
                "published_date": {
                    "expected": a.published_date_expected,
                    "found": a.published_date_found,
                    "correct": a.published_date_correct,
                },
            }
            for a in report.articles
        ],
        "misses": [_issue_json(i) for i in report.misses],
        "false_positives": [_issue_json(i) for i in report.false_positives],
        "wrong": [_issue_json(i) for i in report.wrong],
        "missing_tables": list(report.missing_tables),
        "notes": list(report.notes),
    }


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(r[c])) for r in [header, *rows]) for c in range(len(header))]
    line = lambda r: "  ".join(str(v).ljust(w) if c == 0 else str(v).rjust(w) for c, (v, w) in enumerate(zip(r, widths)))  # noqa: E731
    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _headline_rows(report: Report) -> list[tuple[str, PRF]]:
    return [
        ("quotes (attributed)", report.quotes_attributed),
        ("quotes (words)", report.quotes),
        ("figures", report.figures),
        ("figures (attributed)", report.figures_attributed),
        ("actors", report.actors),
        ("events", report.events),
    ]


def _accuracy_rows(report: Report) -> list[tuple[str, Accuracy]]:
    return [
        ("quote speaker accuracy", report.speaker_accuracy),
        ("quote type accuracy", report.quote_type_accuracy),
        ("figure qualifier accuracy", report.qualifier_accuracy),
        ("figure object accuracy", report.object_accuracy),
        ("figure claimant accuracy", report.claimant_accuracy),
        ("publication date accuracy", report.published_date_accuracy),
    ]


def format_report(report: Report, verbose: bool = True) -> str:
    """Human-readable report: summary, per-article table, then (verbose) every error."""
    out = [f"depeche scores: {report.tables_dir} against {report.gold_dir}", ""]
    out += _table(
        ["table", "TP", "FP", "FN", "P", "R", "F1"],
        [[n, str(p.tp), str(p.fp), str(p.fn), _pct(p.precision), _pct(p.recall), _pct(p.f1)] for n, p in _headline_rows(report)],
    )
    out.append("")
    out += _table(["measure", "correct", "total", "score"], [[n, str(a.correct), str(a.total), _pct(a.value)] for n, a in _accuracy_rows(report)])
    out.append("")
    rows = []
    for a in report.articles:
        rows.append(
            [
                a.file,
                _pct(a.quotes_attributed.f1),
                _pct(a.quotes.f1),
                _pct(a.figures.f1),
                _pct(a.actors.f1),
                _pct(a.events.f1),
                "n/a" if a.published_date_correct is None else ("ok" if a.published_date_correct else "wrong"),
            ]
        )
    out += _table(["article", "quotes attr F1", "quotes F1", "figures F1", "actors F1", "events F1", "date"], rows)
    if report.notes:
        out += ["", "Notes:"] + [f"  - {n}" for n in report.notes]
    if verbose:
        sections = [("Misses", report.misses), ("False positives", report.false_positives), ("Wrong attributes", report.wrong)]
        for title, issues in sections:
            out += ["", f"{title} ({len(issues)}):"]
            for table in ("quotes", "figures", "actors", "events", "articles"):
                these = [i for i in issues if i.table == table]
                if not these:
                    continue
                out.append(f"  [{table}]")
                for art in dict.fromkeys(i.article for i in these):
                    out.append(f"    {art}")
                    for i in these:
                        if i.article != art:
                            continue
                        detail = []
                        if i.kind not in ("miss", "false_positive"):
                            detail.append(i.kind)
                        if i.expected:
                            detail.append(f"expected: {i.expected}")
                        if i.found:
                            detail.append(f"found: {i.found}")
                        tail = f"  ({'; '.join(detail)})" if detail else ""
                        out.append(f"      - {i.text!r}{tail}")
    return "\n".join(out) + "\n"


def scores_markdown(report: Report) -> str:
    """Markdown tables of the headline scores (deterministic), for the README."""
    out = ["| Table | P | R | F1 |", "|---|---:|---:|---:|"]
    for name, p in _headline_rows(report):
        out.append(f"| {name} | {p.precision:.3f} | {p.recall:.3f} | {p.f1:.3f} |")
    out += ["", "| Measure | Score | n |", "|---|---:|---:|"]
    for name, a in _accuracy_rows(report):
        out.append(f"| {name} | {_pct(a.value)} | {a.total} |")
    return "\n".join(out) + "\n"
