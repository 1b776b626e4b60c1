"""Where the time of one ``mkdocs serve`` rebuild goes after an edit (issue #27, point 3).

Runs in one process what ``mkdocs serve`` runs (``make serve`` without AMBITO, search on): a
first build, then for each edit the title of one objective changed and the site built again by
the same plugin instance, as serve's rebuild does. Prints, per rebuild, the wall and CPU time
until the build is over (when serve shows the page: it holds every request until then), and
with ``--profile`` the inclusive time of the rebuild's steps (cProfile, which slows pure-Python
code: compare shares, not seconds), with ``--steps`` the wall and CPU time of the same steps
without a profiler (each step's function timed where it is called, in the build's thread only: what runs in the
background after the build is not counted; a step inside another counts in both). The background search index (Pagefind) is waited for
before the next edit and is not part of the figures.

    .venv/bin/python -P -m pdz_dev.bench.serve_profile PROJECT [--edits 3] [--steps] [--profile [--dump FILE]]
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

STEPS = [
    ("on_config (assembly)", "pdz/plugin/plugin.py", "on_config"),
    ("  read_inputs (git)", "pdz/site/assembly.py", "read_inputs"),
    ("  assembly_key", "pdz/site/assembly.py", "assembly_key"),
    ("  assemble", "pdz/site/assembly.py", "assemble"),
    ("    load_content", "pdz/content/loader.py", "load_content"),
    ("      Catalog", "pdz/content/catalog.py", "Catalog.__init__"),
    ("      check_integrity", "pdz/content/integrity.py", "check_integrity"),
    ("    read_history", "pdz/domain/changes.py", "read_history"),
    ("    build_pages", "pdz/render/__init__.py", "build_pages"),
    ("    open data (tables, catalogue)", "pdz/site/assembly.py", "make"),
    ("      export_files", "pdz/opendata/tables.py", "export_files"),
    ("      open_data_metadata", "pdz/opendata/publish.py", "open_data_metadata"),
    ("    load_texts", "pdz/content/sourcetext.py", "load_texts"),
    ("    departure_pages", "pdz/render/changes.py", "departure_pages"),
    ("    build_embed_documents", "pdz/render/__init__.py", "build_embed_documents"),
    ("    admin_files", "pdz/editor/admin.py", "admin_files"),
    ("    site_outputs", "pdz/site/addresses.py", "site_outputs"),
    ("    navigation", "pdz/render/__init__.py", "navigation"),
    ("    headers_file", "pdz/site/hosting.py", "headers_file"),
    ("    comuni_data", "pdz/render/comuni.py", "comuni_data"),
    ("    vocabulary_file", "pdz/site/search_index.py", "vocabulary_file"),
    ("    iter_print_documents", "pdz/render/__init__.py", "iter_print_documents"),
    ("    site_problems", "pdz/site/assembly.py", "site_problems"),
    ("    cache.put", "pdz/site/cache.py", "put"),
    ("  BuildCache.load (indices)", "pdz/site/cache.py", "BuildCache.load"),
    ("on_pre_build (ours)", "pdz/plugin/plugin.py", "on_pre_build"),
    ("  ServedPages.set_aside", "pdz/plugin/serving.py", "ServedPages.set_aside"),
    ("clean_directory", "mkdocs/utils/__init__.py", "clean_directory"),
    ("get_files", "mkdocs/structure/files.py", "get_files"),
    ("on_files (ours)", "pdz/plugin/plugin.py", "on_files"),
    ("  _put_back_early", "pdz/plugin/plugin.py", "_put_back_early"),
    ("    RenderCache.key", "pdz/plugin/render_cache.py", "RenderCache.key"),
    ("    _page_values", "pdz/plugin/plugin.py", "_page_values"),
    ("    ServedPages.put_back", "pdz/plugin/serving.py", "ServedPages.put_back"),
    ("  minify_own_assets", "pdz/plugin/theme.py", "minify_own_assets"),
    ("  output_stamp", "pdz/plugin/render_cache.py", "output_stamp"),
    ("  RenderCache.__init__", "pdz/plugin/render_cache.py", "RenderCache.__init__"),
    ("  ServedPages.bring_back", "pdz/plugin/serving.py", "ServedPages.bring_back"),
    ("add_files_from_theme", "mkdocs/structure/files.py", "add_files_from_theme"),
    ("on_nav (ours)", "pdz/plugin/plugin.py", "on_nav"),
    ("on_env (ours)", "pdz/plugin/plugin.py", "on_env"),
    ("get_navigation", "mkdocs/structure/nav.py", "get_navigation"),
    ("_populate_page (all pages)", "mkdocs/commands/build.py", "_populate_page"),
    ("copy_static_files", "mkdocs/structure/files.py", "copy_static_files"),
    ("_build_theme_template (sitemap, 404)", "mkdocs/commands/build.py", "_build_theme_template"),
    ("_build_page (all pages)", "mkdocs/commands/build.py", "_build_page"),
    ("  on_post_page (ours)", "pdz/plugin/plugin.py", "on_post_page"),
    ("  write_file", "mkdocs/utils/__init__.py", "write_file"),
    ("validate_anchor_links", "mkdocs/structure/pages.py", "validate_anchor_links"),
    ("on_post_build (ours)", "pdz/plugin/plugin.py", "on_post_build"),
    ("Files.documentation_pages (each call)", "mkdocs/structure/files.py", "Files.documentation_pages"),
    ("whole build()", "mkdocs/commands/build.py", "build"),
]


class StepTimer:
    """Wall and CPU time of each step of STEPS, by wrapping its function where the build finds it
    (the module's attribute, or the class's for a method); only the outermost call of a step
    counts (recursion)."""

    def __init__(self):
        self.times: dict = {}
        self._undo: list = []

    def install(self) -> None:
        import importlib
        import inspect
        for label, suffix, name in STEPS:
            module_name = suffix.removesuffix(".py").replace("/", ".")
            module_name = module_name.removesuffix(".__init__")
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            if "." in name:   # Class.method
                owner = getattr(module, name.split(".")[0], None)
                method = vars(owner).get(name.split(".")[1]) if owner is not None else None
                if callable(method):
                    self._wrap(owner, name.split(".")[1], method, label)
                continue
            function = vars(module).get(name)
            if callable(function):   # where it is defined, and where it is imported by name
                for other in [m for m in list(sys.modules.values())
                              if getattr(m, "__name__", "").startswith(("pdz.", "mkdocs."))]:
                    if vars(other).get(name) is function:
                        self._wrap(other, name, function, label)
            for owner in [c for c in vars(module).values() if inspect.isclass(c) and c.__module__ == module.__name__]:
                method = vars(owner).get(name)
                if callable(method):
                    self._wrap(owner, name, method, label)

    def _wrap(self, owner, name, original, label) -> None:
        import functools
        times, depth = self.times, {"n": 0}

        @functools.wraps(original)
        def timed(*args, **kwargs):
            if depth["n"] or threading.current_thread() is not threading.main_thread():   # the build's own
                return original(*args, **kwargs)
            depth["n"] += 1
            t, c = time.perf_counter(), time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                depth["n"] -= 1
                wall, used = times.get(label, (0.0, 0.0))
                times[label] = (wall + time.perf_counter() - t, used + time.thread_time() - c)
        setattr(owner, name, timed)
        self._undo.append((owner, name, original))

    def report(self) -> None:
        for label, _, _ in STEPS:
            wall, used = self.times.get(label, (0.0, 0.0))
            print(f"  {label:36s} {wall:7.2f} s wall {used:7.2f} s CPU", flush=True)
        self.times.clear()


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the last rebuild")
    parser.add_argument("--steps", action="store_true", help="time the steps of every rebuild (no profiler)")
    parser.add_argument("--dump", type=Path, help="write the profile's statistics to this file (pstats)")
    parser.add_argument("--record", default="", help="content path of the record to edit (default: the bench's)")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    from pdz_dev.project import ROOT
    if project == ROOT.resolve():
        # it edits a record's title while it runs: in the repository itself, a commit made
        # meanwhile takes the edit (it happened: 41274a7 committed "Modifica 3 ..." to content/)
        raise SystemExit(f"serve_profile edits a record while it runs: give it a copy of the project, not {ROOT} "
                         "(for example a tree made by pdz_dev.bench.synth, or a copy of this one)")
    os.chdir(project)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ["PDZ_AMBITO"] = ""
    os.environ.pop("PDZ_SEARCH", None)
    from pdz_dev.servelike import ServeLike

    if args.record:
        path = project / "content" / args.record
    else:
        from pdz_dev.bench.build_bench import edited_record
        path = edited_record(project)[0]
    site_dir = Path(tempfile.mkdtemp(prefix="pdz-serve-profile-"))
    serve = ServeLike(project, site_dir)
    timer = StepTimer() if args.steps else None
    t, c = time.perf_counter(), cpu()
    serve.build()
    print(f"first build: {time.perf_counter() - t:.2f} s wall, {cpu() - c:.2f} s CPU, load {os.getloadavg()[0]:.2f}",
          flush=True)
    original = path.read_text(encoding="utf-8")
    try:
        for i in range(args.edits):
            serve.settle()
            if timer is not None:
                if not timer._undo:
                    timer.install()
                timer.times.clear()
            path.write_text(re.sub(r"^(titolo:\s*)", rf"\g<1>Modifica {i + 1} ", original, count=1, flags=re.M),
                            encoding="utf-8")
            profiler = cProfile.Profile() if args.profile and i == args.edits - 1 else None
            load = os.getloadavg()[0]
            t, c = time.perf_counter(), cpu()
            if profiler:
                profiler.enable()
            report = serve.build()
            if profiler:
                profiler.disable()
            shown, shown_cpu = time.perf_counter() - t, cpu() - c
            report["again"] = serve.settle()
            print(f"rebuild {i + 1}: page shown after {shown:.2f} s wall, {shown_cpu:.2f} s CPU; search and cache "
                  f"written after {time.perf_counter() - t:.2f} s wall, {cpu() - c:.2f} s CPU; load {load:.2f}"
                  + (" (under cProfile)" if profiler else "") + f"; {report}", flush=True)
            if timer is not None:
                timer.report()
            if profiler:
                stats = pstats.Stats(profiler)
                if args.dump:
                    stats.dump_stats(args.dump)
                table = stats.stats   # type: ignore[attr-defined]
                whole = max((v[3] for k, v in table.items() if k[2] == "build"), default=1.0)
                for label, suffix, name in STEPS:
                    total = sum(v[3] for k, v in table.items() if k[0].endswith(suffix) and k[2] == name.split(".")[-1])
                    print(f"  {label:36s} {total:7.2f} s {100 * total / whole:5.1f}%")
                stats.sort_stats("cumulative").print_stats(r"macros/pdz|mkdocs/(commands|structure)", 60)
    finally:
        path.write_text(original, encoding="utf-8")
        serve.stop()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
