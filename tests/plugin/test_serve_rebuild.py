"""``mkdocs serve`` after an edit (issue #27, point 3): a rebuild puts back the pages that come out
as they were, and the files copied from the cache (pdz.plugin.serving.ServedPages), and builds the others, and the folder it serves is
then, file for file and byte for byte, what a cold ``mkdocs build`` of the same tree writes:
the edited record's page and every page that shows it (plan, indices, backlinks, history,
feeds, open data, the web editor's files, search index) changed, nothing left of the last build;
an invalid edit stops the rebuild with the Italian list of problems and leaves the site served.

The serve builds run in their own process (pdz_dev.servelike: MkDocs keeps the plugin instance
for the life of a process), with the configuration's own site address, as the cold builds.

Which generated pages the assembly renders again after an edit (the others are given again from
the last build, by what each read: pdz.render.reuse) is tested edit by edit, without MkDocs, in
tests/render/test_reuse.py: a record, the records it names, an index, the glossary, the history.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pdz.editor.admin import DECAP_DIST
from pdz_dev.project import FIXTURES, ROOT, assert_same_site, build, make_project, write

pytestmark = pytest.mark.build

OBJECTIVE = "ambiti/prova/2021-2023/obiettivi/01-casa.md"
ADDED = "ambiti/prova/2021-2023/obiettivi/09-nuovo.md"
EPOCH = {"SOURCE_DATE_EPOCH": "1780000000"}


def serve_builds(project: Path, tmp_path: Path, steps: list[dict]) -> list[dict]:
    """The first build and one rebuild per step (pdz_dev.servelike); each rebuild's folder is
    copied to tmp_path/served/<n>."""
    (tmp_path / "steps.json").write_text(json.dumps(steps), encoding="utf-8")
    result = subprocess.run([sys.executable, "-P", "-m", "pdz_dev.servelike", str(project), str(tmp_path / "serve-site"),
                             str(tmp_path / "steps.json"), str(tmp_path / "served")],
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **EPOCH), capture_output=True, text=True,
                            timeout=1200)
    assert result.returncode == 0, result.stderr[-4000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def cold(project: Path, site: Path) -> None:
    shutil.rmtree(project / ".cache", ignore_errors=True)
    result = build(project, site, EPOCH)
    assert result.returncode == 0, result.stderr[-4000:]


def test_a_serve_rebuild_after_an_edit_serves_what_a_cold_build_writes(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    if (ROOT / DECAP_DIST / "decap-cms.js").is_file():   # the web editor's files too (npm ci)
        (project / "node_modules").symlink_to(ROOT / "node_modules")
    text = (project / "content" / OBJECTIVE).read_text(encoding="utf-8")
    # a longer text too, which compresses badly: the zip of the open data grows by kilobytes
    noise = " ".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(40))
    edited = text.replace("titolo: ", "titolo: Nuovo titolo - ", 1).replace('target: "', f'target: "{noise} ', 1)
    invalid = edited.replace("\narea: B\n", "\narea: Z\n", 1)
    assert edited != text and invalid != edited
    first, *rebuilds = serve_builds(project, tmp_path, [{"write": {OBJECTIVE: edited}}, {"write": {ADDED: edited}},
                                                         {"remove": [ADDED]}, {"write": {OBJECTIVE: invalid}},
                                                         {"write": {OBJECTIVE: edited}}])
    assert first["put_back"] == 0 and len(rebuilds) == 5

    # the title edited: some pages are built again, the others put back as they were, and MkDocs'
    # note about a page it did not write is not shown
    title = rebuilds[0]
    assert title["built"] > 0 and title["put_back"] > 0 and title["files_put_back"] > 0, title
    assert title["put_back"] <= title["cached"] and title["skipped_notes"] == 0, title
    # the pages put back are left out of MkDocs' page steps (PdzPlugin.skips)
    assert title["skipped_by_mkdocs"] == title["put_back"], title
    # the open data is made after the page is shown, the "Dati aperti" page given the last
    # sizes: they changed, so serve built the site once more (PdzPlugin.stale); the same
    # edit again changes none, and nothing more is built
    assert title["again"] == 1 and rebuilds[4]["again"] == 0, rebuilds
    served = tmp_path / "served"
    page = served / "1" / "prova" / "2021-2023" / "obiettivi" / "01-casa" / "index.html"
    assert "Nuovo titolo" in page.read_text(encoding="utf-8")
    assert "Nuovo titolo" in (served / "1" / "prova" / "2021-2023" / "index.html").read_text(encoding="utf-8")
    # the printable plan, written after the page is shown (PdzPlugin._write_later), and nothing half-written
    assert "Nuovo titolo" in (served / "1" / "prova" / "2021-2023" / "stampa" / "index.html").read_text(encoding="utf-8")
    assert not [p for p in served.rglob(".*") if p.name.endswith(".pdz")]

    if (project / "node_modules").exists():   # the editor's record names, written after the page is shown
        assert "Nuovo titolo" in (served / "1" / "admin" / "anteprima.json").read_text(encoding="utf-8")

    # an invalid edit: the Italian list of problems names the file and the field, and the site
    # served stays the last good one; corrected, the site is again what a cold build writes
    error = rebuilds[3].get("error", "")
    assert "Contenuti non validi" in error and "01-casa.md" in error and "area" in error, rebuilds[3]
    assert "Traceback" not in error
    assert_same_site(served / "4", served / "3")

    # the tree after steps 3 and 5 is the one after the first (the added record removed again)
    cold(project, tmp_path / "cold")
    assert_same_site(served / "1", tmp_path / "cold")
    assert_same_site(served / "3", tmp_path / "cold")
    assert_same_site(served / "5", tmp_path / "cold")
    assert not (served / "3" / "prova" / "2021-2023" / "obiettivi" / "09-nuovo").exists()

    # a record added: its page, and the pages that list it, as a cold build writes them
    assert rebuilds[1]["put_back"] > 0, rebuilds[1]
    write(project, ADDED, edited)
    cold(project, tmp_path / "cold-added")
    assert (tmp_path / "cold-added" / "prova" / "2021-2023" / "obiettivi" / "09-nuovo" / "index.html").is_file()
    assert_same_site(served / "2", tmp_path / "cold-added")
