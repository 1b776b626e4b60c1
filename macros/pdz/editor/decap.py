"""The web editor's configuration (Decap CMS), generated from ``schemas/`` and the content model.

Nothing here is maintained by hand: every field of every schema becomes a form field labelled
with the schema's Italian ``title`` and helped by its ``description`` (never by ``x-nel-file``,
which is for file authors); enums become selects, numbers number fields (with the schema's
minimum and maximum), dates date pickers, references (``model.Ref``) relation widgets searchable
by name, lists list widgets that count their items with the items' title ("1 indicatore") and
sum each one up (``x-sommario``, or its required fields). A measured value (a number, "circa
300", "tra 10 e 15") has its own widget, ``pdz-valore`` (macros/pdz/editor/admin/pdz-widgets.js),
a table's rows ``pdz-tabella``. Groups of fields are open, so that nothing sits panels deep.
The reason of the change (``schemas.reason_fields``) comes first and is asked at every save.
There is one collection per shared kind, one listing the Ambiti and their plans, and one per
kind and plan, with the folders the content actually uses (``plan_groups``): a new plan folder
or a new layout needs no change here.
"""
from __future__ import annotations

import os
from collections import Counter

from pdz.content import schemas
from pdz.content.model import KINDS, iter_ref_values

CONTENT = "content"
# A free map (a coverage filter of a source document) has no form: kept as it is in the file,
# shown read-only (``hidden``), edited in the file itself.
_UNSUPPORTED_HINT = "Questo campo si modifica nel file, non nel modulo."
SUMMARY = "x-sommario"   # the fields that sum up an item of a list, in its collapsed bar
ASK_EACH_SAVE = "pdz_ask_each_save"   # a field the form opens empty and requires at every save


def label(name: str, schema: dict) -> str:
    """The field's Italian label: the schema's title, or its (Italian) name made readable (the
    same words as a record's history of changes)."""
    return schemas.field_label(name, schema)


