#!/usr/bin/env python3
"""Build benchmark (issues #15 and #27): fast at any size, measured honestly.

For each N it builds a synthetic content tree (synth.py: the real Ambiti, then clones; from
N=200 on the regional shape, about 90 Ambiti over two or three triennia with every Comune of
their plans named) and measures, in child processes, interleaved (ours, ours again, fair floor,
lunr floor; then the same at the next N; then again), so that the load of other processes and a
machine whose speed drifts hit every build and every N alike:

- ours, cold: ``python -m mkdocs build --strict`` with no build cache (.cache/ removed);
- ours, warm: the same build again, nothing changed (what a second ``make site`` costs);
- the fair floor: the same pages as plain Markdown built by stock MkDocs + Material with no
  search, then the same Pagefind step a user of stock Material + Pagefind runs (plain.py);
- the lunr floor: the same with Material's own search plugin (lunr) instead of Pagefind.

Each figure is given as the median and the minimum of the runs, with the machine's load. Time
is wall clock and CPU (user + sys of the whole process tree); memory is the peak of the whole
process tree's resident memory (measure.TreeSampler: MkDocs and Pagefind together). Then: the
bytes a phone receives for a first visit of every page kind and for one search (weight.py:
raw, gzip, brotli, every file the browser and the search worker ask for), ``mkdocs serve``
without AMBITO (search on) after a real edit of a record, the single-Ambito preview, Lighthouse
and optionally a profile. Everything goes to benchmarks/results.md.

    .venv/bin/python -P -m pdz_dev.bench.build_bench                       # N = 5, 25, 100, 200
    .venv/bin/python -P -m pdz_dev.bench.build_bench --quick               # N = 5, 10: a smoke run
    .venv/bin/python -P -m pdz_dev.bench.build_bench --sizes 5,25 --repeat 1 --no-write
"""
from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pdz_dev.bench import synth
from pdz_dev.bench.measure import GNU_TIME, Run, SiteStats, human, run_build, run_command, site_stats, tree_cpu
from pdz.render.printable import PART_BUDGET

ROOT = synth.ROOT
RESULTS = ROOT / "benchmarks" / "results.md"
KB = 1000                       # "100 KB" target: 100,000 bytes
GIB = 1024 ** 3
TARGET_FAIR = 0.8               # issue #27: cold build <= 0.8x the fair floor (CPU and wall, medians)
TARGET_FAIR_N = 100
TARGET_PEAK = {100: GIB, 200: 2 * GIB}   # whole process tree
TARGET_WARM = 0.3               # a second build with no change <= 0.3x the cold one
TARGET_SERVE = {5: 2.0, 100: 5.0}        # edit -> change shown by mkdocs serve (seconds)
TARGET_TPP_GROWTH = 1.1         # time per page at N=200 <= 1.1x N=100
TARGET_LARGEST = 100 * KB
TARGET_WEIGHT_GROWTH = 1.05     # page weight flat in N
TARGET_SEARCH_GROWTH = 1.1
TARGET_HOME = 35 * KB          # issue #28: the home page's HTML at every N
REGIONAL_N = 200                # from this N on, the tree has the regional shape (synth.LOMBARDY_AMBITI)
SERVE_EDITS = 3
IDLE_FOR, IDLE_CPU = 1.0, 0.02   # serve is idle before an edit: under 0.02 s of CPU in 1 s (_wait_quiet)
ANALYSIS_START, ANALYSIS_END = "<!-- analysis:start -->", "<!-- analysis:end -->"
PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "Markdown", "pymdown-extensions", "Jinja2",
            "PyYAML", "jsonschema", "fastjsonschema", "nh3", "pagefind", "Brotli")
KINDS = ("cold", "warm", "fair", "lunr")
# --builds: which of KINDS run at each N; "cold" is the site the page weights start from. "none"
# builds no site: serve, the preview and the history work on the tree, and the page weights need
# --weights-site (the smoke tests run the parts on two workers: tests/dev/test_benchmark*.py).
BUILDS = {"all": KINDS, "cold": ("cold",), "none": ()}
KIND_LABELS = {"cold": "ours, cold", "warm": "ours, warm (no change)", "fair": "fair floor (stock, no search + Pagefind)",
               "lunr": "lunr floor (stock + Material search)"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values) if values else 0.0


@dataclass
class Runs:
    """Repeated runs of one build: medians and minima."""
    runs: list = field(default_factory=list)

    def values(self, name: str) -> list:
        return [getattr(r, name) for r in self.runs]

    def med(self, name: str) -> float:
        return median(self.values(name))

    def min(self, name: str) -> float:
        return min(self.values(name)) if self.runs else 0.0

    def max(self, name: str) -> float:
        return max(self.values(name)) if self.runs else 0.0

    def loads(self) -> str:
        values = [r.load_start for r in self.runs] + [r.load for r in self.runs]
        return f"{min(values):.1f}-{max(values):.1f}" if values else "–"


@dataclass
class Point:
    n: int
    ambiti: int
    plans: int
    records: int
    comuni: int
    generated: int          # Markdown pages handed to MkDocs (generated + hand-written)
    runs: dict              # kind -> Runs
    ours_site: SiteStats
    fair_site: SiteStats
    lunr_site: SiteStats
    families: list          # (family, count, max bytes, page) at this N
    steps: dict             # our code, timed in-process during the capture: label -> seconds
    weights: dict = None    # page kind -> weight.Weight of a first visit at phone size
    search: object = None   # weight.Weight of one search (keywords: SEARCHES[0])
    lighthouse: dict = None
    home_bytes: int = 0     # the home page's HTML (index.html)
    sentence: object = None  # weight.Weight of one search for an everyday sentence (SEARCHES[1])

    def ratio(self, floor: str, name: str) -> float:
        """Ours (cold) over a floor; NaN where the floors were not built (``--floors-up-to``)."""
        return self.runs["cold"].med(name) / self.runs[floor].med(name) if self.runs[floor].runs else float("nan")

    def warm_ratio(self, name: str) -> float:
        """Ours warm over ours cold; NaN where no warm build ran (``--builds cold``)."""
        return self.runs["warm"].med(name) / self.runs["cold"].med(name) if self.runs["warm"].runs else float("nan")

    @property
    def tpp(self) -> float:
        return self.runs["cold"].med("wall") / self.ours_site.pages

    @property
    def cpu_per_page(self) -> float:
        return self.runs["cold"].med("cpu") / self.ours_site.pages

    @property
    def search_per_page(self) -> float:
        return self.ours_site.search_bytes / self.ours_site.pages


def _floor_growth(small: Point, large: Point) -> str:
    """The same growth for the fair floor, where it was built at both N: how much of ours comes
    from the pages themselves (stock MkDocs and Pagefind building the same pages)."""
    if not (small.runs["fair"].runs and large.runs["fair"].runs):
        return ""
    per_page = [(p.runs["fair"].med("wall") / p.fair_site.pages, p.runs["fair"].med("cpu") / p.fair_site.pages)
                for p in (small, large)]
    return (f" (the fair floor, the same pages: {per_page[1][0] / per_page[0][0]:.2f}x wall, "
            f"{per_page[1][1] / per_page[0][1]:.2f}x CPU)")


def built(points: list[Point]) -> list[Point]:
    """The points whose site we built (not with ``--builds none``): the only ones with site figures."""
    return [p for p in points if p.runs["cold"].runs]


def checked(run: Run, what: str, logfile: Path) -> Run:
    if run.returncode != 0:
        raise SystemExit(f"{what} failed (exit {run.returncode}), see {logfile}:\n{run.log}")
    if "WARNING" in run.log:
        raise SystemExit(f"{what} logged warnings, see {logfile}:\n{run.log}")
    return run


