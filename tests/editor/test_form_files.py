"""The web editor's file writer (macros/pdz/editor/admin/pdz-files.js, run under Node): a save
changes only the lines of the values that changed, nested ones included, on every real file."""
from __future__ import annotations

import difflib
import json
import shutil
import subprocess

import pytest
import yaml

from pdz_dev.project import ROOT
from pdz.content.loader import split_front_matter

# libyaml composes the same nodes as PyYAML's pure-Python reader (pdz.content.yamlsafe), about ten
# times faster: the check of every real file parses more than 3,000 YAML texts (70 s of CPU with
# the pure-Python reader under cProfile, most of the test).
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

pytestmark = pytest.mark.external   # Node runs the editor's own module

ADMIN = ROOT / "macros" / "pdz" / "editor" / "admin"
DRIVER = """
import { readFile, writeFile } from "./pdz-files.js";
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(({ text, markdown, path, value, remove, fields, read }) => {
    const data = readFile(text, markdown, "descrizione", fields || []);
    if (read) return JSON.stringify(Object.fromEntries(Object.entries(data).filter(([key]) => key !== "__pdz_file")));
    let node = data;
    for (const key of path.slice(0, -1)) node = node[key];
    if (remove) {
      if (Array.isArray(node)) node.splice(path[path.length - 1], 1); else delete node[path[path.length - 1]];
    } else node[path[path.length - 1]] = value;
    return writeFile(data, fields || [], markdown, "descrizione");
  });
  process.stdout.write(JSON.stringify(out));
});
"""


@pytest.fixture(scope="module")
def write(tmp_path_factory):
    """Edit files as the form does: each case is a file, a path and its new value (or removal)."""
    folder = tmp_path_factory.mktemp("form-files")
    shutil.copy(ADMIN / "pdz-files.js", folder / "pdz-files.js")
    shutil.copytree(ROOT / "node_modules" / "yaml" / "browser" / "dist", folder / "yaml")
    (folder / "driver.mjs").write_text(DRIVER, encoding="utf-8")

    def node(cases: list[dict]) -> list[str]:
        result = subprocess.run(["node", str(folder / "driver.mjs")], input=json.dumps(cases), capture_output=True,
                                text=True, timeout=300, cwd=folder)
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout)

    # Node edits each case on its own (pdz-files.js keeps no state between them): the cases of the
    # small tests below go through one Node, which cost 0.2 s of CPU to start for each test
    done = dict(zip(map(_key, PREPARED), node(PREPARED)))

    def run(cases: list[dict]) -> list[str]:
        if all(_key(case) in done for case in cases):
            return [done[_key(case)] for case in cases]
        return node(cases)
    return run


def _key(case: dict) -> str:
    return json.dumps(case, sort_keys=True)


OBJECTIVE = """---
# Scheda di prova: questo commento resta.
titolo: "Agenzia per la casa"
numero: "1"
categorie_target: [famiglie]
risorse_economiche:
  testo: "€ 250.000,00"
  componenti:
    - {importo: 250000.00, tipo: "risorse_preventivate"}
    - {importo: 352000.00, tipo: "costo_personale",
       voce: "costo del personale"}
trasversale: {risposta: "no"}
bisogni:
  testo: "Affitti alti."
  indicatori:
    - tipo: input
      descrizione: "Sfratti"
      anno: "2020"
      misurazioni:
        - periodo: "2021"
          valore: 12   # dal monitoraggio del 2022
          fonte: {documento: doc-prova, righe: [10, 12]}
        - periodo: "2022"
          valore: 14

fonti:
  - documento: doc-prova
    righe: [10, 20]
---

Una **agenzia** per la casa.
"""
MEASUREMENTS = ["bisogni", "indicatori", 0, "misurazioni"]
FIELDS = [{"name": "titolo"}, {"name": "numero"}, {"name": "categorie_target"}, {"name": "target"},
          {"name": "risorse_economiche"}, {"name": "bisogni", "fields": [
              {"name": "testo"}, {"name": "indicatori", "fields": [
                  {"name": "tipo"}, {"name": "descrizione"}, {"name": "unita"}, {"name": "anno"}]}]},
          {"name": "fonti"}]


