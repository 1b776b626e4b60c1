"""The web editor's configuration is generated from schemas/: every field, the right widgets."""
from __future__ import annotations

import json
import re

import pytest

from pdz_dev.project import FILE_JARGON, FIXTURES, ROOT, build, make_project
from pdz.editor.decap import build_config, config_field_paths, plan_groups, schema_field_paths
from pdz.content.loader import load_content
from pdz.content.model import KINDS


@pytest.fixture(scope="module")
def real():
    catalog, _ = load_content(ROOT)
    return catalog, build_config(catalog, repo="ente/pdz-site")


def kind_of(collection: dict) -> str:
    return next(k.name for k in KINDS.values() if k.label == collection["label_singular"])


def fields_of(collection: dict) -> list[dict]:
    return collection["fields"] if "fields" in collection else collection["files"][0]["fields"]


def test_every_schema_field_is_in_the_editor(real):
    _, config = real
    covered = total = 0
    for collection in config["collections"]:
        wanted = schema_field_paths(kind_of(collection))
        offered = config_field_paths(fields_of(collection))
        missing = sorted(".".join(map(str, p)) for p in wanted - set(offered))
        assert missing == [], f"{collection['name']}: fields missing from the editor: {missing}"
        covered += len(wanted & set(offered))
        total += len(wanted)
    assert covered == total and total > 1000
    kinds = {kind_of(c) for c in config["collections"]}
    assert kinds == set(KINDS), set(KINDS) - kinds


def test_every_collection_asks_for_the_reason_of_the_change(real):
    """Whatever an editor changes or creates, the form asks why, first and as a required field
    (the reason the change history shows), with the label and help of the schemas' one
    definition, and opens it empty at every save (``pdz_ask_each_save``, read by pdz-files.js)."""
    from pdz.content import schemas
    _, config = real
    definition = schemas.definitions()["motivo_modifica"]
    forms = [(c["name"], fields) for c in config["collections"]
             for fields in ([c["fields"]] if "fields" in c else [f["fields"] for f in c["files"]])]
    assert {kind_of(c) for c in config["collections"]} == set(KINDS) and len(forms) > 70
    for name, fields in forms:
        first = fields[0]
        assert (first["name"], first["label"], first["required"], first["hint"], first["widget"], first["pdz_ask_each_save"]) == \
            ("motivo_modifica", "Motivo della modifica", True, definition["description"], "string", True), name
        assert [f["name"] for f in fields if f.get("pdz_ask_each_save")] == ["motivo_modifica"], name
    # defined once: every kind's schema refers to the shared definition, none describes it again
    for kind in KINDS:
        assert schemas.kind_schema(kind)["properties"]["motivo_modifica"] == {"$ref": "_defs.schema.json#/$defs/motivo_modifica"}


def test_a_field_added_to_a_schema_appears_without_touching_the_editor(real, tmp_path):
    import json

    from pdz_dev.project import schemas_copy
    catalog, _ = real
    with schemas_copy(tmp_path / "schemi") as folder:
        path = folder / "obiettivo.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema["properties"]["nuovo_campo"] = {"type": "integer", "minimum": 1, "description": "Un campo nuovo."}
        path.write_text(json.dumps(schema), encoding="utf-8")
        config = build_config(catalog, repo="ente/pdz-site")
    objective = next(c for c in config["collections"] if kind_of(c) == "obiettivo")
    new = next(f for f in objective["fields"] if f["name"] == "nuovo_campo")
    assert new == {"name": "nuovo_campo", "label": "Nuovo campo", "required": False, "hint": "Un campo nuovo.",
                   "widget": "number", "value_type": "int", "min": 1}


def field(fields: list[dict], *path: str) -> dict:
    for name in path:
        current = next(f for f in fields if f["name"] == name)
        fields = current.get("fields") or ([current["field"]] if "field" in current else [])
    return current


