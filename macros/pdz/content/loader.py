"""Read every file under ``content/`` once, turn it into Records and report problems.

Nothing here writes files or imports MkDocs. ``load_content`` is the single entry point used by
``make check``, the site build and the tests.
"""
from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from pdz.content import invisible, yamlsafe
from pdz.content.catalog import Catalog
from pdz.content.integrity import check_integrity, check_placeholders
from pdz.content.model import (AMBITI_FOLDER, AMBITO_FILE_STEM, CONTENT_EXTENSIONS, GLOBAL_FOLDERS, KINDS,
                    PLAN_FILE_STEM, SCOPED_FOLDERS, Record)
from pdz.content.problems import ERROR, Problem, field_path
from pdz.content.schemacheck import check_schema
from pdz.content.sourcetext import read_folder

MAX_FILE_BYTES = 512 * 1024
MAX_BODY_CHARS = 20000   # the text of a .md file, as a Markdown field; the longest real one has 6936 characters
IGNORED_NAMES = {"README.md", ".gitkeep"}
CONTENT_FOLDER = "content"
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")   # file and folder names are page addresses
_AREA_NAME = re.compile(r"^[A-Z]$")                  # the regional macro-areas A-J
PERIOD = re.compile(r"^[0-9]{4}-[0-9]{4}$")          # a plan's folder: its period
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")   # tab, newline, CR are text
# YAML (and Python's splitlines) also end a line at U+0085, U+2028 and U+2029: in a file they would
# shift every line number after them, and they are never typed on purpose
_OTHER_LINE_BREAKS = re.compile("[\u2028\u2029]")
_BREAK_NAMES = {"\x85": "U+0085, 'next line'", "\u2028": "U+2028, separatore di riga",
                "\u2029": "U+2029, separatore di paragrafo"}


def load_content(root: Path, content_dir: str = "content", ambito_filter: str | None = None,
                 memo: dict | None = None, digests=None):
    """Load and validate the content tree. Returns (Catalog, list[Problem]).

    ``ambito_filter`` keeps one Ambito plus the shared records (editor preview). ``memo`` (kept
    by ``mkdocs serve`` from one build to the next) maps a file's place and bytes to what reading
    it gave: a file whose bytes did not change is not parsed and validated again. ``digests``
    (``pdz.content.filedigests.FileDigests``, with ``memo``): a file is known by the digest of
    its bytes, which is not read again while the file's status is the same.
    """
    root = Path(root)
    base = root / content_dir
    problems: list[Problem] = []
    records: list[Record] = []
    # (kind, id) of files that exist but are not records of this load: files with errors (so no
    # cascade of "unknown reference" errors in the files that point at them) and, in a preview,
    # the other Ambiti's files (so a reference to them is still checked, without reading them)
    invalid: set[tuple] = set()
    placeholders: dict | None = {} if memo is not None else None   # id(record) -> its placeholder warnings
    if not base.is_dir():
        problems.append(Problem(content_dir, 0, "", "cartella dei contenuti non trovata",
                                "esegui il comando dalla cartella principale del progetto"))
        return Catalog([]), problems
    for path, refused in _content_files(base, ambito_filter, invalid):
        rel, placed = _placed(str(root), str(base), str(path))
        if refused:
            problems.append(Problem(rel, 0, "", *refused))
            continue
        if isinstance(placed, Problem):
            problems.append(Problem(rel, 0, "", placed.message, placed.hint))
            continue
        kind, record_id, ambito, plan = placed
        key = None
        if memo is not None:
            try:
                key = (rel, kind, record_id, ambito, plan,
                       path.read_bytes() if digests is None else digests.digest(str(path)))
            except OSError:
                key = None
        if key is not None and key in memo:
            record, file_problems, found = memo[key]
        else:
            record, file_problems = read_record(path, rel, kind, record_id, ambito, plan)
            found = check_placeholders(record) if record is not None and key is not None else None
            if key is not None:
                memo[key] = (record, file_problems, found)
        if found is not None and placeholders is not None:   # a record's own: made once with it
            placeholders[id(record)] = found
        problems.extend(file_problems)
        if record is not None:
            records.append(record)
        else:
            invalid.add((kind, record_id))
    catalog = Catalog(records, invalid)
    problems.extend(check_integrity(catalog, root, placeholders=placeholders))
    problems.extend(read_folder(root, catalog)[1])   # fonti/: the texts the site publishes
    return catalog, sorted(set(problems))


@functools.lru_cache(maxsize=1 << 16)
def _placed(root: str, base: str, path: str) -> tuple:
    """(the name of a content file shown in messages, ``place`` of it): of its path alone, kept
    by path (``mkdocs serve`` loads the same ten thousand files at every edit at N=100)."""
    full = Path(path)
    # names that are not UTF-8 arrive as surrogate escapes: shown with U+FFFD, never a crash
    rel = full.relative_to(root).as_posix().encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return rel, place(full.relative_to(base))


