"""Integrity checks for the curated reference data in dataset/reference/.

Standard library (csv, re, datetime, unicodedata) + pytest only.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

REF = Path(__file__).resolve().parent.parent / "dataset" / "reference"

ACTOR_COLUMNS = ["actor_id", "name", "actor_type", "country_iso3", "parent_actor_id", "wikidata_qid", "aliases"]
TITLE_COLUMNS = ["actor_id", "title", "valid_from", "valid_to"]
GAZ_COLUMNS = [
    "place_id", "name", "name_fr", "aliases", "admin1", "country_iso3",
    "latitude", "longitude", "geonames_id", "feature_type", "parent_place_id",
]
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
ISO3_RE = re.compile(r"^[A-Z]{3}$")
QID_RE = re.compile(r"^Q[0-9]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ACTOR_TYPES = {"state", "government", "military", "armed_group", "person", "igo", "ngo", "media", "coalition", "other"}
FEATURE_TYPES = {"country", "governorate", "city", "town", "village", "site", "region", "sea", "military_base"}
ADMIN1_SYRIA = [
    "Aleppo", "Idlib", "Hama", "Homs", "Latakia", "Raqqa", "Deir ez-Zor", "Damascus",
    "Rif Dimashq", "Tartus", "Daraa", "Hasakah", "Quneitra", "As-Suwayda",
]
# Syria's bounding box (generous by a few km).
SYR_LAT = (32.3, 37.4)
SYR_LON = (35.6, 42.4)

# Aliases that may legitimately point to two different actors. Each needs a reason.
# Empty on purpose: every alias currently resolves to exactly one actor.
ACTOR_ALIAS_ALLOWLIST: dict[str, str] = {}

# Aliases that begin with a French article but where the article is part of a surname.
ARTICLE_ALIAS_ALLOWLIST = {
    "le drian": "surname Le Drian (Jean-Yves Le Drian)",
    "le foll": "surname Le Foll (Stéphane Le Foll)",
}

# Syrian place aliases shared by two places in the SAME governorate (not a governorate and
# a place inside it). Each needs a reason. Empty on purpose.
SYRIAN_HOMONYM_ALLOWLIST: dict[str, str] = {}

# Regions/sites that span several governorates and so have no single admin1.
MULTI_GOVERNORATE_TYPES = {"region", "site"}


# ---------------------------------------------------------------- helpers

def fold(text: str) -> str:
    """Case- and accent-insensitive key, with typographic apostrophes normalised."""
    text = text.replace("\u2019", "'").replace("\u02bc", "'").replace("\u00a0", " ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ı", "i")  # Turkish dotless i
    return re.sub(r"\s+", " ", text).strip().casefold()


ARTICLE_RE = re.compile(r"^(?:le|la|les)\s+|^l'")


def strip_article(folded: str) -> str:
    return ARTICLE_RE.sub("", folded)


def alias_key(text: str) -> str:
    return strip_article(fold(text))


def split_aliases(cell: str) -> list[str]:
    return [a for a in cell.split("|")] if cell else []


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(REF / name, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [dict(zip(header, r)) for r in reader]
        f.seek(0)
        widths = {len(r) for r in csv.reader(f)}
    assert widths == {len(header)}, f"{name}: rows with differing field counts {widths}"
    return header, rows


def find_cycles(parent: dict[str, str]) -> list[str]:
    """Return ids that sit on (or lead into) a parent cycle."""
    bad = []
    for start in parent:
        seen = set()
        node = start
        while node:
            if node in seen:
                bad.append(start)
                break
            seen.add(node)
            node = parent.get(node, "")
    return bad


def alias_collisions(entries: dict[str, list[str]]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for owner, aliases in entries.items():
        for a in aliases:
            index[alias_key(a)].add(owner)
    return {k: v for k, v in index.items() if len(v) > 1}


def overlaps(a_from: str, a_to: str, b_from: str, b_to: str) -> bool:
    lo, hi = "0000-01-01", "9999-12-31"
    return (a_from or lo) <= (b_to or hi) and (b_from or lo) <= (a_to or hi)


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def actors():
    header, rows = read("actors.csv")
    assert header == ACTOR_COLUMNS
    return rows


@pytest.fixture(scope="module")
def actor_ids(actors):
    return {r["actor_id"] for r in actors}


@pytest.fixture(scope="module")
def titles():
    header, rows = read("actor_titles.csv")
    assert header == TITLE_COLUMNS
    return rows


@pytest.fixture(scope="module")
def places():
    header, rows = read("gazetteer.csv")
    assert header == GAZ_COLUMNS
    return rows


@pytest.fixture(scope="module")
def place_by_id(places):
    return {r["place_id"]: r for r in places}


# ---------------------------------------------------------------- self-tests of the checkers

def test_helpers_detect_problems():
    assert alias_key("L’Observatoire") == "observatoire"
    assert alias_key("les Etats-Unis") == alias_key("États-Unis")
    assert alias_key("Erdoğan") == alias_key("erdogan")
    assert find_cycles({"a": "b", "b": "a", "c": ""}) == ["a", "b"]
    assert find_cycles({"a": "b", "b": "", "c": "a"}) == []
    assert alias_collisions({"x": ["Daech"], "y": ["daech"]}) == {"daech": {"x", "y"}}
    assert overlaps("2015-01-01", "", "2016-01-01", "2016-02-01")
    assert not overlaps("2012-01-01", "2014-12-31", "2015-01-01", "")


# ---------------------------------------------------------------- actors.csv

def test_actor_headers_exact():
    header, _ = read("actors.csv")
    assert header == ACTOR_COLUMNS


def test_actor_ids_unique_and_well_formed(actors):
    ids = [r["actor_id"] for r in actors]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"duplicate actor_id: {dupes}"
    bad = [i for i in ids if not ID_RE.match(i)]
    assert not bad, f"malformed actor_id: {bad}"


def test_actor_required_fields(actors):
    for r in actors:
        assert r["name"].strip() == r["name"] and r["name"], r["actor_id"]
        assert r["actor_type"] in ACTOR_TYPES, (r["actor_id"], r["actor_type"])
        assert r["country_iso3"] == "" or ISO3_RE.match(r["country_iso3"]), (r["actor_id"], r["country_iso3"])
        assert r["aliases"], f"{r['actor_id']} has no alias"


def test_states_use_their_iso3_as_id(actors):
    for r in actors:
        if r["actor_type"] == "state":
            assert r["actor_id"] == r["country_iso3"].lower(), r["actor_id"]
            assert r["parent_actor_id"] == "", r["actor_id"]


def test_qids_well_formed_and_unique(actors):
    seen: dict[str, str] = {}
    for r in actors:
        q = r["wikidata_qid"]
        if not q:
            continue
        assert QID_RE.match(q), (r["actor_id"], q)
        assert q not in seen, f"{q} used by {seen.get(q)} and {r['actor_id']}"
        seen[q] = r["actor_id"]


def test_known_qids(actors):
    by_id = {r["actor_id"]: r["wikidata_qid"] for r in actors}
    for aid, q in {"rus": "Q159", "usa": "Q30", "fra": "Q142", "tur": "Q43", "syr": "Q858", "irn": "Q794",
                   "irq": "Q796", "vladimir-putin": "Q7747", "francois-hollande": "Q157",
                   "bashar-al-assad": "Q44329", "nato": "Q7184", "un": "Q1065", "isil": "Q2429253",
                   "al-qaeda": "Q34490", "afp": "Q40464", "us-dod": "Q11209", "eu": "Q458",
                   "barack-obama": "Q76"}.items():
        assert by_id.get(aid) == q, aid


def test_parents_exist_and_acyclic(actors, actor_ids):
    parent = {r["actor_id"]: r["parent_actor_id"] for r in actors}
    missing = {(a, p) for a, p in parent.items() if p and p not in actor_ids}
    assert not missing, f"unknown parent_actor_id: {missing}"
    selfref = [a for a, p in parent.items() if a == p]
    assert not selfref
    assert not find_cycles(parent), f"parent cycles through {find_cycles(parent)}"


def test_persons_have_parents_or_are_notable_outsiders(actors):
    # Persons without a parent are allowed only for people holding no relevant office in 2015.
    allowed = {"hafez-al-assad", "hillary-clinton", "donald-trump"}
    orphans = {r["actor_id"] for r in actors if r["actor_type"] == "person" and not r["parent_actor_id"]}
    assert orphans <= allowed, orphans - allowed


def test_aliases_clean(actors):
    for r in actors:
        for a in split_aliases(r["aliases"]):
            assert a and a == a.strip() and "  " not in a, (r["actor_id"], a)
            f = fold(a)
            if ARTICLE_RE.match(f):
                assert f in ARTICLE_ALIAS_ALLOWLIST, f"{r['actor_id']}: alias with leading article {a!r}"


def test_no_alias_maps_to_two_actors(actors):
    entries = {r["actor_id"]: split_aliases(r["aliases"]) for r in actors}
    clashes = {k: v for k, v in alias_collisions(entries).items() if k not in ACTOR_ALIAS_ALLOWLIST}
    assert not clashes, f"ambiguous aliases: {clashes}"


def test_alias_allowlist_is_not_stale(actors):
    entries = {r["actor_id"]: split_aliases(r["aliases"]) for r in actors}
    live = alias_collisions(entries)
    assert set(ACTOR_ALIAS_ALLOWLIST) <= set(live)


@pytest.mark.parametrize("surface, actor_id", [
    ("EI", "isil"), ("Etat islamique", "isil"), ("Daech", "isil"), ("groupe Etat islamique", "isil"),
    ("Front Al-Nosra", "al-nusra-front"), ("Fatah al-Cham", "al-nusra-front"),
    ("Jaich al-Fatah", "jaysh-al-fatah"), ("Armée de la conquête", "jaysh-al-fatah"),
    ("Ahrar al-Cham", "ahrar-al-sham"), ("ASL", "fsa"), ("Armée syrienne libre", "fsa"),
    ("OSDH", "sohr"), ("Observatoire syrien des droits de l'homme", "sohr"),
    ("Rami Abdel Rahmane", "rami-abdulrahman"), ("Abdel Rahmane", "rami-abdulrahman"),
    ("Bachar al-Assad", "bashar-al-assad"), ("Bachar al Assad", "bashar-al-assad"),
    ("Poutine", "vladimir-putin"), ("Sergueï Choïgou", "sergei-shoigu"), ("Choïgou", "sergei-shoigu"),
    ("Sergueï Lavrov", "sergei-lavrov"), ("Igor Konachenkov", "igor-konashenkov"),
    ("Ashton Carter", "ashton-carter"), ("John Kerry", "john-kerry"), ("François Hollande", "francois-hollande"),
    ("Khaled Khoja", "khaled-khoja"),
    ("Moscou", "rus"), ("Kremlin", "rus-presidency"), ("Washington", "usa"), ("Maison Blanche", "us-white-house"),
    ("Paris", "fra"), ("Elysée", "fra-presidency"), ("Damas", "syr-gov"), ("Ankara", "tur"), ("Téhéran", "irn"),
    ("Pentagone", "us-dod"), ("Quai d'Orsay", "fra-mfa"), ("département d'Etat", "us-state-dept"),
    ("régime syrien", "syr-gov"), ("régime de Damas", "syr-gov"), ("régime Assad", "syr-gov"),
    ("pouvoir syrien", "syr-gov"),
    ("armée syrienne", "syr-army"), ("armée du régime", "syr-army"), ("forces du régime", "syr-army"),
    ("forces gouvernementales", "syr-army"),
    ("aviation russe", "rus-aerospace-forces"), ("avions russes", "rus-aerospace-forces"),
    ("forces aériennes russes", "rus-aerospace-forces"),
    ("marine russe", "rus-navy"), ("flottille de la mer Caspienne", "rus-caspian-flotilla"),
    ("flottille de la Caspienne", "rus-caspian-flotilla"), ("armée russe", "rus-armed-forces"),
    ("ministère russe de la Défense", "rus-mod"), ("diplomatie russe", "rus-mfa"),
    ("diplomatie française", "fra-mfa"),
    ("coalition internationale", "us-led-coalition"), ("coalition anti-EI", "us-led-coalition"),
    ("coalition menée par les États-Unis", "us-led-coalition"),
    ("coalition conduite par les Etats-Unis", "us-led-coalition"),
    ("rebelles", "syrian-rebels"), ("rebelles syriens", "syrian-rebels"),
    ("opposition syrienne", "syrian-opposition"), ("Coalition nationale syrienne", "syr-national-coalition"),
    ("milices progouvernementales", "ndf"), ("télévision syrienne", "syr-state-tv"), ("Sana", "sana"),
    ("Otan", "nato"), ("Alliance atlantique", "nato"), ("ONU", "un"), ("UE", "eu"), ("Oxfam", "oxfam"),
    ("AFP", "afp"), ("RIA Novosti", "ria-novosti"), ("Itar-Tass", "tass"), ("RTS", "rts"),
    ("CGRI", "irgc"), ("Hezbollah", "hezbollah"), ("Al-Qaïda", "al-qaeda"),
])
def test_corpus_surface_forms_resolve(actors, surface, actor_id):
    index: dict[str, set[str]] = defaultdict(set)
    for r in actors:
        for a in split_aliases(r["aliases"]):
            index[alias_key(a)].add(r["actor_id"])
    assert index.get(alias_key(surface)) == {actor_id}, surface


def test_actor_volume(actors):
    assert len(actors) >= 150
    types = {r["actor_type"] for r in actors}
    assert ACTOR_TYPES - {"other"} <= types


# ---------------------------------------------------------------- actor_titles.csv

def test_title_headers_exact():
    header, _ = read("actor_titles.csv")
    assert header == TITLE_COLUMNS


def test_titles_reference_actors_and_dates(titles, actor_ids):
    for r in titles:
        assert r["actor_id"] in actor_ids, r
        assert r["title"] and r["title"] == r["title"].strip(), r
        assert not ARTICLE_RE.match(fold(r["title"])), f"leading article in title {r['title']!r}"
        for col in ("valid_from", "valid_to"):
            if r[col]:
                assert DATE_RE.match(r[col]), r
                dt.date.fromisoformat(r[col])
        if r["valid_from"] and r["valid_to"]:
            assert r["valid_from"] <= r["valid_to"], r


def test_titles_unique_rows(titles):
    keys = [(r["actor_id"], fold(r["title"]), r["valid_from"]) for r in titles]
    assert len(keys) == len(set(keys))


def test_no_title_held_by_two_actors_at_once(titles):
    by_title: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in titles:
        by_title[alias_key(r["title"])].append(r)
    clashes = []
    for t, rows in by_title.items():
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if a["actor_id"] != b["actor_id"] and overlaps(a["valid_from"], a["valid_to"], b["valid_from"], b["valid_to"]):
                    clashes.append((t, a["actor_id"], b["actor_id"]))
    assert not clashes, clashes


@pytest.mark.parametrize("title, actor_id", [
    ("secrétaire américain à la Défense", "ashton-carter"), ("chef de la diplomatie russe", "sergei-lavrov"),
    ("président russe", "vladimir-putin"), ("président français", "francois-hollande"),
    ("ministre russe de la Défense", "sergei-shoigu"), ("directeur de l'OSDH", "rami-abdulrahman"),
    ("porte-parole du ministère russe de la Défense", "igor-konashenkov"),
])
def test_corpus_titles_valid_in_october_2015(titles, title, actor_id):
    day = "2015-10-07"
    holders = {r["actor_id"] for r in titles
               if alias_key(r["title"]) == alias_key(title) and overlaps(r["valid_from"], r["valid_to"], day, day)}
    assert holders == {actor_id}, title


# ---------------------------------------------------------------- gazetteer.csv

def test_gazetteer_headers_exact():
    header, _ = read("gazetteer.csv")
    assert header == GAZ_COLUMNS


def test_place_ids_unique_and_well_formed(places):
    ids = [r["place_id"] for r in places]
    assert len(ids) == len(set(ids)), {i for i in ids if ids.count(i) > 1}
    assert all(ID_RE.match(i) for i in ids)


def test_place_fields(places):
    for r in places:
        pid = r["place_id"]
        assert r["name"] and r["name_fr"] and r["aliases"], pid
        assert r["feature_type"] in FEATURE_TYPES, pid
        if r["feature_type"] == "sea":
            assert r["country_iso3"] == "" or ISO3_RE.match(r["country_iso3"]), pid
        else:
            assert ISO3_RE.match(r["country_iso3"]), pid
        if r["geonames_id"]:
            assert re.fullmatch(r"[1-9][0-9]*", r["geonames_id"]), pid
        for a in split_aliases(r["aliases"]):
            assert a and a == a.strip(), (pid, a)
            assert not ARTICLE_RE.match(fold(a)), f"{pid}: alias with leading article {a!r}"


def test_admin1_rules(places):
    for r in places:
        pid, adm = r["place_id"], r["admin1"]
        if r["country_iso3"] != "SYR":
            assert adm == "", f"{pid}: admin1 outside Syria"
        elif r["feature_type"] == "country":
            assert adm == "", pid
        elif r["feature_type"] in MULTI_GOVERNORATE_TYPES and adm == "":
            pass  # spans several governorates (documented in README)
        else:
            assert adm in ADMIN1_SYRIA, f"{pid}: admin1 {adm!r}"


def test_governorates_complete(places):
    govs = [r for r in places if r["feature_type"] == "governorate"]
    assert sorted(r["admin1"] for r in govs) == sorted(ADMIN1_SYRIA)
    assert all(r["country_iso3"] == "SYR" and r["parent_place_id"] == "syr" for r in govs)


def test_coordinates(places):
    for r in places:
        pid, lat, lon = r["place_id"], r["latitude"], r["longitude"]
        assert bool(lat) == bool(lon), f"{pid}: half a coordinate"
        if not lat:
            continue
        la, lo = float(lat), float(lon)
        assert -90 <= la <= 90 and -180 <= lo <= 180, pid
        if r["country_iso3"] == "SYR":
            assert SYR_LAT[0] <= la <= SYR_LAT[1] and SYR_LON[0] <= lo <= SYR_LON[1], f"{pid} outside Syria bbox"


def test_place_parents(places, place_by_id):
    for r in places:
        pid, parent = r["place_id"], r["parent_place_id"]
        if r["feature_type"] in {"country", "sea"}:
            assert parent == "", pid
            continue
        if parent:
            assert parent in place_by_id, f"{pid}: unknown parent {parent}"
        if r["country_iso3"] == "SYR":
            assert parent, f"{pid}: Syrian place without parent"
            # Walking up must reach the row of its own governorate (or syr for multi-governorate rows).
            chain, node = [], parent
            while node:
                chain.append(node)
                assert len(chain) < 10, f"{pid}: parent loop"
                node = place_by_id[node]["parent_place_id"]
            assert chain[-1] == "syr", pid
            if r["feature_type"] != "governorate" and r["admin1"]:
                gov = [place_by_id[c] for c in chain if place_by_id[c]["feature_type"] == "governorate"]
                assert gov and gov[0]["admin1"] == r["admin1"], f"{pid}: parent chain / admin1 mismatch"
            for c in chain[:-1]:
                assert place_by_id[c]["country_iso3"] == "SYR", pid


def test_syrian_aliases_unambiguous(places, place_by_id):
    syrian = [r for r in places if r["country_iso3"] == "SYR" and r["feature_type"] != "country"]
    index: dict[str, set[str]] = defaultdict(set)
    for r in syrian:
        for a in split_aliases(r["aliases"]) + [r["name"], r["name_fr"]]:
            index[alias_key(a)].add(r["place_id"])
    problems = []
    for key, pids in index.items():
        if len(pids) < 2 or key in SYRIAN_HOMONYM_ALLOWLIST:
            continue
        rows = [place_by_id[p] for p in sorted(pids)]
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if a["admin1"] and b["admin1"] and a["admin1"] != b["admin1"]:
                    continue  # homonyms in different governorates: "province de X" disambiguates
                kinds = {a["feature_type"], b["feature_type"]}
                if "governorate" in kinds and len(kinds) == 2 and a["admin1"] == b["admin1"]:
                    continue  # governorate and its capital: "province de X" vs "ville de X"
                problems.append((key, a["place_id"], b["place_id"]))
    assert not problems, problems


def test_homonyms_have_distinct_rows(place_by_id):
    assert place_by_id["mansoura-aleppo"]["admin1"] == "Aleppo"
    assert place_by_id["mansoura-raqqa"]["admin1"] == "Raqqa"


@pytest.mark.parametrize("surface, place_id, admin1", [
    ("Alep", "aleppo", "Aleppo"), ("Maaret al-Noomane", "maarat-al-numan", "Idlib"),
    ("Jisr al-Choughour", "jisr-al-shughur", "Idlib"), ("Jabal al-Zawiya", "jabal-al-zawiya", "Idlib"),
    ("Hawach", "hawash", "Hama"), ("al-Bab", "al-bab", "Aleppo"), ("Daret Ezza", "darat-izza", "Aleppo"),
    ("Kweires", "kuweires-air-base", "Aleppo"), ("Cheikh Najjar", "sheikh-najjar", "Aleppo"),
    ("Khan Cheikhoun", "khan-shaykhun", "Idlib"), ("Lattaquié", "latakia", "Latakia"),
    ("Deir Ezzor", "deir-ez-zor", "Deir ez-Zor"), ("Raqa", "raqqa", "Raqqa"), ("Homs", "homs", "Homs"),
    ("Hmeimim", "hmeimim-air-base", "Latakia"), ("Palmyre", "palmyra", "Homs"), ("Kobané", "kobani", "Aleppo"),
])
def test_corpus_places_resolve(places, surface, place_id, admin1):
    hits = {r["place_id"]: r for r in places if alias_key(surface) in {alias_key(a) for a in split_aliases(r["aliases"])}}
    assert place_id in hits, surface
    assert hits[place_id]["admin1"] == admin1


def test_seas_and_countries(place_by_id):
    for sea in ("caspian-sea", "mediterranean-sea", "black-sea"):
        assert place_by_id[sea]["feature_type"] == "sea" and place_by_id[sea]["country_iso3"] == ""
    assert place_by_id["syr"]["geonames_id"] == "163843"
    assert place_by_id["aleppo"]["geonames_id"] == "170063"
    assert place_by_id["damascus"]["geonames_id"] == "170654"


def test_gazetteer_volume(places):
    syrian = [r for r in places if r["country_iso3"] == "SYR"]
    assert len(syrian) >= 150
