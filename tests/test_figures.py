"""Figures on short French sentences of our own (other days and places of the war, actors the registry lacks)."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depeche.pipeline import actors, figures
from depeche.pipeline.nlp import load_pipeline
from depeche.reference import load_reference
from depeche.schema._common import FIGURE_CATEGORIES, QUALIFIERS

from .test_numbers import french_words

FIXTURE = Path(__file__).parent / "fixtures" / "figures" / "reference"
COLUMNS = ["figure_id", "article_id", "start", "end", "surface", "value", "value_low", "value_high", "qualifier",
           "object", "category", "claimant_actor_id", "claimant_cue", "event_id"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A small registry of our own; the figure lexicons come from the packaged reference data."""
    folder = tmp_path_factory.mktemp("reference")
    for path in FIXTURE.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    return load_reference(folder)


@pytest.fixture(scope="module")
def nlp(reference):
    return load_pipeline(reference)


@pytest.fixture(scope="module")
def extract(nlp, reference):
    def run(text: str) -> list[dict]:
        article = {"article_id": "test", "text": text, "published_date": date(2015, 11, 20)}
        doc = nlp(text)
        mentions, _ = actors.find_mentions(article, doc, reference)
        return figures.extract(article, doc, mentions, reference)
    return run


def only(rows: list[dict], surface: str) -> dict:
    found = [r for r in rows if r["surface"] == surface]
    assert len(found) == 1, f"{surface!r} not among {[r['surface'] for r in rows]}"
    return found[0]


@pytest.mark.parametrize("text, surface, value, qualifier, obj, category", [
    # digits in French conventions, with their qualifier and counted noun
    ("Le conflit a fait plus de 250.000 morts depuis 2011.", "plus de 250.000 morts", 250000, "more_than", "morts", "killed"),
    ("Au moins 37 civils ont été tués samedi à Douma.", "Au moins 37 civils", 37, "at_least", "civils", "killed"),
    ("Les frégates ont tiré à près de 1.500 kilomètres de leur cible.", "près de 1.500 kilomètres", 1500, "approximately", "kilomètres", "distance"),
    ("Le HCR compte 4 290 000 réfugiés syriens.", "4 290 000 réfugiés", 4290000, "exact", "réfugiés", "displaced"),
    ("Environ 300 combattants ont rejoint Palmyre.", "Environ 300 combattants", 300, "approximately", "combattants", "personnel"),
    ("Jusqu'à 200 soldats russes seraient déployés à Hmeimim.", "Jusqu'à 200 soldats", 200, "at_most", "soldats", "personnel"),
    ("Le drone volait à moins de 50 mètres du sol.", "moins de 50 mètres", 50, "less_than", "mètres", "distance"),
    ("Il y a eu 500 morts au moins à Homs.", "500 morts au moins", 500, "at_least", "morts", "killed"),
    ("L'ONG a fait état d'au moins neuf civils tués à Talbisseh.", "au moins neuf civils", 9, "at_least", "civils", "killed"),
    ("L'ONU évoque 1,5 million de déplacés dans la province.", "1,5 million de déplacés", 1_500_000, "exact", "déplacés", "displaced"),
    ("Les Su-34 ont mené 90% des sorties.", "90%", 90, "exact", "%", "other"),
    ("Moscou affirme que 60 pour cent des raids visent l'EI.", "60 pour cent", 60, "exact", "pour cent", "other"),
    ("Le HCR estime que 4,2 millions de Syriens ont fui et que 7,6 millions sont déplacés.", "7,6 millions", 7_600_000, "exact", "millions", "displaced"),
    # number words, magnitudes and vague quantities
    ("Vingt-six avions de combat sont arrivés à Lattaquié.", "Vingt-six avions", 26, "exact", "avions", "aircraft"),
    ("Huit bombardiers Tu-22 ont décollé de Mozdok.", "Huit bombardiers", 8, "exact", "bombardiers", "aircraft"),
    ("Une vingtaine de raids ont visé Rastane.", "Une vingtaine de raids", 20, "approximately", "raids", "strikes"),
    ("Des dizaines de milliers de personnes ont fui Alep.", "Des dizaines de milliers de personnes", 10000, "vague", "personnes", "displaced"),
    ("La guerre a poussé à l'exil plusieurs millions d'Irakiens.", "plusieurs millions d'Irakiens", 1_000_000, "vague", "Irakiens", "other"),
    ("Les combats ont fait une centaine de blessés.", "une centaine de blessés", 100, "approximately", "blessés", "injured"),
    ("L'armée a repris trois villages après deux semaines de combats.", "deux semaines", 2, "exact", "semaines", "duration"),
    # the parse, not only the next word
    ("Le croiseur a tiré 18 missiles de croisière Kalibr.", "18 missiles", 18, "exact", "missiles", "munitions"),
    ("Trois frégates sont entrées en mer Noire. Deux d'entre elles ont tiré.", "Deux d'entre elles", 2, "exact", "frégates", "vessels"),
    ("Des frappes ont touché au moins cinq villages de la province.", "au moins cinq villages", 5, "at_least", "villages", "targets"),
    ("L'aviation a bombardé 40 positions, dont des dépôts d'armes.", "40 positions", 40, "exact", "positions", "targets"),
    ("La coalition a mené huit frappes en Irak et quatre autres en Syrie.", "quatre autres", 4, "exact", "frappes", "strikes"),
    ("Le groupe a perdu au moins un de ses chars près de Kobané.", "au moins un de ses chars", 1, "at_least", "chars", "other"),
    ("Les rebelles ont avancé jusqu'à une quinzaine de km de la ville.", "une quinzaine de km", 15, "approximately", "km", "distance"),
    ("Il y a eu entre 10 et 20 morts à Idleb.", "entre 10 et 20 morts", 15, "approximately", "morts", "killed"),
])
def test_golden_figures(extract, text, surface, value, qualifier, obj, category):
    row = only(extract(text), surface)
    assert (row["value"], row["qualifier"], row["object"], row["category"]) == (value, qualifier, obj, category)
    assert text[row["start"]:row["end"]] == surface