class _Fields:
    """Turns one kind's schema into Decap fields, for one collection (its relations)."""

    def __init__(self, kind: str, relations: dict):
        self.kind = KINDS[kind]
        self.root = schemas.kind_schema(kind)
        self.refs = {ref.path: ref.target for ref in self.kind.refs}
        self.relations = relations   # target kind -> relation widget options (or a select)

    def fields(self) -> list[dict]:
        """The form's fields; the reason of the change first, asked at every save (``ASK_EACH_SAVE``:
        the file formats of pdz-admin.js open it empty, so that no reason of an earlier change
        is saved again unseen)."""
        reasons = schemas.reason_fields(self.kind.name)
        out = self.object_fields(self.root, (), True)
        for field in out:
            if field["name"] in reasons:
                field.update(required=True, **{ASK_EACH_SAVE: True})
        return sorted(out, key=lambda field: field["name"] not in reasons)

    def object_fields(self, schema: dict, path: tuple, enforce: bool) -> list[dict]:
        required = set(schema.get("required", ()))
        return [self.field(name, sub, path + (name,), enforce and name in required)
                for name, sub in schema.get("properties", {}).items()]

    def field(self, name: str, raw: dict, path: tuple, required: bool) -> dict:
        schema = schemas.expand_named(raw, self.kind.name)
        markdown = raw.get("$ref", "").endswith("/testo")   # the Markdown text definition
        out: dict = {"name": name, "label": label(name, schema), "required": required}
        if schema.get("description"):
            out["hint"] = schema["description"]
        target = self.refs.get(path)
        if target:
            return {**out, **self.relation(target, path, multiple=False)}
        item_target = self.refs.get(path + ("*",))
        kind = schema.get("type")
        if item_target and kind == "array":
            return {**out, **self.relation(item_target, path + ("*",), multiple=True)}
        if raw.get("$ref", "").endswith("/valore_misurato"):
            return {**out, **self.measured_value()}
        if schema.get("x-campo"):   # the name of one of this record's fields: chosen by its title
            return {**out, "widget": "select", "options": self.field_options()}
        if "enum" in schema:
            return {**out, "widget": "select", "options": _options(schema)}
        if raw.get("$ref", "").endswith("/data"):   # a date: the browser's date picker
            return {**out, "widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD",
                    "time_format": False, "default": ""}
        if kind in ("number", "integer"):
            widget: dict = {"widget": "number", "value_type": "int" if kind == "integer" else "float"}
            if "minimum" in schema:
                widget["min"] = schema["minimum"]
            if "maximum" in schema:
                widget["max"] = schema["maximum"]
            if kind == "number":
                widget["step"] = 0.01
            return {**out, **widget}
        if kind == "boolean":
            return {**out, "widget": "boolean"}
        if kind == "object" and not schema.get("properties"):   # a free map: no form for it
            return {**out, "widget": "hidden", "hint": (out.get("hint", "") + " " + _UNSUPPORTED_HINT).strip()}
        if kind == "object":
            # open, not a panel to unfold: the scheda's sections read one after the other. An
            # optional object's own required fields are enforced by make check, not by the
            # form: the form would otherwise demand them even when the object is left empty
            return {**out, "widget": "object", "collapsed": False,
                    "fields": self.object_fields(schema, path, required)}
        if kind == "array":
            return self.list_field(name, schema, path, out)
        if kind == "string":
            widget = {"widget": "text" if markdown or name in _TEXT_FIELDS else "string"}
            if schema.get("pattern"):
                widget["pattern"] = [schema["pattern"], f"Formato non valido. {schema.get('description', '')}".strip()]
            return {**out, **widget}
        return {**out, "widget": "hidden", "hint": (out.get("hint", "") + " " + _UNSUPPORTED_HINT).strip()}

    def list_field(self, name: str, schema: dict, path: tuple, out: dict) -> dict:
        """A list: counted with its items' title ("1 indicatore"), each item summed up by the
        fields of ``x-sommario``; several values of a closed list are one select, a table's
        rows a grid (``pdz-tabella``)."""
        items = schemas.expand_named(schema.get("items", {}), self.kind.name)
        widget: dict = {"widget": "list", "label_singular": items.get("title") or out["label"]}
        if "enum" in items:
            widget = {"widget": "select", "multiple": True, "options": _options(items)}
        elif items.get("type") == "object":
            fields = self.object_fields(items, path + ("*",), True)
            # an item that holds a list of its own (an indicator and its measurements) is a
            # closed bar with its summary, opened with one click; any other item is open
            nested = any(f.get("widget") == "list" and "fields" in f for f in fields)
            widget.update(fields=fields, collapsed=nested, pdz_summary=_summary_fields(items))
        elif items.get("type") in ("string", "number", "integer"):
            item = self.field(name, schema.get("items", {}), path + ("*",), True)
            item.pop("hint", None)   # the list's own help says it
            widget.update(field={**item, "label": widget["label_singular"]}, collapsed=False)
        elif items.get("type") == "array" and schema.get("x-colonne"):
            widget = {"widget": "pdz-tabella", "pdz_columns": schema["x-colonne"]}
        else:
            return {**out, "widget": "hidden", "hint": (out.get("hint", "") + " " + _UNSUPPORTED_HINT).strip()}
        if schema.get("minItems"):
            widget["min"] = schema["minItems"]
        if schema.get("maxItems"):
            widget["max"] = schema["maxItems"]
        return {**out, **widget}

    def measured_value(self) -> dict:
        """The ``pdz-valore`` widget: a number, a number with its qualifier or a range, one or
        more in a sentence; every word it shows comes from the schema."""
        qualified = schemas.definitions()["valore_qualificato"]
        number, interval = qualified["anyOf"]
        fields = {name: {"label": sub["title"], "hint": sub["description"], "kind": _value_kind(sub, self.kind.name)}
                  for name, sub in qualified["properties"].items()}
        return {"widget": "pdz-valore", "pdz_fields": fields,
                "pdz_forms": [{"value": "numero", "label": number["title"]}, {"value": "intervallo", "label": interval["title"]}],
                "pdz_qualifiers": _options(schemas.definitions()["qualificatore"]),
                "pdz_item": schemas.definitions()["valore_misurato"]["anyOf"][2]["items"]["title"]}

    def field_options(self) -> list[dict]:
        """The record's fields and the fields of its groups, by title (a note's "voce interessata")."""
        options = []
        for name, raw in self.root.get("properties", {}).items():
            schema = schemas.expand_named(raw, self.kind.name)
            options.append({"label": label(name, schema), "value": name})
            if schema.get("type") == "object":
                for sub_name, sub in schema.get("properties", {}).items():
                    sub = schemas.expand_named(sub, self.kind.name)
                    options.append({"label": f"{label(name, schema)} › {label(sub_name, sub)}", "value": f"{name}.{sub_name}"})
        return options

    def relation(self, target: str, path: tuple, multiple: bool) -> dict:
        options = self.relations.get(path) or self.relations.get(target)
        if options is None:   # a kind with no collection here: plain identifier
            return {"widget": "list", "field": {"name": "id", "label": "Identificativo", "widget": "string"}} \
                if multiple else {"widget": "string"}
        return {**options, "multiple": multiple, "pdz_kind": target}   # the kind: its names in summaries


