"""Fixtures shared by the tests (the real site built once, Chromium once) and the test tiers.

Tiers (``make test-fast`` runs the first only; ``make test`` runs all):
- unmarked: no site build, no browser, no outside tool (under a minute in all);
- ``build``: builds a site with MkDocs (marked here, from what the test and its fixtures do);
- ``browser``: drives Debian's Chromium (marked here, from the fixtures it uses);
- ``external``: needs a tool or file outside Python and the repository (Java for the HTML
  checker, Node tools, ../shared/seeds): marked by the test itself;
- ``slow``: seconds of CPU by design (an equivalence over every record or page of the real
  content, pathological inputs): marked by the test itself.
In ``make test-fast`` (PDZ_TEST_TIER=fast) the Hypothesis properties also run a quarter of
their examples; ``make test`` runs them all.
"""
from __future__ import annotations

import fcntl
import functools
import os
import shutil
import sys
import tempfile
from pathlib import Path

import inspect
import re

import pytest

from pdz_dev import forkbuild
from pdz_dev.project import OWNER_ENV, ROOT, SUMMARY, build

# Every Python the tests start (mkdocs, pdz commands, benchmarks) never looks for modules in its
# working directory, as `make` runs them (macros/pdz/content/rootguard.py).
os.environ["PYTHONSAFEPATH"] = "1"


def _not_in_the_fast_tier(name: str) -> None:
    """make test-fast deselects every test that builds; one that gets here escaped the markers."""
    if os.environ.get("PDZ_TEST_TIER") == "fast":
        pytest.fail(f"{name}: a test of the fast tier asked for a built site; mark it (or fetch the fixture "
                    "by a parameter, which tests/conftest.py marks)")


@pytest.fixture(scope="session")
def real_site() -> Path:
    """The real content built once per test session (strict mode). PDZ_REAL_SITE names a site
    already built from this tree (tests/stress/browser_under_load.py builds once for many runs)."""
    if os.environ.get("PDZ_REAL_SITE"):
        return Path(os.environ["PDZ_REAL_SITE"])
    _not_in_the_fast_tier("real_site")
    return _built_once_per_run("real", {})


@pytest.fixture(scope="session")
def configured_site() -> Path:
    """The real content built for publication as a deployment configures it (OWNER_ENV: its own
    address, the owning body, its e-mail, Web Analytics Italia)."""
    _not_in_the_fast_tier("configured_site")
    return _built_once_per_run("configured", OWNER_ENV)


# With pytest-xdist (make test) every worker is a process with its own session fixtures: each
# would build the real site again (a quarter of a minute of CPU). The sites above are built once
# per run instead, in the controller's temporary folder: the first worker that needs one builds it
# while holding a lock, the others wait for the lock and read the same files (no test writes there).
SHARED_BUILDS = "PDZ_TEST_SHARED_BUILDS"


def _built_once_per_run(name: str, env: dict) -> Path:
    shared = Path(os.environ[SHARED_BUILDS])
    shared.mkdir(exist_ok=True)
    site = shared / name / "site"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # released when the file is closed, even if the build fails
        if not (shared / f"{name}.built").exists():
            shutil.rmtree(site.parent, ignore_errors=True)   # what a failed attempt left
            site.parent.mkdir()
            result = build(ROOT, site, env)
            assert result.returncode == 0, result.stderr[-4000:]
            assert "WARNING" not in result.stderr, result.stderr[-4000:]
            (shared / f"{name}.built").touch()
    return site


# --- browser (tests/site/test_browser.py, test_tables.py, test_comuni.py, test_csp.py) -------------
# One Chromium per session: Playwright's sync API cannot be started twice at the same time.

