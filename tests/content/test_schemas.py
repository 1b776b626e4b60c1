"""The JSON Schemas are the contract for the validator and for editors' tools."""
from __future__ import annotations

import json
from pathlib import Path

from pdz.content.model import KINDS
from pdz_dev.project import FILE_JARGON, FIXTURES, ROOT, make_project, schemas_copy

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


def test_every_field_has_an_italian_title_and_description():
    """The title is the field's label in the web editor's form, the description its help: the
    field's own, or those of the shared definition it refers to (a field every kind has, such as
    the reason of a change, is described once)."""
    definitions = json.loads((SCHEMAS / "_defs.schema.json").read_text(encoding="utf-8"))["$defs"]
    missing = []
    for path in SCHEMAS.glob("*.schema.json"):
        for field, schema in properties(json.loads(path.read_text(encoding="utf-8"))):
            shared = definitions.get(schema.get("$ref", "").rpartition("/")[2], {}) if "_defs" in schema.get("$ref", "") else {}
            missing += [f"{path.name}{field} {key}" for key in ("title", "description")
                        if not schema.get(key) and not shared.get(key)]
    assert missing == []


def lists(node, path=""):
    if isinstance(node, dict):
        if isinstance(node.get("items"), dict):
            yield path, node
        for key, value in node.items():
            yield from lists(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from lists(value, f"{path}/{i}")


def test_every_list_names_one_of_its_items():
    """A list's title is plural ("Indicatori"), its items' title singular ("Indicatore"): the
    form counts them ("1 indicatore", "3 indicatori") and adds one ("Aggiungi indicatore")."""
    unnamed = [f"{path.name}{where}" for path in SCHEMAS.glob("*.schema.json")
               for where, node in lists(json.loads(path.read_text(encoding="utf-8")))
               if not node["items"].get("title") and "x-riferimento" not in node["items"]   # chosen by name
               and "/righe/items" not in where]   # a table row's cells
    assert unnamed == []




def texts(node, where=""):
    if isinstance(node, dict):
        for key in ("title", "description"):
            if isinstance(node.get(key), str):
                yield f"{where}/{key}", node[key]
        for key, value in node.items():
            if key != "x-nel-file":   # the note for file authors may speak YAML
                yield from texts(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from texts(value, f"{where}/{i}")


def test_titles_and_descriptions_speak_the_editors_language():
    jargon = [f"{path.name}{where}: {text}" for path in sorted(SCHEMAS.glob("*.schema.json"))
              for where, text in texts(json.loads(path.read_text(encoding="utf-8"))) if FILE_JARGON.search(text)]
    assert jargon == []
    assert FILE_JARGON.search('Risposta: si, no, in_parte oppure non_indicato (tra virgolette).')
    assert FILE_JARGON.search('un numero con qualificatore ({valore: 300, qualificatore: "circa"})')
    assert not FILE_JARGON.search("L'obiettivo è trasversale? (per esempio «almeno 3»)")


def test_file_syntax_reaches_file_authors_only():
    """make nuovo comments and make check hints add the note for file authors; the form does not."""
    from pdz.content import schemas
    from pdz.editor.scaffold import template
    date = schemas.definitions()["data"]
    assert "virgolette" in date["x-nel-file"] and "virgolette" not in date["description"]
    assert schemas.file_hint(date) == date["description"] + " " + date["x-nel-file"]
    scaffold = template("obiettivo", {})
    assert "# La data entro cui rivedere il contenuto. Nel file si scrive tra virgolette" in scaffold


def test_editor_settings_map_every_kind_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = {schema.split("/")[-1] for schema in settings["yaml.schemas"]}
    assert mapped == {f"{k}.schema.json" for k in KINDS if k != "sezione"}   # sections are Markdown


# --- the schemas are the only vocabulary (issue #24) -------------------------------------------

def _enums(node, where):
    if isinstance(node, dict):
        if "enum" in node:
            yield where, node
        for key, value in node.items():
            yield from _enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _enums(value, f"{where}/{i}")


def every_enum():
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        yield from _enums(json.loads(path.read_text(encoding="utf-8")), path.name)


def test_every_closed_list_names_each_value_in_italian():
    wrong = [where for where, node in every_enum()
             if set(node.get("x-etichette", {})) != set(node["enum"])
             or not all(isinstance(v, str) and v.strip() for v in node.get("x-etichette", {}).values())]
    assert wrong == []
    named = [where for where, _ in every_enum() if not where.startswith("_defs.schema.json/$defs/")]
    assert named == [], "closed lists live in _defs, by name, so every place reads them alike"


def test_references_are_declared_by_the_schemas():
    from pdz.content import schemas
    for kind in KINDS.values():
        for ref in kind.refs:
            assert ref.target in KINDS, (kind.name, ref)
    assert ("continuita", "valutazioni", "*", "valutazione") in {r.path for r in KINDS["obiettivo"].refs}
    assert all(("fonti", "*", "documento") in {r.path for r in k.refs} for k in KINDS.values() if k.name != "documento")
    assert schemas.references("valutazione")[0] == (("obiettivo_valutato",), "obiettivo")


def test_no_python_module_keeps_its_own_copy_of_a_list_of_labels():
    """A dict literal whose keys are all the values of a closed list is a second copy of its labels."""
    import ast

    import pdz
    from pdz.content import schemas
    lists = [set(values) for values in schemas.vocabularies().values() if len(values) >= 3]
    copies = []
    for path in Path(pdz.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
                if any(values <= keys for values in lists):
                    copies.append(f"{path.name}:{node.lineno}")
    assert copies == []


def test_a_new_value_of_a_list_is_one_schema_change(tmp_path):
    """Add a target group to _defs only: validation, the page, the index by target group, the web
    editor's select, the open data and the scaffold all follow."""
    from pdz.content.loader import load_content
    from pdz.editor.decap import build_config
    from pdz.editor.scaffold import template
    from pdz.opendata.tables import export_files
    from pdz.render import Build, build_pages
    project = make_project(tmp_path, FIXTURES / "valid")
    objective = project / "content/ambiti/prova/2021-2023/obiettivi/01-casa.md"
    objective.write_text(objective.read_text(encoding="utf-8").replace("categorie_target: [famiglie]",
                                                                      "categorie_target: [famiglie, senza-dimora]"))
    with schemas_copy(tmp_path / "schemi") as folder:
        defs = json.loads((folder / "_defs.schema.json").read_text(encoding="utf-8"))
        target = defs["$defs"]["categoria_target"]
        target["enum"].append("senza-dimora")
        target["x-etichette"]["senza-dimora"] = "Persone senza dimora"
        (folder / "_defs.schema.json").write_text(json.dumps(defs, indent=2, ensure_ascii=False), encoding="utf-8")
        catalog, problems = load_content(project)
        assert problems == []
        pages = {p.url: p for p in build_pages(Build(catalog))}
        assert "Persone senza dimora" in pages["prova/2021-2023/obiettivi/01-casa/"].body \
            or "Persone senza dimora" in pages["destinatari/senza-dimora/"].body
        assert "01-casa" in pages["destinatari/senza-dimora/"].body
        config = json.dumps(build_config(catalog, repo="ente/sito"), ensure_ascii=False)
        assert '{"label": "Persone senza dimora", "value": "senza-dimora"}' in config
        assert b"senza-dimora" in export_files(catalog, "https://example.org/")["dati/obiettivi.csv"]
        assert "senza-dimora" in template("obiettivo", {})
    _, problems = load_content(project)   # the real schemas again: the value is unknown there
    assert [p.field for p in problems] == ["categorie_target[1]"]


def test_a_new_field_is_one_schema_change(tmp_path):
    """Add a field to one schema only: validation, the web editor's form (label and help from
    the schema), the scaffold and the hostile-text coverage (string_fields) all follow."""
    from pdz.content import schemas
    from pdz.content.loader import load_content
    from pdz.editor.decap import build_config
    from pdz.editor.scaffold import template
    project = make_project(tmp_path, FIXTURES / "valid")
    objective = project / "content/ambiti/prova/2021-2023/obiettivi/01-casa.md"
    objective.write_text(objective.read_text(encoding="utf-8").replace("categorie_target: [famiglie]",
                                                                      "categorie_target: [famiglie]\nsito_web: \"casa.example.org\""))
    with schemas_copy(tmp_path / "schemi") as folder:
        schema = json.loads((folder / "obiettivo.schema.json").read_text(encoding="utf-8"))
        schema["properties"]["sito_web"] = {"$ref": "_defs.schema.json#/$defs/riga", "title": "Sito web del servizio",
                                            "description": "L'indirizzo del sito del servizio, come lo scrive la scheda."}
        (folder / "obiettivo.schema.json").write_text(json.dumps(schema, indent=2, ensure_ascii=False), encoding="utf-8")
        catalog, problems = load_content(project)
        assert problems == []
        assert catalog.get("obiettivo", "prova/2021-2023/obiettivi/01-casa").data["sito_web"] == "casa.example.org"
        config = json.dumps(build_config(catalog, repo="ente/sito"), ensure_ascii=False)
        assert '"label": "Sito web del servizio"' in config and "come lo scrive la scheda" in config
        assert "sito_web" in template("obiettivo", {})
        assert ("sito_web",) in schemas.text_fields("obiettivo")
    _, problems = load_content(project)
    assert any("sito_web" in p.message for p in problems)
