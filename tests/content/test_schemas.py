"""The JSON Schemas are the contract for the validator and for editors' tools."""
from __future__ import annotations

import json

from pdz_dev.project import ROOT
from pdz.content.model import KINDS

SCHEMAS = ROOT / "schemas"


def properties(node, path=""):
    if isinstance(node, dict):
        for name, value in (node.get("properties") or {}).items():
            yield f"{path}.{name}", value
            yield from properties(value, f"{path}.{name}")
        if "items" in node:
            yield from properties(node["items"], f"{path}[]")
        for name, value in (node.get("$defs") or {}).items():
            yield from properties(value, f"{path}#{name}")


def test_one_schema_per_record_kind():
    assert {p.name for p in SCHEMAS.glob("*.schema.json")} == \
        {f"{k}.schema.json" for k in KINDS} | {"_defs.schema.json"}


def test_every_field_has_an_italian_description():
    missing = []
    for path in SCHEMAS.glob("*.schema.json"):
        for field, schema in properties(json.loads(path.read_text(encoding="utf-8"))):
            if not schema.get("description"):
                missing.append(f"{path.name}{field}")
    assert missing == []


def test_editor_settings_map_every_kind_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = {schema.split("/")[-1] for schema in settings["yaml.schemas"]}
    assert mapped == {f"{k}.schema.json" for k in KINDS if k != "sezione"}   # sections are Markdown
