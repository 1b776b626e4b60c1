"""A new editor's path: scaffold, edit, check, build, and find the page with its edit link and date."""
from __future__ import annotations

import pytest

import contextlib
import importlib
import io
import os
import re
import subprocess
from unittest import mock

from pdz_dev.project import FIXTURES, build, make_project

GIT = ["git", "-c", "user.name=Redazione", "-c", "user.email=redazione@example.org"]


def run(args, cwd, **kw):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, **kw)


def pdz(module, project, *args) -> subprocess.CompletedProcess:
    """``python -m <module> --root <project> ...`` in an environment holding only PATH (no
    GITHUB_ACTIONS, no MOTIVO), run in this process: each command's ``main`` gives the exit status
    (its ``__main__`` only exits with it; tests/domain/test_plans.py and test_changes.py start them
    as processes). A Python started for each of the 15 commands here cost more CPU than most of them."""
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, {"PATH": "/usr/bin:/bin"}, clear=True), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = importlib.import_module(module).main(["--root", str(project), *args])
    return subprocess.CompletedProcess([module, *args], status, out.getvalue(), err.getvalue())


def test_new_editor_adds_an_objective(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")

    created = pdz("pdz.commands.nuovo", project, "obiettivo", "prova", "12-centro-per-le-famiglie")
    assert created.returncode == 0, created.stderr
    path = project / "content/ambiti/prova/2021-2023/obiettivi/12-centro-per-le-famiglie.md"
    text = path.read_text(encoding="utf-8")
    assert "# TITOLO OBIETTIVO" in text and "# RISORSE ECONOMICHE PREVENTIVATE" in text
    assert text.endswith("---\n\nDA COMPILARE\n")   # the description is the Markdown body
    for field in ("target", "risorse_economiche", "risorse_personale", "trasversale",
                  "integrazione_sociosanitaria", "continuita", "coprogettazione", "bisogni", "modalita",
                  "risultati", "impatto"):
        assert re.search(rf"^{field}:", text, re.M), field

    # the scaffold is valid as it is: only warnings for the fields still to fill in
    fresh = pdz("pdz.commands.check", project)
    assert fresh.returncode == 0, fresh.stderr
    assert "campo ancora da compilare" in fresh.stdout

    # the editor fills in the target, with a typo first
    path.write_text(text.replace('target: "DA COMPILARE"', 'targte: "Famiglie con figli minori"'), encoding="utf-8")
    typo = pdz("pdz.commands.check", project)
    assert typo.returncode == 1
    assert "12-centro-per-le-famiglie.md" in typo.stderr and "forse intendevi 'target'?" in typo.stderr
    path.write_text(text.replace('target: "DA COMPILARE"', 'target: "Famiglie con figli minori"'), encoding="utf-8")
    assert pdz("pdz.commands.check", project).returncode == 0

    # committed, built: the page exists with the edit and the date of the commit
    assert run(["git", "init", "-q"], project).returncode == 0
    assert run(GIT + ["add", "-A", "content"], project).returncode == 0
    commit = run(GIT + ["commit", "-q", "-m", "Nuovo obiettivo", "--date=2026-03-15T10:00:00"], project,
                 env={"GIT_COMMITTER_DATE": "2026-03-15T10:00:00", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert commit.returncode == 0, commit.stderr
    site = tmp_path / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr[-2000:]
    page = (site / "prova/2021-2023/obiettivi/12-centro-per-le-famiglie/index.html").read_text(encoding="utf-8")
    assert "Famiglie con figli minori" in page
    assert "Centro per le famiglie" in page
    # a citizen's page: no edit button (issue #28); the guide says how its address names its file
    assert "/edit/main/" not in page and 'rel="edit"' not in page
    assert 'Ultimo aggiornamento: <time datetime="2026-03-15">15 marzo 2026</time>' in page


def test_scaffold_refuses_bad_names_and_existing_files(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    bad = pdz("pdz.commands.nuovo", project, "obiettivo", "prova", "Nome Con Spazi")
    assert bad.returncode == 2 and "non valido" in bad.stderr and "Traceback" not in bad.stderr
    missing = pdz("pdz.commands.nuovo", project, "obiettivo", "nessuno", "01-x")
    assert missing.returncode == 2 and "non trovato" in missing.stderr
    again = pdz("pdz.commands.nuovo", project, "obiettivo", "prova", "01-casa")
    assert again.returncode == 1 and "esiste già" in again.stderr


@pytest.mark.slow
def test_every_kind_scaffolds_valid_content(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    for args in (("valutazione", "prova", "02-nuova"), ("partner", "associazione-esempio"),
                 ("tabella", "prova", "spesa-2022"), ("sezione", "prova", "05-nuova"),
                 ("organo", "prova", "tavolo-casa"), ("progetto", "prova", "progetto-casa"),
                 ("monitoraggio", "prova", "risultato-a")):
        created = pdz("pdz.commands.nuovo", project, *args)
        assert created.returncode == 0, (args, created.stderr)
    check = pdz("pdz.commands.check", project)
    assert check.returncode == 0, check.stderr