@pytest.mark.parametrize("text, surface, low, high", [
    ("Le conflit a fait plus de 250.000 morts.", "plus de 250.000 morts", 250000, None),
    ("Moins de 100 soldats restent sur place.", "Moins de 100 soldats", None, 100),
    ("Environ 300 combattants ont rejoint Palmyre.", "Environ 300 combattants", 270, 330),
    ("Une dizaine de raids ont visé Rastane.", "Une dizaine de raids", 8, 12),
    ("Des centaines de civils ont fui Alep.", "Des centaines de civils", 100, 1000),
    ("Le convoi compte 12 camions.", "12 camions", 12, 12),
    ("Il y a eu entre 10 et 20 morts à Idleb.", "entre 10 et 20 morts", 10, 20),
])
def test_bounds(extract, text, surface, low, high):
    row = only(extract(text), surface)
    assert (row["value_low"], row["value_high"]) == (low, high)


def test_casualty_list_gives_parts_and_total(extract):
    rows = extract("Selon l'OSDH, deux soldats et un enfant ont été tués à Deir Ezzor.")
    parts = [only(rows, "deux soldats"), only(rows, "un enfant")]
    total = only(rows, "deux soldats et un enfant")
    assert [p["value"] for p in parts] == [2, 1]
    assert (total["value"], total["category"]) == (3, "killed")
    assert {p["category"] for p in parts} == {"killed"}
    assert all(total["start"] <= p["start"] and p["end"] <= total["end"] for p in parts)


