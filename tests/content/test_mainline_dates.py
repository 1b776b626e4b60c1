"""Dates come from the main line: the merge, not the contributor's commits; never in the future;
a "format only" trailer only where the records are really identical.

The attacks: a pull request whose commits carry an old (or future) committer date, merged with a
merge commit, dated the page and the feed entry with that date, and the feed's ``updated`` went
backwards; a commit with ``Pdz-Format-Only: yes`` that changed an amount (€ 250.000 → € 2.500.000)
left the page date, the Atom feed and ``dct:modified`` untouched. A throw-away git repository
with a scripted history is built as the site would be published from it.
"""
from __future__ import annotations

import datetime
import json
import re
import subprocess
import time
from pathlib import Path

import pytest

from pdz_dev.project import FIXTURES, build, make_project
from pdz_dev.gitrepo import edit, git
from pdz.commands.check import check
from pdz.content.problems import ERROR

OBJECTIVE = "content/ambiti/prova/2021-2023/obiettivi/01-casa.md"          # the amount
EVALUATION = "content/ambiti/prova/2021-2023/valutazioni/01-portale.md"   # contributor, old date
PARTNER = "content/partner/asst-prova.yaml"                               # contributor, future date
SECTION = "content/ambiti/prova/2021-2023/sezioni/01-introduzione.md"     # main, meanwhile
AREA = "content/aree/B.yaml"                                               # a true format-only change
TRAILER = "\n\nPdz-Format-Only: yes"


def commit(repo: Path, date: str, message: str) -> str:
    git(repo, "commit", "-qam", message, date=date)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """init (2024-01-10) ─ section (2024-02-01) ─ merge (2024-03-01) ─ amount with the trailer
    (2024-04-01) ─ quoting with the trailer (2024-04-15); the merged branch has one commit dated
    2019-05-01 (the evaluation) and one dated 2099-01-01 (the partner)."""
    tmp = tmp_path_factory.mktemp("storia")
    repo = make_project(tmp, FIXTURES / "valid")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    commits = {"init": commit(repo, "2024-01-10T10:00:00+00:00", "Contenuti iniziali")}
    git(repo, "checkout", "-q", "-b", "contributo")
    edit(repo, EVALUATION, "percentuale: 25", "percentuale: 30")
    commits["old"] = commit(repo, "2019-05-01T10:00:00+00:00", "Valutazione aggiornata (data del passato)")
    edit(repo, PARTNER, 'ruolo: "Partner sanitario"', 'ruolo: "Partner sanitario e sociale"')
    commits["future"] = commit(repo, "2099-01-01T10:00:00+00:00", "Partner aggiornato (data del futuro)")
    git(repo, "checkout", "-q", "main")
    edit(repo, SECTION, 'titolo: "Introduzione"', 'titolo: "Introduzione al piano"')
    commits["section"] = commit(repo, "2024-02-01T10:00:00+00:00", "Sezione")
    git(repo, "merge", "-q", "--no-ff", "contributo", "-m", "Merge pull request #7 from contributo",
        date="2024-03-01T10:00:00+00:00")
    commits["merge"] = git(repo, "rev-parse", "HEAD").strip()
    edit(repo, OBJECTIVE, "importo: 250000.00", "importo: 2500000.00")
    commits["amount"] = commit(repo, "2024-04-01T10:00:00+00:00", "Solo formato" + TRAILER)
    edit(repo, AREA, 'nome: "Politiche abitative"', "nome: 'Politiche abitative'")
    commits["format"] = commit(repo, "2024-04-15T10:00:00+00:00", "Virgolette semplici" + TRAILER)
    return repo, commits


