"""Numbers YAML would read in surprising ways, and open data that spreadsheets could execute
(issue #11, holes 5 and 6).

- Not-a-number, infinity, base 60, hex/octal/binary, '_' separators, exponents and numbers too
  long for a float are refused with an Italian message at their line, whether written plainly or
  quoted with an explicit tag (``!!float ".nan"``, ``!!int "1:20"``).
- Open-data JSON is strict JSON; CSV text cells that start with = + - @, tab or CR get a leading
  single quote (OWASP), numbers stay numbers, JSON keeps the text unchanged.
"""
from __future__ import annotations

import copy
import csv
import io
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdz_dev.project import examples, FIXTURES, SUMMARY, make_project, write
from pdz.content import yamlsafe
from pdz.content.catalog import Catalog
from pdz.opendata.publish import METADATA_PATHS, open_data_metadata
from pdz.opendata.tables import FORMULA_STARTS, export_files, export_paths, spreadsheet_safe
from pdz.content.loader import load_content
from pdz.content.problems import ERROR

NUMBER_TRAPS = {
    ".nan": "non è un numero", ".NaN": "non è un numero", "-.inf": "non è un numero", "+.Inf": "non è un numero",
    ".inf": "non è un numero", "1:20": "in base 60", "190:20:30": "in base 60", "-1:30": "in base 60",
    "1:20.5": "in base 60", "0x1F": "forma ambigua", "0o17": "forma ambigua", "0b101": "forma ambigua",
    "1_000": "forma ambigua", "1e5": "forma ambigua", "1.5e+400": "forma ambigua", "+5": "forma ambigua",
    "9" * 400: "troppe cifre", "-" + "9" * 40: "troppe cifre", "1" * 16 + ".5": "troppe cifre",
}
FORMS = {"plain": "{}", "!!float": '!!float "{}"', "!!int": '!!int "{}"', "!!float plain": "!!float {}",
         "!!int plain": "!!int {}"}
CASES = [(value, form) for value in NUMBER_TRAPS for form in FORMS]


@pytest.mark.parametrize("value,form", CASES, ids=[f"{f}-{v[:12]}" for v, f in CASES])
def test_number_traps_are_refused_in_every_spelling(value, form):
    text = "titolo: x\nvalore: " + FORMS[form].format(value) + "\n"
    result = yamlsafe.load(text)
    if form == "plain" and not result.issues:   # YAML 1.1 reads it as text (0o17, 1e5): it stays text
        assert result.data["valore"] == value
        return
    assert len(result.issues) == 1, (text, result.issues)
    issue = result.issues[0]
    assert issue.line == 2 and issue.path == ("valore",)
    assert NUMBER_TRAPS[value] in issue.message and issue.hint
    assert not isinstance(result.data["valore"], (int, float))


def test_an_integer_tag_on_a_decimal_is_refused():
    result = yamlsafe.load('a: !!int "1.5"\n')
    assert [i.message for i in result.issues] == ['il valore 1.5 ha dei decimali ma è marcato come intero']


def test_plain_numbers_still_read_as_numbers():
    assert yamlsafe.load("a: -3\nb: 1500000.50\nc: !!float \"2\"\nd: 0\n").data == {"a": -3, "b": 1500000.5, "c": 2.0, "d": 0}


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.one_of(st.sampled_from(list(NUMBER_TRAPS)), st.from_regex(r"[-+]?[0-9._:eExXoObB]{1,30}", fullmatch=True),
                      st.floats().map(repr), st.integers(-10**30, 10**30).map(str)),
       form=st.sampled_from(list(FORMS)))
def test_loaded_numbers_are_always_finite_and_short(body, form):
    result = yamlsafe.load("a: " + FORMS[form].format(body) + "\n")
    value = (result.data or {}).get("a") if isinstance(result.data, dict) else None
    if isinstance(value, float):
        assert math.isfinite(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        assert abs(value) < 10 ** 15
        assert not result.issues


@pytest.mark.parametrize("target,line,field", [
    ("ambiti/prova/2021-2023/sezioni/02-ordine.md", 3, "ordine"),
    ("ambiti/prova/2021-2023/dati/nan.yaml", 6, "righe[0][1]"),
])
def test_a_number_trap_in_a_file_gives_file_line_and_field(tmp_path, target, line, field):
    project = make_project(tmp_path, FIXTURES / "valid")
    if target.endswith(".md"):
        write(project, target, '---\ntitolo: "Sezione"\nordine: !!int "1:20"\nfonti:\n  - documento: doc-prova\n'
                               "    righe: [1, 2]\n---\nTesto.\n")
    else:
        write(project, target, 'titolo: "Spesa"\ncolonne:\n  - {nome: "Voce", tipo: testo}\n'
                               '  - {nome: "Importo", tipo: euro}\nrighe:\n  - ["Totale", !!float ".nan"]\n'
                               "fonti:\n  - documento: doc-prova\n    righe: [1, 2]\n")
    _, problems = load_content(project)
    errors = [p for p in problems if p.severity == ERROR]
    assert [(e.path, e.line, e.field) for e in errors] == [("content/" + target, line, field)], \
        [e.format() for e in errors]


# --- open data ---------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"https://example.org\",\"clicca\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
            "\t=1", "\r=1", "=1", "- voce di elenco"]


