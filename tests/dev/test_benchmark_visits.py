"""The build benchmark (make bench), second part of the smoke run at N=5 (the first, every
build and the preview, is test_benchmark.py): our cold build, then the bytes of a first visit
and of a search in Chromium, mkdocs serve after an edit, and every record's history.
"""
from __future__ import annotations

import pytest

from pdz_dev.bench import smoke

pytestmark = pytest.mark.build   # it builds sites in its own processes


def test_benchmark_page_weights_serve_and_history():
    out = smoke.run("--builds", "cold", "--no-preview", "--serve-sizes", "5", "--serve-edits", "1",
                    "--history-n", "5", "--history-commits", "2", "--history-per-commit", "3")
    records, _comuni, _pages, _floor_pages = smoke.sites_row(out)
    assert records == smoke.content_records()
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
    # the cost of every record's history (issue #26): a scripted main line of 2 + 2 commits read
    history = smoke.line(r"^\| 5 \| 4 \| (\d+) \| (\d+) \| (\d+) \| [0-9.]+ s \| \*\*[0-9.]+ s\*\* \| [0-9.]+ s \|", out)
    history_records, with_history, events = map(int, history.groups())
    assert history_records == records - 1 and 0 < with_history <= history_records and events >= 8
