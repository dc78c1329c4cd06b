"""Contested claims (depeche.pipeline.claims) on small hand-made tables: who says what about the same thing."""
from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from depeche.ids import content_id
from depeche.pipeline import claims
from depeche.reference import load_reference
from depeche.schema import TABLES

ACTORS = [
    # actor_id, actor_type, country_iso3, parent_actor_id
    ("rus", "state", "RUS", None),
    ("rus-mod", "government", "RUS", "rus"),
    ("sergei-shoigu", "person", "RUS", "rus-mod"),
    ("tur", "state", "TUR", None),
    ("usa", "state", "USA", None),
    ("coalition", "coalition", None, None),
    ("sohr", "ngo", "GBR", None),
    ("rami-abdulrahman", "person", "SYR", "sohr"),
    ("isil", "armed_group", None, None),
    ("nusra", "armed_group", None, None),
    ("syr", "state", "SYR", None),
]


class Corpus:
    """Articles with their figures, mentions and events, offsets found in the text so spans are always right."""

    def __init__(self) -> None:
        self.articles, self.figures, self.mentions, self.events, self.event_mentions = [], [], [], [], []

    def article(self, article_id: str, text: str, published: date | None) -> str:
        self.articles.append({"article_id": article_id, "text": text, "published_date": published})
        return article_id

    def _span(self, article_id: str, surface: str, after: str = "") -> tuple[int, int]:
        text = next(a["text"] for a in self.articles if a["article_id"] == article_id)
        start = text.index(surface, text.index(after) if after else 0)
        return start, start + len(surface)

    def mention(self, article_id: str, surface: str, actor_id: str, after: str = "") -> None:
        start, end = self._span(article_id, surface, after)
        self.mentions.append({"mention_id": content_id("men", article_id, start, end), "article_id": article_id,
                              "actor_id": actor_id, "start": start, "end": end, "surface": surface,
                              "method": "registry"})

    def figure(self, article_id: str, surface: str, value: float, category: str, claimant: str | None,
               qualifier: str = "exact", bounds: tuple[float | None, float | None] | None = None,
               event_id: str | None = None) -> str:
        start, end = self._span(article_id, surface)
        figure_id = content_id("fig", article_id, start, end)
        self.figures.append({
            "figure_id": figure_id, "article_id": article_id, "start": start, "end": end, "surface": surface,
            "value": value, "value_low": (bounds or (value, value))[0], "value_high": (bounds or (value, value))[1],
            "qualifier": qualifier, "object": surface.split()[-1], "category": category,
            "claimant_actor_id": claimant, "claimant_cue": "affirmer" if claimant else None, "event_id": event_id})
        return figure_id

    def event(self, article_id: str, surface: str, event_type: str, actor1: str | None, actor2: str | None,
              modality: str, claimant: str | None, day: date | None = None) -> str:
        start, end = self._span(article_id, surface)
        event_id = content_id("evt", article_id, start, end)
        self.events.append({"event_id": event_id, "event_type": event_type, "actor1_id": actor1, "actor2_id": actor2,
                            "modality": modality, "claimant_actor_id": claimant, "event_date": day})
        self.event_mentions.append({"event_id": event_id, "article_id": article_id, "start": start, "end": end,
                                    "surface": surface, "link_reason": "single report"})
        return event_id

    def tables(self) -> tuple[pl.DataFrame, dict[str, pl.DataFrame]]:
        articles = pl.DataFrame(self.articles, schema={"article_id": pl.Utf8, "text": pl.Utf8,
                                                       "published_date": pl.Date})
        actors = pl.DataFrame(
            [{"actor_id": a, "name": a, "actor_type": t, "country_iso3": c, "parent_actor_id": p,
              "wikidata_qid": None, "aliases": []} for a, t, c, p in ACTORS],
            schema=TABLES["actors"].polars_schema)
        events = pl.DataFrame(self.events, schema={"event_id": pl.Utf8, "event_type": pl.Utf8, "actor1_id": pl.Utf8,
                                                   "actor2_id": pl.Utf8, "modality": pl.Utf8,
                                                   "claimant_actor_id": pl.Utf8, "event_date": pl.Date,
                                                   "date_start": pl.Date, "date_end": pl.Date})
        return articles, {
            "actors": actors,
            "actor_mentions": TABLES["actor_mentions"].frame(self.mentions),
            "figures": TABLES["figures"].frame(self.figures),
            "events": events,
            "event_mentions": TABLES["event_mentions"].frame(self.event_mentions),
        }

    def claims(self) -> pl.DataFrame:
        articles, tables = self.tables()
        return claims.build(articles, tables, load_reference())


