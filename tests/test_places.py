"""Places: gazetteer matching with homonyms, governorate cues, roles and UCDP where-precision."""
from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depeche.pipeline.places import build_gazetteer, find_places

COLUMNS = ["place_id", "name", "name_fr", "aliases", "admin1", "country_iso3", "latitude", "longitude",
           "geonames_id", "feature_type", "parent_place_id"]
ROWS = [
    ("syr", "Syria", "Syrie", "Syrie", None, "SYR", None, None, "163843", "country", None),
    ("irq", "Iraq", "Irak", "Irak", None, "IRQ", None, None, "99237", "country", None),
    ("irn", "Iran", "Iran", "Iran", None, "IRN", None, None, None, "country", None),
    ("caspian", "Caspian Sea", "mer Caspienne", "mer Caspienne|Caspienne", None, None, None, None, None, "sea", None),
    ("homs-gov", "Homs Governorate", "province de Homs", "Homs", "Homs", "SYR", None, None, None, "governorate", "syr"),
    ("homs", "Homs", "Homs", "Homs", "Homs", "SYR", "34.73", "36.71", None, "city", "homs-gov"),
    ("raqqa-gov", "Raqqa Governorate", "province de Raqa", "Raqa", "Raqqa", "SYR", None, None, None, "governorate", "syr"),
    ("aleppo-gov", "Aleppo Governorate", "province d'Alep", "Alep", "Aleppo", "SYR", None, None, None, "governorate", "syr"),
    ("aleppo", "Aleppo", "Alep", "Alep", "Aleppo", "SYR", None, None, None, "city", "aleppo-gov"),
    ("damascus-gov", "Damascus", "province de Damas", "Damas", "Damascus", "SYR", None, None, None, "governorate", "syr"),
    ("palmyra", "Palmyra", "Palmyre", "Palmyre|Tadmor", "Homs", "SYR", None, None, None, "city", "homs-gov"),
    ("mansoura-aleppo", "Al-Mansoura (Aleppo)", "Mansoura", "Mansoura", "Aleppo", "SYR", None, None, None, "village", None),
    ("mansoura-raqqa", "Al-Mansoura (Raqqa)", "Mansoura", "Mansoura", "Raqqa", "SYR", None, None, None, "town", None),
    ("qaryatayn", "Al-Qaryatayn", "Qaryatayn", "Qaryatayn|al-Qaryatayn", "Homs", "SYR", None, None, None, "town", None),
    ("ghab", "Al-Ghab Plain", "plaine du Ghab", "Ghab", "Hama", "SYR", None, None, None, "region", None),
    ("moscow", "Moscow", "Moscou", "Moscou", None, "RUS", None, None, None, "city", None),
]
GAZETTEER = build_gazetteer(pl.DataFrame(ROWS, schema=COLUMNS, orient="row"))


def places_in(text: str, actors: list[str] = ()) -> list[tuple[str, str | None, int, str]]:
    spans = [(text.index(a), text.index(a) + len(a)) for a in actors]
    found = find_places(text, GAZETTEER, spans, [(0, len(text))])
    for place in found:
        assert text[place.start:place.end] == place.surface
    return [(p.place_id, p.admin1, p.where_precision, p.role) for p in found]


@pytest.mark.parametrize("text, expected", [
    # 'province de X' is the governorate; a bare name is the city
    ("des frappes dans la province de Homs", [("homs-gov", "Homs", 4, "location")]),
    ("des frappes à Homs", [("homs", "Homs", 1, "location")]),
    ("un atelier au nord de Homs", [("homs", "Homs", 2, "location")]),
    ("les provinces de Raqa et d'Alep", [("raqqa-gov", "Raqqa", 4, "location"), ("aleppo-gov", "Aleppo", 4, "location")]),
    ("les provinces de Homs, de Damas et Alep",
     [("homs-gov", "Homs", 4, "location"), ("damascus-gov", "Damascus", 4, "location"),
      ("aleppo-gov", "Aleppo", 4, "location")]),
    ("quatre lieux dans la province de Raqa, et trois dans celle d'Alep",
     [("raqqa-gov", "Raqqa", 4, "location"), ("aleppo-gov", "Aleppo", 4, "location")]),
    ("autour de Palmyre", [("palmyra", "Homs", 2, "location")]),
    ("la région de Qaryatayn", [("qaryatayn", "Homs", 2, "location")]),
    ("dans la plaine du Ghab", [("ghab", "Hama", 2, "location")]),
    # countries and seas only after a locative word
    ("des frappes en Syrie et en Irak", [("syr", None, 6, "location"), ("irq", None, 6, "location")]),
    ("la Syrie a démenti", []),
    ("des croiseurs de la flottille de la mer Caspienne", []),
    ("des croiseurs en mer Caspienne", [("caspian", None, 7, "location")]),
    # where the missiles came from and what they flew over is not where they struck
    ("tirés depuis la Caspienne, survolant l'Iran et l'Irak avant de frapper en Syrie",
     [("caspian", None, 7, "origin"), ("irn", None, 6, "path"), ("irq", None, 6, "path"), ("syr", None, 6, "location")]),
    # homonyms: the governorate named in the sentence decides, else nothing is guessed
    ("la province d'Alep, touchant un dépôt à Mansoura", [("aleppo-gov", "Aleppo", 4, "location"),
                                                        ("mansoura-aleppo", "Aleppo", 1, "location")]),
    ("un dépôt à Mansoura, province de Raqa", [("mansoura-raqqa", "Raqqa", 1, "location"),
                                             ("raqqa-gov", "Raqqa", 4, "location")]),
    ("un dépôt à Mansoura", []),
    # a governorate named again
    ("des raids dans la province de Homs. Le régime a tiré des roquettes dans la province.",
     [("homs-gov", "Homs", 4, "location"), ("homs-gov", "Homs", 4, "location")]),
    ("dans cette même province", []),
])
def test_places_and_their_precision(text, expected):
    assert places_in(text) == expected


def test_a_name_that_is_also_an_actor_is_a_place_only_after_a_locative_word():
    assert places_in("le régime de Damas a annoncé", actors=["Damas"]) == []
    assert places_in("A Moscou, le ministère a annoncé", actors=["Moscou"]) == [("moscow", None, 1, "location")]
    assert places_in("les provinces de Damas et de Homs", actors=["Damas"])[0][0] == "damascus-gov"


@settings(max_examples=150)
@given(st.lists(st.sampled_from(["Homs", "province", "de", "d'", "Alep", "Mansoura", "à", "en", "Syrie", "la",
                                 "dans", "celle", "et", ",", "Caspienne", "depuis", "survolant", "l'Iran", "même",
                                 "cette"]) | st.text(max_size=5), max_size=30).map(" ".join))
def test_any_text_gives_places_whose_spans_match(text):
    for place in find_places(text, GAZETTEER, [], [(0, len(text))]):
        assert text[place.start:place.end] == place.surface
        assert 1 <= place.where_precision <= 7