@pytest.mark.parametrize("text, not_counted", [
    ("Le 15 mars 2011, les manifestations ont commencé à Deraa.", ["15", "2011"]),
    ("L'offensive a commencé en 2014, a rappelé le général.", ["2014"]),
    ("La réunion a commencé à 10 heures à Vienne.", ["10"]),
    ("Le journal de 12h30 a diffusé les images.", ["12"]),
    ("Au 11e jour de l'intervention, les raids se sont intensifiés.", ["11"]),
    ("Pour la troisième fois, Moscou a frappé Rakka.", ["troisième"]),
    ("Le Conseil de sécurité a adopté la résolution 2254.", ["2254"]),
    ("Le G20 s'est réuni à Antalya avec les Vingt-Sept.", ["20", "Vingt-Sept"]),
    ("Un Su-24 a été abattu par la Turquie.", ["24", "Un"]),
    ("Jaich al-Fatah, l'un des principaux groupes rebelles, a reculé.", ["un"]),
    ("Une offensive a été lancée contre un village tenu par l'EI.", ["Une", "un"]),
    ("La coalition a dû dérouter un avion trop près d'un appareil russe.", ["un"]),
])
def test_not_figures(extract, text, not_counted):
    rows = extract(text)
    for word in not_counted:
        assert not [r for r in rows if word in r["surface"].split()], (word, rows)


@pytest.mark.parametrize("text, surface, claimant, cue", [
    ("Selon l'OSDH, 45 civils ont été tués à Alep.", "45 civils", "sohr", "selon"),
    ("120.000 personnes ont fui Hama, d'après l'ONU.", "120.000 personnes", "un", "d'après"),
    ("Le ministère russe de la Défense a affirmé que ses avions avaient frappé 64 cibles.", "64 cibles", "rus-mod", "affirmer"),
    ("Ankara a estimé que seuls deux raids russes avaient visé l'EI.", "deux raids", "tur", "estimer"),
    ("La guerre a fait plus de 250.000 morts.", "plus de 250.000 morts", None, None),
])
def test_claimant(extract, text, surface, claimant, cue):
    row = only(extract(text), surface)
    assert (row["claimant_actor_id"], row["claimant_cue"]) == (claimant, cue)


def test_claimant_stays_in_the_figures_sentence(extract):
    rows = extract("Selon l'OSDH, des raids ont visé Talbisseh. Deux femmes ont été tuées.")
    assert only(rows, "Deux femmes")["claimant_actor_id"] is None


def test_rows_have_exactly_the_columns_and_stable_ids(extract):
    text = "Selon l'OSDH, au moins 37 civils ont été tués à Douma."
    first, second = extract(text), extract(text)
    assert first == second
    assert all(list(row) == COLUMNS for row in first)
    assert all(row["figure_id"].startswith("fig_") and row["event_id"] is None for row in first)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=2, max_value=999_999))
def test_number_words_in_a_sentence_parse_back(extract, n):
    words = french_words(n)
    rows = extract(f"Selon l'OSDH, {words} civils ont été tués.")
    assert [r["value"] for r in rows if r["object"] == "civils"] == [n]


WORDS = st.sampled_from(["morts", "plus de", "au moins", "une", "dizaine", "de", "km", "1.500", "240 000", "et",
                         "deux", "vingt-six", "selon", "l'OSDH", ",", ".", "le", "30", "septembre", "2015", "un",
                         "enfant", "des", "dizaines", "jusqu'à", "d'entre", "eux", "%", "autres", "12h30", "cibles"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(WORDS, max_size=25).map(" ".join) | st.text(max_size=60))
def test_spans_always_match_the_text(extract, text):
    for row in extract(text):
        assert text[row["start"]:row["end"]] == row["surface"]
        assert row["qualifier"] in QUALIFIERS and row["category"] in FIGURE_CATEGORIES
        assert row["value"] >= 0
        assert row["value_low"] is None or row["value_low"] <= row["value"]
        assert row["value_high"] is None or row["value"] <= row["value_high"]
