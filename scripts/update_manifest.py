"""Refresh dataset/raw/manifest.csv from the raw files, keeping the curators' notes."""
from pathlib import Path

from depeche.manifest import MANIFEST, describe, read_notes, render

RAW = Path(__file__).resolve().parent.parent / "dataset" / "raw"
(RAW / MANIFEST).write_text(render(describe(RAW, read_notes(RAW))), encoding="utf-8")
