"""Profile one strict build with cProfile and summarise where the time goes.

Two views: self time grouped by package ("whose code is running") and the inclusive time of
the build phases ("which step is slow"). cProfile inflates pure-Python code more than C code,
so the shares matter more than the absolute seconds.
"""
from __future__ import annotations

import pstats
from pathlib import Path

from pdz_dev.bench.measure import run_build

# (label, predicate on the function's file name) — first match wins
PACKAGES = [
    ("ours: macros/pdz (plugin, loader, render, open data)", lambda f: "/macros/pdz/" in f),
        ("PyYAML (Python side: constructor, resolver, pure-Python fallback)", lambda f: "/site-packages/yaml/" in f),
    ("jsonschema + referencing", lambda f: any(p in f for p in ("/jsonschema/", "/referencing/", "/rpds"))),
    ("fastjsonschema (compiled validators)", lambda f: "/fastjsonschema/" in f or f == "<string>"),
    ("Material search plugin", lambda f: "/material/plugins/search/" in f),
    ("mkdocs-macros plugin", lambda f: "/mkdocs_macros/" in f),
    ("Material (theme, other plugins)", lambda f: "/site-packages/material/" in f),
    ("Python-Markdown + pymdownx", lambda f: "/site-packages/markdown/" in f or "/pymdownx/" in f),
    ("Jinja2 + MarkupSafe + templates", lambda f: "/jinja2/" in f or "/markupsafe/" in f or f.endswith(".html")),
    ("MkDocs core", lambda f: "/site-packages/mkdocs/" in f),
    ("stdlib html.parser (used by Markdown and search)", lambda f: f.endswith(("html/parser.py", "_markupbase.py"))),
    ("stdlib (re, pathlib, json...) and unattributed built-ins", lambda f: True),
]

# (label, file suffix, function name) — inclusive (cumulative) time
PHASES = [
    ("on_config (our plugin: the assembly, total)", "pdz/plugin/plugin.py", "on_config"),
    ("  load_content: read + YAML + schema + integrity", "pdz/content/loader.py", "load_content"),
    ("    yamlsafe.load (YAML parsing)", "pdz/content/yamlsafe.py", "load"),
    ("    check_schema (JSON Schema validation)", "pdz/content/schemacheck.py", "check_schema"),
    ("    check_integrity", "pdz/content/integrity.py", "check_integrity"),
    ("    Catalog() indices", "pdz/content/catalog.py", "__init__"),
    ("  last_changes (git log)", "pdz/content/gitdates.py", "last_changes"),
    ("  read_history (every record's changes: git log, messages, versions)", "pdz/domain/changes.py", "read_history"),
    ("  build_pages (render all generated pages)", "pdz/render/__init__.py", "build_pages"),
    ("    IndexPages.network (partners of each Ambito)", "pdz/render/indices.py", "network"),
    ("  printable_documents (printable plans in parts)", "pdz/render/printable.py", "printable_documents"),
    ("    printable._to_html", "pdz/render/printable.py", "_to_html"),
    ("  export_files (open data)", "pdz/opendata/tables.py", "export_files"),
    ("TextRenderer.block (Markdown + nh3 of fields, all callers)", "pdz/html/text.py", "block"),
    ("on_files (our plugin)", "pdz/plugin/plugin.py", "on_files"),
    ("macros plugin on_page_markdown", "mkdocs_macros/plugin.py", "on_page_markdown"),
    ("MkDocs _populate_page (Markdown → HTML, all pages)", "mkdocs/commands/build.py", "_populate_page"),
    ("  Markdown HTML-block preprocessor", "markdown/preprocessors.py", "run"),
    ("MkDocs _build_page (templates + page_context)", "mkdocs/commands/build.py", "_build_page"),
    ("  Jinja2 template render", "jinja2/environment.py", "render"),
    ("  search plugin on_page_context (HTML → index)", "material/plugins/search/plugin.py", "on_page_context"),
    ("  on_page_context (our plugin: dates, feeds, edit links)", "pdz/plugin/plugin.py", "on_page_context"),
    ("search plugin on_post_build (write index)", "material/plugins/search/plugin.py", "on_post_build"),
    ("MkDocs nav/get_navigation", "mkdocs/structure/nav.py", "get_navigation"),
    ("whole build()", "mkdocs/commands/build.py", "build"),
]


