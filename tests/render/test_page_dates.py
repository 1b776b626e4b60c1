"""AgID: every page shows the date of its last update, which comes from the main line of git
(tests/content/test_mainline_dates.py: merges, forged dates, the format-only trailer)."""
from __future__ import annotations

import re
import subprocess

from pdz_dev.project import ROOT
from pdz.render.base import Page
from pdz.render.dates import page_dates

# the page template's line, or the embeddable card's definition list
# pages: "Ultimo aggiornamento: <date>"; embeddable cards: "Aggiornato al <date>"
STAMP = re.compile(r'(?:Ultimo aggiornamento: |Aggiornato al )<time datetime="(\d{4}-\d{2}-\d{2})">(\d{1,2} [a-z]+ \d{4})</time>')


def git_date(path: str) -> str:
    return subprocess.run(["git", "log", "-1", "--first-parent", "--format=%cs", "--", path], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


def test_every_page_shows_its_last_update(real_site):
    # admin/ is the web editor's application (Decap CMS, not indexed), not a page of the site
    pages = [p for p in real_site.rglob("*.html")
             if p.name != "404.html" and p.relative_to(real_site).parts[0] != "admin"]
    missing = []
    for path in pages:
        html = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:   # redirects of old addresses
            continue
        found = STAMP.findall(html)
        if len(found) != 1:
            missing.append((str(path.relative_to(real_site)), len(found)))
    assert missing == []
    assert len(pages) > 100


def test_dates_come_from_git(real_site):
    objective = "content/ambiti/corsico/2021-2023/obiettivi/04-tutela-minori.md"
    if not (ROOT / objective).exists():
        objective = objective[:-3] + ".yaml"
    html = (real_site / "corsico/2021-2023/obiettivi/04-tutela-minori/index.html").read_text(encoding="utf-8")
    assert STAMP.search(html).group(1) == git_date(objective)
    # a hand-written page that runs no macro: its own file's date (a page that runs macros, such as
    # note-legali/, is also as new as the newest content file: site/pages.py)
    guide = (real_site / "guida/index.html").read_text(encoding="utf-8")
    assert STAMP.search(guide).group(1) == git_date("docs/guida.md")


def test_a_list_is_as_new_as_the_newest_record_it_lists():
    records = [Page("a/obiettivi/1-x/", "X", "", source="content/x.yaml", is_record=True),
               Page("a/obiettivi/2-y/", "Y", '<a href="../1-x/">X</a>', source="content/y.yaml", is_record=True)]
    index = Page("a/obiettivi/", "Obiettivi", '<a href="1-x/">X</a> <a href="2-y/#titolo">Y</a>', source="content/a.yaml")
    other = Page("destinatari/", "Destinatari", '<a href="minori/">Minori</a>')
    updated = {"content/x.yaml": "2026-01-05", "content/y.yaml": "2025-03-01", "content/a.yaml": "2024-01-01",
               "content/z.yaml": "2026-02-01"}
    dates = page_dates(records + [index, other], updated)
    assert dates["a/obiettivi/2-y/"] == "2025-03-01"   # a record: its own file only, not what it links to
    assert dates["a/obiettivi/"] == "2026-01-05"
    assert dates["destinatari/"] == "2026-02-01"       # built from no file in particular: the newest