class Trash:
    """Where the run puts the folders it would delete (the last build's site, the build cache
    before a cold build, a finished N's trees), deleted only when the run ends.

    This machine's file system (ext4 without a journal) does not reuse an inode freed in the
    last minute or so (``recently_deleted`` in ext4's inode allocator) and looks at every such
    inode again for each file it creates: a build started right after tens of thousands of
    files were deleted pays for it in system time, the more the more files it writes. Deleting
    the last run's site just before each build made our builds (more files than the floors':
    the pages, their articles for Pagefind, the cache) slower from run to run while the floors
    were not (issue #27: at N=25 a build from the cache took 1.2 s of system time, 3.7 to 5.8 s
    right after the last site was deleted). A rename frees nothing: no build of the run starts
    in the shadow of the run's own deletions. (The serve measurements, whose server removes its
    folder when it stops, run after every build.)"""

    folder: Path | None = None
    count = 0

    @classmethod
    def put(cls, path: Path) -> None:
        if not path.exists() and not path.is_symlink():
            return
        if cls.folder is not None:
            cls.count += 1
            try:
                cls.folder.mkdir(parents=True, exist_ok=True)
                path.rename(cls.folder / f"{cls.count}-{path.name}")
                return
            except OSError:   # another file system: deleted now
                pass
        shutil.rmtree(path, ignore_errors=True)

    @classmethod
    def empty(cls) -> None:
        if cls.folder is not None:
            shutil.rmtree(cls.folder, ignore_errors=True)


def ours(project: Path, site: Path, logfile: Path, cold: bool) -> Run:
    if cold:
        Trash.put(project / ".cache")
    Trash.put(site)
    return checked(run_build(project, site, logfile), f"our build in {project}", logfile)


