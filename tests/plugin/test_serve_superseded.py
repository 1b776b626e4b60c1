"""``mkdocs serve`` when an edit comes while the work after the last build still runs (issue #27,
point 3): the new build does not wait for the last build's cache to be saved (it would replace
it), it is given the render cache's index the last build left in memory, and the cache stays
one a later build can trust: a ``mkdocs build`` with it writes what a cold build writes. Pagefind,
which indexes in the background, runs below the priority of the rebuild.

The serve builds run in their own process (MkDocs keeps the plugin instance for the life of a
process), as in tests/plugin/test_serve_rebuild.py.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from pdz.plugin.serving import NICENESS
from pdz.site import search_index
from pdz_dev.project import FIXTURES, assert_same_site, build, make_project

pytestmark = pytest.mark.build

OBJECTIVE = "ambiti/prova/2021-2023/obiettivi/01-casa.md"
EPOCH = {"SOURCE_DATE_EPOCH": "1780000000"}

# The first build's work after the build (files written later, then the cache saved) is held
# until the next build has begun (it sets _stop_later in on_config), so that the edit always
# comes while that work runs; then the tree is edited and built again, and serve settles.
SCRIPT = r"""
import json, sys
from pathlib import Path
from pdz.plugin.render_cache import RenderCache
from pdz_dev.servelike import ServeLike

project, site, rel, text = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
serve = ServeLike(project, site)
plugin = serve.plugin
write_later = type(plugin)._write_later
held = []

def hold(self, *args):
    if not held:
        held.append(True)
        self._stop_later.wait()   # until the next build begins
    return write_later(self, *args)

type(plugin)._write_later = hold
render_save = RenderCache.save
render_saved = []

def noted(self, *args):
    render_saved.append(id(self))
    return render_save(self, *args)

RenderCache.save = noted
first = serve.build()
first_key, first_render = plugin._assembly_key, id(plugin._render)
(project / "content" / rel).write_text(text, encoding="utf-8")
second = serve.build()
second_key = plugin._assembly_key
second["again"] = serve.settle()
saved = sorted(plugin.cache.load("assembly").get("sites") or {})
print(json.dumps({"first": first, "second": second, "held": len(held), "saved": saved,
                  "first_key": first_key, "second_key": second_key,
                  "first_render_saved": first_render in render_saved, "render_saves": len(render_saved)}))
serve.stop()
"""


def test_an_edit_during_the_work_after_a_build_leaves_a_cache_a_build_can_trust(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    path = project / "content" / OBJECTIVE
    edited = path.read_text(encoding="utf-8").replace("titolo: ", "titolo: Nuovo titolo - ", 1)
    result = subprocess.run([sys.executable, "-P", "-c", SCRIPT, str(project), str(tmp_path / "serve-site"), OBJECTIVE,
                             edited], env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **EPOCH), capture_output=True,
                            text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["held"] == 1 and "error" not in report["second"], report
    # the first build's cache was not saved (the edit came first), the second's was
    assert report["first_key"] != report["second_key"]
    assert report["saved"] and report["first_key"] not in report["saved"], report
    assert not report["first_render_saved"] and report["render_saves"] >= 1, report
    # the second build knew the first one's pages all the same (its index, kept in memory: the
    # cache has none of the first build)
    assert report["second"]["put_back"] > 0 and report["second"]["built"] > 0, report

    cold = tmp_path / "cold"
    cache = tmp_path / "cache-after-serve"
    shutil.copytree(project / ".cache", cache)
    shutil.rmtree(project / ".cache")
    result = build(project, cold, EPOCH)
    assert result.returncode == 0, result.stderr[-4000:]
    shutil.rmtree(project / ".cache")
    shutil.copytree(cache, project / ".cache")   # the cache serve left: a build with it writes the same
    result = build(project, tmp_path / "warm", EPOCH)
    assert result.returncode == 0, result.stderr[-4000:]
    assert_same_site(tmp_path / "warm", cold)


def test_serve_runs_pagefind_below_the_priority_of_a_rebuild(tmp_path, monkeypatch):
    notes = tmp_path / "niceness"
    script = tmp_path / "pagefind-stand-in"   # notes its priority, writes what Pagefind would
    script.write_text(f'#!/bin/sh\nnice > "{notes}"\n'
                      'while [ "$1" != "--output-path" ]; do shift; done\ntouch "$2/pagefind.js"\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    articles, output = tmp_path / "articles", tmp_path / "output"
    articles.mkdir()
    output.mkdir()
    (articles / "index.html").write_text("<main>x</main>", encoding="utf-8")
    search_index.run_pagefind(articles, output, niceness=NICENESS)
    assert int(notes.read_text(encoding="utf-8")) == min(19, os.nice(0) + NICENESS)
    search_index.run_pagefind(articles, output)   # mkdocs build: its own priority
    assert int(notes.read_text(encoding="utf-8")) == os.nice(0)
