"""requirements-check.txt: the part of requirements.txt that ``make check`` needs (issue #24).

``make check`` (what an editor's pull request runs first) loads mkdocs.yml through the plugin
and assembles the site without building it: MkDocs, Material, mkdocs-macros, the YAML, schema
and Markdown libraries, rdflib for the catalogue. On a fresh machine it installs those and what
they require (about 40 packages), not the whole set of the tests and the build (about 90:
Playwright, Pagefind's binary, frictionless, mypy, ...), so that a first check takes a fraction of
the time. The file is made from requirements.txt (the same lines, hashes included) and the
requirements the installed packages declare; tests/test_dependencies.py checks it is up to date.

    .venv/bin/python -P -m pdz_dev.check_requirements   # writes requirements-check.txt again
"""
from __future__ import annotations

import importlib.metadata
import re

from packaging.requirements import Requirement

from pdz_dev.project import ROOT

# What pdz.commands.check imports (directly, or through mkdocs.yml's plugins and extensions), and
# setuptools, which the editable install of the package needs (--no-build-isolation).
ROOTS = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "pyyaml", "fastjsonschema", "nh3", "markdown-it-py",
         "rdflib", "brotli", "setuptools")
HEADER = ("# Generated from requirements.txt by pdz_dev.check_requirements: what `make check` installs\n"
          "# (the same pins and hashes). Do not edit; run `.venv/bin/python -P -m pdz_dev.check_requirements`.\n")


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def blocks() -> dict[str, str]:
    """name -> its whole entry (with the hash lines) in requirements.txt."""
    found: dict[str, str] = {}
    current = None
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines(keepends=True):
        if line.strip() and not line.startswith((" ", "\t", "#")):
            current = normal(re.split(r"[=\[\s]", line, maxsplit=1)[0])
            found[current] = ""
        if current is not None and not line.startswith("#"):
            found[current] += line
    return found


def closure() -> list[str]:
    """ROOTS and every package they require (with the markers of this Python), by name."""
    seen: set[str] = set()
    todo = list(ROOTS)
    while todo:
        name = normal(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        for spec in importlib.metadata.requires(name) or []:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return sorted(seen)


def text() -> str:
    entries = blocks()
    return HEADER + "".join(entries[name] for name in closure())


if __name__ == "__main__":
    (ROOT / "requirements-check.txt").write_text(text(), encoding="utf-8")
