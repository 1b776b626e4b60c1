"""Throw-away projects that share the real code but have their own content, and their builds."""
from __future__ import annotations

import contextlib
import functools
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from pdz_dev import forkbuild

ROOT = Path(__file__).resolve().parents[2]   # the repository (the package is installed editable)
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"

PROJECT_PARTS = ("mkdocs.yml", "docs", "schemas", "overrides")
# What only someone writing a file needs (quotes, YAML's braces and brackets, field names with
# underscores, folders, true/false/null): never in what the web editor's form shows.
FILE_JARGON = re.compile(r"virgolett|[{}\[\]\"]|(?:^|[\s(])'|\b[a-z]+_[a-z_]+\b|content/|\b(?:null|true|false)\b"
                         r"|YAML|Markdown|<[a-z]+>")


def search_fragments(site: Path) -> list[dict]:
    """Pagefind's record of every page of ``site`` in its search index (gzip, a signature, then
    JSON: url, the page text its excerpts are cut from, title and filter values)."""
    out = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        out.append(json.loads(raw[raw.index(b"{"):]))
    return out


def run_main(main, argv: list[str], capsys) -> subprocess.CompletedProcess:
    """A command's ``main(argv)`` in this process, reported as ``subprocess.run(..., capture_output=True,
    text=True)`` reports the command started on its own: exit status (a SystemExit's too), stdout and
    stderr (read through pytest's ``capsys``). For tests of what a command says; a test of the process
    itself (no traceback, ``-P``, the root guard) starts it as a process."""
    capsys.readouterr()
    try:
        status = main(argv)
    except SystemExit as exit:
        status = exit.code
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(argv, status, out, err)


def make_project(tmp_path: Path, content_from: Path | None = None) -> Path:
    """A project dir that shares the real code but has its own content/."""
    project = tmp_path / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        (project / part).symlink_to(ROOT / part)
    if content_from is not None:
        shutil.copytree(content_from / "content", project / "content")
    return project


