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


def timed_build(project: Path, site: Path, logfile: Path, repeat: int, env_extra=None) -> Run:
    """Best wall time of ``repeat`` builds; peak RSS is the maximum over them."""
    best = None
    peak = 0
    for i in range(repeat):
        run = run_build(project, site, logfile.with_suffix(f".{i}.log"), env_extra)
        if run.returncode != 0:
            raise SystemExit(f"build failed in {project} (exit {run.returncode}):\n{run.log}")
        if "WARNING" in run.log:
            raise SystemExit(f"build in {project} logged warnings:\n{run.log}")
        peak = max(peak, run.peak_rss)
        if best is None or run.wall < best.wall:
            best = run
    best.peak_rss = peak
    return best


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


def measure_size(n: int, snapshot: Path, work: Path, repeat: int, keep: bool) -> tuple[Point, Path]:
    import plain   # imports pdz: after the snapshot exists
    base = work / f"n{n}"
    t0 = time.perf_counter()
    project, ambiti = synth.make_tree(snapshot, base / "project", n)
    log(f"[N={n}] tree with {len(ambiti)} Ambiti written in {time.perf_counter() - t0:.1f} s; building ours...")
    ours = timed_build(project, base / "site", base / "ours", repeat)
    ours_site = site_stats(base / "site")
    fams, top = page_families(base / "site", {a for a, _ in ambiti})
    log(f"[N={n}] ours: {ours.wall:.1f} s, {ours_site.pages} pages, peak {human(ours.peak_rss)}; writing plain floor...")
    plain_project, generated = plain.make_plain_project(project, base / "plain")
    from pdz import site_state
    records = len(site_state.current().catalog.by_key)
    plain_run = timed_build(plain_project, base / "plain-site", base / "plain", repeat)
    plain_site = site_stats(base / "plain-site")
    log(f"[N={n}] plain: {plain_run.wall:.1f} s, {plain_site.pages} pages, peak {human(plain_run.peak_rss)}")
    if not keep:
        shutil.rmtree(base / "site", ignore_errors=True)
        shutil.rmtree(base / "plain-site", ignore_errors=True)
        shutil.rmtree(base / "plain", ignore_errors=True)
    return Point(n, records, generated, ours, ours_site, plain_run, plain_site, fams, top), project


def measure_preview(project: Path, ambito: str, work: Path, repeat: int) -> dict:
    """Single-Ambito build (PDZ_AMBITO) of a tree; what it loads and what it builds."""
    sys.path.insert(0, str(ROOT / "macros"))
    from pdz.loader import load_content
    from pdz.render import build_pages
    site = work / "site"
    work.mkdir(parents=True, exist_ok=True)
    run = timed_build(project, site, work / "preview", repeat, {"PDZ_AMBITO": ambito})
    stats = site_stats(site)
    all_ambiti = {p.name for p in (project / "content" / "ambiti").iterdir()}
    others = sum(1 for p in site.rglob("*.html")
                 if p.relative_to(site).parts[0] in all_ambiti - {ambito})
    t0 = time.perf_counter()
    catalog, _ = load_content(project, ambito_filter=ambito)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    pages = build_pages(catalog)
    t_render = time.perf_counter() - t0
    t0 = time.perf_counter()
    files = sum(1 for p in (project / "content").rglob("*") if p.is_file())
    t_scan = time.perf_counter() - t0
    shutil.rmtree(site, ignore_errors=True)
    return {"ambito": ambito, "run": run, "site": stats, "other_ambito_pages": others,
            "records": len(catalog.by_key), "generated": len(pages), "t_load": t_load,
            "t_render": t_render, "files": files, "t_scan": t_scan}


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
            "search index | search B/page | ms/page | plain floor | ours/plain |")
    rows = [head, "|" + "---:|" * 13]
    for p in points:
        s = p.ours_site
        rows.append(
            f"| {p.n} | {p.records} | {s.pages} | {p.ours.wall:.1f} s | {p.ours.cpu:.1f} s | {human(p.ours.peak_rss)} | "
            f"{human(s.total_bytes)} | {s.largest_bytes:,} B `{s.largest_page}` | {human(s.search_bytes)} | "
            f"{p.search_per_page:,.0f} | {1000 * p.tpp:.1f} | {p.plain.wall:.1f} s | {p.ratio:.2f} |")
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


def targets(points: list[Point]) -> list[tuple[bool, str]]:
    big = points[-1]
    ref = next((p for p in points if p.n == 25 and p is not big), points[-2] if len(points) > 1 else None)
    out = []
    out.append((big.ours.wall <= TARGET_RATIO_PLAIN * big.plain.wall,
                f"build time at N={big.n}: {big.ours.wall:.1f} s vs plain floor {big.plain.wall:.1f} s = "
                f"{big.ratio:.2f}x (target <= {TARGET_RATIO_PLAIN}x)"))
    if ref:
        growth = big.tpp / ref.tpp
        out.append((growth <= TARGET_TPP_GROWTH,
                    f"time per page: {1000 * big.tpp:.1f} ms at N={big.n} vs {1000 * ref.tpp:.1f} ms at N={ref.n} "
                    f"= {growth:.2f}x (target <= {TARGET_TPP_GROWTH}x)"))
    worst = max(points, key=lambda p: p.ours_site.largest_bytes)
    over = [f"N={p.n}: {p.ours_site.largest_bytes:,} B" for p in points if p.ours_site.largest_bytes >= TARGET_LARGEST]
    out.append((not over, f"largest page HTML < {TARGET_LARGEST:,} B at every N: worst {worst.ours_site.largest_bytes:,} B "
                          f"(`{worst.ours_site.largest_page}`, N={worst.n})" + (f"; over at {', '.join(over)}" if over else "")))
    peak = max(points, key=lambda p: p.ours.peak_rss)
    out.append((peak.ours.peak_rss < TARGET_PEAK,
                f"peak memory < 1 GiB: {human(peak.ours.peak_rss)} at N={peak.n}"))
    if ref:
        growth = big.search_per_page / ref.search_per_page
        out.append((growth <= TARGET_SEARCH_GROWTH,
                    f"search index bytes per page: {big.search_per_page:,.0f} at N={big.n} vs "
                    f"{ref.search_per_page:,.0f} at N={ref.n} = {growth:.2f}x (target <= {TARGET_SEARCH_GROWTH}x)"))
    return out


