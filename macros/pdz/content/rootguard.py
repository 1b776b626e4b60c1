"""No code from the working tree runs unless it is the project's own package.

``python -m`` and ``python -c`` put the working directory first on ``sys.path``: a file
``yaml.py`` (or any name a tool imports: ``markdown.py``, ``conftest.py``, ``main.py`` for
mkdocs-macros...) added at the repository root by a pull request would run, with the rights of
whoever builds the site, instead of the library it shadows. Every entry point runs Python with
``-P`` / ``PYTHONSAFEPATH=1`` (the root is then never on ``sys.path``); on top of that the
project refuses to start while such a file is there, and says which one.

The project keeps no Python at its root (its code is under ``macros/``, ``tests/`` and
``benchmarks/``, whose folders have no ``__init__.py``): a root file or package that Python could
import is unknown by definition, unless listed in ``KNOWN``.
"""
from __future__ import annotations

# os and sys only: they are loaded before any module of the working directory could be, while
# this runs first (pdz/__init__.py) even when another library would be shadowed.
import os
import sys

# Root entries Python may import that belong to the project (none today).
KNOWN: frozenset[str] = frozenset()
# What ``import name`` finds in a folder on sys.path: source, bytecode kept beside it (a .pyc
# without its source is imported too), extension modules, and packages.
MODULE_SUFFIXES = (".py", ".pyc", ".pyo", ".pyw", ".so", ".pyd")
PACKAGE_MARKERS = tuple("__init__" + suffix for suffix in MODULE_SUFFIXES)
MESSAGE = ("'{name}' nella cartella principale del progetto è codice Python che non fa parte del progetto: "
           "Python lo eseguirebbe al posto della libreria con lo stesso nome")
HINT = "cancellalo o spostalo fuori dal progetto, poi riprova; il codice del sito sta solo in macros/"


def unknown_code(root) -> list[str]:
    """Names of the entries at ``root`` that Python could import and the project does not know."""
    found = []
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return []
    for entry in entries:
        if entry.name in KNOWN:
            continue
        if entry.name.endswith(MODULE_SUFFIXES) or ".cpython-" in entry.name:
            found.append(entry.name)
        elif entry.is_dir() and any(os.path.lexists(os.path.join(entry.path, m)) for m in PACKAGE_MARKERS):
            found.append(entry.name + "/")
    return found


def problems(root) -> list:
    """One error per unknown entry, for ``make check`` (and its annotations)."""
    from pdz.content.problems import Problem
    return [Problem(name, 0, "", MESSAGE.format(name=name), HINT) for name in unknown_code(root)]


def message(root) -> str:
    """The Italian refusal for every unknown entry, one per line ('' when there is none), as
    ``Problem.format`` writes it (without importing it: dataclasses could be the stray file)."""
    return "\n".join(f"{name}: (file): {MESSAGE.format(name=name)} ({HINT})" for name in unknown_code(root))


def refuse_to_start(root) -> None:
    """For the commands: print the refusal and exit (status 2) when ``root`` holds unknown code."""
    text = message(root)
    if text:
        print(text + "\nIl comando non è stato eseguito.", file=sys.stderr)
        raise SystemExit(2)


def working_directory_is_importable() -> bool:
    """True when Python itself put the working directory first on sys.path (started without
    ``-P`` as ``python -m`` or ``python -c``) and that directory is a project root (it has
    mkdocs.yml): then ``import yaml`` would look there first."""
    if sys.flags.safe_path or not sys.path:
        return False
    first, here = sys.path[0], os.getcwd()
    return (first in ("", ".") or os.path.abspath(first) == here) and os.path.exists(os.path.join(here, "mkdocs.yml"))
