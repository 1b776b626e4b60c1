"""Transcription fidelity: every long free text is compared, word by word, with the source
lines its record cites.

A text of MIN_CHARS characters or more must be the source's words, in order: line breaks,
hyphenation, punctuation, case and Markdown emphasis are ignored. Reported:

- an omission: source words inside the passage the text transcribes that the text leaves out,
  where the text has no ``[…]`` marker and no other field of the record holds those words;
- a change: words of the text that are not in the source at that point.

A change is accepted when the record has a ``note_fonte`` for that field (the correction is
explained to readers). An omission never is: the text must show the gap itself with ``[…]``
where the words are left out (a note then says why), so that a reader of the text alone knows
that something is missing. ``python -m pdz.commands.fidelity`` prints every finding.
Plain Python, no MkDocs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from pdz.content import schemas
from pdz.content.model import KINDS
from pdz.content.sourcetext import HYPHEN as _HYPHEN, TAGS as _TAGS, WORD as _WORD, source_words


MIN_CHARS = 200
GAP = "\x00gap"                 # a '[…]' of the text: words may be left out there
MAX_OMITTED = 3                 # a shorter run of left-out source words is a typesetting artefact
SOLID = 4                       # words in a row that place a text in its source
_MARKER = re.compile(r"\[(?:…|\.\.\.)\]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# the editors' own words, not the plan's: sources, notes, review, and the reason of the last change
SKIPPED_FIELDS = {"fonti", "note_fonte", "revisione", "redazione"} | \
    {name for kind in KINDS for name in schemas.reason_fields(kind)}
# Fields written by the editors "on the basis of the source", not transcribed: (kind, field path
# without list indices). See the schemas' descriptions.
EDITORIAL = {("partner", ("ambiti", "ruolo"))}
# Fields, wherever they are, that hold the editors' words: why they infer a link between plans.
EDITORIAL_NAMES = {"dedotto"}
# Kinds whose texts gather excerpts from several places of the plan (a body, its members, its
# tasks): each paragraph or list item is compared on its own.
EXCERPT_KINDS = {"organo", "partner", "area", "sigla"}
# The questions of the regional forms (Tabelle 2 and 3), which the PDF extraction scatters among
# the answers: never transcribed, so never an omission.
FORM_LABELS = [
    "titolo obiettivo", "descrizione obiettivo", "target destinatario i dell intervento",
    "l obiettivo è trasversale ed integrato con altre aree di policy si no se sì quali",
    "l obiettivo e trasversale ed integrato con altre aree di policy",
    "presenta aspetti di integrazione sociosanitaria si no",
    "è in continuità con la programmazione precedente 2018 2020 si no",
    "l intervento è coprogettato con altri attori della rete si no",
    "questo intervento a quale i bisogno i risponde indicatori input",
    "quali modalità organizzative operative e di erogazione sono adottate indicatori di processo "
    "come verrà realizzato l intervento e indicatori individuati",
    "quali risultati vuole raggiungere indicatori di output", "quale impatto vuole avere l intervento",
    "quale impatto ha avuto l intervento indicatori di outcome",
    "risorse economiche preventivate d ambito importo anche approssimativo",
    "risorse di personale dedicate chi è impegnato e con quali funzioni",
    "grado di raggiungimento dell obiettivo rispetto a ciò che è stato definito nella programmazione",
    "valutazione da parte degli utenti ove pertinente",
    "livello di coincidenza tra risorse stanziate e risorse impegnate liquidate", "criticità rilevate",
    "questo obiettivo ha adeguatamente risposto ad un bisogno producendo un cambiamento positivo nell area "
    "individuata come problematica si no",
    "l obiettivo era in continuità con la programmazione precedente 2015 2017 si no",
    "l obiettivo verrà riproposto nella prossima programmazione si no",
    "breve descrizione delle azioni realizzate durante il triennio",
    # the regional project form (seed 002, section 4): its instructions; the macro-areas it lists
    # are added from content/aree (check_all)
    "indicare almeno un punto chiave", "macroarea di policy punti chiave",
]
# Questions of the forms that the extraction prints a second time, garbled, in the column of the
# questions (seed 002): debris of a label, never words of an answer.
LABEL_DEBRIS = [
    "individuality content no been attent",             # INDIVIDUATA COME PROBLEMATICA?
    "trossinia trograminiazione 2021 2025",              # PROSSIMA PROGRAMMAZIONE 2021-2023?
    "trossivia trosilativiazione 2021 2023",
]


@dataclass
class Finding:
    record: str
    path: str          # content file
    field: str
    kind: str          # "omissione" or "modifica"
    words: str         # the words concerned
    line: int          # first source line concerned (0 when unknown)

    def format(self) -> str:
        where = f" (riga {self.line} della fonte)" if self.line else ""
        what = "parole della fonte mancanti nel testo" if self.kind == "omissione" else "parole non presenti nella fonte"
        return f"{self.path}: {self.field}: {what}{where}: «{self.words}»"


def words(text: str) -> list[str]:
    text = _LINK.sub(r"\1", _TAGS.sub(" ", text).replace("’", "'"))
    text = _MARKER.sub(f" {GAP} ", text)
    text = _HYPHEN.sub(r"\1\2", _HYPHEN.sub(r"\1\2", text))
    out = []
    for part in text.split():
        if part == GAP:
            out.append(GAP)
        else:
            out += [w.lower() for w in _WORD.findall(part.replace("_", " "))]
    return out


def free_texts(data, path=()):
    """(field path, text) of every string of a record's data, notes and sources excluded."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not path and key in SKIPPED_FIELDS:
                continue
            yield from free_texts(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from free_texts(value, path + (i,))
    elif isinstance(data, str):
        yield path, data


def field_name(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path))


