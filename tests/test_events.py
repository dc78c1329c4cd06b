"""Event reports: type, modality, date, place, participants and evidence, on French sentences of this war."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depeche.pipeline import actors, events, figures
from depeche.pipeline.nlp import load_pipeline

WEDNESDAY = date(2015, 10, 21)
TUESDAY, THURSDAY, FRIDAY, MONDAY = date(2015, 10, 20), date(2015, 10, 22), date(2015, 10, 23), date(2015, 10, 19)


@pytest.fixture(scope="module")
def nlp(reference):
    return load_pipeline(reference)


@pytest.fixture(scope="module")
def reports_of(nlp, reference):
    def run(text: str, published: date | None = WEDNESDAY) -> list[dict]:
        article = {"article_id": "test", "text": text, "published_date": published}
        doc = nlp(text)
        mentions, _ = actors.find_mentions(article, doc, reference)
        rows = events.extract(article, doc, mentions, figures.extract(article, doc, mentions, reference), reference)
        for row in rows:
            assert text[row["start"]:row["end"]] == row["surface"]
        return rows
    return run


def keys(rows: list[dict]) -> set[tuple]:
    return {(r["event_type"], r["event_date"], r["admin1"], r["modality"]) for r in rows}


@pytest.mark.parametrize("text, expected", [
    ("L'aviation russe a bombardé mardi des positions de l'EI près de Palmyre, dans la province de Homs.",
     {("airstrike", TUESDAY, "Homs", "asserted")}),
    ("Deux navires russes ont tiré lundi des missiles de croisière sur des cibles dans la province de Raqa.",
     {("missile_strike", MONDAY, "Raqqa", "asserted")}),
    ("Selon l'OSDH, des combats ont opposé mercredi l'armée aux rebelles près de Morek, dans la province de Hama.",
     {("armed_clash", WEDNESDAY, "Hama", "asserted")}),
    ("Les forces du régime ont repris mardi le contrôle de la localité de Kafr Nabuda, dans la province de Hama.",
     {("territory_change", TUESDAY, "Hama", "asserted")}),
    ("La Turquie a abattu mardi un drone qui avait pénétré dans son espace aérien.",
     {("shootdown", TUESDAY, None, "asserted")}),
    ("Le ministre russe Sergueï Lavrov a rencontré mardi à Vienne son homologue américain John Kerry.",
     {("meeting", TUESDAY, None, "asserted")}),
])
def test_type_date_and_place(reports_of, text, expected):
    assert keys(reports_of(text)) == expected


@pytest.mark.parametrize("text, modality", [
    ("Les ministres des Affaires étrangères se réunissent vendredi à Vienne.", "future"),
    ("Américains et Russes vont se réunir pour éviter des incidents dans le ciel syrien.", "future"),
    ("Moscou pourrait mener des frappes en Irak, a indiqué un responsable russe.", "hypothetical"),
    ("Les rebelles ne sont pas parvenus à reprendre la ville de Morek.", "negated"),
    ("Le régime prépare une offensive terrestre dans la province d'Idleb.", "future"),
])
def test_modality(reports_of, text, modality):
    assert {r["modality"] for r in reports_of(text)} == {modality}


def test_a_planned_day_is_the_period_it_is_planned_for(reports_of):
    (meeting,) = reports_of("Les ministres des Affaires étrangères se réunissent vendredi à Vienne.")
    assert (meeting["event_date"], meeting["date_start"], meeting["date_end"]) == (None, FRIDAY, FRIDAY)


def test_rolling_period_gives_a_span_and_no_day(reports_of):
    (strike,) = reports_of("Selon Moscou, l'aviation russe a frappé 86 cibles ces dernières 24 heures dans la "
                           "province de Lattaquié.", published=SATURDAY)
    assert (strike["event_date"], strike["date_start"], strike["date_end"]) == (None, date(2015, 10, 23), SATURDAY)
    assert strike["admin1"] == "Latakia" and strike["date_precision"] == 2


SATURDAY = date(2015, 10, 24)


def test_campaign_since_a_day_is_dated_to_that_day(reports_of):
    (strike,) = reports_of("La coalition internationale mène depuis le 23 septembre 2014 des frappes aériennes en Syrie.")
    assert (strike["event_date"], strike["date_start"], strike["date_end"]) == (date(2014, 9, 23), date(2014, 9, 23),
                                                                                WEDNESDAY)
    assert strike["actor1_id"] == "us-led-coalition"


def test_night_strikes_are_dated_to_the_morning(reports_of):
    (strike,) = reports_of("Des frappes aériennes ont visé dans la nuit la localité de Talbissé, dans la province de "
                           "Homs.")
    assert (strike["event_date"], strike["date_start"], strike["date_end"]) == (WEDNESDAY, TUESDAY, WEDNESDAY)


def test_a_past_report_without_a_date_inherits_the_narratives_day(reports_of):
    rows = reports_of("L'armée syrienne a lancé mardi une offensive dans la province de Hama. "
                      "Des combats ont éclaté près de Kafr Nabuda, selon l'OSDH.")
    assert {r["event_date"] for r in rows} == {TUESDAY}


def test_a_flashback_does_not_inherit_the_narratives_day(reports_of):
    rows = reports_of("L'armée syrienne a lancé mardi une offensive dans la province de Hama. "
                      "Les rebelles s'étaient emparés de la ville de Morek, dans la même province.")
    seized = [r for r in rows if r["event_type"] == "territory_change"]
    assert [r["event_date"] for r in seized] == [None]


def test_no_publication_date_no_guess(reports_of):
    rows = reports_of("L'aviation russe a bombardé mardi la ville de Palmyre.", published=None)
    assert [r["event_date"] for r in rows] == [None]


def test_generic_mentions_are_not_reports(reports_of):
    assert reports_of("Les frappes russes visent surtout les rebelles modérés, selon les Occidentaux.") == []


def test_a_heading_is_not_a_report(reports_of):
    rows = reports_of("Frappes russes sur Palmyre\n\nL'aviation russe a bombardé mardi la ville de Palmyre.")
    assert len(rows) == 1 and rows[0]["surface"].startswith("bombardé")


def test_one_report_per_governorate(reports_of):
    rows = reports_of("L'aviation russe a frappé mardi des positions de l'EI dans les provinces de Homs et de Raqa.")
    assert {r["admin1"] for r in rows} == {"Homs", "Raqqa"}
    assert {r["where_precision"] for r in rows} == {4}


def test_instruments_type_the_strike(reports_of):
    rows = reports_of("Des bombardements ont été menés mardi depuis des navires russes en Méditerranée.")
    assert {r["event_type"] for r in rows} == {"missile_strike"}


def test_initiator_target_and_claimant(reports_of):
    (clash,) = reports_of("Selon l'OSDH, l'armée syrienne a attaqué mardi l'EI près de Palmyre.")
    assert (clash["actor1_id"], clash["actor2_id"], clash["claimant_actor_id"]) == ("syr-army", "isil", "sohr")


@pytest.mark.parametrize("text, initiator", [
    pytest.param("Selon Ankara, seuls trois raids russes ont visé mardi l'EI près de Raqa.", "rus", id="raids-russes"),
    pytest.param("Les pilotes américains ont bombardé mardi des positions de l'EI près de Raqa.", "usa",
                 id="subject-noun-with-nationality"),
])
def test_a_nationality_adjective_names_the_initiator(reports_of, text, initiator):
    (strike,) = [r for r in reports_of(text) if r["event_type"] == "airstrike"]
    assert strike["actor1_id"] == initiator


def test_casualties_of_the_next_sentence_belong_to_the_strike(reports_of):
    rows = reports_of("Des frappes russes ont visé mardi la ville d'Atareb, dans la province d'Alep. "
                      "Trois civils ont été tués.")
    assert len(rows) == 1 and len(rows[0]["figure_ids"]) == 1


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["L'aviation", "russe", "a", "bombardé", "mardi", "des", "frappes", "dans", "la",
                                 "province", "de", "Hama", "ne", "pas", "se", "réunissent", "jeudi", ".", ",",
                                 "selon", "l'OSDH", "combats", "Alep", "nuit", "pourrait"]) | st.text(max_size=8),
                max_size=30).map(" ".join))
def test_any_text_gives_valid_reports(reports_of, text):
    for row in reports_of(text):
        assert row["modality"] in {"asserted", "future", "hypothetical", "negated"}
        assert 1 <= row["date_precision"] <= 5 and 1 <= row["where_precision"] <= 7


def _clause_by_walking(token) -> list[int]:
    """The definition of a clause, walked through spaCy's tokens: the token, then each child's clause in order,
    except children that open a clause of their own."""
    found = [token.i]
    for child in token.children:
        if not events.is_clause(child):
            found += _clause_by_walking(child)
    return found


@pytest.mark.parametrize("text", [
    "Les avions russes qui ont décollé de Lattaquié ont frappé mardi des positions de l'EI, a affirmé le ministère.",
    "Selon l'OSDH, les frappes ont tué huit civils à Hama et trois dans celle d'Idleb, dont deux enfants.",
])
def test_clause_tokens_are_the_walk_of_the_tree_for_every_token(nlp, text):
    doc = nlp(text)
    for token in doc:
        assert [t.i for t in events.clause_tokens(token)] == _clause_by_walking(token)
    assert events.clause_indices(doc, 0) is events.clause_indices(doc, 0)  # kept per document