@pytest.fixture(scope="module")
def catalog():
    catalog, problems = load_content(FIXTURES / "valid")
    assert problems == []
    return catalog


def with_titles(catalog, title: str, negative: float) -> Catalog:
    records = []
    for record in catalog.by_key.values():
        record = copy.deepcopy(record)
        if record.kind in ("obiettivo", "valutazione", "partner"):
            record.data["titolo" if record.kind != "partner" else "nome"] = title
        if record.kind == "obiettivo" and (record.data.get("risultati") or {}).get("indicatori"):
            record.data["risultati"]["indicatori"][0]["valore_obiettivo"] = negative
        records.append(record)
    return Catalog(records)


def csv_cells(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8")), quoting=csv.QUOTE_NONNUMERIC))


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_cells_never_start_a_formula_and_json_keeps_the_text(catalog, formula):
    files = export_files(with_titles(catalog, formula, -2.5), "https://example.org/")
    checked = 0
    for path, data in files.items():
        if path.endswith(".csv"):
            cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8")), quoting=csv.QUOTE_NONNUMERIC)
                     for c in row]   # unquoted cells are read as numbers: only texts can start a formula
            assert not [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_STARTS)], path
            rows = csv_cells(data)
            for row in rows:
                for key in ("titolo", "nome"):
                    if key in row:
                        assert row[key] == "'" + formula
                        checked += 1
        elif path.endswith(".json") and "/schemi/" not in path:
            rows = json.loads(data)["elementi"]
            for row in rows:
                for key in ("titolo", "nome"):
                    if key in row:
                        assert row[key] == formula
    assert checked >= 3


def test_numbers_stay_numbers_in_csv_even_when_negative(catalog):
    files = export_files(with_titles(catalog, "Casa", -2.5), "https://example.org/")
    rows = csv_cells(files["dati/indicatori.csv"])
    assert -2.5 in [row["valore_obiettivo"] for row in rows]
    text = files["dati/indicatori.csv"].decode("utf-8")
    assert ",-2.5," in text and "'-2.5" not in text
    budget = csv_cells(files["dati/risorse.csv"])
    assert all(isinstance(row["importo_euro"], float) for row in budget)


@settings(max_examples=examples(300), deadline=None)
@given(text=st.text(max_size=20))
def test_spreadsheet_protection_is_reversible_and_complete(text):
    safe = spreadsheet_safe(text)
    assert not safe.startswith(FORMULA_STARTS)
    assert (safe[1:] if text.startswith(FORMULA_STARTS) else safe) == text
    assert spreadsheet_safe(-3) == -3 and spreadsheet_safe(-0.5) == -0.5


def test_the_open_data_paths_are_known_before_the_files_are_made(catalog):
    """``mkdocs serve`` places the open data by its paths and makes it after the pages are shown
    (pdz.site.assembly.write_later): the paths are those made, in the order made."""
    files = export_files(catalog, "https://example.org/")
    assert list(files) == export_paths(catalog)
    assert tuple(open_data_metadata(catalog, files, "https://example.org/", {}, {"x": "2024-01-02"})) == METADATA_PATHS


def test_open_data_json_is_strict(catalog):
    files = export_files(catalog, "https://example.org/")
    for path, data in files.items():
        if path.endswith(".json"):
            json.loads(data, parse_constant=lambda name, path=path: pytest.fail(f"{path}: {name}"))
    broken = with_titles(catalog, "Casa", float("nan"))
    with pytest.raises(ValueError):
        export_files(broken, "https://example.org/")
    SUMMARY["trappole dei numeri e formule nei CSV"] = (
        f"{len(CASES)} numeri in {len(FORMS)} grafie + 300 esempi Hypothesis; {len(FORMULAS)} formule in ogni CSV")
