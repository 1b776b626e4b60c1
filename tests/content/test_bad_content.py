"""A corpus of broken and hostile content files (tests/fixtures/bad/, one file per case).

Each case is dropped into a copy of tests/fixtures/valid and must give its clear Italian error,
at the right file and line, without a traceback; the render-* cases are valid content whose
hostile text must reach the built page inert. The huge file is generated here, not committed.
Variants already covered by test_validation.py / test_hostile.py (edits of the valid fixture)
are not repeated: the corpus adds whole files, other places and other spellings of each trap.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pdz_dev.project import FIXTURES, ROOT, SUMMARY, build, make_project, write
from html import escape as html_escape
from pdz.render.base import meta_title
from pdz.content.loader import MAX_FILE_BYTES, load_content
from pdz.content.problems import ERROR

BAD = FIXTURES / "bad"
PWNED = Path("/tmp/pdz-pwned-corpus")   # what the python-tag and template cases try to create


@dataclass(frozen=True)
class Bad:
    kind: str               # where the file goes: partner, sezione, obiettivo, tabella, or a path
    message: str            # fragment of the Italian message
    line: int | None = None     # expected line (None: not meaningful, e.g. the file as a whole)
    field: str = ""
    hint: str = ""          # fragment of the suggested fix, when it matters

    def target(self, name: str) -> str:
        stem, ext = name.rsplit(".", 1)
        folders = {"partner": "partner/{}.{}", "sezione": "ambiti/prova/2021-2023/sezioni/{}.{}",
                   "obiettivo": "ambiti/prova/2021-2023/obiettivi/{}.{}", "tabella": "ambiti/prova/2021-2023/dati/{}.{}"}
        return folders[self.kind].format(stem, ext) if self.kind in folders else self.kind


CASES = {
    # malformed YAML: the line where the editor has to look
    "yaml-unclosed-quote.md": Bad("sezione", "virgolette aperte su questa riga e mai chiuse", 2),
    "yaml-bad-indentation.yaml": Bad("partner", "YAML non valido: due punti inattesi", 5),
    "yaml-colon-in-text.yaml": Bad("partner", "due punti inattesi (metti il testo tra virgolette)", 1),
    "yaml-two-documents.yaml": Bad("partner", "una seconda riga '---'", 6),
    "yaml-top-level-list.yaml": Bad("partner", "l'intestazione deve contenere dei campi 'nome: valore'", 1),
    "front-matter-not-closed.md": Bad("sezione", "manca l'intestazione YAML tra due righe '---'", 1),
    "markdown-without-front-matter.md": Bad("sezione", "manca l'intestazione YAML tra due righe '---'", 1),
    "whitespace-only.yaml": Bad("partner", "il file è vuoto (contiene solo spazi)"),
    "empty.yaml": Bad("partner", "il file è vuoto", hint="make nuovo"),
    # wrong types, unknown keys, YAML 1.1 traps
    "wrong-type-list-for-text.md": Bad("sezione", "atteso un testo, trovato un elenco", 2, "titolo"),
    "wrong-type-text-for-list.yaml": Bad("partner", "atteso un elenco", 3, "fonti"),
    "wrong-type-text-for-number.md": Bad("sezione", "atteso un numero intero, trovato un testo", 3, "ordine"),
    "unknown-key.yaml": Bad("partner", "campo sconosciuto 'indirizzo'", 3, "indirizzo", "campi ammessi"),
    "leading-zero-code.md": Bad("obiettivo", "il valore 07 ha zeri iniziali", 3, "numero", '"07"'),
    "no-as-value.yaml": Bad("partner", "il valore NO senza virgolette verrebbe letto come vero/falso", 2, "sigla",
                            '"no"'),
    "equals-as-value.yaml": Bad("partner", "il valore = senza virgolette ha un significato speciale", 2, "sigla"),
    "number-too-long.yaml": Bad("tabella", "ha troppe cifre per essere un numero", 6, "righe[0][1]"),
    "duplicate-key.yaml": Bad("partner", "il campo 'nome' è ripetuto", 3, "nome"),
    "merge-key.yaml": Bad("partner", "la fusione YAML (<<) non è ammessa", 1),
    # identifiers and references
    "duplicate-id.yaml": Bad("ambiti/prova/2021-2023/sezioni/01-introduzione.yaml",
                             "identificativo 'prova/2021-2023/sezioni/01-introduzione' già usato", 1),
    "dangling-reference.md": Bad("sezione", "'prova/2021-2023/obiettivi/99-inesistente' inesistente", 3, "obiettivi[0]"),
    "dangling-source-document.yaml": Bad("partner", "'documento-inesistente' inesistente", 4,
                                         "fonti[0].documento", "content/fonti/"),
    "bad-file-name.yaml": Bad("partner/Associazione Prova.yaml", "il nome 'Associazione Prova' non è valido",
                              hint="lettere minuscole"),
    "wrong-extension.yml": Bad("partner", "estensione '.yml' non ammessa"),
    # encodings, invisible characters, line endings
    "non-utf8-latin1.md": Bad("sezione", "il file non è in codifica UTF-8", 2),
    "utf16.yaml": Bad("partner", "il file non è in codifica UTF-8", 1),
    "nul-byte.md": Bad("sezione", "il file contiene caratteri non testuali (U+0000)", 7),
    "control-character.yaml": Bad("partner", "il file contiene caratteri non testuali (U+0007)", 1),
    "escaped-control-character.yaml": Bad("partner", "carattere non ammesso (U+001B)", 1, "nome"),
    "escaped-surrogate.yaml": Bad("partner", "carattere non ammesso (U+D800)", 1, "nome"),
    "tabs.yaml": Bad("partner", "c'è un carattere di tabulazione: usa spazi", 4),
    "bom-with-error.yaml": Bad("partner", "campo sconosciuto 'ruolo'", 3, "ruolo"),
    "crlf-with-error.md": Bad("sezione", "campo sconosciuto 'fonte'", 4, "fonte", "forse intendevi 'fonti'?"),
    "cr-only-with-error.md": Bad("sezione", "campo sconosciuto 'fonte'", 4, "fonte"),
    # single-line fields (titles, names, labels: _defs 'riga' in the schemas) refuse every line break
    # YAML knows (the break would end a page's front matter) and control characters
    "single-line-cr-title.md": Bad("obiettivo", "deve stare su una riga sola: contiene un a capo (ritorno carrello, U+000D)",
                                   2, "titolo", "su una riga"),
    "single-line-next-line.yaml": Bad("partner", "deve stare su una riga sola: contiene un a capo (U+0085", 1, "nome"),
    "single-line-line-separator.yaml": Bad("partner", "una riga sola: contiene un a capo (U+2028, separatore di riga)",
                                           1, "nome"),
    "single-line-paragraph-separator.md": Bad("sezione", "una riga sola: contiene un a capo (U+2029", 3, "capitolo"),
    "single-line-block-scalar.md": Bad("obiettivo", "deve stare su una riga sola: contiene un a capo", 4, "gruppo_piano"),
    "single-line-tab-escape.yaml": Bad("partner", "deve stare su una riga sola: contiene una tabulazione", 1, "nome"),
    "single-line-c1-control.yaml": Bad("tabella", "un carattere di controllo invisibile (U+009B)", 3, "colonne[0].nome"),
    "single-line-table-cell.yaml": Bad("tabella", "una riga sola: contiene un a capo (ritorno carrello", 6, "righe[0][0]"),
    # the same line breaks typed into the file itself would shift every line number after them
    "raw-line-separator.md": Bad("sezione", "il file contiene un a capo invisibile (U+2028", 8, hint="a capo normale"),
    "raw-next-line.yaml": Bad("partner", "il file contiene un a capo invisibile (U+0085", 3),
    "raw-paragraph-separator.md": Bad("sezione", "il file contiene un a capo invisibile (U+2029", 2),
    # YAML that attacks the parser: refused quickly, nothing executed
    "yaml-bomb.yaml": Bad("partner", "alias YAML (*nome) non ammesso", 6, "b[0]"),
    "python-tag.yaml": Bad("partner", "etichetta YAML tag:yaml.org,2002:python/object/apply:os.system non ammessa",
                           1, "nome"),
    "python-name-tag.yaml": Bad("partner", "etichetta YAML tag:yaml.org,2002:python/name:os.system non ammessa",
                                1, "nome"),
    "custom-tag.yaml": Bad("partner", "etichetta YAML !include non ammessa", 1, "nome"),
    "binary-tag.yaml": Bad("partner", "etichetta YAML tag:yaml.org,2002:binary non ammessa", 1, "nome"),
    "deep-nesting-flow.yaml": Bad("partner", "struttura annidata troppo in profondità (più di 40 livelli)", 6,
                                 "descrizione"),
    "deep-nesting-block.yaml": Bad("partner", "struttura annidata troppo in profondità (più di 40 livelli)", 47,
                                  "livello0"),
}
GENERATED = {   # too big to commit: written by the test
    "huge.yaml": (Bad("partner", "il file è troppo grande", hint="dividi"),
                  lambda: b'nome: "Grande"\ntipo: altro\ndescrizione: "' + b"a" * MAX_FILE_BYTES + b'"\n'),
}

# valid content with hostile text: loads without errors, and is inert on the built page
RENDERED = {
    "render-template-syntax.md": "prova/2021-2023/sezioni/template-syntax/",
    "render-script-tags.md": "prova/2021-2023/sezioni/script-tags/",
    "render-javascript-links.md": "prova/2021-2023/sezioni/javascript-links/",
    "render-attribute-breaking-title.md": "prova/2021-2023/sezioni/attribute-breaking-title/",
    "render-tabs-in-markdown.md": "prova/2021-2023/sezioni/tabs-in-markdown/",
    "render-bom.md": "prova/2021-2023/sezioni/bom/",
    "render-crlf.md": "prova/2021-2023/sezioni/crlf/",
    "render-title-survives.md": "prova/2021-2023/sezioni/title-survives/",
}


def rendered_target(name: str) -> str:
    return "ambiti/prova/2021-2023/sezioni/" + name.removeprefix("render-")


def all_cases():
    return [(name, case, (BAD / name).read_bytes) for name, case in CASES.items()] + \
        [(name, case, make) for name, (case, make) in GENERATED.items()]


def test_corpus_files_and_expectations_agree():
    files = {p.name for p in BAD.iterdir() if p.is_file()}
    assert files == set(CASES) | set(RENDERED), (files ^ (set(CASES) | set(RENDERED)))
    SUMMARY["contenuti errati od ostili"] = (
        f"{len(CASES) + len(GENERATED)} casi di errore ({len(GENERATED)} generato), "
        f"{len(RENDERED)} casi resi inerti nella pagina")


@pytest.mark.parametrize("name,case,content", all_cases(), ids=[c[0] for c in all_cases()])
def test_bad_file_gives_its_clear_error(tmp_path, name, case, content):
    project = make_project(tmp_path, FIXTURES / "valid")
    target = case.target(name)
    write(project, target, content())
    # a runaway input (the YAML bomb, deep nesting, the huge file) must not keep the loader busy:
    # bounded in this process's CPU time, not the wall clock, which a busy machine stretches
    # (whitespace-only.yaml once took 10.05 s of wall time at load 8)
    started = time.process_time()
    _, problems = load_content(project)
    elapsed = time.process_time() - started
    errors = [p for p in problems if p.severity == ERROR]
    assert len(errors) == 1, [e.format() for e in errors]
    error = errors[0]
    assert error.path == "content/" + target
    assert case.message in error.message, error.format()
    if case.line is not None:
        assert error.line == case.line, error.format()
    assert error.field == case.field, error.format()
    assert case.hint in error.hint, error.format()
    error.format().encode("utf-8")          # printable: no lone surrogates in the message
    assert elapsed < 10, f"{name}: {elapsed:.1f} s of CPU"
    assert not PWNED.exists()


def test_check_command_reports_the_whole_corpus_without_traceback(tmp_path):
    """All the bad files at once, through `python -m pdz.commands.check` as an editor runs it."""
    project = make_project(tmp_path, FIXTURES / "valid")
    targets = []
    for name, case, content in all_cases():
        target = case.target(name)
        write(project, target, content())
        targets.append(target)
    result = subprocess.run([sys.executable, "-P", "-m", "pdz.commands.check", "--root", str(project)], cwd=ROOT,
                            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                            capture_output=True, timeout=300)
    stdout, stderr = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert result.returncode == 1, stderr[-2000:]
    assert "Traceback" not in stdout + stderr and "errore interno" not in stderr
    for target in targets:
        assert f"content/{target}" in stderr, target
    assert f"{len(targets)} errori in {len(targets)} file" in stderr
    assert not PWNED.exists()


# --- rendering: valid but hostile content ----------------------------------------------------

@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("corpus")
    project = make_project(tmp, FIXTURES / "valid")
    for name in RENDERED:
        write(project, rendered_target(name), (BAD / name).read_bytes())
    _, problems = load_content(project)
    assert problems == [], [p.format() for p in problems]
    site = tmp / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    """The generated part of the article: from the breadcrumb or title (after the theme's edit button)."""
    start = html.find('<nav class="pdz-breadcrumb"')
    return html[start if start >= 0 else html.index('<h1 id="titolo"'):html.index("</article>")]


class _Elements(HTMLParser):
    """Every start tag with its (unescaped) attributes, as a browser would see them."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def elements(html: str):
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


DANGEROUS_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input", "meta", "base", "img",
                  "svg", "link", "frame", "frameset", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}


def dangerous_url(value: str) -> bool:
    squeezed = re.sub(r"[\x00-\x20]", "", value).lower()   # browsers ignore tabs and spaces here
    return squeezed.startswith(("javascript:", "vbscript:", "data:"))


@pytest.mark.parametrize("name", RENDERED)
def test_hostile_text_is_inert_on_the_page(corpus_site, name):
    html = page(corpus_site, RENDERED[name])
    in_article = elements(article(html))
    assert not [tag for tag, _ in in_article if tag in DANGEROUS_TAGS], in_article
    everywhere = elements(html)     # the whole page: head, navigation, search box too
    handlers = [(tag, a) for tag, attrs in everywhere for a, _ in attrs if a.startswith("on")]
    assert handlers == []
    urls = [(tag, a, v) for tag, attrs in everywhere for a, v in attrs if a in URL_ATTRIBUTES and v and dangerous_url(v)]
    assert urls == []
    assert "\ufeff" not in html and "\r" not in html
    assert not PWNED.exists()


def test_template_syntax_stays_text(corpus_site):
    html = page(corpus_site, RENDERED["render-template-syntax.md"])
    body = article(html)
    assert "{{ 7*191 }}" in body and "{% for x in range(3) %}X{% endfor %}" in body
    assert "{# commento #}" in body and "{% include \"main.html\" %}" in body
    assert "1337" not in html and "XXX" not in body
    assert "Sezione {{ 7*191 }} {% raw %}" in re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_links_with_dangerous_schemes_lose_their_address(corpus_site):
    body = article(page(corpus_site, RENDERED["render-javascript-links.md"]))
    for label in ("maiuscole", "entita", "tab", "spazio", "vb", "dati"):
        assert re.search(rf'<a rel="noopener noreferrer nofollow">{label}</a>', body), label
    # CommonMark makes no link of a javascript: address: "[markdown](javascript:...)" stays text
    assert [v for _, attrs in elements(body) for _, v in attrs if v and dangerous_url(v)] == []


def test_quotes_in_a_title_cannot_open_an_attribute(corpus_site):
    html = page(corpus_site, RENDERED["render-attribute-breaking-title.md"])
    assert [a for _, attrs in elements(html) for a, _ in attrs if a in ("onmouseover", "x", "onclick")] == []
    assert '<h1 id="titolo"><span class="pdz-kicker">' in html and "&quot; onmouseover=&quot;alert(1)&quot;" in html
    assert "&lt;b&gt;entità&lt;/b&gt;" in article(html)


def test_tabs_bom_and_crlf_are_ordinary_text(corpus_site):
    tabs = article(page(corpus_site, RENDERED["render-tabs-in-markdown.md"]))
    assert "<pre><code>codice rientrato con una tabulazione" in tabs
    bom = page(corpus_site, RENDERED["render-bom.md"])
    assert re.search(r"<title>Con BOM", bom) and "Testo con BOM." in article(bom)
    crlf = article(page(corpus_site, RENDERED["render-crlf.md"]))
    assert "<p>Prima riga.</p>" in crlf and "<p>Seconda riga.</p>" in crlf


def test_a_title_with_front_matter_syntax_survives_whole(corpus_site):
    """'---', quotes, '#', '\\' and non-Latin characters in a title reach the page as the same text:
    the page metadata is written by a YAML serialiser, not by joining strings."""
    html = page(corpus_site, RENDERED["render-title-survives.md"])
    title = "--- \"virgolette\" e 'apici' --- ... : # & <i>non HTML</i> ☃ città 🎉 {{ x }} \\ fine"
    assert f'</span> {html_escape(title)}</h1>' in html
    shown = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert shown.startswith(meta_title(title) + " – Ambito di Prova"), shown