@pytest.fixture(scope="module")
def site(history, tmp_path_factory):
    repo, _ = history
    site = tmp_path_factory.mktemp("storia-sito") / "site"
    result = build(repo, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def page_date(site: Path, url: str) -> str:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return re.search(r'Ultimo aggiornamento: <time datetime="([0-9-]+)">', html).group(1)


def feed(site: Path, url: str) -> tuple[str, list[tuple[str, str]]]:
    text = (site / url).read_text(encoding="utf-8")
    updated = re.search(r"<updated>([^<]+)</updated>", text).group(1)
    entries = re.findall(r"<entry>.*?<title>([^<]+)</title>.*?<updated>([^<]+)</updated>", text, re.S)
    return updated, entries


def test_pages_take_the_date_of_the_merge_not_the_contributors(site):
    assert page_date(site, "prova/2021-2023/valutazioni/01-portale") == "2024-03-01"
    # a partner's page lists the records that cite it: as new as the objective (2024-04-01)
    assert page_date(site, "partner/asst-prova") == "2024-04-01"
    assert page_date(site, "prova/2021-2023/sezioni/01-introduzione") == "2024-02-01"


def test_a_false_format_only_trailer_dates_the_change(site, history):
    from pdz.content.gitdates import history as changes, last_changes
    repo, commits = history
    assert page_date(site, "prova/2021-2023/obiettivi/01-casa") == "2024-04-01"
    # identical records: the trailer holds (the area's page lists the objective, so it is newer)
    assert last_changes(repo)[AREA] == "2024-01-10"
    assert [c for c, _, _, path in changes(repo) if c == commits["format"]] == []
    assert [c for c, _, _, path in changes(repo) if path == OBJECTIVE][0] == commits["amount"]


def test_feeds_are_dated_by_the_main_line(site):
    updated, entries = feed(site, "prova/novita.xml")
    assert updated == "2024-04-01T10:00:00+00:00"
    dates = {title: when for title, when in entries}
    assert dates["Scheda modificata: Agenzia per la casa"] == "2024-04-01T10:00:00+00:00", entries
    assert dates["Scheda modificata: Portale unico"] == "2024-03-01T10:00:00+00:00", entries
    assert all(when[:4] == "2024" for _, when in entries), entries
    updated, entries = feed(site, "partner/asst-prova/novita.xml")   # its own changes and its citers'
    assert updated == "2024-04-01T10:00:00+00:00", entries
    assert dict(entries)["Scheda modificata: ASST di Prova"] == "2024-03-01T10:00:00+00:00", entries


def test_the_catalogue_is_dated_by_the_main_line(site):
    text = (site / "dati" / "catalogo.jsonld").read_text(encoding="utf-8")
    json.loads(text)
    modified = set(re.findall(r'"http://purl.org/dc/terms/modified": \[\s*\{[^}]*"@value": "([0-9-]+)"', text))
    assert modified and modified <= {"2024-01-10", "2024-02-01", "2024-03-01", "2024-04-01"}, modified
    assert "2024-04-01" in modified   # the objectives (and their amounts) changed then
    assert "2019-05-01" not in text and "2099" not in text


def test_the_sitemap_date_is_the_newest_main_line_date(site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {"2024-04-15"}


def test_no_date_of_the_site_comes_from_the_contributors_commits(site):
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".jsonld", ".ttl", ".csv"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "2019-05-01" not in text and "2099-01-01" not in text, path


def test_the_feed_never_goes_backwards_nor_into_the_future(history):
    """Along the main line, the newest change of the content (the feeds' ``updated``) at each
    commit is never older than at the commit before, and never later than now."""
    from pdz.content.gitdates import history as changes
    repo, _ = history
    line = git(repo, "rev-list", "--first-parent", "--reverse", "main").split()
    newest, seen = "", []
    try:
        for sha in line:
            git(repo, "checkout", "-q", "--detach", sha)
            latest = max((when for _, when, _, _ in changes(repo)), default="")
            stamp = datetime.datetime.fromisoformat(latest).timestamp() if latest else 0
            assert stamp <= time.time() and latest >= newest, (sha, latest, newest)
            newest = latest
            seen.append(latest[:10])
    finally:
        git(repo, "checkout", "-q", "main")
    assert seen == ["2024-01-10", "2024-02-01", "2024-03-01", "2024-04-01", "2024-04-01"]


def test_a_main_line_commit_out_of_order_or_in_the_future_is_clamped(history, tmp_path):
    """Pushed straight to the main line (no merge): a date before the previous commit takes that
    one's; a future date becomes the reference time."""
    from pdz.content import mainline
    repo, commits = history
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True, capture_output=True)
    edit(clone, EVALUATION, "percentuale: 30", "percentuale: 35")
    commit(clone, "2023-01-01T10:00:00+00:00", "Data all'indietro")
    edit(clone, PARTNER, "e sociale", "e sociosanitario")
    commit(clone, "2099-06-01T10:00:00+00:00", "Data nel futuro")
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc).timestamp()
    line = mainline.commits(clone, now=now)
    assert [c.when for c in line[:3]] == ["2025-01-01T00:00:00+00:00", "2024-04-15T10:00:00+00:00",
                                          "2024-04-15T10:00:00+00:00"]
    assert [c.clamped for c in line[:3]] == ["futuro", "indietro", ""]
    assert [c.sha for c in line if c.sha in (commits["old"], commits["future"])] == []   # off the main line


def test_make_check_in_ci_names_the_record_changed_despite_the_trailer(history):
    repo, commits = history
    _, problems = check(repo, base=commits["init"])
    errors = [p for p in problems if p.severity == ERROR]
    trailer = [p for p in errors if "Pdz-Format-Only" in p.message]
    assert [p.path for p in trailer] == [OBJECTIVE], [p.format() for p in errors]
    assert commits["amount"][:12] in trailer[0].message and "cambia i dati" in trailer[0].message
    future = [p for p in errors if "data nel futuro" in p.message]
    assert len(future) == 1 and commits["future"][:12] in future[0].message and future[0].path == PARTNER
    assert len(errors) == 2, [p.format() for p in errors]
    _, quiet = check(repo, base=commits["merge"])   # after the merge: only the false trailer
    assert [p.path for p in quiet if p.severity == ERROR] == [OBJECTIVE]
