#!/usr/bin/env python3
"""Build benchmark for the issue "Stay fast at regional scale".

For each N (Ambiti in total) it builds a synthetic content tree — the real Ambiti, then clones
cycling over them (see synth.py) — with ``python -m mkdocs build --strict`` in a child process,
and the same pages as plain Markdown with stock MkDocs + Material ("the plain floor", see
plain.py). It prints a table, checks the targets, measures the single-Ambito editor preview
(PDZ_AMBITO) and, optionally, profiles one build; everything goes to benchmarks/results.md.

    .venv/bin/python benchmarks/build_bench.py                 # N = 5, 25, 100 (+ profile at 25)
    .venv/bin/python benchmarks/build_bench.py --quick         # N = 5, 10, no profile
    .venv/bin/python benchmarks/build_bench.py --sizes 5,25 --profile 0 --no-write
"""
from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from measure import Run, SiteStats, human, run_build, site_stats  # noqa: E402

ROOT = synth.ROOT
RESULTS = HERE / "results.md"
KB = 1000                       # "100 KB" target: 100,000 bytes
GIB = 1024 ** 3                 # "1 GB" target: 1 GiB of peak RSS
TARGET_RATIO_PLAIN = 1.25
TARGET_TPP_GROWTH = 1.3
TARGET_LARGEST = 100 * KB
TARGET_PEAK = GIB
TARGET_SEARCH_GROWTH = 1.1
PREVIEW_TARGET_S = 3.0
ANALYSIS_START, ANALYSIS_END = "<!-- analysis:start -->", "<!-- analysis:end -->"
PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "Markdown", "pymdown-extensions", "Jinja2",
            "PyYAML", "jsonschema", "nh3")


@dataclass
class Point:
    n: int
    records: int
    generated: int          # pages produced by pdz.render.build_pages (+ hand-written docs)
    ours: Run
    ours_site: SiteStats
    plain: Run
    plain_site: SiteStats
    families: list          # (family, count, max bytes, page) at this N
    top_pages: list         # (bytes, page)
    steps: dict             # our code, timed in-process during the capture: label -> seconds

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
    if parts[0] in ambiti:
        return "<ambito>/" + (parts[1] + "/*" if len(parts) > 2 and parts[1] != "index.html" else "")
    if len(parts) == 1:
        return page
    return parts[0] + "/" + ("*" if len(parts) > 2 else "")


def page_families(site: Path, ambiti: set[str]) -> tuple[list, list]:
    fams: dict[str, list] = {}
    sizes = []
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        size = path.stat().st_size
        sizes.append((size, rel))
        entry = fams.setdefault(family(rel, ambiti), [0, 0, ""])
        entry[0] += 1
        if size > entry[1]:
            entry[1], entry[2] = size, rel
    rows = sorted(((k, c, m, p) for k, (c, m, p) in fams.items()), key=lambda r: -r[2])
    return rows, sorted(sizes, reverse=True)[:10]


def measure_size(n: int, snapshot: Path, work: Path, repeat: int, keep: bool,
                 extend_partners: bool = False) -> tuple[Point, Path]:
    import plain   # imports pdz: after the snapshot exists
    from pdz import site_state
    base = work / f"n{n}"
    t0 = time.perf_counter()
    project, ambiti = synth.make_tree(snapshot, base / "project", n, extend_partners)
    plain_project, generated, steps = plain.make_plain_project(project, base / "plain")
    records = len(site_state.current().catalog.by_key)
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
    fams, top = page_families(base / "site", {a for a, _ in ambiti})
    if not keep:
        for part in ("site", "plain-site", "plain"):
            shutil.rmtree(base / part, ignore_errors=True)
    return Point(n, records, generated, best(ours_runs), ours_site, best(plain_runs), plain_site, fams, top,
                 steps), project


PREVIEW_PATCH = ('if partial and "/" in value:', 'if partial and ("/" in value or ref.target == "ambito"):')


