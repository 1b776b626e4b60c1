"""The one reader of ``schemas/``: the content contract, and the only vocabulary of the site.

Everything that derives from the schemas reads them here: validation (``schemacheck``), the
references between kinds (``model.Kind.refs``), the labels of every closed list of values
(pages, the web editor, open data, ``make nuovo``), the editor's form and the scaffolds.

Every field has a ``title`` (its label in the web editor's form) and a ``description`` (its
help text there, in ``make nuovo`` comments and in ``make check`` hints), written for editors:
plain Italian, no file syntax, no field names. Annotations, besides standard JSON Schema 2020-12
keywords:
- ``x-etichette`` beside an ``enum``: the Italian label of each value, as pages and the editor
  show it (``x-etichette-plurali``: the heading of a group of records with that value);
- ``x-riferimento`` on a field: the field holds ids of records of that kind;
- ``x-scala-grado`` on ``_defs`` ``stato_attuazione``: the scale that turns a plan's grade of
  achievement (a percentage) into a state (``pdz.domain.monitoring``);
- ``x-nel-file``: what only someone writing the file needs to know (quotes, the form of an id,
  the YAML of a qualified value): added to the description in ``make nuovo`` comments and in
  ``make check`` hints (:func:`file_hint`), never shown in the form;
- ``x-campo`` (true): the value names a field of the same record (the form offers its fields);
- ``x-sommario`` on a list's item: the fields that sum an item up in the form's list (default:
  its required fields);
- ``x-colonne`` on a table's rows: the field that lists the columns of each row's cells.
A field that refers to ``_defs`` ``motivo_modifica`` (:func:`reason_fields`) is the reason of the
change that saves the record: the web editor asks for it, empty, at every save; the change
history (``pdz.domain.changes``) shows it as that change's reason when the change wrote a new one;
no page shows it otherwise.
A new field or a new value of a list is a change of one schema file
(``tests/content/test_schemas.py`` adds one and follows it to every place it appears).

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
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "schemas"
DEFS_FILE = "_defs.schema.json"
LABELS = "x-etichette"
PLURAL_LABELS = "x-etichette-plurali"
REFERENCE = "x-riferimento"
REASON = "motivo_modifica"   # the _defs entry of the field that says why a record changed


def schema_files() -> list[Path]:
    """Every schema file, in name order (they are published with the open data too)."""
    return sorted(SCHEMA_DIR.glob("*.schema.json"))


def kind_file(kind: str) -> str:
    """The schema file of a record kind: schemas/<kind>.schema.json."""
    return f"{kind}.schema.json"


@lru_cache(maxsize=None)
def document(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def kind_schema(kind: str) -> dict:
    return document(kind_file(kind))


def definitions() -> dict:
    """The shared definitions (``_defs.schema.json``, ``$defs``)."""
    return document(DEFS_FILE)["$defs"]


def resolve(ref: str, current: str) -> tuple[dict, str, str | None]:
    """(schema, document it lives in, name of the _defs entry when it is one) of a ``$ref``."""
    target, _, pointer = ref.partition("#")
    target = target or current
    node = document(target)
    parts = [p for p in pointer.split("/") if p]
    for part in parts:
        node = node[part]
    name = parts[1] if target == DEFS_FILE and len(parts) == 2 and parts[0] == "$defs" else None
    return node, target, name


def expand(node: dict, current: str) -> tuple[dict, str]:
    """``node`` with its ``$ref`` chain followed: the target's keywords, overridden by the
    referring node's own (a field's ``description`` or ``title`` beside its ``$ref``)."""
    while "$ref" in node:
        target, current, _ = resolve(node["$ref"], current)
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node, current


def expand_named(node: dict, kind: str) -> dict:
    """``node`` with its ``$ref`` chain followed by definition name: names are unique across a
    kind's schema and the shared definitions, so a reference written relative to either document
    resolves alike (what the editor's form and the scaffolds walk). The referring node's own
    keywords (``description``, ``title``, ``x-riferimento``) win over the target's."""
    while "$ref" in node:
        parts = node["$ref"].split("#/", 1)[1].split("/")
        target = kind_schema(kind).get("$defs", {}).get(parts[1]) or definitions()[parts[1]]
        for part in parts[2:]:
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


FILE_NOTE = "x-nel-file"


def file_hint(schema: dict) -> str:
    """A field's help for someone writing the file: its description and its ``x-nel-file`` note."""
    return " ".join(part for part in (schema.get("description", ""), schema.get(FILE_NOTE, "")) if part)


# --- vocabulary --------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def vocabulary(name: str) -> dict[str, str]:
    """The values of the closed list ``_defs/<name>``, in schema order, with their labels."""
    definition = definitions()[name]
    labels = definition.get(LABELS, {})
    return {value: labels[value] for value in definition["enum"]}


@lru_cache(maxsize=None)
def plural_labels(name: str) -> dict[str, str]:
    """The heading of a group of records for each value of ``_defs/<name>``."""
    definition = definitions()[name]
    return {value: definition[PLURAL_LABELS][value] for value in definition["enum"]}


def vocabularies() -> dict[str, dict[str, str]]:
    """Every closed list of the shared definitions with its labels (for the web editor's scripts)."""
    return {name: vocabulary(name) for name, definition in definitions().items() if LABELS in definition}


def enum_labels(schema: dict) -> dict:
    """Labels of an (expanded) field schema that is an ``enum``: value -> label."""
    labels = schema.get(LABELS, {})
    return {value: labels.get(value, str(value)) for value in schema.get("enum", ())}


@lru_cache(maxsize=None)
def references(kind: str) -> tuple[tuple[tuple, str], ...]:
    """(path, target kind) of every field of ``kind`` that holds ids of other records; '*' in a
    path stands for every item of a list. Declared once, by ``x-riferimento`` in the schemas."""
    found: list[tuple[tuple, str]] = []

    def walk(node: dict, path: tuple, current: str, depth: int = 0) -> None:
        if depth > 30:   # pragma: no cover - schemas are not recursive
            return
        if REFERENCE in node:
            found.append((path, node[REFERENCE]))
            return
        node, current = expand(node, current)
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []):
                walk(sub, path, current, depth + 1)
        for key, sub in node.get("properties", {}).items():
            walk(sub, path + (key,), current, depth + 1)
        if isinstance(node.get("items"), dict):
            walk(node["items"], path + ("*",), current, depth + 1)

    walk(kind_schema(kind), (), kind_file(kind))
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=None)
def reason_fields(kind: str) -> tuple[str, ...]:
    """The fields of ``kind`` that hold the reason of the change that saved the record (they
    refer to ``_defs`` ``motivo_modifica``): asked by the web editor at every save, read by the
    change history, shown by no page."""
    return tuple(name for name, raw in kind_schema(kind).get("properties", {}).items()
                 if raw.get("$ref", "").endswith(f"/$defs/{REASON}"))


