"""Strict YAML reading for contributor content.

PyYAML follows YAML 1.1, where an unquoted ``NO`` becomes ``False``, ``0123`` becomes the
octal number 83 and ``1:20`` becomes 80. Editors do not expect that, so such plain scalars
are reported as problems instead of being converted silently. Dates stay strings (the schema
checks their format), aliases and duplicate keys are refused, and every value remembers its
line so that errors can point at it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from pdz.content import invisible

_BOOL_WORDS = re.compile(r"^(yes|no|on|off|y|n)$", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")
_LEADING_ZERO = re.compile(r"^[+-]?0[0-9]+$")
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_SCALAR_TAGS = tuple(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null"))
# control characters and lone surrogates (from escapes such as "\x07" or "\ud800"): they
# cannot be written to an HTML page or printed, so they are refused like unquoted traps
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
MAX_DEPTH = 40        # nesting levels; real content uses fewer than 10
MAX_DIGITS = 15       # a float holds 15 significant digits: longer numbers are codes, or typos


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver: dates are validated as text by the schema."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# libyaml parses about ten times faster than the pure-Python reader. It composes the same node
# tree (same tags from the same resolvers), so it is the fast path for valid files; anything it
# refuses is parsed again by the pure-Python loader, whose errors we know how to explain.
_FastLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]   # noqa: N801 - a loader class, like PyYAML's
        yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers

PathKey = tuple  # a path of mapping keys (str) and sequence indexes (int)


@dataclass
class YamlIssue:
    line: int
    path: PathKey
    message: str
    hint: str


@dataclass
class YamlResult:
    data: object = None
    lines: dict = field(default_factory=dict)      # PathKey -> 1-based line
    issues: list = field(default_factory=list)     # list[YamlIssue]


def load(text: str, first_line: int = 1) -> YamlResult:
    """Parse one YAML document. ``first_line`` is the file line where ``text`` starts."""
    fast = _load_fast(text, first_line)
    return fast if fast is not None else _load_checked(text, first_line)


def _load_fast(text: str, first_line: int) -> YamlResult | None:
    """libyaml composition; None when the text needs the careful path (or libyaml is absent)."""
    if _FastLoader is None or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()
    result = YamlResult()
    if node is not None:
        result.data = _Builder(loader, first_line - 1, result).build(node, ())
    return result


def _load_checked(text: str, first_line: int) -> YamlResult:
    """The pure-Python loader: slower, with precise, explainable errors."""
    result = YamlResult()
    offset = first_line - 1
    try:
        loader = _StrictLoader(text)   # checks every character before parsing
    except yaml.reader.ReaderError as exc:
        line = text[:exc.position].count("\n") + first_line
        result.issues.append(YamlIssue(
            line, (), f"il testo contiene un carattere di controllo invisibile ({_char_name(exc.character)})",
            "cancella il carattere (spesso arriva copiando da un PDF) e salva di nuovo"))
        return result
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or str(exc)
        if exc.context == "while scanning a quoted scalar" and exc.context_mark:
            mark = exc.context_mark   # where the unclosed quote opens, not the end of the file
            problem = "virgolette aperte su questa riga e mai chiuse"
        line = (mark.line + 1 + offset) if mark else first_line
        result.issues.append(YamlIssue(
            line, (), f"YAML non valido: {_translate(problem)}",
            "controlla rientri, due punti e virgolette su questa riga o su quella sopra"))
        return result
    except yaml.YAMLError as exc:  # pragma: no cover - defensive, all PyYAML errors are marked
        result.issues.append(YamlIssue(first_line, (), f"YAML non valido: {exc}", ""))
        return result
    except RecursionError:   # PyYAML composes nested collections recursively
        result.issues.append(YamlIssue(first_line, (), "YAML non valido: struttura annidata troppo in profondità",
                                       f"usa al massimo {MAX_DEPTH} livelli di rientro o di parentesi"))
        return result
    finally:
        loader.dispose()
    if node is None:
        return result
    builder = _Builder(loader, offset, result)
    result.data = builder.build(node, ())
    return result


def _char_name(char) -> str:
    code = ord(char) if isinstance(char, str) and len(char) == 1 else char
    return f"U+{code:04X}" if isinstance(code, int) else repr(char)


def _translate(problem: str) -> str:
    known = {
        "found character '\\t' that cannot start any token": "c'è un carattere di tabulazione: usa spazi",
        "mapping values are not allowed here": "due punti inattesi (metti il testo tra virgolette)",
        "could not find expected ':'": "manca il ':' dopo il nome del campo",
        "found undefined alias": "alias non definito",
        "expected <block end>, but found '-'": "elemento di elenco fuori posto (controlla i rientri)",
        "but found another document": "c'è una seconda riga '---': il file deve contenere un solo documento",
        "found unexpected end of stream": "il file finisce prima del previsto (manca una chiusura?)",
        "expected ',' or ']'": "manca la parentesi ] di chiusura dell'elenco (o una virgola)",
        "expected ',' or '}'": "manca la parentesi } di chiusura del gruppo (o una virgola)",
        "found unknown escape character": "sequenza con \\ non valida tra virgolette doppie (usa le virgolette semplici)",
        "that cannot start any token": "un valore non può iniziare con questo carattere (metti il testo tra virgolette)",
        "did not find expected key": "riga fuori posto (controlla i rientri)",
        "did not find expected '-' indicator": "elemento di elenco fuori posto (controlla i rientri)",
        "expected <block end>, but found": "testo fuori posto (virgolette non chiuse o rientro sbagliato sopra?)",
        "expected <document start>, but found": "testo fuori posto (controlla i rientri)",
        "found character that cannot start any token": "un valore non può iniziare con questo carattere",
    }
    for english, italian in known.items():
        if english in problem:
            return italian
    return problem


class _Builder:
    def __init__(self, loader, offset, result: YamlResult):
        self.loader = loader
        self.offset = offset
        self.result = result
        self.seen_nodes: set[int] = set()
        self.alias_reported = False

    def line_of(self, node) -> int:
        return node.start_mark.line + 1 + self.offset

    def issue(self, node, path, message, hint):
        self.result.issues.append(YamlIssue(self.line_of(node), path, message, hint))

    def build(self, node, path):
        # PyYAML resolves aliases to the very same node object: seeing one twice means an alias.
        if id(node) in self.seen_nodes:
            if not self.alias_reported:   # once per file: a "YAML bomb" has thousands of them
                self.alias_reported = True
                self.issue(node, path, "alias YAML (*nome) non ammesso",
                           "ripeti il valore per esteso invece di usare & e *")
            return None
        self.seen_nodes.add(id(node))
        self.result.lines.setdefault(path, self.line_of(node))
        if len(path) > MAX_DEPTH:
            self.issue(node, path[:1], f"struttura annidata troppo in profondità (più di {MAX_DEPTH} livelli)",
                       "semplifica la struttura: i campi dei modelli usano pochi livelli")
            return None
        if isinstance(node, (MappingNode, SequenceNode)) and node.tag not in _COLLECTION_TAGS:
            self.issue(node, path, f"etichetta YAML {node.tag} non ammessa",
                       "togli l'etichetta che inizia con '!'")
            return None
        if isinstance(node, MappingNode):
            return self.build_mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.build_scalar(node, path)

    def build_mapping(self, node, path):
        out = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.issue(key_node, path, "il nome di un campo deve essere un testo semplice", "")
                continue
            key = key_node.value
            if self.bad_text(key_node, path, key):
                continue
            if key == "<<":
                self.issue(key_node, path, "la fusione YAML (<<) non è ammessa", "scrivi i campi per esteso")
                continue
            child = path + (key,)
            if key in out:
                self.issue(key_node, child, f"il campo '{key}' è ripetuto",
                           "tieni una sola riga per campo: la seconda cancellerebbe la prima")
                continue
            self.result.lines[child] = self.line_of(key_node)
            out[key] = self.build(value_node, child)
        return out

    def bad_text(self, node, path, text: str) -> bool:
        match = _BAD_CHARS.search(text)
        if match:
            self.issue(node, path, f"il testo contiene un carattere non ammesso ({_char_name(match.group())})",
                       "togli la sequenza che inizia con \\ (per esempio \\x07 o \\ud800) tra le virgolette")
            return True
        hidden = invisible.find(text)
        if hidden:
            line = self.line_of(node)
            if getattr(node, "style", None) == "|":   # a literal block: its lines follow the '|' line
                line += 1 + text.count("\n", 0, hidden.start())
            self.result.issues.append(YamlIssue(line, path, invisible.message(hidden.group()), invisible.HINT))
        return bool(hidden)

    def good_number(self, node, path) -> bool:
        """Numbers are written plainly: digits, a '-' and a decimal point. Checked whether the
        number is plain or quoted with an explicit tag (``!!float ".nan"``, ``!!int "1:20"``),
        so no reading of YAML 1.1 (not-a-number, infinity, base 60, hex, '_') gets through."""
        text = node.value
        shown = text if len(text) <= 30 else text[:20] + "…"
        bare = text.strip().lstrip("+-").lower()
        if bare.lstrip(".") in ("nan", "inf", "infinity"):
            self.issue(node, path, f"il valore {shown} non è un numero (non è ammesso «non un numero» né «infinito»)",
                       "scrivi un numero come 1500000.50, oppure togli il campo se la fonte non lo indica")
        elif ":" in text:
            self.issue(node, path, f"il valore {shown} sarebbe letto come numero in base 60 (1:20 vale 80)",
                       'scrivi il numero per intero, oppure scrivi il testo tra virgolette senza "!!int"')
        elif not _PLAIN_NUMBER.match(text):
            self.issue(node, path, f"il valore {shown} è un numero scritto in forma ambigua",
                       "scrivi i numeri con il punto come separatore decimale (1500000.50) "
                       "oppure metti il testo tra virgolette")
        elif len(text.lstrip("-").split(".")[0]) > MAX_DIGITS:
            self.issue(node, path, f"il valore {shown} ha troppe cifre per essere un numero",
                       "se è un codice scrivilo tra virgolette")
        else:
            return True
        return False

    def build_scalar(self, node, path):
        if node.tag in ("tag:yaml.org,2002:value", "tag:yaml.org,2002:merge") and not node.style:
            self.issue(node, path, f"il valore {node.value} senza virgolette ha un significato speciale in YAML",
                       f'scrivilo tra virgolette: "{node.value}"')
            return None
        if node.tag not in _SCALAR_TAGS:
            self.issue(node, path, f"etichetta YAML {node.tag} non ammessa",
                       "togli l'etichetta che inizia con '!': usa solo testo, numeri, elenchi e campi")
            return None
        if self.bad_text(node, path, node.value):
            return None
        if not node.style:  # plain (unquoted) scalar (None in PyYAML, "" in libyaml): where YAML 1.1 traps live
            text = node.value
            if _BOOL_WORDS.match(text):
                self.issue(node, path,
                           f"il valore {text} senza virgolette verrebbe letto come vero/falso",
                           f'scrivi "{text.lower()}" tra virgolette')
                return text
            if _LEADING_ZERO.match(text):
                self.issue(node, path,
                           f"il valore {text} ha zeri iniziali e verrebbe letto come numero",
                           f'se è un codice scrivilo tra virgolette: "{text}"')
                return text
        if node.tag in _NUMBER_TAGS:
            if not self.good_number(node, path):
                return node.value
            if node.tag == "tag:yaml.org,2002:float":
                return float(node.value)
            if "." not in node.value:
                return int(node.value)
            self.issue(node, path, f"il valore {node.value} ha dei decimali ma è marcato come intero",
                       'togli "!!int" oppure i decimali')
            return node.value
        if node.tag == "tag:yaml.org,2002:str":
            return node.value   # what the constructor would return, without its bookkeeping
        if node.tag == "tag:yaml.org,2002:null":
            return None
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self.issue(node, path, f"valore YAML non ammesso ({exc.problem})",
                       "usa solo testo, numeri, elenchi e campi")
            return None


def duplicate_keys(text: str) -> list[tuple[int, str]]:
    """(line, key) of every key repeated in the same mapping of a configuration file such as
    mkdocs.yml, whose tags (``!ENV``, ``!!python/name``) are left unresolved. PyYAML keeps the
    last value of a repeated key without a word: a second ``extra_javascript`` list once dropped
    the scripts of the first."""
    found, stack = [], [yaml.compose(text, Loader=yaml.SafeLoader)]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            seen = set()
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in seen:
                        found.append((key.start_mark.line + 1, key.value))
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return sorted(found)
