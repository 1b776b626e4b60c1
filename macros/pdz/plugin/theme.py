"""The theme's files as the site publishes them (used by ``pdz.plugin.plugin``): Material's
stylesheet trimmed of what the site never shows, our own scripts and stylesheets minified, the
theme's file list remembered across ``mkdocs serve`` rebuilds, the styles of the editor's
previews.
"""
from __future__ import annotations

import importlib
import os
from pathlib import Path

import jinja2
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File


def trimmed_theme_css(config, memo: dict | None = None) -> str:
    """Material's main stylesheet as installed, without the components this site never shows
    (pdz.site.theme_css). ``memo`` (mkdocs serve) keeps the last result by its inputs."""
    theme_css = importlib.import_module("pdz.site.theme_css")
    found = [path for folder in config.theme.dirs
             for path in sorted(Path(folder).glob("assets/stylesheets/main.*.min.css"))]
    if not found:
        raise Abort("Foglio di stile del tema Material non trovato (assets/stylesheets/main.*.min.css): "
                    "reinstalla le dipendenze con 'make .venv/.installed'.")
    custom = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    announce = custom is not None and any("block announce" in p.read_text(encoding="utf-8")
                                          for p in custom.rglob("*.html"))
    features = theme_css.SiteFeatures(
        features=config.theme.get("features") or [], plugins=list(config.plugins),
        extensions=[e if isinstance(e, str) else next(iter(e)) for e in config.markdown_extensions],
        extra=dict(config.extra or {}), announce=announce)
    inputs = (found[0].read_text(encoding="utf-8"), theme_css.unused_prefixes(features))
    if memo is not None and memo.get("inputs") == inputs:
        return memo["css"]
    css = theme_css.trim(*inputs)
    if memo is not None:
        memo.update(inputs=inputs, css=css)
    return css


def list_theme_files_without_hidden_folders(theme) -> None:
    """MkDocs lists the theme's files at every build to find its static ones
    (``Files.add_files_from_theme``): Jinja walks every file of the theme's folders, Material's
    14,000 icons in ``.icons/`` included (0.1 s of CPU, a twentieth of a small build), and MkDocs'
    filter then drops every name with a part that begins with a dot. Given that filter, the
    same list comes from a walk that does not enter folders whose name begins with a dot
    (tests/plugin/test_theme_files.py compares the two)."""
    def pruned(env, listing):
        loader = env.loader

        def list_templates(extensions=None, filter_func=None):
            if extensions is not None or not _drops_hidden_names(filter_func) or \
                    not isinstance(loader, jinja2.FileSystemLoader):
                return listing(extensions, filter_func)
            found: set[str] = set()
            for top in loader.searchpath:
                for folder, subfolders, names in os.walk(top, followlinks=loader.followlinks):
                    subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                    found.update(os.path.join(folder, name)[len(top):].strip(os.path.sep).replace(os.path.sep, "/")
                                 for name in names)
            return sorted(name for name in found if filter_func(name))
        return list_templates

    _wrap_listing(theme, pruned)


def _drops_hidden_names(filter_func) -> bool:
    """``filter_func`` is MkDocs' filter of the theme's static files, which refuses every name
    with a part that begins with a dot (its patterns '.*' and '*/.*')."""
    return getattr(filter_func, "__qualname__", "") == "Files.add_files_from_theme.<locals>.filter" and \
        not filter_func(".hidden/a.svg") and not filter_func("a/.hidden/b.svg")


def remember_theme_files(theme, memo: dict) -> None:
    """``mkdocs serve``: MkDocs lists the theme's files at every build to find its static ones
    (``Files.add_files_from_theme``: Jinja walks Material's 14,500 files and MkDocs matches each
    name against a dozen patterns). The list is kept by what it depends on: the theme's
    folders (the custom one's file names, the others' dates), the filter's code and the theme's
    static templates (what the filter reads)."""
    def remembered(env, listing):
        def list_templates(extensions=None, filter_func=None):
            custom = Path(theme.custom_dir) if theme.custom_dir else None
            folders = tuple((str(d), sorted(p.relative_to(d).as_posix() for p in Path(d).rglob("*"))
                             if custom is not None and Path(d) == custom else os.stat(d).st_mtime_ns)
                            for d in theme.dirs)
            key = repr((folders, extensions, getattr(filter_func, "__code__", filter_func),
                        sorted(theme.static_templates)))
            if memo.get("key") != key:
                memo.update(key=key, names=listing(extensions, filter_func))
            return list(memo["names"])
        return list_templates

    _wrap_listing(theme, remembered)


def _wrap_listing(theme, wrap) -> None:
    """Every Jinja environment the theme makes (MkDocs asks for a new one at each build) lists
    its templates through ``wrap(env, its own listing)``."""
    get_env = theme.get_env

    def env_with_listing():
        env = get_env()
        env.list_templates = wrap(env, env.list_templates)
        return env

    theme.get_env = env_with_listing


def minify_own_assets(files, config) -> None:
    """Publish our scripts and stylesheets (docs/assets/pdz*) minified (pdz.site.minify)."""
    minify = importlib.import_module("pdz.site.minify")
    for file in [f for f in files if minify.is_own_asset(f.src_uri) and f.abs_src_path]:
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        files.remove(file)
        files.append(File.generated(config, file.src_uri, content=minify.minified(file.src_uri, text)))


def admin_styles(config) -> list[str]:
    """The web editor's previews use the site's own styles: Material's and ours."""
    import material
    css = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    styles = ["../assets/stylesheets/" + p.name for p in sorted(css.glob("main.*.min.css"))]
    return styles + ["../" + str(path) for path in config.extra_css]