def blocks_of(opcodes) -> list[tuple[int, int, int]]:
    """(text index, source index, size) of the matching blocks, in order."""
    return [(i1, j1, i2 - i1) for tag, i1, i2, j1, j2 in opcodes if tag == "equal"]


def _label_positions(src: list[str], labels=None) -> set[int]:
    """Positions of source words that belong to a form question (runs of 2 words or more)."""
    grams = set()
    for label in labels or FORM_LABELS + LABEL_DEBRIS:
        tokens = words(label)
        for n in range(1, len(tokens) + 1):
            for i in range(len(tokens) - n + 1):
                grams.add(" ".join(tokens[i:i + n]))
    found: set[int] = set()
    i = 0
    while i < len(src):
        n = 0
        while i + n < len(src) and " ".join(src[i:i + n + 1]) in grams:
            n += 1
        if n >= 2:
            found.update(range(i, i + n))
            i += n
        else:
            i += 1
    return found


def pieces(record, path: tuple, value: str) -> list[tuple[tuple, str]]:
    """The texts to compare: the whole field; each cell of a Markdown table (the extraction
    interleaves the columns of a table line by line); each paragraph for the kinds made of
    excerpts."""
    lines = value.split("\n")
    cells = [c for line in lines if line.lstrip().startswith("|")
             for c in line.strip().strip("|").split("|") if c.strip() and not set(c.strip()) <= set("-: ")]
    rest = "\n".join(line for line in lines if not line.lstrip().startswith("|"))
    parts = [rest] if record.kind not in EXCERPT_KINDS else re.split(r"\n\s*\n|\n(?=\s*[-*] )", rest)
    return [(path, p.strip()) for p in parts + cells if p.strip()]


def _noted_at(notes: list, field: str, line: int) -> bool:
    """True when a note on ``field`` explains the lines around ``line``."""
    return any(str(n.get("campo", "")).split(".")[0].split("[")[0] == field and n.get("righe")
               and n["righe"][0] <= line <= n["righe"][1] for n in notes)