@pytest.fixture(scope="session")
def site_url(real_site):
    """The real site on a local web server (browser tests)."""
    from pdz_dev.browser import serving
    with serving(real_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, once per test session."""
    from pdz_dev.browser import CHROMIUM, LAUNCH_ARGS
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), "
                    "as .ci/run does. The browser tests never download a browser.")
    from playwright.sync_api import sync_playwright
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def idle_visitors(browser, site_url):
    """Visitors of the real site that a test has left, one per viewport and options, reset
    (Visit.reset) for the next test that asks for the same kind: a new browser context and page
    cost about 0.4 s of CPU (Chromium builds a window for each), a visit of an open page half."""
    idle: dict = {}
    yield idle
    for visitor in idle.values():
        visitor.close()


@pytest.fixture
def visit(browser, site_url, idle_visitors, request):
    """Open visitors (each its own browser context within the test); at the end, assert nothing
    left 127.0.0.1 and the Content-Security-Policy blocked nothing (the site's own scripts and
    styles all pass). A visitor of a test that passed is reset and kept for the next test."""
    from pdz_dev.browser import DESKTOP, Visit
    opened: list = []

    def make(viewport: dict = DESKTOP, **options):
        kind = repr((sorted(viewport.items()), sorted(options.items())))
        opened.append((kind, idle_visitors.pop(kind, None) or Visit(browser, site_url, viewport, **options)))
        return opened[-1][1]

    yield make
    foreign = [url for _, v in opened for url in v.foreign]
    violations = [text for _, v in opened for text in v.csp]
    passed = not request.node.stash.get(FAILED, False) and not foreign and not violations
    for kind, v in opened:
        if passed and kind not in idle_visitors:
            v.reset()
            v.foreign.clear()
            v.csp.clear()
            idle_visitors[kind] = v
        else:
            v.close()
    assert foreign == [], f"requests to third-party hosts: {foreign}"
    assert violations == [], f"Content-Security-Policy violations: {violations}"


FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember a failed test (its visitors are not reused)."""
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


# --- a private temporary folder per test run -------------------------------------------------
# Every temporary file of the run (pytest's tmp_path, builds, mkdocs serve, the browser, the
# benchmark) goes to one folder, through TMPDIR, which the subprocesses inherit. At the end it must
# hold nothing but pytest's own folder; then it is removed, so a run leaves nothing in /tmp.
# PDZ_KEEP_TMP=1 keeps it (to look at a failed test's files). It is made in /dev/shm (tmpfs, in
# memory) when that has room (RUN_TMP_ROOM; the whole run holds a few hundred MB at a time): the
# suite writes and removes some hundred builds of the site, and on a disk file system (ext4, here
# mounted with online discard) that cost about a tenth of make test's time. PDZ_TEST_TMP=<folder>
# puts it there instead (PDZ_TEST_TMP=system: the system's temporary folder); the workers of
# pytest-xdist make theirs inside it, as always.
_RUN_TMP: dict[str, Path] = {}
RUN_TMP_ROOM = 2 * 2**30


def _run_tmp_parent() -> str | None:
    chosen = os.environ.get("PDZ_TEST_TMP")
    if chosen:
        return None if chosen == "system" else chosen
    try:
        room = os.statvfs("/dev/shm")
    except OSError:
        return None
    return "/dev/shm" if room.f_bavail * room.f_frsize >= RUN_TMP_ROOM and os.access("/dev/shm", os.W_OK) else None


def pytest_configure(config):
    from pdz.content import rootguard
    for where in {ROOT, Path(config.invocation_params.dir)}:
        if rootguard.message(where):
            pytest.exit(rootguard.message(where) + "\nI test non sono stati eseguiti.", returncode=2)
    controller = not hasattr(config, "workerinput")
    private = Path(tempfile.mkdtemp(prefix="pdz-test-run-", dir=_run_tmp_parent() if controller else None))
    _RUN_TMP["dir"] = private
    os.environ["TMPDIR"] = str(private)
    tempfile.tempdir = str(private)
    if controller:   # its workers inherit the environment
        os.environ[SHARED_BUILDS] = str(private / "shared-builds")
        # the theme's templates compiled once per run for every forked build (pdz_dev.forkbuild)
        os.environ[forkbuild.TEMPLATES] = str(private / "shared-builds" / "templates")


def pytest_sessionfinish(session, exitstatus):
    _send_summary_to_the_controller(session.config)
    private = _RUN_TMP.pop("dir", None)
    if private is None:
        return
    tempfile.tempdir = None
    leftovers = sorted(p.name for p in private.iterdir()
                       if not p.name.startswith("pytest-of-") and p.name != "shared-builds")
    if leftovers:
        sys.stderr.write(f"\nI test hanno lasciato file temporanei: {', '.join(leftovers)} "
                         f"(in {private}): un processo non ha fatto pulizia.\n")
        session.exitstatus = 1
    if os.environ.get("PDZ_KEEP_TMP"):
        sys.stderr.write(f"\nFile temporanei dei test conservati in {private}\n")
    else:
        shutil.rmtree(private, ignore_errors=True)


# With pytest-xdist (make test) the tests run in worker processes: each sends its figures to the
# process that prints the summary.
def _send_summary_to_the_controller(config) -> None:
    if hasattr(config, "workeroutput"):
        config.workeroutput["pdz_summary"] = dict(SUMMARY)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    SUMMARY.update(getattr(node, "workeroutput", {}).get("pdz_summary", {}))


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("pdz: verifiche sul sito costruito")
        for name, value in SUMMARY.items():
            terminalreporter.write_line(f"{name}: {value}")


# --- tiers -------------------------------------------------------------------------------------
_BUILT = {"real_site", "configured_site"}
_BROWSER = {"browser"}
_BUILDS = re.compile(r"\b(?:build|build_in_process|build_site|index_site)\(")


@functools.cache   # a fixture is shared by many tests: read its source once
def _builds(function) -> bool:
    if "/site-packages/" in inspect.getfile(function):
        return False
    try:
        return bool(_BUILDS.search(inspect.getsource(function)))
    except (OSError, TypeError):
        return False


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        # a fixture named by a parameter and fetched with request.getfixturevalue(...)
        callspec = getattr(item, "callspec", None)
        names |= {v for v in (callspec.params.values() if callspec else ()) if isinstance(v, str)} & (_BUILT | _BROWSER)
        functions = [getattr(item, "function", None)] + [
            d.func for defs in item._fixtureinfo.name2fixturedefs.values() for d in defs if d.baseid is not None]
        if names & _BROWSER:
            item.add_marker(pytest.mark.browser)
        if names & (_BUILT | _BROWSER) or any(_builds(f) for f in functions if f is not None):
            item.add_marker(pytest.mark.build)
    # the order in which pytest-xdist hands out the files (make test: --no-loadscope-reorder)
    building = {_file(item) for item in items if item.get_closest_marker("build")}
    rank = {path: LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST) + (path not in building)
            for path in map(_file, items)}
    items.sort(key=lambda item: rank[_file(item)])   # stable: a file's tests keep their order


