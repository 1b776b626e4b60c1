"""The package's layers are its folders, and imports only go down (issue #24).

    html      safe HTML primitives (escaping, Markdown to sanitised HTML, tables, CSP)
    content   the model, strict YAML, the schemas, validation, loading, the catalog
    domain    facts derived from the catalog (budgets, monitoring, fidelity, coverage)
    render | opendata | editor    pages; open-data files; the web editor's tools (siblings)
    site      the one assembly of the site, the search index, per-page steps
    plugin    the MkDocs plugin: its typed options, its events, the macros of docs/ pages
    commands  the command-line entry points (make check reads mkdocs.yml through the plugin)

A module may import its own folder and any folder of a lower layer, never a sibling or a higher
one; only ``pdz.plugin`` imports MkDocs or its plugins; nothing in ``pdz`` imports the test and
benchmark helpers (``pdz_dev``). Checked on the source (every ``import``, also inside functions).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pdz

PACKAGE = Path(pdz.__file__).resolve().parent
LAYERS = [("html",), ("content",), ("domain",), ("render", "opendata", "editor"), ("site",), ("plugin",), ("commands",)]
RANK = {folder: rank for rank, folders in enumerate(LAYERS) for folder in folders}
GENERATOR = ("mkdocs", "material", "mkdocs_macros")


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import of a source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(("pdz",) + path.relative_to(PACKAGE).parent.parts)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append((node.lineno, module))
            out += [(node.lineno, f"{module}.{alias.name}") for alias in node.names if module == "pdz"]
    return out


def modules():
    return sorted(p for p in PACKAGE.rglob("*.py"))


def folder_of(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def test_every_module_lives_in_a_layer_folder():
    loose = [p.name for p in modules() if folder_of(p) is None and p.name != "__init__.py"]
    assert loose == [], f"modules outside the layer folders: {loose}"
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(RANK)


def test_imports_only_go_down():
    wrong = []
    for path in modules():
        own = folder_of(path)
        for line, module in imports(path):
            parts = module.split(".")
            if parts[0] == "pdz_dev":
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {module} (test and benchmark helpers)")
            if parts[0] != "pdz" or len(parts) < 2 or parts[1] not in RANK or own is None:
                continue
            target = parts[1]
            if target != own and RANK[target] >= RANK[own]:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {module} ({own} may not import {target})")
    assert wrong == [], "\n".join(wrong)


def test_only_the_plugin_knows_the_site_generator():
    wrong = [f"{path.relative_to(PACKAGE)}:{line}: {module}" for path in modules() if folder_of(path) != "plugin"
             for line, module in imports(path) if module.split(".")[0] in GENERATOR]
    assert wrong == [], "\n".join(wrong)


def test_the_rule_catches_an_upward_import(tmp_path):
    """The check itself: an import from content up to render is reported."""
    probe = PACKAGE / "content" / "_probe_upward.py"
    probe.write_text("from pdz.render.base import Page\n", encoding="utf-8")
    try:
        found = [m for _, m in imports(probe)]
        assert "pdz.render.base" in found
        own, target = folder_of(probe), "pdz.render.base".split(".")[1]
        assert RANK[target] >= RANK[own]
    finally:
        probe.unlink()
