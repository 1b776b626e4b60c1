"""Nothing an editor writes is silently lost (issue #11, hole 8): it is published, or refused
with a clear Italian message.

- '#' and '##' headings in contributor text become the top headings of their block (they
  vanished: the sanitiser ran before the heading shift);
- the body of a .md file whose kind has no body is refused (it was thrown away);
- hidden files and folders (names starting with '.') are refused (they were skipped unchecked);
- symbolic links are refused, wherever they point, loops included (they were followed outside
  the repository, and a loop gave "errore interno");
- a '---' inside a field written on several lines is text, not the end of the header (it gave
  the misleading "manca il campo 'fonti'").
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pdz_dev.project import FIXTURES, ROOT, SUMMARY, make_project, write
from pdz_dev.hostile import Generator, file_of
from pdz.content.loader import load_content
from pdz.content.model import KINDS
from pdz.content.problems import ERROR
from pdz.html.text import TextRenderer

SECTION = "---\ntitolo: \"Sezione\"\nfonti:\n  - documento: doc-prova\n    righe: [1, 2]\n---\n"


def errors_of(project: Path) -> list:
    _, problems = load_content(project)
    return [p for p in problems if p.severity == ERROR]


# --- headings --------------------------------------------------------------------------------

@pytest.mark.parametrize("text,top,expected", [
    ("# Uno\n\ntesto\n\n## Due\n\naltro", 2, ["h2:Uno", "h3:Due"]),
    ("## Due\n\ntesto\n\n### Tre", 2, ["h2:Due", "h3:Tre"]),
    ("# Uno\n\n## Due\n\n### Tre\n\n#### Quattro", None, ["h3:Uno", "h4:Due", "h5:Tre", "h6:Quattro"]),
    ("## Enti coinvolti\n\n- uno\n\n## Realizzazione", None, ["h3:Enti coinvolti", "h3:Realizzazione"]),
    ("Titolo\n=====\n\ntesto\n\nSotto\n-----", None, ["h3:Titolo", "h4:Sotto"]),
    ("<h1>Grezzo</h1>\n\n<h2 onclick=\"x\">Grezzo due</h2>", None, ["h3:Grezzo", "h4:Grezzo due"]),
    ("#### Quattro\n\ntesto", None, ["h4:Quattro"]),   # already below the block: unchanged
    ("###### Sei\n\n# Uno", None, ["h6:Sei", "h3:Uno"]),
])
def test_headings_of_every_level_are_kept(text, top, expected):
    html = TextRenderer().block(text, top_level=top)
    found = [f"h{m.group(1)}:{m.group(2)}" for m in re.finditer(r"<h(\d)>(.*?)</h\1>", html)]
    assert found == expected, html
    assert "onclick" not in html


def test_real_section_keeps_its_headings(real_site):
    html = (real_site / "carate-brianza/2021-2023/sezioni/03-revisione-sad/index.html").read_text(encoding="utf-8")
    for title in ("Enti coinvolti", "Realizzazione dell&#x27;obbiettivo", "VALUTAZIONE COMPLESSIVA COOPERATIVE",
                  "VALUTAZIONE COMPLESSIVA COMUNI"):
        assert re.search(rf"<h2>{re.escape(title)}</h2>", html) or \
            re.search(rf"<h2>{re.escape(title.replace('&#x27;', chr(39)))}</h2>", html), title


# --- body of a kind without body ---------------------------------------------------------------

BODILESS = [kind for kind in KINDS if not KINDS[kind].markdown]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Valid records of every kind (generated from the schemas), written as .yaml or .md."""
    project = make_project(tmp_path_factory.mktemp("bodies"))
    Generator(benign=True).write(project / "content")
    assert errors_of(project) == []
    return project


@pytest.mark.parametrize("kind", BODILESS)
def test_a_body_where_the_kind_has_none_is_refused(generated, kind, tmp_path):
    project = make_project(tmp_path)
    shutil.copytree(generated / "content", project / "content")
    shutil.copytree(generated / "fonti", project / "fonti")   # the document's text
    source = project / "content" / file_of(kind)
    front = source.read_text(encoding="utf-8")
    if source.suffix == ".md":
        front = front.split("---\n")[1]
    source.unlink()
    target = source.with_suffix(".md")
    lines = front.count("\n")
    target.write_text("---\n" + front + "---\n\nTesto che andrebbe perso.\n", encoding="utf-8")
    errors = errors_of(project)
    assert len(errors) == 1, [e.format() for e in errors]
    error = errors[0]
    assert error.path.endswith(target.name) and error.line == lines + 4, error.format()
    assert "non ha un corpo" in error.message and "non verrebbe pubblicato" in error.message
    assert "sposta il testo in un campo" in error.hint


