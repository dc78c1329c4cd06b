"""Ingest: decoding, rejection of bad files, recorded cleaning, publication-date inference."""
from __future__ import annotations

import codecs
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depeche.pipeline.ingest import (
    BadInput, RawFile, article_id, check, clean, decode, detect_outlet, infer_publication_date, ingest,
)

ARTICLE = (
    "La Russie a mené jeudi de nouvelles frappes en Syrie contre des positions du groupe Etat islamique, "
    "selon le ministère russe de la Défense, qui dit avoir touché plusieurs cibles dans la province de Hama."
)


@pytest.mark.parametrize("data, encoding", [
    (ARTICLE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig"),
    (ARTICLE.encode("utf-16"), "utf-16"),
    (ARTICLE.encode("utf-16-le"), "utf-16-le"),
    (ARTICLE.encode("latin-1"), "cp1252"),
])
def test_decodable_text_is_decoded_not_rejected(data, encoding):
    text, found = decode(data)
    assert text == ARTICLE
    assert found == encoding


def test_crlf_and_decomposed_accents_are_normalised():
    text, _ = decode("Ligne une.\r\nLigne deux, État.\r\n".replace("É", "E\u0301").encode("utf-8"))
    assert text == "Ligne une.\nLigne deux, État.\n"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\t\n", "empty"),
    (b"\x00\x01\x02binary\x00\xff", "binary"),
    (b"<!DOCTYPE html><html><body>" + ARTICLE.encode() + b"</body></html>", "HTML"),
    (b"date 2021-10 ", "too short"),
    (b"Russian warplanes struck targets in Syria on Wednesday, the defence ministry in Moscow said, adding that "
     b"the campaign would continue for as long as needed and that many sorties had been flown.", "not French"),
    (ARTICLE.encode() * 20_000, "too large"),
])
def test_bad_files_are_rejected_with_a_reason(data, reason):
    with pytest.raises(BadInput, match=reason):
        check(data, decode(data)[0])


def test_ingest_collects_every_bad_file_and_duplicates(reference):
    files = [
        RawFile("good.txt", ARTICLE.encode()),
        RawFile("copy of good.txt", ARTICLE.encode("utf-16")),
        RawFile("empty.txt", b""),
        RawFile("binary.txt", b"\x00\x01\x02"),
    ]
    result = ingest(files, reference)
    assert result.articles["source_file"].to_list() == ["copy of good.txt"]
    reasons = {r.source_file: r.reason for r in result.rejected}
    assert set(reasons) == {"good.txt", "empty.txt", "binary.txt"}
    assert reasons["good.txt"].startswith("duplicate: same text as copy of good.txt")


@pytest.mark.parametrize("raw, expected, rules", [
    (" date 2021-10 " + ARTICLE, ARTICLE, {"header"}),
    ("Modifié\n\n" + ARTICLE, ARTICLE, {"boilerplate"}),
    (ARTICLE + "\n\nRecevez l'actualité gratuitement S'inscrire", ARTICLE, {"boilerplate", "whitespace"}),
    (ARTICLE + "\n\n>> Lire : Moscou et Washington se parlent\n\nSuite.", ARTICLE + "\n\nSuite.", {"read_more_link"}),
    (ARTICLE + "\n\nagences/jvia\n\nPublié Modifié\n\nSuite.", ARTICLE + "\n\nSuite.", {"signature", "boilerplate"}),
    ("Des avions russes. [AFP - John Doe]\n" + ARTICLE, "Des avions russes.\n" + ARTICLE, {"photo_credit"}),
    ("L?Observatoire et l?État, qu?il dit.", "L'Observatoire et l'État, qu'il dit.", {"apostrophe_repair"}),
])
def test_cleaning_rules(reference, raw, expected, rules):
    text, edits, _ = clean(raw, reference)
    assert text == expected
    assert {e["rule"] for e in edits} == rules


@pytest.mark.parametrize("sentence", [
    "Qu'est ce qu'un 'terroriste' ? Personne ne le sait.",
    "Pourquoi ? Parce que.",
    "Et maintenant?",
])
def test_real_question_marks_survive(reference, sentence):
    assert clean(sentence, reference)[0] == sentence


def test_header_date_is_kept_apart(reference):
    _, _, header = clean(" date 2021-10 " + ARTICLE, reference)
    assert header == "2021-10"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("ab ?'\n\t[]-/>:lLdé") + ["Modifié", "agences/xy", "date 2021-10 "]),
                max_size=60).map("".join))
def test_every_edit_points_at_what_it_removed(reference, raw):
    text, edits, _ = clean(raw, reference)
    for edit in edits:
        assert raw[edit["raw_start"]:edit["raw_end"]] == edit["removed"]
    removed = sum(e["raw_end"] - e["raw_start"] for e in edits)
    assert len(text) == len(raw) - removed + sum(len(e["inserted"]) for e in edits)


@pytest.mark.parametrize("text, expected", [
    ("Les raids russes se sont intensifiés dimanche, au 5e jour de son intervention en Syrie.", date(2015, 10, 4)),
    ("Au lendemain des premiers bombardements de l'aviation russe, jeudi, Moscou a promis d'autres frappes.",
     date(2015, 10, 1)),
    ("Mercredi, deux semaines après le début de l'intervention russe, Moscou a frappé Alep.", date(2015, 10, 14)),
    ("Le ministre a parlé mardi. Publié le 13 octobre 2015 à 10h.", date(2015, 10, 13)),
    ("Le Kremlin a réagi mercredi / le 7 octobre 2015, selon Moscou.", date(2015, 10, 7)),
])
def test_publication_date_from_text_evidence(reference, text, expected):
    found, evidence = infer_publication_date(text, reference)
    assert found == expected
    assert evidence and expected.isoformat() in evidence


@pytest.mark.parametrize("text", [
    "Les forces du régime ont lancé vendredi une offensive au sud d'Alep.",            # weekday, no anchor
    "Les raids russes se sont intensifiés lundi, au 5e jour de son intervention.",     # weekday disagrees
    "La campagne russe a commencé le 30 septembre 2015 et se poursuit.",              # a past event's date
    "La coalition américaine, au 5e jour de son intervention, et la Russie ont frappé dimanche.",  # two campaigns
])
def test_no_publication_date_without_support(reference, text):
    assert infer_publication_date(text, reference) == (None, None)


def test_outlet_detected_from_the_text(reference):
    assert detect_outlet("D'après cette carte, l'AFP est arrivée à la conclusion que...", reference)[0] == "AFP"
    assert detect_outlet("Un texte sans agence.", reference) == (None, None)


def test_article_id_depends_on_text_not_name_or_encoding():
    assert article_id(decode(ARTICLE.encode("utf-16"))[0]) == article_id(decode(ARTICLE.encode())[0])
    assert article_id(ARTICLE) != article_id(ARTICLE + " ")