ANKARA = "La Turquie a estimé que seuls deux raids russes avaient visé l'EI en une semaine."
MOSCOW = "Le ministère russe de la Défense a affirmé que l'aviation russe avait frappé 40 cibles de l'EI."


def ankara_and_moscow(corpus: Corpus, moscow_date: date = date(2015, 10, 9), moscow: str = MOSCOW,
                      count: float = 40, surface: str = "40 cibles") -> tuple[str, str]:
    a = corpus.article("ankara", ANKARA, date(2015, 10, 7))
    corpus.mention(a, "Turquie", "tur")
    corpus.mention(a, "russes", "rus")
    corpus.mention(a, "EI", "isil")
    two = corpus.figure(a, "deux raids", 2, "strikes", "tur")
    m = corpus.article("moscow", moscow, moscow_date)
    corpus.mention(m, "ministère russe de la Défense", "rus-mod")
    if "aviation russe" in moscow:
        corpus.mention(m, "aviation russe", "rus")
    if "EI" in moscow:
        corpus.mention(m, "EI", "isil")
    forty = corpus.figure(m, surface, count, "targets", "rus-mod")
    return two, forty


def test_only_n_against_a_larger_count_is_a_restriction_dispute_seen_from_both_sides():
    corpus = Corpus()
    two, forty = ankara_and_moscow(corpus)
    rows = corpus.claims()
    assert rows.height == 2
    assert set(rows["figure_id"]) == {two, forty} and set(rows["other_figure_id"]) == {two, forty}
    assert rows["dispute_id"].n_unique() == 1 and rows["claim_id"].n_unique() == 2
    ankara = rows.filter(pl.col("figure_id") == two).row(0, named=True)
    assert (ankara["stance"], ankara["other_stance"], ankara["disagreement"]) == ("restricts", "asserts", "restriction")
    assert (ankara["claimant_actor_id"], ankara["other_claimant_actor_id"]) == ("tur", "rus-mod")
    assert (ankara["topic"], ankara["target_actor_id"], ankara["value"], ankara["other_value"]) == ("strikes", "isil", 2, 40)


def test_claims_rows_are_valid_and_their_spans_match_both_articles():
    corpus = Corpus()
    ankara_and_moscow(corpus)
    rows = corpus.claims()
    TABLES["claims"].model.validate(rows)
    texts = {a["article_id"]: a["text"] for a in corpus.articles}
    for row in rows.iter_rows(named=True):
        assert texts[row["article_id"]][row["start"]:row["end"]] == row["surface"]
        assert texts[row["other_article_id"]][row["other_start"]:row["other_end"]] == row["other_surface"]


@pytest.mark.parametrize("moscow, count, surface, moscow_date, why", [
    (MOSCOW, 40, "40 cibles", date(2015, 10, 30), "more than a week apart"),
    (MOSCOW, 2, "2 cibles", date(2015, 10, 9), "not more than the restricted count"),
    ("Le ministère russe de la Défense a affirmé que l'aviation russe avait frappé 40 cibles du Front al-Nosra.",
     40, "40 cibles", date(2015, 10, 9), "no common target"),
    ("Le ministère russe de la Défense a affirmé avoir frappé 40 cibles à Alep.", 40, "40 cibles",
     date(2015, 10, 9), "no target named"),
])
def test_no_dispute(moscow, count, surface, moscow_date, why):
    corpus = Corpus()
    moscow = moscow.replace(" 40 ", f" {surface.split()[0]} ")
    ankara_and_moscow(corpus, moscow_date, moscow, count, surface)
    assert corpus.claims().is_empty(), why


