"""Where the packaged dataset lives: inside the installed package, or at the top of a source checkout."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


class OutputNotOurs(RuntimeError):
    """The output folder holds files that are not a depeche dataset: it is never replaced."""


def dataset_dir() -> Path:
    installed = PACKAGE / "dataset"
    return installed if installed.is_dir() else PACKAGE.parent / "dataset"


def tables_dir() -> Path:
    return dataset_dir() / "tables"


def raw_dir() -> Path:
    return dataset_dir() / "raw"


def reference_dir() -> Path:
    return dataset_dir() / "reference"