def check_record(record, texts, labels=None, related=()) -> tuple[int, list[Finding]]:
    """(number of texts compared, findings) for one record. ``labels``: the form questions to
    ignore (default FORM_LABELS and LABEL_DEBRIS); ``related``: texts of other records that hold
    words of the same lines (the evaluation of an objective known only through it)."""
    src, at = [], []
    for source in record.data.get("fonti") or []:
        text = texts.get(source["documento"])
        if text and source.get("righe"):
            w, a = source_words(text.lines, *source["righe"])
            src += w
            at += a
    if not src:
        return 0, []
    strings = [(p, v) for p, v in free_texts(record.data)
               if (record.kind, tuple(x for x in p if not isinstance(x, int))) not in EDITORIAL
               and p[-1] not in EDITORIAL_NAMES]
    if record.body:
        # the Markdown body: an objective's or evaluation's descrizione, a section's text
        strings.append((("descrizione" if record.kind in ("obiettivo", "valutazione") else "corpo",), record.body))
    strings = [piece for path, value in strings for piece in pieces(record, path, value)]
    covered = _label_positions(src, labels)
    vocabulary = set(src)
    alignments = []
    for value in related:   # words another record holds are not missing from this one
        tokens = words(value)
        for b in SequenceMatcher(None, tokens, src, autojunk=False).get_matching_blocks():
            if b.size >= SOLID:
                covered.update(range(b.b, b.b + b.size))
    for path, value in strings:
        tokens = words(value)
        if not tokens:
            continue
        matcher = SequenceMatcher(None, tokens, src, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        for b in blocks:
            if b.size >= min(SOLID, len(tokens)):
                covered.update(range(b.b, b.b + b.size))
        if len(value) >= MIN_CHARS:
            alignments.append((path, tokens, matcher.get_opcodes()))
    notes = record.data.get("note_fonte") or []
    noted = {str(n.get("campo", "")).split(".")[0].split("[")[0] for n in notes}
    findings = []
    for path, tokens, opcodes in alignments:
        # a note explains the changes of its field to readers; it never stands in for a '[…]'
        explained = str(path[0]) in noted
        own = set(tokens)
        # Solid blocks (SOLID words or more in a row) place the text in the source; single common
        # words matched here and there do not.
        solid = [b for b in blocks_of(opcodes) if b[2] >= min(SOLID, len(tokens))]
        if not solid:
            if not explained:
                findings.append(Finding(record.id, record.path, field_name(path), "modifica", " ".join(tokens[:12]), 0))
            continue
        in_solid: set[int] = set()
        for i, _j, size in solid:
            in_solid.update(range(i, i + size))
        run: list[int] = []
        for i in range(len(tokens) + 1):   # text words that the cited lines do not have at all
            if i < len(tokens) and i not in in_solid and tokens[i] != GAP and tokens[i] not in vocabulary:
                run.append(i)
                continue
            if run and not explained:
                near = [b for b in solid if b[0] + b[2] <= run[0]]
                line = at[near[-1][1] + near[-1][2] - 1] if near else at[solid[0][1]]
                findings.append(Finding(record.id, record.path, field_name(path), "modifica",
                                        " ".join(tokens[k] for k in run), line))
            run = []
        for (i1, j1, n1), (i2, j2, _n2) in zip(solid, solid[1:]):   # source words skipped inside the passage
            if GAP in tokens[i1 + n1:i2] or j2 <= j1 + n1:
                continue
            if i1 + n1 == i2 and src[j2 - n1:j2] == tokens[i1:i1 + n1]:
                continue   # the source repeats these words: they also stand right before the next block
            # words the text has elsewhere are moved, not missing (a table rewritten as a list)
            missing = [k for k in range(j1 + n1, j2) if k not in covered and src[k] not in own]
            # a passage the extraction scrambled: '[…]' in the text and a note on those lines
            if len(missing) > MAX_OMITTED and not (GAP in tokens and _noted_at(notes, str(path[0]), at[missing[0]])):
                findings.append(Finding(record.id, record.path, field_name(path), "omissione",
                                        " ".join(src[k] for k in missing[:40]) + (" …" if len(missing) > 40 else ""),
                                        at[missing[0]]))
    return len(alignments), findings


def check_all(catalog, texts) -> tuple[int, list[Finding]]:
    compared, findings = 0, []
    labels = FORM_LABELS + LABEL_DEBRIS + [f"{a.data['lettera']} {a.data['nome']}" for a in catalog.all("area")]
    evaluations: dict[str, list[str]] = {}
    for e in catalog.all("valutazione"):
        if e.data.get("obiettivo_valutato"):
            evaluations.setdefault(e.data["obiettivo_valutato"], []).extend(
                [v for _, v in free_texts(e.data)] + ([e.body] if e.body else []))
    for record in sorted(catalog.by_key.values(), key=lambda r: (r.path, r.id)):
        n, found = check_record(record, texts, labels, evaluations.get(record.id, ()) if record.kind == "obiettivo" else ())
        compared += n
        findings += found
    return compared, findings
