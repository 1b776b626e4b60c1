"""The plain floor: the same pages as plain Markdown files, built by stock MkDocs + Material.

The page texts are exactly what our hooks hand to MkDocs (``pdz.render.build_pages``), the
two hand-written pages are pre-rendered with the same macros, and the open-data files are
plain static files. The config is ours minus ``hooks``, the ``macros`` plugin and the theme
``custom_dir``; the navigation is the same list our ``on_config`` computes. What remains is
the cost MkDocs + Material + search pay for these pages anyway: the floor we cannot go below.
"""
from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import jinja2
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "macros") not in sys.path:
    sys.path.insert(0, str(ROOT / "macros"))

from pdz import site_state  # noqa: E402
from pdz.export import export_files  # noqa: E402
from pdz.render import build_pages, navigation  # noqa: E402

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


class _FakeEnv:
    """Just enough of mkdocs-macros' env for ``define_env`` to register its macros."""

    def __init__(self):
        self.variables: dict = {}
        self.macros: dict = {}

    def macro(self, fn):
        self.macros[fn.__name__] = fn
        return fn


class _PageStub:
    def __init__(self, url: str):
        self.url = url


def _load_macros() -> _FakeEnv:
    spec = importlib.util.spec_from_file_location("pdz_bench_macros", ROOT / "macros" / "mkdocs_macros.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    env = _FakeEnv()
    module.define_env(env)
    return env


def _page_url(rel: str) -> str:
    """use_directory_urls: index.md → '', a/b.md → 'a/b/'."""
    stem = rel[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def make_plain_project(tree: Path, dest: Path) -> tuple[Path, int]:
    """Write the plain project for the content tree ``tree``. Returns (project, markdown pages)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    state = site_state.load(tree)
    if state.errors:
        raise SystemExit("content invalid for the plain floor:\n" + "\n".join(p.format() for p in state.errors[:20]))
    state.pages = build_pages(state.catalog)
    state.exports = export_files(state.catalog, config.get("site_url") or "/")

    project = dest
    docs = project / "docs"
    docs.mkdir(parents=True)
    count = 0
    macro_env = _load_macros()
    for path in sorted((ROOT / "docs").rglob("*")):
        if path.is_dir():
            continue
        rel = path.relative_to(ROOT / "docs").as_posix()
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix != ".md":
            shutil.copyfile(path, target)
            continue
        count += 1
        text = path.read_text(encoding="utf-8")
        match = _FRONT.match(text)
        meta = yaml.safe_load(match.group(1)) if match else {}
        if meta.get("render_macros"):
            macro_env.variables["page"] = _PageStub(_page_url(rel))
            body = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(text[match.end():]) \
                .render(**macro_env.macros)
            text = text[:match.end()] + body
        target.write_text(text, encoding="utf-8")
    for page in state.pages:
        target = docs / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown(), encoding="utf-8")
        count += 1
    for rel, data in state.exports.items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    config.pop("hooks", None)
    config["theme"].pop("custom_dir", None)
    config["plugins"] = [p for p in config["plugins"]
                         if not (p == "macros" or (isinstance(p, dict) and "macros" in p))]
    config["nav"] = navigation(state.catalog, (config.get("extra") or {}).get("pdz_static_nav") or [])
    # our hooks mark generated pages NOT_IN_NAV; a plain docs dir says the same with this setting
    config.setdefault("validation", {})["omitted_files"] = "info"
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    return project, count
