"""How ``mkdocs build`` runs Pagefind (pdz.site.search_index, issue #27 point 2): Pagefind holds
more memory than the whole MkDocs build, so nothing of the build may stay resident beside it.
The build's process becomes a small shell that waits for Pagefind, then the step that keeps the
index; Pagefind gets its allocator's settings; a failure of Pagefind stops the build with its
output, and leaves no half-written index nor temporary files behind.

A stand-in for Pagefind (PAGEFIND_BINARY_PATH, read by Pagefind's Python package) notes what it
sees, then runs the real program (or fails)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pdz.site.search_index import ENVIRONMENT, pagefind_command
from pdz_dev.project import FIXTURES, build, make_project

pytestmark = pytest.mark.build


def stand_in(folder: Path, body: str) -> Path:
    script = folder / "pagefind-stand-in"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o755)
    return script


def run(tmp_path: Path, script: Path):
    project = make_project(tmp_path, FIXTURES / "valid")
    temp = tmp_path / "tmp"
    temp.mkdir()
    site = tmp_path / "site"
    result = build(project, site, {"PAGEFIND_BINARY_PATH": str(script), "TMPDIR": str(temp),
                                   "SOURCE_DATE_EPOCH": "1780000000"}, forked=False)   # its own TMPDIR
    return result, site, temp


def test_pagefind_runs_alone_under_a_shell_with_its_allocator_settings(tmp_path):
    real = pagefind_command()
    assert len(real) == 1, real   # the program itself, not Python's wrapper
    notes = tmp_path / "notes"
    script = stand_in(tmp_path, f'cat /proc/$PPID/comm > "{notes}"\n'
                                f'echo "$_RJEM_MALLOC_CONF" >> "{notes}"\n'
                                f'exec "{real[0]}" "$@"\n')
    result, site, temp = run(tmp_path, script)
    assert result.returncode == 0, result.stderr[-3000:]
    parent, conf = notes.read_text(encoding="utf-8").split()
    assert parent == "sh"   # the build's own process, now the shell: no Python beside Pagefind
    assert conf == ENVIRONMENT["_RJEM_MALLOC_CONF"]
    assert "Indice di ricerca: scritto da Pagefind" in result.stderr
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert not [p.name for p in site.iterdir() if p.name.startswith(".")]
    assert list(temp.iterdir()) == []   # the articles, the job and Pagefind's output are gone


def test_a_failure_of_pagefind_stops_the_build_with_its_output(tmp_path):
    script = stand_in(tmp_path, 'echo "pagina illeggibile: prova" >&2\nexit 3\n')
    result, site, temp = run(tmp_path, script)
    assert result.returncode != 0
    assert "Indice di ricerca non creato (Pagefind)" in result.stderr
    assert "pagina illeggibile: prova" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "pagefind").exists()
    assert not [p.name for p in site.iterdir() if p.name.startswith(".")]
    assert list(temp.iterdir()) == []
