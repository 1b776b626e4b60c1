"""The validator: every class of error gives a clear Italian message with file, line and field."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdz_dev.project import examples, FIXTURES, ROOT, make_project, write, real_content
from pdz.content.loader import load_content
from pdz.content.problems import ERROR

OBJECTIVE = "ambiti/prova/2021-2023/obiettivi/01-casa.md"


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path, FIXTURES / "valid")


def errors_of(project: Path):
    _, problems = load_content(project)
    return [p for p in problems if p.severity == ERROR]


def edit(project: Path, rel: str, old: str, new: str):
    path = project / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture does not contain {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def only_error(project: Path):
    errors = errors_of(project)
    assert len(errors) == 1, [e.format() for e in errors]
    return errors[0]


def test_valid_fixture_has_no_problems(project):
    catalog, problems = load_content(project)
    assert problems == []
    assert len(catalog.by_key) == 12   # 9 records + 2 plans + the evaluated 2018-2020 objective
    assert catalog.get("obiettivo", "prova/2021-2023/obiettivi/01-casa").ambito == "prova"


def test_unknown_key_suggests_the_right_name(project):
    edit(project, OBJECTIVE, "descrizione: |", "descrizone: |")
    error = only_error(project)
    assert error.path == "content/" + OBJECTIVE
    assert error.line == 7
    assert error.field == "descrizone"
    assert "campo sconosciuto" in error.message and "descrizione" in error.hint


def test_unquoted_no_is_a_yaml_trap(project):
    edit(project, OBJECTIVE, 'trasversale: {risposta: "no"}', "trasversale: {risposta: NO}")
    error = only_error(project)
    assert error.field == "trasversale.risposta"
    assert "vero/falso" in error.message and '"no"' in error.hint
    assert error.line == 22


def test_leading_zero_code_is_refused(project):
    edit(project, "ambiti/prova/ambito.yaml", 'codice_istat: "015146"', "codice_istat: 015146")
    error = only_error(project)
    assert error.field == "comuni[1].codice_istat"
    assert "zeri iniziali" in error.message and '"015146"' in error.hint


def test_percentage_over_100(project):
    edit(project, "ambiti/prova/2021-2023/valutazioni/01-portale.md", "percentuale: 25", "percentuale: 125")
    error = only_error(project)
    assert error.field == "grado_raggiungimento.percentuale"
    assert "troppo grande" in error.message and "100" in error.message


def test_negative_amount(project):
    edit(project, OBJECTIVE, "importo: 250000.00", "importo: -250000.00")
    error = only_error(project)
    assert error.field == "risorse_economiche.componenti[0].importo"
    assert "troppo piccolo" in error.message


def test_amount_written_in_italian_format_is_a_type_error(project):
    edit(project, OBJECTIVE, "importo: 250000.00", 'importo: "250.000,00"')
    error = only_error(project)
    assert "atteso un numero" in error.message


def test_invalid_iso_date(project):
    edit(project, "ambiti/prova/2021-2023/piano.yaml", '"2021-12-22"', '"22/12/2021"')
    error = only_error(project)
    assert error.field == "approvazione.data"
    assert "formato" in error.message and "AAAA-MM-GG" in error.hint


def test_missing_required_field(project):
    edit(project, OBJECTIVE, 'titolo: "Agenzia per la casa"\n', "")
    error = only_error(project)
    assert error.field == "titolo" and "obbligatorio" in error.message


def test_dangling_reference(project):
    edit(project, OBJECTIVE, "partner: [asst-prova]", "partner: [asst-inesistente]")
    error = only_error(project)
    assert error.field == "coprogettazione.partner[0]"
    assert "asst-inesistente" in error.message and "content/partner/" in error.hint


def test_dangling_reference_to_scoped_record(project):
    edit(project, OBJECTIVE, "valutazione: prova/2021-2023/valutazioni/01-portale", "valutazione: prova/2021-2023/valutazioni/99-niente")
    error = only_error(project)
    assert error.field == "continuita.valutazioni[0].valutazione" and "inesistente" in error.message



def test_a_group_placed_in_an_area_must_be_a_group_of_the_plans_evaluations(project):
    edit(project, "ambiti/prova/2021-2023/piano.yaml", '- gruppo: "Progetti area politiche abitative"',
         '- gruppo: "Progetti area politiche abitativ"')
    error = only_error(project)
    assert (error.path, error.line, error.field) == ("content/ambiti/prova/2021-2023/piano.yaml", 7, "aree_dei_gruppi[0].gruppo")
    assert error.message == "nessuna valutazione di questo piano ha il gruppo «Progetti area politiche abitativ»"
    assert "esattamente come nel campo 'gruppo'" in error.hint


def test_other_areas_need_the_main_one(project):
    edit(project, OBJECTIVE, "area: B\n", "altre_aree: [B]\n")
    error = only_error(project)
    assert error.field == "altre_aree" and "senza l'area principale" in error.message

def test_duplicate_ids(project):
    write(project, "ambiti/prova/2021-2023/obiettivi/01-casa.yaml", 'titolo: "Doppio"\nfonti:\n  - documento: doc-prova\n    righe: [1, 2]\n')
    error = only_error(project)
    assert "già usato" in error.message


def test_duplicate_key(project):
    edit(project, OBJECTIVE, 'numero: "1"', 'numero: "1"\nnumero: "2"')
    error = only_error(project)
    assert error.field == "numero" and "ripetuto" in error.message


def test_malformed_yaml_points_at_the_line(project):
    edit(project, OBJECTIVE, 'target: "Famiglie in difficoltà abitativa"', 'target: "Famiglie: in difficoltà\n  abitativa: sì: no')
    error = only_error(project)
    assert "YAML non valido" in error.message and error.line >= 13


def test_non_utf8_file(project):
    write(project, "ambiti/prova/2021-2023/sezioni/02-latin1.md",
          "---\ntitolo: \"Perché\"\n---\nè\n".encode("latin-1"))
    error = only_error(project)
    assert "UTF-8" in error.message and error.line == 2


def test_empty_file(project):
    write(project, "ambiti/prova/2021-2023/sezioni/03-vuota.md", "")
    assert "vuoto" in only_error(project).message


def test_huge_file(project):
    write(project, "ambiti/prova/2021-2023/sezioni/04-enorme.md", "---\ntitolo: x\n---\n" + "a" * 600_000)
    assert "troppo grande" in only_error(project).message


def test_alias_is_refused(project):
    edit(project, OBJECTIVE, 'target: "Famiglie in difficoltà abitativa"', 'target: &t "Famiglie"\ngruppo_extra: *t')
    messages = [e.message for e in errors_of(project)]
    assert any("alias" in m for m in messages)


def test_python_tag_is_refused(project):
    edit(project, OBJECTIVE, 'target: "Famiglie in difficoltà abitativa"', "target: !!python/object/apply:os.system ['true']")
    assert any("etichetta" in e.message or "non ammesso" in e.message for e in errors_of(project))


def test_file_in_unknown_folder(project):
    write(project, "ambiti/prova/varie/x.md", "---\ntitolo: x\n---\n")
    assert "cartella" in only_error(project).message


def test_source_lines_beyond_the_document(project):
    edit(project, OBJECTIVE, "righe: [10, 20]", "righe: [10, 200]")
    error = only_error(project)
    assert error.field == "fonti[0].righe" and "100 righe" in error.message


def test_table_row_with_wrong_length(project):
    edit(project, "ambiti/prova/2021-2023/dati/popolazione.yaml", '["Secondo", null, 0]', '["Secondo", null]')
    error = only_error(project)
    assert error.field == "righe[1]" and "colonne" in error.message


def test_table_numeric_cell_with_text(project):
    edit(project, "ambiti/prova/2021-2023/dati/popolazione.yaml", '["Primo", 1000, 1234.5]', '["Primo", "1.000", 1234.5]')
    error = only_error(project)
    assert error.field == "righe[0][1]" and "numerica" in error.message


def test_unknown_action_in_integration(project):
    edit(project, OBJECTIVE, 'azione: "1.1.1"', 'azione: "9.9.9"')
    assert "9.9.9" in only_error(project).message


def test_overdue_review_is_a_warning_not_an_error(project):
    edit(project, OBJECTIVE, "fonti:\n  - documento: doc-prova\n    righe: [10, 20]",
         "revisione:\n  entro: \"2020-01-31\"\n  ufficio: \"Ufficio di Piano\"\nfonti:\n  - documento: doc-prova\n    righe: [10, 20]")
    _, problems = load_content(project)
    assert [p.severity for p in problems] == ["avviso"]
    assert "scaduta" in problems[0].message


def tree_digest(path: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(path)).encode() + file.read_bytes())
    return digest.hexdigest()


def run_check(project: Path):
    return subprocess.run([sys.executable, "-P", "-m", "pdz.commands.check", "--root", str(project)],
                          cwd=ROOT, env={"PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)


def test_check_command_reports_in_italian_without_traceback_and_writes_nothing(project):
    edit(project, OBJECTIVE, 'trasversale: {risposta: "no"}', "trasversale: {risposta: NO}")
    edit(project, "ambiti/prova/2021-2023/valutazioni/01-portale.md", "percentuale: 25", "percentuale: 125")
    before = tree_digest(project / "content")
    result = run_check(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = [l for l in result.stderr.splitlines() if l.startswith("content/")]
    assert len(lines) == 2
    assert lines[0].startswith("content/ambiti/prova/2021-2023/obiettivi/01-casa.md:22: trasversale.risposta: ")
    assert "2 errori in 2 file" in result.stderr
    assert tree_digest(project / "content") == before


def test_check_command_passes_on_valid_content(project):
    result = run_check(project)
    assert result.returncode == 0, result.stderr
    assert "0 errori" in result.stdout


@pytest.fixture(scope="module")
def real_catalog():
    """The real content loaded once for the tests that read it (none changes it)."""
    return real_content()[0]


@pytest.mark.slow
def test_fast_schema_path_agrees_with_jsonschema(real_catalog):
    """The compiled fast path may only skip jsonschema when jsonschema finds nothing."""
    import copy

    from pdz.content.schemacheck import is_valid, validator_for
    catalog = real_catalog
    checked = 0
    for record in catalog.records:
        assert is_valid(record.kind, record.data), record.id
        broken = copy.deepcopy(record.data)
        key = next(iter(broken))
        for bad in (None, 12345, ["x"], {"x": 1}, "", -1):
            broken[key] = bad
            fast = is_valid(record.kind, broken)
            slow = validator_for(record.kind).is_valid(broken)   # jsonschema's verdict: no error (it stops at the first)
            assert fast == slow, (record.id, key, bad)
            checked += 1
    assert checked > 2000


@pytest.mark.slow
def test_plain_text_fast_path_renders_exactly_like_markdown(real_catalog):
    """Fields that are one plain paragraph skip Markdown: the output must be identical."""

    from pdz.html.text import _plain_paragraphs
    catalog = real_catalog
    texts = set()

    def walk(value):
        if isinstance(value, str):
            texts.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    for record in catalog.records:
        walk(record.data)
    texts |= {"Tre & quattro", "a < b", "ciao  ", "- elenco", "1. primo", "**grassetto**", "riga\nriga",
              "    codice", "> citazione", "link [x](y)", "x_y_z", "a: b", 'virgolette "doppie" e \'semplici\'',
              "---", "-- x", "+ uno", "5.3 Titolo", "1) primo", "http://esempio.it", "Nota: vedi 7.2"}
    texts |= {"uno\n\ndue", "uno\ndue", "Titolo\n===", "Titolo\n---", "uno\n\n\ndue", "uno\n\n- due"}
    fast = [t for t in texts if _plain_paragraphs(t) is not None]
    assert len(fast) > 2000
    assert {"5.3 Titolo", "Nota: vedi 7.2", "uno\n\ndue", "uno\ndue"} <= set(fast)
    assert not {"---", "-- x", "+ uno", "1) primo", "Titolo\n===", "Titolo\n---", "uno\n\n- due"} & set(fast)
    for text in fast:
        assert_same_as_markdown(text)


def assert_same_as_markdown(text):
    import html as html_module

    from pdz.html.text import _plain_paragraphs, clean_html, markdown_to_html
    expected = "\n".join(f"<p>{html_module.escape(p, quote=False)}</p>" for p in _plain_paragraphs(text))
    assert clean_html(markdown_to_html(text)) == expected, text


@settings(max_examples=examples(3000), deadline=None)
@given(st.lists(st.sampled_from(list("ab :.-+=>0123456789%\"'()/,;?àè\t") +
                                ["http://", "www.", "1. ", "- ", "::", "  ", "--", "==", "1)", "&", "\n", "\n\n"]),
                min_size=1, max_size=12).map("".join))
@pytest.mark.slow
def test_plain_text_fast_path_on_generated_text(text):
    from pdz.html.text import _plain_paragraphs
    if _plain_paragraphs(text) is not None:
        assert_same_as_markdown(text)