def test_one_side_never_disputes_itself():
    corpus = Corpus()
    a = corpus.article("a", "M. Choïgou a assuré que seuls deux raids russes avaient visé l'EI.", date(2015, 10, 7))
    corpus.mention(a, "Choïgou", "sergei-shoigu")
    corpus.mention(a, "russes", "rus")
    corpus.mention(a, "EI", "isil")
    corpus.figure(a, "deux raids", 2, "strikes", "sergei-shoigu")
    b = corpus.article("b", MOSCOW, date(2015, 10, 8))
    corpus.mention(b, "aviation russe", "rus")
    corpus.mention(b, "EI", "isil")
    corpus.figure(b, "40 cibles", 40, "targets", "rus-mod")
    assert corpus.claims().is_empty()


def test_strikes_by_another_initiator_are_another_thing():
    corpus = Corpus()
    a = corpus.article("a", ANKARA, date(2015, 10, 7))
    corpus.mention(a, "russes", "rus")
    corpus.mention(a, "EI", "isil")
    corpus.figure(a, "deux raids", 2, "strikes", "tur")
    b = corpus.article("b", "La coalition a annoncé avoir mené cinq frappes contre l'EI en Syrie.", date(2015, 10, 8))
    corpus.mention(b, "coalition", "coalition")
    corpus.mention(b, "EI", "isil")
    corpus.mention(b, "Syrie", "syr")
    corpus.figure(b, "cinq frappes", 5, "strikes", "coalition")
    assert corpus.claims().is_empty()


def test_ne_que_restricts():
    corpus = Corpus()
    a = corpus.article("a", "Selon Washington, les avions russes n'ont visé que trois cibles de l'EI.", date(2015, 10, 7))
    corpus.mention(a, "Washington", "usa")
    corpus.mention(a, "russes", "rus")
    corpus.mention(a, "EI", "isil")
    corpus.figure(a, "trois cibles", 3, "targets", "usa")
    b = corpus.article("b", MOSCOW, date(2015, 10, 8))
    corpus.mention(b, "aviation russe", "rus")
    corpus.mention(b, "EI", "isil")
    corpus.figure(b, "40 cibles", 40, "targets", "rus-mod")
    rows = corpus.claims()
    assert set(rows["disagreement"]) == {"restriction"} and rows.height == 2


def test_a_denied_event_disputes_the_counts_of_what_it_denies():
    corpus = Corpus()
    a = corpus.article("a", "Washington a affirmé que les frappes russes ne visaient pas l'EI.", date(2015, 10, 7))
    corpus.mention(a, "Washington", "usa")
    corpus.mention(a, "EI", "isil")
    denied = corpus.event(a, "les frappes russes ne visaient pas l'EI", "airstrike", "rus", "isil", "negated", "usa")
    b = corpus.article("b", MOSCOW, date(2015, 10, 8))
    corpus.mention(b, "aviation russe", "rus")
    corpus.mention(b, "EI", "isil")
    forty = corpus.figure(b, "40 cibles", 40, "targets", "rus-mod")
    rows = corpus.claims()
    assert rows.height == 2 and set(rows["disagreement"]) == {"negation"}
    usa = rows.filter(pl.col("event_id") == denied).row(0, named=True)
    assert (usa["stance"], usa["other_figure_id"], usa["other_stance"]) == ("denies", forty, "asserts")


def test_counts_of_one_event_whose_bounds_do_not_meet():
    corpus = Corpus()
    a = corpus.article("a", "Selon l'OSDH, six civils ont été tués. Damas parle de 30 terroristes tués.", date(2015, 10, 7))
    corpus.mention(a, "OSDH", "sohr")
    corpus.mention(a, "Damas", "syr")
    corpus.events.append({"event_id": "evt_0000000000000001", "event_type": "airstrike", "actor1_id": "rus",
                          "actor2_id": None, "modality": "asserted", "claimant_actor_id": None,
                          "event_date": None})
    corpus.figure(a, "six civils", 6, "killed", "sohr", event_id="evt_0000000000000001")
    corpus.figure(a, "30 terroristes", 30, "killed", "syr", event_id="evt_0000000000000001")
    rows = corpus.claims()
    assert rows.height == 2 and set(rows["disagreement"]) == {"value"}
    assert rows["target_actor_id"].is_null().all()


