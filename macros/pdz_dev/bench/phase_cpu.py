"""CPU time of a cold ``mkdocs build`` split by phase, with the garbage collector and Pagefind apart
(issue #27: where does the time per page go as the site grows?).

Unlike ``profile_build`` (cProfile, which inflates pure-Python code), this times only the
phases: every plugin event, MkDocs' own steps, the assembly's steps and the per-page steps of
ours, each as *exclusive* CPU time of the process (``time.process_time``: what a phase spends
outside the phases it calls), so the rows add up to the build. The collector's time is read
from ``gc.callbacks`` (it is also inside the phase that triggered it). The build ends by
becoming Pagefind (``search_index.exec_pagefind``): the figures are written just before, and
the run's whole CPU (GNU time) minus the process's and its children's CPU at that moment is
Pagefind and the ``finish`` step after it.

    .venv/bin/python -P -m pdz_dev.bench.phase_cpu run PROJECT OUT.json      # cold build of PROJECT
    .venv/bin/python -P -m pdz_dev.bench.phase_cpu compare A.json B.json     # per page, B against A
    .venv/bin/python -P -m pdz_dev.bench.phase_cpu compare A1.json,A2.json B1.json,B2.json   # medians of runs

On a shared 2-core machine one run's phase can be 15 % off the next run's of the same tree
(the CPU time of the same code grows with the machine's load): compare the medians of several
runs of each tree, made side by side.

Run it only on a copy (``synth`` trees): the build writes ``.cache/`` and the site there.
"""
from __future__ import annotations

import argparse
import functools
import gc
import importlib
import inspect
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from pdz_dev.bench.measure import GNU_TIME, wrap_attribute

# (module, attribute, label): timed when present (a missing one is listed in the output's "missing")
TIMED = [
    ("mkdocs.commands.build", "get_files", "mkdocs: get_files"),
    ("mkdocs.commands.build", "get_navigation", "mkdocs: get_navigation"),
    ("mkdocs.commands.build", "_populate_page", "mkdocs: _populate_page (own part)"),
    ("mkdocs.commands.build", "_build_page", "mkdocs: _build_page (own part)"),
    ("mkdocs.commands.build", "_build_theme_template", "mkdocs: theme templates (sitemap, 404)"),
    ("mkdocs.structure.files", "Files.copy_static_files", "mkdocs: copy_static_files"),
    ("mkdocs.structure.pages", "Page.validate_anchor_links", "mkdocs: validate_anchor_links"),
    ("mkdocs.structure.pages", "Page.render", "mkdocs: Python-Markdown (Page.render)"),
    ("mkdocs.utils", "write_file", "mkdocs: write_file"),
    ("jinja2", "Template.render", "Jinja2: Template.render"),
    *[("pdz.site.assembly", name, f"assembly: {name}") for name in (
        "read_inputs", "assembly_key", "load_content", "load_redirects", "load_texts", "read_history",
        "build_pages", "departure_pages", "_digests", "comuni_data", "vocabulary_file", "iter_print_documents",
        "page_dates", "build_embed_documents", "_feeds_of", "admin_files", "site_outputs", "site_problems",
        "redirect_files", "headers_file", "navigation", "_feeds", "_keep")],
    ("pdz.site.assembly", "_OpenData.__init__", "assembly: open data (fork)"),
    ("pdz.site.assembly", "_OpenData.result", "assembly: open data (waiting for the fork)"),
    *[("pdz.site.pages", name, f"pages: {name}") for name in (
        "to_html", "label_tables", "with_policy", "page_date", "feed", "edit_url", "page_scripts", "Chrome.get")],
    ("pdz.plugin.render_cache", "RenderCache.key", "render cache: key"),
    ("pdz.plugin.render_cache", "RenderCache.record", "render cache: record"),
    ("pdz.plugin.render_cache", "RenderCache.save", "render cache: save"),
    ("pdz.site.search_index", "Articles.add", "search: Articles.add"),
    ("pdz.site.search_index", "Articles.folder", "search: Articles.folder"),
    ("pdz.site.search_index", "prepare", "search: prepare"),
]