# --- validation ----------------------------------------------------------------------------------
def riga_pattern() -> str:
    """The pattern of a single-line text (``_defs`` ``riga``)."""
    return definitions()["riga"]["pattern"]


@lru_cache(maxsize=None)
def bundled(kind: str) -> dict:
    """The kind's schema with the shared definitions copied in, for a compiler that resolves
    local references only (fastjsonschema)."""
    text = json.dumps(kind_schema(kind)).replace(f'"{DEFS_FILE}#/$defs/', '"#/$defs/')
    schema = json.loads(text)
    schema["$defs"] = {**definitions(), **schema.get("$defs", {})}
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    return schema


def clear_caches() -> None:
    """Forget what was read (a test that edits a copy of the schemas)."""
    for cached in (document, vocabulary, plural_labels, references, reason_fields, bundled, string_fields,
                   field_at):
        cached.cache_clear()


@dataclass(frozen=True)
class StringField:
    path: tuple        # keys, and "*" for every item of a list
    shape: str         # "testo", "riga", "codice" or "libero" (a plain string: not allowed)
    schema: dict       # the field's schema, references resolved


def _walk(node: dict, path: tuple, document: str, shape: str | None, out: list, depth: int = 0):
    if depth > 30:   # pragma: no cover - schemas are not recursive
        return
    if "$ref" in node:
        target, target_doc, name = resolve(node["$ref"], document)
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
    _walk(kind_schema(kind), (), kind_file(kind), None, out)
    seen, unique = set(), []
    for item in out:
        if (item.path, item.shape) not in seen:
            seen.add((item.path, item.shape))
            unique.append(item)
    return tuple(unique)


def text_fields(kind: str, shapes=("testo", "riga")) -> list[tuple]:
    """Paths of the free-text fields (Markdown and single-line) of a kind."""
    return [f.path for f in string_fields(kind) if f.shape in shapes]


# --- what a field is called and what it holds ----------------------------------------------------
def readable_name(name: str) -> str:
    """A field's (Italian) name made readable, when its schema gives no ``title``:
    'continuita_precedente' -> 'Continuità precedente'."""
    words = name.replace("_", " ").split()
    words = [w[:-1] + "à" if w.endswith("ita") and len(w) > 5 else w for w in words]   # continuità, criticità
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def field_label(name: str, schema: dict) -> str:
    """The field's Italian label: the schema's title, or its name made readable."""
    return schema.get("title") or readable_name(name)


@dataclass(frozen=True)
class FieldInfo:
    schema: dict              # the field's schema, references followed (the referring node's keywords win)
    definitions: tuple        # the shared definitions it refers to, outermost first ('importo', 'testo'...)
    label: str                # the path in words: 'Risorse economiche › Componenti 2 › Importo'


@lru_cache(maxsize=4096)
def field_at(kind: str, path: tuple) -> FieldInfo | None:
    """What the value at ``path`` (keys and list indexes) of a record of ``kind`` is, from its
    schema: how the site names and formats it (``pdz.domain.changes``). None outside the schema."""
    node: dict = kind_schema(kind)
    current = kind_file(kind)
    labels: list[str] = []
    names: list[str] = []
    for step in path:
        node, current, names = _followed(node, current)
        if isinstance(step, int):
            items = node.get("items")
            if not isinstance(items, dict):
                items = next((a["items"] for a in node.get("anyOf", []) if isinstance(a.get("items"), dict)), None)
            if items is None:
                return None
            node = items
            if labels:
                labels[-1] += f" {step + 1}"
            continue
        found = node.get("properties", {}).get(step)
        for alternative in node.get("anyOf", []) + node.get("oneOf", []):
            if found is None:
                alternative, current, _ = _followed(alternative, current)
                found = alternative.get("properties", {}).get(step)
        if found is None:
            return None
        node = found
        labels.append(field_label(step, expand(found, current)[0]))
    expanded, _, names = _followed(node, current)
    return FieldInfo(expanded, tuple(names), " › ".join(labels))


def _followed(node: dict, current: str) -> tuple[dict, str, list[str]]:
    """``node`` with its ``$ref`` chain followed, and the names of the shared definitions on the way."""
    names = []
    while "$ref" in node:
        target, current, name = resolve(node["$ref"], current)
        if name:
            names.append(name)
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node, current, names
