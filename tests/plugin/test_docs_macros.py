"""docs/ cannot run Python: only the pages of one allow-list (MACRO_PAGES) may opt in to macros,
and both ``make check`` and the build refuse any other; CODEOWNERS guards code and templates."""
from __future__ import annotations

import shutil
import pytest

from pdz_dev.project import FIXTURES, ROOT, build, build_in_process, make_project
from pdz.commands.check import check
from pdz.content.docs_pages import MACRO_PAGES, macro_problems

PAYLOAD = "{{ lipsum.__globals__['os'].popen('touch PWNED').read() }}\n"
OPT_INS = {   # how a page may ask mkdocs-macros to render it
    "true": "render_macros: true", "True": "render_macros: True", "one": "render_macros: 1",
    "quoted true": 'render_macros: "true"', "list": "render_macros: [1]",
    "yes (YAML 1.1)": "render_macros: yes", "unreadable header": "render_macros: true\n  x: [",
}
PLACES = ["nuova.md", "sezione/nuova.md", "sezione/index.md", ".nascosta.md"]


def _project(folder):
    project = make_project(folder, FIXTURES / "valid")
    (project / "docs").unlink()
    shutil.copytree(ROOT / "docs", project / "docs")
    return project


@pytest.fixture
def project(tmp_path):
    return _project(tmp_path)


def add_page(project, rel, header):
    path = project / "docs" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: Prova\n{header}\n---\n\n# Prova\n\n{PAYLOAD}", encoding="utf-8")


def test_the_real_docs_use_macros_only_where_allowed():
    assert macro_problems(ROOT) == []
    assert MACRO_PAGES == {"index.md", "dati-aperti.md", "accessibilita.md", "privacy.md", "segnalazioni.md", "note-legali.md"}


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """The problems ``make check`` finds in a project with a page at each of PLACES asking for
    macros with ``header``, one check per header: the check answers for each page from the page
    itself, so one check answers the four places (28 checks of the fixture tree cost about 7 s of
    CPU, 7 checks 2 s), and no page's problem can hide another's."""
    found: dict = {}

    def problems(header: str) -> list:
        if header not in found:
            project = _project(tmp_path_factory.mktemp("opt-in"))
            for rel in PLACES:
                add_page(project, rel, header)
            found[header] = check(project)[1]
        return found[header]
    return problems


@pytest.mark.parametrize("header", OPT_INS.values(), ids=OPT_INS.keys())
@pytest.mark.parametrize("rel", PLACES)
def test_make_check_refuses_a_page_that_opts_in_without_being_allowed(checked, rel, header):
    found = [p for p in checked(header) if p.path == f"docs/{rel}"]
    assert found and found[0].line >= 2, found


def test_a_page_may_say_false_or_nothing(project):
    add_page(project, "nuova.md", "render_macros: false")
    add_page(project, "altra.md", "")
    assert macro_problems(project) == []


def test_the_build_refuses_it_and_runs_nothing(project, tmp_path):
    add_page(project, "guida.md", "render_macros: true")
    result = build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "docs/guida.md:3: render_macros" in output, output[-3000:]
    assert not (project / "PWNED").exists()


def test_the_page_hook_refuses_it_even_with_the_check_switched_off(project, tmp_path, monkeypatch):
    from mkdocs.exceptions import Abort
    import pdz.site.assembly
    monkeypatch.setattr(pdz.site.assembly, "macro_problems", lambda root: [])
    add_page(project, "guida.md", "render_macros: 1")
    with pytest.raises(Abort, match="guida.md: render_macros non ammesso"):
        build_in_process(project, tmp_path / "site", monkeypatch)
    assert not (project / "PWNED").exists()


def test_the_build_refuses_macros_rendered_by_default(project, tmp_path):
    (project / "mkdocs.yml").unlink()
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "render_by_default: false" in config
    (project / "mkdocs.yml").write_text(config.replace("render_by_default: false", "render_by_default: true"),
                                        encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0 and "render_by_default: false" in result.stdout + result.stderr


def test_codeowners_guard_code_templates_schemas_and_ci():
    """With CODEOWNERS' own rules (tests/test_codeowners.py checks every path)."""
    from pdz_dev.codeowners import owners_of, rules
    table = rules()
    for path in ("docs/index.md", "macros/pdz/docs_pages.py", "schemas/_defs.schema.json", "overrides/main.html",
                 "mkdocs.yml", "Makefile", ".github/workflows/pubblica.yml", ".ci/run", "requirements.txt",
                 "package-lock.json"):
        assert owners_of(path, table), f"{path} has no code owner"
    assert not owners_of("content/partner/x.yaml", table) and not owners_of("redirects.yaml", table)
