"""Bounded cost: no input makes a stage hang, and every span any stage emits matches the text.

A hang is caught by an alarm (a bound, not a speed target: the benchmark measures speed).
"""
from __future__ import annotations

import signal
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depeche.pipeline.ingest import BadInput, check, clean, decode, detect_outlet, infer_publication_date

HANG_SECONDS = 30


@contextmanager
def no_hang(seconds: int = HANG_SECONDS):
    def alarm(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: treated as a hang")
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


MEGABYTE_LINES = {
    "digits": "1" * 1_000_000,
    "digit groups": "240.000 " * 125_000,
    "quotes": '"' * 1_000_000,
    "guillemets": "« " * 500_000,
    "brackets": "[" * 500_000 + "]" * 500_000,
    "question marks": "l?" * 500_000,
    "headers": "date 2021-10 " * 80_000,
    "weekdays": "le 7 octobre 2015 mercredi au 11e jour de son intervention russe " * 15_000,
    "boilerplate": "Modifié Publié agences/xy >> Lire : " * 30_000,
}


@pytest.mark.parametrize("name", MEGABYTE_LINES)
def test_text_stages_are_linear_on_megabyte_lines(reference, name):
    line = MEGABYTE_LINES[name]
    with no_hang():
        text, edits, _ = clean(line, reference)
        infer_publication_date(text, reference)
        detect_outlet(text, reference)
        with pytest.raises(BadInput):
            check(line.encode(), line)
    for edit in edits:
        assert line[edit["raw_start"]:edit["raw_end"]] == edit["removed"]


TOKENS = [
    "La Russie", "Moscou", "l'OSDH", "a indiqué", "a-t-il déclaré", "selon", "d'après", "M. Poutine", "le général",
    "plus de", "au moins", "près de", "une dizaine de", "des dizaines de", "240.000", "1,5", "90%", "26", "112",
    "deux", "vingt-six", "morts", "cibles", "missiles", "km", "mercredi", "mardi soir", "le 30 septembre",
    "dans la province de Hama", "à Alep", "Idleb", "frappes", "raids", "offensive", "a lancé", "ont été tués",
    '"', "«", "»", "“", "”", "(", ")", "[", "]", ",", ".", ":", "-", "\n\n", "\n", "?", "l'", "qu'", "11e jour",
    "Etat islamique", "EI", "rebelles", "armée syrienne", "Pentagone", "il", "elle", "ne", "pas", "pourrait",
]


@pytest.fixture(scope="module")
def nlp(reference):
    from depeche.pipeline.nlp import load_pipeline

    return load_pipeline(reference)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=120).map(" ".join),
       st.sampled_from([None, "2015-10-07"]))
def test_every_stage_emits_valid_spans_on_adversarial_text(reference, nlp, text, published):
    from datetime import date

    from depeche.pipeline.extract import extract_article

    article = {"article_id": "art_0000000000000000", "text": text,
               "published_date": date.fromisoformat(published) if published else None}
    with no_hang():
        rows = extract_article(article, nlp(text), reference)
    for mention in rows.actor_mentions:
        assert text[mention["start"]:mention["end"]] == mention["surface"]
    for quote in rows.quotes:
        assert text[quote["start"]:quote["end"]] == quote["text"]
        if quote["speaker_start"] is not None:
            assert text[quote["speaker_start"]:quote["speaker_end"]] == quote["speaker_surface"]
    for figure in rows.figures:
        assert text[figure["start"]:figure["end"]] == figure["surface"]
        assert figure["value_low"] is None or figure["value_low"] <= figure["value"]
        assert figure["value_high"] is None or figure["value"] <= figure["value_high"]
    for report in rows.event_reports:
        assert text[report["start"]:report["end"]] == report["surface"]


@pytest.mark.parametrize("data", [b"\xff\xfe" + b"\x00" * 1001, b"\xfe\xff\xd8\x00", bytes(range(256)) * 100])
def test_undecodable_or_binary_bytes_are_rejected_not_raised(data):
    with no_hang():
        try:
            text, _ = decode(data)
            check(data, text)
        except BadInput as err:
            assert str(err)
        else:
            pytest.fail("binary data accepted")
