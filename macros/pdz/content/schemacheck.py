"""Validate one record against its kind's JSON Schema and explain failures in Italian."""
from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import TYPE_CHECKING

import fastjsonschema

from pdz.content import schemas
from pdz.content.problems import Problem, field_path

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from referencing import Registry

# jsonschema (and referencing) explain what is wrong with a record: they are imported only when a
# record fails the compiled check, as most processes that validate (builds, make check) find no
# problem, and importing them costs a tenth of a second.

# The pattern of _defs 'riga' (single-line text) and the characters it refuses, named for editors.
RIGA_PATTERN = schemas.riga_pattern()
_SINGLE_LINE_BREAKER = re.compile("[" + RIGA_PATTERN.removeprefix("^[^").removesuffix("]*(?![\\s\\S])") + "]")
_BREAKER_NAMES = {"\n": "un a capo", "\r": "un a capo (ritorno carrello, U+000D)", "\t": "una tabulazione",
                  "\x85": "un a capo (U+0085, 'next line')", "\u2028": "un a capo (U+2028, separatore di riga)",
                  "\u2029": "un a capo (U+2029, separatore di paragrafo)"}


def _breaker_name(text: str) -> str:
    char = _SINGLE_LINE_BREAKER.search(text).group()
    return _BREAKER_NAMES.get(char, f"un carattere di controllo invisibile (U+{ord(char):04X})")


_TYPE_NAMES = {
    "string": "un testo", "number": "un numero", "integer": "un numero intero",
    "array": "un elenco (righe che iniziano con '- ')", "object": "un gruppo di campi",
    "boolean": "true oppure false", "null": "vuoto",
}


@lru_cache(maxsize=None)
def _registry() -> Registry:
    from referencing import Registry, Resource
    return Registry().with_resources((path.name, Resource.from_contents(schemas.document(path.name)))
                                     for path in schemas.schema_files())


@lru_cache(maxsize=None)
def validator_for(kind: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator
    return Draft202012Validator(schemas.kind_schema(kind), registry=_registry())


@lru_cache(maxsize=None)
def fast_validator_for(kind: str):
    """The same schema compiled to Python (fastjsonschema): ~15x faster on valid records. Only
    its yes or no is used (jsonschema explains the failures), so the exceptions carry no detail:
    with details the generated code copies the schema into every check (2.7 MB for all kinds,
    half a second to compile in every process that validates; 0.4 MB and 0.1 s without)."""
    return fastjsonschema.compile(schemas.bundled(kind), detailed_exceptions=False)


def is_valid(kind: str, data) -> bool:
    try:
        fast_validator_for(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _type_of(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object", type(None): "null"}.get(type(value), "?")


def check_schema(record) -> list[Problem]:
    if is_valid(record.kind, record.data):   # fast path; jsonschema explains the failures
        return []
    problems = []
    errors = sorted(validator_for(record.kind).iter_errors(record.data),
                    key=lambda e: (record.line(tuple(e.absolute_path)), list(map(str, e.absolute_path))))
    for error in errors:
        problems.extend(_explain(record, error))
    return problems


def _single_line_errors(errors):
    for error in errors:
        if error.validator == "pattern" and error.validator_value == RIGA_PATTERN:
            yield error
        yield from _single_line_errors(error.context or ())


def _explain(record, error) -> list[Problem]:
    path = tuple(error.absolute_path)
    where = field_path(path)
    line = record.line(path)
    kind, value, instance = error.validator, error.validator_value, error.instance
    # the hint is for whoever fixes the file: the description and its note for file authors
    description = schemas.file_hint(error.schema) if isinstance(error.schema, dict) else ""

    def problem(message, hint="", field=where, at=line):
        return Problem(record.path, at, field, message, hint)

    if kind in ("anyOf", "oneOf") and error.context and \
            all(e.validator == "required" and len(e.validator_value) == 1 for e in error.context):
        # alternatives that each ask for a field (a link's lines or the editors' reason): name them all
        names = [name for e in error.context for name in e.validator_value if name not in (instance or {})]
        return [problem("serve uno di questi campi: " + " oppure ".join(f"'{n}'" for n in dict.fromkeys(names)),
                        description)]
    if kind in ("anyOf", "oneOf") and error.context:
        # A value of several forms (a table cell: one line of text, a number or empty; a measured
        # value: a number, a group of fields or a list): explain the form that matches the value's
        # type (and any line break in one of its single-line texts), or say which types are allowed.
        shaped = [e for e in error.context if not (e.validator == "type" and not e.relative_path)]
        if shaped:
            from jsonschema.exceptions import best_match
            found = _explain(record, best_match(shaped)) + \
                [p for e in _single_line_errors(shaped) for p in _explain(record, e)]
            return list(dict.fromkeys(found))
    if kind == "required":
        return [problem(f"manca il campo obbligatorio '{name}'",
                        f"aggiungi la riga '{name}:' in questo gruppo di campi",
                        field_path(path + (name,)))
                for name in value if isinstance(instance, dict) and name not in instance]
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        out = []
        for name in instance:
            if name in allowed:
                continue
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            hint = f"forse intendevi '{close[0]}'?" if close else "campi ammessi: " + ", ".join(allowed)
            out.append(problem(f"campo sconosciuto '{name}'", hint, field_path(path + (name,)),
                               record.line(path + (name,))))
        return out
    if kind == "type":
        expected = value if isinstance(value, list) else [value]
        wanted = " o ".join(_TYPE_NAMES.get(t, t) for t in expected)
        found_type = _TYPE_NAMES.get(_type_of(instance), "altro")
        hint = description or ""
        if "string" in expected and isinstance(instance, (int, float)):
            hint = "metti il valore tra virgolette"
        return [problem(f"atteso {wanted}, trovato {found_type}", hint)]
    if kind == "enum":
        return [problem(f"valore '{instance}' non ammesso",
                        "valori ammessi: " + ", ".join(map(str, value)))]
    if kind in ("minimum", "exclusiveMinimum"):
        return [problem(f"il valore {instance} è troppo piccolo: il minimo è {value}", description)]
    if kind in ("maximum", "exclusiveMaximum"):
        return [problem(f"il valore {instance} è troppo grande: il massimo è {value}", description)]
    if kind == "pattern" and value == RIGA_PATTERN and _SINGLE_LINE_BREAKER.search(instance):
        return [problem(f"il testo deve stare su una riga sola: contiene {_breaker_name(instance)}",
                        "scrivi il valore su una riga, senza a capo, tabulazioni o caratteri invisibili "
                        "(spesso arrivano copiando da un PDF o da un foglio di calcolo)")]
    if kind == "pattern":
        return [problem(f"il valore '{instance}' non ha il formato richiesto", description)]
    if kind == "minLength":
        return [problem("il testo è vuoto", "scrivi un testo oppure togli il campo")]
    if kind == "maxLength":
        return [problem(f"il testo è troppo lungo ({len(instance)} caratteri, massimo {value})",
                        "dividi il testo o accorcialo: i campi su una riga sono titoli e nomi, "
                        "i testi lunghi vanno nei campi descrittivi o nel corpo del file .md")]
    if kind == "minItems":
        return [problem(f"l'elenco deve avere almeno {value} elementi", description)]
    if kind == "minProperties":
        return [problem("il gruppo di campi è vuoto", "compila almeno un campo oppure togli il gruppo")]
    if kind == "maxItems":
        return [problem(f"l'elenco può avere al massimo {value} elementi", description)]
    if kind in ("anyOf", "oneOf"):
        return [problem("il valore non ha nessuna delle forme ammesse", description)]
    return [problem(f"valore non valido ({error.message})", description)]
