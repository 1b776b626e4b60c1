"""Measured values as the sources write them: qualifiers, ranges, several figures per sentence."""
from __future__ import annotations

import csv
import io

import pytest

from pdz_dev.project import FIXTURES, make_project, real_content
from pdz.opendata.tables import export_files, indicator_rows
from pdz.content.loader import load_content
from pdz.content.problems import ERROR
from pdz.render.base import measured
from pdz.content.values import measured_values

OBJECTIVE = "ambiti/prova/2021-2023/obiettivi/01-casa.md"


def with_measure(tmp_path, yaml_value: str):
    project = make_project(tmp_path, FIXTURES / "valid")
    path = project / "content" / OBJECTIVE
    text = path.read_text(encoding="utf-8")
    assert "      valore_rilevato: 120\n" in text
    path.write_text(text.replace("      valore_rilevato: 120\n", yaml_value), encoding="utf-8")
    catalog, problems = load_content(project)
    return catalog, [p for p in problems if p.severity == ERROR]


def test_qualified_value_is_shown_and_exported_in_its_own_column(tmp_path):
    catalog, errors = with_measure(tmp_path, "      valore_rilevato:\n        valore: 4000\n        qualificatore: oltre\n")
    assert errors == []
    rows = [r for r in indicator_rows(catalog) if r["descrizione"] == "Sfratti"]
    assert rows[0]["valore_rilevato"] == 4000
    assert rows[0]["valore_rilevato_qualificatore"] == "oltre"
    files = export_files(catalog, "https://example.org/")
    header = next(csv.reader(io.StringIO(files["dati/indicatori.csv"].decode())))
    assert "valore_rilevato_qualificatore" in header


def test_several_figures_of_one_sentence_are_all_kept(tmp_path):
    catalog, errors = with_measure(tmp_path, "      valore_rilevato:\n        - {valore: 30, voce: dimissioni}\n"
                                             "        - {valore: 23, voce: nuove assunzioni}\n      unita: \"%\"\n")
    assert errors == []
    rows = [r for r in indicator_rows(catalog) if r["descrizione"] == "Sfratti"]
    assert [(r["valore_rilevato"], r["valore_voce"], r["valore_n"]) for r in rows] == \
        [(30, "dimissioni", 1), (23, "nuove assunzioni", 2)]


def test_range_and_labels():
    assert measured({"minimo": 10, "massimo": 15}, "persone") == "tra 10 e 15 persone"
    assert measured({"valore": 2000000, "qualificatore": "piu_di"}, "euro") == "più di 2.000.000 euro"
    assert measured({"valore": 23, "voce": "nuove <b>assunzioni</b>"}, "%") == "nuove &lt;b&gt;assunzioni&lt;/b&gt;: 23 %"
    assert measured_values(5) == [{"valore": 5}]


@pytest.mark.parametrize("yaml_value, message", [
    ("      valore_rilevato:\n        valore: 300\n        qualificatore: quasi\n", "valore 'quasi' non ammesso"),
    ("      valore_rilevato:\n        qualificatore: circa\n", "manca il campo obbligatorio 'valore'"),
    ("      valore_rilevato: \"circa 300\"\n", "nessuna delle forme ammesse"),
])
def test_bad_qualified_values_get_an_italian_message(tmp_path, yaml_value, message):
    _, errors = with_measure(tmp_path, yaml_value)
    assert len(errors) == 1, [e.format() for e in errors]
    assert message in errors[0].message and "valore_rilevato" in errors[0].field


def test_real_approximate_values_keep_their_qualifier():
    catalog, _ = real_content()
    qualified = {(r["record"], r["valore_rilevato"], r["valore_rilevato_qualificatore"]) for r in indicator_rows(catalog)}
    assert ("treviglio/2021-2023/valutazioni/08-informazione", 4000, "oltre") in qualified
    assert ("carate-brianza/2021-2023/valutazioni/06-fundraising", 2000000, "più di") in qualified
    crema8 = [r for r in indicator_rows(catalog) if r["record"] == "crema/2021-2023/obiettivi/08-welfare-distrettuale-governance"
              and "turn over" in r["descrizione"]]
    assert [r["valore_rilevato"] for r in crema8] == [30, 23]
