"""The build cache (.cache/pdz/, macros/pdz/site/cache.py) changes how fast a build is, never what
it writes: a build that reuses it writes the same bytes as a build without it, after an edit of
the content, of the configuration or of the code.

Pagefind's filter chunks and the two files that name them are compared by count (their order
changes from one run of Pagefind to the next: pdz_dev.project.assert_same_site); every other
file, the pages, words and excerpts of the search index included, byte for byte.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from pdz_dev.gitrepo import edit, git
from pdz_dev.project import FIXTURES, ROOT, assert_same_site, build, make_project, write

# Every test builds (through the helpers below, which the tiers in conftest.py do not look into).
pytestmark = pytest.mark.build

OBJECTIVE = "ambiti/prova/2021-2023/obiettivi/01-casa.md"


def built(project: Path, site: Path, env: dict | None = None, forked: bool = True) -> str:
    """The build's log. Each build is a process of its own, forked from one that has imported
    MkDocs and the package (pdz_dev.forkbuild), but the first (``first_build``) and those with
    other code (PYTHONPATH), which start Python: the tests that compare a forked build with
    ``first_build``'s site (test_the_cache_is_data_the_build_checks, with a linked cache, renders
    every page) also prove that a forked build writes what a new Python writes."""
    env = {"SOURCE_DATE_EPOCH": "1780000000", **(env or {})}
    result = build(project, site, env, forked=forked)
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stderr


def reuse(log: str) -> tuple[int, int]:
    """(pages from the cache, pages built) as the build reports them."""
    match = re.search(r"Pagine generate: (\d+) riprese dalla cache, (\d+) costruite", log)
    assert match, log[-3000:]
    return int(match.group(1)), int(match.group(2))


def cold(project: Path, site: Path, env: dict | None = None, forked: bool = True) -> str:
    shutil.rmtree(project / ".cache", ignore_errors=True)
    log = built(project, site, env, forked)
    assert reuse(log)[0] == 0
    return log


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> tuple[Path, Path, str, Path]:
    """The fixture tree built cold once for the tests that start from it: (project with its
    cache, site, log, a copy of the project as the build left it). The cache is valid for the
    project's own place (its keys name the theme's folders), so each test works there, on the
    project put back as the build left it (``as_built``)."""
    tmp = tmp_path_factory.mktemp("first")
    project = make_project(tmp, FIXTURES / "valid")
    log = cold(project, tmp / "cold", forked=False)
    shutil.copytree(project, tmp / "as-built", symlinks=True)
    return project, tmp / "cold", log, tmp / "as-built"


def as_built(first_build) -> Path:
    """The project of ``first_build`` with its cache, as the cold build left it."""
    project, _, _, copy = first_build
    shutil.rmtree(project)
    shutil.copytree(copy, project, symlinks=True)
    return project


def test_a_cached_build_writes_what_a_cold_build_writes(first_build, tmp_path):
    project = as_built(first_build)
    _, cold_site, log, _ = first_build
    assert "Indice di ricerca: scritto da Pagefind" in log
    assert (project / ".cache" / "pdz").is_dir()

    # no change: every page and the search index come from the cache
    log = built(project, tmp_path / "again")
    cached, rendered = reuse(log)
    assert rendered == 0 and cached > 0
    assert "Indice di ricerca: ripreso dalla cache" in log
    assert_same_site(tmp_path / "again", cold_site)

    # one record edited: its pages are built again, the others come from the cache, and the
    # site is the one a cold build of the edited tree writes
    path = project / "content" / OBJECTIVE
    path.write_text(path.read_text(encoding="utf-8").replace("titolo: ", "titolo: Nuovo titolo - ", 1), encoding="utf-8")
    log = built(project, tmp_path / "warm")
    cached_after, rendered = reuse(log)
    assert 0 < rendered < cached_after, (cached_after, rendered)
    assert "Indice di ricerca: scritto da Pagefind" in log
    assert "Nuovo titolo" in (tmp_path / "warm" / "prova" / "2021-2023" / "obiettivi" / "01-casa" / "index.html").read_text()
    cold(project, tmp_path / "cold-edited")
    assert_same_site(tmp_path / "warm", tmp_path / "cold-edited")

    # a record added and one removed
    write(project, "ambiti/prova/2021-2023/obiettivi/09-nuovo.md", path.read_text(encoding="utf-8"))
    built(project, tmp_path / "before-removal")
    (project / "content" / "ambiti/prova/2021-2023/obiettivi/09-nuovo.md").unlink()
    built(project, tmp_path / "removed")
    assert not (tmp_path / "removed" / "prova" / "2021-2023" / "obiettivi" / "09-nuovo").exists()
    assert_same_site(tmp_path / "removed", tmp_path / "cold-edited")


def test_a_cached_build_follows_the_history_on_the_main_line(tmp_path):
    """Every record's history (issue #26) is read from git: after a new commit (a budget changed
    with its reason, then a table removed) a build that reuses the cache shows the change in the
    record's history, the feeds and novita/, leaves a page at the address the table left, and
    writes what a cold build of the same commit writes."""
    project = make_project(tmp_path, FIXTURES / "valid")
    git(project, "init", "-q", "-b", "main")
    (project / ".git" / "info" / "exclude").write_text(".cache/\n", encoding="utf-8")

    def commit(date: str, message: str) -> None:
        git(project, "add", "-A")
        git(project, "commit", "-qm", message, date=date)

    commit("2024-01-10T10:00:00+00:00", "Contenuti iniziali")
    cold(project, tmp_path / "cold")

    edit(project, "content/" + OBJECTIVE, "importo: 250000.00", "importo: 3800000.00")
    commit("2024-02-01T10:00:00+00:00", "Aggiorna le risorse\n\nMotivo: variazione di bilancio approvata")
    log = built(project, tmp_path / "changed")
    cached, rendered = reuse(log)
    assert 0 < rendered and 0 < cached, (cached, rendered)   # the cache is in use across the commit
    page = (tmp_path / "changed" / "prova" / "2021-2023" / "obiettivi" / "01-casa" / "index.html").read_text()
    history = page[page.index('id="cronologia"'):]
    assert "€ 3.800.000,00" in history and "variazione di bilancio approvata" in history
    assert "variazione di bilancio approvata" in (tmp_path / "changed" / "prova" / "novita.xml").read_text()
    assert "variazione di bilancio approvata" in (tmp_path / "changed" / "novita" / "index.html").read_text()

    git(project, "rm", "-q", "content/ambiti/prova/2021-2023/dati/popolazione.yaml")
    commit("2024-03-20T10:00:00+00:00", "Togli la tabella\n\nMotivo: dati duplicati")
    assert 0 < reuse(built(project, tmp_path / "removed"))[0]
    left = tmp_path / "removed" / "prova" / "2021-2023" / "dati" / "popolazione" / "index.html"
    assert "Questa scheda è stata rimossa dal sito" in left.read_text()
    cold(project, tmp_path / "removed-cold")
    assert_same_site(tmp_path / "removed", tmp_path / "removed-cold")


def test_a_change_of_configuration_or_code_builds_the_pages_again(first_build, tmp_path):
    """The cache is keyed by the configuration (mkdocs.yml and the settings it reads from the
    environment) and by the code (a copy of the package, edited between two builds)."""
    project = as_built(first_build)

    # configuration: an option read from the environment (the owning body in every page header)
    configured = {"PDZ_ENTE_NOME": "Ufficio di Piano di Prova"}
    log = built(project, tmp_path / "configured", configured)
    assert reuse(log)[0] == 0
    assert "Ufficio di Piano di Prova" in (tmp_path / "configured" / "index.html").read_text()
    cold(project, tmp_path / "configured-cold", configured)
    assert_same_site(tmp_path / "configured", tmp_path / "configured-cold")

    # configuration: mkdocs.yml itself
    (project / "mkdocs.yml").unlink()
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(text.replace("site_name: Piani di Zona della Lombardia",
                                                     "site_name: Piani di Zona di prova"), encoding="utf-8")
    log = built(project, tmp_path / "renamed")
    assert reuse(log)[0] == 0
    assert "Piani di Zona di prova" in (tmp_path / "renamed" / "index.html").read_text()
    cold(project, tmp_path / "renamed-cold")
    assert_same_site(tmp_path / "renamed", tmp_path / "renamed-cold")

    # code: a copy of the package and schemas, the same bytes in another folder (the key is made
    # of what the files hold): every page comes from the cache of the cold build above
    code = tmp_path / "code"
    shutil.copytree(ROOT / "macros", code / "macros", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(ROOT / "schemas", code / "schemas")
    env = {"PYTHONPATH": str(code / "macros")}
    assert reuse(built(project, tmp_path / "copied", env))[1] == 0

    # code: a line of the package (here a comment: what it would change does not matter, only
    # that the cache does not outlive the code that wrote it)
    blocks = code / "macros" / "pdz" / "render" / "blocks.py"
    blocks.write_text(blocks.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert reuse(built(project, tmp_path / "recommented", env))[0] == 0

    # code: a label of the objective pages changed in the schemas the package reads
    defs = code / "schemas" / "_defs.schema.json"
    source = defs.read_text(encoding="utf-8")
    assert '"si": "Sì"' in source
    defs.write_text(source.replace('"si": "Sì"', '"si": "Sì, certo"'), encoding="utf-8")
    log = built(project, tmp_path / "recoded", env)
    assert reuse(log)[0] == 0
    assert any("Sì, certo" in p.read_text() for p in (tmp_path / "recoded").rglob("index.html"))
    cold(project, tmp_path / "recoded-cold", env)
    assert_same_site(tmp_path / "recoded", tmp_path / "recoded-cold")


def test_the_cache_is_data_the_build_checks(first_build, tmp_path):
    """A damaged page or export in the cache is not published (each file is checked against its
    SHA-256); a cache folder that is a link (it could point anywhere) is neither read nor written."""
    project = as_built(first_build)
    cold_site = first_build[1]
    # the cached copies of the objective's page and of the printable part that holds it (an
    # export, copied as it is); blobs are named by the SHA-256 of their bytes
    for published in ("prova/2021-2023/obiettivi/01-casa/index.html", "prova/2021-2023/stampa/obiettivi/index.html"):
        sha = hashlib.sha256((cold_site / published).read_bytes())
        page = project / ".cache" / "pdz" / "blobs" / sha.hexdigest()[:2] / sha.hexdigest()
        assert page.is_file()
        page.unlink()   # a new file, so that no hard link to the old one (a site's file) is damaged
        page.write_bytes(b"<!doctype html><p>guasto</p>")
    built(project, tmp_path / "damaged")
    assert_same_site(tmp_path / "damaged", cold_site)

    shutil.rmtree(project / ".cache")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / ".cache").symlink_to(elsewhere, target_is_directory=True)
    built(project, tmp_path / "linked")
    assert list(elsewhere.iterdir()) == []
    assert_same_site(tmp_path / "linked", cold_site)


def test_the_files_written_later_are_those_of_a_whole_assembly(tmp_path):
    """``mkdocs serve`` assembles with ``later`` and writes the printable plans, the feeds, the
    objectives' cards and (once it knows the sizes of the last files: ``Memo.sizes``) the open data after the page is
    shown (assembly.write_later): the site's files are then the same, in the same order, as
    those of an assembly that wrote them at once, with a cache and without; when a size the
    "Dati aperti" page shows changed, write_later says so (``stale``)."""
    import dataclasses

    from pdz.plugin.plugin import load_settings
    from pdz.site.assembly import Later, Memo, contents_of, assemble, write_later
    from pdz.site.cache import BuildCache

    project = make_project(tmp_path, FIXTURES / "valid")
    settings, problems = load_settings(project / "mkdocs.yml")
    assert settings is not None, problems
    settings = dataclasses.replace(settings, site_url="https://pdz.example.it/")
    for cache in (BuildCache(tmp_path / "whole"), None):
        whole = assemble(settings, cache=cache)
        later_cache = BuildCache(tmp_path / "later") if cache is not None else None
        memo = Memo()
        memo.keep_sizes(whole.exports)
        if cache is None:   # the zip of the last build was 5 kB smaller: the page showed another size
            memo.sizes["dati/dati-aperti-piani-di-zona.zip"] -= 5000
        site = assemble(settings, cache=later_cache, memo=memo, later=True)
        placed = [path for path, data in site.exports.items() if isinstance(data, Later)]
        assert placed == [p for p in whole.exports if p.endswith(("/stampa/index.html", "novita.xml", "/scheda/index.html"))
                          or p.startswith("dati/")]
        assert "novita.xml" in placed and "prova/2021-2023/stampa/index.html" in placed
        assert any(p.endswith("/scheda/index.html") for p in placed)   # the objectives' cards
        # the printable parts below a contents page are known once it is made
        parts = [p for p in whole.exports if p not in placed and contents_of(p) in placed]
        assert parts and list(site.exports) == [p for p in whole.exports if p not in parts]
        stale: list = []
        written = dict(write_later(site, later_cache, stale=lambda said=stale: said.append(True)))
        assert stale == ([True] if cache is None else [])
        assert sorted(written) == sorted(p for p in whole.exports if p in placed or p in parts)   # open data first
        assert list(site.exports) == list(whole.exports)
        for path, data in whole.exports.items():
            same = site.exports[path]
            if cache is None:
                assert same == data, path
            else:
                assert same.path.name == data.path.name and same.read() == data.read(), path
        for path, data in written.items():   # what serve writes into its folder: the file as published
            assert data == (whole.exports[path].read() if cache is not None else whole.finished(path, whole.exports[path]))
        assert "Versione stampabile" in written["prova/2021-2023/stampa/index.html"].decode("utf-8")
        assert written["novita.xml"].startswith(b'<?xml')
