"""Tests of the scorer (depeche.evaluate) on tiny hand-made gold files and Parquet tables.

The system tables are built in each test from the gold (a "perfect" system), then perturbed;
every expected number below is counted by hand from tests/fixtures/evaluate/*.json.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
import shutil
from pathlib import Path

import polars as pl
import pytest

from depeche.evaluate import (
    SCORE_KEYS,
    evaluate,
    flat_scores,
    fold_name,
    format_report,
    report_to_json,
    scores_markdown,
)

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "evaluate"
REAL_GOLD = HERE / "gold"

CLASS_TO_TYPE = {
    "AIRSTRIKE": "airstrike",
    "MISSILE_STRIKE": "missile_strike",
    "GROUND_FIGHTING": "ground_offensive",
    "SHOOTDOWN": "shootdown",
    "MEETING": "meeting",
}

SCHEMAS = {
    "articles": {
        "article_id": pl.String,
        "source_file": pl.String,
        "text": pl.String,
        "published_date": pl.Date,
    },
    "actors": {
        "actor_id": pl.String,
        "name": pl.String,
        "actor_type": pl.String,
        "country_iso3": pl.String,
        "parent_actor_id": pl.String,
        "wikidata_qid": pl.String,
        "aliases": pl.List(pl.String),
    },
    "actor_mentions": {
        "mention_id": pl.String,
        "article_id": pl.String,
        "actor_id": pl.String,
        "start": pl.Int64,
        "end": pl.Int64,
        "surface": pl.String,
    },
    "quotes": {
        "quote_id": pl.String,
        "article_id": pl.String,
        "start": pl.Int64,
        "end": pl.Int64,
        "text": pl.String,
        "quote_type": pl.String,
        "speaker_actor_id": pl.String,
        "speaker_surface": pl.String,
        "reporting_verb": pl.String,
    },
    "figures": {
        "figure_id": pl.String,
        "article_id": pl.String,
        "start": pl.Int64,
        "end": pl.Int64,
        "surface": pl.String,
        "value": pl.Float64,
        "value_low": pl.Float64,
        "value_high": pl.Float64,
        "qualifier": pl.String,
        "object": pl.String,
        "category": pl.String,
        "claimant_actor_id": pl.String,
        "claimant_cue": pl.String,
        "event_id": pl.String,
    },
    "events": {
        "event_id": pl.String,
        "event_type": pl.String,
        "event_date": pl.Date,
        "admin1": pl.String,
        "country_iso3": pl.String,
        "actor1_id": pl.String,
        "modality": pl.String,
    },
    "event_mentions": {
        "event_id": pl.String,
        "article_id": pl.String,
        "start": pl.Int64,
        "end": pl.Int64,
        "surface": pl.String,
        "link_reason": pl.String,
    },
}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def aid(stem: str) -> str:
    return f"art-{stem}"


def date(s: str | None) -> dt.date | None:
    return None if s is None else dt.date.fromisoformat(s)


def perfect_system(gold_dir: Path) -> dict[str, list[dict]]:
    """Rows of a system that reproduces the gold exactly (optional items included)."""
    t: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    actors: dict[str, dict] = {}
    for path in sorted(gold_dir.glob("*.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        a = aid(path.stem)
        t["articles"].append(
            {"article_id": a, "source_file": g["file"], "text": "", "published_date": date(g["publication_date"])}
        )
        for k, ga in enumerate(g["actors"]):
            actors.setdefault(
                ga["name"],
                {
                    "actor_id": slug(ga["name"]),
                    "name": ga["name"],
                    "actor_type": ga["type"],
                    "country_iso3": None,
                    "parent_actor_id": None,
                    "wikidata_qid": ga["qid"],
                    "aliases": [],
                },
            )
            t["actor_mentions"].append(
                {"mention_id": f"{a}-m{k}", "article_id": a, "actor_id": slug(ga["name"]), "start": 0, "end": 1,
                 "surface": ga["surfaces"][0]}
            )
        for k, q in enumerate(g["quotes"]):
            t["quotes"].append(
                {"quote_id": f"{a}-q{k}", "article_id": a, "start": 0, "end": 1, "text": q["text"],
                 "quote_type": q["type"], "speaker_actor_id": slug(q["speaker"]) if q["speaker"] else None,
                 "speaker_surface": None, "reporting_verb": None}
            )
        for k, f in enumerate(g["figures"]):
            t["figures"].append(
                {"figure_id": f"{a}-f{k}", "article_id": a, "start": 0, "end": 1, "surface": f["text"],
                 "value": f["value"] if f["value"] is not None else 3.0, "value_low": None, "value_high": None,
                 "qualifier": f["qualifier"], "object": f["object"], "category": "other",
                 "claimant_actor_id": slug(f["claimant"]) if f["claimant"] else None, "claimant_cue": None,
                 "event_id": None}
            )
        for k, e in enumerate(g["events"]):
            eid = f"{a}-e{k}"
            t["events"].append(
                {"event_id": eid, "event_type": CLASS_TO_TYPE[e["class"]], "event_date": date(e["date"]),
                 "admin1": e["admin1"], "country_iso3": e["country"], "actor1_id": None, "modality": "asserted"}
            )
            t["event_mentions"].append(
                {"event_id": eid, "article_id": a, "start": 0, "end": 1, "surface": e["evidence"], "link_reason": "test"}
            )
    t["actors"] = list(actors.values())
    return t


def write(tables: dict[str, list[dict]], out: Path, skip: tuple[str, ...] = ()) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        if name in skip:
            continue
        pl.DataFrame(rows, schema=SCHEMAS[name]).write_parquet(out / f"{name}.parquet")
    return out


@pytest.fixture
def gold(tmp_path: Path):
    """Copy the chosen fixture gold files (default: both) into a fresh gold dir."""

    def make(*stems: str) -> Path:
        d = tmp_path / "gold"
        d.mkdir(exist_ok=True)
        for p in sorted(FIXTURES.glob("*.json")):
            if not stems or p.stem in stems:
                shutil.copy(p, d / p.name)
        return d

    return make


def run(gold_dir: Path, tables: dict[str, list[dict]], tmp_path: Path, skip: tuple[str, ...] = ()):
    return evaluate(gold_dir, write(tables, tmp_path / "tables", skip))


def find(rows: list[dict], key: str, value) -> dict:
    (row,) = [r for r in rows if r[key] == value]
    return row


def add_actor(t: dict, actor_id: str, name: str, qid=None, aliases=(), actor_type="other") -> None:
    t["actors"].append(
        {"actor_id": actor_id, "name": name, "actor_type": actor_type, "country_iso3": None, "parent_actor_id": None,
         "wikidata_qid": qid, "aliases": list(aliases)}
    )


A01 = "a01_sample"
A02 = "a02_sample"


# --------------------------------------------------------------------------- perfect systems


def test_perfect_system_scores_one_everywhere(gold, tmp_path):
    g = gold()
    report = run(g, perfect_system(g), tmp_path)
    scores = flat_scores(report)
    assert list(scores) == list(SCORE_KEYS)
    assert scores == {k: 1.0 for k in SCORE_KEYS}
    # required items only are counted: a01 3 quotes + a02 2; 4 + 1 figures; 7 + 3 actors; 4 + 1 events
    assert (report.quotes.tp, report.figures.tp, report.actors.tp, report.events.tp) == (5, 5, 10, 5)
    assert not report.misses and not report.false_positives and not report.wrong
    assert report.published_date_accuracy.total == 1  # a02 has no gold date


def test_perfect_system_on_the_real_gold_scores_one(tmp_path):
    report = run(REAL_GOLD, perfect_system(REAL_GOLD), tmp_path)
    assert flat_scores(report) == {k: 1.0 for k in SCORE_KEYS}
    assert report.published_date_accuracy.total == 5


def test_gold_copy_is_complete():
    names = sorted(p.name for p in REAL_GOLD.iterdir())
    assert "GUIDE.md" in names and len([n for n in names if n.endswith(".json")]) == 5


# --------------------------------------------------------------------------- exact P/R/F1


@pytest.mark.parametrize(
    "table, drop, extra, n_required",
    [
        ("quotes", {"text": "erreur fondamentale"},
         {"quote_id": "x", "article_id": aid(A01), "start": 0, "end": 1, "text": "une phrase que personne n'a dite",
          "quote_type": "direct", "speaker_actor_id": None, "speaker_surface": None, "reporting_verb": None}, 3),
        ("figures", {"surface": "112 cibles"},
         {"figure_id": "x", "article_id": aid(A01), "start": 0, "end": 1, "surface": "17 chars", "value": 17.0,
          "value_low": None, "value_high": None, "qualifier": "exact", "object": "chars", "category": "other",
          "claimant_actor_id": None, "claimant_cue": None, "event_id": None}, 4),
    ],
)
def test_one_missing_one_extra_exact_numbers(gold, tmp_path, table, drop, extra, n_required):
    g = gold(A01)
    t = perfect_system(g)
    (key, value), = drop.items()
    t[table] = [r for r in t[table] if r[key] != value] + [extra]
    report = run(g, t, tmp_path)
    prf = report.table(table)
    n = n_required
    assert (prf.tp, prf.fp, prf.fn) == (n - 1, 1, 1)
    assert prf.precision == pytest.approx((n - 1) / n)
    assert prf.recall == pytest.approx((n - 1) / n)
    assert prf.f1 == pytest.approx((n - 1) / n)
    assert [i.kind for i in report.misses] == ["miss"] and report.misses[0].table == table
    assert [i.kind for i in report.false_positives] == ["false_positive"]


def test_quotes_three_gold_two_found_one_extra(gold, tmp_path):
    g = gold(A01)
    t = perfect_system(g)
    t["quotes"] = [r for r in t["quotes"] if r["text"] != "Nous frappons uniquement des terroristes"]
    t["quotes"].append({**t["quotes"][0], "quote_id": "extra", "text": "tout autre chose, vraiment"})
    report = run(g, t, tmp_path)
    assert report.quotes.precision == pytest.approx(2 / 3)
    assert report.quotes.recall == pytest.approx(2 / 3)
    assert report.quotes.f1 == pytest.approx(2 / 3)
    assert report_to_json(report)["tables"]["quotes"]["f1"] == 0.6667


def test_actors_and_events_missing_and_extra(gold, tmp_path):
    g = gold(A01)
    t = perfect_system(g)
    t["actor_mentions"] = [m for m in t["actor_mentions"] if m["actor_id"] != "ashton-carter"]
    add_actor(t, "nobody", "Nobody Inc")
    t["actor_mentions"].append({**t["actor_mentions"][0], "mention_id": "x", "actor_id": "nobody"})
    t["events"] = [e for e in t["events"] if e["admin1"] != "Idlib"]
    t["events"].append({**t["events"][0], "event_id": "x", "admin1": "Homs"})
    t["event_mentions"].append({**t["event_mentions"][0], "event_id": "x"})
    report = run(g, t, tmp_path)
    assert (report.actors.tp, report.actors.fp, report.actors.fn) == (6, 1, 1)
    assert report.actors.f1 == pytest.approx(6 / 7)
    assert (report.events.tp, report.events.fp, report.events.fn) == (3, 1, 1)
    assert report.events.precision == pytest.approx(3 / 4)


def test_micro_average_sums_counts_over_articles(gold, tmp_path):
    g = gold()
    t = perfect_system(g)
    t["quotes"] = [r for r in t["quotes"] if r["text"] != "pays alaouite"]  # a02 loses 1 of 2
    report = run(g, t, tmp_path)
    assert (report.quotes.tp, report.quotes.fn) == (4, 1)
    assert report.quotes.recall == pytest.approx(4 / 5)  # not the mean of 1.0 and 0.5
    per = {a.file: a for a in report.articles}
    assert per["a02_sample.txt"].quotes.recall == pytest.approx(0.5)
    assert per["a01_sample.txt"].quotes.recall == 1.0


# --------------------------------------------------------------------------- quotes


def test_wrong_speaker_is_miss_and_fp_in_attributed_but_tp_in_plain(gold, tmp_path):
    g = gold(A01)
    t = perfect_system(g)
    find(t["quotes"], "text", "erreur fondamentale")["speaker_actor_id"] = "vladimir-putin"
    report = run(g, t, tmp_path)
    assert report.quotes.f1 == 1.0
    a = report.quotes_attributed
    assert (a.tp, a.fp, a.fn) == (2, 1, 1)
    assert a.precision == pytest.approx(2 / 3) and a.recall == pytest.approx(2 / 3)
    assert report.speaker_accuracy.value == pytest.approx(2 / 3)
    (w,) = report.wrong
    assert (w.kind, w.text, w.expected) == ("wrong_speaker", "erreur fondamentale", "Ashton Carter")
    assert "Vladimir Putin" in w.found


def test_null_gold_speaker_must_be_null(gold, tmp_path):
    g = gold(A02)
    t = perfect_system(g)
    find(t["quotes"], "text", "pays alaouite")["speaker_actor_id"] = "russia"
    report = run(g, t, tmp_path)
    assert report.quotes_attributed.tp == 1 and report.quotes_attributed.fn == 1
    # speaker accuracy only counts quotes whose gold speaker is known
    assert (report.speaker_accuracy.correct, report.speaker_accuracy.total) == (1, 1)


@pytest.mark.parametrize(
    "system_text, matches",
    [
        ("Plus intenses que d’habitude", True),
        ("plus intenses que d?habitude", True),
        ("PLUS INTENSES QUE D'HABITUDE.", True),
        ("plus intenses que d'habitude, a-t-il ajouté", True),  # system contains gold
        ("intenses que d'habitude", True),  # gold contains system
        ("plus intense que d'habitude", True),  # ratio >= 0.85
        ("moins intenses qu'hier", False),
    ],
)
def test_quote_text_normalisation_and_similarity(gold, tmp_path, system_text, matches):
    g = gold(A01)
    t = perfect_system(g)
    find(t["quotes"], "text", "plus intenses que d'habitude")["text"] = system_text
    report = run(g, t, tmp_path)
    assert (report.quotes.f1 == 1.0) is matches
    assert (report.quotes.fn == 0) is matches


def test_equal_quotes_pair_with_the_right_speaker_first(tmp_path):
    g = tmp_path / "gold"
    g.mkdir()
    doc = {
        "file": "x.txt", "publication_date": None, "figures": [], "events": [], "actors": [],
        "quotes": [
            {"text": "terroristes", "speaker": "Vladimir Putin", "speaker_qid": "Q7747", "type": "partial",
             "optional": False},
            {"text": "terroristes", "speaker": "Sergey Lavrov", "speaker_qid": None, "type": "partial",
             "optional": False},
        ],
    }
    (g / "x.json").write_text(json.dumps(doc), encoding="utf-8")
    t = {name: [] for name in SCHEMAS}
    t["articles"] = [{"article_id": "x", "source_file": "x.txt", "text": "", "published_date": None}]
    add_actor(t, "lavrov", "Sergueï Lavrov", actor_type="person")
    add_actor(t, "putin", "Vladimir Putin", qid="Q7747", actor_type="person")
    t["quotes"] = [
        {"quote_id": f"q{k}", "article_id": "x", "start": 0, "end": 1, "text": "« terroristes »",
         "quote_type": "partial", "speaker_actor_id": spk, "speaker_surface": None, "reporting_verb": None}
        for k, spk in enumerate(("lavrov", "putin"))
    ]
    report = run(g, t, tmp_path)
    assert report.quotes_attributed.f1 == 1.0 and report.speaker_accuracy.value == 1.0


def test_quote_type_accuracy(gold, tmp_path):
    g = gold(A01)
    t = perfect_system(g)
    find(t["quotes"], "text", "Nous frappons uniquement des terroristes")["quote_type"] = "partial"
    report = run(g, t, tmp_path)
    assert report.quote_type_accuracy.value == pytest.approx(2 / 3)
    assert report.quotes.f1 == 1.0 and report.quotes_attributed.f1 == 1.0


@pytest.mark.parametrize(
    "name, aliases, qid, actor_type, right",
    [
        ("Rami Abdulrahman", [], None, "person", True),
        ("Rami Abdel Rahman", [], None, "person", True),  # gold `also`
        ("R. Abdulrahman", ["Abdel Rahmane"], None, "person", True),  # surname of an alias
        ("Abdel Rahmane", [], None, "person", True),  # surname of a gold surface
        ("Rami Makhlouf", [], None, "person", False),
    ],
)
def test_speaker_identity_person_surname(gold, tmp_path, name, aliases, qid, actor_type, right):
    g = gold(A02)
    t = perfect_system(g)
    add_actor(t, "spk", name, qid=qid, aliases=aliases, actor_type=actor_type)
    find(t["quotes"], "text", "Pour la première fois, les frappes ont été accompagnées de combats")[
        "speaker_actor_id"
    ] = "spk"
    report = run(g, t, tmp_path)
    assert (report.speaker_accuracy.value == 1.0) is right


@pytest.mark.parametrize(
    "name, aliases, qid, actor_type, right",
    [
        ("OSDH", [], None, "ngo", True),  # speaker_also name
        ("Observatoire syrien", ["l'OSDH"], None, "ngo", True),  # alias = gold actor surface
        ("Pentagon", [], "Q11209", "government", False),
        ("Syrian Ministry for Human Rights", [], None, "government", False),  # no surname rule for organisations
    ],
)
def test_speaker_identity_organisation(gold, tmp_path, name, aliases, qid, actor_type, right):
    g = gold(A01)
    t = perfect_system(g)
    add_actor(t, "spk", name, qid=qid, aliases=aliases, actor_type=actor_type)
    find(t["quotes"], "text", "plus intenses que d'habitude")["speaker_actor_id"] = "spk"
    report = run(g, t, tmp_path)
    assert (report.speaker_accuracy.value == 1.0) is right


def test_speaker_identity_by_qid(gold, tmp_path):
    g = gold(A01)
    t = perfect_system(g)
    add_actor(t, "vvp", "V. V. P.", qid="Q7747", actor_type="person")
    find(t["quotes"], "text", "Nous frappons uniquement des terroristes")["speaker_actor_id"] = "vvp"
    assert run(g, t, tmp_path).speaker_accuracy.value == 1.0


# --------------------------------------------------------------------------- optional items


def test_optional_items_are_neither_misses_nor_false_positives(gold, tmp_path):
    g = gold(A01)
    full = perfect_system(g)
    without = copy.deepcopy(full)
    without["quotes"] = [r for r in without["quotes"] if r["text"] != "re-router"]
    without["figures"] = [r for r in without["figures"] if not r["surface"].startswith("plusieurs")]
    without["actor_mentions"] = [
        r for r in without["actor_mentions"] if r["actor_id"] != "united-states-department-of-defense"
    ]
    without["events"] = [r for r in without["events"] if r["event_type"] != "meeting"]
    r_with = run(g, full, tmp_path / "with")
    r_without = run(g, without, tmp_path / "without")
    for r in (r_with, r_without):
        assert flat_scores(r) == {k: 1.0 for k in SCORE_KEYS}
        assert (r.quotes.tp, r.figures.tp, r.actors.tp, r.events.tp) == (3, 4, 7, 4)
        assert not r.misses and not r.false_positives


def test_required_items_are_matched_before_optional_ones(tmp_path):
    # 000: "éviter une guerre totale" is required, "Eviter une guerre totale" optional: same words.
    t = perfect_system(REAL_GOLD)
    t["quotes"] = [r for r in t["quotes"] if r["text"] != "éviter une guerre totale"]
    report = run(REAL_GOLD, t, tmp_path)
    assert report.quotes.fn == 0 and report.quotes.f1 == 1.0
    assert report.quotes_attributed.f1 == 1.0


def test_system_item_matching_only_an_optional_item_is_not_counted(gold, tmp_path):
    g = gold(A01)
    t = perfect_system(g)
    t["quotes"].append({**t["quotes"][0], "quote_id": "dup", "text": "re-router"})  # second copy: unmatched
    report = run(g, t, tmp_path)
    assert (report.quotes.tp, report.quotes.fp) == (3, 1)


# --------------------------------------------------------------------------- figures


def test_figure_matching_prefers_word_overlap_among_equal_values(gold, tmp_path):
    g = gold(A01)
    t = perfect_system(g)
    # system lists "quatre positions" before "quatre avions": matching on value and order alone
    # would pair gold "quatre avions" with it, and get claimant and object wrong.
    fours = [r for r in t["figures"] if r["value"] == 4.0]
    others = [r for r in t["figures"] if r["value"] != 4.0]
    t["figures"] = list(reversed(fours)) + others
    assert t["figures"][0]["surface"] == "quatre positions"
    report = run(g, t, tmp_path)
    assert report.claimant_accuracy.value == 1.0
    assert report.object_accuracy.value == 1.0
    assert report.figures_attributed.f1 == 1.0


def test_figures_match_by_value_not_words(gold, tmp_path):
    g = gold(A01)
    t = perfect_system(g)
    find(t["figures"], "surface", "112 cibles").update(surface="cent douze")
    find(t["figures"], "surface", "plus de 240.000 morts").update(value=240001.0)
    report = run(g, t, tmp_path)
    assert (report.figures.tp, report.figures.fp, report.figures.fn) == (3, 1, 1)
    assert report.misses[0].text.startswith("plus de 240.000 morts")


@pytest.mark.parametrize(
    "surface, claimant, right",
    [
        ("112 cibles", "sergei-shoigu", True),
        ("112 cibles", "shoigu-alias", True),  # alias "M. Choïgou" = gold surface
        ("112 cibles", "russian-mod", True),  # claimant_also
        ("112 cibles", None, False),
        ("112 cibles", "russia", False),
        ("quatre avions", "syria", True),  # claimant_also QID Q858
        ("quatre positions", None, True),  # null must be null
        ("quatre positions", "russia", False),
    ],
)
def test_claimant_accuracy(gold, tmp_path, surface, claimant, right):
    g = gold(A01)
    t = perfect_system(g)
    add_actor(t, "shoigu-alias", "S. K. Shoygu", aliases=["M. Choïgou"], actor_type="person")
    add_actor(t, "russian-mod", "Russian Ministry of Defence", actor_type="government")
    add_actor(t, "syria", "Syrian Arab Republic", qid="Q858", actor_type="state")
    find(t["figures"], "surface", surface)["claimant_actor_id"] = claimant
    report = run(g, t, tmp_path)
    assert report.figures.f1 == 1.0
    assert (report.claimant_accuracy.value == 1.0) is right
    assert (report.figures_attributed.f1 == 1.0) is right
    if not right:
        assert report.claimant_accuracy.value == pytest.approx(3 / 4)
        assert [i.kind for i in report.wrong] == ["wrong_claimant"]


def test_qualifier_accuracy(gold, tmp_path):
    g = gold(A01)
    t = perfect_system(g)
    find(t["figures"], "surface", "plus de 240.000 morts")["qualifier"] = "exact"
    report = run(g, t, tmp_path)
    assert report.qualifier_accuracy.value == pytest.approx(3 / 4)
    (w,) = report.wrong
    assert (w.kind, w.expected, w.found) == ("wrong_qualifier", "more_than", "exact")


@pytest.mark.parametrize(
    "system_object, right",
    [("cibles", True), ("Cibles", True), ("cible", True), ("cibles de l'EI", True), ("les cibles", True),
     ("avions", False), (None, False)],
)
def test_object_accuracy_head_noun(gold, tmp_path, system_object, right):
    g = gold(A01)
    t = perfect_system(g)
    find(t["figures"], "surface", "112 cibles")["object"] = system_object
    report = run(g, t, tmp_path)
    assert (report.object_accuracy.value == 1.0) is right


# --------------------------------------------------------------------------- actors


@pytest.mark.parametrize(
    "gold_name, name, aliases, qid",
    [
        ("Russia", "Rossiyskaya Federatsiya", [], "Q159"),  # by QID
        ("Russia", "Russian Federation", [], None),  # by `also` name
        ("Ashton Carter", "Carter", ["le secrétaire américain à la Défense Ashton Carter"], None),  # alias = surface
        ("Sergei Shoigu", "Sergueï Choïgou", ["Choïgou"], None),  # "M. " stripped from the surface
        ("Syrian Observatory for Human Rights", "Observatoire", ["OSDH"], None),  # alias = `also`
        ("Syrian government", "Damascus regime", [], "Q858"),  # QID listed in `also`
    ],
)
def test_actor_matching(gold, tmp_path, gold_name, name, aliases, qid):
    g = gold(A01)
    t = perfect_system(g)
    for m in t["actor_mentions"]:
        if m["actor_id"] == slug(gold_name):
            m["actor_id"] = "sys"
    add_actor(t, "sys", name, qid=qid, aliases=aliases)
    report = run(g, t, tmp_path)
    assert report.actors.f1 == 1.0, report.misses


def test_unrelated_actor_is_a_miss_and_a_false_positive(gold, tmp_path):
    g = gold(A01)
    t = perfect_system(g)
    for m in t["actor_mentions"]:
        if m["actor_id"] == "ashton-carter":
            m["actor_id"] = "sys"
    add_actor(t, "sys", "John Kerry", qid="Q22316", actor_type="person")
    report = run(g, t, tmp_path)
    assert (report.actors.tp, report.actors.fp, report.actors.fn) == (6, 1, 1)


def test_one_coarse_actor_does_not_stand_for_several(gold, tmp_path):
    g = gold(A01)
    t = perfect_system(g)
    # drop "Russian Aerospace Forces" (also: Russia, Q159): the system actor Russia covers only one
    t["actor_mentions"] = [m for m in t["actor_mentions"] if m["actor_id"] != "russian-aerospace-forces"]
    report = run(g, t, tmp_path)
    assert (report.actors.tp, report.actors.fp, report.actors.fn) == (6, 0, 1)
    assert report.misses[0].text == "Russian Aerospace Forces"


@pytest.mark.parametrize(
    "syria_id, gov_id", [("syria", "gov-of-syria"), ("a-syria", "b-gov"), ("b-syria", "a-gov")]
)
def test_actor_matching_is_maximal_and_order_free(tmp_path, syria_id, gov_id):
    # "Syria" may stand for either gold actor (via `also`), "Government of Syria" only for the
    # government: a greedy pairing could give Syria to the government and leave both the army
    # and "Government of Syria" unpaired. The scorer finds the pairing that covers both.
    g = tmp_path / "gold"
    g.mkdir()
    doc = {
        "file": "x.txt", "publication_date": None, "quotes": [], "figures": [], "events": [],
        "actors": [
            {"name": "Syrian government", "qid": None, "type": "government", "surfaces": ["le régime"],
             "also": ["Government of Syria", "Syria", "Q858"], "optional": False},
            {"name": "Syrian Arab Army", "qid": None, "type": "military", "surfaces": ["l'armée syrienne"],
             "also": ["Syrian Armed Forces", "Syria", "Q858"], "optional": False},
        ],
    }
    (g / "x.json").write_text(json.dumps(doc), encoding="utf-8")
    t = {name: [] for name in SCHEMAS}
    t["articles"] = [{"article_id": "x", "source_file": "x.txt", "text": "", "published_date": None}]
    add_actor(t, syria_id, "Syria", qid="Q858", actor_type="state")
    add_actor(t, gov_id, "Government of Syria", actor_type="government")
    t["actor_mentions"] = [
        {"mention_id": f"m{k}", "article_id": "x", "actor_id": a, "start": 0, "end": 1, "surface": a}
        for k, a in enumerate((syria_id, gov_id))
    ]
    report = run(g, t, tmp_path)
    assert (report.actors.tp, report.actors.fp, report.actors.fn) == (2, 0, 0)


def test_actors_come_from_mentions_of_the_article(gold, tmp_path):
    g = gold()
    t = perfect_system(g)
    # the actor Rami Abdulrahman exists, but is not mentioned in a02 any more
    t["actor_mentions"] = [m for m in t["actor_mentions"] if m["actor_id"] != "rami-abdulrahman"]
    report = run(g, t, tmp_path)
    per = {a.file: a for a in report.articles}
    assert per["a02_sample.txt"].actors.fn == 1 and per["a01_sample.txt"].actors.f1 == 1.0


# --------------------------------------------------------------------------- events


def _event(t: dict, admin1=None, event_type=None, cls_date=None) -> dict:
    rows = [e for e in t["events"] if e["event_id"].startswith(aid(A01))]
    for e in rows:
        if (admin1 is None or e["admin1"] == admin1) and (event_type is None or e["event_type"] == event_type) and (
            cls_date is None or e["event_date"] == cls_date
        ):
            return e
    raise KeyError((admin1, event_type, cls_date))


def _extra_event(t: dict, **fields) -> None:
    row = {"event_id": "extra", "event_type": "airstrike", "event_date": date("2015-10-07"), "admin1": "Homs",
           "country_iso3": "SYR", "actor1_id": None, "modality": "asserted"}
    row.update(fields)
    t["events"].append(row)
    t["event_mentions"].append(
        {"event_id": "extra", "article_id": aid(A01), "start": 0, "end": 1, "surface": "x", "link_reason": "test"}
    )


@pytest.mark.parametrize(
    "change, expected_tp_fp_fn",
    [
        ("date_plus_one", (4, 0, 0)),
        ("date_minus_one", (4, 0, 0)),
        ("date_plus_two", (3, 1, 1)),
        ("null_gold_date_any_date", (4, 0, 0)),
        ("system_null_date_for_dated_gold", (3, 1, 1)),
        ("rif_dimashq_is_damascus", (4, 0, 0)),
        ("other_admin1", (3, 1, 1)),
        ("admin1_missing", (3, 1, 1)),
        ("modality_negated", (3, 0, 1)),
        ("extra_future_event", (4, 0, 0)),
        ("extra_hypothetical_event", (4, 0, 0)),
        ("extra_unscored_type", (4, 0, 0)),
        ("extra_asserted_event", (4, 1, 0)),
        ("class_from_armed_clash", (4, 0, 0)),
        ("class_from_territory_change", (4, 0, 0)),
        ("wrong_class", (3, 1, 1)),
        ("duplicate_key_counts_once", (4, 0, 0)),
        ("other_article_only", (3, 0, 1)),
    ],
)
def test_event_matching(gold, tmp_path, change, expected_tp_fp_fn):
    g = gold()
    t = perfect_system(g)
    hama = _event(t, admin1="Hama")  # GROUND_FIGHTING 2015-10-07 Hama
    if change == "date_plus_one":
        hama["event_date"] = date("2015-10-08")
    elif change == "date_minus_one":
        hama["event_date"] = date("2015-10-06")
    elif change == "date_plus_two":
        hama["event_date"] = date("2015-10-09")
    elif change == "null_gold_date_any_date":
        _event(t, admin1="Idlib")["event_date"] = date("2015-10-03")
    elif change == "system_null_date_for_dated_gold":
        hama["event_date"] = None
    elif change == "rif_dimashq_is_damascus":
        _event(t, admin1="Damascus")["admin1"] = "Rif Dimashq"
    elif change == "other_admin1":
        hama["admin1"] = "Homs"
    elif change == "admin1_missing":
        hama["admin1"] = None
    elif change == "modality_negated":
        hama["modality"] = "negated"
    elif change == "extra_future_event":
        _extra_event(t, modality="future")
    elif change == "extra_hypothetical_event":
        _extra_event(t, modality="hypothetical")
    elif change == "extra_unscored_type":
        _extra_event(t, event_type="protest")
    elif change == "extra_asserted_event":
        _extra_event(t)
    elif change == "class_from_armed_clash":
        hama["event_type"] = "armed_clash"
    elif change == "class_from_territory_change":
        hama["event_type"] = "territory_change"
    elif change == "wrong_class":
        hama["event_type"] = "airstrike"
    elif change == "duplicate_key_counts_once":
        _extra_event(t, event_type="ground_offensive", admin1="Hama", event_date=date("2015-10-07"))
    elif change == "other_article_only":
        for m in t["event_mentions"]:
            if m["event_id"] == hama["event_id"]:
                m["article_id"] = aid(A02)  # now reported by a02, not a01
    report = run(g, t, tmp_path)
    a01 = {a.file: a for a in report.articles}["a01_sample.txt"].events
    assert (a01.tp, a01.fp, a01.fn) == expected_tp_fp_fn


def test_event_reported_by_two_articles_counts_in_both(gold, tmp_path):
    g = gold()
    t = perfect_system(g)
    # one system event, mentioned in a02 and in a01 (where gold has no such event)
    missile = [e for e in t["events"] if e["event_type"] == "missile_strike"][0]
    t["event_mentions"].append(
        {"event_id": missile["event_id"], "article_id": aid(A01), "start": 0, "end": 1, "surface": "x",
         "link_reason": "test"}
    )
    report = run(g, t, tmp_path)
    per = {a.file: a.events for a in report.articles}
    assert (per["a02_sample.txt"].tp, per["a02_sample.txt"].fp) == (1, 0)
    assert (per["a01_sample.txt"].tp, per["a01_sample.txt"].fp) == (4, 1)


# --------------------------------------------------------------------------- articles


@pytest.mark.parametrize(
    "a01_date, a02_date, accuracy",
    [
        ("2015-10-07", None, 1.0),
        ("2015-10-06", None, 0.0),
        (None, None, 0.0),
        ("2015-10-07", "2015-10-01", 1.0),  # a02's gold date is unknown: not counted
    ],
)
def test_publication_date_accuracy(gold, tmp_path, a01_date, a02_date, accuracy):
    g = gold()
    t = perfect_system(g)
    find(t["articles"], "article_id", aid(A01))["published_date"] = date(a01_date)
    find(t["articles"], "article_id", aid(A02))["published_date"] = date(a02_date)
    report = run(g, t, tmp_path)
    assert report.published_date_accuracy.total == 1
    assert report.published_date_accuracy.value == accuracy


def test_article_absent_from_tables_is_all_misses(gold, tmp_path):
    g = gold()
    t = perfect_system(g)
    t["articles"] = [a for a in t["articles"] if a["article_id"] != aid(A02)]
    report = run(g, t, tmp_path)
    per = {a.file: a for a in report.articles}["a02_sample.txt"]
    assert (per.quotes.fn, per.figures.fn, per.actors.fn, per.events.fn) == (2, 1, 3, 1)
    assert per.quotes.f1 == 0.0
    assert any("a02_sample.json has no article" in n for n in report.notes)


def test_article_without_gold_is_ignored(gold, tmp_path):
    g = gold(A01)
    t = perfect_system(FIXTURES)  # tables for a01 and a02, gold for a01 only
    report = run(g, t, tmp_path)
    assert flat_scores(report) == {k: 1.0 for k in SCORE_KEYS}
    assert any("a02_sample.txt has no gold file" in n for n in report.notes)


# --------------------------------------------------------------------------- robustness


def test_missing_table_file_reads_as_empty(gold, tmp_path):
    g = gold()
    report = run(g, perfect_system(g), tmp_path, skip=("quotes",))
    assert report.missing_tables == ["quotes"]
    assert report.quotes.f1 == 0.0 and report.quotes.fn == 5
    assert report.figures.f1 == 1.0 and report.actors.f1 == 1.0 and report.events.f1 == 1.0
    assert "quotes.parquet is missing" in format_report(report)


def test_missing_tables_directory_raises(gold, tmp_path):
    with pytest.raises(ValueError, match="tables directory not found"):
        evaluate(gold(), tmp_path / "nope")


def test_missing_column_raises_clear_value_error(gold, tmp_path):
    g = gold()
    out = write(perfect_system(g), tmp_path / "tables")
    pl.read_parquet(out / "figures.parquet").drop("qualifier").write_parquet(out / "figures.parquet")
    with pytest.raises(ValueError, match=r"figures\.parquet.*'qualifier'"):
        evaluate(g, out)


# --------------------------------------------------------------------------- rendering


def _imperfect(gold, tmp_path):
    g = gold()
    t = perfect_system(g)
    find(t["quotes"], "text", "erreur fondamentale")["speaker_actor_id"] = "russia"
    t["figures"] = [r for r in t["figures"] if r["surface"] != "six morts"]
    find(t["articles"], "article_id", aid(A01))["published_date"] = date("2015-10-08")
    return run(g, t, tmp_path)


def test_format_report_lists_errors_grouped(gold, tmp_path):
    report = _imperfect(gold, tmp_path)
    text = format_report(report)
    for needle in ("quotes (attributed)", "a01_sample.txt", "a02_sample.txt", "Misses (1)", "[figures]",
                   "six morts", "wrong_speaker", "expected: Ashton Carter", "wrong_published_date"):
        assert needle in text, needle
    short = format_report(report, verbose=False)
    assert "Misses" not in short and "quotes (attributed)" in short


def test_report_to_json_is_stable_and_rounded(gold, tmp_path):
    report = _imperfect(gold, tmp_path)
    j = report_to_json(report)
    assert list(j) == ["scores", "tables", "accuracies", "articles", "misses", "false_positives", "wrong",
                       "missing_tables", "notes"]
    assert list(j["scores"]) == list(SCORE_KEYS)
    assert j["tables"]["quotes_attributed"]["precision"] == 0.8  # 4 of 5
    assert j["tables"]["figures"]["recall"] == 0.8
    assert j["accuracies"]["speaker"] == {"correct": 3, "total": 4, "value": 0.75}

    def floats(x):
        if isinstance(x, float):
            yield x
        elif isinstance(x, dict):
            for v in x.values():
                yield from floats(v)
        elif isinstance(x, list):
            for v in x:
                yield from floats(v)

    assert all(round(f, 4) == f for f in floats(j))
    assert json.dumps(j) == json.dumps(report_to_json(_imperfect(gold, tmp_path / "again")))


def test_scores_markdown(gold, tmp_path):
    report = _imperfect(gold, tmp_path)
    md = scores_markdown(report)
    assert md.startswith("| Table | P | R | F1 |\n|---|---:|---:|---:|\n")
    assert "| quotes (attributed) | 0.800 | 0.800 | 0.800 |" in md
    assert "| publication date accuracy | 0.000 | 1 |" in md
    assert md == scores_markdown(report)


def test_flat_scores_keys_and_values(gold, tmp_path):
    report = _imperfect(gold, tmp_path)
    s = flat_scores(report)
    assert tuple(s) == SCORE_KEYS
    assert all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in s.values())
    assert s["quotes.f1"] == 1.0 and s["quotes.attributed_f1"] == pytest.approx(0.8)
    assert s["figures.f1"] == pytest.approx(2 * 1.0 * 0.8 / 1.8)
    assert not math.isnan(s["articles.published_date_accuracy"])


@pytest.mark.parametrize("written, folded", [
    ("M. Choïgou", "choigou"),
    ("l'Otan", "otan"),
    ("Les Occidentaux", "occidentaux"),
    ("des pays du Golfe", "pays du golfe"),
    ("du Pentagone", "pentagone"),
    ("Front al-Nosra", "front al nosra"),
])
def test_names_fold_without_leading_titles_and_articles(written, folded):
    assert fold_name(written) == folded
