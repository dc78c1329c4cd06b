"""Quotes: which quoted spans are quotes, their type, their speaker; and the sentence fixes quotes rely on.
Texts are written for these tests (other days and places of the war, speakers the registry lacks)."""
from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depeche.ids import content_id
from depeche.pipeline import quotes
from depeche.pipeline.quotes import quote_type
from tests.fixtures.actors.support import HERE, article, pipeline, quote_rows, reference

# (text, [(quoted words, quote_type, speaker_actor_id)])
CASES = [
    pytest.param(
        "\"Les frappes ont touché un marché\", a affirmé Rami Abdel Rahmane, directeur de l'OSDH.",
        [("Les frappes ont touché un marché", "direct", "rami-abdulrahman")], id="direct-incise"),
    pytest.param(
        "Le Pentagone a dit avoir observé \"des mouvements de troupes importants au sud d'Alep, près de la route "
        "de Damas, depuis trois jours\".",
        [("des mouvements de troupes importants au sud d'Alep, près de la route de Damas, depuis trois jours",
          "partial", "us-dod")], id="long-fragment-is-partial"),
    pytest.param(
        "\"Nous avons repoussé l'assaut\", a déclaré Issam al-Rayyes, porte-parole du Front du Sud, \"mais les "
        "combats continuent\".",
        [("Nous avons repoussé l'assaut", "direct", "x-issam-al-rayyes"),
         ("mais les combats continuent", "partial", "x-issam-al-rayyes")], id="split-by-attribution"),
    pytest.param(
        "Les rebelles de \"Jaich al-Islam\" tiennent toujours Douma, a indiqué l'OSDH.",
        [], id="name-in-quotes"),
    pytest.param(
        "Des combattants de la brigade \"Liwa Suqour al-Ghab\" ont été tués.", [], id="unregistered-name-in-quotes"),
    pytest.param(
        "Les \"modérés\" ont reculé près de Lattaquié.", [], id="scare-quote"),
    pytest.param(
        "Sergueï Lavrov a prévenu : « Nous ne laisserons pas tomber nos alliés. Ils peuvent compter sur nous. »",
        [("Nous ne laisserons pas tomber nos alliés. Ils peuvent compter sur nous.", "direct", "sergei-lavrov")],
        id="angle-marks-two-sentences-after-colon"),
    pytest.param(
        "Ankara a dénoncé mercredi une nouvelle violation de son espace aérien par un avion russe. "
        "\"C'est inacceptable et cela ne doit pas se reproduire.\"",
        [("C'est inacceptable et cela ne doit pas se reproduire.", "direct", "tur")], id="carried-speaker"),
    pytest.param(
        "Selon l'armée libanaise, une “pluie d'obus” est tombée sur le Hermel, sans faire de victime.",
        [("pluie d'obus", "partial", "lbn-army")], id="curly-marks-selon"),
    pytest.param(
        "Le ministre russe des Affaires étrangères a qualifié d'\"absurdes\" ces accusations.",
        [("absurdes", "partial", "sergei-lavrov")], id="elided-mark-title-holder"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_quotes(text: str, expected: list[tuple[str, str, str]]) -> None:
    rows = quote_rows(text)
    assert [(r["text"], r["quote_type"], r["speaker_actor_id"]) for r in rows] == expected


def test_rows_have_exact_spans_and_content_ids() -> None:
    text = "\"La route est coupée\", a déclaré un responsable de l'ONU. Il a ajouté que l'aide était \"bloquée\"."
    rows = quote_rows(text)
    assert [r["text"] for r in rows] == ["La route est coupée", "bloquée"]
    for row in rows:
        assert text[row["start"]:row["end"]] == row["text"]
        assert text[row["speaker_start"]:row["speaker_end"]] == row["speaker_surface"]
        assert row["quote_id"] == content_id("quo", "art_test", row["start"], row["end"])
    assert [r["speaker_actor_id"] for r in rows] == ["un", "un"]
    assert rows == quote_rows(text)


def test_unnamed_speaker_without_organisation_is_null() -> None:
    rows = quote_rows("\"Il n'y a plus rien à manger\", a raconté un habitant joint par téléphone.")
    assert [(r["speaker_actor_id"], r["speaker_surface"], r["reporting_verb"]) for r in rows] == \
        [(None, "un habitant", "raconter")]


def test_a_small_registry_still_attributes_to_provisional_actors() -> None:
    rows = quote_rows("\"Nous tiendrons Palmyre\", a assuré le général Ali Mayhoub.", name="reference")
    assert [(r["speaker_actor_id"], r["reporting_verb"]) for r in rows] == [("x-ali-mayhoub", "assurer")]


@pytest.mark.parametrize(("text", "quoted", "expected"), [
    ("\"Nous resterons ici\", a-t-il dit.", "Nous resterons ici", "direct"),
    ("Il a dit qu'ils resteraient \"ici et maintenant\".", "ici et maintenant", "partial"),
    ("Il a dit : \"Nous resterons.\"", "Nous resterons.", "direct"),
    ("- \"Rumeurs infondées\" -", "Rumeurs infondées", "partial"),
])
def test_quote_type(text: str, quoted: str, expected: str) -> None:
    doc = pipeline()(text)
    start = text.index(quoted)
    words = doc.char_span(start, start + len(quoted), alignment_mode="expand")
    assert quote_type(text, start, words) == expected


@pytest.mark.parametrize(("text", "sentences"), [
    ("Titre de l'article\n\nLe texte commence ici.", ["Titre de l'article", "Le texte commence ici."]),
    ("Il a parlé. - Renforts russes - Des avions sont arrivés.",
     ["Il a parlé.", "- Renforts russes -", "Des avions sont arrivés."]),
    ("Il a conclu. \"Nous partons demain\", a-t-il dit.", ["Il a conclu.", "\"Nous partons demain\", a-t-il dit."]),
    ("\"Nous avons frappé 40 cibles\", a affirmé le ministère.",
     ["\"Nous avons frappé 40 cibles\", a affirmé le ministère."]),
])
def test_sentences(text: str, sentences: list[str]) -> None:
    assert [s.text.strip() for s in pipeline()(text).sents if s.text.strip()] == sentences


def test_quotation_mark_stays_with_its_words() -> None:
    doc = pipeline()("Il a qualifié d'\"erreur fondamentale\" cette décision.")
    assert [t.text for t in doc[:6]] == ["Il", "a", "qualifié", "d'", "\"", "erreur"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("abcéM. \"«»“”,:-'\n") + ["a dit ", "selon ", "l'OSDH ", "Il ", "« "]),
                max_size=40).map("".join))
