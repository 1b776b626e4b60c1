"""One assembly: ``make check`` refuses exactly what the build refuses (issue #24).

Both call ``pdz.site.assembly.assemble`` with the settings the build reads from mkdocs.yml (the
check through the plugin's own option validation). For every class of site-wide problem, a
small project is broken in that one way: the build (MkDocs, strict) must stop, ``make check``
must fail too, and both must name the problem in the same words.
"""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from pdz.commands import check
from pdz_dev.project import FIXTURES, ROOT, build, make_project, run_main


def own_copy(project, part):
    """Replace the project's link to the real ``part`` with a copy it may break."""
    (project / part).unlink()
    if (ROOT / part).is_dir():
        shutil.copytree(ROOT / part, project / part)
    else:
        shutil.copy2(ROOT / part, project / part)
    return project / part


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def content_error(project):
    edit(project / "content/ambiti/prova/ambito.yaml", "numero_comuni: 2", "numero_comuni: due")
    return "numero_comuni"


def address_taken(project):
    shutil.copytree(project / "content/ambiti/prova", project / "content/ambiti/privacy")
    return "privacy"


def redirect_nowhere(project):
    (project / "redirects.yaml").write_text('vecchio/indirizzo/: "prova/nessuna-pagina/"\n', encoding="utf-8")
    return "nessuna-pagina"


def docs_page_runs_macros(project):
    docs = own_copy(project, "docs")
    (docs / "nuova.md").write_text("---\nrender_macros: true\n---\n# Nuova\n", encoding="utf-8")
    return "render_macros"


def repeated_key(project):
    config = own_copy(project, "mkdocs.yml")
    config.write_text(config.read_text(encoding="utf-8") + "\nstrict: true\n", encoding="utf-8")
    return "chiavi ripetute"


def bad_plugin_option(project):
    edit(own_copy(project, "mkdocs.yml"), "url: !ENV [PDZ_MATOMO_URL, \"\"]", "url: \"http://statistiche.example.org/\"")
    return "https://"


def unsafe_policy(project):
    edit(own_copy(project, "mkdocs.yml"), "      csp: {}", "      csp: {script-src: [\"'unsafe-inline'\"]}")
    return "unsafe-inline"


def macros_by_default(project):
    edit(own_copy(project, "mkdocs.yml"), "render_by_default: false", "render_by_default: true")
    return "render_by_default"


def make_check(project, capsys):
    """``make check`` on the project, in this process (its own process adds a second of start-up and
    nothing this file tests: tests/content/test_loader_properties.py starts it as a process)."""
    return run_main(check.main, ["--root", str(project)], capsys)


CLASSES = [content_error, address_taken, redirect_nowhere, docs_page_runs_macros, repeated_key, bad_plugin_option,
           unsafe_policy, macros_by_default]


@pytest.mark.parametrize("damage", CLASSES, ids=[c.__name__ for c in CLASSES])
def test_the_check_refuses_what_the_build_refuses(tmp_path, damage, capsys):
    project = make_project(tmp_path, FIXTURES / "valid")   # builds and checks: the last test
    words = damage(project)
    built = build(project, tmp_path / "site")
    checked = make_check(project, capsys)
    assert built.returncode != 0, built.stderr[-2000:]
    assert checked.returncode != 0, checked.stdout + checked.stderr
    assert words in built.stdout + built.stderr, built.stderr[-2000:]
    assert words in checked.stdout + checked.stderr, checked.stdout + checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr


def test_the_check_passes_exactly_when_the_build_does(tmp_path, capsys):
    project = make_project(tmp_path, FIXTURES / "valid")
    checked = make_check(project, capsys)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert build(project, tmp_path / "site").returncode == 0



OPEN_DATA_BESIDE = r'''
import dataclasses, json, os, sys
from pathlib import Path
from pdz.plugin.plugin import load_settings
from pdz.site import assembly
from pdz.site.cache import BuildCache

project, work = Path(sys.argv[1]), Path(sys.argv[2])
settings, problems = load_settings(project / "mkdocs.yml")
settings = dataclasses.replace(settings, site_url="https://pdz.example.it/")
forks = []
fork = os.fork
def counted():
    pid = fork()
    if pid:
        forks.append(pid)
    return pid
os.fork = counted
beside = assembly.assemble(settings, cache=BuildCache(work / "made"))
kept = assembly._OpenData._kept
def broken(self, path, data):
    raise OSError("disco pieno")
assembly._OpenData._kept = broken   # the copy fails after making the files: the assembly makes them itself
failed = assembly.assemble(settings, cache=BuildCache(work / "failed"))
assembly._OpenData._kept = kept
alone = assembly.assemble(settings)   # no cache: everything made in this process
out = {"forks": len(forks)}
for name, site in (("made", beside), ("failed", failed)):
    paths = list(site.exports)
    first = lambda test: next(i for i, p in enumerate(paths) if test(p))
    out[name] = {"order": paths == list(alone.exports),
                 # as before: the tables, the finder's and the vocabulary's files, the printable plans, the catalogue
                 "places": [first(lambda p: p.startswith("dati/")), paths.index("vocabolario/parole.json"),
                            first(lambda p: "/stampa/" in p), paths.index("dati/datapackage.json")],
                 "different": [p for p, d in alone.exports.items() if site.exports[p].read() != alone.finished(p, d)],
                 "open_data": sum(p.startswith("dati/") for p in paths)}
print(json.dumps(out))
'''


def test_the_open_data_made_beside_the_pages_are_those_made_in_process(tmp_path):
    """A build (an assembly with a cache, in a process with no other thread) makes the open data
    in a forked copy while it renders the pages: the site's files are the same, in the same order,
    as those of an assembly that makes everything itself; when the copy fails, the assembly
    makes them itself. (In a fresh process: a test worker has threads, and then nothing is forked.)"""
    import json

    project = make_project(tmp_path, FIXTURES / "valid")
    run = subprocess.run([sys.executable, "-P", "-c", OPEN_DATA_BESIDE, str(project), str(tmp_path / "cache")],
                         capture_output=True, text=True, check=True)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["forks"] == 2
    for outcome in ("made", "failed"):
        made = result[outcome]
        assert made["open_data"] > 10 and made["order"] and made["places"] == sorted(made["places"]), outcome
        assert made["different"] == [], outcome