def test_overlapping_counts_of_one_event_agree():
    corpus = Corpus()
    a = corpus.article("a", "Selon l'OSDH, au moins six civils ont été tués. Damas parle de 10 morts.", date(2015, 10, 7))
    corpus.events.append({"event_id": "evt_0000000000000001", "event_type": "airstrike", "actor1_id": "rus",
                          "actor2_id": None, "modality": "asserted", "claimant_actor_id": None,
                          "event_date": None})
    corpus.figure(a, "au moins six civils", 6, "killed", "sohr", "at_least", (6, None), "evt_0000000000000001")
    corpus.figure(a, "10 morts", 10, "killed", "syr", event_id="evt_0000000000000001")
    assert corpus.claims().is_empty()


def test_sides():
    _, tables = Corpus().tables()
    sides = claims.actor_sides(tables["actors"])
    assert sides["sergei-shoigu"] == sides["rus-mod"] == sides["rus"] == "country:RUS"
    assert sides["rami-abdulrahman"] == sides["sohr"] == "actor:sohr"
    assert sides["coalition"] != sides["usa"]


def test_the_event_a_restricting_figure_speaks_for_asserts_nothing_of_its_own():
    """"seuls deux raids russes avaient visé l'EI": not an assertion of Russian strikes on IS against a denial."""
    corpus = Corpus()
    a = corpus.article("a", ANKARA, date(2015, 10, 7))
    corpus.mention(a, "Turquie", "tur")
    corpus.mention(a, "EI", "isil")
    corpus.figure(a, "deux raids", 2, "strikes", "tur")
    corpus.event(a, "raids russes avaient visé l'EI", "airstrike", "rus", "isil", "asserted", "tur")
    b = corpus.article("b", "Washington a affirmé que les frappes russes ne visaient pas l'EI.", date(2015, 10, 7))
    corpus.mention(b, "Washington", "usa")
    corpus.mention(b, "EI", "isil")
    corpus.event(b, "les frappes russes ne visaient pas l'EI", "airstrike", "rus", "isil", "negated", "usa")
    assert corpus.claims().is_empty()


def test_a_denial_and_an_assertion_about_different_days_agree():
    corpus = Corpus()
    a = corpus.article("a", "Washington a affirmé que les frappes russes de mercredi ne visaient pas l'EI.",
                       date(2015, 10, 8))
    corpus.mention(a, "Washington", "usa")
    corpus.mention(a, "EI", "isil")
    corpus.event(a, "ne visaient pas l'EI", "airstrike", "rus", "isil", "negated", "usa", date(2015, 10, 7))
    b = corpus.article("b", "Moscou a affirmé avoir frappé l'EI jeudi.", date(2015, 10, 8))
    corpus.mention(b, "Moscou", "rus")
    corpus.mention(b, "EI", "isil")
    corpus.event(b, "frappé l'EI jeudi", "airstrike", "rus", "isil", "asserted", "rus", date(2015, 10, 8))
    assert corpus.claims().is_empty()
    corpus.events[-1]["event_date"] = date(2015, 10, 7)
    assert set(corpus.claims()["disagreement"]) == {"negation"}


def test_a_restriction_faces_the_largest_count_of_each_other_side_once():
    corpus = Corpus()
    two, forty = ankara_and_moscow(corpus)
    m = corpus.article("moscow2", MOSCOW.replace("40", "12"), date(2015, 10, 8))
    corpus.mention(m, "aviation russe", "rus")
    corpus.mention(m, "EI", "isil")
    corpus.figure(m, "12 cibles", 12, "targets", "rus-mod")
    rows = corpus.claims()
    assert rows.height == 2 and set(rows["figure_id"]) == {two, forty}