def test_widgets_follow_the_schema(real):
    catalog, config = real
    objective = next(c for c in config["collections"] if c["name"] == "corsico-2021-2023-obiettivi")
    fields = objective["fields"]
    assert field(fields, "titolo")["required"] is True and field(fields, "titolo")["label"] == "Titolo"
    assert field(fields, "target")["required"] is False
    assert field(fields, "titolo")["hint"].startswith("TITOLO OBIETTIVO")
    assert field(fields, "continuita")["label"] == "Continuità con la programmazione precedente"
    answer = field(fields, "trasversale", "risposta")
    assert answer["widget"] == "select" and [o["value"] for o in answer["options"]] == ["si", "no", "in_parte", "non_indicato"]
    amount = field(fields, "risorse_economiche", "componenti", "importo")
    assert amount["widget"] == "number" and amount["min"] == 0 and amount["required"] is True
    area = field(fields, "area")
    assert area["widget"] == "relation" and area["collection"] == "aree" and "nome" in area["search_fields"]
    partners = field(fields, "coprogettazione", "partner")
    assert partners["widget"] == "relation" and partners["collection"] == "partner" and partners["multiple"] is True
    for name in ("azioni", "fonti"):
        assert field(fields, name)["widget"] == "list" and "fields" in field(fields, name)
    assert field(fields, "risorse_economiche", "componenti")["widget"] == "list"
    assert field(fields, "bisogni", "indicatori")["widget"] == "list"
    evaluation = next(c for c in config["collections"] if c["name"] == "corsico-2021-2023-valutazioni")
    percentage = field(evaluation["fields"], "grado_raggiungimento", "percentuale")
    assert percentage["widget"] == "number" and (percentage["min"], percentage["max"]) == (0, 100)
    # an evaluation points at the objectives of the plan it evaluates: the relation follows the data
    evaluated = field(evaluation["fields"], "obiettivo_valutato")
    assert evaluated["collection"] == "corsico-2018-2020-obiettivi"
    assert evaluated["value_field"] == "corsico/2018-2020/obiettivi/{{slug}}"


def test_one_collection_per_kind_and_plan_from_the_folders_in_use(real):
    catalog, config = real
    names = {c["name"] for c in config["collections"]}
    groups = plan_groups(catalog)
    assert groups and all(folder.startswith("content/ambiti/") for folder in groups)
    for folder, (prefix, _, _) in groups.items():
        for kind in (k for k in KINDS.values() if k.scoped):
            name = f"{prefix}/{kind.folder}".replace("/", "-")
            assert name in names
            collection = next(c for c in config["collections"] if c["name"] == name)
            assert collection["folder"] == f"{folder}/{kind.folder}"
            assert collection["format"] == ("pdz-md" if kind.markdown else "pdz-yaml")
    assert config["locale"] == "it"
    assert config["backend"]["name"] == "github" and config["publish_mode"] == "editorial_workflow"
    local = build_config(catalog, repo="ente/pdz-site", local_proxy="http://127.0.0.1:8081/api/v1")
    assert local["backend"] == {"name": "proxy", "proxy_url": "http://127.0.0.1:8081/api/v1", "branch": "main"}


