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

_BOOL_WORDS = re.compile(r"^(yes|no|on|off|y|n)$", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")
_LEADING_ZERO = re.compile(r"^[+-]?0[0-9]+$")
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver: dates are validated as text by the schema."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

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
    result = YamlResult()
    offset = first_line - 1
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        problem = exc.problem or str(exc)
        result.issues.append(YamlIssue(
            line, (), f"YAML non valido: {_translate(problem)}",
            "controlla rientri, due punti e virgolette su questa riga o su quella sopra"))
        return result
    except yaml.YAMLError as exc:  # pragma: no cover - defensive, all PyYAML errors are marked
        result.issues.append(YamlIssue(first_line, (), f"YAML non valido: {exc}", ""))
        return result
    finally:
        loader.dispose()
    if node is None:
        return result
    builder = _Builder(loader, offset, result)
    result.data = builder.build(node, ())
    return result


def _translate(problem: str) -> str:
    known = {
        "found character '\\t' that cannot start any token": "c'è un carattere di tabulazione: usa spazi",
        "mapping values are not allowed here": "due punti inattesi (metti il testo tra virgolette)",
        "could not find expected ':'": "manca il ':' dopo il nome del campo",
        "found undefined alias": "alias non definito",
        "expected <block end>, but found '-'": "elemento di elenco fuori posto (controlla i rientri)",
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

    def line_of(self, node) -> int:
        return node.start_mark.line + 1 + self.offset

    def issue(self, node, path, message, hint):
        self.result.issues.append(YamlIssue(self.line_of(node), path, message, hint))

    def build(self, node, path):
        # PyYAML resolves aliases to the very same node object: seeing one twice means an alias.
        if id(node) in self.seen_nodes:
            self.issue(node, path, "alias YAML (*nome) non ammesso",
                       "ripeti il valore per esteso invece di usare & e *")
            return None
        self.seen_nodes.add(id(node))
        self.result.lines.setdefault(path, self.line_of(node))
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

    def build_scalar(self, node, path):
        if node.style is None:  # plain (unquoted) scalar: where YAML 1.1 traps live
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
            if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") \
                    and not _PLAIN_NUMBER.match(text):
                self.issue(node, path,
                           f"il valore {text} è un numero scritto in forma ambigua",
                           "scrivi i numeri con il punto come separatore decimale (1500000.50) "
                           "oppure metti il testo tra virgolette")
                return text
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self.issue(node, path, f"valore YAML non ammesso ({exc.problem})",
                       "usa solo testo, numeri, elenchi e campi")
            return None