def preview_project(tree: Path, dest: Path) -> Path | None:
    """The tree with a private copy of macros/ in which integrity._check_links also tolerates
    references to Ambiti that a partial load skipped (the fix proposed in results.md).
    None when the code no longer contains the line to patch."""
    dest.mkdir(parents=True)
    for part in synth.PROJECT_PARTS:
        if part != "macros":
            (dest / part).symlink_to(ROOT / part)
    (dest / "content").symlink_to(tree / "content")
    shutil.copytree(ROOT / "macros", dest / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    integrity = dest / "macros" / "pdz" / "integrity.py"
    text = integrity.read_text(encoding="utf-8")
    if PREVIEW_PATCH[0] not in text:
        return None
    integrity.write_text(text.replace(*PREVIEW_PATCH), encoding="utf-8")
    return dest


def _in_build_seconds(text: str) -> float | None:
    match = re.search(r"Documentation built in ([0-9.]+) seconds", text)
    return float(match.group(1)) if match else None


def measure_preview(project: Path, ambito: str, work: Path, label: str) -> dict:
    """Single-Ambito build (PDZ_AMBITO) of a tree; what it loads and what it builds."""
    work.mkdir(parents=True, exist_ok=True)
    site = work / "site"
    run = run_build(project, site, work / "preview.log", {"PDZ_AMBITO": ambito})
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


def preview_breakdown(project: Path, ambito: str) -> dict:
    """In-process: what a partial load reads and how long loading and rendering take."""
    from pdz.loader import load_content
    from pdz.render import build_pages
    t0 = time.perf_counter()
    files = sum(1 for p in (project / "content").rglob("*") if p.is_file())
    t_scan = time.perf_counter() - t0
    t0 = time.perf_counter()
    catalog, problems = load_content(project, ambito_filter=ambito)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    pages = build_pages(catalog)
    t_render = time.perf_counter() - t0
    return {"files": files, "t_scan": t_scan, "records": len(catalog.by_key), "t_load": t_load,
            "generated": len(pages), "t_render": t_render,
            "errors": sum(1 for p in problems if p.severity == "errore")}


# --- reporting -----------------------------------------------------------------------------
def machine() -> list[str]:
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
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = _git("status", "--porcelain", "--", "content", "macros", "mkdocs.yml")
    return [
        f"- CPU: {cpu}, {nproc} cores available (nproc)",
        f"- Memory: {mem}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()} ({sys.executable})",
        f"- Packages: {', '.join(versions)}",
        f"- Code: commit {commit or '?'}" + (" with local changes in content/ or macros/ (others are editing)"
                                                if dirty else ""),
    ]


def _git(*args) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def results_table(points: list[Point]) -> list[str]:
    head = ("| N Ambiti | records | HTML pages | build time | CPU | peak RSS | site size | largest page | "
            "search index | search B/page | ms/page | plain floor | ours/plain (wall) | ours/plain (CPU) | load avg |")
    rows = [head, "|" + "---:|" * 15]
    for p in points:
        s = p.ours_site
        rows.append(
            f"| {p.n} | {p.records} | {s.pages} | {p.ours.wall:.1f} s | {p.ours.cpu:.1f} s | {human(p.ours.peak_rss)} | "
            f"{human(s.total_bytes)} | {s.largest_bytes:,} B `{s.largest_page}` | {human(s.search_bytes)} | "
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
    rows = ["| N Ambiti | HTML pages | build time | CPU | peak RSS | site size | largest page | search index | "
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
    worst = max(points, key=lambda p: p.ours_site.largest_bytes)
    over = [f"N={p.n}" for p in points if p.ours_site.largest_bytes >= TARGET_LARGEST]
    out.append((not over, f"largest page HTML < {TARGET_LARGEST:,} B at every N: worst {worst.ours_site.largest_bytes:,} B "
                          f"`{worst.ours_site.largest_page}` (N={worst.n})" + (f"; over at {', '.join(over)}" if over else "")))
    for label, skip in (("outside the printable plans */stampa/", lambda f: f.endswith("stampa/")),
                        ("outside */stampa/ and fonti/* (clones share the 5 source documents)",
                         lambda f: f.endswith("stampa/") or f.startswith("fonti/"))):
        sizes = [(p.n, *_largest_outside(p, skip)) for p in points]
        text = ", ".join(f"N={n}: {m:,} B `{pg}`" for n, m, pg in sizes)
        fails = any(m >= TARGET_LARGEST for _n, m, _pg in sizes)
        out.append((None, f"  (info) largest page {label}: {text} -> {'FAIL' if fails else 'PASS'}"))
    peak = max(points, key=lambda p: p.ours.peak_rss)
    out.append((peak.ours.peak_rss < TARGET_PEAK,
                f"peak memory < 1 GiB at every N: {human(peak.ours.peak_rss)} at N={peak.n}"))
    if ref:
        growth = big.search_per_page / ref.search_per_page
        out.append((growth <= TARGET_SEARCH_GROWTH,
                    f"search index bytes per page at N={big.n} <= {TARGET_SEARCH_GROWTH}x N={ref.n}: "
                    f"{big.search_per_page:,.0f} vs {ref.search_per_page:,.0f} = {growth:.2f}x"))
    return out


def _verdict(ok, text: str) -> str:
    return f"{'    ' if ok is None else 'PASS' if ok else 'FAIL'}  {text}"


def preview_lines(previews: list) -> list[str]:
    out = ["| tree | code | PDZ_AMBITO | result | build time | of which MkDocs build() | peak RSS | HTML pages | "
           "pages of other Ambiti | 3 s target |", "|---:|---|---|---|---:|---:|---:|---:|---:|---|"]
    for n, pv in previews:
        run = pv["run"]
        inner = f"{pv['in_build']:.1f} s" if pv.get("in_build") else "–"
        if pv["ok"]:
            ok = "PASS" if run.wall <= PREVIEW_TARGET_S else "FAIL"
            out.append(f"| N={n} | {pv['label']} | {pv['ambito']} | built | {run.wall:.1f} s | {inner} | "
                       f"{human(run.peak_rss)} | {pv['site'].pages} | {pv['other_ambito_pages']} | {ok} |")
        else:
            out.append(f"| N={n} | {pv['label']} | {pv['ambito']} | **aborted: {pv['error_count']} content errors** "
                       f"| {run.wall:.1f} s | – | {human(run.peak_rss)} | 0 | – | FAIL |")
    return out


def breakdown_lines(breakdowns: list) -> list[str]:
    out = ["| tree | content files scanned | scan (rglob) | records loaded | load_content(ambito_filter) | "
           "errors reported | pages generated | build_pages |", "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, b in breakdowns:
        out.append(f"| N={n} | {b['files']} | {b['t_scan']:.2f} s | {b['records']} | {b['t_load']:.2f} s | "
                   f"{b['errors']} | {b['generated']} | {b['t_render']:.2f} s |")
    return out


def write_results(path: Path, args, points, target_rows, previews, breakdowns, profile_text, notes,
                  snapshot_info, total_time) -> None:
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
        f"Generated by `benchmarks/build_bench.py {' '.join(sys.argv[1:])}`".rstrip() + f" on {now} "
        f"(whole run {total_time / 60:.1f} min). Every build is `python -m mkdocs build --strict` in a child "
        "process; wall time is the best of "
        f"{args.repeat} run(s), peak RSS is the child's own `ru_maxrss` (os.wait4).", "",
        "## Machine", "", *machine(), "",
        "## Content measured", "",
        f"Snapshot of `content/` taken at the start of the run: {snapshot_info}. "
        "N counts Ambiti: the real ones, then clones `<ambito>-<k>` cycling over them (every file copied, "
        "references to the Ambito's own records renamed, the Ambito's `nome` suffixed with `(copia k)`). "
        "Shared records (fonti, aree, partner, glossario) are not cloned: every clone cites the same "
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
              "Records = content files loaded; build time = wall clock of the child; CPU = user+sys of the child; "
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
    lines += [f"## Largest pages", "", "Largest HTML page of each page family (bytes) at every N; "
              "`<ambito>/` is an Ambito's plan page, `<ambito>/obiettivi/*` its objective list and objective pages.", "",
              "| page family | pages at N=" + str(big.n) + " | " + " | ".join(f"N={p.n}" for p in points)
              + f" | growth | largest at N={big.n} |", "|---|---:|" + "---:|" * len(points) + "---:|---|"]
    for fam, count, size, page in big.families:
        sizes = [next((m for f, _c, m, _p in p.families if f == fam), 0) for p in points]
        growth = f"{sizes[-1] / sizes[0]:.1f}x" if sizes[0] else "–"
        lines.append(f"| `{fam}` | {count} | " + " | ".join(f"{x:,}" for x in sizes) + f" | {growth} | `{page}` |")
    lines.append("")
    if previews:
        lines += ["## Editor preview (PDZ_AMBITO)", "",
                  "A single-Ambito build (`PDZ_AMBITO=<id> mkdocs build --strict`) of a tree that holds all N "
                  "Ambiti. *as is* = the repository's code; *patched* = a private copy of `macros/` where "
                  "`integrity._check_links` also tolerates references to Ambiti that the partial load skipped "
                  f"(`{PREVIEW_PATCH[0]}` → `{PREVIEW_PATCH[1]}`). \"of which MkDocs build()\" is the time "
                  "MkDocs reports itself, i.e. without interpreter start-up and imports: about what a "
                  "`mkdocs serve` rebuild after an edit costs, because serve re-runs the whole build "
                  "(on_config reloads and re-validates all content, on_files re-adds every generated page).", "",
                  *preview_lines(previews), "", "In-process breakdown of the partial load (patched code not needed: "
                  "errors are only counted):", "", *breakdown_lines(breakdowns), ""]
    if profile_text:
        lines += [f"## Profile (N={args.profile}, cProfile)", "", profile_text, ""]
    lines += ["## Analysis", "", analysis, "",
              "## How to run", "",
              "```sh",
              "make bench                                            # N = 5, 25, 100, profile at 25 (~15 min on 2 cores)",
              ".venv/bin/python benchmarks/build_bench.py --quick    # N = 5, 10: a smoke run",
              ".venv/bin/python benchmarks/build_bench.py --sizes 5,25 --profile 0 --no-write",
              "```", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5,25,100", help="comma-separated N (Ambiti in total)")
    parser.add_argument("--quick", action="store_true", help="sizes 5,10, no profile: a fast smoke run")
    parser.add_argument("--profile", type=int, default=None,
                        help="profile the build at this N (default 25 when measured; 0 = no profile)")
    parser.add_argument("--no-preview", action="store_true", help="skip the PDZ_AMBITO preview measurement")
    parser.add_argument("--repeat", type=int, default=1, help="builds per measurement (best wall time)")
    parser.add_argument("--workdir", type=Path, default=None, help="where to write trees (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep trees and sites")
    parser.add_argument("--results", type=Path, default=RESULTS, help="Markdown report to write")
    parser.add_argument("--no-write", action="store_true", help="print only, do not write the report")
    parser.add_argument("--extend-partners", action="store_true",
                        help="list every clone in the partner files' ambiti: lists too (bigger partner files)")
    parser.add_argument("--fail-on-miss", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    sizes = [5, 10] if args.quick else sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    if args.profile is None:
        args.profile = 25 if (25 in sizes and not args.quick) else 0
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="pdz-bench-", dir=args.workdir))
    log(f"work dir: {work}")
    try:
        snapshot, notes = synth.snapshot(work / "snapshot")
        real = synth.real_ambiti(snapshot / "content")
        kinds = Counter(p.parent.name if p.parent.parent.name != "ambiti" else "ambito"
                        for p in (snapshot / "content").rglob("*") if p.is_file())
        snapshot_info = (f"{len(real)} real Ambiti ({', '.join(real)}), "
                         f"{sum(kinds.values())} files (" + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + ")")
        log(f"snapshot: {snapshot_info}" + (f"; {len(notes)} repairs" if notes else ""))
        for note in notes:
            log(f"  repair: {note}")
        points, projects = [], {}
        for n in sizes:
            point, project = measure_size(n, snapshot, work, args.repeat, args.keep, args.extend_partners)
            points.append(point)
            projects[n] = project
        previews, breakdowns = [], []
        if not args.no_preview:
            for n in sorted({sizes[0], sizes[-1]}):
                log(f"[preview] PDZ_AMBITO={real[0]} on the N={n} tree...")
                pv = measure_preview(projects[n], real[0], work / f"preview-{n}", "as is")
                previews.append((n, pv))
                log(f"[preview]   as is: {'built' if pv['ok'] else 'aborted'} in {pv['run'].wall:.1f} s")
                patched = preview_project(projects[n], work / f"preview-{n}-patched" / "project")
                if patched is not None:
                    pv = measure_preview(patched, real[0], work / f"preview-{n}-patched", "patched")
                    previews.append((n, pv))
                    log(f"[preview]   patched: {'built' if pv['ok'] else 'aborted'} in {pv['run'].wall:.1f} s")
                breakdowns.append((n, preview_breakdown(projects[n], real[0])))
        profile_text = ""
        if args.profile:
            import profile_build
            project = projects.get(args.profile)
            if project is None:
                project, _ = synth.make_tree(snapshot, work / f"n{args.profile}" / "project", args.profile,
                                             args.extend_partners)
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
            print(f"\nours/plain time: " + ", ".join(f"N={p.n} {p.ratio:.2f}x" for p in points))
            print(f"time per page N={big.n} vs N={ref.n}: {1000 * big.tpp:.1f} / {1000 * ref.tpp:.1f} ms "
                  f"= {big.tpp / ref.tpp:.2f}x")
        if previews:
            print("\n## Editor preview\n")
            print("\n".join(preview_lines(previews)))
            print()
            print("\n".join(breakdown_lines(breakdowns)))
        if profile_text:
            print(f"\n## Profile (N={args.profile})\n")
            print(profile_text)
        if not args.no_write:
            write_results(args.results, args, points, target_rows, previews, breakdowns, profile_text, notes,
                          snapshot_info, total)
            log(f"\nwritten {args.results}")
        return 1 if args.fail_on_miss and any(ok is False for ok, _ in target_rows) else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"kept {work}")


if __name__ == "__main__":
    sys.exit(main())
