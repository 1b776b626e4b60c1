"""Shared helpers: build a throw-away project (real code, chosen content) and the real site once."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"
sys.path.insert(0, str(ROOT / "macros"))

PROJECT_PARTS = ("mkdocs.yml", "docs", "macros", "schemas", "overrides")


def search_fragments(site: Path) -> list[dict]:
    """Pagefind's record of every page of ``site`` in its search index (gzip, a signature, then
    JSON: url, the page text its excerpts are cut from, title and filter values)."""
    out = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        out.append(json.loads(raw[raw.index(b"{"):]))
    return out


def make_project(tmp_path: Path, content_from: Path | None = None) -> Path:
    """A project dir that shares the real code but has its own content/."""
    project = tmp_path / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        (project / part).symlink_to(ROOT / part)
    if content_from is not None:
        shutil.copytree(content_from / "content", project / "content")
    return project


def write(project: Path, rel: str, text: str | bytes) -> Path:
    path = project / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def build(project: Path, site_dir: Path, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=1200)


def build_in_process(project: Path, site_dir: Path, monkeypatch) -> None:
    """A build in this process (so a test can switch a check off with monkeypatch, to prove that
    the next guard holds); raises MkDocs' Abort when the build refuses."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    monkeypatch.chdir(project)
    # the plugin package mkdocs_macros, not our macros/mkdocs_macros.py (on sys.path for the tests)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p != str(ROOT / "macros")])
    monkeypatch.delitem(sys.modules, "mkdocs_macros", raising=False)
    # the hooks keep the pdz this process imported (and the test patched) when it has no build
    # stamp; a stamp left by an earlier build would make them import pdz afresh
    import pdz
    monkeypatch.delattr(pdz, "code_stamp", raising=False)
    mkdocs_build(load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir)))


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real content built once per test session (strict mode). PDZ_REAL_SITE names a site
    already built from this tree (tests/stress/browser_under_load.py builds once for many runs)."""
    if os.environ.get("PDZ_REAL_SITE"):
        return Path(os.environ["PDZ_REAL_SITE"])
    site = tmp_path_factory.mktemp("real") / "site"
    result = build(ROOT, site)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "WARNING" not in result.stderr, result.stderr[-4000:]
    return site


# The body that owns the site and its usage statistics, as a deployment configures them (extra.pdz_ente in mkdocs.yml reads
# these variables); the name carries markup characters, which every place must escape.
OWNER_ENV = {"PDZ_ENTE_NOME": 'Ufficio di Piano "Prova" <b>& Co.</b>', "PDZ_ENTE_SITO": "https://ente.example.org/",
             "PDZ_ENTE_IPA": "c_prova", "PDZ_ENTE_SUPERIORE_NOME": "Regione di Prova",
             "PDZ_ENTE_SUPERIORE_SITO": "https://regione.example.org/",
             "PDZ_MATOMO_URL": "https://statistiche.example.org/", "PDZ_MATOMO_SITE_ID": "7"}


@pytest.fixture(scope="session")
def configured_site(tmp_path_factory) -> Path:
    """The real content built with the owning body and Web Analytics Italia configured."""
    site = tmp_path_factory.mktemp("configured") / "site"
    result = build(ROOT, site, OWNER_ENV)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "WARNING" not in result.stderr, result.stderr[-4000:]
    return site


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The small valid fixture tree built once."""
    tmp = tmp_path_factory.mktemp("fixture")
    project = make_project(tmp, FIXTURES / "valid")
    site = tmp / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr[-4000:]
    return site


# --- browser (tests/test_browser.py, test_tables.py, test_comuni.py, test_csp.py) -------------
# One Chromium per session: Playwright's sync API cannot be started twice at the same time.

@pytest.fixture(scope="session")
def site_url(real_site):
    """The real site on a local web server (browser tests)."""
    from browser_helpers import serving
    with serving(real_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, once per test session."""
    from browser_helpers import CHROMIUM, LAUNCH_ARGS
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), "
                    "as .ci/run does. The browser tests never download a browser.")
    from playwright.sync_api import sync_playwright
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def visit(browser, site_url):
    """Open visitors (browser contexts); at the end, assert nothing left 127.0.0.1 and the
    Content-Security-Policy blocked nothing (the site's own scripts and styles all pass)."""
    from browser_helpers import DESKTOP, Visit
    opened: list = []

    def make(viewport: dict = DESKTOP, **options):
        opened.append(Visit(browser, site_url, viewport, **options))
        return opened[-1]

    yield make
    foreign = [url for v in opened for url in v.foreign]
    violations = [text for v in opened for text in v.csp]
    for v in opened:
        v.close()
    assert foreign == [], f"requests to third-party hosts: {foreign}"
    assert violations == [], f"Content-Security-Policy violations: {violations}"


# --- a private temporary folder per test run -------------------------------------------------
# Every temporary file of the run (pytest's tmp_path, builds, mkdocs serve, the browser, the
# benchmark) goes to one folder, through TMPDIR, which the subprocesses inherit. At the end it must
# hold nothing but pytest's own folder; then it is removed, so a run leaves nothing in /tmp.
# PDZ_KEEP_TMP=1 keeps it (to look at a failed test's files).
_RUN_TMP: dict[str, Path] = {}


def pytest_configure(config):
    private = Path(tempfile.mkdtemp(prefix="pdz-test-run-"))
    _RUN_TMP["dir"] = private
    os.environ["TMPDIR"] = str(private)
    tempfile.tempdir = str(private)


def pytest_sessionfinish(session, exitstatus):
    private = _RUN_TMP.pop("dir", None)
    if private is None:
        return
    tempfile.tempdir = None
    leftovers = sorted(p.name for p in private.iterdir() if not p.name.startswith("pytest-of-"))
    if leftovers:
        sys.stderr.write(f"\nI test hanno lasciato file temporanei: {', '.join(leftovers)} "
                         f"(in {private}): un processo non ha fatto pulizia.\n")
        session.exitstatus = 1
    if os.environ.get("PDZ_KEEP_TMP"):
        sys.stderr.write(f"\nFile temporanei dei test conservati in {private}\n")
    else:
        shutil.rmtree(private, ignore_errors=True)


# Figures of the outside checks (links, HTML validator, corpus...), printed after the test run.
SUMMARY: dict[str, str] = {}


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("pdz: verifiche sul sito costruito")
        for name, value in SUMMARY.items():
            terminalreporter.write_line(f"{name}: {value}")