def _content_files(base: Path, ambito_filter: str | None, listed: set):
    """Yield the path of every content file to read, in a stable order.

    A preview (``ambito_filter``) reads the shared folders and its own Ambito only. The other
    Ambiti's files are only listed, into ``listed`` as (kind, id), from their names (no stat,
    no parsing): references to them are still checked, and a preview costs about the same
    whatever the number of Ambiti.
    """
    for top in _entries(base):
        if top.name == AMBITI_FOLDER and ambito_filter and top.is_dir(follow_symlinks=False):
            for ambito in _entries(top.path):
                if ambito.is_dir(follow_symlinks=False) and ambito.name != ambito_filter \
                        and not ambito.name.startswith("."):
                    listed.update(_listed_records(ambito))
                else:
                    yield from _walk(ambito)
        else:
            yield from _walk(top)


def _entries(folder):
    return sorted((e for e in os.scandir(folder) if e.name not in IGNORED_NAMES), key=lambda e: e.name)


def _walk(entry):
    """Yield (path, None) for every file to read, (path, (message, hint)) for what is refused:
    links (they could point outside the repository, or at themselves), hidden files and
    folders (an editor would not see them, and they would be skipped unchecked), and anything
    that is neither a file nor a folder."""
    path = Path(entry.path)
    if entry.is_symlink():
        yield path, ("è un collegamento simbolico: i contenuti devono essere file veri",
                     "sostituisci il collegamento con una copia del file, oppure cancellalo")
    elif entry.name.startswith("."):
        yield path, ("il nome inizia con un punto: è un file nascosto, che non verrebbe pubblicato né controllato",
                     "rinomina il file senza il punto iniziale, oppure cancellalo se non serve")
    elif entry.is_dir(follow_symlinks=False):
        for child in _entries(entry.path):
            yield from _walk(child)
    elif entry.is_file(follow_symlinks=False):
        yield path, None
    else:
        yield path, ("non è un file di testo né una cartella", "cancellalo")


def _listed_records(ambito):
    """(kind, id) of the files of another Ambito, from their names alone."""
    def content_stem(name: str) -> str | None:   # None for hidden and non-content files
        stem, dot, extension = name.rpartition(".")
        return stem if stem and not name.startswith(".") and "." + extension in CONTENT_EXTENSIONS else None

    for entry in os.scandir(ambito.path):
        if entry.is_dir() and PERIOD.match(entry.name):
            plan = f"{ambito.name}/{entry.name}"
            for folder in os.scandir(entry.path):
                if folder.is_dir() and folder.name in SCOPED_FOLDERS:
                    kind = SCOPED_FOLDERS[folder.name].name
                    for child in os.scandir(folder.path):
                        stem = content_stem(child.name)
                        if stem:
                            yield kind, f"{plan}/{folder.name}/{stem}"
                elif content_stem(folder.name) == PLAN_FILE_STEM:
                    yield "piano", plan
        elif content_stem(entry.name) == AMBITO_FILE_STEM:
            yield "ambito", ambito.name


def place(rel: Path):
    """Decide kind and id from the path below content/, or return a Problem."""
    parts = rel.parts
    stem, suffix = rel.stem, rel.suffix
    if suffix not in CONTENT_EXTENSIONS:
        return Problem("", 0, "", f"estensione '{suffix}' non ammessa",
                       "usa .md (testo con intestazione YAML) oppure .yaml (solo dati)")
    names = [stem] + ([parts[1]] if parts[0] == AMBITI_FOLDER and len(parts) > 2 else [])
    bad = [n for n in names if not (_NAME.match(n) or (parts[0] == "aree" and _AREA_NAME.match(n)))]
    if bad:
        shown = bad[0].encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        return Problem("", 0, "", f"il nome '{shown}' non è valido: diventa l'indirizzo della pagina",
                       "usa solo lettere minuscole senza accenti, numeri e trattini, per esempio 03-casa.md")
    if len(parts) == 2 and parts[0] in GLOBAL_FOLDERS:
        return GLOBAL_FOLDERS[parts[0]].name, stem, None, None
    if parts[0] == AMBITI_FOLDER and len(parts) == 3 and stem == AMBITO_FILE_STEM:
        return "ambito", parts[1], parts[1], None
    in_plan = parts[0] == AMBITI_FOLDER and len(parts) >= 4 and PERIOD.match(parts[2])
    plan = f"{parts[1]}/{parts[2]}" if in_plan else None
    if in_plan and len(parts) == 4 and stem == PLAN_FILE_STEM:
        return "piano", plan, parts[1], plan
    if in_plan and len(parts) == 5 and parts[3] in SCOPED_FOLDERS:
        return SCOPED_FOLDERS[parts[3]].name, f"{plan}/{parts[3]}/{stem}", parts[1], plan
    allowed = ", ".join(sorted(GLOBAL_FOLDERS)) + "; ambiti/<ambito>/ambito.yaml; " \
        "ambiti/<ambito>/<periodo>/piano.yaml; ambiti/<ambito>/<periodo>/{" + ",".join(sorted(SCOPED_FOLDERS)) + "}/"
    hint = f"cartelle ammesse: {allowed} (il periodo si scrive come 2021-2023)"
    return Problem("", 0, "", "il file è in una cartella che non corrisponde a nessun tipo di contenuto", hint)