def test_a_rebuttal_rejects_the_statement_of_another_side_inside_its_evidence():
    corpus = Corpus()
    text = ("Sergueï Lavrov a balayé les accusations du Pentagone selon lesquelles les pilotes russes n'avaient pas "
            "visé l'EI mercredi.")
    a = corpus.article("a", text, date(2015, 10, 1))
    corpus.mention(a, "Sergueï Lavrov", "sergei-shoigu")
    corpus.mention(a, "Pentagone", "usa")
    corpus.mention(a, "EI", "isil")
    rebuttal = corpus.event(a, "balayé les accusations du Pentagone selon lesquelles les pilotes russes n'avaient pas "
                               "visé l'EI mercredi", "denial", "sergei-shoigu", "usa", "asserted", "sergei-shoigu")
    denied = corpus.event(a, "visé l'EI mercredi", "airstrike", "rus", "isil", "negated", "usa")
    rows = corpus.claims()
    assert rows.height == 2 and set(rows["disagreement"]) == {"rebuttal"}
    lavrov = rows.filter(pl.col("event_id") == rebuttal).row(0, named=True)
    assert (lavrov["stance"], lavrov["other_event_id"], lavrov["other_stance"], lavrov["topic"]) == \
        ("rejects", denied, "denies", "strikes")


def test_a_rebuttal_of_its_own_side_is_no_dispute():
    corpus = Corpus()
    a = corpus.article("a", "Moscou a démenti que ses avions aient frappé l'EI.", date(2015, 10, 1))
    corpus.mention(a, "Moscou", "rus")
    corpus.mention(a, "EI", "isil")
    corpus.event(a, "démenti que ses avions aient frappé l'EI", "denial", "rus", None, "asserted", "rus")
    corpus.event(a, "frappé l'EI", "airstrike", "rus", "isil", "asserted", "rus-mod")
    assert corpus.claims().is_empty()


@pytest.mark.parametrize("kind, claimant, stance, surface, other_claimant, other_stance", [
    pytest.param("restriction", "tur", "restricts", "deux raids", "sergei-shoigu", "asserts",
                 id="ankara-only-two-raids-against-moscow-112-targets"),
    pytest.param("negation", "us-dod", "denies", "visé l'EI mercredi", "rus", "asserts",
                 id="pentagon-denies-that-russian-pilots-hit-is"),
    pytest.param("rebuttal", "sergei-lavrov", "rejects", None, "us-dod", "denies",
                 id="lavrov-dismisses-the-pentagon-accusations"),
])
def test_the_disputes_of_the_five_articles(tables, kind, claimant, stance, surface, other_claimant, other_stance):
    """The contested claims the issue names, found in the built seed articles."""
    rows = tables["claims"].filter((pl.col("disagreement") == kind) & (pl.col("claimant_actor_id") == claimant)
                                   & (pl.col("stance") == stance) & (pl.col("other_claimant_actor_id") == other_claimant)
                                   & (pl.col("other_stance") == other_stance))
    assert rows.height == 1
    if surface is not None:
        assert rows["surface"][0] == surface


def _brute_force_contradictions(statements, sides):
    """Every asserting statement checked against every restricting or denying one: the definition."""
    found = []
    for one in statements:
        if one.stance not in {"restricts", "denies"}:
            continue
        best = {}
        for target in sorted(one.targets):
            for other in statements:
                if other.stance != "asserts" or target not in other.targets or other.topic != one.topic:
                    continue
                if not claims._comparable(one, other, sides) or not claims._contradicts(one, other):
                    continue
                side, rank = claims._side(other, sides), claims._strength(one, other)
                if side not in best or rank < best[side][0]:
                    best[side] = (rank, other, target)
        found += [(one.key, best[side][1].key, best[side][2]) for side in sorted(best)]
    return found