# --- the order of the work (make test: pytest-xdist, --dist loadfile --no-loadscope-reorder) ----
# A test file is one unit of work, run whole by one worker (its module fixtures are built once).
# The units are handed out in the order of the items: the longest first (CPU of the whole process
# tree, Chromium and builds included, measured on the whole suite), then the other files that
# build, then the rest, so that the small files fill the end and the workers finish together
# (the last one decides how long make test takes). Each worker is handed two files to begin with,
# every n-th of this list (make test: a worker more than the cores; on 2 cores the 1st and 4th,
# the 2nd and 5th, the 3rd and 6th). The benchmark's smoke run comes first: its first part asks
# for the real site only at its end, which another worker builds meanwhile for the search tests.
# Without this order, pytest-xdist hands out the files with the most tests first, and the
# benchmark and the build cache's 4 tests came last, with a worker idle.
LONGEST_FIRST = ("tests/dev/test_benchmark.py", "tests/site/test_search.py", "tests/editor/test_web_editor.py",
                 "tests/dev/test_benchmark_visits.py", "tests/site/test_browser.py", "tests/site/test_theme_css.py",
                 "tests/site/test_build_cache.py", "tests/html/test_tables.py")


def _file(item) -> str:
    return item.nodeid.split("::")[0]


# pdz_dev.project.assembled() assembles the real tree once per process (about 4.5 s of CPU): with
# pytest-xdist, each worker that ran a file asking for it assembled it again (in make test, two or
# three times). The files that ask for it (found by their text) are one unit of work, run whole by
# one worker, one file after the other, in the place of the first of them in the order above.
READS_THE_ASSEMBLY = "the files that read the real tree's assembly (pdz_dev.project.assembled)"


@functools.cache
def _reads_the_assembly(path: str) -> bool:
    try:
        return "assembled()" in (ROOT / path).read_text(encoding="utf-8")
    except OSError:
        return False


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = super()._split_scope(nodeid)
            return READS_THE_ASSEMBLY if _reads_the_assembly(path) else path
    return Scheduling(config, log)