class Phases:
    """Exclusive CPU time per label, by a stack of the timed calls that are running."""

    def __init__(self):
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.gc: dict[int, float] = defaultdict(float)
        self._stack: list[list] = []
        self._gc_start: float | None = None

    def enter(self, label: str) -> None:
        self._stack.append([label, time.process_time(), 0.0])

    def leave(self) -> None:
        label, start, inner = self._stack.pop()
        spent = time.process_time() - start
        self.cpu[label] += spent - inner
        self.calls[label] += 1
        if self._stack:
            self._stack[-1][2] += spent

    def wrap(self, label: str, function):
        if inspect.isgeneratorfunction(function):   # each step of the generator, not its lifetime
            @functools.wraps(function)
            def steps(*args, **kwargs):
                items = function(*args, **kwargs)
                while True:
                    self.enter(label)
                    try:
                        item = next(items)
                    except StopIteration:
                        return
                    finally:
                        self.leave()
                    yield item
            return steps

        @functools.wraps(function)
        def timed(*args, **kwargs):
            self.enter(label)
            try:
                return function(*args, **kwargs)
            finally:
                self.leave()
        return timed

    def collector(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_start = time.process_time()
        elif self._gc_start is not None:
            self.gc[info.get("generation", -1)] += time.process_time() - self._gc_start
            self._gc_start = None


def _install(phases: Phases) -> list[str]:
    """Time TIMED and every plugin event; the labels not found."""
    missing = []
    for module_name, attribute, label in TIMED:
        *path, name = attribute.split(".")
        try:
            wrap_attribute(".".join([module_name, *path]), name, functools.partial(phases.wrap, label))
        except (ImportError, AttributeError):
            missing.append(label)
    from mkdocs.plugins import PluginCollection

    def run_event(collection, name, item=None, **kwargs):   # as MkDocs 1.6's, each plugin's method timed
        for method in collection.events[name]:
            collection._current_plugin = collection._event_origins.get(method, "<unknown>")
            phases.enter(f"event {name}: {collection._current_plugin}")
            try:
                result = method(item, **kwargs) if item is not None else method(**kwargs)
            finally:
                phases.leave()
            if result is not None:
                item = result
        collection._current_plugin = None
        return item

    PluginCollection.run_event = run_event
    gc.callbacks.append(phases.collector)
    return missing


def _child(out: Path, mkdocs_args: list[str]) -> None:
    """In the build's process: time it, write the figures before it becomes Pagefind."""
    start = time.process_time()
    phases = Phases()
    missing = _install(phases)

    def write(moment: str) -> None:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        out.write_text(json.dumps({
            "moment": moment, "process_cpu": time.process_time() - start,
            "own_cpu": own.ru_utime + own.ru_stime, "children_cpu": children.ru_utime + children.ru_stime,
            "gc": {str(k): v for k, v in phases.gc.items()}, "phases": phases.cpu, "calls": phases.calls,
            "missing": missing}, indent=1), encoding="utf-8")

    search_index = importlib.import_module("pdz.site.search_index")
    exec_pagefind = search_index.exec_pagefind

    def before_pagefind(job):
        write("before Pagefind")
        return exec_pagefind(job)

    search_index.exec_pagefind = before_pagefind
    import atexit
    atexit.register(write, "exit (Pagefind not run as the last step)")
    from mkdocs.__main__ import cli
    sys.argv = ["mkdocs", *mkdocs_args]
    cli()


def run(project: Path, out: Path, site: Path | None = None) -> dict:
    """A cold build of ``project`` (its ``.cache/`` removed) timed by phase; the figures, also
    written to ``out``, with the whole run's CPU (GNU time) and Pagefind's share of it."""
    site = site or project / "site-phase-cpu"
    shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    timefile = out.with_suffix(".time")
    env = {k: v for k, v in os.environ.items() if k != "PDZ_AMBITO"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    load = os.getloadavg()[0]
    cmd = [sys.executable, "-P", "-m", "pdz_dev.bench.phase_cpu", "child", str(out), "--",
           "build", "--strict", "-q", "--site-dir", str(site)]
    result = subprocess.run([GNU_TIME, "-o", str(timefile), "-f", "%e %U %S", *cmd], cwd=project, env=env)
    if result.returncode != 0:
        raise SystemExit(f"the build failed ({result.returncode})")
    wall, user, system = map(float, timefile.read_text().split()[-3:])
    data = json.loads(out.read_text(encoding="utf-8"))
    data.update(wall=wall, total_cpu=user + system, load=[load, os.getloadavg()[0]],
                html_files=sum(1 for p in site.rglob("*.html") if "pagefind" not in p.parts))
    data["pagefind_cpu"] = data["total_cpu"] - data["own_cpu"] - data["children_cpu"]
    out.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return data


def merged(runs: list[dict]) -> dict:
    """Several runs of one tree as one: the median of each figure (a phase missing from a run
    counts as 0), the lowest and highest load seen."""
    if len(runs) == 1:
        return runs[0]
    if len({r["html_files"] for r in runs}) != 1:
        raise SystemExit("the runs to merge are not of the same site (different numbers of HTML files)")
    median = statistics.median
    out = {key: median(r[key] for r in runs) for key in ("total_cpu", "own_cpu", "children_cpu", "pagefind_cpu",
                                                         "process_cpu")}
    for part in ("gc", "phases"):
        out[part] = {k: median(r[part].get(k, 0.0) for r in runs) for k in sorted({k for r in runs for k in r[part]})}
    loads = [x for r in runs for x in r["load"]]
    out.update(html_files=runs[0]["html_files"], load=[min(loads), max(loads)], runs=len(runs))
    return out


def compare(a: dict, b: dict) -> str:
    """B against A, per HTML file of the site: each phase's ms per page and the ratio; sorted by
    what B spends beyond A's cost per page (the rows that grow faster than the pages first)."""
    pa, pb = a["html_files"], b["html_files"]
    rows = [("whole run (GNU time, every process)", a["total_cpu"], b["total_cpu"]),
            ("the build's process until Pagefind", a["own_cpu"], b["own_cpu"]),
            ("its children (open data fork, git)", a["children_cpu"], b["children_cpu"]),
            ("Pagefind and finish", a["pagefind_cpu"], b["pagefind_cpu"]),
            ("garbage collector (inside the phases)", sum(a["gc"].values()), sum(b["gc"].values())),
            ("not in any phase (imports, MkDocs' loop)", a["process_cpu"] - sum(a["phases"].values()),
             b["process_cpu"] - sum(b["phases"].values()))]
    names = sorted(set(a["phases"]) | set(b["phases"]),
                   key=lambda k: -(b["phases"].get(k, 0) - a["phases"].get(k, 0) * pb / pa))
    rows += [(k, a["phases"].get(k, 0.0), b["phases"].get(k, 0.0)) for k in names]
    def runs(x: dict) -> str:
        return f" (median of {x['runs']} runs)" if x.get("runs", 1) > 1 else ""

    lines = [f"A: {pa} HTML files{runs(a)}, load {a['load'][0]:.1f}-{a['load'][1]:.1f}; "
             f"B: {pb} HTML files{runs(b)}, load {b['load'][0]:.1f}-{b['load'][1]:.1f}",
             f"{'phase':52} {'A s':>7} {'B s':>7} {'A ms/p':>7} {'B ms/p':>7} {'ratio':>6} {'beyond':>7}"]
    for label, x, y in rows:
        if max(x, y) < 0.1:
            continue
        ratio = (y / pb) / (x / pa) if x > 0 else float("inf")
        lines.append(f"{label[:52]:52} {x:7.2f} {y:7.2f} {1000 * x / pa:7.3f} {1000 * y / pb:7.3f} "
                     f"{ratio:6.2f} {y - x * pb / pa:+7.2f}")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "child":
        _child(Path(sys.argv[2]), sys.argv[sys.argv.index("--") + 1:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("run", help="a cold build of PROJECT, timed by phase")
    one.add_argument("project", type=Path)
    one.add_argument("out", type=Path, help="the figures (JSON)")
    one.add_argument("--site", type=Path, default=None, help="where to build (default: PROJECT/site-phase-cpu)")
    two = commands.add_parser("compare", help="two runs' figures, per page (or the medians of several runs of each)")
    two.add_argument("a", help="the figures of A (JSON), or several runs' separated by commas")
    two.add_argument("b", help="the same for B")
    args = parser.parse_args()
    if args.command == "run":
        run(args.project.resolve(), args.out.resolve(), args.site.resolve() if args.site else None)
        print(f"written {args.out}")
    else:
        print(compare(*(merged([json.loads(Path(p).read_text(encoding="utf-8")) for p in arg.split(",")])
                        for arg in (args.a, args.b))))


if __name__ == "__main__":
    main()
