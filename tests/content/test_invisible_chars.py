"""Invisible format characters are refused in every text field of every record kind, in the
Markdown bodies, in redirects.yaml and in the source texts, saying which character and where.

The attack: direction controls (U+202A-U+202E, U+2066-U+2069) in a partner's name made "Acli"
read as an amount on the page; they reached CSV, JSON, the catalogue and the feeds. The fields
are generated from the schemas (``pdz.content.schemas``, as ``pdz_dev/hostile.py`` does), so a field added
tomorrow is covered.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from pdz_dev.hostile import Generator, file_of
from pdz_dev.project import FIXTURES, ROOT, make_project, real_content
from pdz.commands.check import check
from pdz.content.schemas import text_fields
from pdz.content.loader import place, read_record
from pdz.content.model import KINDS
from pdz.content.problems import ERROR, field_path
from pdz.content.redirects import REDIRECTS_FILE

RLO = "\u202e"
# One of each family, and every bidirectional control.
CHARACTERS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
              "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060", "\u2061", "\u2064", "\ufeff", "\u00ad",
              "\U000e0001", "\U000e0041", "\u180e", "\u0600"]
SPOOF = "Acli {c}€ 3.500.000"


def fields_of_every_kind():
    for kind in KINDS:
        for path in text_fields(kind):
            yield kind, path


CASES = list(fields_of_every_kind())


def put(data, path: tuple, value):
    """Set ``value`` at ``path`` ("*": the first item of a list) in a generated record; a value of
    several forms (a number, or a number with its unit) takes the form the path needs."""
    node = data
    for key, following in zip(path[:-1], path[1:]):
        index = 0 if key == "*" else key
        if isinstance(node, dict) and index not in node:   # a part the generator left out
            node[index] = None
        if following == "*" and not isinstance(node[index], list):
            node[index] = [{"valore": 1}]
        elif following != "*" and not isinstance(node[index], dict):
            node[index] = {"valore": 1}
        node = node[index]
    node[0 if path[-1] == "*" else path[-1]] = value


def concrete(path: tuple) -> tuple:
    return tuple(0 if key == "*" else key for key in path)


def load_one(tmp_path: Path, kind: str, text: str):
    content = tmp_path / "content"
    path = content / file_of(kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    rel = path.relative_to(tmp_path).as_posix()
    placed = place(path.relative_to(content))
    return read_record(path, rel, *placed)


def record_text(kind: str, data: dict) -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return "---\n" + text + "---\n" if file_of(kind).endswith(".md") else text


@pytest.mark.parametrize("kind,path", CASES, ids=[f"{k}:{'.'.join(p)}" for k, p in CASES])
def test_every_text_field_refuses_a_direction_control(tmp_path, kind, path):
    data = Generator(benign=True).record(kind)
    put(data, path, SPOOF.format(c=RLO))
    text = record_text(kind, data)
    assert RLO in text   # written as it is, not escaped
    record, problems = load_one(tmp_path, kind, text)
    assert record is None
    assert len(problems) == 1, [p.format() for p in problems]
    problem = problems[0]
    assert problem.field == field_path(concrete(path))
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in problem.message and "controllo della direzione" in problem.message
    assert problem.line == next(n for n, line in enumerate(text.split("\n"), 1) if RLO in line)
    assert RLO not in problem.format()


@pytest.mark.parametrize("char", CHARACTERS, ids=[f"U+{ord(c):04X}" for c in CHARACTERS])
def test_every_invisible_format_character_is_refused_by_name(tmp_path, char):
    data = Generator(benign=True).record("partner")
    data["nome"] = SPOOF.format(c=char)
    record, problems = load_one(tmp_path, "partner", record_text("partner", data))
    assert record is None and len(problems) == 1
    assert f"U+{ord(char):04X} {unicodedata.name(char)}" in problems[0].message, problems[0].format()
    assert problems[0].field == "nome" and problems[0].line >= 1


@pytest.mark.parametrize("kind", [k for k in KINDS if KINDS[k].markdown])
def test_the_markdown_body_refuses_them_at_their_line(tmp_path, kind):
    data = Generator(benign=True).record(kind)
    body_field = KINDS[kind].body_field
    data.pop(body_field, None)
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000) + \
        "---\n\nPrimo paragrafo.\n\nSecondo con Acli\u2067 € 3.500.000\u2069.\n"
    record, problems = load_one(tmp_path, kind, text)
    assert record is None and len(problems) == 1, [p.format() for p in problems]
    assert problems[0].field == (body_field or "(testo)")
    assert problems[0].line == len(text.split("\n")) - 1
    assert "U+2067 RIGHT-TO-LEFT ISOLATE" in problems[0].message


# (case, text of a partner file, line, field)
PLACES = [
    ("escaped in double quotes", 'nome: "Acli \\u202E 3.500.000"\ntipo: "terzo-settore"\n', 1, "nome"),
    ("in a field name", '"no\u200bme": "Acli"\ntipo: "terzo-settore"\n', 1, ""),
    ("in a comment", '# Acli \u202e000.005.3\nnome: "Acli"\ntipo: "terzo-settore"\n', 1, ""),
    ("on the third line of a literal block", 'nome: "Acli"\ntipo: "terzo-settore"\nnote:\n  - |\n    uno\n    due\n'
     '    tre \u2066x\u2069\n', 7, "note[0]"),
    ("soft hyphen from a PDF", 'nome: "Associazione cri\u00adstiana"\ntipo: "terzo-settore"\n', 1, "nome"),
]


@pytest.mark.parametrize("text,line,field", [c[1:] for c in PLACES], ids=[c[0] for c in PLACES])
def test_where_the_character_is(tmp_path, text, line, field):
    record, problems = load_one(tmp_path, "partner", text)
    assert record is None and len(problems) == 1, [p.format() for p in problems]
    assert (problems[0].line, problems[0].field) == (line, field), problems[0].format()
    assert "carattere invisibile (U+" in problems[0].message


def test_make_check_prints_the_character_visibly(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    (project / "content" / "partner" / "acli.yaml").write_text(
        'nome: "Acli\u202e 000.005.3 €"\ntipo: "terzo-settore"\n"cam\u202epo": 1\n', encoding="utf-8")
    _, problems = check(project)
    errors = [p for p in problems if p.severity == ERROR]
    assert [p.path for p in errors] == ["content/partner/acli.yaml"] * 2, [p.format() for p in errors]
    for problem in errors:
        assert RLO not in problem.format() and RLO not in problem.annotation()
        assert "U+202E RIGHT-TO-LEFT OVERRIDE" in problem.format()


@pytest.mark.parametrize("text,line", [('"vecchio/": "prova/\u202e"\n', 1), ('# nota \u200f\n"vecchio/": "prova/"\n', 1),
                                       ('"vec\u2066chio/": "prova/"\n', 1)])
def test_redirects_refuse_them(tmp_path, text, line):
    project = make_project(tmp_path, FIXTURES / "valid")
    (project / REDIRECTS_FILE).write_text(text, encoding="utf-8")
    _, problems = check(project)
    errors = [p for p in problems if p.severity == ERROR]
    assert [(p.path, p.line) for p in errors] == [(REDIRECTS_FILE, line)], [p.format() for p in errors]
    assert "carattere invisibile (U+" in errors[0].message


def test_source_texts_refuse_them(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    (project / "fonti").mkdir()
    (project / "fonti" / "prova.txt").write_text("riga uno\nAcli \u202e000.005.3\n", encoding="utf-8")
    with (project / "content" / "fonti" / "doc-prova.yaml").open("a", encoding="utf-8") as record:
        record.write("file: prova.txt\n")
    _, problems = check(project)
    errors = [p for p in problems if p.severity == ERROR]
    assert [p.path for p in errors] == ["fonti/prova.txt"]
    assert "U+202E" in errors[0].message and "alla riga 2" in errors[0].message


def test_the_real_content_has_none():
    """Nothing to migrate: no text of the repository's content holds one (no soft hyphen came
    from the PDFs either)."""
    from pdz.content import invisible
    found = []
    for base in ("content", "fonti", "docs"):
        for path in sorted((ROOT / base).rglob("*")):
            if path.is_file() and path.suffix in (".md", ".yaml", ".txt"):
                hit = invisible.find(path.read_text(encoding="utf-8"))
                if hit:
                    found.append((str(path.relative_to(ROOT)), invisible.name(hit.group())))
    hit = invisible.find((ROOT / REDIRECTS_FILE).read_text(encoding="utf-8"))
    assert found == [] and hit is None
    _, problems = real_content()
    assert [p.format() for p in problems if "invisibile" in p.message] == []


def test_the_refused_set_is_unicodes_format_category():
    from pdz.content import invisible
    assert all(unicodedata.category(c) == "Cf" for c in invisible.CHARACTERS)
    assert set(CHARACTERS) <= invisible.CHARACTERS and len(invisible.CHARACTERS) >= 160


def test_the_pattern_finds_exactly_the_refused_set():
    """The search pattern is written as ranges (faster): it matches every refused character and
    no other character of any plane."""
    from pdz.content import invisible
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert {m.group() for m in invisible.PATTERN.finditer(every)} == invisible.CHARACTERS
