"""redirects.yaml is contributor input: read with the strict loader and limits of content, every
address checked against the site, in ``make check`` and in the build, with Italian messages."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pdz_dev.project import FIXTURES, ROOT, assembled, build, make_project
from pdz.commands.check import check
from pdz.content import rootguard
from pdz.content.problems import ERROR
from pdz.content.redirects import REDIRECTS_FILE, load_redirects, redirect_page

EXISTING = "prova/2021-2023/obiettivi/01-casa/"

# (case, redirects.yaml text, text expected in the message, line of the problem)
HOSTILE = [
    ("absolute path", '"/tmp/x/": "prova/"\n', "non è valido", 1),
    ("absolute target", '"vecchio/": "/etc/"\n', "non è valido", 1),
    ("parent folder", '"../fuori/": "prova/"\n', "non è valido", 1),
    ("parent inside", '"a/../../fuori/": "prova/"\n', "non è valido", 1),
    ("double slash", '"a//b/": "prova/"\n', "non è valido", 1),
    ("dot segment", '"./a/": "prova/"\n', "non è valido", 1),
    ("no final slash", '"vecchio": "prova/"\n', "non è valido", 1),
    ("upper case", '"Vecchio/": "prova/"\n', "non è valido", 1),
    ("backslash", '"a\\\\b/": "prova/"\n', "non è valido", 1),
    ("percent escape", '"a%2e%2e/": "prova/"\n', "non è valido", 1),
    ("query", '"a/?x=1/": "prova/"\n', "non è valido", 1),
    ("file name", '"index.html/": "prova/"\n', "non è valido", 1),
    ("full address target", '"vecchio/": "https://example.org/"\n', "non è valido", 1),
    ("javascript target", '"vecchio/": "javascript:alert(1)//"\n', "non è valido", 1),
    ("markup target", '"vecchio/": "x/\\" onmouseover=alert(1) x=/"\n', "non è valido", 1),
    ("number target", '"vecchio/": 12\n', "non è valido", 1),
    ("empty target", '"vecchio/":\n', "non è valido", 1),
    ("list target", '"vecchio/": ["prova/"]\n', "non è valido", 1),
    ("old is a page", f'"{EXISTING}": "prova/"\n', "è una pagina del sito", 1),
    ("old is a hand-written page", '"privacy/": "prova/"\n', "è una pagina del sito", 1),
    ("old is the printable plan", '"prova/2021-2023/stampa/": "prova/"\n', "è una pagina del sito", 1),
    ("old in the assets", '"assets/x/": "prova/"\n', "dentro", 1),
    ("old in the open data", '"dati/x/": "prova/"\n', "dentro", 1),
    ("old in the search index", '"pagefind/": "prova/"\n', "dentro", 1),
    ("missing target", '"vecchio/": "prova/2021-2023/obiettivi/99-sparito/"\n', "non è una pagina del sito", 1),
    ("target is a folder of files", '"vecchio/": "assets/"\n', "non è una pagina del sito", 1),
    ("self", '"vecchio/": "vecchio/"\n', "se stessa", 1),
    ("chain", f'"a/": "b/"\n"b/": "{EXISTING}"\n', "catena di redirect", 1),
    ("loop", '"a/": "b/"\n"b/": "a/"\n', "ciclo", 1),
    ("long loop", '"a/": "b/"\n"b/": "c/"\n"c/": "a/"\n', "ciclo", 1),
    ("duplicate key", f'"vecchio/": "{EXISTING}"\n"vecchio/": "prova/"\n', "ripetuto", 2),
    ("alias bomb", 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
     'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n'
     'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n',
     "alias", 1),
    ("merge key", 'base: &b {x: 1}\n"vecchio/":\n  <<: *b\n', "fusione", 3),
    ("python tag", '"vecchio/": !!python/object/apply:os.system ["touch /tmp/pdz-pwned"]\n', "etichetta", 1),
    ("unclosed quote", '"vecchio/": "prova/\n"altro/": "prova/"\n', "virgolette", 2),
    ("bad indentation", '"vecchio/": "prova/"\n  "altro/": "prova/"\n', "YAML non valido", 2),
    ("tab", '"vecchio/": "prova/"\n\t"b/": "c/"\n', "tabulazione", 2),
    ("top-level list", '- "vecchio/"\n- "prova/"\n', "elenco di redirect", 1),
    ("top-level text", 'solo testo\n', "elenco di redirect", 1),
    ("two documents", '"a/": "prova/"\n---\n"b/": "prova/"\n', "seconda riga", 2),
    ("control character", '"vecchio/": "prova/"\x07\n', "caratteri non testuali", 1),
    ("escaped control character", '"vecchio/": "prova/\\x07"\n', "carattere non ammesso", 1),
    ("complex key", '? ["a/", "b/"]\n: "prova/"\n', "testo semplice", 1),
]


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path, FIXTURES / "valid")


def redirect_errors(project, text: str | bytes, ambito: str | None = None):
    path = project / REDIRECTS_FILE
    path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text, encoding="utf-8")
    _, problems = check(project, ambito)
    return [p for p in problems if p.severity == ERROR]


@pytest.mark.parametrize("text,expected,line", [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE])
def test_hostile_redirects_are_refused_with_an_italian_message_and_line(project, text, expected, line):
    errors = redirect_errors(project, text)
    assert errors, "accepted"
    assert all(e.path == REDIRECTS_FILE for e in errors), [e.format() for e in errors]
    assert any(expected in e.message for e in errors), [e.format() for e in errors]
    assert errors[0].line == line, [e.format() for e in errors]
    assert len("".join(e.format() for e in errors)) < 5000   # an alias bomb prints one line, not megabytes


def test_file_limits_are_those_of_content(project):
    assert "troppo grande" in redirect_errors(project, b'"a/": "prova/"\n' + b"#" * 600_000 + b"\n")[0].message
    assert "UTF-8" in redirect_errors(project, '"vecchio/": "città/"\n'.encode("latin-1"))[0].message


def test_valid_redirects_pass_and_are_published_with_an_escaped_target(project, tmp_path):
    text = f'# spostati\n"prova/2021-2023/obiettivi/00-vecchia/": "{EXISTING}"\n"vecchia-privacy/": "privacy/"\n"home-vecchia/": "prova/"\n'
    assert redirect_errors(project, text) == []
    assert redirect_errors(project, "# nessun redirect\n") == []
    assert redirect_errors(project, "{}\n") == []
    assert redirect_errors(project, b"") == []
    (project / REDIRECTS_FILE).write_text(text, encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    page = (tmp_path / "site" / "vecchia-privacy" / "index.html").read_text(encoding="utf-8")
    assert 'url=../privacy/"' in page
    # the site's policy, with no script hash (a redirect page has no script; the search's source stays)
    assert "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'wasm-unsafe-eval';" in page


def test_redirect_page_escapes_its_target():
    page = redirect_page("a/", 'b/"><script>alert(1)</script>/').decode()
    assert "<script>" not in page and "&quot;&gt;&lt;script&gt;" in page


def test_preview_accepts_targets_in_the_other_ambiti(project):
    other = project / "content" / "ambiti" / "altra"
    (other / "obiettivi").mkdir(parents=True)
    (other / "ambito.yaml").write_text("non letto in anteprima", encoding="utf-8")
    (other / "obiettivi" / "01-x.md").write_text("non letto in anteprima", encoding="utf-8")
    text = '"vecchio/": "altra/obiettivi/01-x/"\n'
    assert redirect_errors(project, text, ambito="prova") == []
    assert "non è una pagina" in redirect_errors(project, '"vecchio/": "mai-esistito/x/"\n', ambito="prova")[0].message


def test_make_check_and_the_build_refuse_a_path_outside_the_site(project, tmp_path):
    outside = tmp_path / "fuori"
    (project / REDIRECTS_FILE).write_text(f'"{outside}/": "prova/"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-P", "-m", "pdz.commands.check", "--root", str(project)], capture_output=True,
                            text=True, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, timeout=300)
    assert result.returncode == 1 and "redirects.yaml:1:" in result.stderr and "Traceback" not in result.stderr
    built = build(project, tmp_path / "site")
    output = built.stdout + built.stderr
    assert built.returncode != 0 and "redirects.yaml:1:" in output and "Traceback" not in output
    assert not outside.exists()


@pytest.mark.slow
def test_real_redirects_are_valid():
    redirects, problems = load_redirects(ROOT)
    assert problems == []
    # what check(ROOT) finds (make check): the problems of the real tree's assembly, which the
    # other files of this process that read it share (pdz_dev.project.assembled)
    assert rootguard.problems(ROOT) == []
    assert [p.format() for p in assembled().problems if p.path == REDIRECTS_FILE] == []


def test_a_preview_publishes_only_the_redirects_of_what_it_loads(project, tmp_path):
    other = project / "content" / "ambiti" / "altra"
    (other / "2021-2023" / "obiettivi").mkdir(parents=True)
    (other / "ambito.yaml").write_text("non letto in anteprima", encoding="utf-8")
    (other / "2021-2023" / "obiettivi" / "01-x.md").write_text("non letto in anteprima", encoding="utf-8")
    (project / REDIRECTS_FILE).write_text(f'"prova/vecchio/": "{EXISTING}"\n"altra/vecchio/": "altra/2021-2023/obiettivi/01-x/"\n'
                                          '"vecchio-altra/": "altra/2021-2023/obiettivi/01-x/"\n', encoding="utf-8")
    site = tmp_path / "site"
    result = build(project, site, {"PDZ_AMBITO": "prova", "PDZ_SEARCH": "false"})
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert (site / "prova/vecchio/index.html").is_file()
    assert not (site / "altra").exists() and not (site / "vecchio-altra").exists()
