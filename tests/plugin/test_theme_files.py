"""The list of the theme's files MkDocs gets is the one Jinja would give:
- every build lists them without entering the theme's hidden folders, which MkDocs' filter
  drops whole (pdz.plugin.theme.list_theme_files_without_hidden_folders);
- ``mkdocs serve`` keeps the list from one build to the next
  (pdz.plugin.theme.remember_theme_files), and a file added to the site's own theme folder
  (overrides/) is in the next one."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import material
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from pdz.plugin import theme
from pdz.plugin.theme import list_theme_files_without_hidden_folders, remember_theme_files
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


def test_the_static_files_of_the_theme_are_those_mkdocs_finds_walking_every_folder(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    (project / "overrides").unlink()
    shutil.copytree(ROOT / "overrides", project / "overrides")
    (project / "overrides" / ".nascosta").mkdir()
    (project / "overrides" / ".nascosta" / "a.css").write_text("p{}", encoding="utf-8")
    (project / "overrides" / ".b.css").write_text("p{}", encoding="utf-8")

    def static_files(skip_hidden: bool) -> list:
        config = load_config(str(project / "mkdocs.yml"))
        if skip_hidden:
            list_theme_files_without_hidden_folders(config.theme)
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        return [(f.src_uri, f.abs_src_path) for f in files]

    walked = static_files(False)
    entered: list = []
    real_walk = os.walk

    def walk(top, **options):
        for folder, subfolders, names in real_walk(top, **options):
            entered.append(Path(folder).relative_to(top).parts)
            yield folder, subfolders, names

    monkeypatch.setattr(theme.os, "walk", walk)
    assert len(walked) > 20 and static_files(True) == walked
    assert ".icons" in [p.name for p in Path(material.__file__).parent.joinpath("templates").iterdir()]
    assert entered and not [f for f in entered if any(part.startswith(".") for part in f)]   # nor Material's .icons/
    # another filter than MkDocs' is given Jinja's own list
    config = load_config(str(project / "mkdocs.yml"))
    list_theme_files_without_hidden_folders(config.theme)
    assert ".nascosta/a.css" in config.theme.get_env().list_templates(filter_func=static_only)
