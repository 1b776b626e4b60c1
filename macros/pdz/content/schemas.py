"""The fields of every record kind, derived from ``schemas/`` (never a hand list).

Every string field of a schema is one of:
- ``testo``: Markdown text, possibly several paragraphs (``_defs`` ``testo``);
- ``riga``: text on a single line (titles, names, labels: ``_defs`` ``riga``), which refuses
  line breaks (``\\n``, ``\\r``, U+0085, U+2028, U+2029) and control characters;
- ``codice``: a value with a closed form (an ``enum`` or a ``pattern``: ids, dates, answers).

``tests/content/test_schemas.py`` fails on any other kind of string, so a new field has to choose.
Tests use :func:`string_fields` to reach every free-text field of every kind.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from pdz.content.model import KINDS, SCHEMA_DIR

DEFS_FILE = "_defs.schema.json"


@dataclass(frozen=True)
class StringField:
    path: tuple        # keys, and "*" for every item of a list
    shape: str         # "testo", "riga", "codice" or "libero" (a plain string: not allowed)
    schema: dict       # the field's schema, references resolved


@lru_cache(maxsize=None)
def _document(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _resolve(ref: str, current: str) -> tuple[dict, str, str | None]:
    """(schema, document it lives in, name of the _defs entry when it is one)."""
    document, _, pointer = ref.partition("#")
    document = document or current
    node = _document(document)
    parts = [p for p in pointer.split("/") if p]
    for part in parts:
        node = node[part]
    name = parts[1] if document == DEFS_FILE and len(parts) == 2 and parts[0] == "$defs" else None
    return node, document, name


def _walk(node: dict, path: tuple, document: str, shape: str | None, out: list, depth: int = 0):
    if depth > 30:   # pragma: no cover - schemas are not recursive
        return
    if "$ref" in node:
        target, target_doc, name = _resolve(node["$ref"], document)
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        named = name if name in ("testo", "riga") else None
        _walk(merged, path, target_doc, named or shape, out, depth + 1)
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key, []):
            _walk(sub, path, document, shape, out, depth + 1)
    types = node.get("type")
    types = types if isinstance(types, list) else [types]
    if "object" in types or "properties" in node:
        for key, sub in node.get("properties", {}).items():
            _walk(sub, path + (key,), document, None, out, depth + 1)
    if "array" in types and isinstance(node.get("items"), dict):
        _walk(node["items"], path + ("*",), document, None, out, depth + 1)
    if "string" in types:
        if "enum" in node or "pattern" in node and shape != "riga" or "const" in node:
            kind = "codice"
        else:
            kind = shape or "libero"
        out.append(StringField(path, kind, node))


@lru_cache(maxsize=None)
def string_fields(kind: str) -> tuple[StringField, ...]:
    """Every string field of a record kind, in schema order (one entry per distinct path)."""
    out: list[StringField] = []
    _walk(_document(KINDS[kind].schema_path.name), (), KINDS[kind].schema_path.name, None, out)
    seen, unique = set(), []
    for item in out:
        if (item.path, item.shape) not in seen:
            seen.add((item.path, item.shape))
            unique.append(item)
    return tuple(unique)


def text_fields(kind: str, shapes=("testo", "riga")) -> list[tuple]:
    """Paths of the free-text fields (Markdown and single-line) of a kind."""
    return [f.path for f in string_fields(kind) if f.shape in shapes]