def read_text(path: Path, rel: str) -> tuple[str | None, Problem | None]:
    """The text of a contributor file (size-limited, UTF-8, no control characters, ``\\n`` line
    ends), or the problem that stops it being read. Content files and redirects.yaml share it."""
    def fail(message, hint="", line=0):
        return None, Problem(rel, line, "", message, hint)

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(f"il file è troppo grande ({size // 1024} KB, massimo {MAX_FILE_BYTES // 1024} KB)",
                        "dividi il contenuto in più file")
        raw = path.read_bytes()
    except OSError as exc:
        return fail("impossibile leggere il file", f"controlla che esista e sia leggibile ({exc.strerror})")
    return decode_text(raw, rel)


def decode_text(raw: bytes, rel: str) -> tuple[str | None, Problem | None]:
    """``read_text`` on the bytes of a file (also a version of it in git history)."""
    def fail(message, hint="", line=0):
        return None, Problem(rel, line, "", message, hint)

    if not raw:
        return fail("il file è vuoto", "copia un modello con 'make nuovo' oppure elimina il file")
    if len(raw) > MAX_FILE_BYTES:
        return fail(f"il file è troppo grande ({len(raw) // 1024} KB, massimo {MAX_FILE_BYTES // 1024} KB)",
                    "dividi il contenuto in più file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return fail("il file non è in codifica UTF-8", "salvalo come UTF-8 dal tuo editor", line)
    if not text.strip():
        return fail("il file è vuoto (contiene solo spazi)", "copia un modello con 'make nuovo' oppure elimina il file")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL_CHARS.search(text)
    if control and control.group() != "\x85":
        return fail(f"il file contiene caratteri non testuali (U+{ord(control.group()):04X})",
                    "salvalo come testo UTF-8 e cancella i caratteri invisibili (spesso arrivano da un PDF)",
                    text.count("\n", 0, control.start()) + 1)
    other_break = control or _OTHER_LINE_BREAKS.search(text)
    if other_break:
        return fail(f"il file contiene un a capo invisibile ({_BREAK_NAMES[other_break.group()]})",
                    "sostituiscilo con un a capo normale o con uno spazio (spesso arriva copiando da Word o da un PDF)",
                    text.count("\n", 0, other_break.start()) + 1)
    return text, None


def read_record(path: Path, rel: str, kind: str, record_id: str, ambito: str | None, plan: str | None = None):
    """Read and check one file. Returns (Record or None, problems)."""
    text, problem = read_text(path, rel)
    if problem is not None:
        return None, [problem]
    return record_from_text(text, path.suffix, rel, kind, record_id, ambito, plan)


def parse_record_bytes(rel: str, raw: bytes):
    """What the site reads from ``content/...`` given as bytes (a version in git history):
    (kind, id, fields, body), or None when it is not a valid record."""
    record = record_from_bytes(rel, raw, earlier_layouts=False)
    return None if record is None else (record.kind, record.id, record.data, record.body)


def record_from_bytes(rel: str, raw: bytes, earlier_layouts: bool = True) -> Record | None:
    """The Record of a version of ``content/...`` in git history, read by the site's own loader
    without the schema check (the schema of that time may differ from today's: the data are
    compared, not validated); None when it is not a record. ``earlier_layouts``: a path of the
    layout before plans over time is placed too (``place_earlier``)."""
    rel_path = Path(rel)
    if not rel_path.parts or rel_path.parts[0] != CONTENT_FOLDER:
        return None
    placed = place(rel_path.relative_to(CONTENT_FOLDER))
    if isinstance(placed, Problem) and earlier_layouts:
        placed = place_earlier(rel_path.relative_to(CONTENT_FOLDER))
    if placed is None or isinstance(placed, Problem):
        return None
    text, problem = decode_text(raw, rel)
    if problem is not None:
        return None
    kind, record_id, ambito, plan = placed
    record, _ = record_from_text(text, rel_path.suffix, rel, kind, record_id, ambito, plan, validate=False)
    return record


def place_earlier(rel: Path):
    """Kind and id of a file in the layout of before plans over time, when an Ambito had one plan
    and its records lay in ``ambiti/<ambito>/<folder>/<name>`` (id ``<ambito>/<folder>/<name>``,
    no plan): how git history still holds them. None for any other path."""
    parts = rel.parts
    if len(parts) == 4 and parts[0] == AMBITI_FOLDER and parts[2] in SCOPED_FOLDERS \
            and rel.suffix in CONTENT_EXTENSIONS and _NAME.match(rel.stem) and _NAME.match(parts[1]):
        return SCOPED_FOLDERS[parts[2]].name, f"{parts[1]}/{parts[2]}/{rel.stem}", parts[1], None
    return None


def record_from_text(text: str, suffix: str, rel: str, kind: str, record_id: str, ambito: str | None,
                     plan: str | None = None, validate: bool = True):
    """``read_record`` on the text of the file (``validate=False``: without the schema check)."""
    def fail(message, hint="", line=0, field=""):
        return None, [Problem(rel, line, field, message, hint)]

    body, body_line = "", 0
    if suffix == ".md":
        split = split_front_matter(text)
        if split is None:
            return fail("manca l'intestazione YAML tra due righe '---' all'inizio del file",
                        "il file deve iniziare con una riga '---', i campi, e un'altra riga '---'", 1)
        front, body, body_line = split
        parsed = yamlsafe.load(front, first_line=2)
    else:
        parsed = yamlsafe.load(text, first_line=1)

    problems = [Problem(rel, issue.line, field_path(issue.path), issue.message, issue.hint)
                for issue in parsed.issues]
    if problems:
        return None, problems
    if not isinstance(parsed.data, dict):
        return fail("l'intestazione deve contenere dei campi 'nome: valore'", "", 1)
    hidden = invisible_problem(text, rel, body, body_line, KINDS[kind].body_field or "(testo)")
    if hidden:
        return None, [hidden]
    if len(body) > MAX_BODY_CHARS:
        return fail(f"il testo dopo l'intestazione è troppo lungo ({len(body)} caratteri, massimo {MAX_BODY_CHARS})",
                    "dividi il testo in più file, uno per capitolo o paragrafo del documento", body_line)
    if body.strip() and not KINDS[kind].markdown:
        return fail(f"c'è del testo dopo l'intestazione, ma una scheda di tipo '{KINDS[kind].label}' non ha un corpo: "
                    "il testo non verrebbe pubblicato",
                    "sposta il testo in un campo della scheda (per esempio 'descrizione'), tra le righe '---', "
                    "oppure cancellalo", _first_text_line(text, body_line))
    body = body.strip("\n")
    body_field = KINDS[kind].body_field
    if body_field and body:
        # the Markdown body is the kind's narrative field (e.g. an objective's descrizione)
        if body_field in parsed.data:
            return fail(f"il campo '{body_field}' è scritto due volte: nell'intestazione e nel testo sotto",
                        f"lascia il testo solo sotto la seconda riga '---' e togli '{body_field}:' "
                        "dall'intestazione", parsed.lines.get((body_field,), 1), body_field)
        parsed.data[body_field] = body
        parsed.lines[(body_field,)] = _first_text_line(text, body_line)
        body = ""
    record = Record(kind=kind, id=record_id, path=rel, data=parsed.data, body=body,
                    body_line=body_line, lines=parsed.lines, ambito=ambito, piano=plan)
    problems = check_schema(record) if validate else []
    if any(p.severity == ERROR for p in problems):
        return None, problems
    return record, problems


def invisible_problem(text: str, rel: str, body: str = "", body_line: int = 0, body_field: str = "") -> Problem | None:
    """An invisible format character (pdz/invisible.py) that the YAML values did not hold: in the
    Markdown body (the field ``body_field``), or in a comment or between the fields."""
    found = invisible.find(body) if body else None
    if found:
        return Problem(rel, body_line + body.count("\n", 0, found.start()), body_field,
                       invisible.message(found.group()), invisible.HINT)
    found = invisible.find(text)
    if found:
        return Problem(rel, text.count("\n", 0, found.start()) + 1, "",
                       invisible.message(found.group()) + " in un commento o fuori dai campi", invisible.HINT)
    return None


def _first_text_line(text: str, start: int) -> int:
    """The first non-blank line from ``start`` (1-based): where a body field's text begins."""
    lines = text.split("\n")
    for number in range(start, len(lines) + 1):
        if lines[number - 1].strip():
            return number
    return start


def split_front_matter(text: str):
    """Return (yaml_text, body, body_first_line) or None when there is no front matter."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        # only a '---' at the start of the line closes the header: an indented one is text of a
        # field written on several lines ("testo: |")
        if lines[index].rstrip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return None
