"""The check of derived statements (pdz/derived.py): every history, state, roll-up and measurement
series the site shows is recomputed and verified against its basis. The real content passes;
each kind of violation is caught, on the fictional next cycle (tests/fixtures/piani) with its
source texts written for the test."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time

from pdz_dev.project import FIXTURES, ROOT, SUMMARY, make_project, real_content
from pdz.content.loader import load_content
from pdz.content.sourcetext import load_texts
from pdz.domain import derived, monitoring
from pdz.domain.monitoring import Measurement, chart_points

LINES = {   # the lines of the fictional documents that the fixture's records cite
    "prova.txt": {29: "Progetti area politiche abitative", 12: "L'agenzia per la casa prosegue il portale unico del piano precedente.", 20: "Sfratti: 120 nel 2020.",
                  30: "Portale unico", 31: "Il piano aveva un solo obiettivo.",
                  32: "L'obiettivo è stato raggiunto solo in parte.", 33: "Grado di raggiungimento: 25%"},
    "prova-2025.txt": {25: "Grado di raggiungimento: 60%. Protocolli firmati: 2.", 40: "Casa per tutti prosegue l'agenzia",
                       41: "per la casa del piano 2021-2023.", 50: "Protocolli firmati nel 2025: 1.",
                       60: "Protocolli firmati nel 2026: circa 3 (dato provvisorio)."},
}


def project_with_texts(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    shutil.copytree(FIXTURES / "piani" / "content", project / "content", dirs_exist_ok=True)
    (project / "fonti").mkdir()
    for name, lines in LINES.items():
        size = 200 if "2025" in name else 100
        (project / "fonti" / name).write_text(
            "\n".join(lines.get(n, "Testo del documento.") for n in range(1, size + 1)), encoding="utf-8")
        record = project / "content" / "fonti" / f"doc-{name.removesuffix('.txt')}.yaml"   # its document names it
        record.write_text(record.read_text(encoding="utf-8") + f"file: {name}\n", encoding="utf-8")
    return project


def checked(project):
    catalog, problems = load_content(project)
    assert problems == []
    catalog.texts = load_texts(project, catalog)
    return derived.check(catalog)


def edit(project, rel, old, new):
    path = project / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_real_content_every_derived_statement_has_its_basis():
    started = time.perf_counter()
    catalog, _ = real_content()
    catalog.texts = load_texts(ROOT, catalog)
    loaded = time.perf_counter()
    problems, counts = derived.check(catalog)
    elapsed = time.perf_counter() - loaded
    SUMMARY["affermazioni derivate controllate (storie, stati, riepiloghi, serie)"] = (
        ", ".join(f"{n} {what}" for what, n in counts.items())
        + f"; {len(problems)} violazioni; {elapsed:.2f} s (più {loaded - started:.1f} s di caricamento)")
    assert counts["collegamenti tra piani"] >= 40 and counts["stati di attuazione"] >= 30
    assert problems == [], "\n" + "\n".join(p.format() for p in problems)


def test_the_fixture_passes(tmp_path):
    problems, counts = checked(project_with_texts(tmp_path))
    assert problems == [], [p.format() for p in problems]
    assert counts["collegamenti tra piani"] == 4 and counts["citazioni del piano nei riepiloghi"] == 2


def test_a_history_by_connected_component_is_caught(tmp_path, monkeypatch):
    """The old story: everything reached by following links both ways."""
    project = project_with_texts(tmp_path)
    (project / "content/ambiti/prova/2025-2027/obiettivi/04-casa-condivisa.yaml").write_text(
        'titolo: "Casa condivisa"\nnumero: "4"\ncontinuita:\n  risposta: "si"\n  obiettivi:\n'
        '    - obiettivo: prova/2021-2023/obiettivi/01-casa\n      dedotto: "Stesso tema."\n'
        'fonti:\n  - documento: doc-prova-2025\n    righe: [100, 110]\n', encoding="utf-8")
    assert checked(project)[0] == []

    def component(self, objective):   # the history of main before issue 23
        seen, todo = {objective.id: objective}, [objective]
        while todo:
            current = todo.pop()
            for other in self.continues(current) + self.continued_by(current):
                if other.id not in seen:
                    seen[other.id] = other
                    todo.append(other)
        return sorted(seen.values(), key=lambda o: (o.period, o.id))

    monkeypatch.setattr(monitoring.Monitoring, "chain", component)
    problems, _ = checked(project)
    strays = [p for p in problems if "non è raggiungibile con collegamenti diretti" in p.message]
    assert {(p.path.rsplit("/", 1)[1], re.search(r"mostra '[^']*/([^'/]+)'", p.message).group(1)) for p in strays} == {
        ("01-casa-per-tutti.yaml", "04-casa-condivisa"), ("04-casa-condivisa.yaml", "01-casa-per-tutti")}


def test_a_state_that_ignores_the_plans_grade_is_caught(tmp_path, monkeypatch):
    project = project_with_texts(tmp_path)

    def written_state_only(self, objective):   # the states of main before issue 23: no grades
        if objective.data.get("stato"):
            return monitoring.State(objective.data["stato"]["valore"])
        for e in reversed(self.evaluations_of(objective)):
            if e.data.get("stato_attuazione") in monitoring.states():
                return monitoring.State(e.data["stato_attuazione"], evaluation=e)
        return None

    monkeypatch.setattr(monitoring.Monitoring, "state", written_state_only)
    problems, _ = checked(project)
    assert [(p.path.rsplit("/", 1)[1], p.field, p.message) for p in problems] == [
        ("01-portale.yaml", "stato", "lo stato mostrato (nessuno) non è quello che risulta dalla fonte (parziale)"),
        ("piano.yaml", "", "il riepilogo degli stati non corrisponde agli stati delle schede del piano")]


def test_a_grade_and_a_written_state_that_disagree_or_a_grade_not_in_the_lines_are_caught(tmp_path):
    project = project_with_texts(tmp_path)
    edit(project, "ambiti/prova/2025-2027/valutazioni/01-casa.yaml", "stato_attuazione: parziale", "stato_attuazione: raggiunto")
    edit(project, "ambiti/prova/2021-2023/valutazioni/01-portale.md", "percentuale: 25", "percentuale: 35")
    problems, _ = checked(project)
    found = {(p.path.rsplit("/", 1)[1], p.field): p.message for p in problems}
    assert found[("01-casa.yaml", "stato_attuazione")].startswith("lo stato scritto (raggiunto) non è quello del grado 60%")
    assert found[("01-portale.md", "grado_raggiungimento.percentuale")] == "il grado 35% non è scritto nelle righe citate"


def test_a_quotation_of_the_plan_that_is_not_in_its_lines_is_caught(tmp_path):
    project = project_with_texts(tmp_path)
    edit(project, "ambiti/prova/2018-2020/piano.yaml", "raggiunto solo in parte", "raggiunto del tutto")
    problems, _ = checked(project)
    assert [(p.field, p.message) for p in problems] == [
        ("esito_complessivo.testo", "il testo citato non è nelle righe 32–32 della fonte")]


def test_a_series_that_joins_a_part_or_another_period_is_caught(tmp_path, monkeypatch):
    project = project_with_texts(tmp_path)
    edit(project, "ambiti/prova/2025-2027/obiettivi/01-casa-per-tutti.yaml", '- periodo: "2025"', '- periodo: "2024-2025"')
    assert checked(project)[0] == []          # the chart is not drawn: the periods are not alike
    monkeypatch.setattr(derived, "chart_points", lambda items: items if len(items) > 1 else [])
    problems, counts = checked(project)
    assert [(p.path.rsplit("/", 1)[1], p.message.split("»")[1]) for p in problems] == [("01-casa-per-tutti.yaml",
        " unisce valori che non sono una serie (voci, unità, medie, dati parziali o periodi diversi)")]


def test_a_measured_value_not_in_its_lines_is_caught(tmp_path):
    project = project_with_texts(tmp_path)
    edit(project, "ambiti/prova/2025-2027/obiettivi/01-casa-per-tutti.yaml", "valore: 1\n", "valore: 7\n")
    problems, _ = checked(project)
    assert [p.message for p in problems] == ["il valore 7 (2025) non è scritto nelle righe citate"]



def test_an_area_the_plan_does_not_name_needs_the_editors_reason(tmp_path):
    project = project_with_texts(tmp_path)
    problems, counts = checked(project)
    assert problems == [] and counts["aree degli obiettivi"] == 4 and counts["aree assegnate dalla redazione"] == 2
    edit(project, "ambiti/prova/2025-2027/obiettivi/01-casa-per-tutti.yaml", 'gruppo_piano: "Politiche abitative"\n', "")
    edit(project, "ambiti/prova/2025-2027/obiettivi/03-trasporti.yaml", "area_dedotta:", "note_redazione:")
    edit(project, "ambiti/prova/2025-2027/obiettivi/03-trasporti.yaml", "note_redazione:", "# note_redazione:")
    assert [(p.path.rsplit("/", 1)[1], p.field, p.message) for p in checked(project)[0]] == [
        ("01-casa-per-tutti.yaml", "area", "né il titolo né il gruppo del piano nominano l'area B «Politiche abitative»"),
        ("03-trasporti.yaml", "area", "né il titolo né il gruppo del piano nominano l'area B «Politiche abitative»")]


def test_a_group_placed_in_an_area_is_in_its_lines_and_names_the_area_or_gives_the_reason(tmp_path):
    project = project_with_texts(tmp_path)
    plan = "ambiti/prova/2021-2023/piano.yaml"
    (project / "content/aree/E.yaml").write_text(
        'lettera: E\nnome: "Anziani"\nargomento: "Anziani"\nspiegazione_breve: "servizi per gli anziani"\n'
        'punti_chiave: ["Accesso ai servizi"]\nfonti:\n  - documento: doc-prova\n    righe: [66, 66]\n', encoding="utf-8")
    edit(project, plan, "aree: [B]", "aree: [B, E]")
    edit(project, plan, "righe: [29, 29]", "righe: [31, 31]")
    assert [(p.field, p.message) for p in checked(project)[0]] == [
        ("aree_dei_gruppi[0].gruppo", "il gruppo «Progetti area politiche abitative» non è nelle righe 31–31"),
        ("aree_dei_gruppi[0].aree", "il titolo del gruppo non nomina l'area E «Anziani»")]
    edit(project, plan, "righe: [31, 31]", 'righe: [29, 29]\n    dedotto: "Il gruppo comprende la casa degli anziani."')
    assert checked(project)[0] == []

def measurement(period, value, **extra):
    return Measurement(None, None, {}, 1, period, {"valore": value, **extra})


def test_chart_points_join_only_a_series():
    years = [measurement("2024", 1), measurement("2025", 2), measurement("2026", 3)]
    assert [m.period for m in chart_points(years)] == ["2024", "2025", "2026"]
    assert chart_points(years[:1]) == []                                       # one value: a sentence
    assert chart_points([measurement("2018-2020", 60), measurement("2021", 37)]) == []   # a triennium and a year
    assert chart_points([measurement("2020", 10, media=True), measurement("2021", 30)]) == []   # an average and a total
    assert chart_points([measurement("2020", 5, voce="presentate"), measurement("2021", 4, voce="ammesse")]) == []
    partial = [measurement("2020", 90), measurement("2021", 98, parziale_al="2021-11-10")]
    assert chart_points(partial) == []                                         # the partial year is not drawn
    assert [m.period for m in chart_points(partial + [measurement("2019", 80)])] == ["2019", "2020"]


def test_the_command_prints_every_violation_and_its_time():
    result = subprocess.run([sys.executable, "-P", "-m", "pdz.commands.derived"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 violazioni. Tempo:" in result.stdout and "collegamenti tra piani" in result.stdout