def write(project: Path, rel: str, text: str | bytes) -> Path:
    path = project / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def build(project: Path, site_dir: Path, env_extra: dict | None = None, forked: bool = True) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of ``project`` in a process of its own: a child of a process
    that has imported MkDocs and the package already (pdz_dev.forkbuild: half the CPU of a small
    tree's build), unless the build needs a Python started with other settings. ``forked=False``
    starts Python afresh, for a test of the process itself (what a new interpreter imports from
    the project's folder, what its temporary folder is)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env_extra or {}))
    args = ["build", "--strict", "--site-dir", str(site_dir)]
    if forked and forkbuild.forkable(env):
        return _BUILD_SERVER.build(project, args, env)
    return subprocess.run([sys.executable, "-P", "-m", "mkdocs", *args],
                          cwd=project, env=env, capture_output=True, text=True, timeout=1200)


_BUILD_SERVER = forkbuild.Server()   # one per test process, started by its first forked build


# Pagefind's filter chunks and the two files that name them are written in an order that changes
# from one run of Pagefind to the next (tests/site/test_determinism.py): ``assert_same_site``
# compares them by count; every other file byte for byte.
UNORDERED = re.compile(r"^pagefind/(filter/.*|pagefind\.[^/]*\.pf_meta|pagefind-entry\.json)$")


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and not UNORDERED.match(p.relative_to(site).as_posix())}


def assert_same_site(site: Path, expected: Path) -> None:
    """``site`` holds the files of ``expected``, with the same bytes, and no other file."""
    ours, theirs = site_files(site), site_files(expected)
    assert sorted(ours) == sorted(theirs), (f"only in {site}: {sorted(set(ours) - set(theirs))[:5]}; "
                                            f"only in {expected}: {sorted(set(theirs) - set(ours))[:5]}")
    different = [path for path in ours if ours[path] != theirs[path]]
    assert different == [], f"{len(different)} files differ, e.g. {different[:5]}"
    count = len([p for p in site.rglob("*") if p.is_file()])
    assert count == len([p for p in expected.rglob("*") if p.is_file()])


def build_in_process(project: Path, site_dir: Path, monkeypatch) -> None:
    """A build in this process (so a test can switch a check off with monkeypatch, to prove that
    the next guard holds); raises MkDocs' Abort when the build refuses."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    monkeypatch.chdir(project)
    mkdocs_build(load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir)))


# A deployment as the publishing workflow builds it (pubblica.yml: a build for publication, the
# repository's variables read by mkdocs.yml): its own public address, the body that owns the site,
# its e-mail and usage statistics. The name carries markup characters, which every place must escape.
# The address is not an example domain (a build for publication refuses those); nothing fetches it.
DEPLOYED_URL = "https://pianidizona.ufficio-prova.it/"
OWNER_ENV = {"PDZ_PUBBLICAZIONE": "true", "PDZ_SITE_URL": DEPLOYED_URL,
             "PDZ_ENTE_NOME": 'Ufficio di Piano "Prova" <b>& Co.</b>', "PDZ_ENTE_SITO": "https://ente.example.org/",
             "PDZ_ENTE_IPA": "c_prova", "PDZ_ENTE_EMAIL": "ufficio.piano@ente.example.org",
             "PDZ_ENTE_SUPERIORE_NOME": "Regione di Prova", "PDZ_ENTE_SUPERIORE_SITO": "https://regione.example.org/",
             "PDZ_MATOMO_URL": "https://statistiche.example.org/", "PDZ_MATOMO_SITE_ID": "7"}


# Figures of the outside checks (links, HTML validator, corpus...), printed after the test run
# (tests/conftest.py).
SUMMARY: dict[str, str] = {}


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def text_of(page: str) -> str:
    """Visible text of the article, tags removed and whitespace folded."""
    body = page[page.index("<article"):page.index("</article>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&#x27;", "'")


def env_tags() -> dict[str, tuple[str, object]]:
    """Every ``!ENV [VARIABLE, default]`` of mkdocs.yml: dotted option path (plugin options under
    ``pdz.``) -> (variable, default)."""
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_constructor("!ENV", lambda loader, node: ("!ENV", *loader.construct_sequence(node)))
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    data = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    found = {}

    def walk(value, path):
        if isinstance(value, tuple) and value[:1] == ("!ENV",):
            found[path] = (value[1], value[2])
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and set(item) == {"pdz"}:
                    walk(item["pdz"], "pdz")
    walk(data, "")
    return found


def mkdocs_config() -> dict:
    """mkdocs.yml as data; an ``!ENV [VARIABLE, default]`` value is its default."""
    class Loader(yaml.SafeLoader):   # ignore !!python/... tags MkDocs accepts
        pass
    Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def assembled(project: Path = ROOT, **overrides):
    """The site assembled as the build assembles it (settings read from the project's
    mkdocs.yml through the plugin), without building it. The real tree as it is is assembled
    once per process (several test files read it; none changes it)."""
    if project == ROOT and not overrides:
        return _real_assembly()
    return _assemble(project, **overrides)


@functools.cache
def _real_assembly():
    return _assemble(ROOT)


def real_content():
    """``load_content(ROOT)``, (catalog, problems) of the real tree as it is: loaded once per
    process (a load costs about 0.45 s of CPU and some twenty test files ask for one), each
    caller given a copy of its own (a fifth of a load), which it may change."""
    import copy
    return copy.deepcopy(_real_content())


@functools.cache
def _real_content():
    from pdz.content.loader import load_content
    return load_content(ROOT)


def _assemble(project: Path, **overrides):
    import dataclasses

    from pdz.plugin.plugin import load_settings
    from pdz.site.assembly import assemble
    settings, problems = load_settings(project / "mkdocs.yml")
    assert settings is not None, problems
    return assemble(dataclasses.replace(settings, **overrides))


def examples(full: int) -> int:
    """How many Hypothesis examples a property runs: all of them in ``make test``, a quarter in
    ``make test-fast`` (PDZ_TEST_TIER=fast), which is for quick feedback while editing."""
    return max(10, full // 4) if os.environ.get("PDZ_TEST_TIER") == "fast" else full


@contextlib.contextmanager
def schemas_copy(folder: Path):
    """Use a copy of schemas/ (in ``folder``) that a test may edit; restore the real ones after.
    Yields the copy's folder. Every cache of what was read from the schemas is dropped on the
    way in and out."""
    from pdz.content import schemacheck, schemas
    shutil.copytree(schemas.SCHEMA_DIR, folder)
    real = schemas.SCHEMA_DIR

    def forget():
        schemas.clear_caches()
        for cached in (schemacheck._registry, schemacheck.validator_for, schemacheck.fast_validator_for):
            cached.cache_clear()

    schemas.SCHEMA_DIR = folder
    forget()
    try:
        yield folder
    finally:
        schemas.SCHEMA_DIR = real
        forget()
