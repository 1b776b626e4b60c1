"""``mkdocs serve`` keeps the list of the theme's files from one build to the next
(pdz.plugin.theme.remember_theme_files): the list MkDocs gets is the one Jinja would give,
and a file added to the site's own theme folder (overrides/) is in the next one."""
from __future__ import annotations

import shutil

from mkdocs.config import load_config

from pdz.plugin.theme import remember_theme_files
from pdz_dev.project import ROOT, make_project


def static_only(name: str) -> bool:   # a filter as MkDocs passes one (Files.add_files_from_theme)
    return not name.endswith(".html")


def test_the_theme_files_kept_by_serve_are_those_jinja_lists(tmp_path):
    project = make_project(tmp_path)
    (project / "overrides").unlink()
    shutil.copytree(ROOT / "overrides", project / "overrides")
    memo: dict = {}

    def listing(remember: bool) -> list:
        theme = load_config(str(project / "mkdocs.yml")).theme
        if remember:
            remember_theme_files(theme, memo)
        return theme.get_env().list_templates(filter_func=static_only)

    fresh = listing(False)
    assert len(fresh) > 1000 and listing(True) == fresh and memo
    assert listing(True) == fresh   # the second build: from the memo
    (project / "overrides" / "assets").mkdir(exist_ok=True)
    (project / "overrides" / "assets" / "nuovo.css").write_text("p{}", encoding="utf-8")
    fresh = listing(False)
    assert "assets/nuovo.css" in fresh and listing(True) == fresh
