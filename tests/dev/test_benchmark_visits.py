"""The build benchmark (make bench), second part of the smoke run at N=5 (the first, every
build, is test_benchmark.py): the bytes of a first visit and of a search in Chromium, mkdocs
serve after an edit, the single-Ambito preview and every record's history. It builds no site of
its own for the page weights: it weighs the real site, which the test session builds anyway
(build_bench --builds none --weights-site).
"""
from __future__ import annotations

import pytest

from pdz_dev.bench import smoke

pytestmark = pytest.mark.build   # it builds sites in its own processes


def test_benchmark_page_weights_serve_preview_and_history(real_site):
    # the first visit of one page kind, the heaviest (tests/site/test_search.py weighs every kind of
    # the same site with the same weight.first_visit) and both searches
    out = smoke.run("--builds", "none", "--weights-site", str(real_site), "--weight-kind", "obiettivo",
                    "--serve-sizes", "5", "--serve-edits", "1",
                    "--history-n", "5", "--history-commits", "2", "--history-per-commit", "3")
    for target in (r"mkdocs serve without AMBITO, search on, at N=5", r"first visit at phone size",
                   r"one search, every file counted"):
        smoke.line(rf"^(PASS|FAIL)  {target}", out)
    # bytes per page kind: raw / gzip / brotli
    smoke.line(r"^\| obiettivo \| \d+ / \d+ / \*\*[0-9.]+\*\* \|", out)
    # one search, keywords and an everyday sentence, every file counted
    for query in ("assistenti familiari", "badante per mia madre anziana"):
        smoke.line(rf"^\| \*\*one search \(`{query}`\)\*\* \| \d+ / \d+ / \*\*[0-9.]+\*\* \|", out)
    # mkdocs serve (no AMBITO) showed the edit of a record on its page (one edit: every step of the
    # measurement runs once; tests/plugin/test_serve_rebuild.py checks what several rebuilds serve)
    smoke.line(r"^\| 5 \| [0-9.]+ s \| ([0-9.]+ s) \|", out)
    # the single-Ambito preview publishes no page of another Ambito, and fewer than the whole site
    preview = smoke.line(r"^\| N=5 \| as is \| [\w-]+ \| built \|.*\| (\d+) \| (\d+) \|$", out)
    assert int(preview.group(2)) == 0 and 0 < int(preview.group(1)) < smoke.site_pages(real_site), out[-3000:]
    # the cost of every record's history (issue #26): a scripted main line of 2 + 2 commits read;
    # its tree is the real content (test_benchmark.py: the benchmark's records are the content's)
    # less the record one commit removes
    history = smoke.line(r"^\| 5 \| 4 \| (\d+) \| (\d+) \| (\d+) \| [0-9.]+ s \| \*\*[0-9.]+ s\*\* \| [0-9.]+ s \|", out)
    history_records, with_history, events = map(int, history.groups())
    assert history_records == smoke.content_records() - 1 and 0 < with_history <= history_records and events >= 8