def test_quotes_never_crash_and_spans_match(text: str) -> None:
    for row in quote_rows(text, date(2016, 2, 1)):
        assert text[row["start"]:row["end"]] == row["text"]
        if row["speaker_surface"] is not None:
            assert text[row["speaker_start"]:row["speaker_end"]] == row["speaker_surface"]
        assert row["quote_type"] in {"direct", "partial"}


def test_quotes_of_an_article_without_date() -> None:
    _, doc, mentions, _ = article("\"Le ministre russe de la Défense ment\", a dit l'OSDH.", published=None)
    assert all(m["actor_id"] != "sergei-shoigu" for m in mentions)  # no date, no title holder


ARTICLES = HERE / "articles"
EXPECTED = json.loads((ARTICLES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_articles_written_for_the_tests(name: str) -> None:
    """Whole articles of other days of the war, with speakers and groups the registry lacks."""
    text = (ARTICLES / name).read_text(encoding="utf-8")
    published = date.fromisoformat(name.rsplit("_", 1)[1][:10])
    row, doc, mentions, _ = article(text, published)
    rows = quotes.extract(row, doc, mentions, reference())
    expected = EXPECTED[name]
    assert [[r["text"], r["quote_type"], r["speaker_actor_id"]] for r in rows] == expected["quotes"]
    found = {m["actor_id"] for m in mentions}
    assert set(expected["actors"]) <= found
    assert not set(expected["not_actors"]) & found
