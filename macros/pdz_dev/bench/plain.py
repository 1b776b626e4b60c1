"""The floors: the same pages as plain Markdown files, built by stock MkDocs + Material.

To follow whatever our plugins generate (the code changes while the content is migrated), the
page texts are captured from MkDocs itself, in-process: our config is loaded and the plugin
events up to ``on_files``/``on_nav`` are run (our plugins load the content and add the generated
pages, the macros plugin registers its macros), then every documentation page goes through
``on_page_markdown`` (the macros plugin renders the hand-written pages that opt in). The
resulting Markdown (front matter + body) and every generated or static file are written into
a plain ``docs/``. The plain configurations are ours without our plugin and the ``macros``
plugin (same theme, template overrides, features and Markdown extensions), with the navigation
our ``on_config`` computed:

- ``mkdocs.yml``: no search plugin. The fair floor is this build followed by the same Pagefind
  step a user of stock Material + Pagefind runs over the built site (``FAIR_SEARCH``, with our
  Pagefind options: the article of each page, as our template marks it);
- ``mkdocs-lunr.yml``: with Material's built-in search (lunr, Italian), the search our site had
  before Pagefind.

What remains is the cost MkDocs + Material + a search pay for these pages anyway: the floor we
cannot go below.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

from pdz_dev.bench.measure import wrap_attribute



# Functions of ours timed during the capture (module, attribute, label). The capture runs our
# on_config in this process without a profiler, so these are real timings. Each entry is
# patched where the caller looks the name up; missing names (the code changes) are skipped.
TIMED = [
    ("pdz.site.assembly", "load_content", "load_content (read, YAML, schema, integrity)"),
    ("pdz.content.yamlsafe", "load", "  yamlsafe.load (YAML parsing)"),
    ("pdz.content.loader", "check_schema", "  check_schema (JSON Schema validation)"),
    ("pdz.content.loader", "check_integrity", "  check_integrity"),
    ("pdz.content.loader", "Catalog", "  Catalog (indices)"),
    ("pdz.site.assembly", "last_changes", "last_changes (git log)"),
    ("pdz.render", "build_pages", "build_pages (all generated pages)"),
    ("pdz.render.printable", "printable_documents", "printable_documents (printable plans in parts)"),
    ("pdz.render.printable", "_to_html", "  printable._to_html"),
    ("pdz.render.plans", "network", "plans.network (partners of an Ambito)"),
    ("pdz.html.text.TextRenderer", "block", "TextRenderer.block (Markdown + nh3 of fields, all callers)"),
    ("pdz.html.text.TextRenderer", "_convert", "  TextRenderer._convert (cache misses: each distinct text once)"),
    ("pdz.opendata.tables", "export_files", "export_files (open data)"),
    ("pdz.render", "navigation", "navigation"),
]


class Timers:
    """Accumulate the CPU time of our functions while a ``with Timers()`` block is active.

    The wrappers are installed once and never removed: MkDocs caches the hooks module per path
    (``_load_hook`` is lru_cached), so a hooks module loaded in an earlier capture keeps the
    names it imported; the wrappers record into whichever Timers is active, if any."""

    active: "Timers | None" = None

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def __enter__(self):
        _install()
        for label in _INSTALLED:
            self.seconds[label] = 0.0
            self.calls[label] = 0
        Timers.active = self
        return self

    def __exit__(self, *exc):
        Timers.active = None
        return False


_INSTALLED: list[str] = []


def _install() -> None:
    import time
    for dotted, attr, label in TIMED:
        if label in _INSTALLED:
            continue
        def make_wrapper(_f, _label=label):
            def wrapper(*args, **kwargs):
                timers = Timers.active
                if timers is None:
                    return _f(*args, **kwargs)
                start = time.process_time()
                try:
                    return _f(*args, **kwargs)
                finally:
                    timers.seconds[_label] = timers.seconds.get(_label, 0.0) + time.process_time() - start
                    timers.calls[_label] = timers.calls.get(_label, 0) + 1
            return wrapper
        try:
            wrap_attribute(dotted, attr, make_wrapper)
        except (ImportError, AttributeError):
            continue
        _INSTALLED.append(label)


def _without_ours(plugins: list) -> list:
    """The plugins list without our plugin (pdz) and the macros plugin."""
    return [p for p in plugins if not (p in ("macros", "pdz") or (isinstance(p, dict) and ({"macros", "pdz"} & set(p))))]


def capture(project: Path, env_extra: dict | None = None, timers: "Timers | None" = None):
    """Run our config up to the page Markdown. Returns (config, files, {src_uri: (meta, markdown)}).
    ``timers`` (optional) receives the wall time of the capture steps."""
    import time
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    old_cwd, old_env = os.getcwd(), dict(os.environ)
    os.environ.pop("PDZ_AMBITO", None)
    os.environ.update(env_extra or {})
    os.chdir(project)
    try:
        steps = timers.seconds if timers else {}
        start = time.process_time()
        config = load_config(config_file=str(project / "mkdocs.yml"))
        config.plugins.on_startup(command="build", dirty=False)
        mark = time.process_time()
        config = config.plugins.on_config(config)
        steps["on_config (all plugins and our plugin)"] = time.process_time() - mark
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        mark = time.process_time()
        files = config.plugins.on_files(files, config=config)
        steps["on_files (our plugin adds the generated files)"] = time.process_time() - mark
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        steps["capture up to on_nav"] = time.process_time() - start
        pages = {}
        mark = time.process_time()
        for file in files.documentation_pages():
            page = file.page
            if page is None:   # not reachable by get_navigation: create it as build() does
                from mkdocs.structure.pages import Page
                page = Page(None, file, config)
            page.read_source(config)
            markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            pages[file.src_uri] = (dict(page.meta), markdown)
        steps["read_source + on_page_markdown (all pages)"] = time.process_time() - mark
        return config, files, pages
    finally:
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)


def make_plain_project(tree: Path, dest: Path) -> tuple[Path, int, dict, object]:
    """Write the plain project for the content tree ``tree``.
    Returns (project, markdown pages, {step: seconds} of our code measured during the capture,
    the assembled site)."""
    with Timers() as timers:
        config, files, pages = capture(tree, timers=timers)
    docs = dest / "docs"
    docs.mkdir(parents=True)
    for file in files:
        target = docs / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.src_uri in pages:
            meta, markdown = pages[file.src_uri]
            meta.pop("render_macros", None)
            head = ("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n") if meta else ""
            target.write_text(head + markdown, encoding="utf-8")
        elif file.generated_by is not None:
            target.write_bytes(file.content_bytes)
        elif file.abs_src_path:
            shutil.copyfile(file.abs_src_path, target)

    from mkdocs.utils.yaml import yaml_load   # understands !ENV
    with open(tree / "mkdocs.yml", "rb") as handle:
        raw = yaml_load(handle)
    raw.pop("watch", None)     # serve-only, and its paths (content/...) do not exist here
    if raw["theme"].get("custom_dir"):   # same theme: keep our template overrides
        (dest / raw["theme"]["custom_dir"]).symlink_to((tree / raw["theme"]["custom_dir"]).resolve())
    plugins = [p for p in _without_ours(raw.get("plugins") or []) if not (p == "search" or (isinstance(p, dict) and "search" in p))]
    raw["nav"] = config.nav
    # our plugins mark generated pages NOT_IN_NAV; a plain docs dir says the same with this setting
    raw.setdefault("validation", {})["omitted_files"] = "info"
    raw["plugins"] = plugins   # the fair floor: no search plugin (Pagefind runs after the build)
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    raw["plugins"] = [{"search": {"lang": "it"}}] + plugins   # Material's own search (lunr)
    (dest / LUNR_CONFIG).write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dest, len(pages), dict(timers.seconds), config.plugins["pdz"].site


LUNR_CONFIG = "mkdocs-lunr.yml"


def fair_search_command(site: Path) -> list[str]:
    """The search step of stock Material + Pagefind: Pagefind over the built site, with the
    options of our index (pdz.site.search_index) and its own default allocator, as a user of stock
    Material would run it. Our build's allocator settings (search_index.ENVIRONMENT) save memory
    but cost Pagefind CPU time; giving them to the floor too made it about 15 s slower at N=100."""
    import sys
    from pdz.site.search_index import OPTIONS
    return [sys.executable, "-P", "-m", "pagefind", "--site", str(site), *OPTIONS]
