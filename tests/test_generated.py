"""Generated files must match what the generators produce now: CI fails when they are stale."""
from __future__ import annotations

import json

from depeche import datapackage
from depeche.docs import generated_files
from depeche.schema import TABLES

from .conftest import REPO


def test_generated_files_are_fresh():
    for path, text in generated_files(REPO).items():
        assert path.exists(), f"{path.name} missing: run `make docs`"
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run `make docs`"


def test_descriptor_describes_every_table_from_the_models(built):
    desc = json.loads((built / "datapackage.json").read_text())
    assert [r["name"] for r in desc["resources"]] == list(TABLES)
    for resource in desc["resources"]:
        spec = TABLES[resource["name"]]
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        assert list(fields) == list(spec.polars_schema)
        assert resource["schema"]["primaryKey"] == list(spec.primary_key)
        assert all(f["description"] for f in fields.values()), resource["name"]
        assert resource["hash"] == f"sha256:{datapackage.sha256_file(built / resource['path'])}"
    quote_type = {f["name"]: f for f in desc["resources"][list(TABLES).index("quotes")]["schema"]["fields"]}
    assert quote_type["quote_type"]["constraints"]["enum"] == ["direct", "partial"]
    assert len(desc["sources"]) == 5


def test_every_column_has_a_description():
    for name, spec in TABLES.items():
        for column, definition in spec.schema.columns.items():
            assert definition.description, f"{name}.{column} has no description"