def profile(project: Path, work: Path, env_extra: dict | None = None) -> tuple[Path, float]:
    work.mkdir(parents=True, exist_ok=True)
    out = work / "build.prof"
    run = run_build(project, work / "site", work / "profile.log", env_extra,
                    python_args=["-m", "cProfile", "-o", str(out)])
    if run.returncode != 0:
        raise SystemExit("profiled build failed:\n" + run.log)
    return out, run.wall


def summarise(prof: Path, top: int = 25) -> str:
    stats = pstats.Stats(str(prof))
    raw = stats.stats  # (file, line, name) -> (cc, nc, tt, ct, callers)
    total = sum(v[2] for v in raw.values())
    by_pkg: dict[str, float] = {label: 0.0 for label, _ in PACKAGES}
    def package(filename: str) -> str:
        return next(label for label, pred in PACKAGES if pred(filename))

    for (filename, _line, _name), (_cc, _nc, tt, _ct, callers) in raw.items():
        if filename == "~" and callers:
            # a built-in (re.match, str.join, nh3.clean...): charge it to whoever called it
            for (caller_file, _l, _n), value in callers.items():
                by_pkg[package(caller_file)] += value[2]
        else:
            by_pkg[package(filename)] += tt
    lines = [f"Profiled build: {total:.1f} s of self time under cProfile.", "",
             "**Self time by package** (whose code runs; a built-in such as `re.match` or `nh3.clean` "
             "is charged to the package that called it)", "",
             "| package | self time | share |", "|---|---:|---:|"]
    for label, tt in sorted(by_pkg.items(), key=lambda x: -x[1]):
        if tt >= 0.005 * total:
            lines.append(f"| {label} | {tt:.2f} s | {100 * tt / total:.0f}% |")
    build_total = None
    phase_rows = []
    for label, suffix, name in PHASES:
        ct = sum(v[3] for (f, _l, n), v in raw.items() if n == name and f.endswith(suffix))
        if label == "whole build()":
            build_total = ct
        phase_rows.append((label, ct))
    lines += ["", "**Build phases** (inclusive time; indented rows are part of the row above)", "",
              "| phase | time | share of build() |", "|---|---:|---:|"]
    for label, ct in phase_rows:
        if ct <= 0:
            continue
        share = f"{100 * ct / build_total:.0f}%" if build_total else ""
        lines.append(f"| {label.replace('  ', '&nbsp;&nbsp;')} | {ct:.2f} s | {share} |")
    converts = [(k, v) for k, v in raw.items() if k[0].endswith("markdown/core.py") and k[2] == "convert"]
    if converts:
        lines += ["", "**Python-Markdown `convert` by caller** (who pays for Markdown → HTML)", "",
                  "| caller | calls | inclusive time |", "|---|---:|---:|"]
        by_caller = {}
        for _key, (_cc, _nc, _tt, _ct, callers) in converts:
            for (cf, cl, cn), value in callers.items():
                entry = by_caller.setdefault(f"`{_short(cf)}:{cl}({cn})`", [0, 0.0])
                entry[0] += value[1]
                entry[1] += value[3]
        for label, (calls, ct) in sorted(by_caller.items(), key=lambda x: -x[1][1]):
            lines.append(f"| {label} | {calls} | {ct:.2f} s |")
    lines += ["", f"**Top {top} functions by self time**", "", "| function | calls | self | cumulative |",
              "|---|---:|---:|---:|"]
    rows = sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]
    for (filename, line, name), (_cc, nc, tt, ct, _callers) in rows:
        lines.append(f"| `{_short(filename)}:{line}({name})` | {nc} | {tt:.2f} s | {ct:.2f} s |")
    return "\n".join(lines)


def _short(filename: str) -> str:
    for marker in ("/site-packages/", "/macros/", "/lib/python3"):
        if marker in filename:
            tail = filename.split(marker, 1)[1]
            return ("macros/" + tail) if marker == "/macros/" else tail
    return filename
