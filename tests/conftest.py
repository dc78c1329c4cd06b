"""Shared fixtures: the repository, its reference data, and one build of the seed articles per test session."""
from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from depeche.build import build
from depeche.reference import load_reference

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "dataset" / "raw"
PACKAGED = REPO / "dataset" / "tables"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UNSEEN = FIXTURES / "unseen"


@pytest.fixture(scope="session")
def reference():
    return load_reference()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The seed articles built once into a temporary folder (never into the packaged dataset)."""
    out = tmp_path_factory.mktemp("built") / "tables"
    build(RAW, out)
    return out


@pytest.fixture()
def built_copy(built, tmp_path) -> Path:
    """A private copy of the built tables that a test may damage."""
    copy = tmp_path / "tables"
    shutil.copytree(built, copy)
    return copy


@pytest.fixture(scope="session")
def tables(built) -> dict[str, pl.DataFrame]:
    from depeche.schema import TABLES

    return {name: pl.read_parquet(built / f"{name}.parquet") for name in TABLES}


@pytest.fixture()
def unseen_french(tmp_path) -> Path:
    """A folder of French articles the pipeline was never developed on."""
    folder = tmp_path / "unseen"
    folder.mkdir()
    for path in UNSEEN.glob("*.txt"):
        if not path.name.startswith("notes_english"):
            shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory):
    """The CLI caches parses, and every build compiled expressions, under $DEPECHE_CACHE: keep the tests' cache out of
    the user's home, from the session's first fixture on (a module's fixture may load the model)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEPECHE_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
        yield
