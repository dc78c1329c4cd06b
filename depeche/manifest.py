"""dataset/raw/manifest.csv: what each raw article file is (size, hash, declared header), plus curators' notes."""
from __future__ import annotations

from pathlib import Path

import polars as pl

from .ids import sha256
from .pipeline.ingest import HEADER_RE, decode

MANIFEST = "manifest.csv"
COLUMNS = ["file", "bytes", "sha256", "declared_header", "notes"]


def describe(raw_dir: Path, notes: dict[str, str] | None = None) -> pl.DataFrame:
    """One row per .txt file; `notes` (file -> text) are kept from the existing manifest."""
    rows = []
    for path in sorted(raw_dir.glob("*.txt")):
        data = path.read_bytes()
        header = HEADER_RE.match(decode(data)[0])
        rows.append({"file": path.name, "bytes": len(data), "sha256": sha256(data),
                     "declared_header": header.group(0).strip() if header else None,
                     "notes": (notes or {}).get(path.name)})
    return pl.DataFrame(rows, schema={"file": pl.Utf8, "bytes": pl.Int64, "sha256": pl.Utf8,
                                      "declared_header": pl.Utf8, "notes": pl.Utf8})


def read_notes(raw_dir: Path) -> dict[str, str]:
    path = raw_dir / MANIFEST
    if not path.exists():
        return {}
    frame = pl.read_csv(path, infer_schema=False)
    return {f: n for f, n in zip(frame["file"], frame["notes"]) if n}


def render(frame: pl.DataFrame) -> str:
    return frame.write_csv()
