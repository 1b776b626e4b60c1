"""CODEOWNERS owns every path but contributor data (content/, redirects.yaml).

The attack: CODEOWNERS listed the owned paths one by one, so a new file at the root (a
``yaml.py``, a ``.gitattributes``), ``fonti/`` or ``.vscode/`` needed no maintainer at all.
Every tracked path, and a few that a pull request could add, is matched with CODEOWNERS' own
rules: gitignore-style patterns, the last matching pattern wins, a pattern without owners leaves
the path unowned.
"""
from __future__ import annotations

import re
import subprocess

import pytest

from pdz_dev.codeowners import owners_of, pattern_regex, rules
from pdz_dev.project import ROOT

CONTRIBUTOR_DATA = re.compile(r"^(content/.*|redirects\.yaml)$")
# Paths a pull request could add: each must have an owner like the tracked ones.
NEW_PATHS = ["yaml.py", "conftest.py", "main.py", ".gitattributes", ".vscode/tasks.json", "fonti/997_x.txt",
             "pytest.ini", "pyproject.toml", "setup.cfg", "macros/pdz/nuovo.py", "docs/nuova.md",
             ".github/workflows/nuovo.yml", ".github/CODEOWNERS", "permalinks.txt", "fonti/README.md",
             "nuova-cartella/x.yaml", "content.py", "redirects.yaml.bak", "contenuti/x.md"]


def tracked_paths() -> list[str]:
    return subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n")[:-1]


def test_the_matcher_follows_githubs_examples():
    table = [(p, pattern_regex(p), o) for p, o in (("*", ["@all"]), ("*.js", ["@js"]), ("/build/logs/", ["@logs"]),
                                                    ("docs/*", ["@docs"]), ("apps/", ["@apps"]), ("/apps/github", []))]
    assert owners_of("README.md", table) == ["@all"]
    assert owners_of("src/a/b.js", table) == ["@js"]
    assert owners_of("build/logs/x/y.txt", table) == ["@logs"]
    assert owners_of("docs/getting-started.md", table) == ["@docs"]
    assert owners_of("docs/build-app/troubleshooting.md", table) == ["@all"]
    assert owners_of("x/apps/y.txt", table) == ["@apps"]
    assert owners_of("apps/github/z.txt", table) == []


def test_the_first_rule_owns_everything():
    table = rules()
    assert table[0][0] == "*" and table[0][2], "CODEOWNERS must start with a default owner for *"


@pytest.mark.parametrize("source", ["tracked", "new"])
def test_every_path_but_contributor_data_has_an_owner(source):
    table = rules()
    paths = tracked_paths() if source == "tracked" else NEW_PATHS
    assert len(paths) > (500 if source == "tracked" else 10)
    unowned = [p for p in paths if not CONTRIBUTOR_DATA.match(p) and not owners_of(p, table)]
    assert unowned == []


def test_only_contributor_data_is_exempt():
    table = rules()
    data = [p for p in tracked_paths() if CONTRIBUTOR_DATA.match(p)] + ["content/ambiti/x/ambito.yaml", "redirects.yaml"]
    assert [p for p in data if owners_of(p, table)] == []
