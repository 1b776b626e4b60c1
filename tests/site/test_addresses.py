"""Reserved addresses: no record may take an address already in use (a hand-written page, a
generated index, an asset, data or search folder, another record), in ``make check`` and in the
build; the MkDocs glue refuses two files with the same address whatever the cause."""
from __future__ import annotations

import shutil

import pytest

from pdz_dev.project import assembled, FIXTURES, ROOT, build, build_in_process, make_project, write
from pdz.site.addresses import SITE_FOLDERS
from pdz.commands.check import check
from pdz.content.docs_pages import docs_files
from pdz.content.problems import ERROR

# Ambito folder names that would take an address already in use, derived from what exists:
# the hand-written pages and folders of docs/, and the generated shared sections.
DOCS_NAMES = sorted({src.split("/")[0].removesuffix(".md") for src in docs_files(ROOT)} - {"index"})
SHARED_SECTIONS = ["ambiti", "aree", "partner", "glossario", "fonti", "destinatari", "redazione", "dati"]
THEME_NAMES = sorted(name.rstrip("/") for name in SITE_FOLDERS if "." not in name)


def add_ambito(project, name: str):
    """A copy of the fixture's Ambito 'prova' under another folder name."""
    content = project / "content" / "ambiti"
    shutil.copytree(content / "prova", content / name)
    for path in (content / name).rglob("*.*"):
        path.write_text(path.read_text(encoding="utf-8").replace("prova/", f"{name}/"), encoding="utf-8")


def errors(project, ambito=None):
    _, problems = check(project, ambito)
    return [p for p in problems if p.severity == ERROR]


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path, FIXTURES / "valid")


def test_the_reserved_names_are_found(project):
    assert {"privacy", "guida", "note-legali", "dati-aperti", "assets"} <= set(DOCS_NAMES)
    assert errors(project) == []


USED_NAMES = sorted(set(DOCS_NAMES + SHARED_SECTIONS + THEME_NAMES))


@pytest.fixture(scope="module")
def every_used_name_taken(tmp_path_factory):
    """The errors of one check of a project with an Ambito named after each address in use
    (USED_NAMES): the check answers for each Ambito from its own files, so one check of the
    project answers every case (18 checks of the fixture tree with one Ambito added cost about
    4.5 s of CPU, this one 1.8 s), and no case's error can hide another's."""
    project = make_project(tmp_path_factory.mktemp("taken"), FIXTURES / "valid")
    for name in USED_NAMES:
        add_ambito(project, name)
    return errors(project)


@pytest.mark.parametrize("name", USED_NAMES)
def test_an_ambito_cannot_take_a_used_address(every_used_name_taken, name):
    every = every_used_name_taken
    found = [e for e in every if e.path.startswith(f"content/ambiti/{name}/")]
    assert found, f"Ambito '{name}' accepted"
    # every error is in the ambito.yaml of an Ambito added (here, of this one): no other file has one
    assert {e.path for e in every} == {f"content/ambiti/{n}/ambito.yaml" for n in USED_NAMES}, [e.format() for e in every]
    assert f"'{name}/'" in found[0].message and "già" in found[0].message
    assert "rinomina" in found[0].hint


@pytest.mark.parametrize("rel", ["partner/pagina-2.yaml", "fonti/pagina-3.yaml", "ambiti/prova/2021-2023/obiettivi/pagina-2.md",
                                 "ambiti/prova/2021-2023/valutazioni/pagina-12.md"])
def test_a_record_cannot_take_the_address_of_a_list_page(project, rel):
    source = {"partner": "partner/asst-prova.yaml", "fonti": "fonti/doc-prova.yaml",
              "obiettivi": "ambiti/prova/2021-2023/obiettivi/01-casa.md", "valutazioni": "ambiti/prova/2021-2023/valutazioni/01-portale.md"}
    folder = rel.split("/")[-2]
    write(project, rel, (project / "content" / source[folder]).read_text(encoding="utf-8"))
    found = [e for e in errors(project) if "riservato" in e.message]
    assert [e.path for e in found] == [f"content/{rel}"], [e.format() for e in errors(project)]


def test_the_single_ambito_check_refuses_too(project):
    add_ambito(project, "guida")
    assert errors(project, "guida")


def test_the_build_refuses_an_ambito_named_like_a_page(project, tmp_path):
    add_ambito(project, "privacy")
    result = build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "content/ambiti/privacy/ambito.yaml" in output, output[-3000:]
    assert "'privacy/' è già usato da la pagina scritta a mano docs/privacy.md" in output
    assert "Traceback" not in output


def test_the_glue_refuses_two_files_with_one_address(project, tmp_path, monkeypatch):
    """Last guard, with the checks switched off: MkDocs would otherwise write one over the other."""
    from mkdocs.exceptions import Abort
    import pdz.site.assembly
    add_ambito(project, "privacy")
    monkeypatch.setattr(pdz.site.assembly, "address_problems", lambda outputs, catalog: [])
    with pytest.raises(Abort, match="stesso indirizzo: privacy/index.html"):
        build_in_process(project, tmp_path / "site", monkeypatch)


def test_the_address_check_knows_every_top_level_entry_of_the_real_build(real_site):
    """Everything the build publishes at the top of the site is known to the address check
    (SITE_FOLDERS lists what the theme and plugins write; the rest comes from what produces it)."""
    from pdz.site.addresses import site_outputs
    site = assembled()
    known = {o.path.split("/")[0] for o in site_outputs(ROOT, site.pages, site.exports, site.catalog)}
    assert sorted(p.name for p in real_site.iterdir() if p.name not in known) == []
