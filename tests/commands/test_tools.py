"""The editors' tools take hostile or mistyped arguments without harm: ``make nuovo`` never writes
outside content/ and never shows a traceback, ``make check AMBITO=<typo>`` says the Ambito does
not exist, and the glossary never rewrites markup or character references."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pdz_dev.project import FIXTURES, ROOT, make_project, run_main, write
from pdz.commands import check as check_command, nuovo
from pdz.commands.check import check
from pdz.content.problems import ERROR
from pdz.html.text import TextRenderer


def pdz(module, project, *args):
    """The command as an editor runs it: its own Python, the environment of make alone."""
    return subprocess.run([sys.executable, "-P", "-m", module, "--root", str(project), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin"})


@pytest.fixture
def command(capsys, monkeypatch):
    """The command's main() in this process, as pdz() runs it (from ROOT, no variable of a deployment
    or of make in the environment): its exit status and output. An exception fails the test, so a
    case that would print a traceback fails here too; pdz() checks the process itself once per
    command (test_the_commands_as_processes_answer_without_traceback)."""
    monkeypatch.chdir(ROOT)
    for name in [n for n in os.environ if n.startswith(("PDZ_", "GITHUB_")) or n == "MOTIVO"]:
        monkeypatch.delenv(name)

    def run(main, project, *args) -> subprocess.CompletedProcess:
        return run_main(main, ["--root", str(project), *args], capsys)
    return run


def files_of(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.fixture
def project(tmp_path):
    (tmp_path / "p").mkdir()
    return make_project(tmp_path / "p", FIXTURES / "valid")


HOSTILE_NUOVO = [
    ("obiettivo", "../../..", "01-x"), ("obiettivo", "..", "01-x"), ("obiettivo", "prova/..", "01-x"),
    ("obiettivo", "/tmp", "01-x"), ("obiettivo", "prova/../../..", "01-x"), ("obiettivo", ".", "01-x"),
    ("obiettivo", "prova", "../../x"), ("obiettivo", "prova", "/tmp/x"), ("obiettivo", "prova", "a/b"),
    ("obiettivo", "prova", ".nascosto"), ("obiettivo", "prova", ""), ("obiettivo", "", "01-x"),
    ("partner", "../../x"), ("partner", "/tmp/x"), ("partner", ".."),
    ("sezione", "prova/obiettivi", "01-x"), ("sconosciuto", "prova", "01-x"), ("../obiettivo", "prova", "01-x"),
]


@pytest.mark.parametrize("args", HOSTILE_NUOVO, ids=[" ".join(a) for a in HOSTILE_NUOVO])
def test_make_nuovo_never_writes_outside_content(project, tmp_path, args, command):
    before = files_of(tmp_path)
    result = command(nuovo.main, project, *args)
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr and "uso: make nuovo" in result.stderr
    assert files_of(tmp_path) == before
    assert not Path("/tmp/obiettivi").exists() and not Path("/tmp/x.yaml").exists()


def test_make_nuovo_refuses_a_folder_that_links_out_of_content(project, tmp_path, command):
    outside = tmp_path / "fuori"
    (project / "content/ambiti/prova/2021-2023/organi").symlink_to(outside)
    result = command(nuovo.main, project, "organo", "prova", "tavolo")
    assert result.returncode == 2 and "fuori da content/" in result.stderr and "Traceback" not in result.stderr
    assert not outside.exists()


@pytest.mark.parametrize("broken", ['titolo: "non chiuso\n', "- un elenco\n", b"\xff\xfe", "a: &a [1]\nb: *a\n",
                                    "titolo: !!python/object/apply:os.system ['true']\n"])
def test_make_nuovo_with_a_broken_source_document_gives_no_traceback(project, broken, command):
    write(project, "fonti/doc-prova.yaml", broken)
    result = command(nuovo.main, project, "obiettivo", "prova", "12-nuovo")
    assert "Traceback" not in result.stderr
    assert result.returncode == 0 and "avviso: il documento di origine content/fonti/doc-prova.yaml" in result.stderr
    assert (project / "content/ambiti/prova/2021-2023/obiettivi/12-nuovo.md").is_file()


@pytest.mark.parametrize("typo", ["prov", "PROVA", "../content", "prova/", ".", "nessuno"])
def test_make_check_with_a_wrong_ambito_says_so_and_fails(project, typo, command):
    result = command(check_command.main, project, "--ambito", typo)
    assert result.returncode == 2 and "Contenuti a posto" not in result.stdout
    assert f"L'Ambito '{typo}' non esiste" in result.stderr and "Ambiti esistenti: prova" in result.stderr


def test_make_check_with_a_real_ambito_still_works(project, command):
    result = command(check_command.main, project, "--ambito", "prova")
    assert result.returncode == 0 and "Contenuti a posto" in result.stdout


def test_the_commands_as_processes_answer_without_traceback(project, tmp_path):
    """The cases above, in the editor's own process: a hostile name, a broken source document,
    a mistyped Ambito, a real one."""
    result = pdz("pdz.commands.check", project, "--ambito", "prov")
    assert result.returncode == 2 and "L'Ambito 'prov' non esiste" in result.stderr and "Traceback" not in result.stderr
    result = pdz("pdz.commands.check", project, "--ambito", "prova")
    assert result.returncode == 0 and "Contenuti a posto" in result.stdout
    before = files_of(tmp_path)
    result = pdz("pdz.commands.nuovo", project, "obiettivo", "../../..", "01-x")
    assert result.returncode == 2 and "Traceback" not in result.stderr and "uso: make nuovo" in result.stderr
    assert files_of(tmp_path) == before
    write(project, "fonti/doc-prova.yaml", b"\xff\xfe")
    result = pdz("pdz.commands.nuovo", project, "obiettivo", "prova", "12-nuovo")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "avviso: il documento di origine content/fonti/doc-prova.yaml" in result.stderr
    assert (project / "content/ambiti/prova/2021-2023/obiettivi/12-nuovo.md").is_file()


ENTITY_WORDS = ["quot", "amp", "lt", "gt", "nbsp", "apos", "x27", "39", "euro", "hellip"]


@pytest.mark.parametrize("word", ENTITY_WORDS)
def test_the_glossary_never_touches_character_references_or_markup(word):
    text = TextRenderer({word: "spiegazione", "title": "t", "href": "h", "abbr": "a"})
    for source in ('Il "Piano" & <b>x</b> \'uno\' 39 € …', '[link](https://e.org/?a=1&b=2 "titolo") **"x"** &amp; &#39;'):
        for html in (text.plain(source), text.block(source)):
            plain = TextRenderer({}).plain(source) if html == text.plain(source) else TextRenderer({}).block(source)
            # the same HTML as without a glossary, except whole words outside tags and references
            assert html.replace(f'<abbr title="spiegazione">{word}</abbr>', word) \
                .replace('<abbr title="t">title</abbr>', "title").replace('<abbr title="h">href</abbr>', "href") \
                .replace('<abbr title="a">abbr</abbr>', "abbr") == plain


def test_duplicate_acronyms_are_refused(project):
    original = (project / "content/glossario/asst.yaml").read_text(encoding="utf-8")
    write(project, "glossario/asst-bis.yaml", original.replace("Azienda", "Altra azienda"))
    found = [p for p in check(project)[1] if p.severity == ERROR]
    assert [(p.path, p.field) for p in found] == [("content/glossario/asst.yaml", "sigla")] or \
        [(p.path, p.field) for p in found] == [("content/glossario/asst-bis.yaml", "sigla")], [p.format() for p in found]
    assert "già spiegata" in found[0].message and found[0].line == 1