_TEXT_FIELDS = {"descrizione", "testo", "nota", "sintesi", "spiegazione"}


def _options(schema: dict) -> list[dict]:
    return [{"label": text, "value": value} for value, text in schemas.enum_labels(schema).items()]


def _value_kind(raw: dict, kind: str) -> str:
    """How the ``pdz-valore`` widget asks for one field of a qualified value."""
    schema = schemas.expand_named(raw, kind)
    if raw.get("$ref", "").endswith("/data"):
        return "date"
    if "enum" in schema:
        return "choice"
    return {"number": "number", "integer": "number", "boolean": "boolean"}.get(schema.get("type", ""), "text")


def _summary_fields(items: dict) -> list[str]:
    """The fields that sum up a list item: the schema's ``x-sommario``, or its required fields."""
    return list(items.get(SUMMARY) or items.get("required") or list(items.get("properties", {}))[:1])


def plan_groups(catalog) -> dict[str, tuple]:
    """The folders that hold one plan's records: folder -> (id prefix, ambito, plan id).

    Derived from where the records and the plans actually are, not from a fixed layout."""
    groups: dict[str, tuple] = {}
    for record in catalog.by_key.values():
        if KINDS[record.kind].scoped:   # id = <prefix>/<kind folder>/<name>
            group = os.path.dirname(os.path.dirname(record.path))
            groups.setdefault(group, (record.id.rsplit("/", 2)[0], record.ambito, record.piano))
        elif record.kind == "piano":
            groups[os.path.dirname(record.path)] = (record.id, record.ambito, record.id)
    return dict(sorted(groups.items()))


def _scoped_name(prefix: str, kind) -> str:
    return f"{prefix}/{kind.folder}".replace("/", "-")


def _target_prefixes(catalog, group_prefix: str, kind) -> dict[tuple, str]:
    """For each reference of ``kind`` to a plan's records: the id prefix its values use most
    in this plan's records (an evaluation points at the previous plan's objectives)."""
    out = {}
    records = [r for r in catalog.all(kind.name) if r.id.startswith(group_prefix + "/")]
    for ref in kind.refs:
        if not KINDS[ref.target].scoped:
            continue
        counts = Counter(value.rsplit("/", 1)[0] for r in records for _, value in iter_ref_values(r.data, ref.path))
        out[ref.path] = counts.most_common(1)[0][0] if counts else f"{group_prefix}/{KINDS[ref.target].folder}"
    return out


