"""Build end to end: seeds and unseen French articles, bad input, determinism, the committed dataset."""
from __future__ import annotations

import shutil

import polars as pl
import pytest

from depeche.build import BuildError, build
from depeche.schema import TABLES
from depeche.validate import validate_dir

from .conftest import PACKAGED, RAW, UNSEEN


def test_seed_build_is_valid_and_complete(built, tables):
    assert validate_dir(built) == []
    assert tables["articles"].height == 5
    assert tables["articles"]["published_date"].null_count() == 0
    for name in ("actors", "actor_mentions", "quotes", "figures", "events", "event_mentions", "places"):
        assert tables[name].height > 0, f"{name} is empty"


def test_unseen_french_articles_build_and_validate(unseen_french, tmp_path):
    out = tmp_path / "out"
    result = build(unseen_french, out)
    assert validate_dir(out) == []
    articles = result.tables["articles"].sort("source_file")
    assert articles["source_file"].to_list() == ["alep_2015-10-16.txt", "palmyre_2015-10-12.txt"]
    # Palmyre names its day of intervention and weekday; Alep names only a weekday: no date is invented.
    assert [str(d) if d else None for d in articles["published_date"]] == [None, "2015-10-12"]
    assert result.tables["actor_mentions"].height > 0


def test_bad_input_stops_the_build_and_writes_nothing(unseen_french, tmp_path):
    shutil.copy(UNSEEN / "notes_english.txt", unseen_french / "notes_english.txt")
    (unseen_french / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    with pytest.raises(BuildError) as err:
        build(unseen_french, out)
    assert "notes_english.txt: not French" in str(err.value)
    assert "empty.txt: empty" in str(err.value)
    assert not out.exists()


def test_keep_going_builds_the_good_files_and_records_the_bad(unseen_french, tmp_path):
    shutil.copy(UNSEEN / "notes_english.txt", unseen_french / "notes_english.txt")
    out = tmp_path / "out"
    result = build(unseen_french, out, keep_going=True)
    assert result.tables["articles"].height == 2
    rejected = pl.read_csv(out / "rejected.csv")
    assert rejected["source_file"].to_list() == ["notes_english.txt"]
    assert validate_dir(out) == []


def test_packaged_dataset_is_the_build_of_the_raw_articles(built):
    """Same inputs, same bytes: the committed tables must equal a fresh build (else run `make dataset`)."""
    for name in TABLES:
        fresh, committed = built / f"{name}.parquet", PACKAGED / f"{name}.parquet"
        assert committed.exists(), f"{committed} missing: run `make dataset`"
        assert fresh.read_bytes() == committed.read_bytes(), f"{name}.parquet is stale: run `make dataset`"
    assert (built / "datapackage.json").read_text() == (PACKAGED / "datapackage.json").read_text()


def test_file_names_and_order_do_not_change_ids(tmp_path, built):
    shuffled = tmp_path / "in"
    shuffled.mkdir()
    for i, path in enumerate(sorted(RAW.glob("*.txt"), reverse=True)):
        shutil.copy(path, shuffled / f"{i} renamed é.txt")
    out = tmp_path / "out"
    build(shuffled, out)
    for name in ("actor_mentions", "quotes", "figures", "events"):
        key = TABLES[name].primary_key
        assert pl.read_parquet(out / f"{name}.parquet").select(key).equals(
            pl.read_parquet(built / f"{name}.parquet").select(key)), name


def test_output_folder_that_is_not_a_dataset_is_not_replaced(tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.tex").write_text("do not delete")
    from depeche.write import OutputNotOurs

    with pytest.raises(OutputNotOurs):
        build(RAW, out)
    assert (out / "thesis.tex").read_text() == "do not delete"


def test_missing_input_folder(tmp_path):
    with pytest.raises(BuildError, match="not a folder"):
        build(tmp_path / "nope", tmp_path / "out")
    with pytest.raises(BuildError, match="no .txt articles"):
        build(tmp_path, tmp_path / "out")


def test_input_dir_unchanged_by_build(tmp_path):
    before = {p.name: p.read_bytes() for p in RAW.iterdir()}
    build(RAW, tmp_path / "out")
    assert {p.name: p.read_bytes() for p in RAW.iterdir()} == before




def test_every_kind_of_bad_file_is_named(unseen_french, tmp_path):
    folder = unseen_french
    good = (folder / "palmyre_2015-10-12.txt").read_text(encoding="utf-8")
    (folder / "utf16 é.txt").write_bytes(good.replace("Palmyre", "Homs").encode("utf-16"))
    (folder / "crlf.txt").write_bytes(good.replace("Palmyre", "Hama").replace("\n", "\r\n").encode("latin-1"))
    (folder / "same content.txt").write_text(good, encoding="utf-8")
    (folder / "page.html").write_text("<html></html>")
    (folder / "nul.txt").write_bytes(b"abc\x00def" * 10)
    (folder / "header only.txt").write_text(" date 2021-10 ")
    (folder / "big.txt").write_text(good * 6000)  # about 5 MB
    (folder / "manifest.csv").write_text("file\n")
    (folder / ".hidden.txt").write_text("")
    (folder / "gone.txt").symlink_to(folder / "moved away.txt")  # listed, then unreadable when ingested
    with pytest.raises(BuildError) as err:
        build(folder, tmp_path / "out")
    message = str(err.value)
    for expected in ["page.html: not a .txt file (.html)", "nul.txt: binary file", "header only.txt: too short",
                     "big.txt: too large", "same content.txt: duplicate: same text as palmyre_2015-10-12.txt",
                     "gone.txt: unreadable: No such file or directory"]:
        assert expected in message
    for decoded in ["utf16 é.txt", "crlf.txt", "manifest.csv", ".hidden.txt"]:
        assert decoded not in message
    result = build(folder, tmp_path / "out", keep_going=True)
    assert "gone.txt" in [r.source_file for r in result.rejected]
    assert sorted(result.tables["articles"]["source_file"]) == [
        "alep_2015-10-16.txt", "crlf.txt", "palmyre_2015-10-12.txt", "utf16 é.txt"]
    assert sorted(result.tables["articles"]["encoding"]) == ["cp1252", "utf-16", "utf-8", "utf-8"]


def test_adding_an_article_keeps_every_existing_id(tmp_path, built):
    folder = tmp_path / "in"
    shutil.copytree(RAW, folder)
    shutil.copy(UNSEEN / "palmyre_2015-10-12.txt", folder / "palmyre_2015-10-12.txt")
    out = tmp_path / "out"
    build(folder, out)
    for name, spec in TABLES.items():
        before = pl.read_parquet(built / f"{name}.parquet").select(spec.primary_key)
        after = pl.read_parquet(out / f"{name}.parquet").select(spec.primary_key)
        lost = before.join(after, on=list(spec.primary_key), how="anti")
        assert lost.is_empty(), f"{name}: {lost.height} IDs changed when an article was added"