def preview_lines(previews: list[dict]) -> list[str]:
    out = ["| tree | PDZ_AMBITO | build time | peak RSS | HTML pages | pages of other Ambiti | records loaded | "
           "content files scanned | load_content | build_pages | target |", "|" + "---:|" * 11]
    for n, pv in previews:
        ok = "PASS" if pv["run"].wall <= PREVIEW_TARGET_S else "FAIL"
        out.append(f"| N={n} | {pv['ambito']} | {pv['run'].wall:.1f} s | {human(pv['run'].peak_rss)} | {pv['site'].pages} | "
                   f"{pv['other_ambito_pages']} | {pv['records']} | {pv['files']} | {pv['t_load']:.2f} s | "
                   f"{pv['t_render']:.2f} s | {ok} (<= {PREVIEW_TARGET_S:.0f} s) |")
    return out


def write_results(path: Path, args, points, target_rows, previews, profile_text, notes, snapshot_info,
                  total_time) -> None:
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
        "references to the Ambito's own records renamed, partner `ambiti:` lists extended). Shared "
        "records (fonti, aree, partner, glossario) are not cloned, so every clone cites the same 5 source "
        "documents.", "",
    ]
    if notes:
        lines += ["Repairs applied to the snapshot so that a strict build succeeds (content under migration):", ""]
        lines += [f"- {n}" for n in notes] + [""]
    else:
        lines += ["The snapshot was valid as is (no repairs).", ""]
    lines += ["## Results (ours)", "", *results_table(points), "",
              "Records = content files loaded; build time = wall clock of the child; CPU = user+sys of the child; "
              "search B/page = `search/search_index.json` bytes / HTML pages; ms/page = build time / HTML pages.", "",
              "## The plain floor", "",
              "The same page texts (from `pdz.render.build_pages`, the two hand-written pages pre-rendered with the "
              "same macros, the open-data files as static files) built by stock MkDocs + Material with the same "
              "theme features, search plugin, Markdown extensions and nav, without hooks, macros plugin or "
              "`custom_dir`.", "", *plain_table(points), "",
              "## Targets", "", "```"]
    lines += [f"{'PASS' if ok else 'FAIL'}  {text}" for ok, text in target_rows] + ["```", ""]
    lines += [f"## Largest pages at N={big.n}", "", "| page family | pages | largest | which |", "|---|---:|---:|---|"]
    lines += [f"| `{fam}` | {count} | {size:,} B | `{page}` |" for fam, count, size, page in big.families[:14]]
    lines += ["", "Largest page by family at every N:", "", "| N | " + " | ".join(
        f"`{f}`" for f, *_ in big.families[:6]) + " |", "|---:|" + "---:|" * min(6, len(big.families))]
    for p in points:
        by = {f: s for f, _c, s, _p in p.families}
        lines.append(f"| {p.n} | " + " | ".join(f"{by.get(f, 0):,}" for f, *_ in big.families[:6]) + " |")
    lines.append("")
    if previews:
        lines += ["## Editor preview (PDZ_AMBITO)", "",
                  "A single-Ambito build (`PDZ_AMBITO=<id> mkdocs build --strict`) of a tree that holds all N "
                  "Ambiti. `load_content` and `build_pages` are timed again in-process for the breakdown.", "",
                  *preview_lines(previews), ""]
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
            point, project = measure_size(n, snapshot, work, args.repeat, args.keep)
            points.append(point)
            projects[n] = project
        previews = []
        if not args.no_preview:
            for n in sorted({sizes[0], sizes[-1]}):
                log(f"[preview] PDZ_AMBITO={real[0]} on the N={n} tree...")
                previews.append((n, measure_preview(projects[n], real[0], work / f"preview-{n}", args.repeat)))
        profile_text = ""
        if args.profile:
            import profile_build
            project = projects.get(args.profile)
            if project is None:
                project, _ = synth.make_tree(snapshot, work / f"n{args.profile}" / "project", args.profile)
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
        print("\n## Targets\n")
        for ok, text in target_rows:
            print(f"{'PASS' if ok else 'FAIL'}  {text}")
        big = points[-1]
        if len(points) > 1:
            ref = next((p for p in points if p.n == 25 and p is not big), points[-2])
            print(f"\nours/plain time: " + ", ".join(f"N={p.n} {p.ratio:.2f}x" for p in points))
            print(f"time per page N={big.n} vs N={ref.n}: {1000 * big.tpp:.1f} / {1000 * ref.tpp:.1f} ms "
                  f"= {big.tpp / ref.tpp:.2f}x")
        if previews:
            print("\n## Editor preview\n")
            print("\n".join(preview_lines(previews)))
        if profile_text:
            print(f"\n## Profile (N={args.profile})\n")
            print(profile_text)
        if not args.no_write:
            write_results(args.results, args, points, target_rows, previews, profile_text, notes, snapshot_info, total)
            log(f"\nwritten {args.results}")
        return 1 if args.fail_on_miss and not all(ok for ok, _ in target_rows) else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"kept {work}")


if __name__ == "__main__":
    sys.exit(main())
