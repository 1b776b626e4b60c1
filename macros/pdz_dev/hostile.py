"""A content tree with one record of every kind in which EVERY free-text field holds hostile text.

The records are generated from ``schemas/`` (``pdz.content.schemas`` resolves the same references): every
property is filled, every list has one item, every Markdown field (``testo``) and single-line
field (``riga``) gets a hostile value carrying a marker that names the field. A field added to a
schema tomorrow is covered without touching this file; a new *code* pattern (an id, a date form)
needs an example in ``PATTERN_EXAMPLES`` and the generator says so.

``benign=True`` writes the same tree with harmless texts: the site built from it is the
reference for which active elements (the theme's scripts, its search form...) are legitimate.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from pdz.content import schemas
from pdz.content.schemas import document as _document, resolve as _resolve
from pdz.content.model import KINDS

AMBITO = "ostile"
PERIOD = "2021-2023"
# Single-line: everything that could open markup, a handler, a link or a template.
HOSTILE_LINE = ('{m} "><img src=x onerror=alert(1)><script>alert(2)</script>\' onmouseover=alert(3) x=\' '
                '<svg onload=alert(4)><iframe src="javascript:alert(5)"></iframe> [l](javascript:alert(6)) '
                '{{{{ 7*191 }}}} {{: onclick=alert(7) }} <a href="vbscript:msgbox(8)">v</a> '
                '<meta http-equiv="refresh" content="0;url=javascript:alert(9)"><style>*{{}}</style>'
                '<form action="https://example.org"><object data="x"></object><embed src="x">'
                '<base href="https://example.org/"> &lt;script&gt;alert(10)&lt;/script&gt; </textarea></title>'
                '</script><script>alert(11)</script> --> ]]> {m}')
# Markdown: the single line plus what only Markdown can do (attribute lists, raw blocks, images).
HOSTILE_TEXT = (HOSTILE_LINE + '\n\n## Titolo {{ #x onfocus=alert(12) autofocus }}\n\n'
                '[link](javascript:alert(13)) [dati](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) '
                '![img](javascript:alert(14)) <https://example.org/" onmouseover="alert(15)>\n\n'
                '<details open ontoggle=alert(16)><summary>x</summary></details>\n\n'
                '<p style="background:url(javascript:alert(17))" onclick="alert(18)">p</p>\n\n'
                '- voce {{: onclick=alert(19) }}\n\n'
                '<div markdown="1">**x**</div>\n\n'
                '    <script>alert(20)</script>\n\n'
                '| a | b |\n|---|---|\n| <img src=x onerror=alert(21)> | [x](JaVaScRiPt:alert(22)) |\n\n'
                '<!-- <script>alert(23)</script> -->\n{m}')
BENIGN_LINE = "{m} testo innocuo {m}"
# The same structure as HOSTILE_TEXT where it decides the page's own scripts: a page with a table
# loads the tables' script (pdz.site.pages.PAGE_SCRIPTS), in both sites alike.
BENIGN_TEXT = "{m} testo innocuo.\n\n| a | b |\n|---|---|\n| x | y |\n\nSecondo paragrafo {m}"

# Examples for the code patterns of the schemas (ids, dates...), keyed by the pattern itself.
PATTERN_EXAMPLES = {
    "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(?![\\s\\S])": "2099-12-31",
    "^[0-9]{4}-[0-9]{4}(?![\\s\\S])": "2021-2023",
    "^[0-9]{4}(-[0-9]{4})?(?![\\s\\S])": "2021",
    "^[0-9]{6}(?![\\s\\S])": "015146",
    "^[0-9]{4}(-[0-9]{4})?(?![\\s\\S])|^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(?![\\s\\S])": "2022",
    "^[0-9]{4}(-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))?(?![\\s\\S])": "2024-12-31",
    "^[A-Za-z0-9.]+(?![\\s\\S])": "1.1",
    "^[A-Za-z0-9_.-]+(?![\\s\\S])": "ostile.txt",
    "^https?://": "https://example.org/ostile.pdf",
    "^(ambito|obiettivo|valutazione|progetto|organo|tabella|monitoraggio|sezione|partner|sigla|area|indicatore|"
    "azione|comune|righe|riferimenti)(?![\\s\\S])": "obiettivo",
}


def record_id(kind: str) -> str:
    if kind == "ambito":
        return AMBITO
    if kind == "piano":
        return f"{AMBITO}/{PERIOD}"
    if kind == "area":
        return "A"
    if KINDS[kind].scoped:
        return f"{AMBITO}/{PERIOD}/{KINDS[kind].folder}/01-ostile"
    return f"{kind}-ostile"


def file_of(kind: str) -> str:
    if kind == "ambito":
        return f"ambiti/{AMBITO}/ambito.yaml"
    if kind == "piano":
        return f"ambiti/{AMBITO}/{PERIOD}/piano.yaml"
    if KINDS[kind].scoped:
        return f"ambiti/{AMBITO}/{PERIOD}/{KINDS[kind].folder}/01-ostile.md"
    return f"{KINDS[kind].folder}/{record_id(kind)}.yaml"


class Generator:
    def __init__(self, benign: bool):
        self.benign = benign
        self.markers: dict[str, str] = {}   # marker -> "kind: field"
        self.plan_group = ""

    def text(self, kind: str, path: tuple, shape: str) -> str:
        marker = f"M{len(self.markers):03d}M"
        self.markers[marker] = f"{kind}: {'.'.join(map(str, path))}"
        if self.benign:
            return (BENIGN_TEXT if shape == "testo" else BENIGN_LINE).format(m=marker)
        return (HOSTILE_TEXT if shape == "testo" else HOSTILE_LINE).format(m=marker)

    def reference(self, kind: str, path: tuple) -> str | None:
        pattern = tuple("*" if isinstance(p, int) else p for p in path)
        for ref in KINDS[kind].refs:
            if ref.path == pattern:
                return record_id(ref.target)
        return None

    def fill(self, kind, node, document, path, shape=None):
        if "$ref" in node:
            target, target_doc, name = _resolve(node["$ref"], document)
            merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            return self.fill(kind, merged, target_doc, path, name if name in ("testo", "riga") else shape)
        for key in ("anyOf", "oneOf"):
            if key in node and "properties" not in node:   # alternatives of a value, not of an object's fields
                return self.fill(kind, node[key][0], document, path, shape)
        types = node.get("type")
        types = types if isinstance(types, list) else [types]
        if "object" in types or "properties" in node:
            return {key: self.fill(kind, sub, document, path + (key,))
                    for key, sub in node.get("properties", {}).items()}
        if "array" in types:
            count = max(1, node.get("minItems", 1))
            return [self.fill(kind, node["items"], document, path + (i,)) for i in range(count)]
        if "string" in types:
            ref = self.reference(kind, path)
            if ref:
                return ref
            if "enum" in node:
                return node["enum"][0]
            if path and path[-1] in KINDS:   # an id named after its kind ("documento": ...)
                return record_id(path[-1])
            if "pattern" in node and shape != "riga":
                assert node["pattern"] in PATTERN_EXAMPLES, \
                    f"{kind}.{'.'.join(map(str, path))}: add an example of {node['pattern']!r} to PATTERN_EXAMPLES"
                return PATTERN_EXAMPLES[node["pattern"]]
            return self.text(kind, path, shape or "riga")
        if "integer" in types or "number" in types:
            return max(1, node.get("minimum", 1))
        if "boolean" in types:
            return True
        return None

    def record(self, kind: str) -> dict:
        name = schemas.kind_file(kind)
        data = self.fill(kind, _document(name), name, ())
        return self.adjust(kind, data)

    def adjust(self, kind: str, data: dict) -> dict:
        """The few cross-field rules of integrity.py (not expressible in a schema)."""
        if kind == "area":
            data["lettera"] = "A"
        if kind == "piano":         # the group the plan places in areas is the evaluations' group
            self.plan_group = data["aree_dei_gruppi"][0]["gruppo"]
        if kind == "valutazione":   # would need an objective of an earlier plan: a reference, no text
            data.pop("obiettivo_valutato", None)
            for marker in re.findall(r"M\d{3}M", data["gruppo"]):   # its own text gives way to the plan's
                self.markers.pop(marker, None)
            data["gruppo"] = self.plan_group
        if kind == "obiettivo":     # the same: an objective of an earlier plan it continues
            data["continuita"].pop("obiettivi", None)
        if kind == "tabella":
            data["colonne"] = [dict(data["colonne"][0], tipo="testo")]
        return data

    def write(self, content: Path) -> None:
        # the document's text, published line by line in fonti/ (named by its 'file' field)
        source = content.parent / "fonti" / PATTERN_EXAMPLES["^[A-Za-z0-9_.-]+(?![\\s\\S])"]
        source.parent.mkdir(exist_ok=True)
        records = {kind: self.record(kind) for kind in KINDS}
        # a term of the citizen vocabulary must be written in the line its entry cites (line 1):
        # the document's first line is that term (emphasis marks aside, as the check reads a quote)
        lines = [records["voce"]["termini"][0].replace("*", "")] + [self.text("documento", ("(testo)", n), "riga") for n in range(1, 3)]
        source.write_text("\n".join(lines), encoding="utf-8")
        for kind, data in records.items():
            path = content / file_of(kind)
            path.parent.mkdir(parents=True, exist_ok=True)
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
            if path.suffix == ".md":
                body = self.text(kind, ("(corpo)",), "testo") if kind == "sezione" else ""
                text = "---\n" + text + "---\n" + body + "\n"
            path.write_text(text, encoding="utf-8")
