#!/usr/bin/env python3
"""Build benchmark for the issue "Stay fast at regional scale".

For each N (Ambiti in total) it builds a synthetic content tree — the real Ambiti, then clones
cycling over them (see synth.py) — with ``python -m mkdocs build --strict`` in a child process,
and the same pages as plain Markdown with stock MkDocs + Material ("the plain floor", see
plain.py). It prints a table, checks the targets, measures the single-Ambito editor preview
(PDZ_AMBITO) and, optionally, profiles one build; everything goes to benchmarks/results.md.

    .venv/bin/python -P -m pdz_dev.bench.build_bench                 # N = 5, 25, 100 (+ profile at 25)
    .venv/bin/python -P -m pdz_dev.bench.build_bench --quick         # N = 5, 10, no profile
    .venv/bin/python -P -m pdz_dev.bench.build_bench --sizes 5,25 --profile 0 --no-write
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
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


from pdz_dev.bench import synth
from pdz_dev.bench.measure import Run, SiteStats, human, run_build, site_stats

ROOT = synth.ROOT
RESULTS = ROOT / "benchmarks" / "results.md"
KB = 1000                       # "100 KB" target: 100,000 bytes
GIB = 1024 ** 3                 # "1 GB" target: 1 GiB of peak RSS
TARGET_RATIO_PLAIN = 0.9        # issue #15: <= 0.9x stock MkDocs + Material with its search
TARGET_WEIGHT_GROWTH = 1.05     # page weight flat in N
TARGET_TPP_GROWTH = 1.3
TARGET_LARGEST = 100 * KB
TARGET_DOCUMENT_GROWTH = 1.05   # a printable plan's size depends on its plan, not on N
TARGET_PEAK = GIB
TARGET_SEARCH_GROWTH = 1.1
TARGET_HOME = 35 * KB          # issue #28: the home page's HTML at every N
PREVIEW_TARGET_S = 3.0
ANALYSIS_START, ANALYSIS_END = "<!-- analysis:start -->", "<!-- analysis:end -->"
PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "Markdown", "pymdown-extensions", "Jinja2",
            "PyYAML", "jsonschema", "fastjsonschema", "nh3")


@dataclass
class Point:
    n: int
    records: int
    generated: int          # Markdown pages handed to MkDocs (generated + hand-written)
    ours: Run
    ours_site: SiteStats
    plain: Run
    plain_site: SiteStats
    families: list          # (family, count, max bytes, page) at this N
    steps: dict             # our code, timed in-process during the capture: label -> seconds
    weights: dict = None    # page kind -> bytes of a first visit at phone size (weight.py)
    search_weight: int = 0  # bytes of one search, engine included
    lighthouse: dict = None # page -> Lighthouse mobile scores (lighthouse.py), at the largest N
    home_bytes: int = 0     # the home page's HTML (index.html)

    @property
    def tpp(self) -> float:
        return self.ours.wall / self.ours_site.pages

    @property
    def search_per_page(self) -> float:
        return self.ours_site.search_bytes / self.ours_site.pages

    @property
    def ratio(self) -> float:
        return self.ours.wall / self.plain.wall


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def checked_build(project: Path, site: Path, logfile: Path, env_extra=None) -> Run:
    run = run_build(project, site, logfile, env_extra)
    if run.returncode != 0:
        raise SystemExit(f"build failed in {project} (exit {run.returncode}):\n{run.log}")
    if "WARNING" in run.log:
        raise SystemExit(f"build in {project} logged warnings:\n{run.log}")
    return run


def best(runs: list[Run]) -> Run:
    """Best wall time of repeated builds (others share this machine); peak RSS is the maximum."""
    out = min(runs, key=lambda r: r.wall)
    out.peak_rss = max(r.peak_rss for r in runs)
    return out


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


def measure_size(n: int, snapshot: Path, work: Path, repeat: int, keep: bool,
                 extend_partners: bool = False, distinct: bool = True, lighthouse_n: int = 0) -> tuple[Point, Path]:
    from pdz_dev.bench import plain   # imports pdz: after the snapshot exists
    base = work / f"n{n}"
    t0 = time.perf_counter()
    project, ambiti = synth.make_tree(snapshot, base / "project", n, extend_partners, distinct)
    plain_project, generated, steps, site = plain.make_plain_project(project, base / "plain")
    records = len(site.catalog.by_key)
    log(f"[N={n}] {len(ambiti)} Ambiti, {records} records: tree and plain floor written in "
        f"{time.perf_counter() - t0:.1f} s")
    ours_runs, plain_runs = [], []
    for i in range(repeat):   # interleaved, so that load from other processes hits both alike
        ours_runs.append(checked_build(project, base / "site", base / f"ours.{i}.log"))
        log(f"[N={n}] ours:  {ours_runs[-1].wall:6.1f} s wall, {ours_runs[-1].cpu:6.1f} s CPU, "
            f"peak {human(ours_runs[-1].peak_rss)}")
        plain_runs.append(checked_build(plain_project, base / "plain-site", base / f"plain.{i}.log"))
        log(f"[N={n}] plain: {plain_runs[-1].wall:6.1f} s wall, {plain_runs[-1].cpu:6.1f} s CPU, "
            f"peak {human(plain_runs[-1].peak_rss)}")
    ours_site = site_stats(base / "site")
    plain_site = site_stats(base / "plain-site")
    fams = page_families(base / "site", {a for a, _ in ambiti})
    weights, search_weight = measure_weights(base / "site")
    home_bytes = (base / "site" / "index.html").stat().st_size
    log(f"[N={n}] first visit: " + ", ".join(f"{k} {v // 1024} KB" for k, v in weights.items())
        + f"; one search {search_weight // 1024} KB")
    scores = None
    if lighthouse_n == n:
        from pdz_dev.bench import lighthouse
        log(f"[N={n}] Lighthouse (mobile)...")
        scores = lighthouse.site_scores(base / "site")
        log(f"[N={n}] Lighthouse: " + "; ".join(
            f"{k} " + " ".join(f"{c} {v[c]:.2f}" for c in lighthouse.CATEGORIES) for k, v in scores.items()))
    if not keep:
        for part in ("site", "plain-site", "plain"):
            shutil.rmtree(base / part, ignore_errors=True)
    return Point(n, records, generated, best(ours_runs), ours_site, best(plain_runs), plain_site, fams,
                 steps, weights, search_weight, scores, home_bytes), project


WEIGHT_PAGES = {"home": "", "ambito": "corsico/", "piano": "corsico/2021-2023/", "obiettivo": "crema/2021-2023/obiettivi/04-domiciliarita-anziani/",
                "valutazione": "carate-brianza/2021-2023/valutazioni/s3-sad/", "area": "aree/b/", "partner": "partner/comunita-sociale-cremasca/",
                "glossario": "glossario/", "documento": "fonti/001-corsico/", "ambiti": "ambiti/"}


def measure_weights(site: Path) -> tuple[dict, int]:
    """First visit of every page kind and one search, in Chromium at phone size (weight.py)."""
    from pdz_dev.bench import weight
    from pdz_dev.browser import CHROMIUM, LAUNCH_ARGS, serve
    from playwright.sync_api import sync_playwright
    server, base = serve(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            sizes = {kind: weight.first_visit(browser, base, url)[0] for kind, url in WEIGHT_PAGES.items()}
            search = weight.first_search(browser, base, "assistenti familiari")[0]
            browser.close()
        return sizes, search
    finally:
        server.shutdown()
        server.server_close()


def _in_build_seconds(text: str) -> float | None:
    match = re.search(r"Documentation built in ([0-9.]+) seconds", text)
    return float(match.group(1)) if match else None


def measure_preview(project: Path, ambito: str, work: Path, label: str, env_extra: dict | None = None) -> dict:
    """Single-Ambito build (PDZ_AMBITO, plus the environment ``make serve AMBITO=`` adds) of a tree."""
    work.mkdir(parents=True, exist_ok=True)
    site = work / "site"
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
    shutil.rmtree(site, ignore_errors=True)
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


def _free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure_serve(project: Path, ambito: str, work: Path, extra_args: list[str], edits: int = 2,
                  timeout: float = 180, rebuild_timeout: float = 120, env_extra: dict | None = None) -> dict:
    """``mkdocs serve`` with PDZ_AMBITO: does it start, what does it watch, and how long does a
    rebuild take after an edit of a content file (a YAML comment appended: same output)."""
    work.mkdir(parents=True, exist_ok=True)
    logfile = work / f"serve{'-'.join(a.strip('-') for a in extra_args) or ''}.log"
    env = {k: v for k, v in os.environ.items() if k != "PDZ_AMBITO"}
    env.update(NO_MKDOCS_2_WARNING="1", PDZ_AMBITO=ambito, **(env_extra or {}))
    # serve builds into a temporary folder of its own: keep it inside our work folder, which is
    # removed at the end, even if serve had to be killed before its own cleanup
    (work / "tmp").mkdir(exist_ok=True)
    env["TMPDIR"] = str(work / "tmp")
    cmd = [sys.executable, "-P", "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{_free_port()}", *extra_args]
    target = project / "content" / "ambiti" / ambito / "ambito.yaml"
    shown = [f"{k}={v}" for k, v in (env_extra or {}).items()] + extra_args
    out = {"args": " ".join(shown) or "(none)", "started": False, "watching": "", "initial": None,
           "rebuilds": [], "reported": [], "ended": ""}
    with open(logfile, "wb") as log:
        child = subprocess.Popen(cmd, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        def wait_for(predicate, limit: float = timeout, step: float = 0.5) -> str | None:
            deadline = time.monotonic() + limit
            while time.monotonic() < deadline:
                text = logfile.read_text(encoding="utf-8", errors="replace")
                if predicate(text):
                    return text
                if child.poll() is not None:
                    return None
                time.sleep(step)
            return None
        text = wait_for(lambda t: "Serving on" in t)
        if text is None:
            tail = logfile.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            out["ended"] = tail[-1] if tail else f"exit {child.poll()}"
            return out
        out["started"] = True
        built = re.findall(r"Documentation built in ([0-9.]+) seconds", text)
        out["initial"] = float(built[0]) if built else None
        watch = re.search(r"Watching paths for changes: (.*)", text)
        out["watching"] = watch.group(1).strip() if watch else ""
        original = target.read_bytes()
        try:
            # Completion is "Reloading browsers" (timestamped, so never dropped): MkDocs filters
            # out repeated log lines, so "Documentation built in 1.65 seconds" may not appear twice.
            for i in range(edits):
                time.sleep(2.0)   # let the previous rebuild settle
                count = logfile.read_text(encoding="utf-8", errors="replace").count("Reloading browsers")
                def reloaded(t, count=count):
                    return t.count("Reloading browsers") > count
                start = time.monotonic()
                target.write_bytes(original + f"\n# benchmark edit {'x' * (i + 1)}\n".encode())
                text = wait_for(reloaded, rebuild_timeout, step=0.05)
                if text is None:
                    break   # no rebuild: the edited folder is not watched
                out["rebuilds"].append(time.monotonic() - start)
                segment = text[text.rfind("Detected file changes"):]
                built = re.findall(r"Documentation built in ([0-9.]+) seconds", segment)
                out["reported"].append(float(built[-1]) if built else None)
        finally:
            target.write_bytes(original)
        return out
    finally:
        stop_serve(child)


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


# --- reporting -----------------------------------------------------------------------------
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


def results_table(points: list[Point]) -> list[str]:
    head = ("| N Ambiti | records | HTML pages | build time | CPU | peak RSS | site size | largest page | "
            "largest printable plan | search index | search B/page | ms/page | plain floor | ours/plain (wall) | "
            "ours/plain (CPU) | load avg |")
    rows = [head, "|" + "---:|" * 16]
    for p in points:
        s = p.ours_site
        rows.append(
            f"| {p.n} | {p.records} | {s.pages} | {p.ours.wall:.1f} s | {p.ours.cpu:.1f} s | {human(p.ours.peak_rss)} | "
            f"{human(s.total_bytes)} | {'{:,} B `{}`'.format(*_largest_outside(p, is_document))} | "
            f"{'{:,} B `{}`'.format(*_largest_outside(p, lambda f: not is_document(f)))} | {human(s.search_bytes)} | "
            f"{p.search_per_page:,.0f} | {1000 * p.tpp:.1f} | {p.plain.wall:.1f} s | {p.ratio:.2f} | "
            f"{p.ours.cpu / p.plain.cpu:.2f} | {p.ours.load:.1f} / {p.plain.load:.1f} |")
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
    rows.append("| **overhead: ours − plain floor (CPU of the builds)** | "
                + " | ".join(f"**{p.ours.cpu - p.plain.cpu:.1f} s**" for p in points) + " |")
    return rows


def plain_table(points: list[Point]) -> list[str]:
    rows = ["| N Ambiti | HTML pages | build time | CPU | peak RSS | site size | largest HTML file | search index | "
            "ms/page |", "|" + "---:|" * 9]
    for p in points:
        s = p.plain_site
        rows.append(f"| {p.n} | {s.pages} | {p.plain.wall:.1f} s | {p.plain.cpu:.1f} s | {human(p.plain.peak_rss)} | "
                    f"{human(s.total_bytes)} | {s.largest_bytes:,} B | {human(s.search_bytes)} | "
                    f"{1000 * p.plain.wall / s.pages:.1f} |")
    return rows


def _cpu_note(ok_wall: bool, ok_cpu: bool, cpu_text: str) -> str:
    verdict = "same verdict" if ok_wall == ok_cpu else ("PASS" if ok_cpu else "FAIL") + " on CPU time"
    return f"; on CPU time: {cpu_text}, {verdict}"


def is_document(page_family: str) -> bool:
    """The printable plans: one standalone page per plan that carries the whole plan."""
    return page_family == "<ambito>/<periodo>/stampa/*"


def _largest_outside(point: "Point", skip) -> tuple[int, str]:
    rows = [(m, pg) for f, _c, m, pg in point.families if not skip(f)]
    return max(rows) if rows else (0, "")


def targets(points: list[Point]) -> list[tuple[bool, str]]:
    """Verdicts follow the brief (wall time). Other processes share this machine, so the same
    ratios on CPU time (user+sys of the build, insensitive to waiting for a core) are shown too."""
    big = points[-1]
    ref = next((p for p in points if p.n == 25 and p is not big), points[-2] if len(points) > 1 else None)
    out = []
    ok = big.ours.wall <= TARGET_RATIO_PLAIN * big.plain.wall
    cpu_ratio = big.ours.cpu / big.plain.cpu
    out.append((ok, f"build time at N={big.n} <= {TARGET_RATIO_PLAIN}x plain floor: {big.ours.wall:.1f} s vs "
                    f"{big.plain.wall:.1f} s = {big.ratio:.2f}x"
                    + _cpu_note(ok, cpu_ratio <= TARGET_RATIO_PLAIN,
                                f"{big.ours.cpu:.1f} s vs {big.plain.cpu:.1f} s = {cpu_ratio:.2f}x")))
    if ref:
        growth = big.tpp / ref.tpp
        cpu_growth = (big.ours.cpu / big.ours_site.pages) / (ref.ours.cpu / ref.ours_site.pages)
        ok = growth <= TARGET_TPP_GROWTH
        out.append((ok, f"time per page at N={big.n} <= {TARGET_TPP_GROWTH}x N={ref.n}: {1000 * big.tpp:.1f} ms vs "
                        f"{1000 * ref.tpp:.1f} ms = {growth:.2f}x"
                        + _cpu_note(ok, cpu_growth <= TARGET_TPP_GROWTH,
                                    f"{1000 * big.ours.cpu / big.ours_site.pages:.1f} ms vs "
                                    f"{1000 * ref.ours.cpu / ref.ours_site.pages:.1f} ms = {cpu_growth:.2f}x")))
    pages = [(p.n, *_largest_outside(p, is_document)) for p in points]
    worst = max(pages, key=lambda row: row[1])
    over = [f"N={n}" for n, size, _pg in pages if size >= TARGET_LARGEST]
    out.append((not over, f"largest page HTML < {TARGET_LARGEST:,} B at every N (every page MkDocs renders with "
                          f"the theme; the printable plans are on the next line): "
                          + ", ".join(f"N={n}: {size:,} B `{pg}`" for n, size, pg in pages)
                          + (f"; over at {', '.join(over)}" if over else "")))
    documents = [(p.n, *_largest_outside(p, lambda f: not is_document(f))) for p in points]
    if all(size for _n, size, _pg in documents):
        growth = documents[-1][1] / documents[0][1]
        out.append((growth <= TARGET_DOCUMENT_GROWTH,
                    "printable plans `<ambito>/<periodo>/stampa/` (issue #4: the whole plan of one Ambito on one page, "
                    "outside the navigation and the search index) do not grow with N: "
                    + ", ".join(f"N={n}: {size:,} B `{pg}`" for n, size, pg in documents)
                    + f" = {growth:.2f}x from N={documents[0][0]} to N={documents[-1][0]}"))
    homes = [(p.n, p.home_bytes) for p in points if p.home_bytes]
    if homes:
        out.append((all(size < TARGET_HOME for _n, size in homes),
                    f"home page HTML < {TARGET_HOME:,} B at every N (issue #28): "
                    + ", ".join(f"N={n}: {size:,} B" for n, size in homes)))
    peak = max(points, key=lambda p: p.ours.peak_rss)
    out.append((peak.ours.peak_rss < TARGET_PEAK,
                f"peak memory < 1 GiB at every N: {human(peak.ours.peak_rss)} at N={peak.n}"))
    worst = [(p.n, *max(p.weights.items(), key=lambda kv: kv[1])) for p in points if p.weights]
    if worst:
        out.append((all(b <= 450 * 1024 for _n, _k, b in worst),
                    "first visit at phone size, nothing cached, every page kind <= 450 KB at every N (largest): "
                    + ", ".join(f"N={n}: {b // 1024} KB ({k})" for n, k, b in worst)))
        out.append((big.search_weight <= 400 * 1024,
                    f"one search at N={big.n} (first query, engine included) <= 400 KB: {big.search_weight // 1024} KB"))
        first, last = points[0], points[-1]
        growth = max(last.weights[k] / first.weights[k] for k in first.weights)
        out.append((growth <= TARGET_WEIGHT_GROWTH,
                    f"page weight flat in N: largest growth of a page kind from N={first.n} to N={last.n} "
                    f"{growth:.3f}x (<= {TARGET_WEIGHT_GROWTH}x)"))
    if big.lighthouse:
        from pdz_dev.bench import lighthouse
        out.append((all(lighthouse.meets(r) for r in big.lighthouse.values()),
                    f"Lighthouse mobile at N={big.n}, performance >= 0.95, accessibility 1.0, best practices >= 0.95: "
                    + "; ".join(f"{k} " + "/".join(f"{r[c]:.2f}" for c in lighthouse.CATEGORIES)
                                for k, r in big.lighthouse.items())))
    if ref:
        growth = big.search_per_page / ref.search_per_page
        out.append((growth <= TARGET_SEARCH_GROWTH,
                    f"search index bytes per page at N={big.n} <= {TARGET_SEARCH_GROWTH}x N={ref.n}: "
                    f"{big.search_per_page:,.0f} vs {ref.search_per_page:,.0f} = {growth:.2f}x"))
    return out


def weight_lines(points: list[Point]) -> list[str]:
    """Bytes a visitor downloads (pdz_dev.bench.weight) and Lighthouse scores (lighthouse.py)."""
    if not points or not points[0].weights:
        return []
    kinds = list(points[0].weights)
    lines = ["## Page weight (issue #15)", "",
             "Bytes transferred (headers + bodies, as Chromium counts them) by a first visit at phone size "
             "(360x740) with nothing cached, until the network is idle, and by one search typed after it "
             "(`assistenti familiari`: engine, index chunks, filters, first results). The benchmark server sends "
             "files uncompressed: a compressing host sends less.", "",
             "| N Ambiti | " + " | ".join(kinds) + " | one search |", "|---:|" + "---:|" * (len(kinds) + 1)]
    for p in points:
        lines.append(f"| {p.n} | " + " | ".join(f"{p.weights[k] / 1024:.0f} KB" for k in kinds)
                     + f" | {p.search_weight / 1024:.0f} KB |")
    lines.append("")
    scored = [p for p in points if p.lighthouse]
    if scored:
        from pdz_dev.bench import lighthouse
        lines += ["## Lighthouse (mobile)", "",
                  f"npm `lighthouse` {lighthouse.version()} with Debian's chromium, default mobile settings "
                  "(simulated slow 4G, 4x CPU slowdown), the site served gzip-compressed on 127.0.0.1. Scores "
                  "depend on the machine's load (performance above all: its CPU is shared).", "",
                  "| N Ambiti | page | performance | accessibility | best practices | audits below 0.9 |",
                  "|---:|---|---:|---:|---:|---|"]
        for p in scored:
            for name, r in p.lighthouse.items():
                lines.append(f"| {p.n} | {name} (`/{lighthouse.PAGES[name]}`) | {r['performance']:.2f} | "
                             f"{r['accessibility']:.2f} | {r['best-practices']:.2f} | {', '.join(r['failed']) or '–'} |")
        lines.append("")
    return lines


def _verdict(ok, text: str) -> str:
    return f"{'    ' if ok is None else 'PASS' if ok else 'FAIL'}  {text}"


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


def serve_lines(serves: list) -> list[str]:
    out = ["| tree | `make serve AMBITO=` runs | started | watches | first build | edit → browser reload "
           "(MkDocs build time) | 3 s target |", "|---:|---|---|---|---:|---|---|"]
    for n, sv in serves:
        if not sv["started"]:
            out.append(f"| N={n} | `{sv['args']}` | **no**: {sv['ended']} | – | – | – | FAIL |")
            continue
        cells = [f"{t:.1f} s" + (f" ({r:.1f} s)" if r else "") for t, r in zip(sv["rebuilds"], sv["reported"])]
        rebuilds = ", ".join(cells) or "**none: content/ is not watched**"
        ok = "PASS" if sv["rebuilds"] and max(sv["rebuilds"]) <= PREVIEW_TARGET_S else "FAIL"
        first = f"{sv['initial']:.1f} s" if sv["initial"] else "–"
        out.append(f"| N={n} | `{sv['args']}` | yes | {sv['watching']} | {first} | {rebuilds} | {ok} |")
    return out


def write_results(path: Path, args, points, target_rows, previews, breakdowns, profile_text, notes,
                  snapshot_info, total_time, serves=(), code=("", False)) -> None:
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
        "# Build benchmark: \"Stay fast at regional scale\"", "",
        f"Generated by `python -P -m pdz_dev.bench.build_bench {' '.join(sys.argv[1:])}`".rstrip() + f" on {now} "
        f"(whole run {total_time / 60:.1f} min). Every build is `python -m mkdocs build --strict` in a child "
        "process; wall time is the best of "
        f"{args.repeat} interleaved run(s) (ours, plain, ours, plain...), CPU is user+sys of the build, peak RSS "
        "is the build's maximum resident set size (GNU time `%M`: the child's own `ru_maxrss` would include "
        "the memory of the benchmark process it was forked from).", "",
        "## Machine", "", *machine(code), "",
        "## Content measured", "",
        f"Snapshot of `content/` taken at the start of the run: {snapshot_info}. "
        "N counts Ambiti: the real ones, then clones `<ambito>-<k>` cycling over them (every file copied, "
        "references to the Ambito's own records renamed, the Ambito's `nome` suffixed with `(copia k)`"
        + ("; the clones repeat the real texts word for word (`--same-texts`), which flatters the build: "
           "each distinct text is converted once). " if args.same_texts else
           ", and every free text of a clone too — every string with a space that is not a schema enum value, "
           "and a last line in every Markdown body — so 100 Ambiti are 100 different plans for the code, which "
           "converts each distinct text once; comments and block styles of the clones' YAML are not kept, the "
           "data are). ")
        + "Every tree is a git checkout with its content committed once, like the real repository, so the "
          "build runs its `git log` and every record shows its last-change date. "
        + "Shared records (fonti, aree, partner, glossario) are not cloned: every clone cites the same "
        "source documents and links to the same partners, so `fonti/*` and `partner/*` pages collect "
        "the records of all the copies. Partner `ambiti:` lists were "
        + ("extended with every clone (`--extend-partners`)." if args.extend_partners else
           "left as they are (`--extend-partners` repeats each item for the clones)."), "",
    ]
    if notes:
        lines += ["Repairs applied to the snapshot so that a strict build succeeds (content under migration):", ""]
        lines += [f"- {n}" for n in notes] + [""]
    else:
        lines += ["The snapshot was valid as is (no repairs).", ""]
    lines += ["## Results (ours)", "", *results_table(points), "",
              "Records = content files loaded; largest page = largest HTML page MkDocs renders with the theme; "
              "largest printable plan = largest `<ambito>/<periodo>/stampa/` document (see Targets); build time = wall clock of the child; CPU = user+sys of the child; "
              "search B/page = `search/search_index.json` bytes / HTML pages; ms/page = build time / HTML pages; "
              "load avg = 1-minute load average of the machine when our build / the plain build ended (2 cores: "
              "above ~1 other processes were competing, and wall times are inflated; CPU times much less).", "",
              "## The plain floor", "",
              "Exactly the Markdown our build hands to Python-Markdown, captured in-process from MkDocs (our "
              "config loaded, plugin events run up to `on_files`/`on_nav`, every page through `on_page_markdown`, "
              "so generated pages come from our hooks and the hand-written pages are rendered by the macros "
              "plugin), written as plain files together with every generated static file (open data, printable "
              "plans, redirects). Built by MkDocs + Material with the same theme, template overrides, features, "
              "search plugin, Markdown extensions and nav, but without `hooks` and the `macros` plugin: no "
              "loading, validation or generation.", "", *plain_table(points), "",
              "## Where our overhead goes", "",
              "Our code timed in-process (CPU time of the benchmark process, no profiler) while the plain floor was captured: the "
              "capture runs the same `on_config`/`on_files` as the build. Indented rows are part of the row "
              "above; `TextRenderer.block` and `IndexPages.network` are totals over all their callers.", "",
              *steps_table(points), "",
              "## Targets", "", "```"]
    lines += [_verdict(ok, text) for ok, text in target_rows] + ["```", ""]
    lines += weight_lines(points)
    lines += ["## Largest pages", "", "Largest HTML page of each page family (bytes) at every N; "
              "`<ambito>/` is an Ambito's page, `<ambito>/<periodo>/` a plan's page, `<ambito>/<periodo>/obiettivi/*` its objective list and objective pages.", "",
              "| page family | pages at N=" + str(big.n) + " | " + " | ".join(f"N={p.n}" for p in points)
              + f" | growth | largest at N={big.n} |", "|---|---:|" + "---:|" * len(points) + "---:|---|"]
    for fam, count, _size, page in big.families:
        sizes = [next((m for f, _c, m, _p in p.families if f == fam), 0) for p in points]
        growth = f"{sizes[-1] / sizes[0]:.1f}x" if sizes[0] else "–"
        lines.append(f"| `{fam}` | {count} | " + " | ".join(f"{x:,}" for x in sizes) + f" | {growth} | `{page}` |")
    lines.append("")
    if previews:
        lines += ["## Editor preview (PDZ_AMBITO)", "",
                  "A single-Ambito build (`PDZ_AMBITO=<id> mkdocs build --strict`, plus the environment "
                  "`make serve AMBITO=<id>` sets, e.g. `PDZ_SEARCH=false`) of a tree that holds all N Ambiti. "
                  "\"of which MkDocs build()\" is the time "
                  "MkDocs reports itself, i.e. without interpreter start-up and imports: about what a "
                  "`mkdocs serve` rebuild after an edit costs, because serve re-runs the whole build "
                  "(on_config reloads and re-validates all content, on_files re-adds every generated page).", "",
                  *preview_lines(previews), "", "In-process breakdown of the partial build (CPU time; MkDocs config and "
                  "plugin events run up to `on_page_markdown`, as for the plain floor):", "", *breakdown_lines(breakdowns), ""]
    if serves:
        lines += ["`mkdocs serve` as `make serve AMBITO=<id>` runs it (environment and options read from the "
                  "Makefile), and with `-w content` added when "
                  "mkdocs.yml does not watch `content/`: a comment line is appended to the Ambito's `ambito.yaml` "
                  "and the time until serve logs \"Reloading browsers\" is measured (it includes the file "
                  "watcher and MkDocs' debounce; the build time MkDocs reports is in brackets).", "",
                  *serve_lines(serves), ""]
    if profile_text:
        lines += [f"## Profile (N={args.profile}, cProfile)", "", profile_text, ""]
    lines += ["## Analysis", "", analysis, "",
              "## How to run", "",
              "```sh",
              "make bench                                            # N = 5, 25, 100, 2 runs each, profile at 25 (~20 min)",
              ".venv/bin/python -P -m pdz_dev.bench.build_bench --quick    # N = 5, 10: a smoke run",
              ".venv/bin/python -P -m pdz_dev.bench.build_bench --sizes 5,25 --profile 0 --no-write",
              "```", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5,25,100", help="comma-separated N (Ambiti in total)")
    parser.add_argument("--quick", action="store_true", help="sizes 5,10, no profile: a fast smoke run")
    parser.add_argument("--profile", type=int, default=None,
                        help="profile the build at this N (default 25 when measured; 0 = no profile)")
    parser.add_argument("--no-preview", action="store_true", help="skip the PDZ_AMBITO preview measurement")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve rebuild measurement")
    parser.add_argument("--repeat", type=int, default=1, help="builds per measurement (best wall time)")
    parser.add_argument("--workdir", type=Path, default=None, help="where to write trees (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep trees and sites")
    parser.add_argument("--results", type=Path, default=RESULTS, help="Markdown report to write")
    parser.add_argument("--no-write", action="store_true", help="print only, do not write the report")
    parser.add_argument("--extend-partners", action="store_true",
                        help="list every clone in the partner files' ambiti: lists too (bigger partner files)")
    parser.add_argument("--same-texts", action="store_true",
                        help="clones repeat the real texts word for word (flatters the per-text conversion cache)")
    parser.add_argument("--no-lighthouse", dest="lighthouse", action="store_false",
                        help="skip the Lighthouse scores (taken at the largest N)")
    parser.add_argument("--fail-on-miss", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    sizes = [5, 10] if args.quick else sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    if args.profile is None:
        args.profile = 25 if (25 in sizes and not args.quick) else 0
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="pdz-bench-", dir=args.workdir))
    log(f"work dir: {work}")
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
        for note in notes:
            log(f"  repair: {note}")
        points, projects = [], {}
        for n in sizes:
            point, project = measure_size(n, snapshot, work, args.repeat, args.keep, args.extend_partners,
                                          not args.same_texts, sizes[-1] if args.lighthouse else 0)
            points.append(point)
            projects[n] = project
        previews, breakdowns, serves = [], [], []
        make_env, make_args = makefile_serve(real[0])
        log(f"make serve AMBITO={real[0]} runs: PDZ_AMBITO={real[0]} "
            + " ".join(f"{k}={v}" for k, v in make_env.items()) + " mkdocs serve " + " ".join(make_args))
        if not args.no_preview:
            for n in sorted({sizes[0], sizes[-1]}):
                log(f"[preview] PDZ_AMBITO={real[0]} on the N={n} tree...")
                pv = measure_preview(projects[n], real[0], work / f"preview-{n}", "as is", make_env)
                previews.append((n, pv))
                log(f"[preview]   as is: {'built' if pv['ok'] else 'aborted'} in {pv['run'].wall:.1f} s")
                serve_on = projects[n] if pv["ok"] else None
                breakdowns.append((n, preview_breakdown(projects[n], real[0], make_env)))
                if serve_on is not None and not args.no_serve:
                    variants = [(make_args, make_env, 2, 120)]   # the plugin watches content/ itself
                    for extra, env_extra, edits, wait in variants:
                        sv = measure_serve(serve_on, real[0], work / f"serve-{n}", extra, edits,
                                           rebuild_timeout=wait, env_extra=env_extra)
                        serves.append((n, sv))
                        log(f"[serve]   {sv['args']}: started={sv['started']} edit->reload "
                            + ", ".join(f"{x:.2f} s" for x in sv["rebuilds"]) + f" {sv['ended']}")
        profile_text = ""
        if args.profile:
            from pdz_dev.bench import profile_build
            project = projects.get(args.profile)
            if project is None:
                project, _ = synth.make_tree(snapshot, work / f"n{args.profile}" / "project", args.profile,
                                             args.extend_partners, not args.same_texts)
            log(f"[profile] cProfile build at N={args.profile}...")
            prof, wall = profile_build.profile(project, work / "profile")
            profile_text = (f"Wall time under cProfile: {wall:.1f} s (cProfile slows pure-Python code ~2-3x).\n\n"
                            + profile_build.summarise(prof))
            if args.keep or args.workdir:
                log(f"[profile] raw profile: {prof}")
        target_rows = targets(points)
        total = time.perf_counter() - started

        print("\n## Results (ours)\n")
        print("\n".join(results_table(points)))
        print("\n## Plain floor\n")
        print("\n".join(plain_table(points)))
        print("\n## Where our overhead goes\n")
        print("\n".join(steps_table(points)))
        print("\n## Targets\n")
        for ok, text in target_rows:
            print(_verdict(ok, text))
        big = points[-1]
        if len(points) > 1:
            ref = next((p for p in points if p.n == 25 and p is not big), points[-2])
            print("\nours/plain time: " + ", ".join(f"N={p.n} {p.ratio:.2f}x" for p in points))
            print(f"time per page N={big.n} vs N={ref.n}: {1000 * big.tpp:.1f} / {1000 * ref.tpp:.1f} ms "
                  f"= {big.tpp / ref.tpp:.2f}x")
        if previews:
            print("\n## Editor preview\n")
            print("\n".join(preview_lines(previews)))
            print()
            print("\n".join(breakdown_lines(breakdowns)))
            if serves:
                print()
                print("\n".join(serve_lines(serves)))
        if profile_text:
            print(f"\n## Profile (N={args.profile})\n")
            print(profile_text)
        if not args.no_write:
            write_results(args.results, args, points, target_rows, previews, breakdowns, profile_text, notes,
                          snapshot_info, total, serves, code)
            log(f"\nwritten {args.results}")
        return 1 if args.fail_on_miss and any(ok is False for ok, _ in target_rows) else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"kept {work}")


if __name__ == "__main__":
    sys.exit(main())