def test_the_built_site_serves_the_editor_at_admin(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    site = tmp_path / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    page = (site / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="it">' in page and 'http-equiv="Content-Security-Policy"' in page
    assert "'unsafe-inline'" not in page.split("script-src")[1].split(";")[0]
    assert "<script>" not in page and "://" not in page.replace("https://api.github.com", "").replace(
        "https://github.com", "").replace("https://avatars.githubusercontent.com", "").replace(
        "https://raw.githubusercontent.com", "")
    for name in ("decap-cms.js", "pdz-admin.js", "pdz-init.js", "yaml/index.js", "config.json"):
        assert (site / "admin" / name).is_file(), name
    config = json.loads((site / "admin" / "config.json").read_text(encoding="utf-8"))
    assert config["backend"]["repo"] == "pdz-site/pdz-site"
    assert any(c["name"] == "prova-2021-2023-obiettivi" for c in config["collections"])



# --- the form speaks the editors' language (issue #29) -------------------------------------

def form_fields(fields: list[dict], path=()):
    """Every field of a collection's form, nested ones included, with its path."""
    for f in fields:
        here = path + (f["name"],)
        yield here, f
        yield from form_fields(f.get("fields", []), here)
        if "field" in f:
            yield from form_fields([f["field"]], here + ("*",))


def test_labels_and_help_come_from_the_schemas_titles_and_descriptions(real):
    """Every label is a schema title, every help a description: no label made from a field name
    ("Unita", "Fonte dato"), no help in YAML ("tra virgolette", "{valore: 300, ...}")."""
    from pdz.content import schemas
    _, config = real
    titles = set()
    for path in schemas.schema_files():
        text = path.read_text(encoding="utf-8")
        titles |= set(re.findall(r'"title": "((?:[^"\\]|\\.)*)"', text))
    file_notes = [json.loads(f'"{note}"') for path in schemas.schema_files()
                  for note in re.findall(r'"x-nel-file": "((?:[^"\\]|\\.)*)"', path.read_text(encoding="utf-8"))]
    shown = 0
    for collection in config["collections"]:
        for path, f in form_fields(fields_of(collection)):
            label, hint = f["label"], f.get("hint", "")
            if f.get("widget") != "hidden":
                assert json.dumps(label, ensure_ascii=False)[1:-1] in titles, (collection["name"], path, label)
            assert not FILE_JARGON.search(label) and not FILE_JARGON.search(hint), (collection["name"], path, label, hint)
            assert not any(note in hint for note in file_notes), (collection["name"], path, hint)
            assert "si scrive nel file" not in hint
            shown += 1
    assert shown > 3000
    objective = fields_of(next(c for c in config["collections"] if c["name"] == "corsico-2021-2023-obiettivi"))
    assert field(objective, "bisogni", "indicatori", "unita")["label"] == "Unità di misura"
    assert field(objective, "bisogni", "indicatori", "fonte_dato")["label"] == "Fonte del dato"
    assert field(objective, "note_fonte")["label"] == "Note sulla fonte"
    assert field(objective, "numero")["hint"] == "Il numero della scheda nel piano (per esempio 4)."


def test_lists_count_and_sum_up_their_items_in_italian(real):
    _, config = real
    objective = fields_of(next(c for c in config["collections"] if c["name"] == "corsico-2021-2023-obiettivi"))
    indicators = field(objective, "bisogni", "indicatori")
    assert (indicators["label"], indicators["label_singular"]) == ("Indicatori", "Indicatore")
    assert indicators["pdz_summary"] == ["descrizione", "tipo"]   # description and type, not only the type
    assert field(objective, "bisogni", "elenco")["label_singular"] == "Punto elenco"
    assert field(objective, "fonti")["pdz_summary"] == ["documento", "righe"]
    for collection in config["collections"]:
        for path, f in form_fields(fields_of(collection)):
            if f.get("widget") == "list":
                assert f.get("label_singular") and f["label_singular"] != f["label"], (collection["name"], path)
                if "fields" in f:
                    assert f["pdz_summary"], (collection["name"], path)
    targets = field(objective, "categorie_target")   # several values of a closed list: one select
    assert targets["widget"] == "select" and targets["multiple"] is True


def closed_panels(fields: list[dict], path: tuple) -> int:
    """How many closed panels stand between the top of the form and the field at ``path``."""
    closed = 0
    for name in path:
        current = next(f for f in fields if f["name"] == name)
        if current.get("widget") == "list" and current.get("collapsed", True):
            closed += 1
        fields = current.get("fields", [])
    return closed


def test_a_measurement_is_one_click_away(real):
    _, config = real
    objective = fields_of(next(c for c in config["collections"] if c["name"] == "corsico-2021-2023-obiettivi"))
    path = ("bisogni", "indicatori", "misurazioni", "valore")
    assert closed_panels(objective, path) == 1   # the indicator; its section and measurements are open
    value = field(objective, *path)
    assert value["widget"] == "pdz-valore"
    assert [o["label"] for o in value["pdz_forms"]] == ["Un numero", "Un intervallo"]
    assert {"value": "piu_di", "label": "più di"} in value["pdz_qualifiers"]
    assert value["pdz_fields"]["minimo"]["label"] == "Inizio dell'intervallo"
    kinds = {name: f["kind"] for name, f in value["pdz_fields"].items()}   # every field of a figure, as typed
    assert kinds == {"valore": "number", "qualificatore": "choice", "minimo": "number", "massimo": "number",
                     "unita": "text", "voce": "text", "media": "boolean", "parziale_al": "date"}
    assert all(f.get("collapsed") is False for _, f in form_fields(objective) if f.get("widget") == "object")


def test_every_value_the_schemas_allow_has_a_form(real):
    """Measured values (a number, 'circa 300', 'tra 10 e 15') and a table's rows have widgets; only
    a source document's coverage filter (a free map, for developers) stays in the file."""
    _, config = real
    hidden = sorted({(collection["label_singular"], ".".join(path)) for collection in config["collections"]
                     for path, f in form_fields(fields_of(collection)) if f.get("widget") == "hidden"})
    assert hidden == [("Documento di origine", "inventario.filtro")]
    table = next(c for c in config["collections"] if c["label_singular"] == "Tabella di dati")
    rows = field(fields_of(table), "righe")
    assert rows["widget"] == "pdz-tabella" and rows["pdz_columns"] == "colonne"
    note = field(fields_of(table), "note_fonte", "campo")   # a field of the record, by its title
    assert note["widget"] == "select" and {"label": "Colonne", "value": "colonne"} in note["options"]