def test_a_section_keeps_its_body(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    write(project, "ambiti/prova/2021-2023/sezioni/09-corpo.md", SECTION + "Il testo resta.\n")
    assert errors_of(project) == []


# --- hidden files and links --------------------------------------------------------------------

HIDDEN = ["ambiti/prova/2021-2023/sezioni/.bozza.md", "partner/.nascosto.yaml", "ambiti/prova/2021-2023/.bozze/01-prova.md",
          ".nascosti/partner.yaml", "ambiti/.ambito-nascosto/ambito.yaml", "partner/.DS_Store", "partner/.~lock.x#"]


@pytest.mark.parametrize("target", HIDDEN)
def test_hidden_files_and_folders_are_refused(tmp_path, target):
    project = make_project(tmp_path, FIXTURES / "valid")
    write(project, target, SECTION + "Testo.\n")
    errors = errors_of(project)
    hidden = target.split("/")
    first_hidden = "/".join(hidden[:next(i for i, part in enumerate(hidden) if part.startswith(".")) + 1])
    assert [(e.path, e.line) for e in errors] == [("content/" + first_hidden, 0)], [e.format() for e in errors]
    assert "inizia con un punto" in errors[0].message and "rinomina" in errors[0].hint


def test_gitkeep_and_readme_stay_ignored(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    write(project, "ambiti/prova/2021-2023/progetti/.gitkeep", "")
    write(project, "partner/README.md", "Leggimi.\n")
    assert errors_of(project) == []


def link_cases(project: Path, outside: Path) -> dict[str, Path]:
    """name -> the link made inside content/ (what it points at varies)."""
    content = project / "content"
    (outside / "segreto.yaml").write_text('nome: "Segreto"\ntipo: altro\nfonti:\n  - documento: doc-prova\n'
                                          "    righe: [1, 2]\n", encoding="utf-8")
    (outside / "cartella").mkdir()
    (outside / "cartella" / "altro.yaml").write_text((outside / "segreto.yaml").read_text(encoding="utf-8"))
    made = {}

    def link(name, rel, target):
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
        made[name] = path
    link("file fuori dal progetto", "partner/segreto.yaml", outside / "segreto.yaml")
    link("cartella fuori dal progetto", "partner/fuori", outside / "cartella")
    link("file di sistema", "partner/passwd.yaml", "/etc/passwd")
    link("file interno", "partner/copia.yaml", content / "partner" / "asst-prova.yaml")
    link("collegamento rotto", "partner/rotto.yaml", outside / "non-esiste.yaml")
    link("cerchio su se stesso", "partner/cerchio.yaml", content / "partner" / "cerchio.yaml")
    link("cerchio a due A", "ambiti/prova/2021-2023/sezioni/a.md", content / "ambiti" / "prova" / "2021-2023" / "sezioni" / "b.md")
    link("cerchio a due B", "ambiti/prova/2021-2023/sezioni/b.md", content / "ambiti" / "prova" / "2021-2023" / "sezioni" / "a.md")
    link("cartella che contiene se stessa", "ambiti/prova/2021-2023/dati/giro", content / "ambiti" / "prova")
    link("Ambito collegato", "ambiti/copia", content / "ambiti" / "prova")
    return made


def test_links_are_refused_wherever_they_point(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    outside = tmp_path / "fuori"
    outside.mkdir()
    made = link_cases(project, outside)
    errors = errors_of(project)
    expected = sorted("content/" + path.relative_to(project / "content").as_posix() for path in made.values())
    assert sorted(e.path for e in errors) == expected, [e.format() for e in errors]
    assert all("collegamento simbolico" in e.message and e.hint for e in errors)
    result = subprocess.run([sys.executable, "-P", "-m", "pdz.commands.check", "--root", str(project)], cwd=ROOT,
                            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout and "errore interno" not in result.stderr
    assert "Segreto" not in result.stdout + result.stderr and "root:" not in result.stdout + result.stderr
    SUMMARY["perdite silenziose"] = (f"{len(made)} collegamenti, {len(HIDDEN)} file nascosti, "
                                     f"{len(BODILESS)} tipi senza corpo, titoli di ogni livello")


# --- '---' inside a block scalar --------------------------------------------------------------

@pytest.mark.parametrize("block", [
    "descrizione: |\n  Prima parte\n  ---\n  Seconda parte\n",
    "descrizione: |\n  Prima parte\n\n  ---\n\n  Seconda parte\n",
    "descrizione: >\n    Prima parte\n    ---   \n    Seconda parte\n",
    "descrizione: \"Prima parte\n  ---\n  Seconda parte\"\n",
])
def test_an_indented_rule_in_a_long_field_is_text(tmp_path, block):
    project = make_project(tmp_path, FIXTURES / "valid")
    write(project, "partner/con-riga.md", '---\nnome: "Con riga"\ntipo: altro\n' + block +
          "fonti:\n  - documento: doc-prova\n    righe: [1, 2]\n---\n")
    catalog, problems = load_content(project)
    errors = [p for p in problems if p.severity == ERROR]
    assert errors == [], [e.format() for e in errors]
    description = catalog.get("partner", "con-riga").data["descrizione"]
    assert "Prima parte" in description and "Seconda parte" in description


def test_a_rule_at_the_start_of_a_line_still_closes_the_header(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    write(project, "ambiti/prova/2021-2023/sezioni/09-chiusa.md", SECTION.replace("---\n", "---   \n", 2) + "Corpo.\n")
    catalog, problems = load_content(project)
    assert [p for p in problems if p.severity == ERROR] == []
    assert catalog.get("sezione", "prova/2021-2023/sezioni/09-chiusa").body == "Corpo."