def changes(before: str, after: str) -> list[tuple[list[str], list[str]]]:
    a, b = before.split("\n"), after.split("\n")
    return [(a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
            if tag != "equal"]


def edit(text: str, path: list, value=None, remove: bool = False, markdown: bool = True, fields=None) -> dict:
    """A case for Node: ``text`` with the value at ``path`` set to ``value`` (or removed)."""
    case = {"text": text, "markdown": markdown, "path": path, "value": value, "fields": fields or []}
    return {**case, "remove": True} if remove else case


SAVES = [
    (MEASUREMENTS + [0, "valore"], 13,
     [(["          valore: 12   # dal monitoraggio del 2022"], ["          valore: 13"])]),
    (MEASUREMENTS + [1, "valore"], {"valore": 300, "qualificatore": "circa"},
     [(["          valore: 14"], ["          valore:", "            valore: 300", "            qualificatore: circa"])]),
    (MEASUREMENTS + [0, "fonte", "righe"], [11, 12],
     [(["          fonte: {documento: doc-prova, righe: [10, 12]}"],
       ["          fonte: {documento: doc-prova, righe: [11, 12]}"])]),
    (["risorse_economiche", "componenti", 0, "importo"], 260000,
     [(['    - {importo: 250000.00, tipo: "risorse_preventivate"}'],
       ['    - {importo: 260000.00, tipo: "risorse_preventivate"}'])]),
    (["trasversale", "nota"], "solo area famiglie",
     [(['trasversale: {risposta: "no"}'], ['trasversale: {risposta: "no", nota: solo area famiglie}'])]),
    (MEASUREMENTS + [2], {"periodo": "2023", "valore": 15},
     [([], ['        - periodo: "2023"', "          valore: 15"])]),
    (["bisogni", "indicatori", 0, "unita"], "famiglie", [([], ["      unita: famiglie"])]),
    (["target"], "Famiglie in affitto", [([], ["target: Famiglie in affitto"])]),
    (["numero"], "2", [(['numero: "1"'], ['numero: "2"'])]),
    (["descrizione"], "Un'agenzia.", [(["Una **agenzia** per la casa."], ["Un'agenzia."])]),
]


@pytest.mark.parametrize("path, value, expected", SAVES)
def test_a_save_changes_only_the_lines_of_the_changed_value(write, path, value, expected):
    after, = write([edit(OBJECTIVE, path, value, fields=FIELDS)])
    assert changes(OBJECTIVE, after) == expected
    assert after.startswith("---\n# Scheda di prova: questo commento resta.\n")


REASON_FIELDS = [{"name": "motivo_modifica", "pdz_ask_each_save": True}, *FIELDS]   # as decap.py generates them
WITH_REASON = OBJECTIVE.replace("titolo:", 'motivo_modifica: "dato del monitoraggio di marzo"\ntitolo:', 1)
REASON_CASES = [{"text": WITH_REASON, "markdown": True, "read": True, "fields": REASON_FIELDS},
                edit(WITH_REASON, ["motivo_modifica"], "variazione di bilancio", fields=REASON_FIELDS),
                edit(OBJECTIVE, ["motivo_modifica"], "variazione di bilancio", fields=REASON_FIELDS)]


def test_the_form_asks_the_reason_afresh_at_every_save(write):
    """The reason of the change (``pdz_ask_each_save``) is read as empty, so that the form asks
    for it again and no earlier reason is saved unseen; the one typed replaces it in its line, or
    goes first in the front matter, as the form shows it."""
    read, replaced, added = write(REASON_CASES)
    data = json.loads(read)
    assert "motivo_modifica" not in data and data["titolo"] == "Agenzia per la casa"
    assert changes(WITH_REASON, replaced) == [(['motivo_modifica: "dato del monitoraggio di marzo"'],
                                               ['motivo_modifica: "variazione di bilancio"'])]
    assert changes(OBJECTIVE, added) == [([], ["motivo_modifica: variazione di bilancio"])]
    assert added.startswith('---\n# Scheda di prova: questo commento resta.\nmotivo_modifica: variazione di bilancio\ntitolo:')


IN_FRONT = """---
titolo: "Agenzia per la casa"
descrizione: |
  Una **agenzia** per la casa.

  - primo punto
target: "Famiglie in difficoltà abitativa"
trasversale: {risposta: "no"}
---
"""


IN_FRONT_SAVES = [
    (["target"], "Famiglie e giovani coppie",
     [(['target: "Famiglie in difficoltà abitativa"'], ['target: "Famiglie e giovani coppie"'])]),
    (["descrizione"], "Una **agenzia** per la casa.\n\n- primo punto\n- secondo punto\n", [([], ["  - secondo punto"])]),
]


@pytest.mark.parametrize("path, value, expected", IN_FRONT_SAVES)
def test_a_text_in_the_front_matter_stays_there(write, path, value, expected):
    """A file whose text is still a field of its front matter (not yet moved to the body): a save
    edits it there, and leaves it there when another field changes."""
    after, = write([edit(IN_FRONT, path, value, fields=FIELDS)])
    assert changes(IN_FRONT, after) == expected


TABLE = """titolo: "Popolazione"
colonne:
  - {nome: "Comune", tipo: testo}
  - {nome: "Abitanti", tipo: numero}
righe:
  - ["Primo", 1000]
  - ["Secondo", null]
"""


TABLE_SAVES = [
    (["righe", 1, 1], 2500, [(['  - ["Secondo", null]'], ['  - ["Secondo", 2500]'])]),
    (["righe", 2], ["Terzo", None], [([], ['  - ["Terzo", null]'])]),   # written like its neighbours
    (["righe"], [["Primo", 1000], ["Secondo", 2500], ["Terzo", None], ["Quarto", 4]],   # a cell and two rows
     [(['  - ["Secondo", null]'], ['  - ["Secondo", 2500]', '  - ["Terzo", null]', '  - ["Quarto", 4]'])]),
    (["righe"], [["Primo", 999]], [(['  - ["Primo", 1000]', '  - ["Secondo", null]'], ['  - ["Primo", 999]'])]),
]


@pytest.mark.parametrize("path, value, expected", TABLE_SAVES)
def test_a_table_keeps_its_rows_and_empty_cells(write, path, value, expected):
    after, = write([edit(TABLE, path, value, markdown=False)])
    assert changes(TABLE, after) == expected


REMOVALS = [
    (MEASUREMENTS + [0], [(['        - periodo: "2021"', "          valore: 12   # dal monitoraggio del 2022",
                            "          fonte: {documento: doc-prova, righe: [10, 12]}"], [])]),
    (["bisogni", "indicatori", 0, "anno"], [(['      anno: "2020"'], [])]),
    (["trasversale"], [(['trasversale: {risposta: "no"}'], [])]),
]
PREPARED = [*(edit(OBJECTIVE, path, value, fields=FIELDS) for path, value, _ in SAVES), *REASON_CASES,
            *(edit(IN_FRONT, path, value, fields=FIELDS) for path, value, _ in IN_FRONT_SAVES),
            *(edit(TABLE, path, value, markdown=False) for path, value, _ in TABLE_SAVES),
            *(edit(OBJECTIVE, path, remove=True) for path, _ in REMOVALS)]


@pytest.mark.parametrize("path, expected", REMOVALS)
def test_a_removed_value_removes_only_its_lines(write, path, expected):
    after, = write([edit(OBJECTIVE, path, remove=True)])
    assert changes(OBJECTIVE, after) == expected


def _leaves(node, path=(), flow_span=None):
    """Scalar leaves of a composed YAML node: (path, value node, lines a rewrite may touch)."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        if node.flow_style and flow_span is None:   # a flow collection is rewritten on its lines
            flow_span = (node.start_mark.line, node.end_mark.line)
        children = ((key.value, value) for key, value in node.value) if isinstance(node, yaml.MappingNode) \
            else enumerate(node.value)
        for key, child in children:
            yield from _leaves(child, path + (key,), flow_span)
    elif node.tag.endswith((":int", ":float", ":str")) and "\n" not in node.value and node.style not in ("|", ">"):
        yield path, node, flow_span or (node.start_mark.line, node.end_mark.line)


@pytest.mark.slow
def test_on_every_real_file_a_nested_change_touches_only_its_lines(write):
    """Every content file; in each, its deepest values and a middle one: the new file reads as
    the old one with that value changed, and only the lines that hold the value differ."""
    cases, expected = [], []
    for path in sorted((ROOT / "content").rglob("*")):
        if path.suffix not in (".md", ".yaml"):
            continue
        text = path.read_text(encoding="utf-8")
        markdown = path.suffix == ".md"
        front, _, _ = split_front_matter(text) if markdown else (text, "", 0)
        offset = 1 if markdown else 0   # the line of the opening '---'
        root = yaml.compose(front, Loader=FAST_LOADER)
        leaves = sorted(_leaves(root), key=lambda leaf: -len(leaf[0])) if root else []
        for leaf_path, node, (first, last) in leaves[:2] + leaves[len(leaves) // 2:len(leaves) // 2 + 1]:
            value = yaml.load(yaml.serialize(node), Loader=FAST_LOADER)
            new = value + 1 if isinstance(value, int | float) and not isinstance(value, bool) else f"{value} (modificato)"
            cases.append({"text": text, "markdown": markdown, "path": list(leaf_path), "value": new})
            expected.append((path, leaf_path, new, range(first + offset, last + offset + 1)))
    assert len(cases) > 1000
    for after, (path, leaf_path, new, lines) in zip(write(cases), expected):
        before = path.read_text(encoding="utf-8")
        old_lines = before.split("\n")
        touched = [i for tag, i1, i2, _, _ in difflib.SequenceMatcher(a=old_lines, b=after.split("\n"), autojunk=False)
                   .get_opcodes() if tag != "equal" for i in range(i1, max(i2, i1 + 1))]
        assert touched and set(touched) <= set(lines), (path, leaf_path, changes(before, after))
        want = yaml.load(split_front_matter(before)[0] if path.suffix == ".md" else before, Loader=FAST_LOADER)
        node = want
        for key in leaf_path[:-1]:
            node = node[key]
        node[leaf_path[-1]] = new
        got = yaml.load(split_front_matter(after)[0] if path.suffix == ".md" else after, Loader=FAST_LOADER)
        assert got == want, (path, leaf_path)
