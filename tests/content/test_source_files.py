"""fonti/ is published line by line, so it is contributor input like content/: regular files only,
inside the folder, under a size limit, each named by exactly one document of content/fonti/.

The attack: ``fonti/997_x.txt -> /etc/passwd`` plus a ``content/fonti/`` record published the
file as source-text pages (also ``.git/config``, ``/proc/self/environ``); a 500 KB text of short
lines became 1,001 pages. Only a test that needs ``../shared/seeds`` noticed, and the deploy
workflow does not run it. Now ``make check`` and the build refuse each case, naming the file,
without the seeds.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pdz_dev.project import FIXTURES, ROOT, build, make_project, real_content
from pdz.commands.check import check
from pdz.content.loader import load_content
from pdz.content.problems import ERROR
from pdz.content.sourcetext import TEXT_FOLDER, load_texts, split_pages

RECORD = 'titolo: "Documento {n}"\nfile: {file}\nambito: prova\n'
SECRET = "segreto-che-non-deve-uscire"


def add_document(project, file: str, n: int = 997):
    path = project / "content" / "fonti" / f"doc-{n}.yaml"
    path.write_text(RECORD.format(n=n, file=file), encoding="utf-8")
    return f"content/fonti/doc-{n}.yaml"


def link(target):
    def make(project, tmp_path):
        os.symlink(target(project, tmp_path) if callable(target) else target, project / TEXT_FOLDER / "997_x.txt")
        add_document(project, "997_x.txt")
    return make


def secret_file(project, tmp_path):
    path = tmp_path / "segreto.txt"
    path.write_text(SECRET, encoding="utf-8")
    return str(path)


def git_config(project, tmp_path):
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text(f"[remote]\n  token = {SECRET}\n", encoding="utf-8")
    return "../.git/config"


def text(content: str | bytes, name="997_x.txt", documents=1):
    def make(project, tmp_path):
        path = project / TEXT_FOLDER / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        for n in range(documents):
            add_document(project, name, 997 + n)
    return make


def folder_link(project, tmp_path):
    (project / TEXT_FOLDER / "README.md").unlink()
    os.rmdir(project / TEXT_FOLDER)
    os.symlink("/etc", project / TEXT_FOLDER)
    add_document(project, "passwd")


def subfolder(project, tmp_path):
    (project / TEXT_FOLDER / "997_x.txt").mkdir()
    add_document(project, "997_x.txt")


def fifo(project, tmp_path):
    os.mkfifo(project / TEXT_FOLDER / "997_x.txt")
    add_document(project, "997_x.txt")


def hard_link(project, tmp_path):
    os.link(secret_file(project, tmp_path), project / TEXT_FOLDER / "997_x.txt")
    add_document(project, "997_x.txt")


def record_only(name):
    def make(project, tmp_path):
        add_document(project, name)
    return make


# (case, setup, file of the problem, text expected in the message)
HOSTILE = [
    ("link to /etc/passwd", link("/etc/passwd"), "fonti/997_x.txt", "collegamento simbolico"),
    ("link to a file outside", link(secret_file), "fonti/997_x.txt", "collegamento simbolico"),
    ("link to .git/config", link(git_config), "fonti/997_x.txt", "collegamento simbolico"),
    ("link to /proc/self/environ", link("/proc/self/environ"), "fonti/997_x.txt", "collegamento simbolico"),
    ("link to a folder", link("/etc"), "fonti/997_x.txt", "collegamento simbolico"),
    ("dangling link", link("/nessun/file"), "fonti/997_x.txt", "collegamento simbolico"),
    ("fonti/ itself a link", folder_link, "fonti", "non è una cartella vera"),
    ("a folder in fonti/", subfolder, "fonti/997_x.txt", "è una cartella"),
    ("a named pipe", fifo, "fonti/997_x.txt", "non è un file di testo"),
    ("a hard link", hard_link, "fonti/997_x.txt", "collegamento"),
    ("hidden file", text("x\n", name=".nascosto"), "fonti/.nascosto", "nascosto"),
    ("file no record names", lambda p, t: (p / TEXT_FOLDER / "998_y.txt").write_text("x\n"), "fonti/998_y.txt",
     "nessuna scheda"),
    ("file named by two records", text("x\n", documents=2), "fonti/997_x.txt", "più schede"),
    ("record names a missing file", record_only("997_x.txt"), "content/fonti/doc-997.yaml", "non esiste"),
    ("record names the README", record_only("README.md"), "content/fonti/doc-997.yaml", "non è il nome di un testo"),
    ("record names the parent folder", record_only(".."), "content/fonti/doc-997.yaml", "non è il nome di un testo"),
    ("500 KB of text", text("riga di testo\n" * 36_000), "fonti/997_x.txt", "troppo grande"),
    ("7,001 short lines", text("x\n" * 7_000), "fonti/997_x.txt", "troppe righe"),
]


@pytest.fixture
def project(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    (project / TEXT_FOLDER).mkdir()
    (project / TEXT_FOLDER / "README.md").write_text("# Testi\n", encoding="utf-8")
    return project


@pytest.mark.parametrize("setup,path,expected", [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE])
def test_make_check_refuses_what_fonti_must_not_hold(project, tmp_path, setup, path, expected):
    setup(project, tmp_path)
    _, problems = check(project)
    errors = [p for p in problems if p.severity == ERROR]
    assert [e.path for e in errors] == [path], [e.format() for e in errors]
    assert expected in errors[0].message, errors[0].format()
    catalog, _ = load_content(project)
    texts = load_texts(project, catalog)   # the build reads only what the check accepts
    assert all(SECRET not in line and "root:" not in line for t in texts.values() for line in t.lines)


def test_the_build_refuses_a_link_and_publishes_nothing(project, tmp_path):
    link(secret_file)(project, tmp_path)
    site = tmp_path / "site"
    result = build(project, site)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "fonti/997_x.txt" in output and "collegamento simbolico" in output
    assert "Traceback" not in output
    assert not site.exists() or not any(SECRET in p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())


def test_make_check_needs_no_seeds(project, tmp_path):
    """The deploy workflow has no ../shared/seeds: the command alone finds the link."""
    link("/etc/passwd")(project, tmp_path)
    result = subprocess.run([sys.executable, "-P", "-m", "pdz.commands.check", "--root", str(project)], cwd=tmp_path,
                            capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 1 and "fonti/997_x.txt: (file): è un collegamento simbolico" in result.stderr


def test_a_valid_text_is_published(project, tmp_path):
    text("prima riga\nseconda riga\n")(project, tmp_path)
    catalog, problems = load_content(project)
    assert [p.format() for p in problems if p.severity == ERROR] == []
    assert load_texts(project, catalog)["doc-997"].lines == ["prima riga", "seconda riga", ""]


def test_the_pages_of_a_document_are_bounded():
    """At the limits, whatever the line lengths, a document makes at most MAX_PAGES pages."""
    from pdz.content.sourcetext import MAX_PAGES, MAX_TEXT_BYTES, MAX_TEXT_LINES
    for length in (0, 1, 40, 130, 1000, MAX_TEXT_BYTES // 2):
        count = min(MAX_TEXT_LINES, MAX_TEXT_BYTES // (length + 1))
        lines = ["x" * length] * count
        assert len(split_pages(lines)) <= MAX_PAGES, length
    assert MAX_PAGES <= 40


def test_the_real_texts_are_within_the_limits():
    catalog, problems = real_content()
    assert [p.format() for p in problems if p.path.startswith(TEXT_FOLDER)] == []
    texts = load_texts(ROOT, catalog)
    assert len(texts) == len([d for d in catalog.all("documento") if d.data.get("file")]) == 5
    from pdz.content.sourcetext import MAX_TEXT_BYTES
    largest = max((ROOT / TEXT_FOLDER / d.data["file"]).stat().st_size for d in catalog.all("documento"))
    assert largest <= MAX_TEXT_BYTES * 2 // 3   # room for a plan half as long again
