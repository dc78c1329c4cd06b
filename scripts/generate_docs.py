"""Regenerate the files derived from the schemas and the built tables (codebook, root datapackage.json)."""
from pathlib import Path

from depeche.docs import generated_files

REPO = Path(__file__).resolve().parent.parent

for path, text in generated_files(REPO).items():
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
