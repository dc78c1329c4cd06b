"""The command line: exit codes, formats, and that it is the same as the API."""
from __future__ import annotations

import json

import polars as pl
import pytest

from depeche.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main


def test_build_unseen_then_validate(unseen_french, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--input", str(unseen_french), "--output", str(out)]) == EXIT_OK
    assert "articles" in capsys.readouterr().out
    assert main(["validate", str(out)]) == EXIT_OK
    assert "valid" in capsys.readouterr().out


def test_build_bad_input_exits_2_and_names_the_file(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "blank.txt").write_text("   ")
    assert main(["build", "--input", str(folder), "--output", str(tmp_path / "out")]) == EXIT_USAGE
    assert "blank.txt: empty or blank file" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_validate_reports_damage_as_json_and_exits_1(built_copy, capsys):
    quotes = pl.read_parquet(built_copy / "quotes.parquet")
    quotes.with_columns(pl.col("quote_type").str.replace("direct", "verbatim")).write_parquet(
        built_copy / "quotes.parquet")
    assert main(["validate", str(built_copy), "--json"]) == EXIT_INVALID
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    rules = {(f["table"], f["column"]) for f in report["failures"]}
    assert ("quotes", "quote_type") in rules


def test_validate_github_format(built_copy, capsys):
    (built_copy / "places.parquet").write_bytes(b"PAR1 not really")
    assert main(["validate", str(built_copy), "--format", "github"]) == EXIT_INVALID
    out = capsys.readouterr().out
    assert "::error title=depeche validate places::" in out
    assert "unreadable Parquet file places.parquet" in out


@pytest.mark.parametrize("fmt, check", [
    ("csv", lambda out: out.splitlines()[0] == "n"),
    ("json", lambda out: json.loads(out)[0]["n"] == 5),
    ("table", lambda out: "5" in out),
])
def test_query_formats(built, capsys, fmt, check):
    assert main(["query", "SELECT count(*) AS n FROM articles", "--format", fmt, "--directory", str(built)]) == EXIT_OK
    assert check(capsys.readouterr().out)


def test_query_rejects_writes(built, capsys):
    assert main(["query", f"COPY articles TO '{built}/x.csv'", "--directory", str(built)]) == EXIT_INVALID
    assert "depeche query:" in capsys.readouterr().err
    assert not (built / "x.csv").exists()


def test_info(built, capsys):
    assert main(["info", str(built)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "publication dates: 2015-10-01 .. 2015-10-10 (5 of 5 articles dated)" in out