def build_config(catalog, *, repo: str, branch: str = "main", local_proxy: str | None = None,
                 auth: dict | None = None, site_url: str = "/") -> dict:
    """The whole Decap configuration as a plain dict (served as ``admin/config.json``)."""
    ambiti = {r.id: r.title for r in catalog.all("ambito")}
    shared = {"ambito": {"widget": "select", "options": [{"label": ambiti[a], "value": a} for a in sorted(ambiti)]}}
    for kind in KINDS.values():
        if not kind.scoped and kind.folder:
            shared[kind.name] = _relation(kind, kind.folder, "{{slug}}")
    collections = []
    for kind in KINDS.values():
        if not kind.scoped and kind.folder:
            fields = _Fields(kind.name, shared).fields()
            collections.append(_folder_collection(kind, kind.folder, f"{CONTENT}/{kind.folder}", fields,
                                                  kind.label_plural, create=kind.name in ("partner", "sigla", "voce")))
    for kind in KINDS.values():   # one file per record (the Ambiti, their plans)
        if kind.scoped or kind.folder:
            continue
        records = [r for r in catalog.all(kind.name) if r.path.endswith(".yaml")]
        if not records:
            continue
        fields = _Fields(kind.name, shared).fields()
        collections.append({
            "name": kind.name, "label": kind.label_plural, "label_singular": kind.label,
            "format": "pdz-yaml", "extension": "yaml", "editor": {"preview": True},
            "files": [{"name": r.id.replace("/", "-"), "file": r.path, "fields": fields,
                       "label": r.title if kind.name == "ambito" else f"{ambiti.get(r.ambito, r.ambito)} · {r.title}"}
                      for r in sorted(records, key=lambda r: r.id)]})
    prefixes = {prefix for prefix, _, _ in plan_groups(catalog).values()}
    for group, (prefix, ambito, plan) in plan_groups(catalog).items():
        where = f"{ambiti.get(ambito, ambito)} {plan.rsplit('/', 1)[-1] if plan else ''}".strip()
        for kind in KINDS.values():
            if not kind.scoped:
                continue
            relations: dict = dict(shared)
            for path, target_prefix in _target_prefixes(catalog, prefix, kind).items():
                target = next(r.target for r in kind.refs if r.path == path)
                owner = target_prefix.rsplit("/", 1)[0]
                if owner not in prefixes:
                    continue
                relations[path] = _relation(KINDS[target], _scoped_name(owner, KINDS[target]), target_prefix + "/{{slug}}")
            fields = _Fields(kind.name, relations).fields()
            collections.append(_folder_collection(kind, _scoped_name(prefix, kind), f"{group}/{kind.folder}", fields,
                                                  f"{where} · {kind.label_plural}", create=True))
    # open_authoring: an editor without write access saves in a fork of theirs and proposes the
    # change as a pull request (Decap needs the editorial workflow for it)
    backend = {"name": "github", "repo": repo, "branch": branch, "open_authoring": True, **(auth or {})}
    config = {"locale": "it", "site_url": site_url, "display_url": site_url, "backend": backend,
              "publish_mode": "editorial_workflow",
              "media_folder": "docs/assets/immagini", "public_folder": "/assets/immagini",
              "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
              "collections": collections}
    if local_proxy:   # make redazione: the working copy through decap-server, saved as files
        config["backend"] = {"name": "proxy", "proxy_url": local_proxy, "branch": branch}
        del config["publish_mode"]
    return config


def _relation(kind, collection: str, value: str) -> dict:
    title = kind.title_field
    search = [title] + (["lettera"] if kind.name == "area" else []) + (["sigla"] if kind.name == "partner" else [])
    return {"widget": "relation", "collection": collection, "value_field": value,
            "search_fields": search, "display_fields": [title], "options_length": 50}


def _folder_collection(kind, name: str, folder: str, fields: list, label_plural: str, create: bool) -> dict:
    markdown = kind.markdown
    return {
        "name": name, "label": label_plural, "label_singular": kind.label,
        "folder": folder, "create": create, "delete": False,
        "format": "pdz-md" if markdown else "pdz-yaml", "extension": "md" if markdown else "yaml",
        "identifier_field": kind.title_field, "summary": "{{filename}} · {{%s}}" % kind.title_field,
        "sortable_fields": [kind.title_field], "editor": {"preview": True},
        "fields": fields,
    }


def schema_field_paths(kind: str) -> set[tuple]:
    """Every field of a kind's schema, as paths ('*' for list items): what the editor must offer."""
    root = schemas.kind_schema(kind)
    out: set[tuple] = set()

    def walk(schema, path):
        schema = schemas.expand_named(schema, kind)
        for name, sub in schema.get("properties", {}).items():
            out.add(path + (name,))
            walk(sub, path + (name,))
        items = schema.get("items")
        if isinstance(items, dict):
            walk(items, path + ("*",))
    walk(root, ())
    return out


def config_field_paths(fields: list[dict], path: tuple = ()) -> dict[tuple, str]:
    """Paths of the fields of one collection, mapped to their widget."""
    out = {}
    for field in fields:
        here = path + (field["name"],)
        out[here] = field.get("widget", "string")
        out.update(config_field_paths(field.get("fields", []), here if field.get("widget") == "object" else here + ("*",)))
    return out
