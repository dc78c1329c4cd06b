"""Actor mentions: registry names, titles, descriptions, nationality adjectives, NER entities; places and makes of
equipment are not actors. Texts are written for these tests (other days and places of the war)."""
from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depeche.pipeline.actors import title_holder
from depeche.pipeline.resolve import actors_table
from depeche.schema import TABLES
from depeche.text import fold
from tests.fixtures.actors.support import article, reference


def _actors(text: str, published: date | None = date(2015, 10, 12), name: str = "packaged") -> dict[str, set[str]]:
    """actor_id -> surfaces of its mentions."""
    _, _, mentions, _ = article(text, published, name)
    found: dict[str, set[str]] = {}
    for m in mentions:
        assert text[m["start"]:m["end"]] == m["surface"]
        found.setdefault(m["actor_id"], set()).add(m["surface"])
    return found


@pytest.mark.parametrize(("text", "present", "absent"), [
    pytest.param("Le régime de Bachar al-Assad a repris Morek.", {"syr-gov", "bashar-al-assad"}, set(),
                 id="nested-name"),
    pytest.param("Moscou a démenti toute frappe sur des civils.", {"rus"}, set(), id="capital-as-state"),
    pytest.param("Le ministre a atterri à Moscou puis s'est rendu en Syrie.", set(), {"rus", "syr"},
                 id="capital-and-country-as-places"),
    pytest.param("Les missiles ont survolé l'Iran et l'Irak.", set(), {"irn", "irq"}, id="place-verb-and-conjunct"),
    pytest.param("Les combats ont repris dans le nord de la Syrie.", set(), {"syr"}, id="place-noun"),
    pytest.param("Vladimir Poutine a reçu les chefs militaires, tandis que son ministre de la Défense partait pour "
                 "Damas.", {"vladimir-putin", "sergei-shoigu"}, set(), id="possessive-title"),
    pytest.param("A Ankara, le ministère des Affaires étrangères a convoqué l'ambassadeur russe.", {"tur-mfa"},
                 set(), id="nationality-from-the-capital-nearby"),
    pytest.param("Les bombardements de l'aviation et de la marine russes se sont intensifiés.",
                 {"rus-aerospace-forces", "rus-navy"}, set(), id="shared-nationality"),
    pytest.param("Trois villages ont été repris, a indiqué une source militaire jordanienne.", {"jor"}, set(),
                 id="demonym-on-a-source"),
    pytest.param("Les frappes russes ont touché l'espace aérien syrien.", set(), {"rus", "syr"},
                 id="bare-demonyms-describe"),
    pytest.param("Le chef de la diplomatie française Laurent Fabius a reçu des rebelles. L'entourage du président "
                 "français a démenti.", {"laurent-fabius", "fra-presidency"}, set(), id="entourage-is-the-office"),
    pytest.param("Des chasseurs Sukhoi ont décollé de Hmeimim vers Khan Cheikhoun.", set(),
                 {"x-sukhoi", "x-khan-cheikhoun", "x-hmeimim"}, id="equipment-and-places-are-not-actors"),
])
def test_mentions(text: str, present: set[str], absent: set[str]) -> None:
    found = _actors(text)
    assert present <= set(found)
    assert not absent & set(found)


@pytest.mark.parametrize(("text", "surface", "actor_id"), [
    pytest.param("Le porte-parole de l'armée russe, le général Igor Konachenkov, a parlé. Le général a ajouté "
                 "que les cibles étaient détruites.", "général", "igor-konashenkov", id="le-general"),
    pytest.param("Human Rights Watch a publié un rapport. L'ONG accuse Damas.", "ONG", "hrw", id="l-ong"),
    pytest.param("Des raids ont tué 15 civils selon une ONG. L'Observatoire syrien des droits de l'homme a "
                 "précisé le bilan.", "ONG", "sohr", id="une-ong-named-later"),
    pytest.param("La coalition internationale a frappé Raqa. La coalition a perdu un drone.", "coalition",
                 "us-led-coalition", id="la-coalition"),
    pytest.param("Le ministère russe de la Défense a publié une vidéo. Le ministère a ensuite précisé le nombre "
                 "de sorties.", "ministère", "rus-mod", id="le-ministere"),
])
def test_descriptions(text: str, surface: str, actor_id: str) -> None:
    found = _actors(text)
    assert surface in found.get(actor_id, set())


def test_titles_resolve_on_the_article_date() -> None:
    text = "Le ministre russe de la Défense a inspecté la base."
    assert "sergei-shoigu" in _actors(text, date(2015, 10, 12))
    assert "sergei-shoigu" not in _actors(text, date(2025, 1, 10))
    assert "sergei-shoigu" not in _actors(text, None)


def test_title_with_an_open_start_date() -> None:
    key = fold("porte-parole du ministère russe de la Défense")
    assert title_holder(key, date(2015, 10, 7), reference()) == "igor-konashenkov"


def test_unknown_person_is_provisional_and_linked_by_surname() -> None:
    text = ("Le commandant rebelle Abou Hamza al-Chami a été tué à Alep. "
            "M. al-Chami dirigeait une brigade. Des partisans d'al-Chami ont manifesté.")
    _, _, mentions, provisional = article(text)
    ids = {m["actor_id"] for m in mentions if "Chami" in m["surface"]}
    assert ids == {"x-abou-hamza-al-chami"}
    assert [a.actor_id for a in provisional] == ["x-abou-hamza-al-chami"]


def test_unknown_organisation_after_an_organisation_noun() -> None:
    found = _actors("L'association Syria Relief a ouvert un dispensaire à Idleb.")
    assert "x-syria-relief" in found and "syr" not in found


def test_a_small_registry_keeps_unknown_entities() -> None:
    found = _actors("Le Comité international de la Croix-Rouge a donné un bilan, comme l'OSDH.", name="reference")
    assert "sohr" in found
    assert any(actor.startswith("x-") for actor in found)


def test_mention_ids_are_content_derived() -> None:
    text = "La Turquie a abattu un avion russe près de la frontière. Ankara dit avoir prévenu Moscou."
    first = article(text)[2]
    assert first == article(text)[2]
    assert len({m["mention_id"] for m in first}) == len(first)


def test_actors_table_includes_ancestors_and_provisional_actors() -> None:
    _, _, mentions, provisional = article("Sergueï Choïgou et Abou Hamza al-Chami ont parlé.")
    table = actors_table(pl.DataFrame(mentions, schema=TABLES["actor_mentions"].polars_schema), provisional,
                         reference())
    ids = set(table["actor_id"])
    assert {"sergei-shoigu", "rus-mod", "rus-gov", "rus", "x-abou-hamza-al-chami"} <= ids
    assert table.filter(pl.col("actor_id") == "x-abou-hamza-al-chami")["provisional"].to_list() == [True]


WORDS = ["Moscou ", "en Syrie ", "le général ", "son ministre ", "l'ONG ", "syrienne ", "Ali Hassan "]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("abcéM. \"«»,:-'\n") + WORDS),
                max_size=30).map("".join))
def test_mentions_never_crash_and_spans_match(text: str) -> None:
    _actors(text)
