"""The hand-written part of the site (``docs/``): what it publishes, and which pages may run macros.

A page under ``docs/`` that says ``render_macros: true`` is a Jinja template with full Python
access. Only the pages in ``MACRO_PAGES`` may opt in; ``make check`` and the build
(``macros/mkdocs_hooks.py``) refuse any other page that asks for it. Adding a page here, like any
change to ``docs/`` or ``macros/``, needs a maintainer's review (``.github/CODEOWNERS``).
"""
from __future__ import annotations

from pathlib import Path

from pdz.content import yamlsafe
from pdz.content.loader import read_text, split_front_matter
from pdz.content.problems import Problem

DOCS_FOLDER = "docs"
# The only hand-written pages that are templates (paths under docs/). They print configuration
# values (site name, contact e-mail) and blocks built by macros/mkdocs_macros.py.
MACRO_PAGES = frozenset({"index.md", "dati-aperti.md", "accessibilita.md", "privacy.md", "segnalazioni.md", "note-legali.md"})


def may_render_macros(src_path: str) -> bool:
    return src_path in MACRO_PAGES


def asks_for_macros(meta: dict) -> bool:
    """Anything but a missing or false ``render_macros`` counts as asking (mkdocs-macros renders
    on ``render_macros == True``, so 1 and "1"-like values must not slip through)."""
    value = meta.get("render_macros")
    return not (value is None or value is False)


def docs_files(root: Path) -> list[str]:
    """Every file under docs/, as a path relative to docs/ (hidden files included: MkDocs
    skips them, but a hidden page still must not ask for macros)."""
    base = Path(root) / DOCS_FOLDER
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()) if base.is_dir() else []


def output_path(src_path: str) -> str:
    """Where MkDocs publishes a docs/ file (directory URLs): privacy.md -> privacy/index.html."""
    if not src_path.endswith(".md"):
        return src_path
    stem = src_path[:-3]
    if stem == "index" or stem.endswith("/index") or stem.upper() == "README" or stem.upper().endswith("/README"):
        return stem.rpartition("/")[0] + ("/" if "/" in stem else "") + "index.html"
    return stem + "/index.html"


def macro_problems(root: Path) -> list[Problem]:
    """docs/ pages that ask for macros without being in MACRO_PAGES, or whose header cannot be
    read (then nobody can tell whether they ask)."""
    problems = []
    for src in docs_files(root):
        if not src.endswith(".md"):
            continue
        rel = f"{DOCS_FOLDER}/{src}"
        text, problem = read_text(Path(root) / rel, rel)
        if problem is not None:
            problems.append(problem)
            continue
        split = split_front_matter(text)
        if split is None:
            continue
        parsed = yamlsafe.load(split[0], first_line=2)
        if parsed.issues:
            issue = parsed.issues[0]
            problems.append(Problem(rel, issue.line, "", f"intestazione YAML non leggibile: {issue.message}", issue.hint))
            continue
        meta = parsed.data if isinstance(parsed.data, dict) else {}
        if asks_for_macros(meta) and not may_render_macros(src):
            problems.append(Problem(
                rel, parsed.lines.get(("render_macros",), 2), "render_macros",
                "questa pagina chiede di eseguire le macro, ma non è tra le pagine ammesse",
                "togli 'render_macros'; se la pagina deve davvero usare le macro, uno sviluppatore "
                "la aggiunge a MACRO_PAGES in macros/pdz/docs_pages.py (con revisione dei maintainer)"))
    return problems