def floor(plain: Path, site: Path, logfile: Path, lunr: bool) -> Run:
    """Stock MkDocs + Material over the plain pages; the fair floor adds Pagefind over the site."""
    from pdz_dev.bench import plain as plain_module
    Trash.put(site)
    env = {k: v for k, v in os.environ.items() if k != "PDZ_AMBITO"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    build = [sys.executable, "-P", "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    if lunr:
        build += ["--config-file", plain_module.LUNR_CONFIG]
        cmd = build
    else:
        script = " ".join(map(_quote, build)) + " && " + " ".join(map(_quote, plain_module.fair_search_command(site)))
        cmd = ["/bin/sh", "-c", script]
    timefile = logfile.with_suffix(".time")
    if os.access(GNU_TIME, os.X_OK):
        cmd = [GNU_TIME, "-o", str(timefile), "-f", "%M %U %S", *cmd]
    else:
        timefile = None
    return checked(run_command(cmd, plain, env, logfile, timefile), f"floor build in {plain}", logfile)


def _quote(arg: str) -> str:
    import shlex
    return shlex.quote(str(arg))


def tree_for(n: int, snapshot: Path, dest: Path, extend_partners: bool, distinct: bool):
    regional = n >= REGIONAL_N
    return synth.make_tree(snapshot, dest, n, extend_partners, distinct,
                           ambiti_count=synth.LOMBARDY_AMBITI if regional else None, name_all_comuni=regional)


@dataclass
class SizeBench:
    """One N of the bench: its tree (and the floors' plain project), the runs of its builds, then
    the figures measured on its site. ``main`` prepares every N first, then runs their rounds
    alternated (N=5, N=100, N=200, then again), so that a machine that slows down over the run
    weighs on every N alike: time per page at N=200 is compared with N=100 measured minutes
    apart, not a quarter of an hour (issue #27, point 5)."""
    n: int
    base: Path
    project: Path
    ambiti: list
    kinds: tuple
    floors: bool
    plain_project: Path | None
    generated: int
    steps: dict
    plans: int
    records: int
    comuni: int
    runs: dict = field(default_factory=lambda: {kind: Runs() for kind in KINDS})

    @classmethod
    def prepare(cls, n: int, snapshot: Path, work: Path, extend_partners: bool = False, distinct: bool = True,
                floors: bool = True, kinds: tuple = KINDS) -> "SizeBench":
        """The tree at N and, with ``floors``, the same pages as a plain project for the floors."""
        from pdz_dev.bench import plain   # imports pdz: after the snapshot exists
        base = work / f"n{n}"
        t0 = time.perf_counter()
        floors = floors and {"fair", "lunr"} <= set(kinds)
        project, ambiti = tree_for(n, snapshot, base / "project", extend_partners, distinct)
        plain_project = None
        if floors:
            plain_project, generated, steps, site = plain.make_plain_project(project, base / "plain")
            catalog = site.catalog
        else:   # no floor to build: just the content's figures
            from pdz.content.loader import load_content
            catalog, generated, steps, site = load_content(project)[0], 0, {}, None
        from pdz.render.comuni import named_comuni
        records, plans = len(catalog.by_key), len(catalog.all("piano"))
        comuni = len(named_comuni(catalog.all("ambito")))
        del site, catalog
        log(f"[N={n}] {len(ambiti)} Ambiti, {plans} plans, {records} records, {comuni} Comuni named: tree and plain "
            f"pages written in {time.perf_counter() - t0:.1f} s")
        return cls(n, base, project, ambiti, kinds, floors, plain_project, generated, steps, plans, records, comuni)

    def round(self, i: int, repeat: int) -> None:
        """One round of this N's builds, interleaved so that load from other processes hits all alike."""
        base, runs = self.base, self.runs
        if "cold" in self.kinds:
            runs["cold"].runs.append(ours(self.project, base / "site", base / f"cold.{i}.log", cold=True))
        if "warm" in self.kinds:
            runs["warm"].runs.append(ours(self.project, base / "site-warm", base / f"warm.{i}.log", cold=False))
        if self.floors:
            runs["fair"].runs.append(floor(self.plain_project, base / "fair-site", base / f"fair.{i}.log", lunr=False))
            runs["lunr"].runs.append(floor(self.plain_project, base / "lunr-site", base / f"lunr.{i}.log", lunr=True))
        for kind in [k for k in KINDS if runs[k].runs]:
            r = runs[kind].runs[-1]
            log(f"[N={self.n}] run {i + 1}/{repeat} {kind:4}: {r.wall:6.1f} s wall, {r.cpu:6.1f} s CPU, "
                f"tree peak {human(r.peak_rss)} (" + ", ".join(f"{k} {human(v)}" for k, v in sorted(r.peaks.items()))
                + f"), load {r.load_start:.1f}-{r.load:.1f}")

    def finish(self, keep: bool, lighthouse_n: int = 0, weights: bool = True, weights_site: Path | None = None,
               page_kinds: list | None = None) -> Point:
        """The figures measured on the sites built: page weights (of ``page_kinds``, or of every
        kind) on our cold build's site or on ``weights_site`` (built already from the same content)."""
        n, base = self.n, self.base
        ours_site, fair_site, lunr_site = (site_stats(base / d) for d in ("site", "fair-site", "lunr-site"))
        fams = page_families(base / "site", {a for a, _ in self.ambiti})
        visits, search, sentence = measure_weights(weights_site or base / "site", page_kinds) if weights \
            else (None, None, None)
        home_bytes = (base / "site" / "index.html").stat().st_size if "cold" in self.kinds else 0
        if visits:
            log(f"[N={n}] first visit (brotli): " + ", ".join(f"{k} {v.brotli / KB:.1f} kB" for k, v in visits.items())
                + f"; one search {search.raw / KB:.0f} kB raw, {search.brotli / KB:.0f} kB brotli; a sentence "
                + f"{sentence.raw / KB:.0f} kB raw, {sentence.brotli / KB:.0f} kB brotli")
        scores = None
        if lighthouse_n == n:
            from pdz_dev.bench import lighthouse
            log(f"[N={n}] Lighthouse (mobile)...")
            scores = lighthouse.site_scores(base / "site")
        if not keep:
            for part in ("site", "site-warm", "fair-site", "lunr-site", "plain"):
                Trash.put(base / part)
        return Point(n, len(self.ambiti), self.plans, self.records, self.comuni, self.generated, self.runs,
                     ours_site, fair_site, lunr_site, fams, self.steps, visits, search, scores, home_bytes, sentence)


def run_rounds(benches: list[SizeBench], repeats: dict) -> None:
    """Every N's builds, round by round: round i builds each N that still has runs to do."""
    for i in range(max((repeats[b.n] for b in benches), default=0)):
        for bench in benches:
            if i < repeats[bench.n]:
                bench.round(i, repeats[bench.n])


# The searches weighed: keywords, and an everyday sentence (issue #25: searched concept by
# concept, through the plans' terms, so it reads more of the index).
SEARCHES = ("assistenti familiari", "badante per mia madre anziana")


def weighed_kinds() -> list[str]:
    """The page kinds whose first visit is weighed: every kind of the browser tests but the
    embeddable card (shown inside a partner's page)."""
    from pdz_dev.browser import PAGE_KINDS
    return [kind for kind in PAGE_KINDS if kind != "scheda incorporabile"]


def measure_weights(site: Path, kinds: list | None = None) -> tuple[dict, object, object]:
    """First visit of every page kind (or of ``kinds``) and the two SEARCHES, in Chromium at
    phone size (weight.py)."""
    from pdz_dev.bench import weight
    from pdz_dev.browser import CHROMIUM, LAUNCH_ARGS, PAGE_KINDS, serve
    from playwright.sync_api import sync_playwright
    requests: list = []
    server, base = serve(site, log=requests)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            visits = {kind: weight.first_visit(browser, base, PAGE_KINDS[kind], requests, site)
                      for kind in kinds or weighed_kinds()}
            search, sentence = (weight.first_search(browser, base, query, requests, site) for query in SEARCHES)
            browser.close()
        return visits, search, sentence
    finally:
        server.shutdown()
        server.server_close()


def _free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def edited_record(project: Path) -> tuple[Path, str]:
    """The first objective of the first real Ambito that has 2021-2023 objectives: its file and
    the address of its page."""
    for real in synth.real_ambiti(project / "content"):
        found = sorted((project / "content" / "ambiti" / real / synth.SOURCE_PERIOD / "obiettivi").glob("*.md"))
        if found:
            return found[0], f"{real}/{synth.SOURCE_PERIOD}/obiettivi/{found[0].stem}/"
    raise SystemExit("no 2021-2023 objective to edit in the tree")


def measure_serve(project: Path, work: Path, edits: int = SERVE_EDITS, timeout: float = 900) -> dict:
    """``mkdocs serve`` as ``make serve`` runs it without AMBITO (search on): how long from the
    save of an edited record (its title) until the served page shows the new title; and until
    the search index has been written again (Pagefind runs after the page is shown)."""
    work.mkdir(parents=True, exist_ok=True)
    logfile = work / "serve.log"
    env = {k: v for k, v in os.environ.items() if k not in ("PDZ_AMBITO", "PDZ_SEARCH")}
    env.update(NO_MKDOCS_2_WARNING="1", PDZ_AMBITO="")
    (work / "tmp").mkdir(exist_ok=True)
    env["TMPDIR"] = str(work / "tmp")   # serve's own site folder, removed with the work folder
    port = _free_port()
    cmd = [sys.executable, "-P", "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    path, url = edited_record(project)
    out = {"started": False, "initial": None, "shown": [], "indexed": [], "ended": "", "page": url}
    with open(logfile, "wb") as log_handle:
        child = subprocess.Popen(cmd, cwd=project, env=env, stdout=log_handle, stderr=subprocess.STDOUT)
    original = path.read_bytes()
    try:
        start = time.monotonic()
        while "Serving on" not in logfile.read_text(encoding="utf-8", errors="replace"):
            if child.poll() is not None or time.monotonic() - start > timeout:
                tail = logfile.read_text(encoding="utf-8", errors="replace").strip().splitlines()
                out["ended"] = tail[-1] if tail else f"exit {child.poll()}"
                return out
            time.sleep(0.2)
        out["started"], out["initial"] = True, time.monotonic() - start
        page = f"http://127.0.0.1:{port}/{url}"
        entry = f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json"
        for i in range(edits):
            _wait_quiet(child, logfile, page, entry)
            before = _fetch(entry)
            marker = f"Modifica di prova {i + 1}"
            text = original.decode("utf-8")
            edited = re.sub(r"^(titolo:\s*)(.*)$", lambda m, marker=marker: f"{m.group(1)}{marker} {m.group(2)}", text,
                            count=1, flags=re.MULTILINE)
            t = time.monotonic()
            path.write_text(edited, encoding="utf-8")
            shown = _poll(lambda marker=marker: marker in _fetch(page), t, timeout)
            out["shown"].append(shown)
            indexed = _poll(lambda before=before: _fetch(entry) not in ("", before), t, timeout) \
                if shown is not None else None
            out["indexed"].append(indexed)
            log(f"[serve] edit {i + 1}: page shows it after "
                + (f"{shown:.2f} s" if shown is not None else "never") + ", search index written again after "
                + (f"{indexed:.2f} s" if indexed is not None else "never"))
        return out
    finally:
        path.write_bytes(original)
        stop_serve(child)


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _poll(condition, start: float, timeout: float, step: float = 0.05) -> float | None:
    while time.monotonic() - start < timeout:
        if condition():
            return time.monotonic() - start
        time.sleep(step)
    return None


def _wait_quiet(child, logfile: Path, page: str, entry: str, timeout: float = 600) -> None:
    """Until serve is idle: the page is served, no rebuild or indexing is pending, and the work
    serve does after a build (files written later, the cache saved, the search index) is over:
    its process tree used the CPU of less than IDLE_CPU of a second for IDLE_FOR seconds
    (an editor's edits are seconds apart; an edit made while that work runs shares the cores
    with it)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout and child.poll() is None:
        text = logfile.read_text(encoding="utf-8", errors="replace")
        # by position, not by count: a build that a change supersedes writes no search index
        pending = text.rfind("Detected file changes") > text.rfind("Reloading browsers") or \
            text.rfind("Pagine generate") > text.rfind("Indice di ricerca")
        if not pending and _fetch(page) and _fetch(entry):
            break
        time.sleep(0.2)
    used, since = tree_cpu(child.pid), time.monotonic()
    while time.monotonic() - start < timeout and child.poll() is None:
        time.sleep(0.1)
        now = tree_cpu(child.pid)
        if now - used > IDLE_CPU:   # still at work: the quiet second starts again
            used, since = now, time.monotonic()
        elif time.monotonic() - since >= IDLE_FOR:
            return


def family(page: str, ambiti: set[str]) -> str:
    parts = page.split("/")
    if parts[0] in ambiti and len(parts) > 2 and re.fullmatch(r"[0-9]{4}-[0-9]{4}", parts[1]):
        # a plan: <ambito>/<periodo>/ is its page, <ambito>/<periodo>/obiettivi/* its objectives...
        return "<ambito>/<periodo>/" + (parts[2] + "/*" if len(parts) > 3 and parts[2] != "index.html" else "")
    if parts[0] in ambiti:
        return "<ambito>/" + (parts[1] + "/*" if len(parts) > 2 and parts[1] != "index.html" else "")
    if len(parts) == 1:
        return page
    return parts[0] + "/" + ("*" if len(parts) > 2 else "")


def page_families(site: Path, ambiti: set[str]) -> list:
    """(family, pages, largest bytes, largest page), largest first."""
    fams: dict[str, list] = {}
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        size = path.stat().st_size
        entry = fams.setdefault(family(rel, ambiti), [0, 0, ""])
        entry[0] += 1
        if size > entry[1]:
            entry[1], entry[2] = size, rel
    return sorted(((k, c, m, p) for k, (c, m, p) in fams.items()), key=lambda r: -r[2])



def _in_build_seconds(text: str) -> float | None:
    match = re.search(r"Documentation built in ([0-9.]+) seconds", text)
    return float(match.group(1)) if match else None


def measure_preview(project: Path, ambito: str, work: Path, label: str, env_extra: dict | None = None) -> dict:
    """Single-Ambito build (PDZ_AMBITO, plus the environment ``make serve AMBITO=`` adds) of a tree."""
    work.mkdir(parents=True, exist_ok=True)
    site = work / "site"
    Trash.put(project / ".cache")   # a cold preview
    run = run_build(project, site, work / "preview.log", {"PDZ_AMBITO": ambito, **(env_extra or {})})
    out = {"label": label, "ambito": ambito, "run": run, "ok": run.returncode == 0,
           "in_build": _in_build_seconds(run.log)}
    if not out["ok"]:
        errors = [l for l in run.log.splitlines() if re.match(r"^content/\S+:\d+: ", l)]
        full = (work / "preview.log").read_text(encoding="utf-8", errors="replace")
        count = re.findall(r"^content/\S+:\d*:? ", full, flags=re.MULTILINE)
        out["error_count"] = len(count)
        out["first_error"] = errors[0] if errors else run.log.strip().splitlines()[-1:]
        return out
    stats = site_stats(site)
    all_ambiti = {p.name for p in (project / "content" / "ambiti").iterdir()}
    out["site"] = stats
    out["other_ambito_pages"] = sum(1 for p in site.rglob("*.html")
                                    if p.relative_to(site).parts[0] in all_ambiti - {ambito})
    Trash.put(site)
    return out



def makefile_serve(ambito: str) -> tuple[dict, list[str]]:
    """What ``make serve AMBITO=<ambito>`` runs, read from the Makefile's serve recipe: the extra
    environment (besides PDZ_AMBITO) and the ``mkdocs serve`` options (without the address)."""
    try:
        text = (ROOT / "Makefile").read_text(encoding="utf-8")
    except OSError:
        return {}, []
    match = re.search(r"^serve:.*\n((?:\t.*\n?)+)", text, flags=re.MULTILINE)
    line = next((l for l in (match.group(1).splitlines() if match else []) if "mkdocs serve" in l), "")
    line = re.sub(r"\$\(if \$\(AMBITO\),([^,)]*),([^)]*)\)", r"\1", line)   # AMBITO is set
    line = line.replace("$(AMBITO)", ambito)
    before, _, after = line.partition("mkdocs serve")
    env = dict(tok.split("=", 1) for tok in before.split() if "=" in tok and not tok.startswith("$"))
    env.pop("PDZ_AMBITO", None)
    args = re.sub(r"(--dev-addr|-a)[ =]\S+", "", after).split()
    return env, [a for a in args if not a.startswith("$")]



def stop_serve(child: subprocess.Popen) -> None:
    """Stop ``mkdocs serve`` as Ctrl-C does (SIGINT), so that it removes its temporary site
    folder: SIGTERM ends Python without that cleanup. Killed only if it does not stop."""
    if child.poll() is not None:
        return
    child.send_signal(signal.SIGINT)
    try:
        child.wait(timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()



def preview_breakdown(project: Path, ambito: str, env_extra: dict | None = None) -> dict:
    """In-process, through MkDocs' own config and plugin events (as the plain floor capture):
    how many files a partial load scans and reads, and how long our steps take (CPU time)."""
    from pdz_dev.bench import plain
    from mkdocs.exceptions import Abort
    Trash.put(project / ".cache")   # what an assembly costs, not a cached one
    t0 = time.process_time()
    files = sum(1 for p in (project / "content").rglob("*") if p.is_file())
    t_scan = time.process_time() - t0
    pages, aborted = 0, False
    with plain.Timers() as timers:
        try:
            config, _files, captured = plain.capture(project, {"PDZ_AMBITO": ambito, **(env_extra or {})}, timers)
            pages = len(captured)
        except Abort:
            aborted = True
            config = None
    state = config.plugins["pdz"].site if config is not None else None
    steps = timers.seconds
    return {"files": files, "t_scan": t_scan, "records": len(state.catalog.by_key) if state else 0,
            "t_load": steps.get("load_content (read, YAML, schema, integrity)", 0.0),
            "generated": pages, "t_render": steps.get("build_pages (all generated pages)", 0.0),
            "t_config": steps.get("on_config (all plugins and our hook)", 0.0),
            "errors": len(state.errors) if state else 1, "aborted": aborted}



def code_state() -> tuple[str, bool]:
    """(short commit, uncommitted changes?) of the repository, read when the code is copied."""
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = bool(_git("status", "--porcelain", "--", "macros", "mkdocs.yml", "docs", "schemas", "overrides"))
    return commit, dirty


def machine(code: tuple[str, bool]) -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 ** 2:.1f} GiB"
    except (OSError, AttributeError):
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            pass
    commit, dirty = code
    return [
        f"- CPU: {cpu}, {nproc} cores available (nproc)",
        f"- Memory: {mem}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()} ({sys.executable})",
        f"- Packages: {', '.join(versions)}",
        f"- Code: commit {commit or '?'}" + (" plus uncommitted changes (others are editing)" if dirty else "")
        + " when the run started"
        + "; `macros/`, `docs/`, `schemas/`, `overrides/` and `mkdocs.yml` were copied once at the start of "
          "the run and every tree links to that copy, so all builds of the run use the same code",
    ]


def _git(*args) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""



def is_printable(page_family: str) -> bool:
    """The printable plans: a contents page and the printable parts of each plan (standalone pages)."""
    return page_family == "<ambito>/<periodo>/stampa/*"


def _largest_outside(point: "Point", skip) -> tuple[int, str]:
    rows = [(m, pg) for f, _c, m, pg in point.families if not skip(f)]
    return max(rows) if rows else (0, "")



def preview_lines(previews: list) -> list[str]:
    # a cold build (new interpreter, imports): the 3 s target is about serve rebuilds, measured below
    out = ["| tree | code | PDZ_AMBITO | result | cold build time | of which MkDocs build() | peak RSS | HTML pages | "
           "pages of other Ambiti |", "|---:|---|---|---|---:|---:|---:|---:|---:|"]
    for n, pv in previews:
        run = pv["run"]
        inner = f"{pv['in_build']:.1f} s" if pv.get("in_build") else "–"
        if pv["ok"]:
            out.append(f"| N={n} | {pv['label']} | {pv['ambito']} | built | {run.wall:.1f} s | {inner} | "
                       f"{human(run.peak_rss)} | {pv['site'].pages} | {pv['other_ambito_pages']} |")
        else:
            out.append(f"| N={n} | {pv['label']} | {pv['ambito']} | **aborted: {pv['error_count']} content errors** "
                       f"| {run.wall:.1f} s | – | {human(run.peak_rss)} | 0 | – |")
    return out


def breakdown_lines(breakdowns: list) -> list[str]:
    out = ["| tree | content files in the tree | listing them (benchmark, rglob) | records loaded | load_content | errors | "
           "Markdown pages handed to MkDocs | build_pages | whole on_config |", "|---:|" + "---:|" * 8]
    for n, b in breakdowns:
        pages = "aborted" if b["aborted"] else b["generated"]
        out.append(f"| N={n} | {b['files']} | {b['t_scan']:.2f} s | {b['records']} | {b['t_load']:.2f} s | "
                   f"{b['errors']} | {pages} | {b['t_render']:.2f} s | {b['t_config']:.2f} s |")
    return out




# --- reporting -----------------------------------------------------------------------------
def _fig(runs: Runs, name: str, fmt) -> str:
    return f"{fmt(runs.med(name))} ({fmt(runs.min(name))})"


def _s(x):
    return f"{x:.1f} s"


def builds_table(points: list[Point]) -> list[str]:
    rows = ["| N | Ambiti / plans | HTML pages | build | wall: median (min) | CPU: median (min) | "
            "whole-tree peak memory: median (max) | ms/page (wall, CPU) | machine load |",
            "|---:|---:|---:|---|---:|---:|---:|---:|---:|"]
    for p in points:
        for kind in [k for k in KINDS if p.runs[k].runs]:
            runs = p.runs[kind]
            pages = (p.ours_site if kind in ("cold", "warm") else p.fair_site if kind == "fair" else p.lunr_site).pages
            rows.append(f"| {p.n} | {p.ambiti} / {p.plans} | {pages} | {KIND_LABELS[kind]} | {_fig(runs, 'wall', _s)} | "
                        f"{_fig(runs, 'cpu', _s)} | {human(runs.med('peak_rss'))} ({human(runs.max('peak_rss'))}) | "
                        f"{1000 * runs.med('wall') / pages:.1f}, {1000 * runs.med('cpu') / pages:.1f} | {runs.loads()} |")
    return rows


def ratios_table(points: list[Point]) -> list[str]:
    rows = ["| N | cold / fair floor (wall) | cold / fair floor (CPU) | cold / lunr floor (wall) | "
            "cold / lunr floor (CPU) | warm / cold (wall) | warm / cold (CPU) | runs |", "|---:|" + "---:|" * 7]
    for p in built(points):
        cold = p.runs["cold"]
        rows.append(f"| {p.n} | {_x(p.ratio('fair', 'wall'))} | {_x(p.ratio('fair', 'cpu'))} | {_x(p.ratio('lunr', 'wall'))} | "
                    f"{_x(p.ratio('lunr', 'cpu'))} | {_x(p.warm_ratio('wall'))} | "
                    f"{_x(p.warm_ratio('cpu'))} | {len(cold.runs)} |")
    return rows


def _x(ratio: float) -> str:
    return "–" if ratio != ratio else f"{ratio:.2f}"   # NaN: no floor at this N


def runs_lines(points: list[Point]) -> list[str]:
    """Every run, in the order it was made."""
    rows = ["| N | run | build | wall | CPU | whole-tree peak | largest process | processes (peak each) | load at start / end |",
            "|---:|---:|---|---:|---:|---:|---:|---|---:|"]
    rounds = max((len(p.runs[k].runs) for p in points for k in KINDS), default=0)
    for i in range(rounds):   # round by round, every N in each (run_rounds)
        for p in points:
            for kind in [k for k in KINDS if len(p.runs[k].runs) > i]:
                r = p.runs[kind].runs[i]
                rows.append(f"| {p.n} | {i + 1} | {kind} | {r.wall:.1f} s | {r.cpu:.1f} s | {human(r.peak_rss)} | "
                            f"{human(r.peak_process)} | " + ", ".join(f"{k} {human(v)}" for k, v in sorted(r.peaks.items()))
                            + f" | {r.load_start:.1f} / {r.load:.1f} |")
    return rows


def sites_table(points: list[Point]) -> list[str]:
    rows = ["| N | records | Comuni named | pages (ours / floors) | site size (ours / fair / lunr) | largest page | "
            "largest printable part | search index (ours / fair / lunr) | search B/page |", "|---:|" + "---:|" * 8]
    for p in built(points):
        rows.append(f"| {p.n} | {p.records} | {p.comuni} | {p.ours_site.pages} / {p.fair_site.pages} | "
                    f"{human(p.ours_site.total_bytes)} / {human(p.fair_site.total_bytes)} / {human(p.lunr_site.total_bytes)} | "
                    + "{:,} B `{}`".format(*_largest_outside(p, lambda f: False)) + " | "
                    + "{:,} B `{}`".format(*_largest_outside(p, lambda f: not is_printable(f))) + " | "
                    f"{human(p.ours_site.search_bytes)} / {human(p.fair_site.search_bytes)} / {human(p.lunr_site.search_bytes)} | "
                    f"{p.search_per_page:,.0f} |")
    return rows


def steps_table(points: list[Point]) -> list[str]:
    labels = []
    for p in points:
        labels += [k for k in p.steps if k not in labels]
    rows = ["| step (in-process, no profiler) | " + " | ".join(f"N={p.n}" for p in points) + " |",
            "|---|" + "---:|" * len(points)]
    for label in labels:
        cells = [f"{p.steps[label]:.2f} s" if label in p.steps else "–" for p in points]
        rows.append(f"| {label.replace('  ', '&nbsp;&nbsp;&nbsp;&nbsp;')} | " + " | ".join(cells) + " |")
    return rows


def weight_lines(points: list[Point]) -> list[str]:
    scored = [p for p in points if p.weights]
    if not scored:
        return []
    kinds = list(scored[0].weights)
    lines = ["## Bytes as a phone receives them", "",
             "Every file of a first visit at phone size (360x740) with nothing cached, until the network is idle, "
             f"and of one search typed after it (`{SEARCHES[0]}`, and an everyday sentence, `{SEARCHES[1]}`: the "
             "engine and its WebAssembly, the index chunks, the fragments of the first results, the vocabulary), as the web server logged them; each "
             "file raw, gzip (level 6) and brotli (quality 11). WOFF2 fonts and Pagefind's index files are compressed "
             "already and counted as they are. Headers are not counted. kB = 1000 bytes.", "",
             "| page kind | " + " | ".join(f"N={p.n} raw / gzip / **brotli**" for p in scored) + " |",
             "|---|" + "---:|" * len(scored)]
    for kind in kinds:
        lines.append(f"| {kind} | " + " | ".join(
            f"{p.weights[kind].raw / KB:.0f} / {p.weights[kind].gzip / KB:.0f} / **{p.weights[kind].brotli / KB:.1f}**"
            for p in scored) + " |")
    for label, attr in ((f"one search (`{SEARCHES[0]}`)", "search"), (f"one search (`{SEARCHES[1]}`)", "sentence")):
        lines.append(f"| **{label}** | " + " | ".join(
            f"{w.raw / KB:.0f} / {w.gzip / KB:.0f} / **{w.brotli / KB:.1f}**" if (w := getattr(p, attr)) else "–"
            for p in scored) + " |")
    big = scored[-1]
    worst = max(big.weights, key=lambda k: big.weights[k].brotli)
    lines += ["", f"Files of the heaviest first visit at N={big.n} ({worst}) and of one search (bytes: raw, gzip, brotli):", "",
              "| file | raw | gzip | brotli |", "|---|---:|---:|---:|"]
    for path, raw, gz, br in (big.weights[worst].files + [("— one search —", 0, 0, 0)] + big.search.files
                              + ([("— a sentence —", 0, 0, 0)] + big.sentence.files if big.sentence else [])):
        lines.append(f"| `{path}` | {raw:,} | {gz:,} | {br:,} |" if raw else f"| {path} | | | |")
    lines.append("")
    lh = [p for p in points if p.lighthouse]
    if lh:
        from pdz_dev.bench import lighthouse
        lines += ["## Lighthouse (mobile)", "",
                  f"npm `lighthouse` {lighthouse.version()} with Debian's chromium, default mobile settings "
                  "(simulated slow 4G, 4x CPU slowdown), the site served gzip-compressed on 127.0.0.1. Scores "
                  "depend on the machine's load (performance above all: its CPU is shared).", "",
                  "| N | page | performance | accessibility | best practices | audits below 0.9 |",
                  "|---:|---|---:|---:|---:|---|"]
        for p in lh:
            for name, r in p.lighthouse.items():
                lines.append(f"| {p.n} | {name} (`/{lighthouse.PAGES[name]}`) | {r['performance']:.2f} | "
                             f"{r['accessibility']:.2f} | {r['best-practices']:.2f} | {', '.join(r['failed']) or '–'} |")
        lines.append("")
    return lines


def serve_lines(serves: list) -> list[str]:
    out = ["| N | started (first build) | edit → page shows it: each edit | median (min) | edit → search index written "
           "again | target | verdict |", "|---:|---:|---|---:|---|---:|---|"]
    for n, sv in serves:
        target = TARGET_SERVE.get(n)
        if not sv["started"]:
            out.append(f"| {n} | **no**: {sv['ended']} | – | – | – | {target or '–'} | FAIL |")
            continue
        shown = [x for x in sv["shown"] if x is not None]
        each = ", ".join(f"{x:.2f} s" if x is not None else "never" for x in sv["shown"])
        index = ", ".join(f"{x:.1f} s" if x is not None else "never" for x in sv["indexed"])
        ok = bool(shown) and len(shown) == len(sv["shown"]) and (target is None or median(shown) <= target)
        out.append(f"| {n} | {sv['initial']:.1f} s | {each} | {median(shown):.2f} s ({min(shown):.2f} s) | {index} | "
                   f"{f'{target:.0f} s' if target else '–'} | {('PASS' if ok else 'FAIL') if target else ''} |")
    return out


def _verdict(ok, text: str) -> str:
    return f"{'    ' if ok is None else 'PASS' if ok else 'FAIL'}  {text}"


def _at(points: list[Point], n: int) -> Point | None:
    return next((p for p in points if p.n == n), None)


def targets(points: list[Point], serves: list) -> list[tuple[bool, str]]:
    out = []
    scored = [p for p in points if p.weights]   # the page weights: of a given site too (--weights-site)
    points = built(points)                      # every other figure: of a site we built
    floored = [p for p in points if p.runs["fair"].runs]
    fair_point = _at(floored, TARGET_FAIR_N) or max((p for p in floored if p.n <= TARGET_FAIR_N), key=lambda p: p.n, default=None)
    if fair_point:
        p = fair_point
        for name, label in (("cpu", "CPU"), ("wall", "wall")):
            ratio = p.ratio("fair", name)
            out.append((ratio <= TARGET_FAIR, f"cold build at N={p.n} <= {TARGET_FAIR}x the fair floor in {label} time "
                                             f"(medians of {len(p.runs['cold'].runs)} interleaved runs): "
                                             f"{p.runs['cold'].med(name):.1f} s vs {p.runs['fair'].med(name):.1f} s = {ratio:.2f}x "
                                             f"(vs the lunr floor {p.ratio('lunr', name):.2f}x; load {p.runs['cold'].loads()})"))
    for n, limit in TARGET_PEAK.items():
        p = _at(points, n)
        if p:
            peak = p.runs["cold"].max("peak_rss")
            out.append((peak <= limit, f"whole process tree, peak resident memory at N={n} <= {human(limit)}: {human(peak)} "
                                       f"(largest of {len(p.runs['cold'].runs)} cold runs; per process: "
                                       + ", ".join(f"{k} {human(v)}" for k, v in sorted(p.runs['cold'].runs[-1].peaks.items())) + ")"))
    rebuilt = [p for p in points if p.runs["warm"].runs]
    if rebuilt:
        warm = _at(rebuilt, TARGET_FAIR_N) or rebuilt[-1]
        ratio = warm.runs["warm"].med("wall") / warm.runs["cold"].med("wall")
        cpu = warm.runs["warm"].med("cpu") / warm.runs["cold"].med("cpu")
        out.append((ratio <= TARGET_WARM and cpu <= TARGET_WARM,
                    f"a second build with no change at N={warm.n} <= {TARGET_WARM}x the cold one: "
                    f"{warm.runs['warm'].med('wall'):.1f} s vs {warm.runs['cold'].med('wall'):.1f} s = {ratio:.2f}x wall, "
                    f"{cpu:.2f}x CPU; at every N: " + ", ".join(
                        f"N={p.n} {p.runs['warm'].med('wall') / p.runs['cold'].med('wall'):.2f}x" for p in rebuilt)))
    for n, sv in serves:
        target = TARGET_SERVE.get(n)
        if target is None:
            continue
        shown = [x for x in sv.get("shown", []) if x is not None]
        ok = sv["started"] and shown and len(shown) == len(sv["shown"]) and median(shown) <= target
        out.append((bool(ok), f"mkdocs serve without AMBITO, search on, at N={n}: an edited record shows on its page in "
                              f"<= {target:.0f} s: " + (", ".join(f"{x:.2f} s" for x in shown) or "never")
                              + (f" (median {median(shown):.2f} s); search index written again after "
                                 + ", ".join(f"{x:.1f} s" for x in sv['indexed'] if x is not None) if shown else "")))
    from pdz_dev.bench.weight import FIRST_VISIT_BUDGET, SEARCH_BUDGET
    if scored:
        worst = [(p.n, *max(((k, w.brotli) for k, w in p.weights.items()), key=lambda kv: kv[1])) for p in scored]
        out.append((all(b <= FIRST_VISIT_BUDGET for _n, _k, b in worst),
                    f"first visit at phone size, every page kind <= {FIRST_VISIT_BUDGET / KB:.0f} kB with brotli at every N "
                    "(heaviest): " + ", ".join(f"N={n}: {b / KB:.1f} kB ({k})" for n, k, b in worst)))
        searches = [(p.n, w) for p in scored for w in (p.search, p.sentence) if w]
        out.append((all(w.raw <= SEARCH_BUDGET for _n, w in searches),
                    f"one search, every file counted (engine, WebAssembly, index, fragments), keywords and a sentence, "
                    f"<= {SEARCH_BUDGET / KB:.0f} kB even uncompressed: "
                    + ", ".join(f"N={p.n}: {p.search.raw / KB:.0f} kB raw, {p.search.brotli / KB:.0f} kB brotli"
                                + (f" (a sentence {p.sentence.raw / KB:.0f}, {p.sentence.brotli / KB:.0f})" if p.sentence else "")
                                for p in scored)))
        first, last = scored[0], scored[-1]
        growth = max(last.weights[k].brotli / first.weights[k].brotli for k in first.weights)
        out.append((growth <= TARGET_WEIGHT_GROWTH, f"page weight flat in N: largest growth of a page kind from N={first.n} "
                                                    f"to N={last.n} {growth:.3f}x (<= {TARGET_WEIGHT_GROWTH}x, brotli)"))
    regional, national = _at(points, REGIONAL_N), _at(points, 100)
    if regional and national:
        growth, cpu_growth = regional.tpp / national.tpp, regional.cpu_per_page / national.cpu_per_page
        out.append((growth <= TARGET_TPP_GROWTH and cpu_growth <= TARGET_TPP_GROWTH,
                    f"time per page at N={regional.n} <= {TARGET_TPP_GROWTH}x N=100: {1000 * regional.tpp:.1f} vs "
                    f"{1000 * national.tpp:.1f} ms wall = {growth:.2f}x; {1000 * regional.cpu_per_page:.1f} vs "
                    f"{1000 * national.cpu_per_page:.1f} ms CPU = {cpu_growth:.2f}x" + _floor_growth(national, regional)))
    pages = [(p.n, *_largest_outside(p, lambda f: False)) for p in points]
    over = [f"N={n}" for n, size, _pg in pages if size >= TARGET_LARGEST]
    if pages:
        out.append((not over, f"no page over {TARGET_LARGEST:,} B at any N (the Comune finder and the printable plans' "
                              "parts included): " + ", ".join(f"N={n}: {size:,} B `{pg}`" for n, size, pg in pages)))
    homes = [(p.n, p.home_bytes) for p in points if p.home_bytes]
    if homes:
        out.append((all(size < TARGET_HOME for _n, size in homes),
                    f"home page HTML < {TARGET_HOME:,} B at every N (issue #28): "
                    + ", ".join(f"N={n}: {size:,} B" for n, size in homes)))
    printable = [(p.n, *_largest_outside(p, lambda f: not is_printable(f))) for p in points]
    if printable and all(size for _n, size, _pg in printable):
        out.append((all(size < TARGET_LARGEST for _n, size, _pg in printable),
                    f"printable plans in parts under {TARGET_LARGEST:,} B (a contents page and parts of at most about "
                    f"{PART_BUDGET:,} B each): largest part " + ", ".join(f"N={n}: {size:,} B `{pg}`" for n, size, pg in printable)))
    ref, big = _at(points, 25), points[-1] if points else None
    if ref and big is not ref:
        growth = big.search_per_page / ref.search_per_page
        out.append((growth <= TARGET_SEARCH_GROWTH, f"search index bytes per page at N={big.n} <= {TARGET_SEARCH_GROWTH}x "
                                                    f"N={ref.n}: {big.search_per_page:,.0f} vs {ref.search_per_page:,.0f} = {growth:.2f}x"))
    lh = [p for p in points if p.lighthouse]
    if lh:
        from pdz_dev.bench import lighthouse
        p = lh[-1]
        out.append((all(lighthouse.meets(r) for r in p.lighthouse.values()),
                    f"Lighthouse mobile at N={p.n}, performance >= 0.95, accessibility 1.0, best practices >= 0.95: "
                    + "; ".join(f"{k} " + "/".join(f"{r[c]:.2f}" for c in lighthouse.CATEGORIES) for k, r in p.lighthouse.items())))
    return out


def history_lines(history: dict) -> list[str]:
    """The cost of every record's history (issue #26), measured by pdz_dev.bench.history_bench."""
    from pdz_dev.bench import history_bench
    return ["A tree of N Ambiti committed, then given a scripted main line (commits that each change objectives, "
            "with a `Motivo:` line; one removal, one rename). In a fresh process: loading and validating the "
            "content, then what the build adds for the history: reading it (`read_history`: one `git log` pass, one "
            "for the messages, one `git cat-file --batch` for the versions compared) and writing the feeds, "
            "`novita/` and `modifiche.csv` from it.", "", *history_bench.TABLE_HEAD, history_bench.line(history)]


def write_results(path: Path, args, points, target_rows, previews, breakdowns, serves, profile_text, notes,
                  snapshot_info, total_time, code, history: dict | None = None) -> None:
    analysis = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if ANALYSIS_START in old and ANALYSIS_END in old:
            analysis = old[old.index(ANALYSIS_START):old.index(ANALYSIS_END) + len(ANALYSIS_END)]
    if not analysis:
        analysis = f"{ANALYSIS_START}\n_(No analysis written yet.)_\n{ANALYSIS_END}"
    big = points[-1]
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        "# Build benchmark: fast at any size, measured honestly", "",
        f"Generated by `python -P -m pdz_dev.bench.build_bench {' '.join(sys.argv[1:])}`".rstrip() + f" on {now} "
        f"(whole run {total_time / 60:.1f} min). Interleaved runs per N ("
        + ", ".join(f"N={n}: {count}" for n, count in sorted(args.repeats.items())) + "; ours cold, ours warm, fair "
        "floor, lunr floor; then the same at the next N; then again, every N alike); every figure is the median of the runs, with the minimum (wall, CPU) or the "
        "maximum (memory) in brackets, and the 1-minute load average of the machine at the start and end of the runs "
        "(2 cores: above about 2, other processes compete and wall times grow; CPU times much less).", "",
        "## Machine", "", *machine(code), "",
        "## Content measured", "",
        f"Snapshot of `content/` taken at the start of the run: {snapshot_info}. N counts units of content: an Ambito "
        "with its full plan (2021-2023, and the 2018-2020 plan whose objectives it evaluates). Up to N=100, N Ambiti: the "
        "real ones, then clones `<ambito>-<k>` cycling over them (every file copied, references to the Ambito's own "
        "records renamed, every free text of a clone marked `(copia k)`, so that 100 Ambiti are 100 different plans for "
        f"the code). From N={REGIONAL_N}, the regional shape: {synth.LOMBARDY_AMBITI} Ambiti, the other units being later "
        f"triennia of theirs ({', '.join(synth.LATER_PERIODS)}), each holding one unit's records: a copy of the "
        "Ambito's 2021-2023 plan and, as its own objectives, a copy of the 2018-2020 objectives, its texts marked "
        "again), and every Ambito names as many Comuni as its plan states (the real plans name 24 of their 102; the "
        "others get made-up names), so that the Comune finder holds a region's Comuni. Every tree is a git checkout "
        "with its content committed, like the real repository. Shared records (fonti, aree, partner, glossario) are "
        "not cloned.", ""]
    if notes:
        lines += ["Repairs applied to the snapshot so that a strict build succeeds:", ""] + [f"- {n}" for n in notes] + [""]
    lines += ["## Targets", "", "```", *(_verdict(ok, text) for ok, text in target_rows), "```", "",
              "## Builds", "",
              "Every build is a child process, measured as a whole process tree: wall clock; CPU = user + sys of the "
              "child and of every process it waited for (MkDocs, git, Pagefind); memory = the largest sum of the "
              "resident memory of the whole tree, sampled every 0.1 s from /proc (measure.TreeSampler). "
              "**ours, cold**: `python -m mkdocs build --strict` with no build cache (`.cache/` removed). **ours, warm**: "
              "the same again, nothing changed (a second `make site`). **fair floor**: the same pages as plain Markdown "
              "(plain.py: captured from our build), built by stock MkDocs + Material with the same theme, overrides, "
              "features and Markdown extensions and no search plugin, then `python -m pagefind --site` over the built "
              "site with our options: the search step a user of stock Material + Pagefind runs. **lunr floor**: the same "
              "plain pages with Material's own search plugin (lunr, Italian) instead.", "",
              *builds_table(points), "", *ratios_table(points), "",
              "Every run, in the order it was made:", "", *runs_lines(points), "",
              "## Sites", "", *sites_table(points), "",
              "## Where our code's time goes", "",
              "Our code timed in-process (CPU time, no profiler) while the plain pages were captured: the capture runs "
              "the same `on_config`/`on_files` as a cold build. Indented rows are part of the row above.", "",
              *steps_table(points), ""]
    lines += weight_lines(points)
    lines += ["## Largest pages", "", "Largest HTML page of each page family (bytes) at every N.", "",
              "| page family | pages at N=" + str(big.n) + " | " + " | ".join(f"N={p.n}" for p in points)
              + f" | largest at N={big.n} |", "|---|---:|" + "---:|" * len(points) + "---|"]
    for fam, count, _size, page in big.families:
        sizes = [next((m for f, _c, m, _p in p.families if f == fam), 0) for p in points]
        lines.append(f"| `{fam}` | {count} | " + " | ".join(f"{x:,}" for x in sizes) + f" | `{page}` |")
    lines.append("")
    if serves:
        lines += ["## Editing with `make serve` (no AMBITO, search on)", "",
                  "`mkdocs serve` as `make serve` runs it without AMBITO, on the tree of each N, its build cache filled "
                  f"by the builds above. {args.serve_edits} times, the title of a 2021-2023 objective of a real Ambito is "
                  "changed and saved; the time is from the save until the page served by `mkdocs serve` shows the new "
                  "title (it includes the file watcher and MkDocs' own wait). The search index is written again by "
                  "Pagefind after the page is shown, in the background; its time is measured until "
                  "`pagefind/pagefind-entry.json` changes. Before each edit serve is idle: the last edit's page and "
                  "search index are served and its work after the build is over (the process tree of `mkdocs serve` "
                  f"used under {IDLE_CPU} s of CPU in {IDLE_FOR:.0f} s), as when an editor's saves are seconds apart.",
                  "", *serve_lines(serves), ""]
    if previews:
        lines += ["## Single-Ambito preview (`make serve AMBITO=`)", "",
                  "A single-Ambito build (`PDZ_AMBITO=<id> mkdocs build --strict`, with `PDZ_SEARCH=false` as `make serve "
                  "AMBITO=<id>` sets) of a tree that holds all N Ambiti.", "", *preview_lines(previews), "",
                  *breakdown_lines(breakdowns), ""]
    if history:
        lines += ["## Every record's history (issue #26)", "", *history_lines(history), ""]
    if profile_text:
        lines += [f"## Profile (N={args.profile}, cProfile)", "", profile_text, ""]
    lines += ["## Analysis", "", analysis, "",
              "## How to run", "", "```sh",
              "make bench                                                  # N = 5, 25, 100, 200 (an hour or more)",
              ".venv/bin/python -P -m pdz_dev.bench.build_bench --quick    # N = 5, 10: a smoke run",
              ".venv/bin/python -P -m pdz_dev.bench.build_bench --sizes 5,25 --repeat 1 --no-write",
              "```", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5,25,100,200", help="comma-separated N")
    parser.add_argument("--quick", action="store_true", help="sizes 5,10, one run, no profile: a fast smoke run")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs per N (medians and minima)")
    parser.add_argument("--repeat-at", default="", help="runs at some N instead of --repeat, e.g. 200:2 (a large N "
                                                          "on a busy machine)")
    parser.add_argument("--floors-up-to", type=int, default=0,
                        help="build the fair and lunr floors only up to this N (0 = at every N); beyond, our builds only")
    parser.add_argument("--profile", type=int, default=0, help="profile a cold build at this N (0 = no profile)")
    parser.add_argument("--no-preview", action="store_true", help="skip the PDZ_AMBITO preview measurement")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve measurement")
    parser.add_argument("--serve-sizes", default="5,100", help="N at which mkdocs serve is measured")
    parser.add_argument("--serve-edits", type=int, default=SERVE_EDITS, help="edits timed in mkdocs serve at each N")
    parser.add_argument("--no-weights", dest="weights", action="store_false", help="skip the page weights (browser)")
    parser.add_argument("--weight-kind", dest="weight_kinds", action="append", default=None, metavar="KIND",
                        help="weigh the first visit of this page kind only (repeatable; --no-write): the smoke test "
                             "weighs one (tests/site/test_search.py weighs every kind with weight.first_visit)")
    parser.add_argument("--workdir", type=Path, default=None, help="where to write trees (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep trees and sites")
    parser.add_argument("--results", type=Path, default=RESULTS, help="Markdown report to write")
    parser.add_argument("--no-write", action="store_true", help="print only, do not write the report")
    parser.add_argument("--extend-partners", action="store_true",
                        help="list every clone in the partner files' ambiti: lists too (bigger partner files)")
    parser.add_argument("--same-texts", action="store_true",
                        help="clones repeat the real texts word for word (flatters the per-text conversion cache)")
    parser.add_argument("--lighthouse", type=int, default=100, help="N at which Lighthouse runs (0 = never)")
    parser.add_argument("--history-n", type=int, default=100,
                        help="N at which the cost of every record's history is measured (issue #26; 0 = never)")
    parser.add_argument("--history-commits", type=int, default=30, help="scripted commits of that history")
    parser.add_argument("--history-per-commit", type=int, default=40, help="objectives each of them changes")
    parser.add_argument("--fail-on-miss", action="store_true", help="exit 1 when a target fails")
    parser.add_argument("--builds", choices=BUILDS, default="all",
                        help="the builds at each N: all (ours cold and warm, the two floors), cold (ours cold only: "
                             "the site the page weights are measured on) or none (the tree only: serve, the preview, "
                             "the history); cold and none only with --no-write")
    parser.add_argument("--weights-site", type=Path, default=None,
                        help="measure the page weights on this site, built already from the same content (the smoke "
                             "test passes the real site its session built), not on our cold build; one N, --no-write")
    args = parser.parse_args(argv)
    sizes = [5, 10] if args.quick else sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    if args.builds != "all" and not args.no_write:
        parser.error(f"--builds {args.builds} measures part of the report: add --no-write")
    if args.weights_site and (len(sizes) > 1 or not args.no_write):
        parser.error("--weights-site is one site, not a tree of ours: one N in --sizes, and --no-write")
    if args.weight_kinds and (not args.no_write or set(args.weight_kinds) - set(weighed_kinds())):
        parser.error("--weight-kind weighs part of the report (add --no-write), one of: " + ", ".join(weighed_kinds()))
    if args.builds == "none" and args.weights and not args.weights_site:
        parser.error("--builds none builds no site to weigh: add --weights-site or --no-weights")
    if args.quick:
        args.repeat, args.profile = 1, 0
    serve_sizes = {int(x) for x in args.serve_sizes.split(",") if x.strip()} & set(sizes)
    args.repeats = {n: args.repeat for n in sizes}
    for item in filter(None, (x.strip() for x in args.repeat_at.split(","))):
        n, _, count = item.partition(":")
        args.repeats[int(n)] = int(count)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="pdz-bench-", dir=args.workdir))
    log(f"work dir: {work}")
    Trash.folder = work / "trash"
    try:
        code = code_state()
        synth.use_code(synth.snapshot_code(work / "code"))
        snapshot, notes = synth.snapshot(work / "snapshot")
        real = synth.real_ambiti(snapshot / "content")
        kinds = Counter("ambito" if p.parent.parent.name == "ambiti" else
                        "piano" if re.fullmatch(r"[0-9]{4}-[0-9]{4}", p.parent.name) else p.parent.name
                        for p in (snapshot / "content").rglob("*") if p.is_file())
        snapshot_info = (f"{len(real)} real Ambiti ({', '.join(real)}), "
                         f"{sum(kinds.values())} files (" + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + ")")
        log(f"snapshot: {snapshot_info}" + (f"; {len(notes)} repairs" if notes else ""))
        points, projects, serves = [], {}, []
        benches = [SizeBench.prepare(n, snapshot, work, args.extend_partners, not args.same_texts,
                                     floors=not args.floors_up_to or n <= args.floors_up_to,
                                     kinds=BUILDS[args.builds]) for n in sizes]
        run_rounds(benches, args.repeats)
        for bench in benches:
            points.append(bench.finish(args.keep, args.lighthouse, args.weights, args.weights_site, args.weight_kinds))
            projects[bench.n] = bench.project
        # after every build: serve removes its site folder when it stops (Trash)
        for n in sorted(serve_sizes) if not args.no_serve else ():
            log(f"[serve] N={n}: mkdocs serve without AMBITO, {args.serve_edits} edits, each once serve is idle "
                f"(under {IDLE_CPU} s of CPU in {IDLE_FOR:.0f} s)...")
            serves.append((n, measure_serve(projects[n], work / f"serve-{n}", args.serve_edits)))
        previews, breakdowns = [], []
        make_env, _make_args = makefile_serve(real[0])
        if not args.no_preview:
            for n in sorted({sizes[0], sizes[-1]}):
                log(f"[preview] PDZ_AMBITO={real[0]} on the N={n} tree...")
                previews.append((n, measure_preview(projects[n], real[0], work / f"preview-{n}", "as is", make_env)))
                breakdowns.append((n, preview_breakdown(projects[n], real[0], make_env)))
        profile_text = ""
        if args.profile:
            from pdz_dev.bench import profile_build
            project = projects.get(args.profile)
            if project is None:
                project, _ = tree_for(args.profile, snapshot, work / f"n{args.profile}" / "project",
                                      args.extend_partners, not args.same_texts)
            Trash.put(project / ".cache")
            log(f"[profile] cProfile cold build at N={args.profile}...")
            prof, wall = profile_build.profile(project, work / "profile")
            profile_text = (f"Wall time under cProfile: {wall:.1f} s (cProfile slows pure-Python code ~2-3x).\n\n"
                            + profile_build.summarise(prof))
        history = None
        if args.history_n:
            from pdz_dev.bench import history_bench
            log(f"[history] N={args.history_n}: a scripted main line, then its history read in a fresh process...")
            history = history_bench.run(snapshot, work / "history", args.history_n, args.history_commits,
                                        args.history_per_commit)
        target_rows = targets(points, serves)
        total = time.perf_counter() - started

        if built(points):
            print("\n## Builds\n")
            print("\n".join(builds_table(points)))
            print()
            print("\n".join(ratios_table(points)))
            print("\n## Sites\n")
            print("\n".join(sites_table(points)))
        print("\n## Targets\n")
        for ok, text in target_rows:
            print(_verdict(ok, text))
        if any(p.weights for p in points):
            print()
            print("\n".join(weight_lines(points)))
        if serves:
            print("\n## mkdocs serve\n")
            print("\n".join(serve_lines(serves)))
        if previews:
            print("\n## Editor preview\n")
            print("\n".join(preview_lines(previews)))
            print()
            print("\n".join(breakdown_lines(breakdowns)))
        if history:
            print("\n## Every record's history\n")
            print("\n".join(history_lines(history)))
        if profile_text:
            print(f"\n## Profile (N={args.profile})\n")
            print(profile_text)
        if not args.no_write:
            write_results(args.results, args, points, target_rows, previews, breakdowns, serves, profile_text, notes,
                          snapshot_info, total, code, history)
            log(f"\nwritten {args.results}")
        return 1 if args.fail_on_miss and any(ok is False for ok, _ in target_rows) else 0
    finally:
        Trash.empty()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"kept {work}")


if __name__ == "__main__":
    sys.exit(main())