_DAYS = [date(2015, 10, d) for d in (1, 2)]  # few values, so statements collide
_PUBLISHED = {"a": date(2015, 10, 1), "b": date(2015, 10, 2), "c": date(2015, 10, 12), "undated": None}
_statement = st.builds(
    lambda article, start, claimant, stance, value, initiator, targets, day: claims.Statement(
        article, start, start + 1, "x", f"fig_{start}" if value is not None else None, None if value else f"evt_{start}",
        claimant, stance, value, value, value, None, "strikes", initiator, frozenset(targets),
        _PUBLISHED[article], (day, day) if day else None),
    st.sampled_from(list(_PUBLISHED)), st.integers(0, 10_000),
    st.sampled_from(["rus", "rus-mod", "usa"]), st.sampled_from(["asserts", "asserts", "restricts", "denies"]),
    st.one_of(st.none(), st.integers(0, 50).map(float)), st.sampled_from([None, None, "country:RUS"]),
    st.sets(st.sampled_from(["isil", "nusra"]), min_size=1, max_size=2), st.sampled_from([None, *_DAYS]))


def _said(article: str, start: int, claimant: str, stance: str, value: float | None = None,
          day: date | None = None) -> claims.Statement:
    return claims.Statement(article, start, start + 1, "x", f"fig_{start}" if value is not None else None,
                            None if value is not None else f"evt_{start}", claimant, stance, value, value, value, None,
                            "strikes", None, frozenset({"isil"}), _PUBLISHED[article], (day, day) if day else None)


@settings(max_examples=500, deadline=None)
@given(st.lists(_statement, max_size=25, unique_by=lambda s: s.start))
@example([_said("a", 1, "usa", "denies", day=date(2015, 10, 2)),  # the first by key is about another day
          _said("b", 3, "rus", "asserts", day=date(2015, 10, 1)), _said("b", 5, "rus", "asserts", day=date(2015, 10, 2))])
@example([_said("a", 1, "usa", "restricts", 2.0),  # the largest count is not the first by key
          _said("b", 3, "rus", "asserts", 3.0), _said("b", 5, "rus", "asserts", 30.0)])
def test_the_index_finds_the_same_contradictions_as_checking_every_pair(statements):
    statements = [s for s in statements if s.stance != "restricts" or s.value is not None]
    sides = {"rus": "country:RUS", "rus-mod": "country:RUS", "tur": "country:TUR", "usa": "country:USA",
             "sohr": "actor:sohr"}
    indexed = [(d.one.key, d.other.key, d.target) for d in claims.contradictions(statements, sides)]
    assert indexed == _brute_force_contradictions(statements, sides)


def _sentence_bounds_by_scanning(text: str, start: int, end: int) -> tuple[int, int]:
    """The definition: the last sentence end found in the text before `start`, the first one from `end`."""
    lo = max((m.end() for m in claims.SENTENCE_END.finditer(text, 0, start)), default=0)
    after = claims.SENTENCE_END.search(text, end)
    return lo, after.end() if after else len(text)


@st.composite
def _text_and_span(draw):
    text = draw(st.text(alphabet="ab M.!?…\n\t", max_size=40))
    start = draw(st.integers(0, len(text)))
    return text, start, draw(st.integers(start, len(text)))


@given(_text_and_span())
@example(("a.\nb", 2, 3))  # a line break right after a full stop
@example(("M. a. b", 6, 7))  # "M." ends no sentence; a full stop before a blank does
def test_sentence_bounds_found_once_per_text_are_those_of_a_scan(text_and_span):
    assert claims.sentence_bounds(*text_and_span) == _sentence_bounds_by_scanning(*text_and_span)


@given(st.lists(st.tuples(st.sampled_from("abcde"), st.integers(0, 99)), max_size=30), st.sampled_from("abcdez"))
def test_by_article_gives_the_rows_of_one_article_as_a_filter_would(rows, article):
    frame = pl.DataFrame(rows, schema={"article_id": pl.String, "start": pl.Int64}, orient="row").sort("article_id")
    assert claims.ByArticle(frame).of(article) == frame.filter(pl.col("article_id") == article).to_dicts()


def test_by_article_refuses_the_rows_of_an_article_apart():
    with pytest.raises(ValueError):
        claims.ByArticle(pl.DataFrame({"article_id": ["a", "b", "a"], "start": [1, 2, 3]}))
